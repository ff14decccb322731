"""Workload: drivers x standards -> hours of work per role per day (and per interval).

Every number comes from ``data/standards.csv`` (value, low, high, unit, source) or a shop's
override; which roles the model staffs, and how, comes from ``data/role_models.csv``:

``fixed``
    One person from an order level on (a ``appears_at_orders_<role>`` standard).
``queue``
    Customer service: pre-sale and after-sale chats are two separate queues, each sized per
    planning interval with :func:`ecomanalysis.queueing.required_agents` (chat concurrency as a
    birth-death chain, own handle time and concurrency, service-level and occupancy targets).
``workload``
    Hours from throughput standards: warehouse (packing, returns, receiving, the same-day
    shipping cut-off), design (listings, campaign pages), operations (SKUs, listings,
    campaigns), promotion (monthly sales), purchasing (SKUs), finance (orders).
``span``
    Supervisors and managers from the size of the team they lead (span of control), HR/admin
    from the whole team.
``covered``
    A catalogue role whose work is counted in a modelled role (e.g. the packer's work is the
    warehouse keeper's at single-shop scale).
``outside``
    Not part of a platform shop's own team (agencies, an own website's developers ...).

Drivers per day (steady state, :func:`drivers`): visitors = orders / conversion; pre-sale chats
= visitors x inquiry rate; returns = orders x return rate of the category; after-sale contacts
= orders x contacts per order + returns x contacts per return; revenue = orders x average order
value; SKUs = the shop's own count or orders x SKUs per daily order; listings = SKUs x monthly
refresh share.  For a daily series (:func:`series_drivers`) after-sale contacts lag the orders
by the delivery time, returns by the return lag and shipments follow the same-day cut-off.

From hours to people: ``fte = hours per month / (hours per day x workdays per month x
(1 - shrinkage))``; a role gets its own person once its FTE reaches ``min_dedicated_fte``
(below that the owner or the role in ``absorbed_by`` does it on the side, reported as absorbed
hours), then ``headcount = ceil(fte - fte_overtime_tolerance)``.

Customer-service hours in an interval count every agent the queue needs, except that the first
agent counts only for the time spent handling chats (single-chat handle time / max occupancy):
in a quiet interval the one person on duty does other work between chats (seed 002: the
customer-service hire "can also pack").  The hours an agent must merely be present are reported
as ``coverage_hours`` by :func:`cs_intervals`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ecomanalysis import catalog, config, queueing
from ecomanalysis.errors import InputError

ROLE_MODEL_FILE = "role_models.csv"
ROLE_MODELS = catalog.ROLE_MODELS
STAFFED_MODELS = catalog.STAFFED_MODELS
CITY_TIERS = ("tier1", "tier2", "tier3")
QUEUES = ("presale", "aftersale")
#: Categories of ``standards.csv`` rows this model reads (others, e.g. ``peak``, belong to the
#: forecast and peak planning; ``cross_check`` rows are compared with, never used).
MODEL_CATEGORIES = ("driver", "lag", "cs", "warehouse", "content", "time", "threshold", "span",
                    "wage", "intake")
#: Calendar facts (not assumptions).
SECONDS_PER_HOUR = 3600
HOURS_PER_DAY_CLOCK = 24
MONTHS_PER_YEAR = 12
WEEKS_PER_YEAR = 52
MINUTES_PER_HOUR = 60
#: Intraday shape used for each driver: the calibration table's parameter.
SHAPE_PARAMETERS = {"orders": "hour_share_buy", "presale": "hour_share_pv", "aftersale": "hour_share_pv"}

from ecomanalysis.overrides import (  # noqa: E402  (re-exported: the model's vocabulary)
    categories,
    check_overrides,
)

_RETURN = re.compile(r"^return_rate_(?P<cat>[a-z0-9_]+)$")
_WAGE = re.compile(r"^wage_(?P<group>[a-z0-9_]+?)_(?P<tier>tier[0-9])_cny_month$")


# --------------------------------------------------------------------------- reference tables
def _dir(data_dir) -> Path:
    return Path(data_dir) if data_dir is not None else config.DATA_DIR


def standards_table(data_dir=None) -> pd.DataFrame:
    """``standards.csv`` validated by :mod:`ecomanalysis.catalog`, indexed by ``standard_id``."""
    return catalog.load_standards(data_dir=data_dir).set_index("standard_id", drop=False)


def wage_table(data_dir=None) -> pd.DataFrame:
    """Wage bands as ``group_id, city_tier, value, low, high, source``."""
    st = catalog.load_standards(data_dir=data_dir)
    rows = []
    for _, r in st.iterrows():
        m = _WAGE.match(r["standard_id"])
        if m:
            rows.append({"standard_id": r["standard_id"], "group_id": m["group"],
                         "city_tier": m["tier"], "value": r["value"], "low": r["low"],
                         "high": r["high"], "source": r["source"]})
    return pd.DataFrame(rows)


def load_role_models(data_dir=None, lang: str | None = None) -> pd.DataFrame:
    """``role_models.csv``: how the model handles each role of ``roles.csv``, validated.

    Columns ``role_id, model, covered_by, supervises, absorbed_by, note_zh, note_en`` joined
    with ``group_id, level, workload_driver`` (and ``name`` when ``lang`` is given).
    """
    d = _dir(data_dir)
    path = d / ROLE_MODEL_FILE
    mtime = path.stat().st_mtime_ns if path.exists() else 0
    rm = _role_models_cached(str(d.resolve()), mtime).copy()
    return catalog.localise(rm, lang)


@lru_cache(maxsize=8)
def _role_models_cached(directory: str, mtime_ns: int) -> pd.DataFrame:
    rm = catalog.load_table("role_models", data_dir=directory)
    roles = catalog.load_roles(data_dir=directory)
    problems = catalog.reference_problems({"role_models": rm, "roles": roles})
    problems += catalog.role_model_problems(rm, roles)
    if problems:
        raise InputError("\n".join(problems), problems)
    return rm.merge(roles[["role_id", "name_zh", "name_en", "group_id", "level", "workload_driver"]],
                    on="role_id", how="left")


# --------------------------------------------------------------------------- standards
@dataclass(frozen=True)
class Standards(Mapping):
    """The standards in force for one computation: values by id plus the shop's own drivers.

    Behaves as a read-only mapping ``standard_id -> value``.  Build it with
    :func:`resolve_standards`.

    Attributes
    ----------
    data
        Every standard's value (defaults with overrides applied).
    table
        The standards table (low, high, unit, source, role_ids ...), indexed by id.
    category, city_tier
        Select ``return_rate_<category>`` and the ``wage_<group>_<tier>`` bands.
    skus, new_listings_per_month
        The shop's own catalogue figures, or None (then derived from orders).
    hour_shares
        24 hour-of-day shares per driver (``orders``, ``presale``, ``aftersale``).
    shape_source
        Where the hour shares came from.
    overridden
        Ids whose value differs from ``standards.csv``.
    measured
        Values measured from the shop's own files (they are in ``data`` too).
    """

    data: dict[str, float]
    table: pd.DataFrame = field(repr=False)
    category: str = "general"
    city_tier: str = "tier2"
    skus: float | None = None
    new_listings_per_month: float | None = None
    hour_shares: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    shape_source: str = ""
    overridden: frozenset[str] = frozenset()
    measured: dict = field(default_factory=dict)
    _used: set = field(default_factory=set, repr=False, compare=False)
    #: Figures derived from these standards alone (e.g. the order in which the owner's relief
    #: staffs roles), computed once per object; a copy (``replace``) starts empty.
    _memo: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def __getitem__(self, key: str) -> float:
        self._used.add(key)
        return self.data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)

    def with_overrides(self, **overrides: float) -> Standards:
        """A copy with some values replaced (validated)."""
        ok = check_overrides(overrides)
        values = {**self.data, **ok}
        over = self.overridden | {k for k, v in ok.items() if v != self.table.at[k, "value"]}
        new = replace(self, data=values, overridden=frozenset(over), _used=set())
        _check_consistency(new)
        return new

    @property
    def return_rate(self) -> float:
        return self[f"return_rate_{self.category}"]

    def wage(self, group_id: str) -> float:
        key = f"wage_{group_id}_{self.city_tier}_cny_month"
        return self[key] if key in self.data else float("nan")

    def int_value(self, key: str) -> int:
        return int(round(self[key]))


def _check_consistency(std: Standards) -> None:
    """Relations between standards that single-value checks cannot see."""
    v = std.data
    problems = []
    if not v["cs_open_hour"] < v["cs_close_hour"]:
        problems.append(
            f"cs_open_hour ({v['cs_open_hour']:g}) must be before cs_close_hour ({v['cs_close_hour']:g})"
        )
    if not v["warehouse_start_hour"] < v["shipping_cutoff_hour"] <= v["courier_pickup_hour"]:
        problems.append(
            "expected warehouse_start_hour < shipping_cutoff_hour <= courier_pickup_hour; got "
            f"{v['warehouse_start_hour']:g}, {v['shipping_cutoff_hour']:g}, {v['courier_pickup_hour']:g}"
        )
    interval = v["planning_interval_s"]
    if interval <= 0 or (SECONDS_PER_HOUR % interval and interval % SECONDS_PER_HOUR) or \
            (HOURS_PER_DAY_CLOCK * SECONDS_PER_HOUR) % interval:
        problems.append(
            f"planning_interval_s is {interval:g}; expected a divisor of 3600 (e.g. 900, 1800) or "
            "3600 x a divisor of 24"
        )
    for key in ("conversion_rate", "packing_orders_per_hour", "listings_per_designer_week",
                "revenue_per_promotion_fte_cny_month", "hours_per_day", "workdays_per_month",
                "cs_span_of_control", "span_of_control", "manager_span_of_control",
                "employees_per_hr_admin", "presale_aht_s", "aftersale_aht_s", "cs_max_occupancy"):
        if v[key] <= 0:
            problems.append(f"{key} is {v[key]:g}; expected a number > 0")
    for key in ("cs_shrinkage", "shrinkage"):
        if v[key] >= 1:
            problems.append(f"{key} is {v[key]:g}; expected a share below 1")
    if problems:
        raise InputError("\n".join(problems), problems)


def resolve_standards(
    overrides: Mapping[str, Any] | None = None,
    *,
    shop=None,
    category: str | None = None,
    city_tier: str | None = None,
    data_dir=None,
) -> Standards:
    """The standards in force: ``standards.csv``, then the shop's values, then ``overrides``.

    Parameters
    ----------
    overrides
        ``standard_id -> value`` (validated: unknown ids, rates outside [0, 1], negative values
        raise :class:`InputError`).
    shop
        A :class:`~ecomanalysis.shop.ShopProfile` (category, city tier, conversion, opening
        hours, catalogue, its own ``standards:`` block, hour shapes from its files).
    category, city_tier
        Override the shop's (default ``general`` and ``tier2``).
    """
    table = standards_table(data_dir)
    values = dict(zip(table.index, table["value"].astype(float), strict=True))
    merged: dict[str, Any] = {}
    if shop is not None:
        merged.update(shop.standard_overrides())
    if overrides:
        merged.update(overrides)
    ok = check_overrides(merged, data_dir=data_dir) if merged else {}
    values.update(ok)
    cat = category or (shop.category if shop is not None else "general")
    cats = categories(data_dir)
    if cat not in cats:
        from ecomanalysis.errors import suggest

        raise InputError(f"category {cat!r}{suggest(cat, cats)} is unknown; expected one of {', '.join(cats)}")
    tier = city_tier or (shop.city_tier if shop is not None else "tier2")
    if tier not in CITY_TIERS:
        raise InputError(f"city_tier {tier!r} is unknown; expected one of {', '.join(CITY_TIERS)}")
    shares, source = _shop_shapes(shop, data_dir)
    std = Standards(
        data=values,
        table=table,
        category=cat,
        city_tier=tier,
        skus=float(shop.skus) if shop is not None and shop.skus is not None else None,
        new_listings_per_month=(
            float(shop.new_listings_per_month)
            if shop is not None and shop.new_listings_per_month is not None else None
        ),
        hour_shares=shares,
        shape_source=source,
        overridden=frozenset(k for k, v in ok.items() if v != table.at[k, "value"]),
    )
    _check_consistency(std)
    return std


# --------------------------------------------------------------------------- intraday shapes
FLAT_SHAPE_NOTE = "flat (1/24 per hour): the calibration table data/examples/calibration_measured.csv is missing"


@lru_cache(maxsize=4)
def _default_shapes_cached(directory: str) -> tuple[tuple[str, tuple[float, ...]], ...]:
    path = Path(directory) / "examples" / "calibration_measured.csv"
    out = {}
    if path.exists():
        cal = pd.read_csv(path, dtype={"key": str})
        for kind, param in SHAPE_PARAMETERS.items():
            rows = cal[cal["parameter"] == param]
            if len(rows) == HOURS_PER_DAY_CLOCK:
                hours = rows["key"].astype(int).to_numpy()
                share = np.zeros(HOURS_PER_DAY_CLOCK)
                share[hours] = rows["value"].astype(float).to_numpy()
                out[kind] = tuple(share / share.sum())
    return tuple(out.items())


def default_hour_shares(data_dir=None) -> tuple[dict[str, np.ndarray], str]:
    """Hour-of-day shares per driver from the intake calibration table (Taobao UserBehavior:
    purchases for orders, page views for chats), or flat shares when the table is missing."""
    found = dict(_default_shapes_cached(str(_dir(data_dir).resolve())))
    flat = np.full(HOURS_PER_DAY_CLOCK, 1.0 / HOURS_PER_DAY_CLOCK)
    shares = {k: np.asarray(found.get(k, flat)) for k in SHAPE_PARAMETERS}
    if len(found) == len(SHAPE_PARAMETERS):
        source = ("data/examples/calibration_measured.csv: Tianchi UserBehavior hour shares "
                  "(orders: purchases; pre-sale and after-sale chats: page views)")
    else:
        source = FLAT_SHAPE_NOTE
    return shares, source


def _shop_shapes(shop, data_dir) -> tuple[dict[str, np.ndarray], str]:
    shares, source = default_hour_shares(data_dir)
    if shop is None:
        return shares, source
    from ecomanalysis.shop import measured_hour_shares

    measured = measured_hour_shares(shop)
    if measured:
        shares = {**shares, **measured}
        source = f"the shop's own files ({', '.join(sorted(measured))}); others: {source}"
    return shares, source


def interval_shares(std: Standards, kind: str) -> np.ndarray:
    """Shares of the day's volume per planning interval (length 86400 / interval)."""
    hourly = std.hour_shares[kind]
    interval = std["planning_interval_s"]
    if interval <= SECONDS_PER_HOUR:
        k = int(round(SECONDS_PER_HOUR / interval))
        return np.repeat(hourly / k, k)
    k = int(round(interval / SECONDS_PER_HOUR))
    return hourly.reshape(-1, k).sum(axis=1)


