"""The CP-SAT roster model: shifts as Booleans per (person, day, variant, queue), day temps as
counts per (day, variant, queue), each rule one small function (in the manner of OR-Tools'
``examples/python/shift_scheduling_sat.py``).

Hard rules (the law and the contracts) are constraints; what cannot be covered becomes a
penalised shortfall, so a solve always returns a roster and the shortfall is explained.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from ortools.sat.python import cp_model

from ecomanalysis.roster.problem import WEEKEND, Problem
from ecomanalysis.roster.templates import MINUTES_PER_DAY, MINUTES_PER_HOUR, Variants

#: Pay weights are kept as integers: tenths of the normal hourly wage per paid minute.
PAY_SCALE = 10
#: The wall-clock limit is a safety net this many times the deterministic limit (a loaded
#: machine runs slower than deterministic time; only then can two runs differ).
WALL_SAFETY = 10
#: Shares of the time limit given to successive seeds (see :func:`solve_model`).
SEED_SHARES = (0.2, 0.3, 0.5)
#: Every rule the model applies; ``relax`` switches some off (used to explain a shortfall).
RULES = ("people_cap", "contract_hours", "rest_days", "part_time_hours", "overtime_day",
         "overtime_month", "min_rest", "days_off", "skills", "temps")


@dataclass
class Model:
    """The CP-SAT model and handles to its variables."""

    model: cp_model.CpModel
    problem: Problem
    variants: Variants
    x: dict = field(default_factory=dict)        # (p, d, v, q) -> BoolVar
    temp: dict = field(default_factory=dict)     # (d, v, q) -> IntVar
    hired: dict = field(default_factory=dict)    # p -> BoolVar (or 1)
    extra_day: dict = field(default_factory=dict)  # (p, d) -> BoolVar: full-timer on a rest day/holiday
    extra_min: dict = field(default_factory=dict)  # (p, d) -> IntVar: paid minutes of that day
    short: dict = field(default_factory=dict)    # (q, d, t) -> IntVar
    counts: object = None                        # aggregate.Counts to hand out, or None
    cost_terms: list = field(default_factory=list)
    fair_terms: list = field(default_factory=list)
    by_pd: dict = field(default_factory=dict)    # (p, d) -> list of (v, q, var)


def _pay(weight: float) -> int:
    return int(round(weight * PAY_SCALE))


# --------------------------------------------------------------------------- variables
def _useful(pr: Problem, var: Variants, q: int, d: int) -> np.ndarray:
    """Variants worth considering on day ``d`` of queue ``q``: they cover some demand, and an
    overtime variant's added intervals all meet demand (else the plain variant dominates it)."""
    need = pr.req[q, d] > 0
    ok = var.cover[:, need].sum(axis=1) > 0
    for v in np.nonzero(ok & (var.ot_min > 0))[0]:
        ok[v] = bool(need[var.cover[v].astype(bool) & ~var.cover[var.base[v]].astype(bool)].all())
    return ok


