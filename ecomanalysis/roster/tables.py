"""Display-ready tables of a roster (for the notebook, the CLI workbook and the shop report).

Texts come from :data:`TEXT` (zh / en); the report's section takes
:func:`roster_section_tables` and renders the frames as they are.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ecomanalysis.errors import InputError
from ecomanalysis.i18n import translator
from ecomanalysis.roster.pay import wage_hours

TEXT = {
    "zh": {
        "person": "员工", "contract": "用工类型", "full_time": "全职", "part_time": "非全日制",
        "temp": "日结临时工", "off": "休", "break": "餐", "days": "上班天数", "paid_h": "带薪小时",
        "overtime_h": "加班小时", "late": "晚班次数", "weekend": "周末天数",
        "cost_wage_hours": "工资(按正常小时计)", "day": "日期", "required_h": "需求人时",
        "scheduled_h": "在岗人时", "short_intervals": "缺人时段数", "short_people": "缺人人次",
        "min_service_level": "最低服务水平", "min_sl_simulated": "最低服务水平(模拟)", "queue": "队列", "interval_start": "时段",
        "required": "需求", "scheduled": "在岗", "service_level": "服务水平", "rest_day": "休息日加班",
        "holiday": "节假日加班", "total": "合计", "cost_cny": "工资(元)", "status": "求解状态", "paid_hours": "总带薪小时",
        "people": "人数", "presale": "售前", "aftersale": "售后", "queue_all": "客服",
        "warehouse": "仓库", "optimal": "最优", "feasible": "可行(已达时间上限, 未证明最优)",
        "short": "缺人", "binding_rule": "约束规则", "FT": "全职", "PT": "兼职", "TEMP": "临时工",
        "Mon": "周一", "Tue": "周二", "Wed": "周三", "Thu": "周四", "Fri": "周五", "Sat": "周六",
        "Sun": "周日",
    },
    "en": {
        "person": "person", "contract": "contract", "full_time": "full-time",
        "part_time": "part-time", "temp": "day temp", "off": "off", "break": "break",
        "days": "days", "paid_h": "paid h", "overtime_h": "overtime h", "late": "late shifts",
        "weekend": "weekend days", "cost_wage_hours": "pay (normal-wage hours)", "day": "day",
        "required_h": "required person-h", "scheduled_h": "on seat person-h",
        "short_intervals": "intervals short", "short_people": "people short",
        "min_service_level": "lowest service level",
        "min_sl_simulated": "lowest service level (simulated)", "queue": "queue",
        "interval_start": "interval", "required": "required", "scheduled": "on seat",
        "service_level": "service level", "rest_day": "rest-day overtime",
        "holiday": "holiday overtime", "total": "total", "cost_cny": "pay (CNY)", "status": "status",
        "paid_hours": "paid hours", "people": "people", "presale": "pre-sale",
        "aftersale": "after-sale", "queue_all": "customer service", "warehouse": "warehouse",
        "optimal": "optimal", "feasible": "feasible (time limit reached, not proven optimal)",
        "short": "short", "binding_rule": "binding rule", "FT": "FT", "PT": "PT", "TEMP": "TEMP",
    },
}
CONTRACT_ORDER = {"full_time": 0, "part_time": 1, "temp": 2}
_PERSON = re.compile(r"^(?P<q>[a-z_]+-)?(?P<kind>FT|PT|TEMP)(?P<rest>.*)$")


def person_label(person: str, lang: str = "zh") -> str:
    """A numbered person's label in ``lang`` (``FT01`` -> ``全职01``, ``TEMP-Mon-01`` ->
    ``临时工-周一-01``); named people are shown as they are."""
    t = text(lang)
    m = _PERSON.match(str(person))
    if not m:
        return str(person)
    rest = "-".join(t.get(part, part) for part in m["rest"].split("-"))
    q = t.get(m["q"][:-1], m["q"][:-1]) + "-" if m["q"] else ""
    return f"{q}{t[m['kind']]}{rest}"
#: The rules a shortfall can be put down to (codes of ``Roster.shortfalls.binding_rule``).
RULE_TEXT = {
    "zh": {"people_cap": "人数上限", "temps": "当天不能用日结临时工", "skills": "技能(只能接本队列)",
           "days_off": "固定休息日", "min_rest": "两班之间最短休息", "part_time_hours":
           "非全日制工时上限", "overtime_month": "每月加班上限", "rest_days": "每周休息日",
           "contract_hours": "全职每周工时", "templates": "没有班次覆盖这个时段",
           "several": "多条规则共同限制"},
    "en": {"people_cap": "the people limit", "temps": "no day temps that day", "skills":
           "skills (own queue only)", "days_off": "fixed days off", "min_rest":
           "the minimum rest between shifts", "part_time_hours": "part-time hour limits",
           "overtime_month": "the monthly overtime cap", "rest_days": "the weekly rest days",
           "contract_hours": "full-time weekly hours", "templates": "no shift covers the interval",
           "several": "several rules together"},
}


def text(lang: str) -> dict[str, str]:
    if lang not in TEXT:
        raise InputError(f"lang {lang!r}: expected one of {', '.join(TEXT)}")
    return TEXT[lang]


def _people_order(asg: pd.DataFrame) -> list[str]:
    first = asg.drop_duplicates("person")[["person", "contract"]]
    first = first.assign(k=first["contract"].map(CONTRACT_ORDER))
    return first.sort_values(["k", "person"], kind="stable")["person"].tolist()


def hours_per_person(r) -> pd.DataFrame:
    """``person, contract, days, paid_h, overtime_h, late, weekend, cost_wage_hours``."""
    from ecomanalysis.roster.problem import WEEKEND

    asg = r.assignments
    pr = r.problem
    if asg.empty:
        return pd.DataFrame(columns=["person", "contract", "days", "paid_h", "overtime_h", "late",
                                     "weekend", "cost_wage_hours"])
    late_ids = set(r.templates.loc[r.templates["late"], "template_id"])
    wkd = {d for d, w in zip(pr.days, pr.weekday, strict=True) if w in WEEKEND}
    a = asg.assign(late=asg["template_id"].isin(late_ids), weekend=asg["day"].isin(wkd))
    out = a.groupby("person", sort=False).agg(
        contract=("contract", "first"), days=("day", "nunique"), paid_h=("paid_h", "sum"),
        overtime_h=("overtime_h", "sum"), late=("late", "sum"), weekend=("weekend", "sum"))
    out["cost_wage_hours"] = [wage_hours(g, pr.law) for _, g in a.groupby("person", sort=False)]
    return out.reindex(_people_order(asg)).reset_index()


def roster_grid(r, lang: str = "zh") -> pd.DataFrame:
    """Person x day: ``09:00-18:00 (餐 12:00-13:00)``, ``休`` on a full-timer's day off."""
    t = text(lang)
    asg = r.assignments
    pr = r.problem
    if asg.empty:
        return pd.DataFrame(columns=[t["person"], t["contract"]] + list(pr.days))
    brk = np.where(asg["break_start"] != "", " (" + t["break"] + " " + asg["break_start"] + "-"
                   + asg["break_end"] + ")", "")
    q = asg["queue"].map(lambda x: "" if len(pr.queues) == 1 else f" [{t.get(x, x)}]")
    cell = asg["start"] + "-" + asg["end"] + brk + q
    grid = asg.assign(cell=cell).pivot(index="person", columns="day", values="cell")
    grid = grid.reindex(index=_people_order(asg), columns=pr.days)
    contract = asg.drop_duplicates("person").set_index("person")["contract"]
    off = np.where(contract.reindex(grid.index).to_numpy()[:, None] == "temp", "", t["off"])
    grid = grid.where(grid.notna(), np.broadcast_to(off, grid.shape))
    grid.insert(0, t["contract"], contract.reindex(grid.index).map(t).to_numpy())
    grid.index = [person_label(p, lang) for p in grid.index]
    grid.index.name = t["person"]
    return grid.reset_index().rename(columns={d: t.get(d, d) for d in pr.days})


