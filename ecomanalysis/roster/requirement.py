"""Requirements for the roster: people needed on seat per interval, one row per day.

* :func:`cs_requirement` — customer service from the shop's plan (``plan.cs``: productive
  agents per planning interval, not heads: shrinkage is what breaks, rest days and absence
  take, and the roster places those itself).  Days of an event week take their forecast
  orders and the event's opening hours (``data/event_hours.csv``: Double 11 opens at 00:00).
* :func:`warehouse_requirement` — packers on duty so that every order paid before the cut-off
  is packed by the courier pick-up, with the same contracts and rules.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from ecomanalysis import config
from ecomanalysis.errors import InputError
from ecomanalysis.roster.problem import WEEKDAY_NAMES

SECONDS_PER_MINUTE = 60
MINUTES_PER_DAY = 24 * 60
DAYS_PER_WEEK = 7


def load_event_hours(path=None) -> pd.DataFrame:
    """``data/event_hours.csv``: the desk's opening hours on event days."""
    p = path or config.DATA_DIR / "event_hours.csv"
    df = pd.read_csv(p, dtype={"month_day": str, "event_id": str})
    bad = df[(df["open_hour"] < 0) | (df["close_hour"] > 24) | (df["open_hour"] >= df["close_hour"])]
    if len(bad):
        raise InputError(f"{p} row {bad.index[0] + 2}: open_hour/close_hour {bad.iloc[0]['open_hour']}-"
                         f"{bad.iloc[0]['close_hour']}; expected 0 <= open < close <= 24")
    return df


def _grid(frame: pd.DataFrame, interval_minutes: int) -> np.ndarray:
    """Agents per interval of the whole day from a plan.cs-like frame (missing = closed = 0)."""
    n = MINUTES_PER_DAY // interval_minutes
    out = np.zeros(n)
    idx = np.round(frame["interval_start_h"].to_numpy() * 60 / interval_minutes).astype(int)
    np.maximum.at(out, idx, frame["agents"].to_numpy(dtype=float))
    return np.ceil(out - 1e-9).astype(int)


def requirement_frame(rows: dict[str, np.ndarray], interval_minutes: int) -> pd.DataFrame:
    """``{day: people per interval}`` -> the roster's requirement DataFrame."""
    from ecomanalysis.roster.templates import min_to_hhmm

    cols = [min_to_hhmm(i * interval_minutes) for i in range(MINUTES_PER_DAY // interval_minutes)]
    df = pd.DataFrame(np.vstack(list(rows.values())), columns=cols)
    df.insert(0, "day", list(rows))
    return df


def week_dates(week) -> list[date]:
    """The seven dates from ``week`` (any date; rosters start on the Monday of its week)."""
    try:
        d = pd.Timestamp(week).date()
    except (ValueError, TypeError) as exc:
        raise InputError(f"--week has {week!r}; expected a date such as 2026-11-09") from exc
    monday = d - timedelta(days=d.weekday())
    return [monday + timedelta(days=i) for i in range(DAYS_PER_WEEK)]


def day_orders(plan, dates: list[date]) -> np.ndarray:
    """Orders each day: the peak forecast where it covers the date, else the plan's level."""
    orders = np.full(len(dates), float(plan.orders_per_day))
    peak = getattr(plan, "peak", None)
    if peak is not None and getattr(peak, "forecast", None) is not None:
        fc = peak.forecast.set_index(pd.to_datetime(peak.forecast["date"]).dt.date)["forecast"]
        for i, d in enumerate(dates):
            if d in fc.index:
                orders[i] = max(float(fc.loc[d]), 0.0)
    return orders


def cs_requirement(plan, *, week=None, queues=("presale", "aftersale")) -> tuple[dict, pd.DataFrame]:
    """Customer-service requirement from a :class:`~ecomanalysis.plan.ShopPlan`.

    Without ``week`` every day of a normal week is the plan's day (``plan.cs``).  With
    ``week`` (a date) each day of that Monday-Sunday week takes its forecast orders and, on
    event days, the event's opening hours; such days are recomputed with the workload model
    the plan itself uses.

    Returns ``({queue: requirement}, days)`` where ``days`` has ``day, date, orders_per_day,
    open_hour, event`` per row.
    """
    from ecomanalysis import workload

    std = plan.std
    interval_minutes = int(std["planning_interval_s"] // SECONDS_PER_MINUTE)
    dates = week_dates(week) if week is not None else None
    labels = [str(d) for d in dates] if dates else list(WEEKDAY_NAMES)
    orders = day_orders(plan, dates) if dates else np.full(DAYS_PER_WEEK, float(plan.orders_per_day))
    hours = load_event_hours()
    rows = {q: {} for q in queues}
    info = []
    for i, label in enumerate(labels):
        md = dates[i].strftime("%m-%d") if dates else None
        ev = hours[hours["month_day"] == md] if md else hours.iloc[0:0]
        open_h = float(ev["open_hour"].min()) if len(ev) else float(std["cs_open_hour"])
        close_h = float(ev["close_hour"].max()) if len(ev) else float(std["cs_close_hour"])
        same = abs(orders[i] - plan.orders_per_day) < 1e-9 and not len(ev)
        if same:
            cs = plan.cs
        else:
            s = std.with_overrides(cs_open_hour=open_h, cs_close_hour=close_h)
            cs = workload.cs_intervals([orders[i]], s)
            cs = cs[cs["open"]].rename(columns={"start_h": "interval_start_h"})
        for q in queues:
            rows[q][label] = _grid(cs[cs["queue"] == q], interval_minutes)
        info.append({"day": label, "date": dates[i] if dates else None, "orders_per_day": orders[i],
                     "open_hour": open_h, "event": ";".join(ev["event_id"]) if len(ev) else ""})
    return {q: requirement_frame(rows[q], interval_minutes) for q in queues}, pd.DataFrame(info)


def warehouse_requirement(plan, *, week=None) -> pd.DataFrame:
    """Packers on seat per interval: from the warehouse start to the courier pick-up, enough
    people that everything paid before the cut-off is packed by the pick-up, and enough
    hours for the day's packing, returns and housekeeping (``staffing.warehouse_breakdown``)."""
    from ecomanalysis import staffing

    std = plan.std
    interval_minutes = int(std["planning_interval_s"] // SECONDS_PER_MINUTE)
    dates = week_dates(week) if week is not None else None
    labels = [str(d) for d in dates] if dates else list(WEEKDAY_NAMES)
    orders = day_orders(plan, dates) if dates else np.full(DAYS_PER_WEEK, float(plan.orders_per_day))
    wb = staffing.warehouse_breakdown(orders, std=std)
    start, pick = std["warehouse_start_hour"], std["courier_pickup_hour"]
    window_h = pick - start
    people = np.ceil(np.maximum(wb["cutoff_people"].to_numpy(), wb["work_h"].to_numpy() / window_h) - 1e-9)
    t = np.arange(MINUTES_PER_DAY // interval_minutes) * interval_minutes / 60
    open_ = (t >= start - 1e-9) & (t + interval_minutes / 60 <= pick + 1e-9)
    rows = {label: np.where(open_, people[i], 0).astype(int) for i, label in enumerate(labels)}
    return requirement_frame(rows, interval_minutes)