def interval_starts_h(std: Standards) -> np.ndarray:
    """Start of each planning interval, hours after midnight."""
    n = int(round(HOURS_PER_DAY_CLOCK * SECONDS_PER_HOUR / std["planning_interval_s"]))
    return np.arange(n) * std["planning_interval_s"] / SECONDS_PER_HOUR


# --------------------------------------------------------------------------- drivers
DRIVER_COLUMNS = ("orders", "visitors", "presale_chats", "returns", "aftersale_contacts",
                  "shipments", "revenue_cny", "skus", "listings_per_month", "campaigns_per_month")


def _orders_array(orders_per_day) -> np.ndarray:
    try:
        arr = np.atleast_1d(np.asarray(orders_per_day, dtype=float))
    except (TypeError, ValueError):
        raise InputError(
            f"orders_per_day has {orders_per_day!r}; expected a number of orders per day >= 0 "
            "or a sequence of them"
        ) from None
    if arr.ndim != 1:
        raise InputError("orders_per_day: expected a number or a 1-D sequence of numbers")
    bad = ~np.isfinite(arr) | (arr < 0)
    if bad.any():
        raise InputError(
            f"orders_per_day has {arr[bad][0]:g}; expected a number of orders per day >= 0"
        )
    return arr


def drivers(orders_per_day, std: Standards) -> pd.DataFrame:
    """Driver volumes per day at steady order levels (one row per level).

    Columns: ``orders, visitors, presale_chats, returns, aftersale_contacts, shipments,
    revenue_cny`` (per day) and ``skus, listings_per_month, campaigns_per_month``.
    """
    o = _orders_array(orders_per_day)
    visitors = o / std["conversion_rate"]
    presale = visitors * std["presale_inquiry_rate"]
    returns = o * std.return_rate
    aftersale = o * std["aftersale_contacts_per_order"] + returns * std["aftersale_contacts_per_return"]
    skus = np.full_like(o, std.skus) if std.skus is not None else o * std["skus_per_daily_order"]
    if std.new_listings_per_month is not None:
        listings = np.full_like(o, std.new_listings_per_month)
    else:
        listings = skus * std["listing_refresh_share_month"]
    campaigns = np.where(o > 0, std["campaigns_per_month"], 0.0)
    return pd.DataFrame({
        "orders": o, "visitors": visitors, "presale_chats": presale, "returns": returns,
        "aftersale_contacts": aftersale, "shipments": o, "revenue_cny": o * std["average_order_value_cny"],
        "skus": skus, "listings_per_month": listings, "campaigns_per_month": campaigns,
    })


