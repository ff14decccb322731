"""Staffing: workload + queueing -> headcount per role, the shop's stage, next hires and cost.

Public API::

    from ecomanalysis import staffing
    staffing.requirements(250)                      # role_id, orders_per_day, hours_per_day, fte, headcount
    staffing.requirements([0, 100, 250, 500])       # many order levels at once (vectorised)
    staffing.hire_triggers(1000)                    # role_id, headcount, orders_per_day
    staffing.stage_of(shop)                         # seed-002 stage and the roles to add next
    staffing.compare_with_playbook()                # the seed's team beside the model's, gaps named
    staffing.labour_cost([100, 250], city_tier="tier1")
    staffing.sensitivity(250)                       # headcount with each standard at low / high
    staffing.team_gap(shop)                         # the shop's team now beside the required team
    staffing.requirements_series(orders_series)     # day by day through a peak (lags, cut-off)
    staffing.cs_by_hour(250)                        # a day of chats: agents and heads per hour
    staffing.cs_rule_of_thumb([50, 250])            # model vs "50-80 chats per agent-day" vs seed
    staffing.warehouse_breakdown([250])             # packing, returns, overhead, cut-off packers

Every function takes ``shop=`` (a :class:`~ecomanalysis.shop.ShopProfile`) and standard
overrides as keyword arguments (``presale_aht_s=200``); see :mod:`ecomanalysis.workload` for
the model.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ecomanalysis import catalog, workload
from ecomanalysis.errors import InputError
from ecomanalysis.i18n import N_, translator
from ecomanalysis.workload import Standards

REQUIREMENT_COLUMNS = ["role_id", "orders_per_day", "hours_per_day", "fte", "headcount"]
#: Sensitivity: categories of standards that never change headcount or cost.
NO_EFFECT_CATEGORIES = ("cross_check",)
#: Largest orders per day any entry point accepts (a bound checked before any work).
MAX_ORDERS_PER_DAY = 100_000
#: Series mode only (steady levels are unaffected).
SERIES_ONLY = ("delivery_days", "return_lag_days")


# --------------------------------------------------------------------------- standards
def standards(shop=None, *, category: str | None = None, city_tier: str | None = None,
              **overrides: Any) -> Standards:
    """The standards in force for ``shop`` with ``overrides`` (see
    :func:`ecomanalysis.workload.resolve_standards`), including what the shop's own files
    measure (chats per order, hour shapes)."""
    std = workload.resolve_standards(overrides, shop=shop, category=category, city_tier=city_tier)
    if shop is None:
        return std
    return _with_measured(std, shop, overrides)


def _with_measured(std: Standards, shop, overrides: dict) -> Standards:
    """Apply what the shop's files measure (chats per order) unless set explicitly."""
    from ecomanalysis.shop import measured_rates

    explicit = set(shop.standards) | set(overrides)
    rates = measured_rates(shop, std.int_value("recent_days_for_level"))
    extra = {}
    if "presale_per_order" in rates and "presale_inquiry_rate" not in explicit:
        extra["presale_inquiry_rate"] = min(1.0, rates["presale_per_order"] * std["conversion_rate"])
    if "aftersale_per_order" in rates and not {"aftersale_contacts_per_order",
                                               "aftersale_contacts_per_return"} & explicit:
        # keep the split between returns and other contacts, match the measured total
        measured = rates["aftersale_per_order"]
        per_return = std.return_rate * std["aftersale_contacts_per_return"]
        if measured >= per_return:
            extra["aftersale_contacts_per_order"] = measured - per_return
        else:
            extra["aftersale_contacts_per_order"] = 0.0
            extra["aftersale_contacts_per_return"] = measured / std.return_rate if std.return_rate else 0.0
    if not extra:
        return std
    from dataclasses import replace

    return replace(std.with_overrides(**extra), measured=extra)


def _std(shop, std: Standards | None, overrides: dict) -> Standards:
    if std is not None:
        return std.with_overrides(**overrides) if overrides else std
    return standards(shop, **overrides)


def current_orders(shop, std: Standards | None = None) -> float:
    """The shop's orders per day now (profile, visitors x conversion, or its order file)."""
    from ecomanalysis.shop import current_orders_per_day

    std = std or standards(shop)
    orders, basis = current_orders_per_day(shop, std.int_value("recent_days_for_level"))
    if basis == "visitors":
        orders = shop.daily_visitors * std["conversion_rate"]
    return float(orders)


# --------------------------------------------------------------------------- the model
@dataclass
class _Result:
    levels: np.ndarray
    hours_month: dict[str, np.ndarray] = field(default_factory=dict)
    fte: dict[str, np.ndarray] = field(default_factory=dict)
    headcount: dict[str, np.ndarray] = field(default_factory=dict)


def _threshold_key(role_id: str) -> str:
    return f"appears_at_orders_{role_id}"


def _span_key(std: Standards, role_id: str) -> str:
    t = std.table
    for sid, cat, ids in zip(t.index, t["category"], t["role_ids"], strict=True):
        if cat == "span" and role_id in catalog.split_list(ids):
            return sid
    raise InputError(f"standards.csv: no 'span' standard lists role {role_id!r} in role_ids")


def _own(daily: pd.DataFrame, std: Standards, rm: pd.DataFrame) -> _Result:
    """Each queue-, workload- and fixed-model role's work and its own headcount (before the
    owner's relief and the span roles)."""
    levels = daily["orders"].to_numpy(dtype=float)
    res = _Result(levels)
    hours = workload.role_hours(daily, std)
    for model, role in rm[["model", "role_id"]].itertuples(index=False):
        if model in ("queue", "workload"):
            h = hours[role].to_numpy()
            fte = workload.fte_from_hours(h, std, role)
            res.hours_month[role] = h
            res.fte[role] = fte
            res.headcount[role] = workload.dedicated_headcount(fte, std, role)
        elif model == "fixed":
            key = _threshold_key(role)
            if key not in std:
                raise InputError(f"standards.csv: fixed role {role!r} needs a standard {key!r}")
            n = (levels >= std[key]).astype(int)
            res.headcount[role] = n
            res.fte[role] = n.astype(float)
    return res


