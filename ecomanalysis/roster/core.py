"""``make_roster``: requirement per interval -> named weekly roster within the law."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from ortools.sat.python import cp_model

from ecomanalysis import cache
from ecomanalysis.errors import InputError
from ecomanalysis.roster import model as rmodel
from ecomanalysis.roster.pay import wage_hours
from ecomanalysis.roster.problem import Problem, build_problem
from ecomanalysis.roster.tables import hours_per_person, roster_grid
from ecomanalysis.roster.templates import (
    MINUTES_PER_HOUR,
    Variants,
    build_variants,
    load_templates,
    min_to_hhmm,
)

ASSIGNMENT_COLUMNS = ["person", "contract", "queue", "day", "template_id", "start", "end",
                      "break_start", "break_end", "paid_h", "overtime_h", "day_type", "pay_multiplier"]
#: Relaxations tried, in this order, to name the rule that binds when intervals stay short.
DIAGNOSE_RULES = ("people_cap", "temps", "skills", "days_off", "min_rest", "part_time_hours",
                  "overtime_month", "rest_days", "contract_hours")
RULE_TEXT = {
    "people_cap": "the people limit ({cap} permanent people)",
    "temps": "no day temps on this day",
    "skills": "skills: people may only serve their own queues",
    "days_off": "fixed days off",
    "min_rest": "the minimum rest of {rest:g} h between shifts",
    "part_time_hours": "part-time limits ({pt_day:g} h a day, {pt_week:g} h a week)",
    "overtime_month": "the overtime cap of {ot_month:g} h a month",
    "rest_days": "the weekly rest days",
    "contract_hours": "full-time contract hours ({ft_week:g} h a week)",
    "templates": "no shift template covers this interval",
}
#: Shares of the time limit: counting shifts, naming them (fairness is only a tie-breaker, so
#: any roster the naming stage finds costs the same), and the named model when counting cannot
#: be used or naming fails.
COUNT_SHARE, NAME_SHARE = 0.4, 0.1
OPTIONS = ("start_date", "staff", "people", "temps", "holidays", "std", "law", "objective",
           "overtime", "repeats", "max_time_s", "diagnose")


@dataclass
class Roster:
    """A roster and what it achieves.

    Attributes
    ----------
    assignments
        One row per shift worked: ``person, contract`` (full_time, part_time, temp), ``queue,
        day, template_id, start, end`` (HH:MM), ``break_start, break_end`` ("" where none),
        ``paid_h, overtime_h, day_type`` (workday, rest_day, holiday) and ``pay_multiplier``
        (of the overtime part: 1.5 / 2 / 3, 1 where none).
    coverage
        ``queue, day, interval_start, required, scheduled, short``.
    paid_hours
        Paid person-hours of the whole roster.
    cost_wage_hours
        Pay in normal-wage hours (overtime and temps at their multipliers).
    status
        ``"optimal"``, ``"feasible"`` (time limit reached; every interval covered) or a
        sentence starting with ``"short:"`` that names the intervals, how many people each
        lacks and the rule that binds.
    shortfalls
        ``queue, day, interval_start, required, scheduled, short, binding_rule`` (the rules
        whose relaxation alone would cover more of the interval, ``;``-separated: e.g.
        ``people_cap;temps``; ``templates`` where no shift reaches it; ``several`` where only
        relaxing rules together would).
    solve_s, solve_deterministic_s
        Wall-clock seconds of the solve, and CP-SAT's deterministic time (the limit that keeps
        runs reproducible; wall time grows with the machine's load, deterministic time not).
    """

    assignments: pd.DataFrame
    coverage: pd.DataFrame
    paid_hours: float
    cost_wage_hours: float
    status: str
    shortfalls: pd.DataFrame
    solve_s: float
    problem: Problem = field(repr=False)
    templates: pd.DataFrame = field(repr=False)
    objective_value: float = 0.0
    solve_deterministic_s: float = 0.0

    @property
    def covered(self) -> bool:
        return bool(self.coverage["short"].sum() == 0)

    def people(self) -> pd.DataFrame:
        """Hours and cost per person: days, paid and overtime hours, late shifts, weekend days."""
        return hours_per_person(self)

    def table(self, lang: str = "zh") -> pd.DataFrame:
        """Person x day -> shift and break (the sheet a supervisor posts)."""
        return roster_grid(self, lang)


def make_roster(requirement, *, interval_minutes: int = 60, templates=None, seed: int = 0,
                **options) -> Roster:
    """Named weekly rosters that cover a requirement at least cost, within the labour law.

    Parameters
    ----------
    requirement
        A DataFrame with one row per day: ``day`` (Mon..Sun, a date, or MM-DD), then one column
        per interval of the day (00:00 first) holding the people needed on seat; whole weeks.
        A dict ``{queue: DataFrame}`` rosters several queues at once (skills decide who may
        serve which).
    interval_minutes
        Length of one interval (60, 30 or 15).
    templates
        Shift templates (path or DataFrame like ``data/shift_templates.csv``); default: the
        customer-service rows of that file.
    seed
        Solver seed (the same input and seed give the same roster).
    **options
        ``start_date`` (first day's date, for weekdays and months), ``staff`` (named people:
        ``person, contract[, queues, days_off, overtime_used_h]``; default: numbered people the
        roster hires), ``people`` (at most this many permanent people), ``temps`` (True, False
        or the days day temps may work; default ``"peaks"``: days needing more than
        ``roster_temp_peak_day_factor`` x the median day), ``repeats`` (True: the week repeats,
        so the monthly overtime cap is pro rata; False for a one-off week such as Double 11), ``holidays`` (days paid x3),
        ``objective`` (``"cost"`` or ``"paid_hours"``), ``overtime`` (allow lengthened days,
        default True), ``law`` (overrides of the contract numbers, see
        :data:`ecomanalysis.roster.problem.LAW_STANDARDS`), ``std`` (resolved standards),
        ``max_time_s`` (default ``roster_max_solve_s``), ``diagnose`` (explain a shortfall,
        default True).

    Returns
    -------
    Roster
    """
    unknown = [k for k in options if k not in OPTIONS]
    if unknown:
        raise InputError(f"make_roster: unknown option {unknown[0]!r}; expected one of {', '.join(OPTIONS)}")
    objective = options.get("objective", "cost")
    if objective not in ("cost", "paid_hours"):
        raise InputError(f"objective has {objective!r}; expected 'cost' or 'paid_hours'")
    pr = build_problem(requirement, interval_minutes=interval_minutes,
                       start_date=options.get("start_date"), staff=options.get("staff"),
                       people=options.get("people"), temps=options.get("temps", "peaks"),
                       holidays=options.get("holidays"), std=options.get("std"),
                       law=options.get("law"), repeats=options.get("repeats", True))
    tpl = templates if isinstance(templates, pd.DataFrame) and "start_min" in templates.columns \
        else load_templates(templates)
    ot_min = int(pr.law["ot_max_h_day"] * MINUTES_PER_HOUR) if options.get("overtime", True) else 0
    ot_min -= ot_min % pr.interval_min
    var = build_variants(tpl, pr.interval_min, overtime_max_min=ot_min,
                         overtime_step_min=int(pr.law["ot_step_min"]))
    max_s = float(options.get("max_time_s", pr.law["max_solve_s"]))

    def compute() -> Roster:
        return _solved(pr, var, tpl, objective, seed, max_s, options.get("diagnose", True))

    return cache.memo("roster", lambda: _cache_key(requirement, interval_minutes, tpl, seed, options),
                      compute, _dump, lambda entry: _load(entry, pr, tpl))


def _solved(pr: Problem, var: Variants, tpl: pd.DataFrame, objective: str, seed: int, max_s: float,
            diagnose: bool) -> Roster:
    t0 = time.perf_counter()
    m, solver = _solve(pr, var, objective=objective, seed=seed, max_s=max_s)
    solve_s = time.perf_counter() - t0
    code = solver.status_text
    if code not in ("OPTIMAL", "FEASIBLE"):
        raise RuntimeError(f"roster solver returned {code} within {max_s:g} s; the model always has a "
                           "solution (shortfalls are allowed), so raise max_time_s")
    out = _extract(m, solver, tpl)
    out.solve_s = solve_s
    out.solve_deterministic_s = float(solver.total_deterministic_s)
    out.status = "optimal" if code == "OPTIMAL" else "feasible"
    if not out.covered:
        rules = _diagnose(pr, var, objective, seed, max_s, out) if diagnose else {}
        out.shortfalls = _shortfalls(out, rules)
        out.status = _short_status(pr, out.shortfalls)
    return out


# --------------------------------------------------------------------------- cache
def _key_part(value):
    """A value of the roster's input as plain JSON for the cache key (frames by their hash)."""
    if isinstance(value, pd.DataFrame | pd.Series):
        return ["frame", cache.frame_hash(value)]
    if isinstance(getattr(value, "data", None), dict):  # resolved standards: their numbers
        value = value.data  # (not the mapping's items, which would mark every standard used)
    if isinstance(value, dict):
        return {str(k): _key_part(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | np.ndarray | pd.Index):
        return [_key_part(v) for v in (sorted(value, key=str) if isinstance(value, set) else value)]
    if isinstance(value, np.generic):
        return value.item()
    return value


def _cache_key(requirement, interval_minutes: int, tpl: pd.DataFrame, seed: int, options: dict) -> str:
    """A roster depends only on its inputs, the solver's version and the roster code (the solve
    is deterministic: one worker, a deterministic time limit), so a re-run of the same shop and
    scenario reads it instead of solving again."""
    from ortools import __version__ as ortools_version

    return cache.make_key("roster", _key_part(requirement), int(interval_minutes),
                          cache.frame_hash(tpl), int(seed), _key_part(options), ortools_version,
                          cache.code_version("ecomanalysis.roster"))


def _dump(r: Roster) -> tuple[dict, dict]:
    return ({"assignments": r.assignments, "shortfalls": r.shortfalls},
            {"status": r.status, "solve_s": r.solve_s, "objective_value": r.objective_value,
             "solve_deterministic_s": r.solve_deterministic_s})


def _load(entry: dict, pr: Problem, tpl: pd.DataFrame) -> Roster:
    asg = entry["assignments"].astype({"paid_h": float, "overtime_h": float, "pay_multiplier": float})
    short = entry["shortfalls"] if len(entry["shortfalls"]) else _shortfalls_empty()
    return Roster(assignments=asg, coverage=coverage_of(asg, pr), paid_hours=float(asg["paid_h"].sum()),
                  cost_wage_hours=wage_hours(asg, pr.law), status=str(entry["status"]),
                  shortfalls=short, solve_s=float(entry["solve_s"]), problem=pr,
                  templates=tpl, objective_value=float(entry["objective_value"]),
                  solve_deterministic_s=float(entry["solve_deterministic_s"]))


def _solve(pr: Problem, var: Variants, *, objective: str, seed: int, max_s: float, relax=()):
    """Count shifts first where people are interchangeable, then name them; otherwise (or
    if naming fails, e.g. on the rest between shifts) solve the named model directly."""
    from ecomanalysis.roster import aggregate

    spent = 0.0
    if aggregate.applies(pr) and not relax:
        # the counts keep the monthly overtime cap in total, not per person; when they cannot
        # be handed out (a person would pass the cap), count again without overtime
        tries = (var, var.plain()) if (var.ot_min > 0).any() else (var,)
        for v in tries:
            got, spent_v = _count_and_name(pr, v, objective, seed, max_s)
            spent += spent_v
            if got is not None:
                got[1].total_deterministic_s = spent
                if v is not var:  # the best without overtime, not the best of all
                    got[1].status_text = "FEASIBLE"
                return got
    m = rmodel.build(pr, var, objective=objective, relax=relax)
    left = max(max_s * NAME_SHARE, max_s * (1 - COUNT_SHARE - NAME_SHARE))
    solver = rmodel.solve(m, seed=seed, max_time_s=left)
    solver.total_deterministic_s = spent + solver.deterministic_s
    return m, solver


def _count_and_name(pr: Problem, var: Variants, objective: str, seed: int, max_s: float):
    """Count shifts, then name them: ``((model, solver), deterministic s)``, ``(None, s)``
    when the counts cannot be found or handed out."""
    from dataclasses import replace

    from ecomanalysis.roster import aggregate

    counts = aggregate.solve_counts(pr, var, objective=objective, seed=seed,
                                    max_time_s=max_s * COUNT_SHARE)
    if counts.status not in ("OPTIMAL", "FEASIBLE"):
        return None, counts.deterministic_s
    ppl = pr.people
    keep = pd.concat([ppl[ppl["contract"] == "full_time"].head(counts.n_ft),
                      ppl[ppl["contract"] == "part_time"].head(counts.n_pt)])
    pr2 = replace(pr, people=keep.assign(optional=False).reset_index(drop=True), people_cap=None)
    m = rmodel.build(pr2, var, objective=objective, counts=counts)
    solver = rmodel.solve(m, seed=seed, max_time_s=max_s * NAME_SHARE)
    spent = counts.deterministic_s + solver.deterministic_s
    if solver.status_text not in ("OPTIMAL", "FEASIBLE"):
        return None, spent
    # optimal only if the counts were: handing them out cannot lower the cost
    if counts.status != "OPTIMAL":
        solver.status_text = "FEASIBLE"
    return (m, solver), spent


def _extract(m: rmodel.Model, solver: cp_model.CpSolver, tpl: pd.DataFrame) -> Roster:
    pr, var = m.problem, m.variants
    law = pr.law
    rows = []
    for (p, d, v, q), b in m.x.items():
        if solver.value(b):
            person = pr.people.iloc[p]
            extra = bool(solver.value(m.extra_day[(p, d)])) if (p, d) in m.extra_day else False
            rows.append(_row(person["person"], person["contract"], pr.queues[q], pr, d, var, v,
                             extra, law))
    n_temp = {}
    for (d, v, q), n in sorted(m.temp.items()):
        for _ in range(solver.value(n)):
            n_temp[d] = n_temp.get(d, 0) + 1
            label = f"TEMP-{pr.days[d]}-{n_temp[d]:02d}"
            rows.append(_row(label, "temp", pr.queues[q], pr, d, var, v, False, law))
    asg = pd.DataFrame(rows, columns=ASSIGNMENT_COLUMNS)
    order = {d: i for i, d in enumerate(pr.days)}
    asg = asg.sort_values(["person", "day"], key=lambda s: s.map(order) if s.name == "day" else s,
                          kind="stable").reset_index(drop=True)
    cov = coverage_of(asg, pr)
    cost = wage_hours(asg, law)
    return Roster(assignments=asg, coverage=cov, paid_hours=float(asg["paid_h"].sum()),
                  cost_wage_hours=cost, status="", shortfalls=_shortfalls_empty(),
                  solve_s=0.0, problem=pr, templates=tpl,
                  objective_value=float(solver.objective_value))


def _row(person, contract, queue, pr: Problem, d: int, var: Variants, v: int, extra: bool, law) -> dict:
    hol = bool(pr.holiday[d])
    ot = int(var.ot_min[v])
    if contract == "full_time" and (extra or hol):
        day_type = "holiday" if hol else "rest_day"
        ot, mult = int(var.paid_min[v]), law["ot_mult_holiday"] if hol else law["ot_mult_rest_day"]
    else:
        day_type = "holiday" if hol else "workday"
        mult = law["ot_mult_workday"] if ot else (law["ot_mult_holiday"] if hol else 1.0)
    b0, b1 = int(var.break_start_min[v]), int(var.break_end_min[v])
    return {"person": person, "contract": contract, "queue": queue, "day": pr.days[d],
            "template_id": var.template_id[v], "start": min_to_hhmm(var.start_min[v]),
            "end": min_to_hhmm(var.end_min[v]),
            "break_start": min_to_hhmm(b0) if b0 >= 0 else "",
            "break_end": min_to_hhmm(b1) if b1 >= 0 else "",
            "paid_h": var.paid_min[v] / MINUTES_PER_HOUR, "overtime_h": ot / MINUTES_PER_HOUR,
            "day_type": day_type, "pay_multiplier": float(mult)}


def coverage_of(asg: pd.DataFrame, pr: Problem) -> pd.DataFrame:
    """People on seat per (queue, day, interval) from the assignments (breaks excluded)."""
    from ecomanalysis.roster.templates import hhmm_to_min

    n_q, n_d, n_t = pr.req.shape
    sched = np.zeros((n_q, n_d, n_t), dtype=int)
    t0 = np.arange(n_t) * pr.interval_min
    if len(asg):
        qi = asg["queue"].map({q: i for i, q in enumerate(pr.queues)}).to_numpy()
        di = asg["day"].map({d: i for i, d in enumerate(pr.days)}).to_numpy()
        s = asg["start"].map(lambda x: hhmm_to_min(x, "start")).to_numpy()
        e = asg["end"].map(lambda x: hhmm_to_min(x, "end")).to_numpy()
        b0 = asg["break_start"].map(lambda x: hhmm_to_min(x, "break") if x else -1).to_numpy()
        b1 = asg["break_end"].map(lambda x: hhmm_to_min(x, "break") if x else -1).to_numpy()
        on = (t0[None, :] >= s[:, None]) & (t0[None, :] < e[:, None]) & \
            ~((t0[None, :] >= b0[:, None]) & (t0[None, :] < b1[:, None]))
        np.add.at(sched, (qi, di), on.astype(int))
    labels = pr.interval_labels()
    out = pd.DataFrame({
        "queue": np.repeat(pr.queues, n_d * n_t),
        "day": np.tile(np.repeat(pr.days, n_t), n_q),
        "interval_start": np.tile(labels, n_q * n_d),
        "required": pr.req.reshape(-1),
        "scheduled": sched.reshape(-1),
    })
    out["short"] = np.maximum(out["required"] - out["scheduled"], 0)
    return out


def _shortfalls_empty() -> pd.DataFrame:
    return pd.DataFrame(columns=["queue", "day", "interval_start", "required", "scheduled", "short",
                                 "binding_rule"])


def _uncoverable(pr: Problem, var: Variants) -> np.ndarray:
    """Intervals no template covers at all (bool per interval of the day)."""
    return var.cover.sum(axis=0) == 0


def _applies(rule: str, pr: Problem) -> bool:
    """Whether relaxing ``rule`` could change anything in ``pr``."""
    ppl = pr.people
    return {
        "people_cap": pr.people_cap is not None,
        "temps": not pr.temp_day.all(),
        "skills": len(pr.queues) > 1 and any(len(q) < len(pr.queues) for q in ppl["queues"]),
        "days_off": any(len(d) for d in ppl["days_off"]),
        "part_time_hours": bool((ppl["contract"] == "part_time").any()),
    }.get(rule, bool((ppl["contract"] == "full_time").any()) or rule == "min_rest")


def _diagnose(pr: Problem, var: Variants, objective: str, seed: int, max_s: float,
              res: Roster) -> dict:
    """Which rules bind: re-solve with one rule relaxed at a time; every relaxation that
    covers more of an interval is named for it (several can: a temp or a shorter rest would
    each do).  Intervals no template reaches say so; what no single relaxation fixes is put
    down to several rules together."""
    short0 = res.coverage["short"].to_numpy().reshape(pr.req.shape)
    names = np.empty(pr.req.shape, dtype=object)
    names.fill("")
    names[:, :, _uncoverable(pr, var)] = "templates"
    open_ = (short0 > 0) & (names == "")
    budget = max_s / len(DIAGNOSE_RULES)  # the diagnosis costs at most one more solve
    for rule in DIAGNOSE_RULES:
        if not open_.any() or not _applies(rule, pr):
            continue
        if rule == "people_cap":  # the same problem without the cap: the fast path applies
            from dataclasses import replace

            from ecomanalysis.roster.problem import _people
            ppl = _people(None, None, pr.queues, pr.days, pr.req, pr.law)[0] \
                if pr.people["optional"].all() else pr.people
            m, solver = _solve(replace(pr, people=ppl, people_cap=None), var,
                               objective=objective, seed=seed, max_s=budget)
        else:
            m = rmodel.build(pr, var, objective=objective, relax={rule})
            solver = rmodel.solve(m, seed=seed, max_time_s=budget)
        if solver.status_text not in ("OPTIMAL", "FEASIBLE"):
            continue
        short = np.zeros(pr.req.shape, dtype=int)
        for (q, d, t), v in m.short.items():
            short[q, d, t] = solver.value(v)
        if short.sum() >= short0.sum():  # no less short in all: another arrangement, not a fix
            continue
        for idx in zip(*np.nonzero(open_ & (short < short0)), strict=True):
            names[idx] = f"{names[idx]};{rule}" if names[idx] else rule
    names[(short0 > 0) & (names == "")] = "several"
    return {"rules": names}


def _shortfalls(res: Roster, diag: dict) -> pd.DataFrame:
    pr = res.problem
    cov = res.coverage
    sf = cov[cov["short"] > 0].copy()
    rules = diag.get("rules")
    sf["binding_rule"] = rules.reshape(-1)[sf.index.to_numpy()] if rules is not None else ""
    del pr
    return sf.reset_index(drop=True)


def _short_status(pr: Problem, sf: pd.DataFrame) -> str:
    law = pr.law
    n = len(sf)
    worst = sf.sort_values(["short", "day"], ascending=[False, True], kind="stable").iloc[0]
    fmt = dict(cap=pr.people_cap, rest=law["min_rest_h"], pt_day=law["pt_max_h_day"],
               pt_week=law["pt_max_h_week"], ot_month=law["ot_max_h_month"],
               ft_week=law["ft_hours_per_week"])
    parts = []
    for rule, g in sf.groupby("binding_rule", sort=False):
        text = " or ".join(RULE_TEXT.get(r, "several rules together").format(**fmt)
                           for r in str(rule).split(";"))
        first = g.iloc[0]
        parts.append(f"{len(g)} interval(s) bound by {text} (first {first['day']} "
                     f"{first['interval_start']}, {first['short']} short)")
    queue = f" {worst['queue']}" if len(pr.queues) > 1 else ""
    return (f"short: {n} interval(s) not covered, {int(sf['short'].sum())} person-intervals in all; "
            f"worst {worst['day']} {worst['interval_start']}{queue}: {int(worst['required'])} needed, "
            f"{int(worst['scheduled'])} scheduled, {int(worst['short'])} short; " + "; ".join(parts))