def _lag(x: np.ndarray, days: float) -> np.ndarray:
    """Shift a daily series later by ``days`` (fractional days split between two days); the
    first days repeat the first value (the level before the series started)."""
    if days <= 0:
        return x.copy()
    lo = int(math.floor(days))
    w = days - lo
    pad = np.concatenate([np.full(lo + 1, x[0]), x])
    a = pad[1:len(pad) - lo] if lo else pad[1:]
    b = pad[:len(pad) - lo - 1]
    return (1 - w) * a[: len(x)] + w * b[: len(x)]


def series_drivers(orders: pd.Series, std: Standards) -> pd.DataFrame:
    """Driver volumes for a daily series of orders (index: dates), with the lags.

    After-sale contacts follow their orders by ``delivery_days``, returned parcels by
    ``return_lag_days``; shipments are the orders paid since the previous day's
    ``shipping_cutoff_hour`` (share from the orders' hour shape); catalogue drivers (SKUs,
    listings, campaigns) use the series' mean level.  Days before the series are taken to be
    like its first day.
    """
    if not isinstance(orders, pd.Series):
        raise InputError("orders: expected a pandas Series of orders per day indexed by date")
    o = _orders_array(orders.to_numpy())
    base = drivers(o, std)
    before_cutoff = _share_before(std.hour_shares["orders"], std["shipping_cutoff_hour"])
    shipments = before_cutoff * o + (1 - before_cutoff) * _lag(o, 1)
    returns = _lag(o, std["return_lag_days"]) * std.return_rate
    contacts_o = _lag(o, std["delivery_days"])
    after = contacts_o * std["aftersale_contacts_per_order"] + (
        contacts_o * std.return_rate * std["aftersale_contacts_per_return"])
    level = drivers([o.mean()], std)
    out = base.assign(shipments=shipments, returns=returns, aftersale_contacts=after)
    for c in ("skus", "listings_per_month", "campaigns_per_month"):
        out[c] = level[c].iloc[0]
    out.index = orders.index
    return out


