"""A deterministic sample shop: a year of orders and chat sessions of a shop growing through
the five stages of seed 002.  It is the main job's default input.

How the sample is built (every figure comes from a table with unit, range and source):

1. **Growth** (``data/stages.csv``, seed 002): each stage with figures gives an anchor at its
   middle day (stage 5, open-ended: at its first day, the shop's first birthday) with the
   geometric middle of its range (an open-ended stage: its low end, reached on its first day)
   -- daily orders from ``daily_orders_min/max``, daily visitors
   from ``daily_visitors_min/max``.  Stage 1 has no figures: ``stage_orders_per_day`` and
   ``stage_visitors_per_day`` in ``sample_shop_assumptions.csv``.  A stage with orders but no
   visitors (stage 5) gets visitors = orders / the implied conversion of the stage before.
   Between anchors the expected level is interpolated log-linearly; it stays flat outside.
2. **Week** (``weekday_factor``, Tianchi mum-baby data): Monday 1.06x .. Sunday 0.89x.
3. **Festivals** (``event_ratio``): the days around Double 11 and Double 12 are multiplied by
   the ratio measured in the Tianchi data (Double 11: 6.3x / 7.6x / 9.2x the baseline day in
   2012-2014); 618 uses an assumed ratio (the Tianchi years predate it).
4. **Day to day**: a log-normal factor (``daily_noise_cv``), then Poisson counts.
5. **Time of day**: orders follow the buy events per Beijing hour of the Taobao UserBehavior
   data (peak 21:00); chats follow its page views; on Double 11 a share of orders moves to
   00:00-01:00 (``event_first_hour_share``).  Seconds are uniform within the hour.
6. **Orders**: paid orders as above, plus unpaid and cancelled ones (``unpaid_rate``,
   ``cancelled_rate``) that the intake drops by default; amounts log-normal.
7. **Chats**: pre-sale = visitors x ``inquiry_rate``; after-sale = paid orders x
   ``after_sale_rate``, 1-5 days after the order; session lengths log-normal.  The owner answers
   alone until the stage that hires customer service (``data/stage_roles.csv``), a shared team
   follows, and pre-sale and after-sale split at the stage that lists both roles.  Agents are
   added per hour so that each holds about ``agent_concurrency_target`` sessions, with separate
   agents for each ``agent_shift_hours`` block of the day.

Everything random comes from one ``numpy.random.Generator`` seeded with ``seed``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ecomanalysis import config
from ecomanalysis._io import write_csv
from ecomanalysis.errors import InputError

ASSUMPTIONS_FILE = "sample_shop_assumptions.csv"
MEASURED_FILE = "calibration_measured.csv"
#: Launch day (day 0) of the sample shop.  With 365 days the year holds 618 (day 168),
#: Double 11 (day 314) and Double 12 (day 345) and ends on the eve of the first birthday.
DEFAULT_START = "2025-01-01"
DEFAULT_DAYS = 365
DEFAULT_SEED = 7
#: The sales festivals: name -> (month, day).
EVENTS = {"double11": (11, 11), "double12": (12, 12), "618": (6, 18)}
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
#: Roles (data/stage_roles.csv) that mark who answers chats.
CS_ROLE = "customer_service_specialist"
SPLIT_ROLES = ("presale_cs", "aftersale_cs")
CHANNELS = ("pre_sale", "after_sale")
SECONDS_PER_HOUR = 3600


# --------------------------------------------------------------------------- calibration
def load_calibration(data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """The sample shop's calibration: measured rows, then assumption rows (one table).

    Columns: ``parameter``, ``key``, ``value``, ``low``, ``high``, ``unit``, ``source``, ``how``
    and ``table`` (``measured`` or ``assumption``).
    """
    folder = Path(data_dir or config.DATA_DIR) / "examples"
    frames = []
    for name, table in ((MEASURED_FILE, "measured"), (ASSUMPTIONS_FILE, "assumption")):
        path = folder / name
        if not path.exists():
            raise InputError(
                f"{path}: missing; rebuild it with python -m ecomanalysis.intake.make_examples"
                if table == "measured" else f"{path}: missing"
            )
        df = pd.read_csv(path, dtype={"key": str}, keep_default_na=False, na_values=[""])
        df["key"] = df["key"].fillna("")
        df["table"] = table
        bad = df[pd.to_numeric(df["value"], errors="coerce").isna()]
        if len(bad):
            r = bad.index[0]
            raise InputError(
                f"{name} row {r + 2}: column 'value' has {df.loc[r, 'value']!r}; expected a number"
            )
        frames.append(df)
    return pd.concat(frames, ignore_index=True)


@dataclass
class Calibration:
    """The calibration table as arrays the generator uses."""

    hour_buy: np.ndarray
    hour_pv: np.ndarray
    weekday: np.ndarray
    event_ratio: dict[str, dict[int, float]]
    first_hour_share: dict[str, float]
    scalars: dict[str, float]
    keyed: dict[str, dict[str, float]]

    @classmethod
    def from_table(cls, cal: pd.DataFrame) -> Calibration:
        def shares(param: str, n: int) -> np.ndarray:
            rows = cal[cal["parameter"] == param]
            v = np.zeros(n)
            v[rows["key"].astype(int).to_numpy()] = rows["value"].astype(float).to_numpy()
            if len(rows) != n or v.sum() <= 0:
                raise InputError(f"calibration: {param} needs {n} rows with positive values")
            return v

        events: dict[str, dict[int, float]] = {}
        ev = cal[cal["parameter"] == "event_ratio"]
        for table in ("measured", "assumption"):  # assumption rows replace a whole event
            part = ev[ev["table"] == table]
            fresh: dict[str, dict[int, float]] = {}
            for key, value in zip(part["key"], part["value"].astype(float), strict=True):
                name, _, off = key.partition(":")
                fresh.setdefault(name, {})[int(off)] = value
            events.update(fresh)
        scal = cal[cal["key"] == ""]
        keyed: dict[str, dict[str, float]] = {}
        for p, k, v in zip(cal["parameter"], cal["key"], cal["value"].astype(float), strict=True):
            if k:
                keyed.setdefault(p, {})[k] = v
        fhs = cal[cal["parameter"] == "event_first_hour_share"]
        weekday = shares("weekday_factor", 7)
        return cls(
            hour_buy=shares("hour_share_buy", 24) / shares("hour_share_buy", 24).sum(),
            hour_pv=shares("hour_share_pv", 24) / shares("hour_share_pv", 24).sum(),
            weekday=weekday / weekday.mean(),
            event_ratio=events,
            first_hour_share=dict(zip(fhs["key"], fhs["value"].astype(float), strict=True)),
            scalars=dict(zip(scal["parameter"], scal["value"].astype(float), strict=True)),
            keyed=keyed,
        )

    def scalar(self, name: str) -> float:
        try:
            return self.scalars[name]
        except KeyError:
            raise InputError(f"calibration: parameter {name!r} missing from {ASSUMPTIONS_FILE}") from None


# --------------------------------------------------------------------------- growth
def _stages(data_dir=None) -> pd.DataFrame:
    try:
        from ecomanalysis.catalog import load_stages
    except ImportError:  # pragma: no cover - the catalog ships with the package
        return pd.read_csv(Path(data_dir or config.DATA_DIR) / "stages.csv")
    return load_stages(data_dir=data_dir)


def _level(low, high, open_ended: bool) -> float:
    """A stage's anchor level: the geometric middle of its range, or its low end when the stage
    is open-ended (the shop enters it at the low end on its first day)."""
    if pd.isna(low) or pd.isna(high):
        return np.nan
    return float(low) if open_ended else float(np.sqrt(float(low) * float(high)))


def stage_anchors(stages: pd.DataFrame, cal: Calibration) -> pd.DataFrame:
    """One anchor per stage with figures: ``day``, ``orders_per_day``, ``visitors_per_day``."""
    st = stages.sort_values("stage_id").reset_index(drop=True)
    rows = []
    last_conversion = np.nan
    for _, s in st.iterrows():
        lo, hi = float(s["days_since_launch_min"]), s["days_since_launch_max"]
        open_ended = pd.isna(hi)
        day = lo if open_ended else (lo + float(hi)) / 2
        orders = _level(s["daily_orders_min"], s["daily_orders_max"], open_ended)
        visitors = _level(s["daily_visitors_min"], s["daily_visitors_max"], open_ended)
        key = str(int(s["stage_id"]))
        if np.isnan(orders):
            orders = cal.keyed.get("stage_orders_per_day", {}).get(key, np.nan)
        if np.isnan(visitors):
            visitors = cal.keyed.get("stage_visitors_per_day", {}).get(key, np.nan)
        if np.isnan(visitors) and not np.isnan(orders) and not np.isnan(last_conversion):
            visitors = orders / last_conversion
        if not np.isnan(orders) and not np.isnan(visitors):
            last_conversion = orders / visitors
        if np.isnan(orders) and np.isnan(visitors):
            continue  # no figures: interpolated between its neighbours
        rows.append({"stage_id": int(s["stage_id"]), "day": day, "orders_per_day": orders,
                     "visitors_per_day": visitors})
    return pd.DataFrame(rows)


def growth_curve(days: int, stages: pd.DataFrame, cal: Calibration) -> pd.DataFrame:
    """Expected paid orders and visitors per day (before week, festivals and noise)."""
    anchors = stage_anchors(stages, cal)
    d = np.arange(days, dtype=float)
    out = {"day": d.astype(int)}
    for col in ("orders_per_day", "visitors_per_day"):
        a = anchors.dropna(subset=[col])
        out[col] = np.exp(np.interp(d, a["day"].to_numpy(), np.log(a[col].to_numpy())))
    st = stages.sort_values("days_since_launch_min")
    idx = np.searchsorted(st["days_since_launch_min"].to_numpy(dtype=float), d, side="right") - 1
    out["stage_id"] = st["stage_id"].to_numpy()[np.clip(idx, 0, len(st) - 1)]
    return pd.DataFrame(out)


def event_multipliers(dates: pd.DatetimeIndex, cal: Calibration) -> tuple[np.ndarray, np.ndarray]:
    """(multiplier per day, name of the event day or '' per day)."""
    mult = np.ones(len(dates))
    label = np.full(len(dates), "", dtype=object)
    for name, (month, day) in EVENTS.items():
        ratios = cal.event_ratio.get(name, {})
        for year in np.unique(dates.year):
            d0 = pd.Timestamp(year=int(year), month=month, day=day)
            for off, ratio in ratios.items():
                hit = dates == d0 + pd.Timedelta(days=off)
                mult[hit] *= ratio
                if off == 0:
                    label[hit] = name
    return mult, label


# --------------------------------------------------------------------------- events in time
def _times(rng, day_index: np.ndarray, start: pd.Timestamp, hour_p: np.ndarray,
           midnight_share: np.ndarray | None = None) -> np.ndarray:
    """Random times (datetime64[s]) on the given days, hours drawn from ``hour_p``."""
    n = len(day_index)
    hours = rng.choice(24, size=n, p=hour_p)
    if midnight_share is not None:
        moved = rng.random(n) < midnight_share[day_index]
        hours[moved] = 0
    secs = day_index * 86_400 + hours * SECONDS_PER_HOUR + rng.integers(0, SECONDS_PER_HOUR, n)
    return np.datetime64(start.date(), "s") + secs.astype("timedelta64[s]")


def _lognormal(rng, mean: float, cv: float, n: int) -> np.ndarray:
    sigma = np.sqrt(np.log1p(cv**2))
    return rng.lognormal(np.log(mean) - sigma**2 / 2, sigma, n)


def _cs_stages(data_dir=None) -> tuple[int | None, int | None]:
    """(first stage with a customer-service hire, first stage with pre/after-sale split)."""
    try:
        from ecomanalysis.catalog import load_stage_roles

        sr = load_stage_roles(data_dir=data_dir)
    except (ImportError, InputError):  # pragma: no cover - depends on a sibling table
        return None, None
    first = lambda roles: sr.loc[sr["role_id"].isin(roles), "stage_id"].min()  # noqa: E731
    cs, split = first([CS_ROLE]), first(list(SPLIT_ROLES))
    return (None if pd.isna(cs) else int(cs)), (None if pd.isna(split) else int(split))


def _assign_agents(start_s: np.ndarray, slot_s: np.ndarray, pool: np.ndarray,
                   shift_h: int) -> np.ndarray:
    """Agent names for sessions starting at ``start_s`` (seconds from launch, launch at 00:00).

    ``slot_s`` is a session's length divided by the number of sessions an agent of its channel
    holds at once.  Per pool and clock hour there are enough agents to cover the hour's slot
    time (sum of ``slot_s`` / 3600 s, at least one); sessions go round-robin in start order.  Each ``shift_h``-hour block of the day has its own agents: pre01..pre03 on the
    first shift, pre04.. on the next, numbered per pool.  The pool ``owner`` is one person.
    """
    n = len(start_s)
    agents = np.empty(n, dtype=object)
    if n == 0:
        return agents
    hour_key = start_s // SECONDS_PER_HOUR
    shift = (hour_key % 24) // shift_h
    n_shifts = 24 // shift_h
    pools, pool_code = np.unique(pool, return_inverse=True)
    order = np.lexsort((start_s, hour_key, pool_code))
    grp = pool_code[order] * (hour_key.max() + 1) + hour_key[order]
    first = np.r_[True, grp[1:] != grp[:-1]]
    gid = np.cumsum(first) - 1
    load = np.bincount(gid, weights=slot_s[order])
    need = np.maximum(1, np.ceil(load / SECONDS_PER_HOUR)).astype(int)
    rank = np.arange(n) - np.flatnonzero(first)[gid]
    idx = rank % need[gid]
    # agents of earlier shifts come first in the numbering of a pool
    g_pool, g_shift = pool_code[order][first], shift[order][first]
    most = np.zeros((len(pools), n_shifts), dtype=int)
    np.maximum.at(most, (g_pool, g_shift), need)
    offset = np.cumsum(most, axis=1) - most
    number = offset[pool_code[order], shift[order]] + idx + 1
    names = pools[pool_code[order]].astype(str)
    labels = np.where(names == "owner", "owner",
                      np.char.add(names, np.char.zfill(number.astype(str), 2)))
    agents[order] = labels
    return agents


@dataclass
class SampleShop:
    """A generated shop: ``orders``, ``chats`` and the ``daily`` plan behind them."""

    orders: pd.DataFrame
    chats: pd.DataFrame
    daily: pd.DataFrame
    seed: int
    start: str


def generate_sample_shop(days: int = DEFAULT_DAYS, seed: int = DEFAULT_SEED,
                         start: str = DEFAULT_START, data_dir=None) -> SampleShop:
    """Generate the sample shop.

    Parameters
    ----------
    days
        Days from launch (day 0 = ``start``).
    seed
        Seed of the random generator; the same seed gives the same shop.
    start
        Launch date, ``YYYY-MM-DD``.
    data_dir
        Folder holding ``stages.csv``, ``stage_roles.csv`` and ``examples/`` (default
        ``config.DATA_DIR``).

    Returns
    -------
    SampleShop
        ``orders``: order_id, order_time, amount, status (paid / unpaid / cancelled), sorted by
        time.  ``chats``: start_time, duration_s, agent, channel (pre_sale / after_sale),
        sorted by time (no session id, like most chat exports, which keeps the file small).  ``daily``: date, day, stage_id, event, expected and realised visitors and
        paid orders, pre-sale chats and after-sale contacts.
    """
    if int(days) < 1:
        raise InputError(f"--days {days}: expected at least 1 day")
    try:
        launch = pd.Timestamp(start)
    except ValueError:
        raise InputError(f"--start {start!r}: expected a date such as 2025-01-01") from None
    rng = np.random.default_rng(int(seed))
    cal = Calibration.from_table(load_calibration(data_dir))
    stages = _stages(data_dir)
    plan = growth_curve(int(days), stages, cal)
    dates = pd.date_range(launch.normalize(), periods=int(days), freq="D")
    event_mult, event_label = event_multipliers(dates, cal)
    week = cal.weekday[dates.day_of_week]
    noise = _lognormal(rng, 1.0, cal.scalar("daily_noise_cv"), len(dates))
    factor = week * event_mult * noise
    mu_orders = plan["orders_per_day"].to_numpy() * factor
    mu_visitors = plan["visitors_per_day"].to_numpy() * factor
    paid = rng.poisson(mu_orders)
    visitors = rng.poisson(mu_visitors)
    unpaid = rng.poisson(mu_orders * cal.scalar("unpaid_rate"))
    cancelled = rng.poisson(mu_orders * cal.scalar("cancelled_rate"))
    orders = _sample_orders(rng, launch, cal, event_label, paid, unpaid, cancelled)
    chats, pre, post_days = _sample_chats(rng, launch, cal, plan, visitors, paid, data_dir)
    daily = pd.DataFrame({
        "date": dates, "day": plan["day"], "stage_id": plan["stage_id"], "event": event_label,
        "expected_orders": plan["orders_per_day"] * factor, "orders_paid": paid,
        "orders_unpaid": unpaid, "orders_cancelled": cancelled,
        "expected_visitors": plan["visitors_per_day"] * factor, "visitors": visitors,
        "presale_chats": pre,
        "aftersale_contacts": np.bincount(post_days, minlength=len(dates)),
    })
    return SampleShop(orders=orders, chats=chats, daily=daily, seed=int(seed), start=str(launch.date()))


def _sample_orders(rng: np.random.Generator, launch: pd.Timestamp, cal: Calibration,
                   event_label, paid: np.ndarray, unpaid: np.ndarray,
                   cancelled: np.ndarray) -> pd.DataFrame:
    """The order rows of the days' paid, unpaid and cancelled orders, sorted by time."""
    midnight = np.array([cal.first_hour_share.get(e, 0.0) for e in event_label])
    day_idx = np.arange(len(paid))
    status = np.repeat(np.array(["paid", "unpaid", "cancelled"], dtype=object),
                       [paid.sum(), unpaid.sum(), cancelled.sum()])
    order_days = np.concatenate([np.repeat(day_idx, paid), np.repeat(day_idx, unpaid),
                                 np.repeat(day_idx, cancelled)])
    order_t = _times(rng, order_days, launch, cal.hour_buy, midnight)
    amount = np.round(_lognormal(rng, cal.scalar("order_amount_mean_cny"),
                                 cal.scalar("order_amount_cv"), len(order_t)), 2)
    o = np.argsort(order_t, kind="stable")
    return pd.DataFrame({
        "order_id": [f"S{i:08d}" for i in range(1, len(o) + 1)],
        "order_time": order_t[o],
        "amount": amount[o],
        "status": status[o],
    })