def add_person_shifts(m: Model, relax: set) -> None:
    """One Boolean per (person, day, useful variant, queue the person may serve)."""
    pr, var, mdl = m.problem, m.variants, m.model
    useful = {(q, d): _useful(pr, var, q, d) for q in range(len(pr.queues)) for d in range(pr.n_days)}
    pt_max = pr.law["pt_max_h_day"] * MINUTES_PER_HOUR
    ft_day = int(round(pr.law["hours_per_day"] * MINUTES_PER_HOUR))
    for p, row in enumerate(pr.people.itertuples(index=False)):
        allowed = var.allows(row.contract)
        if row.contract == "part_time" and "part_time_hours" not in relax:
            allowed &= var.paid_min <= pt_max
        if row.contract == "full_time":  # a full-time day is the contract's day (+ overtime)
            allowed &= (var.paid_min - var.ot_min) == ft_day
        qs = range(len(pr.queues)) if "skills" in relax else \
            [pr.queues.index(q) for q in row.queues]
        m.hired[p] = mdl.new_bool_var(f"hired_{p}") if row.optional else 1
        for d in range(pr.n_days):
            if d in row.days_off and "days_off" not in relax:
                continue
            lst = []
            for q in qs:
                ok = allowed & useful[(q, d)]
                if m.counts is not None:
                    c = m.counts
                    ok &= (c.ft[d] + c.ft_extra[d] > 0) if row.contract == "full_time" else (c.pt[d] > 0)
                for v in np.nonzero(ok)[0]:
                    b = mdl.new_bool_var(f"x_{p}_{d}_{v}_{q}")
                    m.x[(p, d, int(v), q)] = b
                    lst.append((int(v), q, b))
            m.by_pd[(p, d)] = lst
            if lst:
                mdl.add_at_most_one(b for _, _, b in lst)
                if row.optional:
                    for _, _, b in lst:
                        mdl.add_implication(b, m.hired[p])


def add_temps(m: Model, relax: set) -> None:
    """Day temps: anonymous counts per (day, variant, queue) on the days temps may be hired."""
    pr, var = m.problem, m.variants
    allowed = var.allows("temp")
    cap = int(pr.req.max(initial=0))
    for d in range(pr.n_days):
        if not (pr.temp_day[d] or "temps" in relax):
            continue
        for q in range(len(pr.queues)):
            for v in np.nonzero(allowed & _useful(pr, var, q, d))[0]:
                if m.counts is not None:
                    n = int(m.counts.temp[d, v])
                    if n:
                        m.temp[(d, int(v), q)] = m.model.new_constant(n)
                    continue
                m.temp[(d, int(v), q)] = m.model.new_int_var(0, cap, f"temp_{d}_{v}_{q}")


# --------------------------------------------------------------------------- rules
def add_coverage(m: Model) -> None:
    """Every interval: people on seat + shortfall >= required."""
    pr, var = m.problem, m.variants
    n_q, n_d, n_t = pr.req.shape
    terms = {(q, d, t): [] for q in range(n_q) for d in range(n_d) for t in range(n_t)}
    for (_, d, v, q), b in m.x.items():
        for t in np.nonzero(var.cover[v])[0]:
            terms[(q, d, int(t))].append(b)
    for (d, v, q), n in m.temp.items():
        for t in np.nonzero(var.cover[v])[0]:
            terms[(q, d, int(t))].append(n)
    for (q, d, t), lst in terms.items():
        need = int(pr.req[q, d, t])
        if need <= 0:
            continue
        s = m.model.new_int_var(0, need, f"short_{q}_{d}_{t}")
        m.short[(q, d, t)] = s
        m.model.add(sum(lst) + s >= need)


def add_full_time_week(m: Model, relax: set) -> None:
    """Full-time: the contract's regular days each week (40 h / 8 h = 5, holidays off with pay);
    more days only as rest-day (or holiday) overtime, keeping the weekly rest minimum."""
    pr, var, mdl = m.problem, m.variants, m.model
    per_day = pr.law["hours_per_day"]
    reg_days = int(round(pr.law["ft_hours_per_week"] / per_day))
    max_days = 7 - int(pr.law["weekly_rest_min_days"])
    if "rest_days" in relax:
        max_days = 7
    for p, row in enumerate(pr.people.itertuples(index=False)):
        if row.contract != "full_time":
            continue
        for w in np.unique(pr.week):
            wd = np.nonzero(pr.week == w)[0]
            worked, regular = [], []
            for d in wd:
                lst = m.by_pd.get((p, int(d)), [])
                if not lst:
                    continue
                work = sum(b for _, _, b in lst)
                extra = mdl.new_bool_var(f"extra_{p}_{d}")
                m.extra_day[(p, int(d))] = extra
                mdl.add(extra <= work)
                if pr.holiday[d]:
                    mdl.add(extra == work)      # all work on a holiday is holiday overtime
                else:
                    regular.append(work - extra)
                # an extra day is worked as a plain template (no lengthening on top)
                for v, _, b in lst:
                    if var.ot_min[v] > 0:
                        mdl.add_implication(b, extra.negated())
                mins = mdl.new_int_var(0, MINUTES_PER_DAY, f"extra_min_{p}_{d}")
                day_min = sum(int(var.paid_min[v]) * b for v, _, b in lst)
                mdl.add(mins >= day_min - MINUTES_PER_DAY * (1 - extra))
                m.extra_min[(p, int(d))] = mins
                worked.append(work)
            holidays = int(pr.holiday[wd].sum())
            quota = max(0, reg_days - holidays)
            if "contract_hours" not in relax:
                mdl.add(sum(regular) == quota * m.hired[p])
            else:
                mdl.add(sum(regular) <= quota * m.hired[p])
            mdl.add(sum(worked) <= max_days)