def _share_before(hourly: np.ndarray, hour: float) -> float:
    """Share of a day's volume arriving before ``hour`` (linear within an hour)."""
    whole = int(math.floor(hour))
    frac = hour - whole
    s = hourly[:whole].sum()
    if whole < HOURS_PER_DAY_CLOCK:
        s += frac * hourly[whole]
    return float(s)


# --------------------------------------------------------------------------- customer service
def aht_profile(std: Standards, aht_s: float, concurrency: int) -> list[float] | None:
    """Handle time per chat at 1 .. ``concurrency`` open chats under the standards in force."""
    if concurrency <= 1:
        return None
    return queueing.linear_aht_profile(aht_s, concurrency, std["chat_aht_increase_per_extra_chat"])


def full_concurrency_s_per_chat(std: Standards, kind: str) -> float:
    """Agent seconds per chat when an agent runs the full concurrency (a backlog worked
    through): handle time at that concurrency / concurrency."""
    aht = std[f"{kind}_aht_s"]
    conc = std.int_value(f"{kind}_concurrency")
    profile = aht_profile(std, aht, conc)
    return (profile[-1] if profile else aht) / conc


def _open_mask(std: Standards) -> np.ndarray:
    starts = interval_starts_h(std)
    step = std["planning_interval_s"] / SECONDS_PER_HOUR
    return (starts >= std["cs_open_hour"] - 1e-9) & (starts + step <= std["cs_close_hour"] + 1e-9)


