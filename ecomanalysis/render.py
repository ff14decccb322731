"""Rendering a :class:`~ecomanalysis.plan.ShopPlan` (and any table) for a reader.

One helper formats every displayed table (:func:`table`): names in the report's language
instead of ids, headers from the message catalog with their units, integers without decimals,
shares as percentages, money with thousands separators.  The summary and the section sentences
of the shop report are built here from the plan; nothing is computed again.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ecomanalysis import i18n
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
    "owner_fte_now": (N_("Owner's unpaid work in it now (FTE)"), "float"),
    "owner_fte_needed": (N_("Owner's unpaid work in it, team needed (FTE)"), "float"),
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


#: Cell formats of the numeric kinds (one table instead of a branch per kind).
NUMBER_FORMATS = {"int": "{:,.0f}", "float": "{:,.1f}", "share": "{:.0%}", "money": "{:,.0f}",
                  "share1": "{:.1%}", "ratio": "{:.1f}x", "float2": "{:,.2f}"}


def fmt(value, kind_: str, lang: str = "en") -> str:
    """One cell as text: ``int`` 1,234; ``signed`` +2; ``float`` 1.5; ``share`` 80%; ``money``
    12,345; ``date`` 2026-11-11; empty for NaN/None."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT \
            or value is pd.NA:
        return ""
    if kind_ == "signed":
        return f"{float(value):+,.0f}" if value else "0"
    if kind_ == "date":
        return f"{pd.Timestamp(value):%Y-%m-%d}"
    if kind_ == "yesno":
        return translator(lang)(YES_NO[bool(value)])
    if kind_ in NUMBER_FORMATS:
        return NUMBER_FORMATS[kind_].format(float(value))
    return str(value)


def table(df: pd.DataFrame, lang: str, columns: Sequence[str] | None = None,
          headers: dict[str, str] | None = None):
    """A pandas Styler of ``df[columns]``: headers from the catalog in ``lang`` (or
    ``headers``, already translated), numbers formatted by kind, no index.  Text cells are
    escaped (user text is text)."""
    cols = list(columns) if columns is not None else list(df.columns)
    heads = {c: (headers or {}).get(c) or header(c, lang) for c in cols}
    kinds = {c: _kind_of(df, c) for c in cols}
    shown = df[cols].reset_index(drop=True).rename(columns=heads)  # Styler needs a unique index
    fmts = {heads[c]: _formatter(kinds[c], lang) for c in cols}
    text_cols = [heads[c] for c in cols if kinds[c] in ("text", "date")]
    return (shown.style.hide(axis="index").format(fmts, escape="html")
            .set_properties(subset=text_cols, **{"text-align": "left"})
            .set_table_styles([{"selector": "th", "props": [("text-align", "left")]}])
            .set_table_attributes('class="ecom-table"'))


def _kind_of(df: pd.DataFrame, column) -> str:
    """The kind of ``column``: from :data:`COLUMNS`, else inferred from its values."""
    return kind(column) if column in COLUMNS else infer_kind(df[column])


def _formatter(kind_: str, lang: str):
    return lambda v: fmt(v, kind_, lang)