def _compute(daily: pd.DataFrame, std: Standards) -> _Result:
    rm = workload.load_role_models()
    res = _own(daily, std, rm)
    levels = res.levels
    days = std["shop_open_days_per_month"]
    _owner_overflow(res, rm, std)
    # span of control, resolved in dependency order; HR/admin ('*') last
    span = rm[rm["model"] == "span"].set_index("role_id")["supervises"]
    pending = dict(span)
    while pending:
        progressed = False
        for role, sup in list(pending.items()):
            members = catalog.split_list(sup)
            if members == ["*"]:
                if len(pending) > 1:
                    continue
                team = sum(v for k, v in res.headcount.items() if k not in ("owner", role))
                fte = team / std[_span_key(std, role)]
                res.fte[role] = fte
                res.headcount[role] = workload.dedicated_headcount(fte, std, role)
            else:
                if any(m in pending for m in members):
                    continue
                team = sum(res.headcount.get(m, 0) for m in members)
                n = np.floor(np.asarray(team, dtype=float) / std[_span_key(std, role)] + 1e-9)
                res.headcount[role] = n.astype(int) * np.ones_like(levels, dtype=int)
                res.fte[role] = res.headcount[role].astype(float)
            del pending[role]
            progressed = True
        if not progressed:
            raise InputError(f"role_models.csv: circular 'supervises' among {', '.join(pending)}")
    per_person_day = std["hours_per_day"] * std["workdays_per_month"] / days
    for role in res.headcount:
        if role not in res.hours_month:
            res.hours_month[role] = np.asarray(res.fte[role], dtype=float) * per_person_day * days
        res.headcount[role] = np.asarray(res.headcount[role], dtype=int) * np.ones(len(levels), dtype=int)
        res.fte[role] = np.asarray(res.fte[role], dtype=float) * np.ones(len(levels))
    return res


#: The first hire when the owner's work outgrows one person: customer service, who also packs
#: (seed 002, stage 2: "只需要招客服 ... 成本很低可以承受, 并且可以打包"; role_models.csv has
#: the warehouse work absorbed by pre-sale customer service for that reason).
FIRST_HIRE_ROLE = "presale_cs"


def owner_work(headcount: dict[str, np.ndarray], fte: dict[str, np.ndarray], rm: pd.DataFrame,
               ) -> dict[str, np.ndarray]:
    """FTE per role of the work that lands on the owner, per level: each workload- or
    queue-driven role without a person of its own whose ``absorbed_by`` chain (followed while
    the absorbing role has nobody either) ends at the owner."""
    absorbed = rm.set_index("role_id")["absorbed_by"]
    driven = rm.loc[rm["model"].isin(["queue", "workload"]), "role_id"]
    out = {}
    for role in driven:
        if role not in fte:
            continue
        on_owner = np.asarray(headcount[role]) == 0
        target, seen = absorbed.get(role), {role}
        while isinstance(target, str) and target and target != "owner" and target not in seen:
            seen.add(target)
            on_owner = on_owner & (np.asarray(headcount.get(target, 0)) == 0)
            target = absorbed.get(target)
        out[role] = np.where(on_owner, np.asarray(fte[role], dtype=float), 0.0)
    return out


def owner_load(headcount: dict[str, np.ndarray], fte: dict[str, np.ndarray], rm: pd.DataFrame,
               ) -> np.ndarray:
    """Total FTE on the owner per level (see :func:`owner_work`)."""
    work = owner_work(headcount, fte, rm)
    return np.sum(list(work.values()), axis=0) if work else np.zeros(1)


def _own_person_order(std: Standards) -> list[str]:
    """Queue- and workload-driven roles by the steady order level at which their own work first
    gets a person of their own, lowest first (ties and roles that never do, in the table's
    order).  Levels are bracketed on a doubling grid up to 4,096 orders a day (further only for
    a role whose work still grows there) and bisected until no two brackets overlap (or to a
    relative 1e-6).  Computed once per standards object."""
    if "own_person_order" in std._memo:
        return std._memo["own_person_order"]
    rm = workload.load_role_models()
    roles = list(rm.loc[rm["model"].isin(["queue", "workload"]), "role_id"])
    grid = np.concatenate([[0.0], 2.0 ** np.arange(-6, 13)])
    res = _own(workload.drivers(grid, std), std, rm)
    growing = [r for r in roles if not res.headcount[r][-1] and res.fte[r][-1] > res.fte[r][-2]]
    if growing:  # work that still grows at 4,096 orders a day: look as far as 131,072
        grid = np.concatenate([grid, 2.0 ** np.arange(13, 18)])
        res = _own(workload.drivers(grid, std), std, rm)
    lo, hi = {}, {}
    for r in roles:
        own = res.headcount[r] >= 1
        i = int(np.argmax(own)) if own.any() else -1
        lo[r], hi[r] = (math.inf, math.inf) if i < 0 else (0.0, 0.0) if i == 0 else (grid[i - 1], grid[i])

    def open_(r: str) -> bool:
        return (math.isfinite(hi[r]) and hi[r] - lo[r] > 1e-6 * max(1.0, hi[r])
                and any(lo[q] < hi[r] and lo[r] < hi[q] for q in roles if q != r))

    for _ in range(60):
        todo = [r for r in roles if open_(r)]
        if not todo:
            break
        mids = np.array([(lo[r] + hi[r]) / 2 for r in todo])
        own = _own(workload.drivers(mids, std), std, rm).headcount
        for j, r in enumerate(todo):
            if own[r][j] >= 1:
                hi[r] = mids[j]
            else:
                lo[r] = mids[j]
    std._memo["own_person_order"] = out = sorted(roles, key=lambda r: hi[r])
    return out


def relief_order(std: Standards) -> list[str]:
    """The order in which the owner's relief staffs roles below their own threshold: the first
    hire (:data:`FIRST_HIRE_ROLE`), then the role whose own work gets a person at the lowest
    order level (the hire the shop would make next anyway comes earlier).  Fixed for the
    standards, so a role staffed early at one order level stays staffed at every higher one."""
    order = _own_person_order(std)
    return ([FIRST_HIRE_ROLE] if FIRST_HIRE_ROLE in order else []) + [r for r in order if r != FIRST_HIRE_ROLE]


