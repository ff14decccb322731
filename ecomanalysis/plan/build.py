"""Building a :class:`~ecomanalysis.plan.model.ShopPlan`: each part one small function.

The order of work: standards and order level -> requirements at that level (one call of the
staffing model) -> team now vs needed -> next hires from the team the shop has -> customer
service by interval -> warehouse -> the peak, sized on the permanent team (the larger of now and
needed per role) -> cost -> flags.  Nothing here is computed twice: the report, the workbook,
the CLI and the batch summary all read the plan.
"""

from __future__ import annotations

import math
import os
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from ecomanalysis import catalog, config, staffing, workload
from ecomanalysis.errors import InputError
from ecomanalysis.i18n import translator
from ecomanalysis.plan.model import CS_COLUMNS, HIRE_COLUMNS, TEAM_COLUMNS, ShopPlan

#: Roles whose work follows the day's orders (customer-service queues, warehouse): the roles a
#: ``*_ramp_days`` standard lists, i.e. the roles that can be staffed with temps for a peak.
RAMP_SUFFIX = "_ramp_days"
#: Roles ahead whose growth the plan explains: steps of more than this many people within
#: ``STEP_ORDERS_RISE`` more orders.
STEP_PEOPLE = 2
#: The peak planned when none is named; a shop whose calendar lacks it gets its next big event.
DEFAULT_EVENT = "double11"
STEP_ORDERS_RISE = 0.10
#: Order levels evaluated before the next hires are refined to the exact order level by
#: bisection (fewer levels: faster, same answer as long as headcount never falls with orders).
HIRE_GRID_LEVELS = 101


# --------------------------------------------------------------------------- inputs
def resolve_shop(shop):
    """None -> the bundled sample shop; a path -> the loaded profile; a profile as it is."""
    from ecomanalysis.shop import ShopProfile, load_sample_shop, load_shop

    if shop is None or shop == "":
        return load_sample_shop()
    if isinstance(shop, ShopProfile):
        return shop
    if isinstance(shop, (str, os.PathLike)):
        return load_shop(shop)
    raise InputError(f"shop has {type(shop).__name__}; expected a shop YAML path, a profile "
                     "or None (the bundled sample)")


def check_orders(orders_per_day) -> float | None:
    if orders_per_day is None:
        return None
    bad = isinstance(orders_per_day, bool) or not isinstance(orders_per_day, (int, float, np.number))
    if bad or not math.isfinite(float(orders_per_day)) or not (
            0 <= float(orders_per_day) <= staffing.MAX_ORDERS_PER_DAY):
        raise InputError(f"orders_per_day has {orders_per_day!r}; expected a number of orders per "
                         f"day from 0 to {staffing.MAX_ORDERS_PER_DAY:,}")
    return float(orders_per_day)


def order_level(shop, std, scenario: float | None) -> tuple[float, str]:
    from ecomanalysis.shop import current_orders_per_day

    if scenario is not None:
        return scenario, "scenario"
    orders, basis = current_orders_per_day(shop, std.int_value("recent_days_for_level"))
    if basis == "visitors":
        return float(shop.daily_visitors * std["conversion_rate"]), "visitors"
    return float(orders), ("profile" if basis == "profile" else "orders_file")


def history_end(shop) -> pd.Timestamp | None:
    from ecomanalysis.shop import shop_files

    daily = shop_files(shop).get("daily_orders")
    if daily is None or not len(daily):
        return None
    return pd.Timestamp(daily.index.max()).normalize()


# --------------------------------------------------------------------------- team
def team_now(shop, staffed: set[str], cover: pd.Series) -> tuple[dict[str, int], list[str]]:
    """The shop's team per model role: a catalogue role covered by model roles counts for the
    first of them; roles outside the model are returned apart."""
    now: dict[str, int] = {}
    outside = []
    for role, n in shop.team.items():
        if role in staffed:
            target = role
        else:
            targets = [r for r in catalog.split_list(cover.get(role)) if r in staffed]
            if not targets:
                outside.append(role)
                continue
            target = targets[0]
        now[target] = now.get(target, 0) + int(n)
    return now, outside


def day_scaling_roles(std) -> set[str]:
    t = std.table
    out: set[str] = set()
    for sid in t.index[t.index.str.endswith(RAMP_SUFFIX)]:
        out |= set(catalog.split_list(t.at[sid, "role_ids"]))
    return out