def queue_volumes(daily_volume: np.ndarray, std: Standards, kind: str) -> tuple[np.ndarray, np.ndarray]:
    """Chats per interval while customer service is open (rows: levels, columns: intervals)
    and the chats that arrive while it is closed (per level).

    Chats that arrive while customer service is closed wait for the next opening: they are
    answered as deferred work (their handling time counts, the response-time target cannot
    apply to them), not as part of the first interval's queue.
    """
    shares = interval_shares(std, kind)
    mask = _open_mask(std)
    if not mask.any():
        raise InputError(
            f"customer service is never open: cs_open_hour {std['cs_open_hour']:g}, cs_close_hour "
            f"{std['cs_close_hour']:g} with planning_interval_s {std['planning_interval_s']:g}; "
            "expected at least one whole interval between them"
        )
    daily_volume = np.asarray(daily_volume, dtype=float)
    open_vol = np.outer(daily_volume, np.where(mask, shares, 0.0))
    return open_vol, daily_volume * shares[~mask].sum()


def _size_queue(vol: np.ndarray, std: Standards, kind: str) -> pd.DataFrame:
    from ecomanalysis.queueing import required_agents

    aht = std[f"{kind}_aht_s"]
    conc = std.int_value(f"{kind}_concurrency")
    res = required_agents(
        vol.ravel(), aht, std["planning_interval_s"],
        sl_target=std["cs_service_level_target"], answer_within_s=std["cs_answer_within_s"],
        max_occupancy=std["cs_max_busy_share"], max_chats_held=std["cs_max_occupancy"] * conc,
        concurrency=conc, aht_by_concurrency=aht_profile(std, aht, conc),
    )
    return res