def add_overtime_caps(m: Model, relax: set) -> None:
    """Overtime at most ``ot_max_h_day`` a working day and ``ot_max_h_month`` a month
    (lengthened days plus rest-day and holiday work), less what was already worked."""
    pr, var, mdl = m.problem, m.variants, m.model
    day_cap = pr.law["ot_max_h_day"] * MINUTES_PER_HOUR
    for p, row in enumerate(pr.people.itertuples(index=False)):
        if row.contract != "full_time":
            continue
        for d in range(pr.n_days):
            for v, _, b in m.by_pd.get((p, d), []):
                if var.ot_min[v] > day_cap and "overtime_day" not in relax:
                    mdl.add(b == 0)
        if "overtime_month" in relax:
            continue
        for mo in np.unique(pr.month):
            cap = int((pr.ot_cap_h[int(mo)] - row.overtime_used_h) * MINUTES_PER_HOUR)
            ds = np.nonzero(pr.month == mo)[0]
            ot = [int(var.ot_min[v]) * b for d in ds for v, _, b in m.by_pd.get((p, int(d)), [])
                  if var.ot_min[v] > 0]
            ot += [m.extra_min[(p, int(d))] for d in ds if (p, int(d)) in m.extra_min]
            if ot:
                mdl.add(sum(ot) <= max(cap, 0))


def add_part_time_hours(m: Model, relax: set) -> None:
    """Part-time (非全日制): at most ``pt_max_h_week`` paid hours a week (the daily 4 h is
    enforced by the variants a part-timer may take)."""
    if "part_time_hours" in relax:
        return
    pr, var, mdl = m.problem, m.variants, m.model
    cap = int(round(pr.law["pt_max_h_week"] * MINUTES_PER_HOUR))
    for p, row in enumerate(pr.people.itertuples(index=False)):
        if row.contract != "part_time":
            continue
        for w in np.unique(pr.week):
            terms = [int(var.paid_min[v]) * b for d in np.nonzero(pr.week == w)[0]
                     for v, _, b in m.by_pd.get((p, int(d)), [])]
            if terms:
                mdl.add(sum(terms) <= cap)


def add_min_rest(m: Model, relax: set) -> None:
    """No late close followed by an early start: between the end of one day's shift and the
    start of the next day's at least ``min_rest_h`` hours."""
    if "min_rest" in relax:
        return
    pr, var, mdl = m.problem, m.variants, m.model
    rest = pr.law["min_rest_h"] * MINUTES_PER_HOUR
    for p in range(len(pr.people)):
        for d in range(pr.n_days - 1):
            today, tomorrow = m.by_pd.get((p, d), []), m.by_pd.get((p, d + 1), [])
            if not today or not tomorrow:
                continue
            for end in sorted({int(var.end_min[v]) for v, _, _ in today}):
                late = [b for v, _, b in today if var.end_min[v] == end]
                early = [b for v, _, b in tomorrow if MINUTES_PER_DAY - end + var.start_min[v] < rest]
                if early:
                    mdl.add(sum(late) + sum(early) <= 1)


