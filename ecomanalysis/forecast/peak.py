"""Peak plan: forecast + standards -> the team per role per day around Double 11, 618 ...

One call plans a shop's next promotion peak::

    from ecomanalysis.forecast import peak_plan, next_peak

    plan = peak_plan(shop)                  # next Double 11 of the shop (default: the sample)
    plan.daily                              # date x role: headcount the staffing model asks
    plan.temps                              # per unit of roles: permanent, peak need, temps
    plan.hire_by                            # when to start hiring (ramp-up + recruitment lead)
    plan.overtime_vs_temps                  # overtime first (Labour Law limits) vs temps only
    plan.service_level_permanent            # chats answered in time with the permanent team
    next_peak(shop)                         # the next big event day of the calendar

How the figures are made (every number from ``data/standards.csv`` or ``events_cn.csv``):

Forecast
    :func:`~ecomanalysis.forecast.fit_forecast` on the shop's daily orders (its order file
    through :mod:`ecomanalysis.intake`, or ``history=``) with the event calendar, up to the
    end of the plan window.  A shop without an order history gets a flat baseline at its
    current orders (profile) times the calendar's default uplifts.
Windows
    *baseline*: the ``recent_days_for_level`` days before the event's pre-sale (预售) starts;
    *peak window*: from the pre-sale's first day to the core window's last day plus the longer
    of ``delivery_days`` and ``return_lag_days`` (after-sale chats and returned parcels arrive
    that much later) plus the day the fractional lag spills into.
Headcount
    :func:`ecomanalysis.staffing.requirements_series` on the forecast, day by day (its lags,
    cut-off and queues); "people" means what that function means: the team that would carry
    that day's load with normal days off and shrinkage.
Permanent team
    ``permanent="team"``: the shop's current team (catalogue roles grouped into units of model
    roles as in :func:`ecomanalysis.staffing.team_gap`); ``"baseline"``: the requirement on
    normal days, i.e. the largest daily headcount of the baseline window; ``"auto"`` (default):
    the larger of the two per unit (a team short on normal days must hire permanently anyway;
    the plan names that structural gap).
Temporary staff
    For the roles a ``*_ramp_days`` standard lists (customer service, warehouse):
    ``temps = max(0, peak-window requirement - permanent)``, the largest day of the window.
    Temps are booked by the day (agency or day labour): paid for the days they are needed plus
    their ramp-up days.
    Other roles whose requirement jumps on the peak day (supervisors, finance, promotion...)
    are named in the messages, not staffed with temps.
Hire-by date
    ``start_by = first day temps are needed - ramp-up days`` (the temp's first day, training
    begins); ``hire_by = start_by - recruitment_lead_days`` (post the job / call the agency).
    The range uses the standards' low and high values.
Overtime versus temps
    The permanent team first works overtime within PRC Labour Law art. 41
    (``overtime_max_hours_per_day`` each day, ``overtime_max_hours_per_month`` per calendar
    month; assumed unused before the window), given to the days with the largest shortfall
    first; overtime hours are as productive as normal paid hours (same shrinkage).  The hours
    still missing become temps with the staffing model's people rule.  Costs: temps at the
    role's monthly employer cost / ``shop_open_days_per_month`` x ``temp_wage_multiplier`` per
    person-day (days needed + ramp-up days of each temp hired); overtime at the hourly employer
    cost (monthly cost / (``workdays_per_month`` x ``hours_per_day``)) x
    ``overtime_pay_multiplier``.
Service level
    Each chat queue on its busiest day of the window, at its busiest planning interval, with the
    permanent agents all scheduled for that interval (productive agents: the most whose
    ``ceil(agents / (1 - cs_shrinkage))`` fits in the heads), and with the temps of that day
    added; :func:`ecomanalysis.queueing.queue_metrics` with the same chat model the staffing
    model sizes the queues with.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ecomanalysis import config, staffing, workload
from ecomanalysis.errors import InputError
from ecomanalysis.forecast import events as ev
from ecomanalysis.forecast.model import (
    DEFAULT_LEVEL,
    MAX_HORIZON_DAYS,
    WEEKLY_MIN_DAYS,
    fit_forecast,
    prepare_series,
)

#: Default event of a plan.
DEFAULT_EVENT = "double11"
#: A standard whose id ends so and whose ``role_ids`` lists a role makes the role staffable
#: with temporary staff; its value is the ramp-up in days.
RAMP_SUFFIX = "_ramp_days"
#: Forecast columns a plan can be sized on.
SCENARIOS = ("forecast", "lower", "upper")
PERMANENT_MODES = ("auto", "team", "baseline")
#: Days of the flat history given to the forecast for a shop without an order history: fewer
#: than the weekly model needs, so the forecast is the flat level times the default uplifts.
FLAT_HISTORY_DAYS = WEEKLY_MIN_DAYS - 1
FLAT_NAME = "flat baseline"
CS_ROLES = {"presale": "presale_cs", "aftersale": "aftersale_cs"}
QUEUE_DRIVERS = {"presale": "presale_chats", "aftersale": "aftersale_contacts"}

TEMP_COLUMNS = ["unit", "name", "temp_staffable", "permanent", "current_team",
                "baseline_required", "peak_required", "peak_day", "temps", "structural_gap"]
HIRE_COLUMNS = ["unit", "name", "temps", "first_day", "last_day", "ramp_days", "ramp_days_low",
                "ramp_days_high", "lead_days", "lead_days_low", "lead_days_high", "start_by",
                "hire_by", "hire_by_earliest", "hire_by_latest", "late"]
OT_COLUMNS = ["unit", "name", "permanent", "gap_hours", "overtime_hours_limit", "overtime_hours",
              "overtime_share_of_gap", "temps_only", "temps_with_overtime", "temp_days_only",
              "temp_days_with_overtime", "cost_temps_only_cny", "cost_overtime_cny",
              "cost_temps_with_overtime_cny", "cost_overtime_option_cny", "cheaper"]
SERVICE_COLUMNS = ["queue", "date", "start_h", "volume", "traffic_erlangs", "agents_required",
                   "heads_permanent", "agents_permanent", "sl_permanent", "heads_with_temps",
                   "agents_with_temps", "sl_with_temps", "sl_target"]


@dataclass(frozen=True)
class NextPeak:
    """The next occurrence of a peak event.

    Attributes
    ----------
    event_id, name_zh, name_en
        The event (``events_cn.csv`` or a shop's file).
    date
        Its anchor day (11-11 for Double 11; the first day of a dated campaign).
    year
        The year of that occurrence.
    uplift
        Default multiplier of the anchor day (x baseline day; NaN for a campaign without one).
    """

    event_id: str
    name_zh: str
    name_en: str
    date: pd.Timestamp
    year: int
    uplift: float


@dataclass
class PeakPlan:
    """Staffing plan for one event occurrence; built by :func:`peak_plan`.

    Attributes
    ----------
    shop_name, event_id, event_name, year
        What was planned.
    peak_date
        The busiest forecast day of the event's core window.
    peak_orders, peak_orders_lower, peak_orders_upper
        Forecast orders on that day and its prediction interval.
    baseline_orders
        Median forecast day of the baseline window (orders per day).
    baseline_window, peak_window
        ``(first, last)`` days.
    today
        The day the plan is made as of (history end + 1 day, or the date given).
    scenario
        Forecast column the plan is sized on (``forecast``, ``lower`` or ``upper``).
    permanent_basis
        ``auto``, ``team`` or ``baseline`` (see :func:`peak_plan`).
    forecast
        The forecast frame (``date, forecast, lower, upper, event``) from the history's end to
        the end of the peak window; ``history`` the daily orders it was fitted on.
    daily
        Date x role headcount over the baseline and peak windows (role ids as columns).
    requirements
        The long output of :func:`~ecomanalysis.staffing.requirements_series` (one row per
        date and role) for the same days.
    units
        Per unit of roles and day of the peak window: ``date, unit, required, permanent,
        temps, need_hours, overtime_hours, temps_with_overtime``.
    temps
        :data:`TEMP_COLUMNS`, one row per unit.
    hire_by
        :data:`HIRE_COLUMNS`, one row per unit that needs temps.
    overtime_vs_temps
        :data:`OT_COLUMNS`, one row per temp-staffable unit.
    service
        :data:`SERVICE_COLUMNS` at each queue's busiest interval; ``service_by_interval``
        the same columns for every open interval of that queue's busiest day.
    service_level_permanent
        The lower of the queues' service levels with the permanent team alone (share of chats
        answered within ``cs_answer_within_s``); ``service_level_with_temps`` with the temps;
        ``service_level_target`` the target.
    messages
        What the user should know (history used, fallbacks, gaps, late hiring ...).
    effects
        The forecast's event effects (history or default uplift).
    verdict
        The automatic model's backtest verdict (``winner, wape, seasonal_naive_wape,
        beats_naive, ...``; :func:`ecomanalysis.forecast.verdict`), None for other models.
    """

    shop_name: str
    event_id: str
    event_name: str
    year: int
    peak_date: pd.Timestamp
    peak_orders: float
    peak_orders_lower: float
    peak_orders_upper: float
    baseline_orders: float
    baseline_window: tuple[pd.Timestamp, pd.Timestamp]
    peak_window: tuple[pd.Timestamp, pd.Timestamp]
    today: pd.Timestamp
    scenario: str
    permanent_basis: str
    forecast: pd.DataFrame
    history: pd.Series
    daily: pd.DataFrame
    requirements: pd.DataFrame
    units: pd.DataFrame
    temps: pd.DataFrame
    hire_by: pd.DataFrame
    overtime_vs_temps: pd.DataFrame
    service: pd.DataFrame
    service_by_interval: pd.DataFrame
    service_level_permanent: float
    service_level_with_temps: float
    service_level_target: float
    messages: list[str] = field(default_factory=list)
    effects: pd.DataFrame = field(default_factory=pd.DataFrame)
    verdict: dict | None = None

    @property
    def temps_total(self) -> int:
        """Temporary staff over every unit (temps-only option)."""
        return int(self.temps["temps"].sum())

    @property
    def hire_by_date(self) -> pd.Timestamp | None:
        """The earliest hire-by date over the units that need temps (None if none do)."""
        return self.hire_by["hire_by"].min() if len(self.hire_by) else None

    def summary(self) -> dict[str, Any]:
        """Key figures (plain Python values) for a report or ``metrics.json``."""
        ot = self.overtime_vs_temps
        hb = self.hire_by_date
        return {
            "event_id": self.event_id,
            "peak_date": f"{self.peak_date:%Y-%m-%d}",
            "peak_orders": round(float(self.peak_orders), 1),
            "baseline_orders": round(float(self.baseline_orders), 1),
            "temps_total": self.temps_total,
            "temps_with_overtime_total": int(ot["temps_with_overtime"].sum()) if len(ot) else 0,
            "hire_by": f"{hb:%Y-%m-%d}" if hb is not None else "",
            "cost_temps_only_cny": round(float(ot["cost_temps_only_cny"].sum()), 0),
            "cost_overtime_option_cny": round(float(ot["cost_overtime_option_cny"].sum()), 0),
            "sl_permanent": round(float(self.service_level_permanent), 4),
            "sl_with_temps": round(float(self.service_level_with_temps), 4),
            "sl_target": float(self.service_level_target),
        }


# --------------------------------------------------------------------------- calendar
def calendar_years() -> tuple[int, int]:
    """First and last year of the event calendar (the Spring Festival table: 2012-2035)."""
    sf = ev.spring_festival_dates()
    return int(sf.index.min()), int(sf.index.max())


def _check_event(table: pd.DataFrame, event: object) -> pd.Series:
    known = list(dict.fromkeys(table["event_id"]))
    if not isinstance(event, str) or event not in known:
        from ecomanalysis.errors import suggest

        hint = ""
        if isinstance(event, str) and event.strip():
            part = [k for k in known if event.strip().lower() in k.lower()]
            hint = f" (did you mean {part[0]!r}?)" if len(part) == 1 else suggest(event, known)
        raise InputError(f"event {event!r}{hint} is not in the event calendar; expected one of "
                         f"{', '.join(known)}")
    return table[table["event_id"] == event]


def _check_year(year: object) -> int:
    lo, hi = calendar_years()
    if isinstance(year, bool) or not isinstance(year, (int, np.integer)) or not lo <= year <= hi:
        raise InputError(f"year {year!r}: outside the event calendar; expected a year {lo}-{hi}")
    return int(year)


def _occurrences(rows: pd.DataFrame, first_year: int, last_year: int) -> pd.DataFrame:
    """``anchor_start, anchor_end, core_start, core_end, presale_start`` of every occurrence
    of one event in the years, sorted."""
    r = rows.iloc[0]
    sf = ev.spring_festival_dates() if r["rule"] == "spring_festival" else None
    start, end = ev.occurrences(rows, first_year, last_year, sf)
    out = pd.DataFrame({"anchor_start": pd.DatetimeIndex(start),
                        "anchor_end": pd.DatetimeIndex(end)})
    out = out[(out["anchor_start"].dt.year >= first_year)
              & (out["anchor_start"].dt.year <= last_year)]
    out["core_start"] = out["anchor_start"] - pd.to_timedelta(int(r["days_before"]), "D")
    out["core_end"] = out["anchor_end"] + pd.to_timedelta(int(r["days_after"]), "D")
    out["presale_start"] = out["core_start"] - pd.to_timedelta(int(r["presale_days"]), "D")
    return out.sort_values("anchor_start").reset_index(drop=True)


def _history_end(shop, history) -> pd.Timestamp | None:
    if history is not None:
        y, _ = prepare_series(history, name="history")
        return y.index[-1]
    if shop is not None:
        from ecomanalysis.shop import shop_files

        daily = shop_files(shop).get("daily_orders")
        if daily is not None and len(daily):
            return pd.Timestamp(daily.index.max()).normalize()
    return None


def _today(today, shop, history) -> tuple[pd.Timestamp, str]:
    if today is not None:
        try:
            return pd.Timestamp(today).normalize(), "given"
        except (TypeError, ValueError):
            raise InputError(f"today {today!r}: expected a date such as 2026-01-01") from None
    end = _history_end(shop, history)
    if end is not None:
        return end + pd.Timedelta(days=1), "the day after the order history ends"
    return pd.Timestamp.today().normalize(), "the computer's date"


def next_peak(shop=None, today=None, *, events: object = "cn", history=None) -> NextPeak:
    """The next peak event on or after ``today``.

    Parameters
    ----------
    shop
        A :class:`~ecomanalysis.shop.ShopProfile` (its order file sets the default ``today``).
    today
        The reference day; default: the day after the shop's order history (or ``history``)
        ends, else the computer's date.
    events
        Event calendar (see :func:`ecomanalysis.forecast.load_events`).
    history
        Daily orders (Series or ``date, value`` frame) instead of the shop's file.

    Returns
    -------
    NextPeak
        The earliest anchor day on or after ``today`` among the events that raise the volume
        (default uplift above 1, or none given: a shop campaign); the Spring Festival dip is
        not a peak.

    Raises
    ------
    InputError
        A bad date or events table, or no peak event in the calendar's years.
    """
    table = ev.load_events(events)
    day, _ = _today(today, shop, history)
    lo, hi = calendar_years()
    years = (max(lo, day.year), min(hi, day.year + 1))
    best = None
    for _, rows in table.groupby("event_id", sort=False):
        uplift = float(rows["uplift"].iloc[0])
        if years[0] > years[1] or not (np.isnan(uplift) or uplift > 1):
            continue
        occ = _occurrences(rows, *years)
        occ = occ[occ["anchor_start"] >= day]
        if len(occ) and (best is None or occ["anchor_start"].iloc[0] < best[1]):
            best = (rows.iloc[0], occ["anchor_start"].iloc[0], uplift)
    if best is None:
        raise InputError(f"no peak event on or after {day:%Y-%m-%d} in the event calendar "
                         f"({lo}-{hi}); expected a date before {hi}-12-01 or an events file "
                         "with a campaign after it")
    r, date, uplift = best
    return NextPeak(r["event_id"], r["name_zh"], r["name_en"], date, int(date.year), uplift)


# --------------------------------------------------------------------------- helpers
def _resolve_shop(shop):
    from ecomanalysis.shop import ShopProfile, load_sample_shop, load_shop

    if shop is None:
        return load_sample_shop()
    if isinstance(shop, ShopProfile):
        return shop
    if isinstance(shop, (str, bytes)) or hasattr(shop, "__fspath__"):
        return load_shop(shop)
    raise InputError(f"shop {shop!r}: expected a ShopProfile, a shop YAML path or None "
                     "(the bundled sample shop)")


def _ramp_standards(std) -> dict[str, str]:
    """role_id -> the ramp-up standard that lists it."""
    from ecomanalysis.catalog import split_list

    t = std.table
    out: dict[str, str] = {}
    for sid, ids in zip(t.index, t["role_ids"], strict=True):
        if sid.endswith(RAMP_SUFFIX):
            for role in split_list(ids):
                out.setdefault(role, sid)
    return out


def _range(std, sid: str) -> tuple[float, float, float]:
    row = std.table.loc[sid]
    return float(std[sid]), float(row["low"]), float(row["high"])


def agents_from_heads(heads, shrinkage: float) -> np.ndarray:
    """Most productive agents ``n`` whose scheduled heads ``ceil(n / (1 - shrinkage))`` fit in
    ``heads`` (the inverse of :func:`ecomanalysis.queueing.staffed_from_agents`).

    Parameters
    ----------
    heads
        People scheduled (integers >= 0, scalar or array).
    shrinkage
        Share of paid time away from chats, 0 <= x < 1.

    Returns
    -------
    numpy.ndarray of int64
    """
    from ecomanalysis.queueing import staffed_from_agents

    h = np.asarray(heads, dtype=np.int64)
    n = np.floor(h * (1.0 - shrinkage) + 1e-9).astype(np.int64)
    n = n - (staffed_from_agents(n, shrinkage) > h)
    n = n + (staffed_from_agents(n + 1, shrinkage) <= h)
    return np.maximum(n, 0)


def agents_on_duty(heads, shrinkage: float) -> np.ndarray:
    """Productive agents of ``heads`` people scheduled on one day: :func:`agents_from_heads`,
    but never 0 when someone is there (shrinkage is a monthly average; the one person on duty
    answers the chats)."""
    h = np.asarray(heads, dtype=np.int64)
    return np.where(h > 0, np.maximum(agents_from_heads(h, shrinkage), 1), 0)


def allocate_overtime(need_paid_h, months, cap_day_h: float, cap_month_h: float) -> np.ndarray:
    """Overtime hours per day within a daily and a monthly cap, largest need first.

    Parameters
    ----------
    need_paid_h
        Paid overtime hours that would close each day's shortfall (>= 0).
    months
        Calendar month key of each day (e.g. ``year * 12 + month``).
    cap_day_h
        Most overtime hours of the team on one day.
    cap_month_h
        Most overtime hours of the team in one calendar month.

    Returns
    -------
    numpy.ndarray
        Hours per day: ``<= need``, ``<= cap_day_h``, summing to ``<= cap_month_h`` per month.
    """
    need = np.minimum(np.maximum(np.asarray(need_paid_h, dtype=float), 0.0), cap_day_h)
    months = np.asarray(months)
    out = np.zeros_like(need)
    for m in np.unique(months):
        idx = np.flatnonzero(months == m)
        order = idx[np.argsort(-need[idx], kind="stable")]
        want = need[order]
        before = np.concatenate([[0.0], np.cumsum(want)[:-1]])
        out[order] = np.clip(np.minimum(want, cap_month_h - before), 0.0, None)
    return out


def _flat_history(level: float, end: pd.Timestamp) -> pd.Series:
    idx = pd.date_range(end=end, periods=FLAT_HISTORY_DAYS, freq="D", name="date")
    return pd.Series(float(level), index=idx, name="value")


def _check_options(lang: str | None, scenario: str, permanent: str) -> str:
    """The language of names (``zh`` by default); refuse an unknown language, scenario or
    permanent mode."""
    names_lang = lang or "zh"
    if names_lang not in config.LANGS:
        raise InputError(f"lang {lang!r}: expected one of {', '.join(config.LANGS)}")
    if scenario not in SCENARIOS:
        raise InputError(f"scenario {scenario!r}: expected one of {', '.join(SCENARIOS)}")
    if permanent not in PERMANENT_MODES:
        raise InputError(f"permanent {permanent!r}: expected one of "
                         f"{', '.join(PERMANENT_MODES)}")
    return names_lang


def _load_history(shop, history) -> tuple[pd.Series | None, str, list[str]]:
    """The daily orders to forecast from (``history=`` or the shop's order file; None when the
    shop has neither), where they come from, and the messages of reading them."""
    if history is not None:
        y, msgs = prepare_series(history, name="history")
        return y, (f"history given: {len(y)} days {y.index[0]:%Y-%m-%d} .. "
                   f"{y.index[-1]:%Y-%m-%d}"), list(msgs)
    from ecomanalysis.shop import shop_files

    daily_orders = shop_files(shop).get("daily_orders")
    if daily_orders is not None and len(daily_orders):
        y, msgs = prepare_series(daily_orders, name="orders file")
        return y, (f"the shop's order file: {len(y)} days {y.index[0]:%Y-%m-%d} .. "
                   f"{y.index[-1]:%Y-%m-%d}"), list(msgs)
    return None, "", []


def _find_occurrence(rows: pd.DataFrame, event: str, year: int | None,
                     today: pd.Timestamp) -> tuple[pd.Series, int]:
    """The occurrence of ``event`` in ``year`` (default: the next one on or after ``today``)
    and its year."""
    lo, hi = calendar_years()
    if year is None:
        occ = _occurrences(rows, max(lo, today.year), min(hi, today.year + 1))
        occ = occ[occ["anchor_start"] >= today]
        if not len(occ):
            raise InputError(f"event {event!r}: no occurrence on or after {today:%Y-%m-%d} "
                             f"within the calendar ({lo}-{hi}); give a year")
        occ = occ.iloc[0]
        return occ, int(occ["anchor_start"].year)
    all_occ = _occurrences(rows, year, year)
    if not len(all_occ):
        raise InputError(f"event {event!r} has no occurrence in {year}; expected a year "
                         "in which it takes place")
    return all_occ.iloc[0], year


def _windows(occ: pd.Series, std) -> tuple[pd.Timestamp, pd.Timestamp, pd.Timestamp,
                                            pd.Timestamp]:
    """``base_start, base_end, win_start, win_end``: the baseline window before the pre-sale
    and the peak window (pre-sale to core end plus the delivery or return lag)."""
    recent = std.int_value("recent_days_for_level")
    lag_days = max(std["delivery_days"], std["return_lag_days"])
    base_start = occ["presale_start"] - pd.Timedelta(days=recent)
    base_end = occ["presale_start"] - pd.Timedelta(days=1)
    win_start = occ["presale_start"]
    win_end = occ["core_end"] + pd.Timedelta(days=int(math.ceil(lag_days)) + 1)
    return base_start, base_end, win_start, win_end


def _level_history(y: pd.Series | None, basis: str, shop, std, orders_per_day,
                   base_start: pd.Timestamp, core_start: pd.Timestamp, year: int, event: str
                   ) -> tuple[pd.Series, str, bool, float]:
    """The history to fit (or the flat baseline of a shop without one), its description,
    whether it is the flat baseline, and the scale that brings its recent level to
    ``orders_per_day`` (a scenario scales the forecast of the shop's own history, fitted once
    and cached, rather than a scaled copy); refuse a history that reaches the event's main
    days (a history that runs into the baseline or the pre-sale is used: those days are the
    shop's own, see :func:`_with_actuals`)."""
    scale = 1.0
    if y is not None and orders_per_day is not None:
        recent_level = float(y.iloc[-std.int_value("recent_days_for_level"):].median())
        if recent_level > 0:
            scale = float(orders_per_day) / recent_level
            basis += f", scaled x{scale:.3g} to {orders_per_day:g} orders/day"
    if y is None:
        level_now = (staffing.current_orders(shop, std) if orders_per_day is None
                     else float(orders_per_day))
        y = _flat_history(level_now, base_start - pd.Timedelta(days=1))
        basis = (f"no order history: a flat baseline at the shop's current "
                 f"{level_now:g} orders/day (profile) x the event calendar's default uplifts")
        return y, basis, True, 1.0
    if y.index[-1] >= core_start:
        raise InputError(
            f"year {year}: the history runs to {y.index[-1]:%Y-%m-%d}, into {event}'s main "
            f"days (from {core_start:%Y-%m-%d}); expected a later year ({year + 1} or later) "
            "or a shorter history")
    return y, basis, False, scale


def _with_actuals(fc: pd.DataFrame, y: pd.Series, scale: float, base_start: pd.Timestamp,
                  flat: bool) -> tuple[pd.DataFrame, str | None]:
    """The plan's days: the shop's own orders where the history already covers them (the
    baseline window or the start of the pre-sale, scaled like the forecast in a scenario),
    the forecast after; and a message saying so (None when the history ends before)."""
    if flat or y.index[-1] < base_start:
        return fc, None
    seen = y.loc[base_start:] * scale
    actual = pd.DataFrame({c: seen for c in ("forecast", "lower", "upper")}).assign(event="")
    out = pd.concat([actual.reindex(columns=fc.columns), fc.loc[fc.index > y.index[-1]]])
    return out, (f"the history runs into the plan's days: {base_start:%Y-%m-%d} .. "
                 f"{y.index[-1]:%Y-%m-%d} are the shop's own orders, the days after forecast")


def _check_horizon(horizon_days, history_end: pd.Timestamp, win_end: pd.Timestamp,
                   year: int):
    """The forecast horizon: default (and minimum) up to the end of the peak window, at most
    ``MAX_HORIZON_DAYS``."""
    need_h = int((win_end - history_end).days)
    if horizon_days is None:
        horizon_days = need_h
    elif isinstance(horizon_days, bool) or not isinstance(horizon_days, (int, np.integer)) or \
            horizon_days < need_h:
        raise InputError(f"horizon_days {horizon_days!r}: expected a whole number of days >= "
                         f"{need_h} (from {history_end:%Y-%m-%d} to the end of the peak window "
                         f"{win_end:%Y-%m-%d})")
    if horizon_days > MAX_HORIZON_DAYS:
        raise InputError(f"year {year}: the peak window ends {win_end:%Y-%m-%d}, "
                         f"{horizon_days} days after the history ends ({history_end:%Y-%m-%d}); "
                         f"a forecast reaches at most {MAX_HORIZON_DAYS} days; expected a year "
                         f"up to {(history_end + pd.Timedelta(days=MAX_HORIZON_DAYS)).year - 1}")
    return horizon_days


def _fit(y: pd.Series, horizon_days, table: pd.DataFrame, level: float, flat: bool,
         scale: float = 1.0):
    """The forecast (cached) times ``scale`` and its messages (a flat baseline's own notes
    left out)."""
    from ecomanalysis.cache import cached_fit  # keyed by history, calendar and model code

    res = _scaled(cached_fit(fit_forecast, y, int(horizon_days), table, dump=_dump_fit,
                             load=_load_fit, level=level, name=FLAT_NAME if flat else "orders"),
                  scale)
    return res, [m for m in res.messages if not (flat and m.startswith(FLAT_NAME + ":"))]


def _team_units(shop, std, baseline_orders: float, names_lang: str,
                permanent: str) -> pd.DataFrame:
    """The shop's team per unit of model roles (:func:`ecomanalysis.staffing.team_gap`);
    refuse ``permanent='team'`` for a shop without a team."""
    gap = staffing.team_gap(shop, baseline_orders, lang=names_lang, std=std)
    gap = gap[gap["unit"] != ""].reset_index(drop=True)
    has_team = bool(shop.team) and gap["current"].sum() > 0
    if permanent == "team" and not has_team:
        raise InputError("permanent 'team': the shop lists no team; give 'team:' in the shop "
                         "file or use permanent='auto' or 'baseline'")
    return gap


def _permanent_message(mode: str, base_start: pd.Timestamp, base_end: pd.Timestamp,
                       baseline_orders: float) -> str:
    return {
        "team": "permanent team: the shop's current team",
        "baseline": "permanent team: the requirement on normal days (largest day of the "
                    f"baseline window {base_start:%Y-%m-%d} .. {base_end:%Y-%m-%d}, median "
                    f"{baseline_orders:.0f} orders/day)",
        "auto": "permanent team: per role the larger of the current team and the requirement "
                f"on normal days (largest day of {base_start:%Y-%m-%d} .. {base_end:%Y-%m-%d}, "
                f"median {baseline_orders:.0f} orders/day)"}[mode]


@dataclass(frozen=True)
class _UnitContext:
    """What the per-unit rows of a peak plan share: the day-by-day requirement, the windows
    and the standards of overtime, temps, ramp-up and recruitment."""

    std: Any
    mode: str
    today: pd.Timestamp
    daily: pd.DataFrame
    base_days: pd.DataFrame
    win_days: pd.DatetimeIndex
    hours: pd.DataFrame
    costs: pd.Series
    ramp_of: dict[str, str]
    months: np.ndarray
    open_days: float
    h_person: float
    ot_day: float
    ot_month: float
    ot_mult: float
    temp_mult: float
    lead: tuple[float, float, float]


def _unit_context(std, mode: str, today: pd.Timestamp, req: pd.DataFrame,
                  daily: pd.DataFrame, base_req: pd.DataFrame, base_start: pd.Timestamp,
                  base_end: pd.Timestamp, win_start: pd.Timestamp,
                  win_end: pd.Timestamp) -> _UnitContext:
    in_win = (daily.index >= win_start) & (daily.index <= win_end)
    win_days = daily.index[in_win]
    req_win = req[(req["date"] >= win_start) & (req["date"] <= win_end)]
    costs = staffing.labour_cost(None, std=std, req=base_req.reset_index(),
                                 by_role=True).set_index("role_id")["cost_cny_month_per_person"]
    open_days = std["shop_open_days_per_month"]
    return _UnitContext(
        std=std, mode=mode, today=today, daily=daily, base_days=daily.loc[base_start:base_end],
        win_days=win_days,
        hours=req_win.pivot(index="date", columns="role_id", values="hours_per_day"),
        costs=costs, ramp_of=_ramp_standards(std),
        months=(win_days.year * 12 + win_days.month).to_numpy(), open_days=open_days,
        h_person=std["hours_per_day"] * std["workdays_per_month"] / open_days,
        ot_day=std["overtime_max_hours_per_day"], ot_month=std["overtime_max_hours_per_month"],
        ot_mult=std["overtime_pay_multiplier"], temp_mult=std["temp_wage_multiplier"],
        lead=_range(std, "recruitment_lead_days"))


def _temp_row(g: pd.Series, roles: list[str], ctx: _UnitContext
              ) -> tuple[dict[str, Any], np.ndarray, np.ndarray]:
    """One unit's row of ``PeakPlan.temps``, its requirement and its temps per window day."""
    current = int(round(g["current"]))
    base_hc = int(ctx.base_days[roles].sum(axis=1).max())
    perm = {"team": current, "baseline": base_hc, "auto": max(current, base_hc)}[ctx.mode]
    need_hc = ctx.daily.loc[ctx.win_days, roles].sum(axis=1).to_numpy()
    temp_ok = all(r in ctx.ramp_of for r in roles)
    temps_day = np.maximum(need_hc - perm, 0)
    peak_i = int(np.argmax(need_hc))
    row = {"unit": g["unit"], "name": g["name"], "temp_staffable": temp_ok,
           "permanent": perm, "current_team": current, "baseline_required": base_hc,
           "peak_required": int(need_hc[peak_i]), "peak_day": ctx.win_days[peak_i],
           "temps": int(temps_day.max()) if temp_ok else 0,
           "structural_gap": max(0, base_hc - current)}
    return row, need_hc, temps_day


@dataclass(frozen=True)
class _OvertimeSchedule:
    """One unit's window with overtime first: hours needed, the shortfall of the permanent
    team, overtime hours and the temps still needed, per day."""

    shrink: float
    need_hours: np.ndarray
    gap_h: np.ndarray
    ot: np.ndarray
    temps_ot: np.ndarray


def _overtime_schedule(roles: list[str], perm: int, temps_day: np.ndarray,
                       ctx: _UnitContext) -> _OvertimeSchedule:
    std = ctx.std
    shrink = std[workload.shrinkage_key(roles[0])]
    h_reg = ctx.h_person * (1 - shrink)
    need_hours = ctx.hours.loc[ctx.win_days, roles].sum(axis=1).to_numpy()
    gap_h = np.maximum(need_hours - perm * h_reg, 0.0)
    ot = allocate_overtime(gap_h / (1 - shrink), ctx.months, perm * ctx.ot_day,
                           perm * ctx.ot_month)
    people_ot = workload.dedicated_headcount((need_hours - ot * (1 - shrink)) / h_reg, std, roles[0])
    temps_ot = np.clip(people_ot - perm, 0, temps_day)
    return _OvertimeSchedule(shrink, need_hours, gap_h, ot, temps_ot)


def _hire_row(g: pd.Series, temps_day: np.ndarray, ramp: tuple[float, float, float],
              ctx: _UnitContext) -> dict[str, Any]:
    """One unit's row of ``PeakPlan.hire_by`` (the unit needs temps)."""
    lead = ctx.lead
    on = np.flatnonzero(temps_day > 0)
    first, last = ctx.win_days[on[0]], ctx.win_days[on[-1]]
    start_by = first - pd.Timedelta(days=ramp[0])
    hire_by = start_by - pd.Timedelta(days=lead[0])
    return {
        "unit": g["unit"], "name": g["name"], "temps": int(temps_day.max()),
        "first_day": first, "last_day": last, "ramp_days": ramp[0],
        "ramp_days_low": ramp[1], "ramp_days_high": ramp[2], "lead_days": lead[0],
        "lead_days_low": lead[1], "lead_days_high": lead[2], "start_by": start_by,
        "hire_by": hire_by,
        "hire_by_earliest": first - pd.Timedelta(days=ramp[2] + lead[2]),
        "hire_by_latest": first - pd.Timedelta(days=ramp[1] + lead[1]),
        "late": bool(hire_by < ctx.today)}


def _overtime_row(g: pd.Series, roles: list[str], perm: int, temps_day: np.ndarray,
                  sched: _OvertimeSchedule, ramp: tuple[float, float, float],
                  ctx: _UnitContext) -> dict[str, Any]:
    """One unit's row of ``PeakPlan.overtime_vs_temps``: temps only versus overtime first."""
    std, months, ot, gap_h = ctx.std, ctx.months, sched.ot, sched.gap_h
    per_person = float(ctx.costs.reindex(roles).mean())
    day_cost = per_person / ctx.open_days * ctx.temp_mult
    hour_cost = per_person / (std["workdays_per_month"] * std["hours_per_day"]) * ctx.ot_mult

    n_only, n_ot = int(temps_day.max()), int(sched.temps_ot.max())
    d_only = int(temps_day.sum()) + n_only * math.ceil(ramp[0])
    d_ot = int(sched.temps_ot.sum()) + n_ot * math.ceil(ramp[0])
    limit = sum(perm * min(ctx.ot_month, ctx.ot_day * int((months == m).sum()))
                for m in np.unique(months))
    cost_only = d_only * day_cost
    cost_ot = float(ot.sum()) * hour_cost
    cost_t_ot = d_ot * day_cost
    return {
        "unit": g["unit"], "name": g["name"], "permanent": perm,
        "gap_hours": float(gap_h.sum()), "overtime_hours_limit": float(limit),
        "overtime_hours": float(ot.sum()),
        "overtime_share_of_gap": float(ot.sum() * (1 - sched.shrink) / gap_h.sum())
        if gap_h.sum() > 0 else 0.0,
        "temps_only": n_only, "temps_with_overtime": n_ot, "temp_days_only": d_only,
        "temp_days_with_overtime": d_ot, "cost_temps_only_cny": cost_only,
        "cost_overtime_cny": cost_ot, "cost_temps_with_overtime_cny": cost_t_ot,
        "cost_overtime_option_cny": cost_ot + cost_t_ot,
        "cheaper": "overtime" if cost_ot + cost_t_ot < cost_only else "temps"}


def _unit_tables(gap: pd.DataFrame, ctx: _UnitContext):
    """``temps, hire_by, overtime_vs_temps, units`` of the plan and the heads per unit
    (roles, permanent, temps per day) of the units staffed with temps."""
    temp_rows, hire_rows, ot_rows, unit_frames = [], [], [], []
    unit_heads: dict[str, tuple[list[str], int, np.ndarray]] = {}
    for _, g in gap.iterrows():
        roles = g["unit"].split(";")
        row, need_hc, temps_day = _temp_row(g, roles, ctx)
        temp_rows.append(row)
        if not row["temp_staffable"]:
            continue
        perm = row["permanent"]
        unit_heads[g["unit"]] = (roles, perm, temps_day)
        sched = _overtime_schedule(roles, perm, temps_day, ctx)
        unit_frames.append(pd.DataFrame({
            "date": ctx.win_days, "unit": g["unit"], "required": need_hc, "permanent": perm,
            "temps": temps_day, "need_hours": sched.need_hours, "overtime_hours": sched.ot,
            "temps_with_overtime": sched.temps_ot}))
        ramp = max((_range(ctx.std, ctx.ramp_of[r]) for r in roles), key=lambda t: t[0])
        if temps_day.max() > 0:
            hire_rows.append(_hire_row(g, temps_day, ramp, ctx))
        ot_rows.append(_overtime_row(g, roles, perm, temps_day, sched, ramp, ctx))

    temps = pd.DataFrame(temp_rows, columns=TEMP_COLUMNS)
    hire = pd.DataFrame(hire_rows, columns=HIRE_COLUMNS)
    otv = pd.DataFrame(ot_rows, columns=OT_COLUMNS)
    units = (pd.concat(unit_frames, ignore_index=True) if unit_frames else
             pd.DataFrame(columns=["date", "unit", "required", "permanent", "temps",
                                   "need_hours", "overtime_hours", "temps_with_overtime"]))
    return temps, hire, otv, units, unit_heads


def _service_levels(orders: pd.Series, std, unit_heads: dict, win_days: pd.DatetimeIndex):
    """Service of the chat queues (:func:`_service`), the target and the lowest service level
    with the permanent team and with the temps."""
    drivers = workload.series_drivers(orders, std)
    service, by_interval = _service(drivers.loc[win_days], std, unit_heads, win_days)
    target = float(std["cs_service_level_target"])
    sl_perm = float(service["sl_permanent"].min()) if len(service) else 1.0
    sl_temp = float(service["sl_with_temps"].min()) if len(service) else 1.0
    return service, by_interval, target, sl_perm, sl_temp


def _plan_messages(temps: pd.DataFrame, hire: pd.DataFrame, otv: pd.DataFrame,
                   ctx: _UnitContext) -> list[str]:
    """Structural gaps, roles not staffed with temps, late hire-by dates, overtime rules."""
    messages: list[str] = []
    struct = temps[temps["structural_gap"] > 0]
    if len(struct):
        messages.append(
            "the current team is below the model's requirement on normal days before the event "
            "(" + ", ".join(f"{r['unit']}: {r['current_team']} vs {r['baseline_required']}"
                            for _, r in struct.iterrows())
            + "): permanent hires, "
            + ("counted in the temps here" if ctx.mode == "team" else
               "counted in the permanent team here (hire them before the ramp-up)"))
    jump = temps[~temps["temp_staffable"] & (temps["peak_required"] > temps["permanent"])]
    if len(jump):
        messages.append(
            "not staffed with temps (no *_ramp_days standard lists them; the permanent team, "
            "overtime or a backlog absorbs the peak): "
            + ", ".join(f"{r['unit']} {r['peak_required']} on {r['peak_day']:%m-%d} vs "
                        f"{r['permanent']}" for _, r in jump.iterrows()))
    for _, r in hire[hire["late"]].iterrows():
        messages.append(f"{r['unit']}: hire-by {r['hire_by']:%Y-%m-%d} is before the plan date "
                        f"{ctx.today:%Y-%m-%d}: too late for the full ramp-up")
    if len(otv):
        messages.append(
            f"overtime: at most {ctx.ot_day:g} h per person per day and {ctx.ot_month:g} h per "
            "month (PRC Labour Law art. 41), assumed unused before the window; paid x"
            f"{ctx.ot_mult:g}; temps cost x{ctx.temp_mult:g} of a permanent employee per "
            "person-day (days needed + ramp-up)")
    return messages


def _dump_fit(res) -> tuple[dict, dict]:
    """A forecast result as ``(tables, plain JSON values)`` for :mod:`ecomanalysis.cache`."""
    import json

    tables = {"frame": res.frame, "effects": res.effects, "baseline": res.baseline,
              "history": res.history}
    # the fitted model object stays out (not plain data; nothing after the fit reads it)
    details = {k: v for k, v in (res.details or {}).items() if k != "fit"}
    values = {"model": res.model, "messages": list(res.messages), "level": res.level,
              "fit_s": res.fit_s, "details": details}
    json.dumps(values)  # TypeError if a value is not plain JSON: then not cached
    return tables, values


def _load_fit(entry: dict):
    """A forecast result rebuilt from a cache entry (see :func:`_dump_fit`)."""
    from ecomanalysis.forecast.model import ForecastResult

    frame = entry["frame"]
    frame["date"] = pd.to_datetime(frame["date"])
    return ForecastResult(frame=frame, model=entry["model"], messages=list(entry["messages"]),
                          effects=entry["effects"], baseline=entry["baseline"],
                          history=entry["history"], level=entry["level"],
                          fit_s=entry["fit_s"], details=entry["details"])


def _scaled(res, scale: float):
    """A forecast result with every volume (history, forecast, interval, baseline) times
    ``scale``: a scenario's level, without fitting the shop's history again."""
    if scale == 1.0:
        return res
    frame = res.frame.copy()
    frame[["forecast", "lower", "upper"]] = frame[["forecast", "lower", "upper"]] * scale
    baseline = res.baseline.copy()
    baseline["forecast"] = baseline["forecast"] * scale
    return dataclasses.replace(res, frame=frame, baseline=baseline, history=res.history * scale)


# --------------------------------------------------------------------------- the plan
def peak_plan(
    shop=None,
    *,
    event: str = DEFAULT_EVENT,
    year: int | None = None,
    history=None,
    horizon_days: int | None = None,
    events: object = "cn",
    permanent: str = "auto",
    scenario: str = "forecast",
    today=None,
    level: float = DEFAULT_LEVEL,
    lang: str | None = None,
    orders_per_day: float | None = None,
    **overrides: Any,
) -> PeakPlan:
    """Plan the staff of one promotion peak: the team per role per day, temps, hire-by dates,
    overtime versus temps and the customer-service level with the permanent team.

    Parameters
    ----------
    shop
        A :class:`~ecomanalysis.shop.ShopProfile`, a shop YAML path, or None for the bundled
        sample shop.
    event
        An ``event_id`` of the calendar (``double11``, ``sale_618``, ``double12`` ...).
    year
        The year of the occurrence; default: the next one on or after ``today``.
    history
        Daily orders (Series indexed by date, or ``date, value``) instead of the shop's order
        file.
    horizon_days
        Days forecast after the history; default (and minimum): up to the end of the peak
        window.
    events
        Event calendar: ``"cn"``, a CSV path, a DataFrame or a list (see
        :func:`~ecomanalysis.forecast.load_events`).
    permanent
        ``"auto"`` (default: per unit the larger of the current team and the baseline
        requirement), ``"team"`` (the shop's current team) or ``"baseline"`` (the largest daily
        requirement of the baseline window).
    scenario
        Forecast column to size on: ``forecast`` (median), ``lower`` or ``upper``.
    today
        The day the plan is made; default: the day after the history ends (a shop without a
        history: the computer's date, used only to find the next occurrence when ``year`` is
        not given).
    level
        Coverage of the forecast's prediction interval.
    lang
        Language of role and event names (``zh`` or ``en``; default ``zh``).
    orders_per_day
        The shop's level today for a scenario: the history is scaled so that its recent level
        (median of the last ``recent_days_for_level`` days) equals it; a shop without a
        history gets its flat baseline at this level.
    **overrides
        ``standard_id=value`` (e.g. ``cs_ramp_days=15``, ``overtime_max_hours_per_day=1``).

    Returns
    -------
    PeakPlan

    Raises
    ------
    InputError
        Unknown event (listing the known ones), a year outside the calendar (2012-2035) or
        already inside the history, a horizon too short or too long, a bad permanent mode or
        scenario, bad standards or history.
    """
    names_lang = _check_options(lang, scenario, permanent)
    table = ev.load_events(events)
    rows = _check_event(table, event)
    if year is not None:
        year = _check_year(year)
    shop = _resolve_shop(shop)
    std = staffing.standards(shop, **overrides)

    # ---- history, the occurrence, its windows
    y, basis, messages = _load_history(shop, history)
    today, today_basis = _today(today, shop, history if history is not None else y)
    occ, year = _find_occurrence(rows, event, year, today)
    base_start, base_end, win_start, win_end = _windows(occ, std)
    y, basis, flat, scale = _level_history(y, basis, shop, std, orders_per_day, base_start,
                                           occ["core_start"], year, event)
    messages.insert(0, f"history: {basis}; peak planned as of {today:%Y-%m-%d} ({today_basis})")
    horizon_days = _check_horizon(horizon_days, y.index[-1], win_end, year)

    # ---- forecast
    res, fit_messages = _fit(y, horizon_days, table, level, flat, scale)
    messages += fit_messages
    fc, seen = _with_actuals(res.frame.set_index("date"), y, scale, base_start, flat)
    if seen:
        messages.append(seen)
    span = fc.loc[base_start:win_end]
    orders = span[scenario].rename("orders")
    core = fc.loc[occ["core_start"]:occ["core_end"]]
    peak_date = core[scenario].idxmax()
    baseline_orders = float(fc.loc[base_start:base_end, scenario].median())

    # ---- headcount day by day (the staffing model) and at the baseline level
    req = staffing.requirements_series(orders, std=std, lang=names_lang)
    daily = req.pivot(index="date", columns="role_id", values="headcount")
    base_req = staffing.requirements([baseline_orders], std=std).set_index("role_id")
    gap = _team_units(shop, std, baseline_orders, names_lang, permanent)
    mode = permanent
    messages.append(_permanent_message(mode, base_start, base_end, baseline_orders))

    # ---- per unit: temps, hire-by, overtime versus temps; service level of the chat queues
    ctx = _unit_context(std, mode, today, req, daily, base_req, base_start, base_end,
                        win_start, win_end)
    temps, hire, otv, units, unit_heads = _unit_tables(gap, ctx)
    service, by_interval, target, sl_perm, sl_temp = _service_levels(orders, std, unit_heads,
                                                                     ctx.win_days)
    messages += _plan_messages(temps, hire, otv, ctx)

    rng = pd.date_range(base_start, win_end, freq="D")
    req_out = req[req["date"].isin(rng)].reset_index(drop=True)
    name_col = "name_zh" if names_lang == "zh" else "name_en"
    return PeakPlan(
        shop_name=shop.name, event_id=event, event_name=str(rows.iloc[0][name_col]), year=year,
        peak_date=peak_date, peak_orders=float(fc.at[peak_date, scenario]),
        peak_orders_lower=float(fc.at[peak_date, "lower"]),
        peak_orders_upper=float(fc.at[peak_date, "upper"]),
        baseline_orders=baseline_orders, baseline_window=(base_start, base_end),
        peak_window=(win_start, win_end), today=today, scenario=scenario,
        permanent_basis=mode, forecast=fc.reset_index(), history=res.history,
        daily=daily.loc[rng], requirements=req_out, units=units, temps=temps, hire_by=hire,
        overtime_vs_temps=otv, service=service, service_by_interval=by_interval,
        service_level_permanent=sl_perm, service_level_with_temps=sl_temp,
        service_level_target=target, messages=messages, effects=res.effects,
        verdict=(res.details or {}).get("verdict"),
    )


def _cs_heads(unit_heads: dict, day_i: int) -> tuple[int, int]:
    """Customer-service heads of one window day over every unit that holds a chat role:
    permanent, and permanent plus that day's temps.  Agents serve whichever queue needs them,
    so the queues share the pool (:func:`split_heads`)."""
    perm = temps = 0
    for roles, p, t in unit_heads.values():
        if set(roles) & set(CS_ROLES.values()):
            perm += int(p)
            temps += int(t[day_i])
    return perm, perm + temps


def split_heads(total: int, need: dict[str, float]) -> dict[str, int]:
    """Share ``total`` heads among queues in proportion to ``need`` (largest remainder), each
    queue with a need getting at least one head while there are enough to go round.  With
    fewer heads than queues every queue gets all of them (one person answers both)."""
    queues = [q for q, v in need.items() if v > 0]
    out = dict.fromkeys(need, 0)
    if total <= 0 or not queues:
        return out
    if total < len(queues):
        return {q: (total if q in queues else 0) for q in need}
    weight = sum(need[q] for q in queues)
    raw = {q: total * need[q] / weight for q in queues}
    base = {q: max(1, int(math.floor(raw[q]))) for q in queues}
    while sum(base.values()) > total:  # minimums taken from the largest share
        big = max(base, key=lambda q: base[q])
        base[big] -= 1
    left = total - sum(base.values())
    for q in sorted(queues, key=lambda q: raw[q] - math.floor(raw[q]), reverse=True)[:left]:
        base[q] += 1
    out.update(base)
    return out


def _service_level(traffic, agents, aht, within_s, std, kw) -> np.ndarray:
    """Steady-state service level, and where the agents cannot keep up the share answered in
    time before the queue outgrows the target (:func:`~ecomanalysis.queueing.
    overload_service_level`), so agents on duty never show a flat 0 %."""
    from ecomanalysis.queueing import overload_service_level, queue_metrics

    sl = np.asarray(queue_metrics(traffic, agents, aht, within_s, **kw).service_level, dtype=float)
    over = overload_service_level(traffic, agents, aht, within_s, std["planning_interval_s"],
                                  concurrency=kw["concurrency"],
                                  aht_by_concurrency=kw["aht_by_concurrency"])
    return np.where(np.isnan(over), sl, np.maximum(sl, over))


def _service(drivers: pd.DataFrame, std, unit_heads: dict, win_days: pd.DatetimeIndex
             ) -> tuple[pd.DataFrame, pd.DataFrame]:

    shrink = std["cs_shrinkage"]
    peaks = {q: int(np.argmax(drivers[col].to_numpy())) for q, col in QUEUE_DRIVERS.items()}
    t = std["cs_answer_within_s"]
    rows = []
    for q, i in peaks.items():
        cs = workload.cs_intervals(None, std, daily=drivers.iloc[[i]].reset_index(drop=True))
        day = {k: g.reset_index(drop=True) for k, g in cs[cs["open"]].groupby("queue", sort=False)}
        f = day[q]
        # the day's pool of chat agents is split by the agents each queue needs that day
        need = {k: float(g["agents"].max()) for k, g in day.items()}
        busy = sum(v > 0 for v in need.values())
        others = sum(g["traffic_erlangs"].to_numpy() for k, g in day.items() if k != q)
        pool_p, pool_t = _cs_heads(unit_heads, i)
        heads_p, heads_t = split_heads(pool_p, need)[q], split_heads(pool_t, need)[q]
        a_p, a_t = agents_on_duty([heads_p, heads_t], shrink)
        aht = std[f"{q}_aht_s"]
        conc = std.int_value(f"{q}_concurrency")
        kw = dict(concurrency=conc, aht_by_concurrency=workload.aht_profile(std, aht, conc))
        traffic = f["traffic_erlangs"].to_numpy()
        # one person on both queues: the other queue's chats take the same agent's time
        sl_p = _service_level(traffic + (others if pool_p < busy else 0), a_p, aht, t, std, kw)
        sl_t = _service_level(traffic + (others if pool_t < busy else 0), a_t, aht, t, std, kw)
        rows.append(pd.DataFrame({
            "queue": q, "date": win_days[i], "start_h": f["start_h"],
            "volume": f["volume"], "traffic_erlangs": traffic, "agents_required": f["agents"],
            "heads_permanent": heads_p, "agents_permanent": int(a_p), "sl_permanent": sl_p,
            "heads_with_temps": heads_t, "agents_with_temps": int(a_t), "sl_with_temps": sl_t,
            "sl_target": float(std["cs_service_level_target"])}))
    by_interval = pd.concat(rows, ignore_index=True)[SERVICE_COLUMNS]
    top = by_interval.loc[by_interval.groupby("queue", sort=False)["volume"].idxmax()]
    return top.reset_index(drop=True), by_interval