def covered_by(role: str, heads: dict[str, int], absorbed: pd.Series) -> str:
    """Who does ``role``'s work while it has nobody: its ``absorbed_by`` role, followed while
    that role has nobody either (the owner last)."""
    seen = {role}
    target = absorbed.get(role)
    while isinstance(target, str) and target and heads.get(target, 0) == 0 and target not in seen:
        seen.add(target)
        nxt = absorbed.get(target)
        if not isinstance(nxt, str) or not nxt:
            break
        target = nxt
    return target if isinstance(target, str) and target else "owner"


def team_table(req: pd.DataFrame, now: dict[str, int], rm: pd.DataFrame, std,
               next_req: pd.DataFrame | None) -> pd.DataFrame:
    r = req.set_index("role_id")
    meta = rm.set_index("role_id")
    roles = [x for x in r.index if r.at[x, "headcount"] > 0 or now.get(x, 0) > 0
             or r.at[x, "fte"] > 0.005]
    scaling = day_scaling_roles(std)
    wage = staffing.monthly_wage(std, rm[rm["role_id"].isin(roles)])
    needed = {x: int(r.at[x, "headcount"]) for x in roles}
    rows = []
    for x in roles:
        perm = max(now.get(x, 0), needed[x])
        nxt = int(next_req.set_index("role_id").at[x, "headcount"]) if next_req is not None else np.nan
        rows.append({
            "role_id": x, "name": meta.at[x, "name"], "group_id": meta.at[x, "group_id"],
            "now": now.get(x, 0), "needed": needed[x], "gap": needed[x] - now.get(x, 0),
            "fte": float(r.at[x, "fte"]), "next_stage": nxt, "peak": needed[x], "permanent": perm,
            "temps": 0, "day_scaling": x in scaling, "wage_cny_month": float(wage[x]),
            "covered_by": (covered_by(x, {**now, **needed}, meta["absorbed_by"])
                           if needed[x] == 0 and now.get(x, 0) == 0 else "")})
    return pd.DataFrame(rows, columns=TEAM_COLUMNS)


def next_hires(team: pd.DataFrame, orders: float, std, lang: str) -> pd.DataFrame:
    """Hires now (needed above the team) and the next hire of each role above the larger of
    the team now and the need, counted from the team the shop has."""
    rows = [{"role_id": t.role_id, "name": t.name, "headcount": t.needed, "hires": t.gap,
             "orders_per_day": round(orders), "when": "now"}
            for t in team.itertuples() if t.gap > 0]
    have = dict(zip(team["role_id"], team["permanent"], strict=True))
    top = max(2 * orders, orders + 100)
    trig = staffing.hire_triggers(top, std=std, lang=lang, max_levels=HIRE_GRID_LEVELS)
    ahead = trig[(trig["orders_per_day"] > orders)
                 & (trig["headcount"] > trig["role_id"].map(have).fillna(0))]
    for _, g in ahead.groupby("role_id", sort=False):
        first = g.iloc[0]
        rows.append({"role_id": first["role_id"], "name": first["name"],
                     "headcount": int(first["headcount"]), "hires": 1,
                     "orders_per_day": int(first["orders_per_day"]), "when": "later"})
    out = pd.DataFrame(rows, columns=HIRE_COLUMNS)
    out["_now"] = out["when"] != "now"
    return (out.sort_values(["_now", "orders_per_day", "role_id"], kind="stable")
            .drop(columns="_now").reset_index(drop=True))


def growth_steps(orders: float, std) -> pd.DataFrame:
    """Order levels up to ``STEP_ORDERS_RISE`` above ``orders`` where the team grows by more
    than ``STEP_PEOPLE`` people, with the roles that grow (the reason the plan names)."""
    top = orders * (1 + STEP_ORDERS_RISE)
    levels = np.unique(np.append(np.arange(math.floor(orders), math.floor(top) + 1), top))
    levels = levels[levels >= orders]
    if len(levels) < 2:
        return pd.DataFrame(columns=["orders_per_day", "people", "roles"])
    req = staffing.requirements(levels, std=std)
    piv = req.pivot(index="orders_per_day", columns="role_id", values="headcount")
    grow = piv.iloc[-1] - piv.iloc[0]
    total = int(grow.sum())
    if total <= STEP_PEOPLE:
        return pd.DataFrame(columns=["orders_per_day", "people", "roles"])
    return pd.DataFrame([{"orders_per_day": float(top), "people": total,
                          "roles": ";".join(grow[grow > 0].index)}])