def add_people_cap(m: Model, relax: set) -> None:
    """At most ``people`` permanent people hired; numbered pools hire in order (symmetry)."""
    pr, mdl = m.problem, m.model
    ppl = pr.people
    for contract in ("full_time", "part_time"):
        for qs in ppl["queues"].unique():
            idx = [p for p in range(len(ppl)) if ppl["contract"].iat[p] == contract
                   and ppl["queues"].iat[p] == qs and ppl["optional"].iat[p]]
            for a, b in zip(idx, idx[1:], strict=False):
                mdl.add(m.hired[a] >= m.hired[b])
    if pr.people_cap is not None and "people_cap" not in relax:
        mdl.add(sum(m.hired[p] for p in range(len(ppl))) <= pr.people_cap)


def add_counts(m: Model) -> None:
    """Hand out exactly the shifts the counting stage chose (single queue, unnamed pool)."""
    if m.counts is None:
        return
    pr, c = m.problem, m.counts
    contract = pr.people["contract"].to_numpy()
    for d in range(pr.n_days):
        for v in np.nonzero(c.ft[d] + c.ft_extra[d] + c.pt[d])[0]:
            for kind, n in (("full_time", c.ft[d, v] + c.ft_extra[d, v]), ("part_time", c.pt[d, v])):
                xs = [b for (p, dd, vv, _), b in m.x.items() if dd == d and vv == v and contract[p] == kind]
                if n and not xs:
                    m.model.add_bool_or([])  # nobody can take these shifts: infeasible
                elif xs:
                    m.model.add(sum(xs) == int(n))


def add_fairness(m: Model) -> None:
    """Late shifts and weekend days shared: the most any full-timer gets is kept low."""
    pr, var, mdl = m.problem, m.variants, m.model
    ft = [p for p in range(len(pr.people)) if pr.people["contract"].iat[p] == "full_time"]
    if not ft:
        return
    max_late = mdl.new_int_var(0, pr.n_days, "max_late")
    max_weekend = mdl.new_int_var(0, pr.n_days, "max_weekend")
    for p in ft:
        late = [b for d in range(pr.n_days) for v, _, b in m.by_pd.get((p, d), []) if var.late[v]]
        wkd = [b for d in range(pr.n_days) if pr.weekday[d] in WEEKEND
               for _, _, b in m.by_pd.get((p, d), [])]
        if late:
            mdl.add(sum(late) <= max_late)
        if wkd:
            mdl.add(sum(wkd) <= max_weekend)
    m.fair_terms += [max_late, max_weekend]


def add_cost(m: Model, objective: str) -> None:
    """Pay at the contract's rate: regular time x1 (part-time x ``pt_mult``), lengthened days
    x ``ot_mult_workday``, rest days x ``ot_mult_rest_day``, holidays x ``ot_mult_holiday``,
    temps x ``temp_mult``; ``objective="paid_hours"`` counts every paid minute alike."""
    pr, var, law = m.problem, m.variants, m.problem.law
    flat = objective == "paid_hours"
    contract = pr.people["contract"].to_numpy()
    for (p, d, v, _), b in m.x.items():
        hol = law["ot_mult_holiday"] if pr.holiday[d] else 1.0
        if flat:
            m.cost_terms.append(int(var.paid_min[v]) * PAY_SCALE * b)
        elif contract[p] == "part_time":
            m.cost_terms.append(int(var.paid_min[v]) * _pay(law["pt_mult"] * hol) * b)
        else:
            reg = int(var.paid_min[v] - var.ot_min[v])
            m.cost_terms.append((reg * PAY_SCALE + int(var.ot_min[v]) * _pay(law["ot_mult_workday"])) * b)
    if not flat:
        for (_p, d), mins in m.extra_min.items():
            mult = law["ot_mult_holiday"] if pr.holiday[d] else law["ot_mult_rest_day"]
            m.cost_terms.append(mins * (_pay(mult) - PAY_SCALE))
    for (d, v, _), n in m.temp.items():
        hol = law["ot_mult_holiday"] if pr.holiday[d] else 1.0
        w = PAY_SCALE if flat else _pay(law["temp_mult"] * hol)
        m.cost_terms.append(int(var.paid_min[v]) * w * n)