def frame(df: pd.DataFrame, lang: str, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """``df[columns]`` as formatted text with translated headers (for workbooks and text)."""
    cols = list(columns) if columns is not None else list(df.columns)
    return pd.DataFrame({header(c, lang): [fmt(v, _kind_of(df, c), lang) for v in df[c]]
                         for c in cols})


def md_text(text: str) -> str:
    """User text for a Markdown cell (:func:`ecomanalysis.safetext.md`): control characters
    removed, HTML and Markdown syntax escaped, so no link, image or emphasis is live."""
    from ecomanalysis.safetext import md

    return md(text)


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
        out.append(_("Hire first: {list}.", list=i18n.join(
            [f"{md_text(r['name'])} +{int(r['hires'])}" for _i, r in now.head(3).iterrows()], plan.lang)))
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
    "roster": N_("Rosters for a normal week"),
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
        return _("At {orders} orders per day: roles short of people {short}, roles with more "
                 "people than the workload needs {over}; roles below one person's work are done on "
                 "the side (table below).", short=len(short), over=len(over),
                 orders=f"{plan.orders_per_day:,.0f}")
    if section == "hires":
        return _("Hires now close the gap; later hires are counted from the team the shop has "
                 "(or will have after the hires now), with the order level that triggers each.")
    if section == "cs":
        h = plan.cs_hourly.groupby("hour")[["chats", "agents", "staffed"]].sum()
        top = int(h["chats"].idxmax()) if len(h) else 0  # the hour with the most chats
        return _("The busiest hour starts at {hour}:00 and needs {agents} agents on seat ({staffed} "
                 "people scheduled, allowing for breaks and absence) to answer {sl} of chats within "
                 "{within} s.", hour=top, agents=int(h.at[top, "agents"]) if len(h) else 0,
                 staffed=int(h.at[top, "staffed"]) if len(h) else 0,
                 sl=f"{plan.std['cs_service_level_target']:.0%}",
                 within=f"{plan.std['cs_answer_within_s']:g}")
    if section == "warehouse":
        w = plan.warehouse
        work = _("The warehouse has {hours} hours of work a day (packing {pack} h, returns {ret} h, "
                 "other {other} h)", hours=f"{w['hours_per_day']:.1f}", pack=f"{w['packing_h']:.1f}",
                 ret=f"{w['returns_h']:.1f}", other=f"{w['overhead_h']:.1f}")
        cutoff = f"{plan.std['shipping_cutoff_hour']:g}"
        if w["cutoff_people"] < 1:  # part of one person's day, not "0.1 packers"
            return work + _("; the orders paid before the {cutoff}:00 cut-off take {h} hours of one "
                            "packer's day.", cutoff=cutoff, h=f"{w['cutoff_h']:.1f}")
        return work + _("; {people} packers must be on duty before the {cutoff}:00 cut-off.",
                        people=f"{w['cutoff_people']:.1f}", cutoff=cutoff)
    if section == "peak":
        if plan.peak is None:
            return _("No peak plan: {reason}", reason=md_text(plan.peak_error))
        return _("Only customer service and the warehouse follow the day's orders; the other roles "
                 "keep their normal team on the peak day. Temps fill the gap between the peak "
                 "day's need and the permanent team.") + overtime_sentence(plan)
    if section == "cost":
        return _("Cost counts every person the shop has (now) and would have (needed), at the "
                 "wage of the role in a {tier} city; work the unpaid owner does on the side is "
                 "valued at the role's wage.", tier=_(TIERS.get(plan.std.city_tier, plan.std.city_tier)))
    raise KeyError(section)


TIERS = {"tier1": N_("tier-1"), "tier2": N_("tier-2"), "tier3": N_("tier-3")}


def overtime_sentence(plan) -> str:
    """The peak's overtime against temps (:attr:`PeakPlan.overtime_vs_temps`): temps and cost
    with temps alone and with the permanent team's overtime first (empty without temps)."""
    _ = translator(plan.lang)
    ot = plan.peak.overtime_vs_temps if plan.peak is not None else None
    if ot is None or not len(ot) or int(ot["temps_only"].sum()) == 0:
        return ""
    return sentence_gap(plan.lang) + _(
        "Overtime first, within the labour law ({hours} hours), needs {temps_ot} temps and costs "
        "{cost_ot} CNY, against {temps} temps costing {cost} CNY without overtime.",
        hours=f"{ot['overtime_hours'].sum():,.0f}", temps_ot=int(ot["temps_with_overtime"].sum()),
        cost_ot=_money(ot["cost_overtime_option_cny"].sum()), temps=int(ot["temps_only"].sum()),
        cost=_money(ot["cost_temps_only_cny"].sum()))


def peak_table(plan) -> pd.DataFrame:
    """The roles that follow the day's orders: permanent, peak day, temps, start hiring by."""
    if plan.peak is None:
        return pd.DataFrame(columns=["name", "permanent", "peak", "temps", "hire_by"])
    t = plan.team[plan.team["day_scaling"]].copy()
    hb = plan.peak.hire_by.set_index("unit")["hire_by"] if len(plan.peak.hire_by) else pd.Series(dtype=object)
    t["hire_by"] = t["role_id"].map(hb)
    return t[["name", "permanent", "peak", "temps", "hire_by"]].reset_index(drop=True)


def cost_table(plan) -> pd.DataFrame:
    """One row per role of :attr:`ShopPlan.cost`: people and cost now and needed, and the
    owner's unpaid work in the role (FTE) that the costs value at the role's wage (the
    report's and the workbook's cost table)."""
    c = plan.cost
    fte = {k: c[k] if k in c else pd.Series(np.nan, index=c.index)
           for k in ("fte_now", "fte_needed")}
    c = c.assign(owner_fte_now=fte["fte_now"].where(c["imputed"], 0.0).fillna(0.0),
                 owner_fte_needed=fte["fte_needed"].where(c["imputed"], 0.0).fillna(0.0))
    cols = ["now", "cost_now_cny_month", "needed", "cost_needed_cny_month", "owner_fte_now",
            "owner_fte_needed"]
    return c.groupby(["role_id", "name"], as_index=False, sort=False)[cols].sum()


def data_notes_html(plan) -> str:
    """The intake's notes as an HTML list (escaped; they quote the export's own names)."""
    _ = translator(plan.lang)
    items = "".join(f"<li>{html.escape(n)}</li>" for n in plan.data_notes)
    title = _("How the data was read")  # not inside the f-string: the catalog extractor skips those
    return (f'<div class="ecom-data-notes"><h3>{html.escape(title)}</h3>'
            f"<ul>{items}</ul></div>")


def cs_check_table(plan) -> pd.DataFrame:
    """Per queue and hour: agents, their busy share and chats held (both occupancy measures),
    the service level of the queueing model beside the simulated day's, and the agents the
    simulation check adds."""
    _ = translator(plan.lang)
    h = plan.cs_hourly
    cols = ["queue", "hour", "chats", "agents", "occupancy", "mean_chats_held", "service_level",
            "sl_simulated", "agents_checked"]
    if "sl_simulated" not in h:
        return h[cols[:7]].assign(queue=h["queue"].map(lambda q: _(QUEUES[q])))
    return h[cols].assign(queue=h["queue"].map(lambda q: _(QUEUES[q])))


def sentence_gap(lang: str) -> str:
    """What goes between two sentences: nothing in Chinese (。 ends one), a space in English."""
    return "" if lang == "zh" else " "


def sentences(lang: str, *parts: str) -> str:
    """Sentences one after the other in ``lang`` (empty ones left out)."""
    return sentence_gap(lang).join(p for p in parts if p)


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
        out = _("A simulated day of the same chats (handle times spread with a coefficient of "
                "variation of {cv}, queues carried from one half hour to the next) meets the "
                "{target} target every hour with these agents.", target=f"{target:.0%}",
                cv=f"{plan.std['cs_handle_time_cv']:g}")
    else:
        out = _("In a simulated day of the same chats the target of {target} is missed at "
                "{hours}; the simulation check adds {added} agent half-hours to meet it.",
                target=f"{target:.0%}", hours=_hours(miss, plan.lang), added=added)
    from ecomanalysis import workload

    sep = sentence_gap(plan.lang)
    cs = plan.cs
    differ = cs[cs["sl_differs"].fillna(False).astype(bool)] if "sl_differs" in cs else cs.iloc[:0]
    if not len(differ):
        return out + sep + _("The model and the simulated day agree within {gap} points every "
                             "hour.", gap=f"{plan.std['cs_sim_gap_named'] * 100:g}")
    where = [_("{queue} {time} (model {model}, simulated {simulated})",
               queue=_(QUEUES[r["queue"]]), time=workload.clock(r["interval_start_h"]),
               model=f"{r['service_level']:.0%}", simulated=f"{r['sl_simulated']:.0%}")
             for _i, r in differ.iterrows()]
    return out + sep + _("The model and the simulated day differ by more than {gap} points "
                         "(outside the simulation's confidence interval) at {hours}: there the "
                         "simulated day, with its spread of handle times and its routing, is the "
                         "better guide.",
                         gap=f"{plan.std['cs_sim_gap_named'] * 100:g}",
                         hours=i18n.join(where, plan.lang))


def _hours(rows: pd.DataFrame, lang: str) -> str:
    """``Pre-sale 10:00, After-sale 21:00`` joined in the reader's language."""
    _ = translator(lang)
    return i18n.join([f"{_(QUEUES[r['queue']])} {int(r['hour'])}:00" for _i, r in rows.iterrows()],
                     lang)


# --------------------------------------------------------------------------- notebook tables
#: Columns of the tables notebooks 01-06 show (added to :data:`COLUMNS`).  Extra kinds:
#: ``share1`` 4.5%, ``ratio`` 7.6x, ``float2`` 1.25, ``yesno`` yes/no in the reader's language.
NOTEBOOK_COLUMNS: dict[str, tuple[str, str]] = {
    # roles, groups, duties (01)
    "description": (N_("Description"), "text"),
    "group_name": (N_("Role group"), "text"),
    "level": (N_("Level"), "text"),
    "workload_driver": (N_("Workload driver"), "text"),
    "aliases_zh": (N_("Other names (Chinese)"), "text"),
    "duty": (N_("Duty"), "text"),
    "sources": (N_("Sources"), "text"),
    # growth stages (02)
    "stage_id": (N_("Stage"), "int"),
    "stage_name": (N_("Stage name"), "text"),
    "days_since_launch_min": (N_("From day (since launch)"), "int"),
    "days_since_launch_max": (N_("To day (since launch)"), "int"),
    "daily_visitors_min": (N_("Visitors per day, from"), "int"),
    "daily_visitors_max": (N_("Visitors per day, to"), "int"),
    "visitors_min": (N_("Visitors per day, from"), "int"),
    "visitors_max": (N_("Visitors per day, to"), "int"),
    "conversion_min": (N_("Conversion, from"), "share1"),
    "conversion_max": (N_("Conversion, to"), "share1"),
    "daily_orders_min": (N_("Orders per day, from"), "int"),
    "daily_orders_max": (N_("Orders per day, to"), "int"),
    "orders_min": (N_("Orders per day, from"), "int"),
    "orders_max": (N_("Orders per day, to"), "int"),
    "implied_orders_min": (N_("Implied orders per day, from"), "int"),
    "implied_orders_max": (N_("Implied orders per day, to"), "int"),
    "break_even": (N_("Breaks even"), "yesno"),
    "consistent": (N_("Consistent"), "yesno"),
    "derived_fields": (N_("Derived fields"), "text"),
    "headcount_min": (N_("Headcount, from (people)"), "int"),
    "headcount_max": (N_("Headcount, to (people)"), "int"),
    # shop data (03)
    "reason": (N_("Reason"), "text"),
    "column": (N_("Column"), "text"),
    "rows": (N_("Rows"), "int"),
    "day": (N_("Day"), "text"),
    "ratio_to_mean": (N_("x mean day"), "ratio"),
    "baseline_per_day": (N_("Baseline (orders per day)"), "float"),
    "ratio_to_baseline": (N_("x baseline"), "ratio"),
    "channel": (N_("Channel"), "text"),
    "agent": (N_("Agent"), "text"),
    "sessions": (N_("Sessions"), "int"),
    "mean_handle_s": (N_("Mean handle time (s)"), "int"),
    "handle_s": (N_("Handle time (s)"), "int"),
    "busy_s": (N_("Busy time (s)"), "int"),
    "mean_concurrent": (N_("Mean parallel chats"), "float2"),
    "max_concurrent": (N_("Most parallel chats"), "int"),
    # workload (04)
    "headcount": (N_("People"), "int"),
    "seed_min": (N_("Seed, from (people)"), "int"),
    "seed_max": (N_("Seed, to (people)"), "int"),
    "model_min": (N_("Model, from (people)"), "int"),
    "model_max": (N_("Model, to (people)"), "int"),
    "playbook_gap": (N_("Seed vs model"), "text"),
    "gap_note": (N_("Note"), "text"),
    # customer service (05)
    "time": (N_("Time"), "text"),
    "model": (N_("Model"), "text"),
    "traffic_erlangs": (N_("Traffic (Erlang)"), "float2"),
    "asa_s": (N_("Mean wait (s)"), "float"),
    "occupancy": (N_("Occupancy"), "share1"),
    "waiting_probability": (N_("Share waiting"), "share1"),
    "abandon_probability": (N_("Share abandoning"), "share1"),
    "mean_chats_held": (N_("Mean chats held per agent"), "float2"),
    # peak planning (06)
    "component": (N_("Effect"), "text"),
    "basis": (N_("Basis"), "text"),
    "uplift": (N_("Uplift (x normal day)"), "ratio"),
    "uplift_low": (N_("Uplift, low"), "ratio"),
    "uplift_high": (N_("Uplift, high"), "ratio"),
    "temp_staffable": (N_("Temps possible"), "yesno"),
    "current_team": (N_("Team now (people)"), "int"),
    "baseline_required": (N_("Normal day (people)"), "int"),
    "peak_required": (N_("Peak day (people)"), "int"),
    "peak_day": (N_("Peak day"), "date"),
    "structural_gap": (N_("Short on normal days (people)"), "int"),
    "last_day": (N_("Last day needed"), "date"),
    "ramp_days": (N_("Ramp-up (days)"), "int"),
    "lead_days": (N_("Recruitment lead (days)"), "int"),
    "start_by": (N_("At work by"), "date"),
    "hire_by_earliest": (N_("Start hiring, earliest"), "date"),
    "hire_by_latest": (N_("Start hiring, latest"), "date"),
    "late": (N_("Too late"), "yesno"),
    "gap_hours": (N_("Gap (hours)"), "int"),
    "overtime_hours_limit": (N_("Overtime limit (hours)"), "int"),
    "overtime_hours": (N_("Overtime (hours)"), "int"),
    "overtime_share_of_gap": (N_("Overtime share of the gap"), "share"),
    "temps_only": (N_("Temps, no overtime (people)"), "int"),
    "temps_with_overtime": (N_("Temps with overtime (people)"), "int"),
    "temp_days_only": (N_("Temp days, no overtime"), "int"),
    "temp_days_with_overtime": (N_("Temp days with overtime"), "int"),
    "cost_temps_only_cny": (N_("Cost, temps only (CNY)"), "money"),
    "cost_overtime_cny": (N_("Overtime cost (CNY)"), "money"),
    "cost_temps_with_overtime_cny": (N_("Temps cost with overtime (CNY)"), "money"),
    "cost_overtime_option_cny": (N_("Cost, overtime first (CNY)"), "money"),
    "cheaper": (N_("Cheaper"), "text"),
    "start_h": (N_("Start (hour of day)"), "float"),
    "volume": (N_("Chats"), "float"),
    "agents_required": (N_("Agents needed"), "int"),
    "heads_permanent": (N_("Permanent team on duty (people)"), "int"),
    "agents_permanent": (N_("Agents, permanent team"), "int"),
    "heads_with_temps": (N_("On duty with temps (people)"), "int"),
    "agents_with_temps": (N_("Agents with temps"), "int"),
    "sl_target": (N_("Target service level"), "share"),
}
for _column, _spec in NOTEBOOK_COLUMNS.items():
    COLUMNS.setdefault(_column, _spec)
YES_NO = (N_("no"), N_("yes"))


def infer_kind(values: pd.Series) -> str:
    """Kind of a column :data:`COLUMNS` does not know: whole numbers ``int``, other numbers
    ``float``, else ``text`` (so an unknown count never shows as ``22.000000``)."""
    if pd.api.types.is_bool_dtype(values):
        return "yesno"
    if pd.api.types.is_numeric_dtype(values):
        v = values.dropna().to_numpy(dtype=float)
        return "int" if len(v) == 0 or np.all(np.mod(v, 1) == 0) else "float"
    return "text"


UNITS = {"presale": N_("pre-sale"), "aftersale": N_("after-sale"), "warehouse": N_("warehouse")}


def roster_sentence(plan, rosters) -> str:
    """What the rosters of a normal week mean: people by contract and paid hours per unit."""
    _ = translator(plan.lang)
    parts = []
    for unit, r in rosters.rosters.items():
        contracts = r.assignments.drop_duplicates("person")["contract"].value_counts()
        parts.append(_("{unit}: {ft} full-time, {pt} part-time, {paid} paid hours",
                       unit=_(UNITS[unit]), ft=int(contracts.get("full_time", 0)),
                       pt=int(contracts.get("part_time", 0)), paid=f"{r.paid_hours:,.0f}"))
    from ecomanalysis.roster.shop import UNIT_ROLES

    needed = plan.team.set_index("role_id")["needed"]
    counts = [f"{_(UNITS[u])} {int(needed.get(UNIT_ROLES[u], 0))}" for u in rosters.rosters]
    sep = sentence_gap(plan.lang)
    return _("Shifts from the plan's agents per half hour, within the labour law (8 h days, "
             "40 h weeks, two rest days, overtime at most 3 h a day and 36 h a month), at the "
             "least paid hours: {parts}.", parts="; ".join(parts)) + sep + _(
        "The team needed above ({needed}) is counted from hours of work: it adds the time "
        "people are away (leave, sickness, training), which a week's roster does not place, and "
        "lets a colleague or the owner answer a queue's quiet half hours beside other work, "
        "where a roster gives every open half hour people of its own; so the two counts differ.",
        needed=i18n.join(counts, plan.lang))


# --------------------------------------------------------------------------- notebook text lines
def stage_disagreement_lines(disagree: pd.DataFrame) -> list[str]:
    """One line per stage of :func:`ecomanalysis.catalog.stage_funnel` whose table range of
    orders lies outside the range its visitors x conversion imply."""
    return [
        f"stage {row.stage_id}: {row.visitors_min:.0f}-{row.visitors_max:.0f} visitors x "
        f"{row.conversion_min:.1%}-{row.conversion_max:.1%} = {row.implied_orders_min:.0f}-"
        f"{row.implied_orders_max:.0f} orders/day, but the table says {row.orders_min:.0f}-"
        f"{row.orders_max:.0f}"
        for row in disagree.itertuples()
    ]


def read_report_lines(report, lang: str) -> list[str]:
    """What an order export's read report says: file, preset, time column, rows kept/dropped."""
    from ecomanalysis.safetext import plain

    _ = translator(lang)
    how = _("detected") if report.preset_auto else _("given")
    return [
        plain(report.file),
        _("preset: {preset} ({how}); {source}", preset=report.preset, how=how,
          source="; ".join(report.source)),
        _("time column: {column} — {format}", column=report.columns["order_time"],
          format=report.time_format),
        _("rows read {read}; kept {kept}; dropped {dropped}", read=f"{report.rows_read:,}",
          kept=f"{report.rows_kept:,}", dropped=f"{report.rows_dropped:,}"),
    ]


def queue_setup_line(aht_s: float, target: dict, chat: dict, shape_source: str) -> str:
    """One line: the pre-sale desk's handle times, target, occupancy cap, shrinkage, hour shape."""
    profile = chat["aht_by_concurrency"]
    return (f"AHT {aht_s:g} s with one chat open, {' / '.join(f'{x:g}' for x in profile)} s per "
            f"chat with 1..{chat['concurrency']} open; {target['sl_target']:.0%} within "
            f"{target['answer_within_s']:g} s, occupancy <= {target['max_occupancy']:.0%}, "
            f"shrinkage {target['shrinkage']:.0%}; hour shape: {shape_source}")


def cs_hourly_table(by_hour: pd.DataFrame, lang: str, queue_names: dict[str, str]):
    """Agents and heads per hour and queue (hours with any), as a rendered :func:`table`."""
    hourly = by_hour.pivot_table(index="hour", columns="queue", values=["agents", "staffed"],
                                 aggfunc="sum").loc[lambda d: d.sum(axis=1) > 0]
    hourly.columns = [f"{v}_{q}" for v, q in hourly.columns]
    return table(hourly.reset_index(), lang, headers={
        f"{v}_{q}": f"{header(v, lang)} · {queue_names.get(q, q)}" for v in ("agents", "staffed")
        for q in ("presale", "aftersale")})


def cs_rule_line(at, orders_per_day: float, first_above: int | None, max_orders: float) -> str:
    """One line: the model's customer-service people at ``orders_per_day`` (row ``at`` of
    :func:`ecomanalysis.staffing.cs_rule_of_thumb`), the rule of thumb, the seed's 1-3."""
    return (f"{orders_per_day} orders/day: model {int(at['model_headcount'])} people "
            f"(FTE {at['model_fte']:.1f}), rule of thumb {at['rule_low']:.1f}-{at['rule_high']:.1f}, "
            f"seed 1-3; the model first needs more than 3 at "
            f"{first_above if first_above is not None else '> ' + str(max_orders)} orders/day")


def shown(df: pd.DataFrame, precision: int | None = None, formatter=None):
    """A table already in display form (headers and cells translated, e.g. the roster tables of
    :func:`ecomanalysis.roster.tables.roster_section_tables`), without its index; numbers with
    ``precision`` decimals or formatted by ``formatter`` (a ``Styler.format`` argument)."""
    styler = df.style.hide(axis="index")
    if precision is not None or formatter is not None:
        styler = styler.format(formatter, precision=precision)
    return styler