# --------------------------------------------------------------------------- customer service
def cs_tables(orders: float, std) -> tuple[pd.DataFrame, pd.DataFrame]:
    cs = workload.cs_intervals([orders], std)
    cs = cs[cs["open"]].rename(columns={"start_h": "interval_start_h", "volume": "chats"})
    cs = cs.assign(staffed=workload.staffed_heads(cs["agents"].to_numpy(), std))
    cs = cs[CS_COLUMNS].reset_index(drop=True)
    hourly = (cs.assign(hour=np.floor(cs["interval_start_h"]).astype(int))
              .groupby(["queue", "hour"], as_index=False, sort=False)
              .agg(chats=("chats", "sum"), agents=("agents", "max"),
                   staffed=("staffed", "max"), service_level=("service_level", "min"),
                   occupancy=("occupancy", "mean"), mean_chats_held=("mean_chats_held", "mean")))
    return cs, hourly


def simulated_check(cs: pd.DataFrame, std, seed: int = 0) -> pd.DataFrame:
    """The analytic staffing of each queue checked in a simulated day (queues carried over
    between intervals, log-normal handle times with ``cs_handle_time_cv``, least-loaded
    routing, the share of agents on duty available ``cs_availability_share``, customers who
    abandon after an exponential patience of mean ``cs_patience_s``, 0 = nobody abandons):
    ``sl_simulated`` at the analytic agents, and ``agents_checked`` /
    ``sl_checked`` after adding agents where the simulated day misses the target."""
    from ecomanalysis.simulate import simulate_day, staff_to_target

    out = cs.copy()
    for c in ("sl_simulated", "sl_simulated_low", "sl_simulated_high", "sl_checked"):
        out[c] = np.nan
    out["agents_checked"] = out["agents"]
    for q, g in cs.groupby("queue", sort=False):
        if g["chats"].sum() <= 0:
            continue
        kw = dict(workload.simulation_options(std, q), interval_s=std["planning_interval_s"], seed=seed)
        arrivals, agents = g["chats"].to_numpy(), g["agents"].to_numpy()
        chk = staff_to_target(arrivals, agents, sl_target=std["cs_service_level_target"], **kw)
        # nothing added: the check's day is the analytic staffing's day (same seed, customers)
        sim = chk if not chk["added"].any() else simulate_day(arrivals, agents, **kw)
        out.loc[g.index, "sl_simulated"] = sim["service_level"].to_numpy()
        out.loc[g.index, "sl_simulated_low"] = sim["service_level_low"].to_numpy()
        out.loc[g.index, "sl_simulated_high"] = sim["service_level_high"].to_numpy()
        out.loc[g.index, "agents_checked"] = agents + chk["added"].to_numpy()
        out.loc[g.index, "sl_checked"] = chk["service_level"].to_numpy()
    return out


CHECK_COLUMNS = ("sl_simulated", "sl_simulated_low", "sl_simulated_high", "sl_checked",
                 "agents_checked")


def cached_check(cs: pd.DataFrame, std, seed: int = 0) -> pd.DataFrame:
    """:func:`simulated_check` from the content cache when the same chats, agents, standards
    and simulation code gave it before (a re-run of a shop and scenario then needs neither the
    simulation nor numba's start-up)."""
    from ecomanalysis import cache

    def key() -> str:
        used = {q: workload.simulation_options(std, q) for q in sorted(cs["queue"].unique())}
        return cache.make_key("simcheck", cache.frame_hash(cs), used, std["planning_interval_s"],
                              std["cs_service_level_target"], int(seed),
                              cache.code_version("ecomanalysis.simulate", "ecomanalysis.plan"))

    return cache.memo("simcheck", key, lambda: simulated_check(cs, std, seed),
                      lambda df: ({"check": df[list(CHECK_COLUMNS)]}, {}),
                      lambda entry: cs.assign(**{c: entry["check"][c].to_numpy()
                                                 for c in CHECK_COLUMNS}))


def sl_differs(cs: pd.DataFrame, std) -> pd.Series:
    """Intervals where the model's service level lies outside the simulated day's confidence
    interval and more than ``cs_sim_gap_named`` from its estimate."""
    gap = (cs["service_level"] - cs["sl_simulated"]).abs()
    outside = (cs["service_level"] < cs["sl_simulated_low"]) | (cs["service_level"] > cs["sl_simulated_high"])
    return (gap > std["cs_sim_gap_named"]) & outside