def _relieve(res: _Result, roles: list[str], load, cap: float) -> None:
    """Staff ``roles`` in order, each at the levels where ``load(res)`` still exceeds ``cap``
    and a person of that role takes some of it away."""
    for role in roles:
        now = load(res)
        over = now > cap
        if not over.any():
            return
        hc = np.asarray(res.headcount[role])
        trial = dict(res.headcount)
        trial[role] = np.maximum(hc, 1)
        eased = load(_Result(res.levels, res.hours_month, res.fte, trial)) < now - 1e-12
        res.headcount[role] = np.where(over & eased, np.maximum(hc, 1), hc)


def _owner_overflow(res: _Result, rm: pd.DataFrame, std: Standards) -> None:
    """Where the work on the owner exceeds ``owner_max_cover_fte`` the owner cannot do it all,
    however it is split: roles get a person below their own threshold in :func:`relief_order`
    until the owner's share fits.  The first hire, customer service, packs while its own chats
    and the packing fit in one person plus ``fte_overtime_tolerance``; beyond that the roles of
    other teams it covers (the keeper) get a person, in the same order.  Both rules only add
    people as orders rise: one order more never needs fewer of any role."""
    order = relief_order(std)
    _relieve(res, order, lambda r: owner_load(r.headcount, r.fte, rm),
             std["owner_max_cover_fte"] + 1e-9)
    if FIRST_HIRE_ROLE in res.headcount:
        meta = rm.set_index("role_id")
        group = meta.at[FIRST_HIRE_ROLE, "group_id"]
        covered = set(meta.index[(meta["absorbed_by"] == FIRST_HIRE_ROLE) & (meta["group_id"] != group)])
        _relieve(res, [r for r in order if r in covered], lambda r: _first_hire_load(r, covered),
                 1.0 + std["fte_overtime_tolerance"] + 1e-9)


def _first_hire_load(res: _Result, covered: set[str]) -> np.ndarray:
    """The first hire's own work plus the work of other teams its people cover (the packing
    for customer service) where it has people (0 where it has none: that work is the
    owner's).  Work of its own team (after-sale chats for pre-sale) is shared by the same
    people and not counted here."""
    heads = np.asarray(res.headcount[FIRST_HIRE_ROLE])
    total = np.asarray(res.fte[FIRST_HIRE_ROLE], dtype=float).copy()
    for r in covered:
        if r in res.fte:
            total = total + np.where(np.asarray(res.headcount[r]) == 0, np.asarray(res.fte[r], dtype=float), 0.0)
    return np.where(heads > 0, total, 0.0)


def _frame(res: _Result, std: Standards, lang: str | None, sort: bool = True) -> pd.DataFrame:
    rm = workload.load_role_models(lang=lang).set_index("role_id")
    days = std["shop_open_days_per_month"]
    roles = [r for r in rm.index if rm.at[r, "model"] in workload.STAFFED_MODELS]
    n = len(res.levels)
    hc = np.concatenate([res.headcount[r] for r in roles])
    h_day = np.concatenate([res.hours_month[r] for r in roles]) / days
    driven = np.repeat([rm.at[r, "model"] in ("queue", "workload") for r in roles], n)
    out = pd.DataFrame({
        "role_id": np.repeat(roles, n),
        "orders_per_day": np.tile(res.levels, len(roles)),
        "hours_per_day": h_day,
        "fte": np.concatenate([res.fte[r] for r in roles]),
        "headcount": hc,
        "model": np.repeat(rm.loc[roles, "model"].to_numpy(), n),
        "group_id": np.repeat(rm.loc[roles, "group_id"].to_numpy(), n),
        "absorbed_hours_per_day": np.where(driven & (hc == 0), h_day, 0.0),
        "absorbed_by": np.where(driven, np.repeat(rm.loc[roles, "absorbed_by"].to_numpy(), n), None),
    })
    if lang is not None:
        out.insert(1, "name", np.repeat(rm.loc[roles, "name"].to_numpy(), n))
    if not sort:
        return out
    return out.sort_values(["orders_per_day", "role_id"], kind="stable").reset_index(drop=True)


def requirements(orders_per_day, shop=None, *, lang: str | None = None,
                 std: Standards | None = None, **overrides: Any) -> pd.DataFrame:
    """People each role needs at steady order levels.

    Parameters
    ----------
    orders_per_day
        A number or a sequence of order levels (>= 0); None takes the shop's current level.
    shop
        Optional :class:`~ecomanalysis.shop.ShopProfile`.
    lang
        ``"zh"`` or ``"en"`` to add a ``name`` column.
    std
        Pre-resolved :class:`~ecomanalysis.workload.Standards` (faster in loops).
    **overrides
        ``standard_id=value``.

    Returns
    -------
    pandas.DataFrame
        One row per (order level, staffed role): ``role_id, orders_per_day, hours_per_day``
        (hours of the role's work per calendar day), ``fte, headcount``, and ``model``,
        ``group_id``, ``absorbed_hours_per_day`` (work done by ``absorbed_by`` while the role has
        no person of its own).
    """
    std = _std(shop, std, overrides)
    if orders_per_day is None:
        if shop is None:
            raise InputError("orders_per_day is missing; give a number of orders per day or a shop")
        orders_per_day = current_orders(shop, std)
    daily = workload.drivers(orders_per_day, std)
    return _frame(_compute(daily, std), std, lang)


def requirements_series(orders: pd.Series, shop=None, *, lang: str | None = None,
                        std: Standards | None = None, **overrides: Any) -> pd.DataFrame:
    """People each role needs day by day for a daily series of orders (a forecast, a peak):
    after-sale contacts and returns lag their orders, shipments follow the cut-off.

    Returns the columns of :func:`requirements` plus ``date`` (the series' index), one row per
    (date, role).
    """
    std = _std(shop, std, overrides)
    daily = workload.series_drivers(orders, std).reset_index(drop=True)
    out = _frame(_compute(daily, std), std, lang, sort=False)
    out["date"] = np.tile(np.asarray(orders.index), out["role_id"].nunique())
    return out.sort_values(["date", "role_id"], kind="stable").reset_index(drop=True)