def _blended_hours(vol: np.ndarray, agents: np.ndarray, std: Standards, kind: str) -> np.ndarray:
    """Hours of agent time per interval: every agent but the first in full, the first for its
    handling time only (single-chat handle time / max occupancy, at most the interval)."""
    interval_h = std["planning_interval_s"] / SECONDS_PER_HOUR
    busy = vol * std[f"{kind}_aht_s"] / std["planning_interval_s"] / std["cs_max_occupancy"]
    first = np.where(agents >= 1, np.minimum(1.0, busy), 0.0)
    return interval_h * (np.maximum(agents - 1.0, 0.0) + first)


def _cs_arrays(daily: pd.DataFrame, std: Standards) -> dict[str, dict[str, np.ndarray]]:
    """Both queues for every row of ``daily``: volumes, queue results, hours (2-D arrays)."""
    mask = _open_mask(std)
    first_open = int(np.flatnonzero(mask)[0]) if mask.any() else 0
    out = {}
    for kind, col in (("presale", "presale_chats"), ("aftersale", "aftersale_contacts")):
        vol, backlog = queue_volumes(daily[col].to_numpy(), std, kind)
        res = _size_queue(vol, std, kind)
        agents = res["agents"].to_numpy().reshape(vol.shape)
        hours = _blended_hours(vol, agents, std, kind)
        deferred = np.zeros_like(vol)
        deferred[:, first_open] = backlog
        hours = hours + deferred * full_concurrency_s_per_chat(std, kind) / SECONDS_PER_HOUR / std["cs_max_occupancy"]
        out[kind] = {"volume": vol, "deferred": deferred, "agents": agents, "hours": hours, "res": res}
    return out


def cs_hours_per_day(daily: pd.DataFrame, std: Standards) -> dict[str, np.ndarray]:
    """Agent hours per day counted as work for each queue (one value per row of ``daily``)."""
    arrays = _cs_arrays(daily, std)
    return {kind: a["hours"].sum(axis=1) for kind, a in arrays.items()}


def cs_intervals(orders_per_day, std: Standards, daily: pd.DataFrame | None = None) -> pd.DataFrame:
    """Customer service per planning interval for each order level and queue.

    Returns a long DataFrame: ``level`` (row of ``orders_per_day``), ``orders_per_day``,
    ``queue`` (``presale``/``aftersale``), ``interval``, ``start_h``, ``open``, ``volume``
    (chats arriving in the interval while open), ``deferred`` (chats that arrived while closed,
    answered in the first open interval as deferred work), ``traffic_erlangs``, ``agents``,
    ``staffed`` (agents / (1 - cs_shrinkage)), ``service_level``, ``asa_s``, ``occupancy``,
    ``hours`` (agent hours counted as work, see the module notes) and ``coverage_hours`` (hours
    someone must be on duty).
    """
    if daily is None:
        daily = drivers(orders_per_day, std)
    starts = interval_starts_h(std)
    mask = _open_mask(std)
    interval_h = std["planning_interval_s"] / SECONDS_PER_HOUR
    frames = []
    for kind, a in _cs_arrays(daily, std).items():
        vol, agents, res = a["volume"], a["agents"], a["res"]
        n_levels, n_int = vol.shape
        frame = pd.DataFrame({
            "level": np.repeat(np.arange(n_levels), n_int),
            "orders_per_day": np.repeat(daily["orders"].to_numpy(), n_int),
            "queue": kind,
            "interval": np.tile(np.arange(n_int), n_levels),
            "start_h": np.tile(starts, n_levels),
            "open": np.tile(mask, n_levels),
            "volume": vol.ravel(),
            "deferred": a["deferred"].ravel(),
        })
        for c in ("traffic_erlangs", "agents", "service_level", "asa_s", "occupancy",
                  "mean_chats_held"):
            frame[c] = res[c].to_numpy() if c in res else np.nan
        frame["staffed"] = frame["agents"] / (1 - std["cs_shrinkage"])
        frame["hours"] = a["hours"].ravel()
        frame["coverage_hours"] = np.where(agents.ravel() >= 1, interval_h, 0.0)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