def hourly_check(cs: pd.DataFrame, std) -> pd.DataFrame:
    """Per queue and hour: the lowest analytic and simulated service level, the agents the
    simulation check asks for, and ``sl_differs`` (:func:`sl_differs` in some interval)."""
    return (cs.assign(hour=np.floor(cs["interval_start_h"]).astype(int), sl_differs=sl_differs(cs, std))
            .groupby(["queue", "hour"], as_index=False, sort=False)
            .agg(sl_simulated=("sl_simulated", "min"), agents_checked=("agents_checked", "max"),
                 sl_checked=("sl_checked", "min"), sl_differs=("sl_differs", "any")))


# --------------------------------------------------------------------------- the peak
def peak_part(shop, team: pd.DataFrame, orders: float, event: str, lang: str,
              overrides: dict[str, Any], options: dict[str, Any] | None = None):
    """The peak plan sized on the permanent team; returns ``(peak, error)``.  ``options`` go
    to :func:`~ecomanalysis.forecast.peak.peak_plan` (``year``, ``today``, ``scenario``,
    ``events``)."""
    from ecomanalysis.forecast.peak import peak_plan

    # a role that follows the day's orders goes into the peak plan even with nobody of its own
    # (after-sale done by the pre-sale agent on normal days): its peak-day need gets temps
    # there too, so the peak's temps, cost, hire-by and service level count what the team has
    perm = {r: int(p) for r, p, scales in zip(team["role_id"], team["permanent"],
                                              team["day_scaling"], strict=True) if p > 0 or scales}
    shop_p = shop.model_copy(update={"team": perm})
    options = dict(options or {})
    _ = translator(lang)
    options["events"] = options.get("events") or shop.event_calendar() or ["none"]
    if options["events"] == ["none"]:
        return None, _("the shop has no shopping calendar: platform {platform} has no home market "
                       "and the shop file names no country (add country: CN, US, BR ...)",
                       platform=shop.platform)
    try:
        # the shop's own market calendar (never China for every shop); its next big event when
        # the one asked for is not in it
        event = _event_in_calendar(shop, event, options["events"], options.get("today"))
        pk = peak_plan(shop_p, event=event, permanent="team", lang=lang,
                       orders_per_day=orders, **options, **overrides)
        return replace(pk, messages=peak_messages(pk, team, lang)), ""
    except InputError as exc:
        if lang == "en":
            return None, "; ".join(exc.problems)
        # the forecast layer writes its reasons in English: name the command that shows them
        return None, _("the forecast could not be made from this shop's data (ecomanalysis peak "
                       "--shop FILE --lang en shows why)")


#: The peak model's messages that speak of the team it was given: the plan gives it the
#: permanent team (not the team now), and the roles that do not follow the day's orders keep
#: their normal team (the model's peak-day need of them is no figure of the plan).
PEAK_TEAM_MESSAGE = "permanent team: the shop's current team"
PEAK_GAP_PREFIX = "the current team is below the model's requirement"
PEAK_NOT_TEMPS_PREFIX = "not staffed with temps"


def peak_messages(pk, team: pd.DataFrame, lang: str) -> list[str]:
    """The peak model's messages as the plan stands behind them: its team is the permanent
    team (per role the larger of now and the normal-day need), the gap before the event named
    with role names and the permanent team, no peak-day need of a role that does not scale."""
    from ecomanalysis.i18n import join

    _ = translator(lang)
    names = dict(zip(team["role_id"], team["name"], strict=True))
    out = []
    for m in pk.messages:
        if m == PEAK_TEAM_MESSAGE:
            out.append(_("permanent team: per role the larger of the team now and the need on "
                         "normal days"))
        elif m.startswith(PEAK_GAP_PREFIX):
            # only the roles staffed with temps: the others keep their normal team
            gap = pk.temps[(pk.temps["structural_gap"] > 0) & pk.temps["temp_staffable"]]
            if len(gap):
                out.append(_("the normal days before the event need more people than the permanent "
                             "team ({roles}): permanent hires, counted in the temps here",
                             roles=join([f"{names.get(r.unit, r.unit)} {r.permanent} → "
                                         f"{r.baseline_required}" for r in gap.itertuples()],
                                        lang)))
        elif not m.startswith(PEAK_NOT_TEMPS_PREFIX):
            out.append(m)
    return out


def _event_in_calendar(shop, event: str, events, today) -> str:
    from ecomanalysis.forecast import load_events, next_peak

    table = load_events(events)
    if (table["event_id"] == event).any() or event != DEFAULT_EVENT:
        return event  # an event asked for by name must be in the calendar (else an error)
    return next_peak(shop, today, events=table).event_id


