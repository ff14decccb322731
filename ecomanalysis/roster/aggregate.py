"""First stage for teams of interchangeable people: how many shifts of each variant each day.

Counting shifts instead of naming people makes the model small: full-timers enter as counts
of weekly rest-day patterns (every pattern has the contract's regular days), part-timers and
day temps as counts per day.  The named roster (:mod:`ecomanalysis.roster.model`) then only
has to hand these shifts out to people, which it does quickly; the rules that need names (the
rest between shifts, fairness) are applied there.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np
from ortools.sat.python import cp_model

from ecomanalysis.roster import model as rmodel
from ecomanalysis.roster.problem import Problem
from ecomanalysis.roster.templates import MINUTES_PER_HOUR, Variants


@dataclass
class Counts:
    """Shifts per (day, variant): full-time on regular days, full-time on rest days or
    holidays, part-time and temps; and the people hired."""

    ft: np.ndarray
    ft_extra: np.ndarray
    pt: np.ndarray
    temp: np.ndarray
    n_ft: int
    n_pt: int
    status: str
    deterministic_s: float = 0.0


def applies(pr: Problem) -> bool:
    """Counting works when there is one queue and the people are an unnamed pool."""
    return len(pr.queues) == 1 and bool(pr.people["optional"].all())


def _patterns(days: np.ndarray, holiday: np.ndarray, quota: int) -> list[tuple[int, ...]]:
    workable = [int(d) for d in days if not holiday[d]]
    return list(combinations(workable, min(quota, len(workable))))


def _rest_between_days(mdl, pr: Problem, var: Variants, ft, ex, pt, ons, P) -> None:
    """The shifts of two days can be handed out without a late close followed by an early
    start: for every closing time, the late shifts of day d plus the early shifts of day d+1
    they clash with are at most the people on duty on either day (Hall's condition; the
    clashes are nested, so these inequalities suffice)."""
    rest = pr.law["min_rest_h"] * MINUTES_PER_HOUR
    ends = sorted({int(e) for e in var.end_min})
    for d in range(pr.n_days - 1):
        for e in ends:
            g = e + rest - 24 * MINUTES_PER_HOUR  # next-day starts before g clash
            if g <= 0:
                continue
            for dct_today, dct_next, who in (((ft, ex), (ft, ex), "ft"), ((pt,), (pt,), "pt")):
                late = [x for dct in dct_today for (dd, v), x in dct.items()
                        if dd == d and var.end_min[v] >= e]
                early = [x for dct in dct_next for (dd, v), x in dct.items()
                         if dd == d + 1 and var.start_min[v] < g]
                if not late or not early:
                    continue
                if who == "pt":
                    mdl.add(sum(late) + sum(early) <= P)
                    continue
                w_today = ons[d][0] + sum(x for (dd, _), x in ex.items() if dd == d)
                w_next = ons[d + 1][0] + sum(x for (dd, _), x in ex.items() if dd == d + 1)
                both = ons[d][1]
                if both is None:  # across weeks the pairing is unknown: stay on the safe side
                    mdl.add(sum(late) + sum(early) <= w_today)
                    mdl.add(sum(late) + sum(early) <= w_next)
                else:
                    extra = [x for (dd, _), x in ex.items() if dd in (d, d + 1)]
                    mdl.add(sum(late) + sum(early) <= w_today + w_next - both - sum(extra))


def solve_counts(pr: Problem, var: Variants, *, objective: str, seed: int, max_time_s: float) -> Counts:
    """The cheapest shift counts that cover the requirement under the weekly contract rules."""
    mdl = cp_model.CpModel()
    n_d, n_v = pr.n_days, len(var)
    ft, ex, pt, tmp = _shift_vars(mdl, pr, var)
    n_ft_pool = int((pr.people["contract"] == "full_time").sum())
    n_pt_pool = int((pr.people["contract"] == "part_time").sum())
    F = mdl.new_int_var(0, n_ft_pool, "F")
    P = mdl.new_int_var(0, n_pt_pool, "P")
    if pr.people_cap is not None:
        mdl.add(F + P <= pr.people_cap)
    ons = _weekly_rules(mdl, pr, var, ft, ex, pt, F, P, n_ft_pool)
    _rest_between_days(mdl, pr, var, ft, ex, pt, ons, P)
    _overtime_caps(mdl, pr, var, ft, ex, F)
    short = _coverage(mdl, pr, var, (ft, ex, pt, tmp))
    cost = _cost_terms(pr, var, objective, ft, ex, pt, tmp)
    mdl.minimize(sum(cost) + rmodel.short_penalty(pr) * sum(short))
    solver = rmodel.solve_model(mdl, seed=seed, max_time_s=max_time_s)

    def grid(dct):
        out = np.zeros((n_d, n_v), dtype=int)
        for (d, v), x in dct.items():
            out[d, v] = solver.value(x)
        return out

    if solver.status_text not in ("OPTIMAL", "FEASIBLE"):
        return Counts(*(np.zeros((n_d, n_v), dtype=int),) * 4, 0, 0, solver.status_text,
                      solver.deterministic_s)
    return Counts(grid(ft), grid(ex), grid(pt), grid(tmp), solver.value(F), solver.value(P),
                  solver.status_text, solver.deterministic_s)


def _shift_vars(mdl, pr: Problem, var: Variants):
    """Integer shift counts per (day, variant) where the variant is allowed and useful that
    day: full-time on regular days (``ft``, contract-length shifts), full-time on rest days
    or holidays (``ex``, no overtime part), part-time (``pt``, within the day limit) and temps
    (``tmp``, on temp days only)."""
    law = pr.law
    n_d, n_v = pr.n_days, len(var)
    top = int(pr.req.max(initial=0))
    useful = np.array([rmodel._useful(pr, var, 0, d) for d in range(n_d)])  # [d, v]
    ft_ok, pt_ok, tmp_ok = var.allows("full_time"), var.allows("part_time"), var.allows("temp")
    pt_ok &= var.paid_min <= law["pt_max_h_day"] * MINUTES_PER_HOUR
    plain = var.ot_min == 0
    ft_ok &= (var.paid_min - var.ot_min) == int(round(law["hours_per_day"] * MINUTES_PER_HOUR))

    def ints(mask, name):
        return {(d, v): mdl.new_int_var(0, top, f"{name}_{d}_{v}")
                for d in range(n_d) for v in range(n_v) if mask[v] and useful[d, v]}

    ft = ints(ft_ok, "ft")
    ex = ints(ft_ok & plain, "ex")
    pt = ints(pt_ok, "pt")
    tmp = ints(tmp_ok, "tmp") if pr.temp_day.any() else {}
    tmp = {k: x for k, x in tmp.items() if pr.temp_day[k[0]]}
    return ft, ex, pt, tmp


def _day_sum(dct, d):
    """The sum of the shift counts of day ``d`` in ``dct`` (keyed by ``(day, variant)``)."""
    return sum(x for (dd, _), x in dct.items() if dd == d)


def _weekly_rules(mdl, pr: Problem, var: Variants, ft, ex, pt, F, P, n_ft_pool: int) -> dict:
    """Per week: the ``F`` full-timers follow work-day patterns (the contract's regular days,
    holidays off), rest-day work only by those off duty and within the weekly rest, part-time
    within ``P`` people and their weekly hours.  Returns ``{day: (full-timers on duty,
    on duty on this day and the next, or None at a week's end)}``."""
    law = pr.law
    reg_days = int(round(law["ft_hours_per_week"] / law["hours_per_day"]))
    max_days = 7 - int(law["weekly_rest_min_days"])
    ons = {}  # day -> (regular full-timers on duty, {next day: both days on duty})
    for w in np.unique(pr.week):
        wd = np.nonzero(pr.week == w)[0]
        quota = max(0, reg_days - int(pr.holiday[wd].sum()))
        pats = _patterns(wd, pr.holiday, quota)
        y = [mdl.new_int_var(0, n_ft_pool, f"y_{w}_{k}") for k in range(len(pats))]
        mdl.add(sum(y) == F)
        for d in wd:
            on = sum(y[k] for k, p in enumerate(pats) if d in p)
            both = sum(y[k] for k, p in enumerate(pats) if d in p and d + 1 in p) if d + 1 in wd else None
            ons[int(d)] = (on, both)
            mdl.add(_day_sum(ft, d) == on)
            mdl.add(_day_sum(ex, d) <= F - on)
            mdl.add(_day_sum(pt, d) <= P)
        mdl.add(sum(_day_sum(ex, d) for d in wd) <= F * max(0, max_days - quota))
        pt_min = [int(var.paid_min[v]) * x for (d, v), x in pt.items() if d in wd]
        if pt_min:
            mdl.add(sum(pt_min) <= int(law["pt_max_h_week"] * MINUTES_PER_HOUR) * P)
    return ons


def _overtime_caps(mdl, pr: Problem, var: Variants, ft, ex, F) -> None:
    """Per month: the full-timers' overtime (the overtime part of ``ft`` shifts and whole
    ``ex`` shifts) within the month's cap per person."""
    for mo in np.unique(pr.month):
        cap_min = int(pr.ot_cap_h[int(mo)] * MINUTES_PER_HOUR)
        ds = set(np.nonzero(pr.month == mo)[0].tolist())
        ot = [int(var.ot_min[v]) * x for (d, v), x in ft.items() if d in ds and var.ot_min[v]]
        ot += [int(var.paid_min[v]) * x for (d, v), x in ex.items() if d in ds]
        if ot:
            mdl.add(sum(ot) <= cap_min * F)


def _coverage(mdl, pr: Problem, var: Variants, dcts) -> list:
    """Per interval with a requirement: the shifts covering it plus a shortfall variable
    reach the requirement.  Returns the shortfall variables."""
    short = []
    for d in range(pr.n_days):
        for t in np.nonzero(pr.req[0, d] > 0)[0]:
            terms = [x for dct in dcts for (dd, v), x in dct.items()
                     if dd == d and var.cover[v, t]]
            s = mdl.new_int_var(0, int(pr.req[0, d, t]), f"s_{d}_{t}")
            short.append(s)
            mdl.add(sum(terms) + s >= int(pr.req[0, d, t]))
    return short


def _cost_terms(pr: Problem, var: Variants, objective: str, ft, ex, pt, tmp) -> list:
    """The cost of the counted shifts, as in the named model: paid minutes at their pay
    multipliers (``objective="paid_hours"``: every paid minute alike)."""
    law = pr.law
    flat = objective == "paid_hours"
    pay = rmodel._pay
    cost = []
    for (_d, v), x in ft.items():
        reg = int(var.paid_min[v] - var.ot_min[v])
        w_ot = rmodel.PAY_SCALE if flat else pay(law["ot_mult_workday"])
        cost.append((reg * rmodel.PAY_SCALE + int(var.ot_min[v]) * w_ot) * x)
    for (d, v), x in ex.items():
        mult = law["ot_mult_holiday"] if pr.holiday[d] else law["ot_mult_rest_day"]
        cost.append(int(var.paid_min[v]) * (rmodel.PAY_SCALE if flat else pay(mult)) * x)
    for (d, v), x in pt.items():
        hol = law["ot_mult_holiday"] if pr.holiday[d] else 1.0
        cost.append(int(var.paid_min[v]) * (rmodel.PAY_SCALE if flat else pay(law["pt_mult"] * hol)) * x)
    for (d, v), x in tmp.items():
        hol = law["ot_mult_holiday"] if pr.holiday[d] else 1.0
        cost.append(int(var.paid_min[v]) * (rmodel.PAY_SCALE if flat else pay(law["temp_mult"] * hol)) * x)
    return cost
