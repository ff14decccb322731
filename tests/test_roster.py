"""Rosters: coverage, the law (checked independently of the solver), explanations, determinism."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ecomanalysis import config
from ecomanalysis.errors import InputError
from ecomanalysis.roster import make_roster
from ecomanalysis.roster.check import check_roster
from ecomanalysis.roster.problem import law_from_standards
from ecomanalysis.roster.tables import roster_section_tables
from ecomanalysis.roster.templates import load_templates

CASES = config.SHARED_DIR / "roster-cases"
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
#: The templates of the roster-cases README (the benchmark's): four 9-hour full-time shifts
#: with a movable 1-hour break, one 4-hour part-time evening.
README_TEMPLATES = ("cs_early", "cs_mid", "cs_late", "cs_close", "cs_pt_evening")


def hourly(rows: dict[str, list[tuple[int, int, int]]] | list[tuple[int, int, int]],
           days=DAYS) -> pd.DataFrame:
    """Requirement with ``(from_hour, to_hour, people)`` blocks, the same every day unless a
    dict gives blocks per day."""
    mat = np.zeros((len(days), 24), dtype=int)
    for i, d in enumerate(days):
        blocks = rows.get(d, []) if isinstance(rows, dict) else rows
        for a, b, n in blocks:
            mat[i, a:b] = n
    df = pd.DataFrame(mat, columns=[f"h{h:02d}" for h in range(24)])
    df.insert(0, "day", days)
    return df


@pytest.fixture(scope="module")
def readme_templates():
    t = load_templates()
    return t[t["template_id"].isin(README_TEMPLATES)].reset_index(drop=True)


def case(name: str) -> pd.DataFrame:
    path = CASES / f"{name}.csv"
    if not path.exists():
        pytest.skip(f"{path} not available")
    return pd.read_csv(path)


# --------------------------------------------------------------------------- coverage and law
@pytest.mark.parametrize("name, pyworkforce_paid_h", [("req_b_small60_agents", 168),
                                                       ("req_a_normal450", 484)])
def test_benchmark_cases_are_covered_legally_and_no_dearer_than_pyworkforce(
        name, pyworkforce_paid_h, readme_templates):
    r = make_roster(case(name), templates=readme_templates)
    assert r.status in ("optimal", "feasible")
    assert r.covered and r.coverage["short"].sum() == 0
    assert (r.coverage["scheduled"] >= r.coverage["required"]).all()
    assert check_roster(r) == []
    # pyworkforce's anonymous per-day minimum with movable breaks (roster-cases README)
    assert r.paid_hours <= pyworkforce_paid_h * 1.03
    assert r.paid_hours == pytest.approx(r.assignments["paid_h"].sum())
    # on-seat hours can never exceed paid hours
    assert r.coverage["scheduled"].sum() <= r.paid_hours


def test_contracts_hold_person_by_person(readme_templates):
    r = make_roster(case("req_a_normal450"), templates=readme_templates)
    a = r.assignments
    law = law_from_standards()
    ft = a[a["contract"] == "full_time"]
    regular = ft[ft["day_type"] == "workday"]
    assert (regular.groupby("person")["day"].nunique() == 5).all()   # 40 h: two rest days
    assert (ft.groupby("person")["day"].nunique() <= 6).all()       # at least one whole day off
    assert ((regular["paid_h"] - regular["overtime_h"]) == law["hours_per_day"]).all()
    assert regular["overtime_h"].max() <= law["ot_max_h_day"]
    rest_day = ft[ft["day_type"] == "rest_day"]
    assert (rest_day["overtime_h"] == rest_day["paid_h"]).all()
    assert (rest_day["pay_multiplier"] == law["ot_mult_rest_day"]).all()
    # a repeating week gets the monthly overtime cap pro rata: 36 h x 7 / (365 / 12)
    assert ft.groupby("person")["overtime_h"].sum().max() <= 36 * 7 / (365 / 12) + 1e-9
    pt = a[a["contract"] == "part_time"]
    assert pt["paid_h"].max() <= law["pt_max_h_day"]
    assert pt.groupby("person")["paid_h"].sum().max() <= law["pt_max_h_week"]
    assert set(a["contract"]) <= {"full_time", "part_time", "temp"}
    assert (a.loc[a["break_start"] == "", "template_id"] == "cs_pt_evening").all()
    assert list(a.columns[:10]) == ["person", "contract", "queue", "day", "template_id", "start",
                                    "end", "break_start", "break_end", "paid_h"]


def test_double11_week_uses_temps_on_the_peak_day_only():
    req = case("req_c_double11")
    r = make_roster(req, repeats=False)
    assert r.covered and check_roster(r) == []
    temps = r.assignments[r.assignments["contract"] == "temp"]
    assert set(temps["day"]) == {"11-11"}
    # one-off week: overtime up to the whole monthly cap, still at most 36 h a person
    ot = r.assignments.groupby("person")["overtime_h"].sum()
    assert ot.max() <= 36


# --------------------------------------------------------------------------- the checker
@pytest.fixture(scope="module")
def small():
    return make_roster(hourly([(9, 24, 2)]))


def _broken(r, change) -> list[str]:
    a = r.assignments.copy()
    change(a)
    return check_roster(a, law=r.problem.law, days=r.problem.days, holidays=r.problem.holiday,
                        interval_minutes=60, overtime_cap_h=r.problem.ot_cap_h, month=r.problem.month)


def test_checker_accepts_the_roster_and_catches_each_broken_rule(small):
    assert check_roster(small) == []
    ft = small.assignments.index[small.assignments["contract"] == "full_time"]
    first = ft[0]
    person = small.assignments.at[first, "person"]

    def extra_day(a):  # a sixth regular day for a full-timer
        off = [d for d in DAYS if d not in set(a.loc[a["person"] == person, "day"])][0]
        row = a.loc[first].copy()
        row["day"] = off
        a.loc[len(a)] = row

    def long_day(a):
        a.loc[first, ["end", "paid_h", "overtime_h"]] = ["24:00", 8 + 4, 4]
        a.loc[first, "start"] = "11:00"

    def no_rest(a):  # a close followed by an early start next morning
        rows = a.index[a["person"] == person]
        a.loc[rows[0], ["start", "end", "break_start", "break_end"]] = ["15:00", "24:00", "18:00", "19:00"]
        nxt = a.loc[rows[1], "day"]
        a.loc[rows[1], ["start", "end", "break_start", "break_end"]] = ["09:00", "18:00", "12:00", "13:00"]
        a.loc[rows[0], "day"] = DAYS[DAYS.index(nxt) - 1]

    def bad_paid(a):
        a.loc[first, "paid_h"] += 1

    def part_time_long(a):
        a.loc[first, "contract"] = "part_time"

    checks = {extra_day: "regular days", long_day: "overtime", no_rest: "between the shift",
              bad_paid: "paid_h", part_time_long: "part-time"}
    for change, words in checks.items():
        problems = _broken(small, change)
        assert any(words in p for p in problems), (change.__name__, problems)


# --------------------------------------------------------------------------- explanations
def test_too_few_people_is_explained_not_bare_infeasible():
    r = make_roster(hourly([(9, 24, 3)]), people=2, temps=False)
    assert not r.covered
    assert r.status.startswith("short:")
    assert "people limit (2 permanent people)" in r.status
    sf = r.shortfalls
    assert len(sf) > 0 and (sf["short"] > 0).all()
    # more permanent people (or day temps, or fewer rest days) would cover these intervals
    assert sf["binding_rule"].str.split(";").map(lambda r: "people_cap" in r and "temps" in r).all()
    first = sf.iloc[0]
    assert f"{first['day']} {first['interval_start']}" in r.status
    # the roster that is returned is still legal
    assert check_roster(r) == []
    # and the reason reads in both languages
    from ecomanalysis.roster.tables import status_text

    assert "人数上限" in status_text(r, "zh") and "缺" in status_text(r, "zh")
    assert "the people limit" in status_text(r, "en")
    tabs = roster_section_tables(r, "zh")
    assert tabs["shortfalls"]["约束规则"].str.contains("人数上限").all()


def test_interval_no_template_reaches_is_named(readme_templates):
    r = make_roster(hourly([(3, 4, 1), (9, 18, 1)]), templates=readme_templates)
    assert not r.covered
    assert "no shift template covers this interval" in r.status
    assert set(r.shortfalls["interval_start"]) == {"03:00"}
    assert set(r.shortfalls["binding_rule"]) == {"templates"}


def test_the_binding_rule_is_found_by_relaxing_it():
    # the default templates reach 03:00 only with a 4-hour part-time or temp shift; part-timers
    # may work 24 h a week (six such nights), so one night is left: a day temp or a longer
    # part-time week would cover it
    r = make_roster(hourly([(0, 4, 1), (9, 18, 1)]), temps=False)
    assert not r.covered
    assert set(r.shortfalls["binding_rule"]) == {"temps;part_time_hours"}
    assert "no day temps on this day or part-time limits (4 h a day, 24 h a week)" in r.status


# --------------------------------------------------------------------------- determinism
def test_same_input_and_seed_give_the_same_roster():
    req = hourly({d: [(9, 19, 2), (19, 24, 3)] for d in DAYS})
    a = make_roster(req, seed=3)
    b = make_roster(req, seed=3)
    pd.testing.assert_frame_equal(a.assignments, b.assignments)
    pd.testing.assert_frame_equal(a.coverage, b.coverage)
    assert a.paid_hours == b.paid_hours


# --------------------------------------------------------------------------- named staff
def test_fixed_days_off_and_skills_across_queues():
    # one person per queue, the lunch hour uncovered: one 09:00-18:00 shift covers a day
    pre = hourly([(9, 12, 1), (13, 18, 1)])
    after = hourly([(9, 12, 1), (13, 18, 1)])
    staff = pd.DataFrame({
        "person": ["Li", "Wang", "Zhao"],
        "contract": ["full_time"] * 3,
        "queues": ["presale", "aftersale", "presale;aftersale"],
        "days_off": ["Sat;Sun", "", "Mon"],
    })
    r = make_roster({"presale": pre, "aftersale": after}, staff=staff, temps=False)
    a = r.assignments
    assert check_roster(r) == []
    assert not a[(a["person"] == "Li") & a["day"].isin(["Sat", "Sun"])].shape[0]
    assert not a[(a["person"] == "Zhao") & (a["day"] == "Mon")].shape[0]
    assert set(a.loc[a["person"] == "Li", "queue"]) == {"presale"}
    assert set(a.loc[a["person"] == "Wang", "queue"]) == {"aftersale"}
    # 2 queues x 7 days need 14 shifts; 3 full-timers give 15 -> the cross-skilled one fills in
    assert r.covered
    assert set(a.loc[a["person"] == "Zhao", "queue"]) == {"presale", "aftersale"}


def test_holiday_work_is_paid_three_times():
    r = make_roster(hourly([(9, 12, 1), (13, 18, 1)]), holidays=["Wed"], temps=False)
    a = r.assignments
    wed = a[a["day"] == "Wed"]
    assert len(wed) == 1 and wed["day_type"].iloc[0] == "holiday"
    assert wed["pay_multiplier"].iloc[0] == 3.0
    assert check_roster(r) == []


# --------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("req, words", [
    (hourly([(9, 18, 1)]).iloc[:6], "whole weeks"),
    (hourly([(9, 18, 1)]).drop(columns="h05"), "interval columns"),
    (hourly([(9, 18, 1)]).assign(h10=-1), "column 'h10'"),
    (hourly([(9, 18, 1)]).drop(columns="day"), "'day'"),
])
def test_bad_requirement_is_a_clear_input_error(req, words):
    with pytest.raises(InputError, match=words):
        make_roster(req)


def test_bad_options_and_templates(tmp_path):
    req = hourly([(9, 18, 1)])
    with pytest.raises(InputError, match="unknown option 'peple'"):
        make_roster(req, peple=3)
    with pytest.raises(InputError, match="interval_minutes"):
        make_roster(req, interval_minutes=7)
    bad = tmp_path / "t.csv"
    bad.write_text("template_id,contracts,start,end,paid_h,break_min,break_earliest_after_h,"
                   "break_latest_after_h\nx,full_time,09:00,18:00,9,60,3,5\n")
    with pytest.raises(InputError, match=r"t.csv row 2: column 'paid_h'"):
        make_roster(req, templates=bad)


# --------------------------------------------------------------------------- shop and report
@pytest.fixture(scope="module")
def plan():
    from ecomanalysis.plan import make_plan

    return make_plan(lang="en")


def test_event_day_opens_at_midnight_and_warehouse_works_to_the_pickup(plan):
    from ecomanalysis.roster.requirement import cs_requirement, warehouse_requirement

    reqs, days = cs_requirement(plan, week="2026-11-11")
    pre = reqs["presale"].set_index("day")
    assert days.loc[days["event"] == "double11", "day"].tolist() == ["2026-11-11"]
    assert pre.loc["2026-11-11", "00:00"] > 0             # the midnight rush is planned
    assert pre.loc["2026-11-10", "00:00"] == 0            # a normal day opens at 09:00
    normal = cs_requirement(plan)[0]["presale"]
    assert normal["09:00"].iloc[0] == int(np.ceil(
        plan.cs.query("queue == 'presale' and interval_start_h == 9")["agents"].iloc[0] - 1e-9))
    wh = warehouse_requirement(plan).set_index("day")
    start, pick = plan.std["warehouse_start_hour"], plan.std["courier_pickup_hour"]
    on = [c for c in wh.columns if wh.loc["Mon", c] > 0]
    assert on[0] == f"{int(start):02d}:00" and on[-1] == f"{int(pick) - 1:02d}:30"


def test_shop_rosters_and_report_tables(plan):
    from ecomanalysis.roster.shop import shop_rosters

    res = shop_rosters(plan, units=("presale", "warehouse"))
    for unit, r in res.rosters.items():
        assert r.covered, unit
        assert check_roster(r) == [], unit
    tabs = roster_section_tables(res.rosters["presale"], "zh", plan)
    assert set(tabs) == {"summary", "roster", "people", "coverage", "shortfalls"}
    grid = tabs["roster"]
    assert list(grid.columns[:2]) == ["员工", "用工类型"]
    assert list(grid.columns[2:]) == ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
    assert grid["员工"].str.match(r"^(全职|兼职|临时工)").all()
    assert (grid["用工类型"] == "全职").any()
    cov = tabs["coverage"]
    assert cov["最低服务水平"].between(0, 1).all()
    assert cov["最低服务水平(模拟)"].between(0, 1).all()
    assert (cov["在岗人时"] >= cov["需求人时"]).all()
    en = roster_section_tables(res.rosters["presale"], "en")
    assert en["roster"].columns[0] == "person"
    # pay in CNY: normal-wage hours x the monthly wage over 8 h x 21.75 days
    people = tabs["people"]
    rate = plan.std[f"wage_customer_service_{plan.std.city_tier}_cny_month"] / (8 * 21.75)
    assert people["工资(元)"].sum() == pytest.approx(people["工资(按正常小时计)"].sum() * rate, abs=len(people))


def test_cli_roster_writes_a_workbook(tmp_path, capsys):
    from ecomanalysis.cli import main

    out = tmp_path / "roster.xlsx"
    assert main(["roster", "--unit", "aftersale", "--lang", "en", "-o", str(out)]) == 0
    sheets = pd.read_excel(out, sheet_name=None)
    assert {"aftersale_roster", "aftersale_people", "aftersale_coverage"} <= set(sheets)
    printed = capsys.readouterr().out
    assert "after-sale: optimal" in printed or "after-sale: feasible" in printed


def test_cli_bad_input_exits_2_and_writes_nothing(tmp_path, capsys):
    from ecomanalysis.cli import main

    out = tmp_path / "roster.xlsx"
    assert main(["roster", "--people", "-1", "-o", str(out)]) == 2
    assert main(["roster", "--week", "not-a-date", "--unit", "presale", "-o", str(out)]) == 2
    assert "--week has 'not-a-date'" in capsys.readouterr().err
    assert not out.exists()


def test_no_late_close_before_an_early_start():
    # one full-timer; Monday needs the close (15-24), Tuesday the early shift (09-18): 9 h of
    # rest between them is less than the 11 h minimum, so one of the two days stays short
    req = hourly({"Mon": [(15, 18, 1), (19, 24, 1)], "Tue": [(9, 12, 1), (13, 18, 1)],
                  "Wed": [(9, 12, 1), (13, 18, 1)], "Thu": [(9, 12, 1), (13, 18, 1)],
                  "Fri": [(9, 12, 1), (13, 18, 1)]})
    staff = pd.DataFrame({"person": ["Chen"], "contract": ["full_time"]})
    r = make_roster(req, staff=staff, temps=False, overtime=False)
    assert check_roster(r) == []
    assert not r.covered
    # the rest rule binds (a day temp would also cover the day)
    assert set(r.shortfalls["binding_rule"]) == {"temps;min_rest"}, r.shortfalls
    assert "the minimum rest of 11 h between shifts" in r.status
    loose = make_roster(req, staff=staff, temps=False, overtime=False, law={"min_rest_h": 8})
    assert loose.covered


def test_overtime_already_worked_this_month_is_respected():
    req = hourly([(9, 12, 1), (13, 20, 1)])  # one person, 09-20: an hour or two beyond 09-18
    staff = pd.DataFrame({"person": ["A", "B"], "contract": ["full_time"] * 2,
                          "overtime_used_h": [36.0, 0.0]})
    r = make_roster(req, staff=staff, temps=False, repeats=False)
    assert check_roster(r) == []
    ot = r.assignments.groupby("person")["overtime_h"].sum()
    assert ot.get("A", 0) == 0
    assert ot.get("B", 0) > 0


def test_two_week_horizon_keeps_the_week_rules_in_each_week():
    days = [str(d.date()) for d in pd.date_range("2026-11-02", periods=14)]
    r = make_roster(hourly([(9, 12, 2), (13, 18, 2), (18, 22, 3)], days=days))
    assert r.covered and check_roster(r) == []
    ft = r.assignments[(r.assignments["contract"] == "full_time")
                       & (r.assignments["day_type"] == "workday")]
    week = ft["day"].map(lambda d: days.index(d) // 7)
    per_week = ft.assign(week=week).groupby(["person", "week"])["day"].nunique()
    assert (per_week == 5).all() and set(per_week.index.get_level_values("week")) == {0, 1}
    # dates are known: weekends are Sat/Sun of the calendar
    assert r.problem.weekday[days.index("2026-11-07")] == 5


def test_counts_that_cannot_be_handed_out_are_counted_again_without_overtime(monkeypatch):
    """The shift counts keep the monthly overtime cap in total; at 280 orders a day the
    sample shop's pre-sale counts put more overtime on one person than the cap allows, so
    naming them fails.  The roster is then counted again without overtime, not given up."""
    from ecomanalysis import cache
    from ecomanalysis.plan import make_plan
    from ecomanalysis.roster import aggregate
    from ecomanalysis.roster.shop import shop_rosters

    monkeypatch.setenv(cache.CACHE_SWITCH_ENV, "off")
    counted = []
    solve_counts = aggregate.solve_counts
    monkeypatch.setattr(aggregate, "solve_counts", lambda pr, var, **kw: counted.append(
        int((var.ot_min > 0).sum())) or solve_counts(pr, var, **kw))
    plan = make_plan(None, orders_per_day=280.0, lang="en", peak=False, simulate=False)
    r = shop_rosters(plan, seed=0, units=("presale",)).rosters["presale"]
    assert len(counted) == 2 and counted[0] > 0 and counted[1] == 0, counted
    assert r.covered and r.status == "feasible"  # the best without overtime, not proven best
    assert (r.assignments["overtime_h"] == 0).all()
    assert check_roster(r) == []


@pytest.mark.parametrize("lang, words", [("en", "The team needed above (pre-sale {n}"),
                                         ("zh", "上文的所需团队（售前 {n}")])
def test_roster_sentence_relates_the_rosters_to_the_plans_team(plan, lang, words):
    """The rosters' people and the plan's team needed are different counts; the section says
    which figures the plan has and why they differ, from the plan (one answer)."""
    from ecomanalysis import render
    from ecomanalysis.plan import make_plan
    from ecomanalysis.roster.shop import shop_rosters

    p = make_plan(plan.shop, lang=lang, peak=False, simulate=False)
    res = shop_rosters(p, units=("presale",))
    text = render.roster_sentence(p, res)
    n = int(p.team.set_index("role_id").at["presale_cs", "needed"])
    assert words.format(n=n) in text, text
