"""An independent check of a roster against the law and the contracts.

Works from the assignments table alone (times as ``HH:MM`` text), the requirement and the
standards; it shares no code with the solver's model, so a rule the model gets wrong shows up
here.  Every problem is one line naming the person, the day and the limit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

WEEK_DAYS = 7
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
EPS = 1e-9


def _minutes(text: str) -> int:
    hh, mm = str(text).split(":")
    return int(hh) * 60 + int(mm)


def check_roster(roster, *, law: dict | None = None, days=None, requirement=None,
                 staff=None, holidays=None, interval_minutes: int | None = None,
                 overtime_cap_h: dict | None = None, month=None) -> list[str]:
    """Every broken rule of a roster, as sentences (empty when the roster is legal).

    Parameters
    ----------
    roster
        A :class:`~ecomanalysis.roster.Roster`, or its assignments DataFrame (then give
        ``law``, ``days`` and the rest explicitly).
    law
        Contract numbers (see :func:`ecomanalysis.roster.problem.law_from_standards`).
    days
        The day labels in order (weeks are consecutive blocks of seven).
    requirement
        ``[queue, day, interval]`` people needed, to check coverage claims.
    staff
        Named people (``person, queues, days_off`` as day indices).
    holidays
        Bool per day.
    overtime_cap_h, month
        Overtime hours allowed per person per month key, and the month key of each day.

    Checks: one shift a day; times on the grid; paid hours = span - break, break inside the
    shift; full-time regular hours per week, regular days, overtime per day, per month, rest
    days; part-time hours per day and week; a day temp works one day; rest between shifts;
    fixed days off; skills; coverage as reported.
    """
    if hasattr(roster, "assignments"):
        pr = roster.problem
        asg = roster.assignments
        law = law or pr.law
        days = days or pr.days
        requirement = pr.req if requirement is None else requirement
        staff = pr.people if staff is None else staff
        holidays = pr.holiday if holidays is None else holidays
        interval_minutes = interval_minutes or pr.interval_min
        overtime_cap_h = overtime_cap_h or pr.ot_cap_h
        month = pr.month if month is None else month
        queues = pr.queues
        coverage = roster.coverage
    else:
        asg, coverage, queues = roster, None, None
    problems: list[str] = []
    if asg.empty:
        return problems
    day_ix = {d: i for i, d in enumerate(days)}
    a = asg.copy()
    a["d"] = a["day"].map(day_ix)
    if a["d"].isna().any():
        problems.append(f"day {a.loc[a['d'].isna(), 'day'].iloc[0]!r} is not a day of the requirement")
        return problems
    a["s"] = a["start"].map(_minutes)
    a["e"] = a["end"].map(_minutes)
    a["b0"] = a["break_start"].map(lambda x: _minutes(x) if x else -1)
    a["b1"] = a["break_end"].map(lambda x: _minutes(x) if x else -1)
    a["brk"] = np.where(a["b0"] >= 0, a["b1"] - a["b0"], 0)
    a["w"] = a["d"] // WEEK_DAYS
    holidays = np.zeros(len(days), dtype=bool) if holidays is None else np.asarray(holidays)
    _check_shapes(a, interval_minutes, problems)
    _check_one_a_day(a, problems)
    ft, pt, tmp = (a[a["contract"] == c] for c in ("full_time", "part_time", "temp"))
    _check_full_time(ft, law, holidays, month, overtime_cap_h, staff, problems)
    _check_part_time(pt, law, problems)
    _check_temps(tmp, problems)
    _check_rest(a[a["contract"] != "temp"], law, problems)
    if staff is not None:
        _check_staff(a, staff, problems)
    if coverage is not None and requirement is not None:
        _check_coverage(a, coverage, requirement, queues, days, interval_minutes, problems)
    return problems


def _who(r) -> str:
    return f"{r.person} on {r.day}"


def _check_shapes(a: pd.DataFrame, step, problems) -> None:
    for r in a.itertuples(index=False):
        if not (0 <= r.s < r.e <= 24 * 60):
            problems.append(f"{_who(r)}: shift {r.start}-{r.end} is not within the day")
        if step and any(x % step for x in (r.s, r.e) + ((r.b0, r.b1) if r.b0 >= 0 else ())):
            problems.append(f"{_who(r)}: times {r.start}-{r.end} are off the {step}-minute grid")
        if r.b0 >= 0 and not (r.s < r.b0 < r.b1 < r.e):
            problems.append(f"{_who(r)}: break {r.break_start}-{r.break_end} is not inside the shift")
        paid = (r.e - r.s - r.brk) / 60
        if abs(paid - r.paid_h) > EPS:
            problems.append(f"{_who(r)}: paid_h {r.paid_h:g} but the shift minus its break is {paid:g} h")
        if r.overtime_h < -EPS or r.overtime_h > r.paid_h + EPS:
            problems.append(f"{_who(r)}: overtime_h {r.overtime_h:g} outside 0..paid_h")


def _check_one_a_day(a, problems) -> None:
    dup = a[a.duplicated(["person", "day"], keep=False)]
    for (person, day), _ in dup.groupby(["person", "day"]):
        problems.append(f"{person} on {day}: more than one shift")


def _check_full_time(ft, law, holidays, month, cap_h, staff, problems) -> None:
    per_day = law["hours_per_day"]
    reg_days = int(round(law["ft_hours_per_week"] / per_day))
    max_days = WEEK_DAYS - int(law["weekly_rest_min_days"])
    for r in ft.itertuples(index=False):
        is_extra = r.day_type in ("rest_day", "holiday")
        if holidays[r.d] and r.day_type != "holiday":
            problems.append(f"{_who(r)}: works a public holiday not paid as holiday overtime")
        if is_extra:
            if abs(r.overtime_h - r.paid_h) > EPS:
                problems.append(f"{_who(r)}: a {r.day_type} shift must be all overtime")
            want = law["ot_mult_holiday"] if r.day_type == "holiday" else law["ot_mult_rest_day"]
        else:
            if abs(r.paid_h - r.overtime_h - per_day) > EPS:
                problems.append(f"{_who(r)}: {r.paid_h - r.overtime_h:g} regular hours; a full-time "
                                f"day has {per_day:g}")
            if r.overtime_h > law["ot_max_h_day"] + EPS:
                problems.append(f"{_who(r)}: {r.overtime_h:g} h overtime; at most {law['ot_max_h_day']:g} a day")
            want = law["ot_mult_workday"] if r.overtime_h > EPS else 1.0
        if abs(r.pay_multiplier - want) > EPS:
            problems.append(f"{_who(r)}: overtime paid x{r.pay_multiplier:g}; the law says x{want:g}")
    n_weeks = None
    for (person, w), g in ft.groupby(["person", "w"]):
        regular = g[g["day_type"] == "workday"]
        n_hol = int(holidays[w * WEEK_DAYS:(w + 1) * WEEK_DAYS].sum())
        want = max(0, reg_days - n_hol)
        if len(regular) != want:
            problems.append(f"{person} week {w + 1}: {len(regular)} regular days; the full-time "
                            f"contract has {want} ({law['ft_hours_per_week']:g} h)")
        if len(g) > max_days:
            problems.append(f"{person} week {w + 1}: works {len(g)} days; at least "
                            f"{law['weekly_rest_min_days']:g} whole day(s) off a week")
    del n_weeks
    if month is not None and cap_h:
        ft = ft.assign(m=np.asarray(month)[ft["d"].to_numpy()])
        used = {}
        if staff is not None and "overtime_used_h" in staff.columns:
            used = dict(zip(staff["person"], staff["overtime_used_h"], strict=True))
        for (person, mo), g in ft.groupby(["person", "m"]):
            cap = cap_h[int(mo)] - used.get(person, 0.0)
            if g["overtime_h"].sum() > cap + EPS:
                problems.append(f"{person}: {g['overtime_h'].sum():g} h overtime in month {mo}; "
                                f"at most {cap:g}")


def _check_part_time(pt, law, problems) -> None:
    for r in pt.itertuples(index=False):
        if r.paid_h > law["pt_max_h_day"] + EPS:
            problems.append(f"{_who(r)}: part-time {r.paid_h:g} h; at most {law['pt_max_h_day']:g} a day")
        if r.overtime_h > EPS:
            problems.append(f"{_who(r)}: part-time with overtime")
    for (person, w), g in pt.groupby(["person", "w"]):
        if g["paid_h"].sum() > law["pt_max_h_week"] + EPS:
            problems.append(f"{person} week {w + 1}: part-time {g['paid_h'].sum():g} h; at most "
                            f"{law['pt_max_h_week']:g} a week")


def _check_temps(tmp, problems) -> None:
    for person, g in tmp.groupby("person"):
        if g["day"].nunique() > 1:
            problems.append(f"{person}: a day temp works {g['day'].nunique()} days")
        if (g["overtime_h"] > EPS).any():
            problems.append(f"{person}: a day temp with overtime")


def _check_rest(a, law, problems) -> None:
    rest = law["min_rest_h"] * 60
    for person, g in a.sort_values("d").groupby("person"):
        d, s, e = g["d"].to_numpy(), g["s"].to_numpy(), g["e"].to_numpy()
        gap = (d[1:] - d[:-1]) * 24 * 60 + s[1:] - e[:-1]
        for i in np.nonzero(gap < rest)[0]:
            problems.append(f"{person}: {gap[i] / 60:g} h between the shift ending {g['end'].iat[i]} on "
                            f"{g['day'].iat[i]} and the next; at least {law['min_rest_h']:g} h")


def _check_staff(a, staff, problems) -> None:
    info = staff.set_index("person")
    for r in a.itertuples(index=False):
        if r.person not in info.index:
            if r.contract != "temp":
                problems.append(f"{_who(r)}: {r.person} is not on the staff list")
            continue
        row = info.loc[r.person]
        if row["contract"] != r.contract:
            problems.append(f"{_who(r)}: contract {r.contract} but hired as {row['contract']}")
        if r.d in tuple(row["days_off"]):
            problems.append(f"{_who(r)}: works a fixed day off")
        if r.queue not in tuple(row["queues"]):
            problems.append(f"{_who(r)}: serves {r.queue}, not among the person's skills {row['queues']}")


def _check_coverage(a, coverage, req, queues, days, step, problems) -> None:
    n_q, n_d, n_t = req.shape
    sched = np.zeros((n_q, n_d, n_t), dtype=int)
    t0 = np.arange(n_t) * step
    for r in a.itertuples(index=False):
        on = (t0 >= r.s) & (t0 < r.e) & ~((t0 >= r.b0) & (t0 < r.b1))
        sched[queues.index(r.queue), r.d] += on
    if not np.array_equal(sched.reshape(-1), coverage["scheduled"].to_numpy()):
        problems.append("coverage table: 'scheduled' differs from the people on seat in the assignments")
    if not np.array_equal(req.reshape(-1), coverage["required"].to_numpy()):
        problems.append("coverage table: 'required' differs from the requirement")
    short = np.maximum(req - sched, 0)
    if short.sum() != coverage["short"].sum():
        problems.append("coverage table: 'short' does not add up")