# --------------------------------------------------------------------------- hours per role
def _paid_hours_month(std: Standards, shrink_key: str) -> float:
    return std["hours_per_day"] * std["workdays_per_month"] * (1 - std[shrink_key])


def _pack_window_people_per_order(std: Standards) -> float:
    """Packers on duty per daily order so that everything paid before the cut-off is packed by
    the courier pick-up (people per order/day, before shrinkage).

    With ``A(s)`` the share of today's shipment arrived by time ``s`` (the overnight backlog is
    there at the warehouse start), packing at rate ``r`` finishes by the pick-up ``P`` when
    ``(1 - A(s)) / r <= P - s`` for every ``s`` between the start and the cut-off; a person also
    packs at most ``min(hours_per_day, P - start)`` hours in the window.
    """
    shares = std.hour_shares["orders"]
    start, cut, pick = std["warehouse_start_hour"], std["shipping_cutoff_hour"], std["courier_pickup_hour"]
    step = std["planning_interval_s"] / SECONDS_PER_HOUR
    grid = np.arange(start, cut + 1e-9, step)
    # share of today's shipment (paid from yesterday's cut-off to today's) arrived before s;
    # the overnight backlog is all there when work starts
    before_cut = _share_before(shares, cut)
    before_start = _share_before(shares, start)
    backlog = (1 - before_cut) + before_start
    arrived = np.array([_share_before(shares, s) - before_start for s in grid]) + backlog
    arrived[0] = 0.0  # at the start the backlog itself is still to pack
    need_rate = float(np.max((1 - arrived) / np.maximum(pick - grid, 1e-9)))
    need_rate = max(need_rate, 1.0 / min(std["hours_per_day"], pick - start))
    return need_rate / std["packing_orders_per_hour"]


def role_hours(daily: pd.DataFrame, std: Standards) -> pd.DataFrame:
    """Hours of work per month for each driven role (``queue`` and ``workload`` models).

    Parameters
    ----------
    daily
        Driver volumes per day, one row per level (from :func:`drivers` or
        :func:`series_drivers`).
    std
        The standards in force.
    Returns
    -------
    pandas.DataFrame
        Wide: one column per role, ``hours_month``; one row per row of ``daily``.
    """
    days = std["shop_open_days_per_month"]
    cs = cs_hours_per_day(daily, std)
    out = {"presale_cs": cs["presale"] * days, "aftersale_cs": cs["aftersale"] * days}
    # warehouse: packing, returns, overhead; at least the packers the cut-off window needs
    pack_h = daily["shipments"].to_numpy() / std["packing_orders_per_hour"]
    ret_h = daily["returns"].to_numpy() * std["return_processing_min"] / MINUTES_PER_HOUR
    work_h = (pack_h + ret_h) / (1 - std["warehouse_overhead_share"])
    window_h = daily["shipments"].to_numpy() * _pack_window_people_per_order(std) * std["hours_per_day"]
    out["warehouse_keeper"] = np.maximum(work_h, window_h) * days
    # design: listings and campaign pages
    week_h = _paid_hours_month(std, "shrinkage") * MONTHS_PER_YEAR / WEEKS_PER_YEAR
    h_per_listing = week_h / std["listings_per_designer_week"]
    listings = daily["listings_per_month"].to_numpy()
    campaigns = daily["campaigns_per_month"].to_numpy()
    skus = daily["skus"].to_numpy()
    out["designer"] = listings * h_per_listing + campaigns * std["design_hours_per_campaign_page"]
    out["operations_specialist"] = (skus * std["ops_hours_per_sku_month"]
                                    + listings * std["ops_hours_per_listing"]
                                    + campaigns * std["ops_hours_per_campaign"])
    revenue_month = daily["revenue_cny"].to_numpy() * days
    out["promotion_specialist"] = (revenue_month / std["revenue_per_promotion_fte_cny_month"]
                                   * _paid_hours_month(std, "shrinkage"))
    out["purchaser"] = skus * std["purchasing_hours_per_sku_month"]
    out["finance_settlement"] = daily["orders"].to_numpy() * days * std["finance_min_per_order"] / MINUTES_PER_HOUR
    return pd.DataFrame(out, index=daily.index)