def apply_peak(team: pd.DataFrame, peak) -> pd.DataFrame:
    """Peak-day need per role: day-scaling roles from the peak window (never below their normal
    need), the others keep their normal need; temps = max(0, peak - permanent)."""
    team = team.copy()
    if peak is not None:
        win = peak.daily.loc[peak.peak_window[0]:peak.peak_window[1]]
        for i, t in team.iterrows():
            if t["day_scaling"] and t["role_id"] in win.columns:
                team.at[i, "peak"] = max(int(t["needed"]), int(win[t["role_id"]].max()))
    team["temps"] = (team["peak"] - team["permanent"]).clip(lower=0).astype(int)
    return team


# --------------------------------------------------------------------------- cost
def cost_table(team: pd.DataFrame, std) -> pd.DataFrame:
    """Cost per role now and needed.  The owner is unpaid (``owner_cost_cny_month``); the work
    the owner does for roles with nobody of their own is valued at those roles' wages and
    marked ``imputed``."""
    rows = []
    owner_cost = float(std["owner_cost_cny_month"])
    for t in team.itertuples():
        if t.role_id == "owner":
            rows.append({"role_id": "owner", "name": t.name, "now": t.now,
                         "cost_now_cny_month": t.now * owner_cost, "needed": t.needed,
                         "cost_needed_cny_month": t.needed * owner_cost, "imputed": False})
            continue
        rows.append({"role_id": t.role_id, "name": t.name, "now": t.now,
                     "cost_now_cny_month": t.now * t.wage_cny_month, "needed": t.needed,
                     "cost_needed_cny_month": t.needed * t.wage_cny_month, "imputed": False})
        if t.now == 0 or t.needed == 0:  # work done on the side: by the owner or a colleague
            fte_now = t.fte if t.now == 0 else 0.0
            fte_need = t.fte if t.needed == 0 else 0.0
            if fte_now > 0 or fte_need > 0:
                rows.append({"role_id": t.role_id, "name": t.name, "now": 0,
                             "cost_now_cny_month": fte_now * t.wage_cny_month, "needed": 0,
                             "cost_needed_cny_month": fte_need * t.wage_cny_month,
                             "imputed": True, "fte_now": fte_now, "fte_needed": fte_need})
    return pd.DataFrame(rows)


def with_owner_share(cost: pd.DataFrame, team: pd.DataFrame, std,
                     absorbed: pd.Series | None = None) -> pd.DataFrame:
    """Imputed work counts only where the owner (unpaid) does it; work a paid colleague does on
    the side is already in that colleague's wage.  Who does a role's work is found in the team
    it is counted for: the team now for the cost now, the team needed for the cost needed (the
    small shop's packing is done by its paid keeper now and by the customer-service hire who
    packs in the team needed, never by the owner).  The owners do at most
    ``owner_max_cover_fte`` each: where the team today leaves them more, the work valued now is
    scaled down to that (the rest is not done today, and is in the gap, not in the cost: a
    3-person shop asked about 800 orders a day was costed 123,098 CNY now for 17 FTE of the
    owner's 'work'); the team needed is sized so that the owner's share fits."""
    if absorbed is None:
        absorbed = workload.load_role_models().set_index("role_id")["absorbed_by"]
    heads = {"now": dict(zip(team["role_id"], team["now"], strict=True)),
             "needed": dict(zip(team["role_id"], team["needed"], strict=True))}

    def owner_does(role: str, which: str) -> bool:
        cover = covered_by(role, heads[which], absorbed)
        return cover == "owner" or heads[which].get(cover, 0) == 0  # nobody there: the owner

    cost = cost.copy()
    for which in ("now", "needed"):
        fte_col = f"fte_{which}"
        if fte_col not in cost:
            continue
        other = cost["imputed"] & ~cost["role_id"].map(lambda r, w=which: owner_does(r, w))
        cost.loc[other, [fte_col, f"cost_{which}_cny_month"]] = 0.0
        mine = cost["imputed"] & (cost[fte_col].fillna(0) > 0)
        most = std["owner_max_cover_fte"] * max(1, int(heads[which].get("owner", 0)))
        total = float(cost.loc[mine, fte_col].sum())
        if which == "now" and total > most:  # the team needed is sized so the owner fits
            cost.loc[mine, [fte_col, f"cost_{which}_cny_month"]] *= most / total
    keep = ~cost["imputed"] | (cost[[c for c in ("fte_now", "fte_needed") if c in cost]]
                               .fillna(0).sum(axis=1) > 0)
    return cost[keep].reset_index(drop=True)