def _sample_chats(rng: np.random.Generator, launch: pd.Timestamp, cal: Calibration,
                  plan: pd.DataFrame, visitors: np.ndarray, paid: np.ndarray,
                  data_dir) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Chats: pre-sale from visitors, after-sale from paid orders some days later, each given
    to an agent of the stage's pool; also the pre-sale chats per day and the after-sale
    contacts' days."""
    n_days = len(paid)
    day_idx = np.arange(n_days)
    pre = rng.poisson(visitors * cal.scalar("inquiry_rate"))
    pre_days = np.repeat(day_idx, pre)
    paid_days = np.repeat(day_idx, paid)
    contact = rng.random(len(paid_days)) < cal.scalar("after_sale_rate")
    lag = rng.integers(int(cal.scalar("after_sale_lag_days_min")),
                       int(cal.scalar("after_sale_lag_days_max")) + 1, contact.sum())
    post_days = paid_days[contact] + lag
    post_days = post_days[post_days < n_days]
    chat_days = np.concatenate([pre_days, post_days])
    channel = np.repeat(np.array(CHANNELS, dtype=object), [len(pre_days), len(post_days)])
    chat_t = _times(rng, chat_days, launch, cal.hour_pv)
    handle = np.where(
        channel == "pre_sale",
        _lognormal(rng, cal.keyed["handle_s_mean"]["pre_sale"], cal.scalar("handle_s_cv"), len(channel)),
        _lognormal(rng, cal.keyed["handle_s_mean"]["after_sale"], cal.scalar("handle_s_cv"), len(channel)),
    ).round().astype("int64")
    cs_stage, split_stage = _cs_stages(data_dir)
    stage_of_chat = plan["stage_id"].to_numpy()[chat_days]
    pool = np.where(channel == "pre_sale", "pre", "post").astype(object)
    if split_stage is not None:
        pool[stage_of_chat < split_stage] = "cs"
    if cs_stage is not None:
        pool[stage_of_chat < cs_stage] = "owner"
    start_s = (chat_t - np.datetime64(launch.date(), "s")).astype("int64")
    shift_h = int(cal.scalar("agent_shift_hours"))
    if shift_h <= 0 or 24 % shift_h:
        raise InputError(f"calibration: agent_shift_hours {shift_h} must divide 24")
    targets = cal.keyed["agent_concurrency_target"]
    target = np.where(channel == "pre_sale", targets["pre_sale"], targets["after_sale"])
    agent = _assign_agents(start_s, handle / target, pool, shift_h)
    c = np.argsort(chat_t, kind="stable")
    return pd.DataFrame({
        "start_time": chat_t[c],
        "duration_s": handle[c],
        "agent": agent[c],
        "channel": channel[c],
    }), pre, post_days


def write_sample_shop(out_dir: str | os.PathLike, days: int = DEFAULT_DAYS, seed: int = DEFAULT_SEED,
                      start: str = DEFAULT_START, data_dir=None) -> dict[str, Path]:
    """Generate the sample shop and write ``orders.csv`` and ``chats.csv`` into ``out_dir``."""
    shop = generate_sample_shop(days, seed, start, data_dir)
    out = Path(out_dir)
    orders = shop.orders.assign(order_time=shop.orders["order_time"].dt.strftime(TIME_FORMAT))
    chats = shop.chats.assign(start_time=shop.chats["start_time"].dt.strftime(TIME_FORMAT))
    return {
        "orders": write_csv(out / "orders.csv", orders),
        "chats": write_csv(out / "chats.csv", chats),
    }


def sample_shop_paths() -> dict[str, Path]:
    """The bundled sample shop (seed 7, 365 days) in ``data/shops/sample``."""
    folder = config.SHOPS_DIR / "sample"
    return {"orders": folder / "orders.csv", "chats": folder / "chats.csv"}