def staffed_heads(agents: np.ndarray, std: Standards) -> np.ndarray:
    """Heads to schedule for productive agents: ``ceil(agents / (1 - cs_shrinkage))``, exact."""
    from ecomanalysis.queueing import staffed_from_agents

    return np.asarray(staffed_from_agents(np.asarray(agents, dtype=float), std["cs_shrinkage"]))


def shrinkage_key(role_id: str) -> str:
    """The shrinkage standard that applies to a role."""
    return "cs_shrinkage" if role_id in ("presale_cs", "aftersale_cs") else "shrinkage"


def fte_from_hours(hours_month: np.ndarray, std: Standards, role_id: str) -> np.ndarray:
    """Full-time equivalents for monthly hours of work."""
    return np.asarray(hours_month) / _paid_hours_month(std, shrinkage_key(role_id))


#: Standards giving the FTE at which a role gets its own person; the one whose ``role_ids``
#: lists the role applies (back-office roles wait for nearly a full person's work).
MIN_DEDICATED_KEYS = ("min_dedicated_fte", "min_dedicated_fte_back_office")


def min_dedicated_fte(std: Standards, role_id: str | None = None) -> float:
    """The workload (FTE) at which ``role_id`` gets its own person (``min_dedicated_fte`` or,
    for the roles it lists, ``min_dedicated_fte_back_office``)."""
    if role_id is not None:
        for key in MIN_DEDICATED_KEYS[1:]:
            if key in std and role_id in catalog.split_list(std.table.at[key, "role_ids"]):
                return float(std[key])
    return float(std["min_dedicated_fte"])


def dedicated_headcount(fte: np.ndarray, std: Standards, role_id: str | None = None) -> np.ndarray:
    """People for a workload: 0 below the role's :func:`min_dedicated_fte`, then
    ``ceil(fte - tolerance)`` (at least 1)."""
    fte = np.asarray(fte, dtype=float)
    tol = std["fte_overtime_tolerance"]
    n = np.maximum(1.0, np.ceil(np.round(fte - tol, 9)))
    return np.where(fte >= min_dedicated_fte(std, role_id) - 1e-12, n, 0.0).astype(int)


def interval_labels(std: Standards) -> list[str]:
    """``HH:MM`` start of each planning interval (see :func:`interval_starts_h`)."""
    return [clock(h) for h in interval_starts_h(std)]


def clock(hour: float) -> str:
    """``HH:MM`` of an hour of the day (``15.5`` -> ``15:30``)."""
    return f"{int(hour):02d}:{int(round(hour % 1 * 60)):02d}"


def simulation_options(std, queue: str) -> dict:
    """:func:`ecomanalysis.simulate.simulate_day` keywords of one chat queue (``presale``,
    ``aftersale``) from resolved standards: handle time, answer-within, concurrency and the
    slowdown per extra chat, handle-time spread, availability and patience (0 = nobody
    abandons).  The plan's check and the rosters' simulated days both read them from here (not
    from :mod:`ecomanalysis.simulate`, whose import loads numba)."""
    return dict(aht_s=std[f"{queue}_aht_s"], answer_within_s=std["cs_answer_within_s"],
                concurrency=int(round(std[f"{queue}_concurrency"])),
                aht_increase_per_extra_chat=std["chat_aht_increase_per_extra_chat"],
                handle_time_cv=std["cs_handle_time_cv"],
                availability_share=std["cs_availability_share"],
                patience_s=std["cs_patience_s"] or None)
