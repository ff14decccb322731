"""The rostering problem, validated: requirement matrices, calendar, people and the law's numbers.

Everything the CP-SAT model (:mod:`ecomanalysis.roster.model`) and the independent checker
(:mod:`ecomanalysis.roster.check`) need, gathered and checked at the edge so both trust it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd

from ecomanalysis.errors import InputError
from ecomanalysis.roster.templates import CONTRACTS, MINUTES_PER_DAY, MINUTES_PER_HOUR

DAYS_PER_WEEK = 7
#: Without dates, every block of this many days is taken as one month for the overtime cap
#: (the shortest calendar month, so the cap is never loosened).
DAYS_PER_MONTH_BLOCK = 28
WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WEEKEND = (5, 6)
#: Calendar fact: average days in a month (365 / 12).
DAYS_PER_MONTH_AVG = 365 / 12

#: Standards (data/standards.csv) the roster reads, by the name used here.
LAW_STANDARDS = {
    "hours_per_day": "hours_per_day",
    "ft_hours_per_week": "full_time_hours_per_week",
    "ft_rest_days_per_week": "full_time_rest_days_per_week",
    "weekly_rest_min_days": "weekly_rest_min_days",
    "pt_max_h_day": "part_time_max_hours_per_day",
    "pt_max_h_week": "part_time_max_hours_per_week",
    "ot_max_h_day": "overtime_max_hours_per_day",
    "ot_max_h_month": "overtime_max_hours_per_month",
    "ot_mult_workday": "overtime_pay_multiplier",
    "ot_mult_rest_day": "overtime_pay_multiplier_rest_day",
    "ot_mult_holiday": "overtime_pay_multiplier_holiday",
    "temp_mult": "temp_wage_multiplier",
    "pt_mult": "part_time_wage_multiplier",
    "min_rest_h": "min_rest_between_shifts_h",
    "max_solve_s": "roster_max_solve_s",
    "temp_peak_factor": "roster_temp_peak_day_factor",
    "ot_step_min": "overtime_step_min",
}


def law_from_standards(std=None, **overrides) -> dict[str, float]:
    """The labour-law and contract numbers from ``data/standards.csv`` (``std`` may be a
    :class:`~ecomanalysis.workload.Standards`; ``overrides`` use the short names above)."""
    if std is None:
        from ecomanalysis.workload import resolve_standards

        std = resolve_standards({})
    law = {k: float(std[sid]) for k, sid in LAW_STANDARDS.items()}
    bad = [k for k in overrides if k not in law]
    if bad:
        raise InputError(f"law override {bad[0]!r} is unknown; expected one of {', '.join(law)}")
    law.update({k: float(v) for k, v in overrides.items()})
    return law


@dataclass
class Problem:
    """A validated rostering problem (see :func:`build_problem`)."""

    days: list[str]
    queues: list[str]
    req: np.ndarray                  # [queue, day, interval] people needed on seat
    interval_min: int
    weekday: np.ndarray              # 0=Mon..6=Sun, -1 unknown
    week: np.ndarray                 # week index of each day
    month: np.ndarray                # month key of each day (overtime cap)
    holiday: np.ndarray              # bool per day
    temp_day: np.ndarray             # bool per day: day temps may be hired
    people: pd.DataFrame             # person, contract, queues, days_off, optional, ot_used_h
    law: dict[str, float]
    dates: list[date] | None = None
    people_cap: int | None = None
    ot_cap_h: dict = field(default_factory=dict)  # month key -> overtime hours allowed per person
    repeats: bool = True

    @property
    def n_days(self) -> int:
        return len(self.days)

    @property
    def n_intervals(self) -> int:
        return MINUTES_PER_DAY // self.interval_min

    def interval_labels(self) -> list[str]:
        from ecomanalysis.roster.templates import min_to_hhmm

        return [min_to_hhmm(i * self.interval_min) for i in range(self.n_intervals)]


def read_requirement(req, interval_minutes: int, name: str = "requirement") -> tuple[list[str], np.ndarray]:
    """Check a requirement DataFrame (``day`` then one column per interval) -> labels, matrix."""
    if not isinstance(req, pd.DataFrame):
        raise InputError(f"{name} is a {type(req).__name__}; expected a DataFrame with a 'day' column "
                         "then one column per interval of the day")
    if not isinstance(interval_minutes, (int, np.integer)) or interval_minutes <= 0 or \
            MINUTES_PER_DAY % interval_minutes:
        raise InputError(f"interval_minutes has {interval_minutes!r}; expected a whole number of "
                         "minutes that divides a day (15, 30, 60)")
    if "day" not in req.columns:
        raise InputError(f"{name}: no 'day' column; expected 'day' then one column per interval")
    cols = [c for c in req.columns if c != "day"]
    n_t = MINUTES_PER_DAY // interval_minutes
    if len(cols) != n_t:
        raise InputError(f"{name}: {len(cols)} interval columns; expected {n_t} for "
                         f"{interval_minutes}-minute intervals (a whole day, 00:00-24:00)")
    if len(req) == 0 or len(req) % DAYS_PER_WEEK:
        raise InputError(f"{name}: {len(req)} day rows; a roster needs whole weeks (7, 14, ... rows) "
                         "so weekly hours and rest days can be checked")
    values = req[cols].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    bad = np.argwhere(~np.isfinite(values) | (values < 0))
    if len(bad):
        r, c = bad[0]
        raise InputError(f"{name} row {r + 2}: column {cols[c]!r} has {req[cols[c]].iloc[r]!r}; "
                         "expected a number of people >= 0")
    days = [str(d) for d in req["day"]]
    if len(set(days)) != len(days):
        raise InputError(f"{name}: day {pd.Series(days)[pd.Series(days).duplicated()].iloc[0]!r} appears twice")
    # productive agents may be fractional; a seat holds a whole person
    return days, np.ceil(values - 1e-9).astype(int)


def _calendar(days: list[str], start_date) -> tuple[np.ndarray, list[date] | None]:
    """Weekday of each day label (Mon..Sun, ISO dates, or MM-DD with ``start_date``)."""
    if start_date is not None:
        try:
            d0 = pd.Timestamp(start_date).date()
        except (ValueError, TypeError) as exc:
            raise InputError(f"start_date has {start_date!r}; expected a date such as 2026-11-09") from exc
        dates = [d0 + timedelta(days=i) for i in range(len(days))]
        return np.array([d.weekday() for d in dates]), dates
    names = [d[:3].title() for d in days]
    if all(n in WEEKDAY_NAMES for n in names):
        return np.array([WEEKDAY_NAMES.index(n) for n in names]), None
    try:
        dates = [pd.Timestamp(d).date() for d in days]
        if all(len(d) >= 10 for d in days):
            return np.array([d.weekday() for d in dates]), dates
    except (ValueError, TypeError):
        pass
    return np.full(len(days), -1), None


def _day_set(values, days: list[str], what: str) -> np.ndarray:
    out = np.zeros(len(days), dtype=bool)
    if values is None:
        return out
    if values is True:
        return ~out
    if values is False:
        return out
    for v in ([values] if isinstance(values, str) else values):
        if str(v) not in days:
            raise InputError(f"{what} has day {v!r}, which is not a day of the requirement "
                             f"({', '.join(days[:3])} ...)")
        out[days.index(str(v))] = True
    return out


def _people(staff, people_cap, queues, days, req, law) -> tuple[pd.DataFrame, int | None]:
    """Named staff (a DataFrame) or numbered pools sized from the requirement."""
    if staff is not None:
        df = staff.copy() if isinstance(staff, pd.DataFrame) else pd.DataFrame(staff)
        for col in ("person", "contract"):
            if col not in df.columns:
                raise InputError(f"staff: no {col!r} column; expected person, contract "
                                 "[, queues, days_off, overtime_used_h]")
        rows = []
        for i, r in enumerate(df.to_dict("records"), start=2):
            if r["contract"] not in ("full_time", "part_time"):
                raise InputError(f"staff row {i}: column 'contract' has {r['contract']!r}; expected "
                                 "full_time or part_time (day temps are hired by the roster)")
            qs = _split(r.get("queues")) or list(queues)
            bad = [q for q in qs if q not in queues]
            if bad:
                raise InputError(f"staff row {i}: column 'queues' has {bad[0]!r}; expected one of "
                                 f"{', '.join(queues)}")
            off = _split(r.get("days_off"))
            bad = [d for d in off if d not in days and d[:3].title() not in WEEKDAY_NAMES]
            if bad:
                raise InputError(f"staff row {i}: column 'days_off' has {bad[0]!r}; expected days of "
                                 f"the requirement or weekday names (Mon..Sun)")
            used = r.get("overtime_used_h")
            used = 0.0 if used is None or (isinstance(used, float) and math.isnan(used)) else float(used)
            rows.append({"person": str(r["person"]), "contract": r["contract"], "queues": tuple(qs),
                         "days_off": tuple(off), "optional": False, "overtime_used_h": used})
        out = pd.DataFrame(rows)
        if out["person"].duplicated().any():
            raise InputError(f"staff: person {out['person'][out['person'].duplicated()].iloc[0]!r} appears twice")
        return out, None
    if people_cap is not None and (not isinstance(people_cap, (int, np.integer)) or people_cap < 0):
        raise InputError(f"people has {people_cap!r}; expected a whole number of people >= 0")
    rows = []
    for qi, q in enumerate(queues):
        hours_week = req[qi].sum(axis=1).reshape(-1, DAYS_PER_WEEK).sum(axis=1).max()
        n_ft = int(math.ceil(hours_week / law["ft_hours_per_week"] * 1.25)) + 1
        n_pt = int(req[qi].max(initial=0)) // 2 + 1
        if people_cap is not None:
            n_ft, n_pt = min(n_ft, people_cap), min(n_pt, people_cap)
        prefix = "" if len(queues) == 1 else f"{q}-"
        rows += [{"person": f"{prefix}FT{i + 1:02d}", "contract": "full_time", "queues": (q,),
                  "days_off": (), "optional": True, "overtime_used_h": 0.0} for i in range(n_ft)]
        rows += [{"person": f"{prefix}PT{i + 1:02d}", "contract": "part_time", "queues": (q,),
                  "days_off": (), "optional": True, "overtime_used_h": 0.0} for i in range(n_pt)]
    return pd.DataFrame(rows), people_cap


def _split(value) -> list[str]:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    if isinstance(value, (list, tuple, set)):
        return [str(v) for v in value]
    return [p.strip() for p in str(value).split(";") if p.strip()]


def build_problem(requirement, *, interval_minutes: int = 60, start_date=None, staff=None,
                  people: int | None = None, temps="peaks", holidays=None, std=None,
                  law: dict | None = None, repeats: bool = True) -> Problem:
    """Validate the inputs of :func:`~ecomanalysis.roster.make_roster` into a :class:`Problem`."""
    reqs = requirement if isinstance(requirement, dict) else {"queue": requirement}
    if not reqs:
        raise InputError("requirement is an empty dict; expected {queue: DataFrame}")
    queues, mats, days = [], [], None
    for q, r in reqs.items():
        d, m = read_requirement(r, interval_minutes, name=f"requirement[{q!r}]" if len(reqs) > 1 else "requirement")
        if days is not None and d != days:
            raise InputError(f"requirement[{q!r}]: days {d[:2]} ... differ from the first queue's {days[:2]} ...")
        days = d
        queues.append(str(q))
        mats.append(m)
    req = np.stack(mats)
    law_values = law_from_standards(std, **(law or {}))
    weekday, dates = _calendar(days, start_date)
    n = len(days)
    if dates is not None:
        month = np.array([d.year * 12 + d.month for d in dates])
    else:
        month = np.arange(n) // DAYS_PER_MONTH_BLOCK
    if isinstance(temps, str) and temps == "peaks":
        temp_day = peak_days(req, law_values["temp_peak_factor"])
    else:
        temp_day = _day_set(temps, days, "temps")
    holiday = _day_set(holidays, days, "holidays")
    ppl, cap = _people(staff, people, queues, days, req, law_values)
    # fixed days off given as weekday names -> day labels
    if len(ppl):
        ppl["days_off"] = [tuple(sorted({i for i, d in enumerate(days)
                                         if d in off or (weekday[i] >= 0 and WEEKDAY_NAMES[weekday[i]]
                                                         in [o[:3].title() for o in off])}))
                           for off in ppl["days_off"]]
    return Problem(days=days, queues=queues, req=req, interval_min=int(interval_minutes),
                   weekday=weekday, week=np.arange(n) // DAYS_PER_WEEK, month=month,
                   holiday=holiday, temp_day=temp_day, people=ppl, law=law_values,
                   dates=dates, people_cap=cap, repeats=bool(repeats),
                   ot_cap_h=overtime_caps(month, dates, law_values["ot_max_h_month"], repeats))


def peak_days(req: np.ndarray, factor: float) -> np.ndarray:
    """Days whose required person-intervals exceed ``factor`` x the median day (all queues)."""
    per_day = req.sum(axis=(0, 2)).astype(float)
    return per_day > factor * np.median(per_day)


def overtime_caps(month: np.ndarray, dates, cap_h: float, repeats: bool) -> dict:
    """Overtime hours each person may work in each month of the horizon.  A roster that
    repeats week after week gets the monthly cap pro rata to the days it spans in that month
    (so every week of the month can repeat it); a one-off roster (an event week) gets the whole
    cap."""
    out = {}
    for mo in np.unique(month):
        n = int((month == mo).sum())
        if not repeats:
            out[int(mo)] = cap_h
            continue
        if dates is not None:
            import calendar

            d = next(dd for dd, m in zip(dates, month, strict=True) if m == mo)
            days_in_month = calendar.monthrange(d.year, d.month)[1]
        else:
            days_in_month = DAYS_PER_MONTH_AVG
        out[int(mo)] = cap_h * min(1.0, n / days_in_month)
    return out


def contract_ok(contract: str) -> bool:
    return contract in CONTRACTS


def hours(minutes) -> float:
    return float(minutes) / MINUTES_PER_HOUR
