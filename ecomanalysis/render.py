"""Rendering a :class:`~ecomanalysis.plan.ShopPlan` (and any table) for a reader.

One helper formats every displayed table (:func:`table`): names in the report's language
instead of ids, headers from the message catalog with their units, integers without decimals,
shares as percentages, money with thousands separators.  The summary and the section sentences
of the shop report are built here from the plan; nothing is computed again.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ecomanalysis.i18n import N_, translator

#: Column -> (header msgid with its unit, kind).  Kinds: int, float, share, money, date, text.
COLUMNS: dict[str, tuple[str, str]] = {
    "name": (N_("Role"), "text"),
    "role": (N_("Role"), "text"),
    "now": (N_("Now (people)"), "int"),
    "needed": (N_("Needed (people)"), "int"),
    "gap": (N_("Gap (people)"), "signed"),
    "fte": (N_("Workload (FTE)"), "float"),
    "next_stage": (N_("Next stage (people)"), "int"),
    "peak": (N_("Peak day (people)"), "int"),
    "permanent": (N_("Permanent (people)"), "int"),
    "temps": (N_("Temps (people)"), "int"),
    "covered": (N_("Done by"), "text"),
    "headcount": (N_("Headcount after the hire"), "int"),
    "hires": (N_("Hires (people)"), "int"),
    "orders_per_day": (N_("At orders per day"), "int"),
    "when": (N_("When"), "text"),
    "hour": (N_("Hour"), "int"),
    "queue": (N_("Queue"), "text"),
    "chats": (N_("Chats"), "float"),
    "agents": (N_("Agents on seat"), "int"),
    "staffed": (N_("People scheduled"), "int"),
    "service_level": (N_("Service level"), "share"),
    "occupancy": (N_("Time busy (share)"), "share"),
    "mean_chats_held": (N_("Chats held at once"), "float"),
    "cost_now_cny_month": (N_("Cost now (CNY/month)"), "money"),
    "cost_needed_cny_month": (N_("Cost needed (CNY/month)"), "money"),
    "wage_cny_month": (N_("Cost per person (CNY/month)"), "money"),
    "hire_by": (N_("Start hiring by"), "date"),
    "first_day": (N_("First day needed"), "date"),
    "date": (N_("Date"), "date"),
    "orders": (N_("Orders"), "int"),
    "lower": (N_("Low (80 %)"), "int"),
    "upper": (N_("High (80 %)"), "int"),
    "note": (N_("Note"), "text"),
    "item": (N_("Item"), "text"),
    "value": (N_("Value"), "text"),
    "hours_per_day": (N_("Hours per day"), "float"),
    "sl_simulated": (N_("Service level, simulated day"), "share"),
    "agents_checked": (N_("Agents after the simulation check"), "int"),
    "sl_permanent": (N_("Service level, permanent team"), "share"),
    "sl_with_temps": (N_("Service level with temps"), "share"),
    "status": (N_("Status"), "text"),
}

#: Queue ids -> msgid.
QUEUES = {"presale": N_("pre-sale"), "aftersale": N_("after-sale")}
WHEN = {"now": N_("now"), "later": N_("later")}


def header(column: str, lang: str) -> str:
    """The header of ``column`` in ``lang`` (with its unit)."""
    _ = translator(lang)
    return _(COLUMNS[column][0]) if column in COLUMNS else column


def kind(column: str) -> str:
    return COLUMNS.get(column, ("", "text"))[1]


def fmt(value, kind_: str, lang: str = "en") -> str:
    """One cell as text: ``int`` 1,234; ``signed`` +2; ``float`` 1.5; ``share`` 80%; ``money``
    12,345; ``date`` 2026-11-11; empty for NaN/None."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
        return ""
    if kind_ == "int":
        return f"{float(value):,.0f}"
    if kind_ == "signed":
        return f"{float(value):+,.0f}" if value else "0"
    if kind_ == "float":
        return f"{float(value):,.1f}"
    if kind_ == "share":
        return f"{float(value):.0%}"
    if kind_ == "money":
        return f"{float(value):,.0f}"
    if kind_ == "date":
        return f"{pd.Timestamp(value):%Y-%m-%d}"
    return str(value)