def coverage_by_day(r, lang: str = "zh", service_level: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per queue and day: required and on-seat person-hours, intervals and people short, and
    (given ``service_level``: ``queue, day, interval_start, service_level``) the lowest
    service level the roster reaches."""
    t = text(lang)
    cov = r.coverage
    h = r.problem.interval_min / 60
    g = cov.groupby(["queue", "day"], sort=False)
    out = pd.DataFrame({
        t["required_h"]: g["required"].sum() * h,
        t["scheduled_h"]: g["scheduled"].sum() * h,
        t["short_intervals"]: g["short"].apply(lambda s: int((s > 0).sum())),
        t["short_people"]: g["short"].sum(),
    })
    if service_level is not None:
        g2 = service_level.groupby(["queue", "day"], sort=False)
        out[t["min_service_level"]] = g2["service_level"].min().reindex(out.index).to_numpy()
        if "sl_simulated" in service_level.columns:
            out[t["min_sl_simulated"]] = g2["sl_simulated"].min().reindex(out.index).to_numpy()
    out = out.reset_index()
    out["queue"] = out["queue"].map(lambda x: t.get(x, x))
    out["day"] = out["day"].map(lambda x: t.get(x, x))
    out = out.rename(columns={"queue": t["queue"], "day": t["day"]})
    if len(r.problem.queues) == 1:
        out = out.drop(columns=t["queue"])
    return out


def service_levels(r, plan, *, simulated: bool = True, seed: int = 0) -> pd.DataFrame:
    """The service level each interval reaches with the people the roster puts on seat: the
    plan's chat model (volume per interval, handle time, concurrency, answer-within) and, with
    ``simulated``, a simulated day of each rostered day (:func:`ecomanalysis.simulate.
    simulate_day`: queues carried over between intervals, log-normal handle times; column
    ``sl_simulated``).  The volumes are the plan's normal day."""
    from ecomanalysis import queueing, workload

    std = plan.std
    cov = r.coverage
    rows = []
    for q in r.problem.queues:
        if q not in ("presale", "aftersale"):
            continue
        cs = plan.cs[plan.cs["queue"] == q]
        step_min = r.problem.interval_min
        vol = np.zeros(24 * 60 // step_min)
        idx = np.round(cs["interval_start_h"].to_numpy() * 60 / step_min).astype(int)
        np.add.at(vol, idx, cs["chats"].to_numpy())
        aht = std[f"{q}_aht_s"]
        conc = std.int_value(f"{q}_concurrency")
        c = cov[cov["queue"] == q]
        n = c["scheduled"].to_numpy()
        v = np.tile(vol, len(c) // len(vol))
        traffic = v * aht / (step_min * 60)
        m = queueing.chat_metrics(traffic, n, aht, std["cs_answer_within_s"], concurrency=conc,
                                  aht_by_concurrency=workload.aht_profile(std, aht, conc))
        sl = np.where(v > 0, np.asarray(m.service_level, dtype=float), np.nan)
        out = c[["queue", "day", "interval_start"]].assign(chats=v, service_level=sl)
        if simulated:
            out["sl_simulated"] = _simulated(vol, n.reshape(-1, len(vol)), std, q, seed)
        rows.append(out)
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(
        columns=["queue", "day", "interval_start", "chats", "service_level"])


def _simulated(vol: np.ndarray, on_seat: np.ndarray, std, q: str, seed: int) -> np.ndarray:
    """Simulated service level per interval of each day (rows of ``on_seat``), with the same
    assumptions as the plan's own check (handle-time spread, availability, patience); from the
    content cache when the same day and standards were simulated before."""
    from ecomanalysis import cache, workload

    kw = dict(workload.simulation_options(std, q), interval_s=24 * 3600 / len(vol))

    def compute() -> np.ndarray:
        from ecomanalysis.simulate import simulate_day

        out = np.full(on_seat.shape, np.nan)
        for d, agents in enumerate(on_seat):
            sim = simulate_day(vol, agents, seed=seed + d, **kw)
            out[d] = np.where(vol > 0, sim["service_level"].to_numpy(dtype=float), np.nan)
        return out.reshape(-1)

    def key() -> str:
        return cache.make_key("rostersim", np.asarray(vol, dtype=float).tolist(),
                              np.asarray(on_seat).tolist(), kw, int(seed),
                              cache.code_version("ecomanalysis.simulate", "ecomanalysis.roster.tables"))

    return cache.memo("rostersim", key, compute, lambda a: ({"sl": a}, {}), lambda e: e["sl"])


def summary(r, lang: str = "zh") -> pd.DataFrame:
    """Key figures: people by contract, paid hours, overtime, pay, status."""
    t = text(lang)
    ppl = hours_per_person(r)
    rows = [(t["people"] + " · " + t[c], int((ppl["contract"] == c).sum()))
            for c in ("full_time", "part_time", "temp")]
    status = status_text(r, lang)
    rows += [(t["paid_hours"], f"{r.paid_hours:g}"), (t["overtime_h"], f"{ppl['overtime_h'].sum():g}"),
             (t["cost_wage_hours"], f"{r.cost_wage_hours:.1f}"), (t["status"], status)]
    return pd.DataFrame([(k, str(v)) for k, v in rows], columns=["", t["total"]])


def hourly_wage_cny(std, queues) -> float:
    """Normal hourly wage of the unit (customer service or warehouse): the monthly wage band of
    the shop's city tier over ``hours_per_day x workdays_per_month`` paid hours."""
    group = "supply_chain" if "warehouse" in queues else "customer_service"
    wage = std[f"wage_{group}_{std.city_tier}_cny_month"]
    return float(wage / (std["hours_per_day"] * std["workdays_per_month"]))


def rules_text(codes: str, lang: str = "zh") -> str:
    """``"people_cap;temps"`` -> ``"人数上限 / 当天不能用日结临时工"``."""
    names = RULE_TEXT["zh" if lang == "zh" else "en"]
    return " / ".join(names.get(c, c) for c in str(codes).split(";") if c)


def status_text(r, lang: str = "zh") -> str:
    """The roster's status in ``lang``: solved, or what is short, where, and why."""
    t = text(lang)
    if r.covered:
        return t.get(r.status, r.status)
    sf = r.shortfalls
    worst = sf.sort_values(["short", "day"], ascending=[False, True], kind="stable").iloc[0]
    why = "; ".join(f"{rules_text(rule, lang)} ({len(g)})" for rule, g in
                    sf.groupby("binding_rule", sort=False))
    _ = translator(lang if lang in ("zh", "en") else "en")
    return _("{n} interval(s) short, {total} person-intervals; worst {day} {time}: {required} "
             "needed, {scheduled} on seat, {short} short. Bound by: {why}", n=len(sf),
             total=int(sf["short"].sum()), day=worst["day"], time=worst["interval_start"],
             required=int(worst["required"]), scheduled=int(worst["scheduled"]),
             short=int(worst["short"]), why=why)


def roster_section_tables(result, lang: str = "zh", plan=None) -> dict[str, pd.DataFrame]:
    """The roster section of the shop report: ``summary``, ``roster`` (person x day),
    ``people`` (hours and pay per person; in CNY at the shop's wage band with ``plan``),
    ``coverage`` (per day, with the lowest service
    level when ``plan`` is given) and ``shortfalls`` (only intervals left short, with the rule
    that binds).  ``result`` is a :class:`~ecomanalysis.roster.Roster` or a dict
    ``{name: Roster}`` (e.g. one per queue), whose tables are then prefixed by the name."""
    if isinstance(result, dict):
        out = {}
        for name, r in result.items():
            for k, v in roster_section_tables(r, lang, plan).items():
                out[f"{name}_{k}"] = v
        return out
    t = text(lang)
    sl = service_levels(result, plan) if plan is not None else None
    ppl = hours_per_person(result)
    ppl["person"] = ppl["person"].map(lambda x: person_label(x, lang))
    if plan is not None:
        ppl["cost_cny"] = (ppl["cost_wage_hours"] * hourly_wage_cny(plan.std, result.problem.queues)).round(0)
    ppl = ppl.rename(columns={c: t.get(c, c) for c in (
        "person", "contract", "days", "paid_h", "overtime_h", "late", "weekend", "cost_wage_hours",
        "cost_cny")})
    ppl[t["contract"]] = ppl[t["contract"]].map(t)
    sf = result.shortfalls.copy()
    sf["binding_rule"] = sf["binding_rule"].map(lambda x: rules_text(x, lang))
    sf = sf.rename(columns={c: t.get(c, c) for c in sf.columns})
    return {
        "summary": summary(result, lang),
        "roster": roster_grid(result, lang),
        "people": ppl,
        "coverage": coverage_by_day(result, lang, sl),
        "shortfalls": sf,
    }