def short_penalty(pr: Problem) -> int:
    """Cost of one uncovered person-interval: more than any roster could cost, so a shortfall
    is only left where no legal roster covers it."""
    top = max(pr.law["ot_mult_holiday"] * max(pr.law["temp_mult"], 1.0), pr.law["ot_mult_rest_day"])
    return int(math.ceil(top * PAY_SCALE * MINUTES_PER_DAY * 2))


def build(pr: Problem, variants: Variants, *, objective: str = "cost", relax=(), counts=None) -> Model:
    """The full model: variables, every rule, and the objective (cost, then fairness).
    With ``counts`` (:class:`~ecomanalysis.roster.aggregate.Counts`) the shifts are fixed and
    only handed out to people."""
    relax = set(relax)
    m = Model(cp_model.CpModel(), pr, variants, counts=counts)
    add_person_shifts(m, relax)
    add_temps(m, relax)
    add_coverage(m)
    add_full_time_week(m, relax)
    add_overtime_caps(m, relax)
    add_part_time_hours(m, relax)
    add_min_rest(m, relax)
    add_people_cap(m, relax)
    add_counts(m)
    add_fairness(m)
    add_cost(m, objective)
    penalty = short_penalty(pr)
    # fairness only breaks ties: one unit of it is worth less than the cheapest paid interval
    scale = len(m.fair_terms) * pr.n_days + 1
    m.model.minimize(scale * (sum(m.cost_terms) + penalty * sum(m.short.values()))
                     + sum(m.fair_terms))
    return m


def solve(m: Model, *, seed: int = 0, max_time_s: float = 10.0) -> cp_model.CpSolver:
    """Solve the roster model (see :func:`solve_model`)."""
    return solve_model(m.model, seed=seed, max_time_s=max_time_s)


def solve_model(model: cp_model.CpModel, *, seed: int = 0, max_time_s: float = 10.0) -> cp_model.CpSolver:
    """Solve deterministically: one worker, a deterministic time limit, and a short portfolio
    of random seeds derived from ``seed`` (a single search can stall on an unlucky seed; the
    next attempt usually closes the model at once).  Stops at the first optimal attempt, else
    keeps the best.  The wall-clock limit is a safety net, :data:`WALL_SAFETY` times the
    deterministic one.  ``solver.status_text`` holds the status, ``solver.deterministic_s`` the
    deterministic time of all attempts."""
    best, spent = None, 0.0
    for k, share in enumerate(SEED_SHARES):
        solver = cp_model.CpSolver()
        prm = solver.parameters
        prm.num_workers = 1
        prm.linearization_level = 2  # the full LP relaxation: bounds that close these models fast
        prm.random_seed = int(seed) * len(SEED_SHARES) + k
        prm.max_deterministic_time = float(max_time_s) * share
        prm.max_time_in_seconds = float(max_time_s) * share * WALL_SAFETY
        status = solver.solve(model)
        solver.status_text = solver.status_name(status)
        spent += solver.deterministic_time
        ok = solver.status_text in ("OPTIMAL", "FEASIBLE")
        if ok and (best is None or solver.objective_value < best.objective_value):
            best = solver
        if solver.status_text in ("OPTIMAL", "INFEASIBLE", "MODEL_INVALID"):
            best = best if solver.status_text != "OPTIMAL" else solver
            best = best or solver
            break
    best = best or solver
    best.deterministic_s = spent
    return best
