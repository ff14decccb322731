"""Peak plan: temps, hire-by dates, overtime within the legal limits, service level, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ecomanalysis.cli import main
from ecomanalysis.errors import InputError
from ecomanalysis.forecast import next_peak, peak_plan
from ecomanalysis.forecast.peak import agents_from_heads, allocate_overtime
from ecomanalysis.queueing import staffed_from_agents
from ecomanalysis.shop import parse_shop

TEAM = {"owner": 1, "presale_cs": 2, "aftersale_cs": 1, "warehouse_keeper": 2}
TODAY = "2027-01-01"


def flat_shop(orders=200.0, team=None, **extra):
    """A profile-only shop: no order file, so the plan uses a flat baseline x default uplifts."""
    return parse_shop({"name": "flat", "daily_orders": orders,
                       "team": TEAM if team is None else team, **extra})


@pytest.fixture(scope="module")
def plan():
    return peak_plan(flat_shop(), event="double11", year=2027, today=TODAY, lang="en")


# --------------------------------------------------------------------------- building blocks
def test_agents_from_heads_inverts_staffed_from_agents():
    heads = np.arange(0, 60)
    n = agents_from_heads(heads, 0.3)
    assert list(n[:4]) == [0, 0, 1, 2] and n[10] == 7  # ceil(7 / 0.7) = 10, ceil(8 / 0.7) = 12
    assert (staffed_from_agents(n, 0.3) <= heads).all()
    assert (staffed_from_agents(n + 1, 0.3) > heads).all()


def test_allocate_overtime_respects_day_and_month_caps():
    need = [5.0, 1.0, 4.0, 2.0, 10.0]
    months = [1, 1, 1, 2, 2]
    ot = allocate_overtime(need, months, cap_day_h=3.0, cap_month_h=4.0)
    # month 1: the largest needs first (5 -> 3, then 4 -> the 1 h left), month 2: 10 -> 3, 2 -> 1
    assert ot.tolist() == [3.0, 0.0, 1.0, 1.0, 3.0]
    assert allocate_overtime([2.0, 0.0], [1, 1], 3.0, 36.0).tolist() == [2.0, 0.0]


# --------------------------------------------------------------------------- the plan
def test_flat_shop_peak_is_the_default_uplift(plan):
    assert plan.peak_date == pd.Timestamp("2027-11-11")
    assert plan.peak_orders == pytest.approx(200 * 7.6)
    # the range is applied on the log1p scale of the interval: equal to 1 order in 1,000
    assert plan.peak_orders_lower == pytest.approx(200 * 6.3, rel=1e-3)
    assert plan.peak_orders_upper == pytest.approx(200 * 9.2, rel=1e-3)
    assert plan.baseline_orders == pytest.approx(200)
    assert plan.baseline_window == (pd.Timestamp("2027-09-23"), pd.Timestamp("2027-10-20"))
    # pre-sale 21 days before 11-11; after: max(delivery 3, return lag 8) + 1 days
    assert plan.peak_window == (pd.Timestamp("2027-10-21"), pd.Timestamp("2027-11-20"))
    assert "flat baseline at the shop's current 200 orders/day" in plan.messages[0]
    assert plan.daily.index[0] == plan.baseline_window[0]
    assert plan.daily.index[-1] == plan.peak_window[1]


def test_temps_are_peak_requirement_minus_permanent(plan):
    t = plan.temps.set_index("unit")
    staffable = t[t["temp_staffable"]]
    assert set(staffable.index) == {"presale_cs", "aftersale_cs", "warehouse_keeper"}
    assert (staffable["temps"] == staffable["peak_required"] - staffable["permanent"]).all()
    assert (t["temps"] >= 0).all() and (t.loc[~t["temp_staffable"], "temps"] == 0).all()
    # auto: the larger of the current team and the largest normal day
    assert (t["permanent"] == np.maximum(t["current_team"], t["baseline_required"])).all()
    assert (t["structural_gap"] == np.maximum(t["baseline_required"] - t["current_team"], 0)).all()
    # the day by day table agrees: the largest day of required - permanent, never negative
    u = plan.units
    assert (u["temps"] == np.maximum(u["required"] - u["permanent"], 0)).all()
    assert u.groupby("unit")["temps"].max().to_dict() == staffable["temps"].to_dict()
    assert t.at["presale_cs", "peak_required"] == plan.daily.loc["2027-11-11", "presale_cs"]
    assert plan.temps_total == int(staffable["temps"].sum()) > 0


def test_permanent_team_mode_uses_the_current_team():
    plan = peak_plan(flat_shop(), year=2027, today=TODAY, permanent="team")
    t = plan.temps.set_index("unit")
    assert (t["permanent"] == t["current_team"]).all()
    assert t.at["presale_cs", "temps"] == t.at["presale_cs", "peak_required"] - 2
    with pytest.raises(InputError, match="lists no team"):
        peak_plan(flat_shop(team={}), year=2027, today=TODAY, permanent="team")


def test_hire_by_is_first_need_minus_ramp_and_lead(plan):
    h = plan.hire_by.set_index("unit")
    assert set(h.index) == {"presale_cs", "aftersale_cs", "warehouse_keeper"}
    day = pd.Timedelta(days=1)
    for _, r in h.iterrows():  # cs_ramp_days / warehouse_ramp_days 22 (15-30), lead 14 (7-30)
        assert r["ramp_days"] == 22 and r["lead_days"] == 14
        assert r["start_by"] == r["first_day"] - 22 * day
        assert r["hire_by"] == r["first_day"] - 36 * day
        assert r["hire_by_earliest"] == r["first_day"] - 60 * day
        assert r["hire_by_latest"] == r["first_day"] - 22 * day
        assert not r["late"]
    u = plan.units[plan.units["temps"] > 0].groupby("unit")["date"].min()
    assert (h["first_day"] == u.reindex(h.index)).all()
    assert h.at["aftersale_cs", "first_day"] > pd.Timestamp("2027-11-11")  # chats after delivery
    assert plan.hire_by_date == h["hire_by"].min()
    quick = peak_plan(flat_shop(), year=2027, today=TODAY, cs_ramp_days=15,
                      recruitment_lead_days=7).hire_by.set_index("unit")
    assert quick.at["presale_cs", "hire_by"] == quick.at["presale_cs", "first_day"] - 22 * day


def test_late_hiring_is_flagged():
    plan = peak_plan(flat_shop(), year=2027, today="2027-11-01")
    assert plan.hire_by["late"].all()
    assert any("too late" in m for m in plan.messages)


def test_overtime_never_exceeds_the_legal_limit(plan):
    ot = plan.overtime_vs_temps.set_index("unit")
    u = plan.units
    perm = u["permanent"]
    assert (u["overtime_hours"] <= perm * 3 + 1e-9).all()  # art. 41: 3 h a day
    month = u["date"].dt.to_period("M")
    per_month = u.groupby(["unit", month])["overtime_hours"].sum()
    perm_by_unit = u.groupby("unit")["permanent"].first()
    cap = perm_by_unit.reindex(per_month.index.get_level_values(0)).to_numpy() * 36
    assert (per_month.to_numpy() <= cap + 1e-9).all()  # 36 h a month
    assert (ot["overtime_hours"] <= ot["overtime_hours_limit"] + 1e-9).all()
    assert (ot["overtime_hours"] > 0).all()
    assert (ot["temps_with_overtime"] <= ot["temps_only"]).all()
    assert (ot["overtime_share_of_gap"] <= 1).all()
    one_hour = peak_plan(flat_shop(), year=2027, today=TODAY, overtime_max_hours_per_day=1)
    assert (one_hour.units["overtime_hours"] <= one_hour.units["permanent"] * 1 + 1e-9).all()
    assert (one_hour.overtime_vs_temps["overtime_hours"].to_numpy()
            < ot["overtime_hours"].reindex(one_hour.overtime_vs_temps["unit"]).to_numpy()).all()


def test_costs_follow_wages_and_multipliers(plan):
    ot = plan.overtime_vs_temps.set_index("unit")
    r = ot.loc["presale_cs"]
    # tier2 customer service: 4000 CNY x (1 + 30 % on-cost) a month; temps x1.2 per day of 30
    day_cost = 4000 * 1.3 / 30 * 1.2
    assert r["cost_temps_only_cny"] == pytest.approx(r["temp_days_only"] * day_cost)
    assert r["cost_temps_with_overtime_cny"] == pytest.approx(
        r["temp_days_with_overtime"] * day_cost)
    hour_cost = 4000 * 1.3 / (21.75 * 8) * 1.5
    assert r["cost_overtime_cny"] == pytest.approx(r["overtime_hours"] * hour_cost)
    assert r["cost_overtime_option_cny"] == pytest.approx(
        r["cost_overtime_cny"] + r["cost_temps_with_overtime_cny"])
    u = plan.units[plan.units["unit"] == "presale_cs"]
    assert r["temp_days_only"] == u["temps"].sum() + r["temps_only"] * 22  # days + ramp-up
    cheaper = np.where(ot["cost_overtime_option_cny"] < ot["cost_temps_only_cny"], "overtime",
                       "temps")
    assert (ot["cheaper"] == cheaper).all()


def test_service_level_permanent_below_target_when_temps_needed(plan):
    s = plan.service.set_index("queue")
    assert set(s.index) == {"presale", "aftersale"}
    assert plan.service_level_permanent == pytest.approx(s["sl_permanent"].min())
    assert plan.service_level_permanent < plan.service_level_target == 0.8
    assert plan.service_level_with_temps >= plan.service_level_target
    assert (s["sl_with_temps"] >= s["sl_permanent"]).all()
    assert (s["agents_permanent"] < s["agents_required"]).any()  # the pool is shared
    assert s.at["presale", "date"] == pd.Timestamp("2027-11-11")
    # the busiest interval of the queue's busiest day; agents from heads as the model schedules
    day = plan.service_by_interval[plan.service_by_interval["queue"] == "presale"]
    assert s.at["presale", "volume"] == day["volume"].max()
    assert s.at["presale", "agents_permanent"] == agents_from_heads(
        s.at["presale", "heads_permanent"], 0.3)
    assert s.at["presale", "heads_permanent"] == plan.temps.set_index("unit").at[
        "presale_cs", "permanent"]


def test_no_temps_when_the_team_covers_the_peak():
    big = {"presale_cs": 40, "aftersale_cs": 20, "warehouse_keeper": 30}
    plan = peak_plan(flat_shop(team=big), year=2027, today=TODAY)
    assert plan.temps_total == 0 and plan.hire_by.empty and plan.hire_by_date is None
    assert plan.service_level_permanent >= plan.service_level_target


def test_generalist_customer_service_is_one_unit():
    shop = flat_shop(team={"customer_service_specialist": 3, "warehouse_keeper": 2})
    plan = peak_plan(shop, year=2027, today=TODAY)
    t = plan.temps.set_index("unit")
    assert t.at["aftersale_cs;presale_cs", "current_team"] == 3
    assert t.at["aftersale_cs;presale_cs", "temp_staffable"]
    heads = plan.service.set_index("queue")["heads_permanent"]
    # each queue's busiest day: the unit's permanent agents are shared by the two queues
    perm = t.at["aftersale_cs;presale_cs", "permanent"]
    assert (heads >= 1).all() and (heads < perm).all()


def test_split_heads():
    from ecomanalysis.forecast.peak import split_heads

    assert split_heads(6, {"presale": 28, "aftersale": 4}) == {"presale": 5, "aftersale": 1}
    assert split_heads(1, {"presale": 3, "aftersale": 1}) == {"presale": 1, "aftersale": 1}
    assert split_heads(2, {"presale": 30, "aftersale": 0.5}) == {"presale": 1, "aftersale": 1}
    assert split_heads(0, {"presale": 3, "aftersale": 1}) == {"presale": 0, "aftersale": 0}
    assert split_heads(5, {"presale": 3, "aftersale": 0}) == {"presale": 5, "aftersale": 0}


def test_overloaded_interval_is_not_a_flat_zero():
    from ecomanalysis.queueing import overload_service_level, queue_metrics

    # 52 erlangs against 7 agents x 3 chats: steady state says 0, the first minutes are answered
    assert queue_metrics(52.0, 7, 240, 30, concurrency=3).service_level == 0
    sl = overload_service_level(52.0, 7, 240, 30, 1800, concurrency=3)
    lam, mu = 52 / 240, 7 * 3 / 240
    assert sl == pytest.approx(30 * mu / (lam - mu) / 1800)
    assert np.isnan(overload_service_level(5.0, 7, 240, 30, 1800, concurrency=3))
    assert overload_service_level(5.0, 0, 240, 30, 1800) == 0


def test_history_given_and_618(rng):
    idx = pd.date_range("2026-01-01", "2026-03-31")
    hist = pd.Series(np.round(100 * np.exp(rng.normal(0, 0.05, len(idx)))), index=idx)
    plan = peak_plan(flat_shop(), event="sale_618", year=2026, history=hist)
    assert plan.today == pd.Timestamp("2026-04-01")
    assert plan.peak_date in (pd.Timestamp("2026-06-17"), pd.Timestamp("2026-06-18"))
    assert plan.peak_window[0] == pd.Timestamp("2026-06-01")  # 16 pre-sale days before 06-17
    assert plan.forecast["date"].iloc[0] == pd.Timestamp("2026-04-01")
    assert "history given: 90 days" in plan.messages[0]


def test_deterministic(plan):
    again = peak_plan(flat_shop(), event="double11", year=2027, today=TODAY, lang="en")
    assert again.summary() == plan.summary()
    pd.testing.assert_frame_equal(again.units, plan.units)


def test_sample_shop_next_double11():
    plan = peak_plan(lang="en")  # the bundled sample shop and its order file
    assert plan.today == pd.Timestamp("2026-01-01")  # the file ends 2025-12-31
    assert plan.peak_date == pd.Timestamp("2026-11-11") and plan.year == 2026
    assert plan.peak_orders > 5 * plan.baseline_orders
    assert "the shop's order file: 365 days" in plan.messages[0]
    t = plan.temps.set_index("unit")
    assert t.at["presale_cs", "current_team"] == 2 and t.at["presale_cs", "temps"] > 0
    assert plan.service_level_permanent < 0.8


# --------------------------------------------------------------------------- next peak
@pytest.mark.parametrize(("today", "event", "date"), [
    ("2026-01-01", "nianhuo_jie", "2026-01-28"),  # 春节 2026-02-17 minus 20 days
    ("2026-02-01", "womens_day_38", "2026-03-08"),
    ("2026-03-09", "sale_618", "2026-06-18"),
    ("2026-06-19", "double11", "2026-11-11"),
    ("2026-11-12", "double12", "2026-12-12"),
    ("2026-12-13", "nianhuo_jie", "2027-01-17"),
])
def test_next_peak(today, event, date):
    p = next_peak(today=today)
    assert (p.event_id, p.date) == (event, pd.Timestamp(date))  # never the Spring Festival dip


def test_next_peak_of_a_shop_with_history_and_beyond_the_calendar():
    assert next_peak(history=pd.Series(1.0, index=pd.date_range("2026-06-01", "2026-06-30"))
                     ).date == pd.Timestamp("2026-11-11")
    with pytest.raises(InputError, match="no peak event"):
        next_peak(today="2040-12-20")


# --------------------------------------------------------------------------- bad input
def test_unknown_event_lists_the_known_ones():
    with pytest.raises(InputError) as exc:
        peak_plan(flat_shop(), event="618", year=2027)
    msg = str(exc.value)
    assert "'618'" in msg and "did you mean 'sale_618'" in msg
    for known in ("double11", "double12", "sale_618", "womens_day_38", "spring_festival"):
        assert known in msg


@pytest.mark.parametrize("year", [2009, 2041, 2026.0, "2027", True])
def test_year_outside_the_calendar(year):
    with pytest.raises(InputError, match="2010-2040"):
        peak_plan(flat_shop(), year=year)


def test_year_inside_the_history_or_too_far():
    hist = pd.Series(100.0, index=pd.date_range("2025-01-01", "2025-12-31"))
    with pytest.raises(InputError, match="history runs to 2025-12-31.*2026 or later"):
        peak_plan(flat_shop(), year=2025, history=hist)
    with pytest.raises(InputError, match="at most 1098 days"):
        peak_plan(flat_shop(), year=2029, history=hist)


@pytest.mark.parametrize(("kw", "match"), [
    ({"permanent": "all"}, "permanent 'all'"),
    ({"scenario": "high"}, "scenario 'high'"),
    ({"horizon_days": 10}, "horizon_days 10"),
    ({"lang": "fr"}, "lang 'fr'"),
    ({"today": "soon"}, "today 'soon'"),
    ({"cs_ramp_days": -3}, "cs_ramp_days"),
])
def test_bad_parameters(kw, match):
    kw = {"year": 2027, **kw} if "today" in kw else {"year": 2027, "today": TODAY, **kw}
    with pytest.raises(InputError, match=match):
        peak_plan(flat_shop(), **kw)


# --------------------------------------------------------------------------- CLI
def test_cli_peak_writes_the_plan(tmp_path, capsys):
    shop = tmp_path / "shop.yaml"
    shop.write_text("name: cli\ndaily_orders: 200\nteam: {presale_cs: 2, aftersale_cs: 1, "
                    "warehouse_keeper: 2}\n", encoding="utf-8")
    out = tmp_path / "plan.csv"
    assert main(["peak", "--shop", str(shop), "--year", "2027", "--today", TODAY, "--lang", "en",
                 "-o", str(out)]) == 0
    cap = capsys.readouterr()
    assert "peak 2027-11-11: 1,520 orders" in cap.out and "service level pre-sale" in cap.out
    assert "Temps (people)" in cap.out  # the plan's peak table, as in the report
    assert "flat baseline" in cap.err and f"wrote {out}" in cap.err
    f = pd.read_csv(out, keep_default_na=False)
    assert list(f.columns[:4]) == ["date", "event", "orders", "unit"]
    d11 = f[(f["date"] == "2027-11-11") & (f["unit"] == "presale_cs")].iloc[0]
    assert d11["event"] == "double11" and d11["orders"] == pytest.approx(1520)
    assert d11["temps"] == d11["required"] - d11["permanent"]


def test_cli_peak_bad_event_exits_2(capsys):
    assert main(["peak", "--event", "black_friday", "--year", "2027"]) == 2
    assert "expected one of double11" in capsys.readouterr().err


def test_a_history_that_runs_into_the_baseline_still_plans_the_peak():
    """A shop whose export ends on 30 October (the pre-sale of Double 11 under way) -- the
    most common moment to plan -- got no peak plan ('the history runs past the start of the
    plan').  Its own days in the plan's window are used as they are, the rest forecast."""
    hist = pd.Series(100.0 + 10 * (np.arange(303) % 7 == 5),
                     index=pd.date_range("2025-01-01", "2025-10-30"))
    p = peak_plan(flat_shop(), history=hist, permanent="baseline")
    assert p.year == 2025 and p.peak_date == pd.Timestamp("2025-11-11")
    base = hist.loc[p.baseline_window[0]:p.baseline_window[1]]
    assert p.baseline_orders == pytest.approx(base.median())
    assert any("2025-09-23 .. 2025-10-30 are the shop's own orders" in m for m in p.messages)
    # in a scenario the shop's own days are scaled like the forecast
    s = peak_plan(flat_shop(), history=hist, permanent="baseline", orders_per_day=200)
    assert s.baseline_orders == pytest.approx(2 * base.median(), rel=0.02)
    # hiring for it should have started already: the plan says so rather than refusing
    assert p.hire_by["late"].any()
    # a history that reaches the event's main days is another matter
    with pytest.raises(InputError, match="into double11's main days"):
        peak_plan(flat_shop(), history=pd.concat([hist, pd.Series(
            100.0, index=pd.date_range("2025-10-31", "2025-11-12"))]), year=2025)


def test_cli_peak_takes_the_scenario_of_staff_and_the_report(tmp_path, capsys):
    """``peak --orders N --set S=V`` is the plan's peak at that scenario (make_plan), as
    ``staff --orders`` and the report's ``orders_per_day`` are."""
    from ecomanalysis.plan import make_plan

    shop = tmp_path / "shop.yaml"
    shop.write_text("name: cli\ndaily_orders: 200\nteam: {presale_cs: 2, aftersale_cs: 1, "
                    "warehouse_keeper: 2}\n", encoding="utf-8")
    out = tmp_path / "plan.csv"
    args = ["peak", "--shop", str(shop), "--year", "2027", "--today", TODAY, "--lang", "en",
            "--orders", "400", "--set", "presale_aht_s=200", "-o", str(out)]
    assert main(args) == 0
    cap = capsys.readouterr()
    plan = make_plan(str(shop), orders_per_day=400, lang="en", simulate=False,
                     peak_options={"year": 2027, "today": TODAY}, presale_aht_s=200)
    assert f"peak 2027-11-11: {plan.peak.peak_orders:,.0f} orders" in cap.out
    assert "normal day 400" in cap.out and "3,040 orders" in cap.out  # 2 x the shop's 1,520
    f = pd.read_csv(out, keep_default_na=False)
    assert f.groupby("unit")["temps"].max().sum() == plan.temps_total
    assert main(["peak", "--orders", "-1"]) == 2
    assert "--orders" in capsys.readouterr().err
    assert main(["peak", "--set", "no_such_standard=1"]) == 2
    assert "--set" in capsys.readouterr().err