def revenue_month(orders: float, std) -> float:
    return float(orders * std["shop_open_days_per_month"] * std["average_order_value_cny"])


# --------------------------------------------------------------------------- assemble
def make_plan(shop=None, *, orders_per_day=None, lang: str = "zh", event: str = DEFAULT_EVENT,
              as_of=None, peak: bool = True, simulate: bool = True,
              peak_options: dict[str, Any] | None = None,
              **standard_overrides: Any) -> ShopPlan:
    """The staffing plan of one shop and scenario: every figure its report shows.

    Parameters
    ----------
    shop
        None (the bundled sample shop), a shop YAML path or a loaded
        :class:`~ecomanalysis.shop.ShopProfile`.
    orders_per_day
        A scenario's orders per day; None takes the shop's own level.  It flows into every
        part, the peak included (the shop's history is scaled to this level).
    lang
        ``zh`` or ``en``: names, flags and every text of the plan.
    event
        The peak to plan for (an ``event_id`` of the calendar).
    as_of
        The plan date (default: today); data older than it is flagged.
    peak
        False skips the peak (faster; the peak columns then equal the normal need).
    simulate
        Check the customer-service staffing in a simulated day (:func:`simulated_check`).
    peak_options
        ``year``, ``today``, ``scenario`` (forecast column) or ``events`` (calendar) of the
        peak (:func:`ecomanalysis.forecast.peak.peak_plan`).
    **standard_overrides
        ``standard_id=value`` overrides of ``data/standards.csv``.
    """
    from ecomanalysis.plan.flags import data_notes, make_flags

    if lang not in config.LANGS:
        raise InputError(f"lang {lang!r}: expected one of {', '.join(config.LANGS)}")
    scenario = check_orders(orders_per_day)
    shop = resolve_shop(shop)
    std = staffing.standards(shop, **standard_overrides)
    orders, basis = order_level(shop, std, scenario)
    stage = staffing.stage_of(shop, orders_per_day=orders, lang=lang)
    rm = workload.load_role_models(lang=lang)
    staffed = set(rm.loc[rm["model"].isin(workload.STAFFED_MODELS), "role_id"])
    now, _outside = team_now(shop, staffed, rm.set_index("role_id")["covered_by"])
    req = staffing.requirements([orders], std=std)
    next_req = (staffing.requirements([max(stage.next_stage_orders, orders)], std=std)
                if stage.next_stage_orders else None)
    team = team_table(req, now, rm, std, next_req)
    pk, pk_err = (peak_part(shop, team, orders, event, lang, standard_overrides, peak_options)
                  if peak else (None, ""))
    team = apply_peak(team, pk)
    cs, cs_hourly = cs_tables(orders, std)
    if simulate:
        cs = cached_check(cs, std)
        cs = cs.assign(sl_differs=sl_differs(cs, std))
        cs_hourly = cs_hourly.merge(hourly_check(cs, std), on=["queue", "hour"], how="left")
    wh = staffing.warehouse_breakdown([orders], std=std).iloc[0]
    cost = with_owner_share(cost_table(team, std), team, std, rm.set_index("role_id")["absorbed_by"])
    revenue = revenue_month(orders, std)
    cost_needed = float(cost["cost_needed_cny_month"].sum())
    as_of_ts = pd.Timestamp(as_of).normalize() if as_of else pd.Timestamp.now().normalize()
    plan = ShopPlan(
        shop=shop, std=std, lang=lang, orders_per_day=orders, orders_basis=basis, stage=stage,
        team=team, next_hires=next_hires(team, orders, std, lang), cs=cs, cs_hourly=cs_hourly,
        warehouse=wh, cost=cost, cost_now_cny_month=float(cost["cost_now_cny_month"].sum()),
        cost_needed_cny_month=cost_needed, revenue_cny_month=revenue,
        labour_share=cost_needed / revenue if revenue > 0 else float("nan"), peak=pk,
        peak_error=pk_err, history_end=history_end(shop), as_of=as_of_ts,
        shape_source=std.shape_source, steps=growth_steps(orders, std),
        scenario={"orders_per_day": scenario, **standard_overrides})
    return replace(plan, flags=make_flags(plan), data_notes=data_notes(plan))
