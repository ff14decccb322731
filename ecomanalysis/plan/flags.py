"""Flags: what the reader of a plan must know, in plain words of the plan's language."""

from __future__ import annotations

import pandas as pd

from ecomanalysis import workload
from ecomanalysis.i18n import N_, join, translator

#: A history ending more than this many days before the plan date is stale.
STALE_AFTER_DAYS = 14
#: Standard with the rule-of-thumb labour share; its low..high is the band flagged outside.
LABOUR_SHARE_KEY = "labour_share_of_revenue"


def data_notes(plan) -> list[str]:
    """How the shop's exports were read (preset, columns, rows left out, time zone...): the
    intake's own notes, quoting the export's column names and values."""
    from ecomanalysis.shop import shop_flags

    notes = list(shop_flags(plan.shop, plan.lang))
    return notes[1:] if plan.shop.category_given is not None else notes


def make_flags(plan) -> list[str]:
    _ = translator(plan.lang)
    out: list[str] = []
    if plan.shop.category_given is not None:
        out.append(_("Category {given} has no standards of its own: the cross-category defaults "
                     "({fallback}) are used.", given=plan.shop.category_given,
                     fallback=plan.shop.category))
    if plan.history_end is not None:
        age = (plan.as_of - plan.history_end).days
        if age > STALE_AFTER_DAYS:
            out.append(_("The order history ends {end}, {days} days before the plan date {as_of}: "
                         "the figures describe the shop as it was then.",
                         end=f"{plan.history_end:%Y-%m-%d}", days=f"{age:,}",
                         as_of=f"{plan.as_of:%Y-%m-%d}"))
    if "own files" not in plan.shape_source:
        out.append(_("The hour-of-day shape of orders and chats comes from default figures "
                     "(the shop's exports give no times of day)."))
    if plan.orders_basis == "scenario":
        out.append(_("Scenario: {orders} orders per day instead of the shop's own level.",
                     orders=f"{plan.orders_per_day:,.0f}"))
    band = plan.std.table.loc[LABOUR_SHARE_KEY]
    share = plan.labour_share
    if share == share and not (band["low"] <= share <= band["high"]):
        out.append(_("Labour cost is {share} of revenue, outside the rule of thumb of {low}-{high}.",
                     share=f"{share:.1%}", low=f"{band['low']:.0%}", high=f"{band['high']:.0%}"))
    gap = int(plan.team["gap"].clip(lower=0).sum())
    if plan.team_now and gap > plan.team_now:
        out.append(_("The team needs {gap} more people than it has ({now} today): more hires "
                     "than the team is large.", gap=gap, now=plan.team_now))
    v = plan.peak.verdict if plan.peak is not None else None
    if v and v.get("beats_naive") is False:
        out.append(_("The forecast does not beat the seasonal-naive baseline on the shop's own "
                     "backtest (error {wape} against {naive}): read the peak figures as rough.",
                     wape=f"{v['wape']:.1%}", naive=f"{v['seasonal_naive_wape']:.1%}"))
    elif v and v.get("beats_naive"):
        out.append(_("Forecast: {winner} won the shop's own backtest with an error of {wape}, "
                     "against {naive} for the seasonal-naive baseline.",
                     winner=_(model_name(v["winner"])),
                     wape=f"{v['wape']:.1%}", naive=f"{v['seasonal_naive_wape']:.1%}"))
    if plan.peak is None and plan.peak_error:
        out.append(_("No peak plan: {reason}", reason=plan.peak_error))
    elif plan.peak is not None and plan.peak.hire_by_date is not None and \
            plan.peak.hire_by_date < plan.as_of <= plan.peak.peak_date:
        out.append(_("Hiring temps for the peak should have started by {date}.",
                     date=f"{plan.peak.hire_by_date:%Y-%m-%d}"))
    elif plan.peak is not None and plan.peak.peak_date < plan.as_of:
        # the peak is planned from the day after the history ends: an old export plans a peak
        # that has passed by the plan date, and its hire-by date is no longer something to do
        out.append(_("The peak planned, {event} on {date}, is before the plan date {as_of}: it "
                     "is planned from the end of the order history; export recent orders to plan "
                     "the next one.", event=plan.peak.event_name,
                     date=f"{plan.peak.peak_date:%Y-%m-%d}", as_of=f"{plan.as_of:%Y-%m-%d}"))
    early = owner_relief(plan)
    if early:
        out.append(_("{roles}: staffed before the role's own workload reaches its threshold: "
                     "otherwise the owner would do more than {cap} FTE of other roles' work, or "
                     "one person more than a person's week.",
                     roles=join(_role_names(plan, early), plan.lang),
                     cap=f"{plan.std['owner_max_cover_fte']:g}"))
    if len(plan.steps):
        s = plan.steps.iloc[0]
        out.append(_("A rise to {orders} orders per day adds {people} people at once ({roles}).",
                     orders=f"{s['orders_per_day']:,.0f}", people=int(s["people"]),
                     roles=join(_role_names(plan, s["roles"].split(";")), plan.lang)))
    return out


def owner_relief(plan) -> list[str]:
    """Roles the plan staffs below their own ``min_dedicated_fte`` because the owner's share
    of the work would exceed ``owner_max_cover_fte`` (see
    :func:`ecomanalysis.staffing.owner_work`)."""
    t = plan.team[(plan.team["needed"] > 0) & plan.team["role_id"].isin(_driven_roles())]
    return [r for r, f in zip(t["role_id"], t["fte"], strict=True)
            if f < workload.min_dedicated_fte(plan.std, r) - 1e-12]


def _driven_roles() -> list[str]:
    rm = workload.load_role_models()
    return list(rm.loc[rm["model"].isin(["queue", "workload"]), "role_id"])


def _role_names(plan, roles: list[str]) -> list[str]:
    names = workload.load_role_models(lang=plan.lang).set_index("role_id")["name"]
    return [str(names.get(r, r)) for r in roles]


def is_stale(history_end: pd.Timestamp | None, as_of: pd.Timestamp) -> bool:
    return history_end is not None and (as_of - history_end).days > STALE_AFTER_DAYS


#: Forecast candidates (``ecomanalysis.forecast.auto``) by id prefix -> name msgid.
MODEL_NAMES = (
    ("ets_yearly", N_("exponential smoothing with weekly and yearly patterns")),
    ("ets_weekly", N_("exponential smoothing with a weekly pattern")),
    ("ets_trend", N_("a damped-trend model")),
    ("weekday_median", N_("the median of the same weekdays")),
    ("count", N_("a count model")),
    ("sarimax", N_("a seasonal ARIMA model")),
)


def model_name(model_id: str) -> str:
    """The name msgid of a forecast candidate (a combination of candidates otherwise)."""
    for prefix, name in MODEL_NAMES:
        if str(model_id).startswith(prefix):
            return name
    return N_("a combination of the best candidates")