def table(df: pd.DataFrame, lang: str, columns: Sequence[str] | None = None,
          headers: dict[str, str] | None = None):
    """A pandas Styler of ``df[columns]``: headers from the catalog in ``lang`` (or
    ``headers``, already translated), numbers formatted by kind, no index.  Text cells are
    escaped (user text is text)."""
    cols = list(columns) if columns is not None else list(df.columns)
    heads = {c: (headers or {}).get(c) or header(c, lang) for c in cols}
    shown = df[cols].rename(columns=heads)
    fmts = {heads[c]: _formatter(kind(c), lang) for c in cols}
    text_cols = [heads[c] for c in cols if kind(c) in ("text", "date")]
    return (shown.style.hide(axis="index").format(fmts, escape="html")
            .set_properties(subset=text_cols, **{"text-align": "left"})
            .set_table_styles([{"selector": "th", "props": [("text-align", "left")]}])
            .set_table_attributes('class="ecom-table"'))


def _formatter(kind_: str, lang: str):
    return lambda v: fmt(v, kind_, lang)


def frame(df: pd.DataFrame, lang: str, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """``df[columns]`` as formatted text with translated headers (for workbooks and text)."""
    cols = list(columns) if columns is not None else list(df.columns)
    return pd.DataFrame({header(c, lang): [fmt(v, kind(c), lang) for v in df[c]] for c in cols})


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def md_text(text: str) -> str:
    """User text for a Markdown cell: control characters removed, HTML escaped (quotes kept as
    characters), Markdown syntax escaped so no link, image or emphasis is live."""
    text = _CONTROL.sub("", str(text))
    text = html.escape(text, quote=False)
    return _MD_SPECIAL.sub(r"\\\1", text)


# --------------------------------------------------------------------------- the shop report
BASIS = {
    "scenario": N_("a scenario"),
    "profile": N_("as stated in the shop profile"),
    "orders_file": N_("median day of the last {days} days of the order file"),
    "visitors": N_("visitors x conversion"),
}


def _money(x: float) -> str:
    return f"{x:,.0f}"


def basis_text(plan) -> str:
    _ = translator(plan.lang)
    return _(BASIS[plan.orders_basis], days=plan.std.int_value("recent_days_for_level"))


def headline(plan, shop_name: str | None = None) -> str:
    """Markdown: the shop, its order level and where it comes from, its stage."""
    _ = translator(plan.lang)
    name = md_text(shop_name or plan.shop.name)
    return _("## {shop}\n\n**{orders}** orders per day ({basis}) · growth stage **{stage}** "
             "({stage_name})", shop=name, orders=f"{plan.orders_per_day:,.0f}",
             basis=basis_text(plan), stage=plan.stage.stage_id, stage_name=md_text(plan.stage.name))


def summary_lines(plan) -> list[str]:
    """The owner's answers in a few Markdown lines, every figure read from the plan."""
    _ = translator(plan.lang)
    out = [_("The shop has **{now}** people; normal days at this level need **{needed}**.",
             now=plan.team_now, needed=plan.team_needed)]
    hires = plan.next_hires
    now = hires[hires["when"] == "now"].sort_values("hires", ascending=False, kind="stable")
    if len(now):
        out.append(_("Hire first: {list}.", list=", ".join(
            f"{md_text(r['name'])} +{int(r['hires'])}" for _i, r in now.head(3).iterrows())))
    later = hires[hires["when"] == "later"]
    if len(later):
        r = later.iloc[0]
        out.append(_("Next hire as orders grow: {role} (person {n}) at {orders} orders per day.",
                     role=md_text(r["name"]), n=int(r["headcount"]),
                     orders=f"{r['orders_per_day']:,.0f}"))
    out.append(_("Labour cost now **{now} CNY** a month, needed **{needed} CNY** a month "
                 "({share} of revenue).", now=_money(plan.cost_now_cny_month),
                 needed=_money(plan.cost_needed_cny_month), share=f"{plan.labour_share:.1%}"))
    pk = plan.peak
    if pk is not None:
        hb = plan.hire_by
        hire = "" if hb is None else _(", start hiring by **{date}**", date=f"{hb:%Y-%m-%d}")
        out.append(_("{event} ({date}): **{orders}** orders forecast, {x}x a normal day; "
                     "**{temps}** temps costing **{cost} CNY**{hire}.",
                     event=md_text(pk.event_name), date=f"{pk.peak_date:%Y-%m-%d}",
                     orders=f"{pk.peak_orders:,.0f}",
                     x=f"{pk.peak_orders / max(plan.orders_per_day, 1e-9):.1f}",
                     temps=plan.temps_total, cost=_money(plan.peak_cost_temps_cny), hire=hire))
        out.append(_("On the busiest half hour customer service answers {perm} of chats in "
                     "time with the permanent team alone and {temps} with the temps (target "
                     "{target}).", perm=f"{pk.service_level_permanent:.0%}",
                     temps=f"{pk.service_level_with_temps:.0%}",
                     target=f"{pk.service_level_target:.0%}"))
    return out


def summary_table(plan) -> pd.DataFrame:
    """Role | now | needed | next stage | peak temps: the roles with any of them."""
    t = plan.team
    keep = (t[["now", "needed", "temps"]].sum(axis=1) > 0) | (t["next_stage"].fillna(0) > 0)
    return t.loc[keep, ["name", "now", "needed", "next_stage", "temps"]].reset_index(drop=True)


def covered_table(plan) -> pd.DataFrame:
    """Roles with work but nobody of their own: who does it and how much."""
    _ = translator(plan.lang)
    t = plan.team
    sub = t[(t["covered_by"] != "") & (t["fte"] > 0)]
    names = dict(zip(t["role_id"], t["name"], strict=True))
    from ecomanalysis import workload

    all_names = workload.load_role_models(lang=plan.lang).set_index("role_id")["name"]
    rows = [{"name": r["name"],
             "covered": all_names.get(r["covered_by"], names.get(r["covered_by"], r["covered_by"])),
             "fte": r["fte"]} for _i, r in sub.iterrows()]
    return pd.DataFrame(rows, columns=["name", "covered", "fte"])


def flag_lines(plan) -> list[str]:
    return [f"⚠ {md_text(f)}" for f in plan.flags]


def section_title(plan, section: str) -> str:
    _ = translator(plan.lang)
    return "### " + _(SECTION_TITLES[section])


SECTION_TITLES = {
    "summary": N_("Summary"), "team": N_("The team now and the team needed"),
    "hires": N_("Next hires"), "cs": N_("Customer service hour by hour"),
    "warehouse": N_("Warehouse"), "peak": N_("The next sales peak"), "cost": N_("Labour cost"),
}


def sentence(plan, section: str) -> str:
    """One sentence per section saying what it means for the shop (figures from the plan)."""
    _ = translator(plan.lang)
    if section == "team":
        short = plan.team[plan.team["gap"] > 0]
        over = plan.team[plan.team["gap"] < 0]
        return _("{short} roles are short of people and {over} have more than the workload needs "
                 "at {orders} orders per day; roles below one person's work are done on the side "
                 "(table below).", short=len(short), over=len(over),
                 orders=f"{plan.orders_per_day:,.0f}")
    if section == "hires":
        return _("Hires now close the gap; later hires are counted from the team the shop has "
                 "(or will have after the hires now), with the order level that triggers each.")
    if section == "cs":
        h = plan.cs_hourly.groupby("hour")[["agents", "staffed"]].sum()
        top = int(h["agents"].idxmax()) if len(h) else 0
        return _("The busiest hour starts at {hour}:00 and needs {agents} agents on seat ({staffed} "
                 "people scheduled, allowing for breaks and absence) to answer {sl} of chats within "
                 "{within} s.", hour=top, agents=int(h["agents"].max()) if len(h) else 0,
                 staffed=int(h["staffed"].max()) if len(h) else 0,
                 sl=f"{plan.std['cs_service_level_target']:.0%}",
                 within=f"{plan.std['cs_answer_within_s']:g}")
    if section == "warehouse":
        w = plan.warehouse
        return _("The warehouse has {hours} hours of work a day (packing {pack} h, returns {ret} h, "
                 "other {other} h); {people} packers must be on duty before the {cutoff}:00 cut-off.",
                 hours=f"{w['hours_per_day']:.1f}", pack=f"{w['packing_h']:.1f}",
                 ret=f"{w['returns_h']:.1f}", other=f"{w['overhead_h']:.1f}",
                 people=f"{w['cutoff_people']:.1f}", cutoff=f"{plan.std['shipping_cutoff_hour']:g}")
    if section == "peak":
        if plan.peak is None:
            return _("No peak plan: {reason}", reason=md_text(plan.peak_error))
        return _("Only customer service and the warehouse follow the day's orders; the other roles "
                 "keep their normal team on the peak day. Temps fill the gap between the peak "
                 "day's need and the permanent team.")
    if section == "cost":
        return _("Cost counts every person the shop has (now) and would have (needed), at the "
                 "wage of the role in a {tier} city; work the unpaid owner does on the side is "
                 "valued at the role's wage.", tier=_(TIERS.get(plan.std.city_tier, plan.std.city_tier)))
    raise KeyError(section)


TIERS = {"tier1": N_("tier-1"), "tier2": N_("tier-2"), "tier3": N_("tier-3")}


def peak_table(plan) -> pd.DataFrame:
    """The roles that follow the day's orders: permanent, peak day, temps, start hiring by."""
    if plan.peak is None:
        return pd.DataFrame(columns=["name", "permanent", "peak", "temps", "hire_by"])
    t = plan.team[plan.team["day_scaling"]].copy()
    hb = plan.peak.hire_by.set_index("unit")["hire_by"] if len(plan.peak.hire_by) else pd.Series(dtype=object)
    t["hire_by"] = t["role_id"].map(hb)
    return t[["name", "permanent", "peak", "temps", "hire_by"]].reset_index(drop=True)


def data_notes_html(plan) -> str:
    """The intake's notes as an HTML list (escaped; they quote the export's own names)."""
    _ = translator(plan.lang)
    items = "".join(f"<li>{html.escape(n)}</li>" for n in plan.data_notes)
    return (f'<div class="ecom-data-notes"><h3>{html.escape(_("How the data was read"))}</h3>'
            f"<ul>{items}</ul></div>")


def cs_check_table(plan) -> pd.DataFrame:
    """Per queue and hour: agents and service level of the queueing model beside the simulated
    day's, and the agents the simulation check adds."""
    _ = translator(plan.lang)
    h = plan.cs_hourly
    cols = ["queue", "hour", "chats", "agents", "service_level", "sl_simulated", "agents_checked"]
    if "sl_simulated" not in h:
        return h[cols[:5]].assign(queue=h["queue"].map(lambda q: _(QUEUES[q])))
    return h[cols].assign(queue=h["queue"].map(lambda q: _(QUEUES[q])))


def simulation_sentence(plan) -> str:
    """Where the simulated day and the queueing model differ (or that they agree)."""
    _ = translator(plan.lang)
    h = plan.cs_hourly
    if "sl_simulated" not in h:
        return ""
    target = plan.std["cs_service_level_target"]
    miss = h[h["sl_simulated"] < target]
    added = int((plan.cs["agents_checked"] - plan.cs["agents"]).sum())
    if not len(miss):
        return _("A simulated day of the same chats (handle times spread with a coefficient of "
                 "variation of {cv}, queues carried from one half hour to the next) meets the "
                 "{target} target every hour with these agents.", target=f"{target:.0%}",
                 cv=f"{plan.std['cs_handle_time_cv']:g}")
    hours = ", ".join(f"{_(QUEUES[r['queue']])} {int(r['hour'])}:00" for _i, r in miss.iterrows())
    return _("In a simulated day of the same chats the target of {target} is missed at {hours}; "
             "the simulation check adds {added} agent half-hours to meet it.",
             target=f"{target:.0%}", hours=hours, added=added)