def team_size(req: pd.DataFrame) -> pd.DataFrame:
    """Total headcount and FTE per order level of a :func:`requirements` table."""
    return (req.groupby("orders_per_day", as_index=False)
            .agg(headcount=("headcount", "sum"), fte=("fte", "sum")))


# --------------------------------------------------------------------------- hire triggers
def hire_trigger_grid(triggers: pd.DataFrame) -> pd.DataFrame:
    """:func:`hire_triggers` as a grid: one row per role ``name`` (the earliest first hire on
    top), one column per headcount 1, 2, 3 ..., the order level it is reached at (NaN: never
    within the range)."""
    grid = triggers.pivot_table(index="name", columns="headcount", values="orders_per_day",
                                aggfunc="first")
    if grid.empty:
        return grid
    return grid.loc[grid[1].sort_values().index]


def _check_trigger_rows(top: float, std: Standards) -> None:
    """Refuse a scan whose hires (one row per person of each role up to ``top`` orders/day;
    headcount never falls as orders rise, so the top level's team is the row count) exceed
    ``triggers_rows`` of data/input_bounds.csv, before any grid is computed."""
    from ecomanalysis.bounds import bound

    res = _compute(workload.drivers([float(top)], std), std)
    rows = int(sum(int(v[0]) for v in res.headcount.values()))
    if rows > (most := int(bound("triggers_rows").high)):
        raise InputError(
            f"max_orders_per_day {top:g} gives {rows:,} hires to locate; expected at most "
            f"{most:,} (triggers_rows in data/input_bounds.csv): scan a lower order level"
        )


def hire_triggers(max_orders_per_day: float = 1000, shop=None, *, lang: str | None = None,
                  std: Standards | None = None, max_levels: int = 2001,
                  **overrides: Any) -> pd.DataFrame:
    """The order level at which each role's headcount first reaches 1, 2, 3 ...

    Evaluates every whole order level from 0 to ``max_orders_per_day`` (on a grid of at most
    ``max_levels`` levels, each trigger then refined to the exact whole order level by
    bisection; headcount never falls as orders rise).

    Returns
    -------
    pandas.DataFrame
        ``role_id, headcount, orders_per_day`` (plus ``name``), sorted by order level.
    """
    if not (isinstance(max_orders_per_day, (int, float, np.integer, np.floating))
            and max_orders_per_day >= 0 and math.isfinite(max_orders_per_day)):
        raise InputError(f"max_orders_per_day has {max_orders_per_day!r}; expected a number >= 0")
    std = _std(shop, std, overrides)
    top = int(math.floor(max_orders_per_day))
    step = max(1, math.ceil(top / max(1, max_levels - 1)))
    _check_trigger_rows(top, std)  # before the grid: one level tells how many rows there are
    grid = np.unique(np.append(np.arange(0, top + 1, step), top)).astype(float)
    res = _compute(workload.drivers(grid, std), std)
    rows = []  # (role, k, lo_fail, hi_pass)
    for role, hc in res.headcount.items():
        for k in range(1, int(hc.max()) + 1):
            i = int(np.argmax(hc >= k))
            hi = grid[i]
            lo = grid[i - 1] if i > 0 else -1.0
            rows.append([role, k, lo, hi])

    # bisection on whole order levels, all triggers at once
    while True:
        open_ = [r for r in rows if r[3] - r[2] > 1]
        if not open_:
            break
        mids = np.array([math.floor((r[2] + r[3]) / 2) for r in open_], dtype=float)
        uniq, inv = np.unique(mids, return_inverse=True)
        rr = _compute(workload.drivers(uniq, std), std)
        for r, j in zip(open_, inv, strict=True):
            if rr.headcount[r[0]][j] >= r[1]:
                r[3] = uniq[j]
            else:
                r[2] = uniq[j]
    out = pd.DataFrame(rows, columns=["role_id", "headcount", "_lo", "orders_per_day"])
    out = out.drop(columns="_lo")
    out["orders_per_day"] = out["orders_per_day"].astype(int)
    out = out.sort_values(["orders_per_day", "role_id", "headcount"], kind="stable").reset_index(drop=True)
    if lang is not None:
        names = catalog.load_roles(lang=lang).set_index("role_id")["name"]
        out.insert(1, "name", out["role_id"].map(names))
    return out


def next_hires(orders_per_day: float, shop=None, *, horizon_orders: float | None = None,
               lang: str | None = None, **overrides: Any) -> pd.DataFrame:
    """The next hire of each role above ``orders_per_day`` (up to ``horizon_orders``, default
    twice the level or 100 orders more, whichever is larger)."""
    top = horizon_orders if horizon_orders is not None else max(2 * orders_per_day, orders_per_day + 100)
    trig = hire_triggers(top, shop, lang=lang, **overrides)
    ahead = trig[trig["orders_per_day"] > orders_per_day]
    return ahead.groupby("role_id", as_index=False, sort=False).first().sort_values(
        "orders_per_day", kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- seed stages
def stage_order_ranges(lang: str | None = None) -> pd.DataFrame:
    """Orders per day of each seed-002 stage: ``stage_id, name, orders_min, orders_max,
    in_seed`` (orders in ``stages.csv``, stated or derived there) and ``stated`` (stated by the
    seed itself).  Stages 1-2 give no orders: their range comes from the sample shop's
    assumption table when present (``stage_orders_per_day`` low..high), else 0 .. stage 3's
    minimum."""
    st = catalog.load_stages(lang)
    out = st[["stage_id"] + (["name"] if lang else [])].copy()
    out["orders_min"] = st["daily_orders_min"].astype(float)
    out["orders_max"] = st["daily_orders_max"].astype(float)
    out["in_seed"] = st["daily_orders_min"].notna()
    out["stated"] = out["in_seed"] & ~catalog.is_derived(st, "daily_orders_min")
    known_min = out["orders_min"].dropna()
    first_known = float(known_min.iloc[0]) if len(known_min) else 0.0
    assumed = _sample_stage_orders()
    for i in out.index[out["orders_min"].isna()]:
        sid = int(out.at[i, "stage_id"])
        lo, hi = assumed.get(sid, (0.0, max(first_known - 1, 0.0)))
        out.at[i, "orders_min"], out.at[i, "orders_max"] = lo, hi
    # open upper end (stage 5 has 500-800; a stage with no max gets its min)
    out["orders_max"] = out["orders_max"].fillna(out["orders_min"])
    return out


def _sample_stage_orders() -> dict[int, tuple[float, float]]:
    from ecomanalysis import config

    path = config.EXAMPLES_DIR / "sample_shop_assumptions.csv"
    if not path.exists():
        return {}
    df = pd.read_csv(path, dtype={"key": str})
    rows = df[df["parameter"] == "stage_orders_per_day"]
    out = {}
    for _, r in rows.iterrows():
        try:
            out[int(r["key"])] = (float(r["low"]), float(r["high"]))
        except (TypeError, ValueError):
            continue
    return out


@dataclass
class StageInfo:
    """Where a shop stands among seed 002's stages.

    Attributes
    ----------
    stage_id, name
        The stage (``name`` in the requested language).
    orders_per_day
        The shop's current orders per day.
    basis
        How the stage was found (``orders`` or ``days_since_launch``).
    between
        True when the orders fall in the gap after this stage's range and before the next one.
    next_stage_id
        The next stage, or None at stage 5.
    next_stage_orders
        The order level at which the next stage begins (None when unknown).
    roles_to_add
        The roles the seed has at the next stage (or misses at this one) beyond the shop's
        team: ``role_id, name, stage_id, seed_min, seed_max, current, to_add, note``.
    """

    stage_id: int
    name: str
    orders_per_day: float
    basis: str
    between: bool
    next_stage_id: int | None
    next_stage_orders: float | None
    roles_to_add: pd.DataFrame


def stage_of(shop=None, *, orders_per_day: float | None = None,
             days_since_launch: float | None = None, team: dict[str, int] | None = None,
             lang: str = "zh") -> StageInfo:
    """The seed-002 stage a shop is in and the roles the seed says to add next.

    Orders decide from stage 3 on (80+ orders/day); below that the shop's age decides between
    stage 1 (the first 20 days) and 2.  ``orders_per_day``, ``days_since_launch`` and ``team``
    override the shop's.
    """
    if orders_per_day is None:
        if shop is None:
            raise InputError("stage_of needs a shop or orders_per_day")
        orders_per_day = current_orders(shop)
    if orders_per_day < 0:
        raise InputError(f"orders_per_day has {orders_per_day:g}; expected a number >= 0")
    if days_since_launch is None and shop is not None:
        days_since_launch = shop.days_since_launch
    team = dict(team if team is not None else (shop.team if shop is not None else {}))
    st = catalog.load_stages(lang)
    stated = st.dropna(subset=["daily_orders_min"]).sort_values("stage_id")
    stage, basis = None, "orders"
    for _, r in stated.iloc[::-1].iterrows():
        if orders_per_day >= r["daily_orders_min"]:
            stage = int(r["stage_id"])
            break
    if stage is None:
        first = st.sort_values("stage_id").iloc[0]
        if days_since_launch is not None:
            basis = "days_since_launch"
            stage = int(first["stage_id"]) if days_since_launch <= first["days_since_launch_max"] else int(first["stage_id"]) + 1
        else:
            basis = "orders (below stage 3; no shop age given)"
            stage = int(first["stage_id"]) if orders_per_day == 0 else int(first["stage_id"]) + 1
    row = st.set_index("stage_id").loc[stage]
    between = bool(pd.notna(row["daily_orders_max"]) and orders_per_day > row["daily_orders_max"])
    nxt = stage + 1 if stage + 1 in set(st["stage_id"]) else None
    next_orders = None
    if nxt is not None:
        v = st.set_index("stage_id").at[nxt, "daily_orders_min"]
        next_orders = float(v) if pd.notna(v) else None
    sr = catalog.load_stage_roles(lang)
    names = catalog.load_roles(lang=lang).set_index("role_id")["name"]
    rows = []
    for sid in [stage] + ([nxt] if nxt else []):
        for _, r in sr[sr["stage_id"] == sid].iterrows():
            have = int(team.get(r["role_id"], 0))
            need = int(r["headcount_min"])
            if have < need:
                rows.append({"role_id": r["role_id"], "name": names.get(r["role_id"], r["role_id"]),
                             "stage_id": sid, "seed_min": need,
                             "seed_max": r["headcount_max"], "current": have,
                             "to_add": need - have, "note": r.get("note", "")})
    add = pd.DataFrame(rows, columns=["role_id", "name", "stage_id", "seed_min", "seed_max",
                                      "current", "to_add", "note"])
    add = add.sort_values("stage_id", kind="stable").drop_duplicates("role_id", keep="first")
    return StageInfo(stage, str(row["name"]), float(orders_per_day), basis, between, nxt,
                     next_orders, add.reset_index(drop=True))


def _units(counts: dict[str, float], rm: pd.DataFrame) -> dict[tuple[str, ...], list[str]]:
    """Group catalogue roles into units of model roles: roles covered by several model roles
    (the generalist customer-service role) join them into one unit."""
    staffed = set(rm.loc[rm["model"].isin(workload.STAFFED_MODELS), "role_id"])
    cover = rm.set_index("role_id")["covered_by"]
    parent: dict[str, str] = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    targets = {}
    for role in counts:
        if role in staffed:
            t = [role]
        else:
            t = [v for v in catalog.split_list(cover.get(role)) if v in staffed]
        targets[role] = t
        for a in t[1:]:
            parent[find(a)] = find(t[0])
        if t:
            find(t[0])
    units: dict[tuple[str, ...], list[str]] = {}
    members: dict[str, set] = {}
    for m in list(parent):
        members.setdefault(find(m), set()).add(m)
    for role, t in targets.items():
        key = tuple(sorted(members[find(t[0])])) if t else ()
        units.setdefault(key, []).append(role)
    return units


def compare_with_playbook(shop=None, *, lang: str = "zh", std: Standards | None = None,
                          **overrides: Any) -> pd.DataFrame:
    """Per stage, the seed's team (``stage_roles.csv``) beside the model's requirement at the
    bottom and top of the stage's order range, with the gaps named.

    Returns
    -------
    pandas.DataFrame
        ``stage_id, orders_min, orders_max, unit`` (model roles, ``;``-joined), ``name``,
        ``seed_roles``, ``seed_min, seed_max`` (NaN max: the seed gives no upper limit),
        ``model_min, model_max`` (headcount at orders_min and orders_max), ``gap`` (one of
        ``agrees``, ``model_more``, ``model_less``, ``not_in_seed``, ``not_in_model``) and
        ``gap_note``.  A ``unit`` of ``team`` holds each stage's total.
    """
    std = _std(shop, std, overrides)
    rm = workload.load_role_models()
    names = workload.load_role_models(lang=lang).set_index("role_id")["name"]
    ranges = stage_order_ranges(lang)
    sr = catalog.load_stage_roles()
    levels = np.unique(np.concatenate([ranges["orders_min"], ranges["orders_max"]]))
    req = requirements(levels, std=std)
    hc = req.pivot_table(index="orders_per_day", columns="role_id", values="headcount", aggfunc="sum")
    staffed = [r for r in hc.columns]
    rows = []
    for _, s in ranges.iterrows():
        sid, lo, hi = int(s["stage_id"]), float(s["orders_min"]), float(s["orders_max"])
        seed = sr[sr["stage_id"] == sid]
        counts = dict(zip(seed["role_id"], seed["headcount_min"], strict=True))
        units = _units(counts, rm)
        covered_model = set()
        for unit, seed_roles in units.items():
            part = seed[seed["role_id"].isin(seed_roles)]
            smin = float(part["headcount_min"].sum())
            smax = float(part["headcount_max"].sum()) if part["headcount_max"].notna().all() else np.nan
            if unit:
                mmin = float(hc.loc[lo, list(unit)].sum())
                mmax = float(hc.loc[hi, list(unit)].sum())
                covered_model |= set(unit)
            else:
                mmin = mmax = np.nan
            rows.append(_gap_row(sid, lo, hi, unit, seed_roles, smin, smax, mmin, mmax, names, lang))
        for role in staffed:
            if role in covered_model:
                continue
            mmin, mmax = float(hc.at[lo, role]), float(hc.at[hi, role])
            if mmax > 0:
                rows.append(_gap_row(sid, lo, hi, (role,), [], 0.0, 0.0, mmin, mmax, names, lang))
        tot_seed_min = float(seed["headcount_min"].sum())
        tot_seed_max = float(seed["headcount_max"].sum()) if seed["headcount_max"].notna().all() else np.nan
        rows.append(_gap_row(sid, lo, hi, ("team",), list(seed["role_id"]), tot_seed_min, tot_seed_max,
                             float(hc.loc[lo].sum()), float(hc.loc[hi].sum()), names, lang))
    return pd.DataFrame(rows)


_GAP_TEXT = {
    "agrees": N_("the model agrees with the seed"),
    "model_more": N_("the model needs more people than the seed says"),
    "model_less": N_("the model needs fewer people than the seed says"),
    "not_in_seed": N_("the seed has no such post at this stage"),
    "not_in_model": N_("the model does not staff this post separately"),
}


def _gap_row(sid, lo, hi, unit, seed_roles, smin, smax, mmin, mmax, names, lang) -> dict:
    if unit == ():
        gap = "not_in_model"
    elif not seed_roles:
        gap = "not_in_seed"
    elif mmin > (smax if not np.isnan(smax) else np.inf):
        gap = "model_more"
    elif mmax < smin:
        gap = "model_less"
    else:
        gap = "agrees"
    _ = translator(lang if lang in ("zh", "en") else "en")
    label = _("whole team") if unit == ("team",) else " + ".join(
        str(names.get(u, u)) for u in (unit or seed_roles))
    smax_txt = "∞" if np.isnan(smax) else f"{smax:g}"
    detail = _("seed {smin}-{smax}, model {mmin}-{mmax} at {lo}-{hi} orders/day",
               smin=f"{smin:g}", smax=smax_txt, mmin=f"{mmin:g}", mmax=f"{mmax:g}", lo=f"{lo:g}",
               hi=f"{hi:g}")
    if gap == "not_in_model":
        detail = _("seed post: {roles}", roles=", ".join(seed_roles))
    return {"stage_id": sid, "orders_min": lo, "orders_max": hi,
            "unit": ";".join(unit) if unit else "", "name": label, "seed_roles": ";".join(seed_roles),
            "seed_min": smin, "seed_max": smax, "model_min": mmin, "model_max": mmax, "gap": gap,
            "gap_note": f"{_(_GAP_TEXT[gap])}: {detail}"}


def team_gap(shop, orders_per_day: float | None = None, *, lang: str = "zh",
             std: Standards | None = None, **overrides: Any) -> pd.DataFrame:
    """The shop's team now beside the required team, per unit of model roles.

    Returns ``unit, name, team_roles, current, required, gap`` (required - current; positive:
    hire) plus ``fte``.
    """
    std = _std(shop, std, overrides)
    if orders_per_day is None:
        orders_per_day = current_orders(shop, std)
    req = requirements(orders_per_day, std=std)
    need = req.set_index("role_id")
    rm = workload.load_role_models()
    names = workload.load_role_models(lang=lang).set_index("role_id")["name"]
    units = _units(dict(shop.team), rm)
    rows, seen = [], set()
    for unit, roles in units.items():
        cur = float(sum(shop.team[r] for r in roles))
        if unit:
            reqd = float(need.loc[list(unit), "headcount"].sum())
            fte = float(need.loc[list(unit), "fte"].sum())
            seen |= set(unit)
        else:
            reqd, fte = np.nan, np.nan
        rows.append({"unit": ";".join(unit), "name": " + ".join(str(names.get(u, u)) for u in (unit or roles)),
                     "team_roles": ";".join(roles), "current": cur, "required": reqd, "fte": fte})
    for role in need.index:
        if role not in seen and need.at[role, "headcount"] > 0:
            rows.append({"unit": role, "name": names.get(role, role), "team_roles": "", "current": 0.0,
                         "required": float(need.at[role, "headcount"]), "fte": float(need.at[role, "fte"])})
    out = pd.DataFrame(rows)
    out["gap"] = out["required"] - out["current"]
    return out


# --------------------------------------------------------------------------- cost
def monthly_wage(std: Standards, roles: pd.DataFrame) -> pd.Series:
    """Monthly employer cost per person of each role (wage x level multiplier x on-cost)."""
    out = {}
    for _, r in roles.iterrows():
        if r["role_id"] == "owner":
            out[r["role_id"]] = std["owner_cost_cny_month"]
            continue
        w = std.wage(r["group_id"])
        mult = {"supervisor": std["wage_multiplier_supervisor"],
                "manager": std["wage_multiplier_manager"]}.get(r["level"], 1.0)
        out[r["role_id"]] = w * mult * (1 + std["employer_oncost_share"])
    return pd.Series(out, name="cost_cny_month_per_person")


def labour_cost(orders_per_day, shop=None, *, city_tier: str | None = None, by_role: bool = False,
                std: Standards | None = None, req: pd.DataFrame | None = None,
                **overrides: Any) -> pd.DataFrame:
    """Monthly labour cost, cost per order and labour share of revenue at each order level.

    Cost per person = the role group's wage band for the city tier x the level multiplier
    (supervisor, manager) x (1 + employer on-cost); the owner counts ``owner_cost_cny_month``.

    Returns
    -------
    pandas.DataFrame
        ``orders_per_day, city_tier, headcount, cost_cny_month, revenue_cny_month,
        cost_per_order_cny, labour_share`` (``by_role``: per role with ``role_id`` and
        ``cost_cny_month_per_person``).
    """
    if std is None:
        std = standards(shop, city_tier=city_tier, **overrides)
    elif city_tier is not None and city_tier != std.city_tier:
        from dataclasses import replace

        std = replace(std, city_tier=city_tier, _used=set())
    if req is None:
        req = requirements(orders_per_day, std=std)
    rm = workload.load_role_models()
    wage = monthly_wage(std, rm[rm["model"].isin(workload.STAFFED_MODELS)])
    r = req[["role_id", "orders_per_day", "headcount"]].copy()
    r["cost_cny_month_per_person"] = r["role_id"].map(wage)
    r["cost_cny_month"] = r["headcount"] * r["cost_cny_month_per_person"]
    r["city_tier"] = std.city_tier
    if by_role:
        return r
    days = std["shop_open_days_per_month"]
    out = r.groupby("orders_per_day", as_index=False).agg(
        headcount=("headcount", "sum"), cost_cny_month=("cost_cny_month", "sum"))
    out.insert(1, "city_tier", std.city_tier)
    out["revenue_cny_month"] = out["orders_per_day"] * days * std["average_order_value_cny"]
    orders_month = out["orders_per_day"] * days
    out["cost_per_order_cny"] = np.where(orders_month > 0, out["cost_cny_month"] / orders_month.where(orders_month > 0, 1), np.nan)
    out["labour_share"] = np.where(out["revenue_cny_month"] > 0,
                                   out["cost_cny_month"] / out["revenue_cny_month"].where(out["revenue_cny_month"] > 0, 1),
                                   np.nan)
    return out


def labour_cost_by_tier(orders_per_day, shop=None, *, std: Standards | None = None,
                        **overrides: Any) -> pd.DataFrame:
    """:func:`labour_cost` for every city tier (the headcount does not depend on the tier)."""
    std = _std(shop, std, overrides)
    req = requirements(orders_per_day, std=std)
    return pd.concat([labour_cost(None, std=std, city_tier=t, req=req) for t in workload.CITY_TIERS],
                     ignore_index=True)


# --------------------------------------------------------------------------- sensitivity
def sensitivity(orders_per_day: float = 250, shop=None, *, role_id: str | None = None,
                lang: str | None = None, std: Standards | None = None,
                **overrides: Any) -> pd.DataFrame:
    """Headcount (of the team, or of ``role_id``) and monthly cost at ``orders_per_day`` when
    each standard moves alone to its low and to its high value (a tornado chart).

    Skips rows outside the model (cross-checks, peak planning), the return rates of other
    categories, the wages of other city tiers, the series-only lags and standards whose low
    equals their high.

    Returns
    -------
    pandas.DataFrame
        ``standard_id, unit, value, low, high, headcount_base, headcount_low, headcount_high,
        cost_base, cost_low, cost_high, swing`` (largest swing first; ``description`` with
        ``lang``).
    """
    base_std = _std(shop, std, overrides)
    if role_id is not None:
        staffed = set(workload.load_role_models().query("model in @workload.STAFFED_MODELS")["role_id"])
        if role_id not in staffed:
            raise InputError(f"role_id {role_id!r} is not a staffed role; expected one of {', '.join(sorted(staffed))}")
    t = base_std.table

    rm = workload.load_role_models()
    staffed_roles = rm[rm["model"].isin(workload.STAFFED_MODELS)]

    def measure(s: Standards) -> tuple[float, float]:
        res = _compute(workload.drivers([orders_per_day], s), s)
        wage = monthly_wage(s, staffed_roles)
        cost = float(sum(res.headcount[r][0] * wage[r] for r in res.headcount))
        if role_id is None:
            return float(sum(v[0] for v in res.headcount.values())), cost
        return float(res.headcount[role_id][0]), cost

    base_hc, base_cost = measure(base_std)
    rows = []
    for sid, r in t.iterrows():
        if (r["category"] not in workload.MODEL_CATEGORIES or r["category"] in NO_EFFECT_CATEGORIES
                or sid in SERIES_ONLY or r["low"] == r["high"]):
            continue
        if sid.startswith("return_rate_") and sid != f"return_rate_{base_std.category}":
            continue
        if sid.startswith("wage_") and sid.endswith("_cny_month") and f"_{base_std.city_tier}_" not in sid:
            continue
        out = {"standard_id": sid, "unit": r["unit"], "value": base_std.data[sid],
               "low": r["low"], "high": r["high"], "headcount_base": base_hc, "cost_base": base_cost}
        for side in ("low", "high"):
            try:
                s = base_std.with_overrides(**{sid: float(r[side])})
                out[f"headcount_{side}"], out[f"cost_{side}"] = measure(s)
            except InputError:  # the value contradicts another standard (e.g. an hour order)
                out[f"headcount_{side}"], out[f"cost_{side}"] = np.nan, np.nan
        rows.append(out)
    df = pd.DataFrame(rows)
    df["swing"] = (df["headcount_high"] - df["headcount_low"]).abs()
    df["cost_swing"] = (df["cost_high"] - df["cost_low"]).abs()
    df = df.sort_values(["swing", "cost_swing"], ascending=False, kind="stable").reset_index(drop=True)
    if lang is not None:
        df["description"] = df["standard_id"].map(t[f"description_{lang}"])
    return df


# --------------------------------------------------------------------------- customer service and warehouse detail
def cs_by_hour(orders_per_day: float | None = None, shop=None, *, std: Standards | None = None,
               **overrides: Any) -> pd.DataFrame:
    """Customer service hour by hour for one order level (a day of chats).

    Returns
    -------
    pandas.DataFrame
        One row per (queue, hour): ``queue, hour, chats`` (arriving while open), ``deferred``
        (overnight chats answered at opening), ``agents`` (most agents any interval of the hour
        needs), ``staffed`` (agents / (1 - cs_shrinkage), rounded up: heads to schedule),
        ``service_level`` (lowest of the hour) and ``hours`` (agent hours counted as work).
    """
    std = _std(shop, std, overrides)
    if orders_per_day is None:
        orders_per_day = current_orders(shop, std)
    cs = workload.cs_intervals([orders_per_day], std)
    cs["hour"] = np.floor(cs["start_h"]).astype(int)
    out = cs.groupby(["queue", "hour"], as_index=False, sort=False).agg(
        chats=("volume", "sum"), deferred=("deferred", "sum"), agents=("agents", "max"),
        service_level=("service_level", "min"), hours=("hours", "sum"))
    out["staffed"] = workload.staffed_heads(out["agents"].to_numpy(), std)
    return out


def cs_rule_of_thumb(orders_per_day, shop=None, *, std: Standards | None = None,
                     **overrides: Any) -> pd.DataFrame:
    """Customer-service headcount three ways at each order level: the model (queues per
    interval), the "50-80 inquiries per agent-day" rule of thumb, and seed 002's "1-3 people".

    Returns ``orders_per_day, chats_per_day, model_headcount, model_fte, rule_low, rule_high``
    (people under the rule: chats / inquiries per agent-day on duty each open day, converted to
    people like the model) and ``seed_min, seed_max`` (the seed's customer-service department).
    """
    std = _std(shop, std, overrides)
    daily = workload.drivers(orders_per_day, std)
    req = requirements(daily["orders"].to_numpy(), std=std)
    cs = req[req["role_id"].isin(["presale_cs", "aftersale_cs"])].groupby("orders_per_day")
    chats = (daily["presale_chats"] + daily["aftersale_contacts"]).to_numpy()
    days_ratio = std["shop_open_days_per_month"] / std["workdays_per_month"]
    t = std.table.loc["inquiries_per_agent_day"]
    seed = catalog.load_departments()
    dept = seed[seed["department_id"] == "seed002_customer_service"]
    out = pd.DataFrame({
        "orders_per_day": daily["orders"].to_numpy(),
        "chats_per_day": chats,
        "model_headcount": cs["headcount"].sum().to_numpy(),
        "model_fte": cs["fte"].sum().to_numpy(),
        "rule_low": chats / t["high"] * days_ratio,
        "rule_high": chats / t["low"] * days_ratio,
    })
    out["seed_min"] = float(dept["headcount_min"].iloc[0]) if len(dept) else np.nan
    out["seed_max"] = float(dept["headcount_max"].iloc[0]) if len(dept) else np.nan
    return out


def warehouse_breakdown(orders_per_day, shop=None, *, std: Standards | None = None,
                        **overrides: Any) -> pd.DataFrame:
    """Warehouse hours per day by task and the packers the same-day cut-off needs on duty.

    Returns ``orders_per_day, shipments, returns, packing_h, returns_h, overhead_h, work_h,
    cutoff_people`` (packers on duty so that every order paid before the cut-off is packed by
    the courier pick-up), ``cutoff_h`` (their paid hours) and ``hours_per_day`` (the larger).
    """
    std = _std(shop, std, overrides)
    d = workload.drivers(orders_per_day, std)
    pack = d["shipments"] / std["packing_orders_per_hour"]
    ret = d["returns"] * std["return_processing_min"] / workload.MINUTES_PER_HOUR
    work = (pack + ret) / (1 - std["warehouse_overhead_share"])
    people = d["shipments"] * workload._pack_window_people_per_order(std)
    return pd.DataFrame({
        "orders_per_day": d["orders"], "shipments": d["shipments"], "returns": d["returns"],
        "packing_h": pack, "returns_h": ret, "overhead_h": work - pack - ret, "work_h": work,
        "cutoff_people": people, "cutoff_h": people * std["hours_per_day"],
        "hours_per_day": np.maximum(work, people * std["hours_per_day"]),
    })


def presale_queue(std: Standards) -> tuple[dict[str, float], dict[str, Any]]:
    """The pre-sale desk's queueing arguments from the standards: ``(target, chat)``.

    ``target``: ``sl_target, answer_within_s, max_occupancy, shrinkage``; ``chat``:
    ``concurrency`` and ``aht_by_concurrency`` (handle time per chat with 1, 2 .. chats open,
    rising by ``chat_aht_increase_per_extra_chat`` per extra chat). Both go to
    :func:`ecomanalysis.queueing.required_agents` as keyword arguments.
    """
    aht_s = std["presale_aht_s"]
    concurrency = std.int_value("presale_concurrency")
    slower = std["chat_aht_increase_per_extra_chat"]
    target = dict(sl_target=std["cs_service_level_target"], answer_within_s=std["cs_answer_within_s"],
                  max_occupancy=std["cs_max_occupancy"], shrinkage=std["cs_shrinkage"])
    chat = dict(concurrency=concurrency,
                aht_by_concurrency=[aht_s * (1 + slower * j) for j in range(concurrency)])
    return target, chat


def cs_first_above_seed(rule: pd.DataFrame) -> int | None:
    """First order level of :func:`cs_rule_of_thumb` at which the model's customer-service
    headcount exceeds the seed's maximum (None: never within the levels)."""
    above = rule[rule["model_headcount"] > rule["seed_max"]]
    return int(above["orders_per_day"].iloc[0]) if len(above) else None
