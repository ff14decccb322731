"""Charts of the numbered notebooks (ecomanalysis.charts): each draws what its data says."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from ecomanalysis import catalog, charts, config, staffing, workload
from ecomanalysis.intake import peak_days
from ecomanalysis.intake.sample import EVENTS


@pytest.fixture(autouse=True)
def _close_figures():
    from ecomanalysis.plots import use_style

    use_style()
    yield
    plt.close("all")


def _bar_widths(ax) -> list[float]:
    return [p.get_width() for p in ax.patches]


# --------------------------------------------------------------------------- 01 roles
def test_roles_per_group_chart_has_one_bar_per_group_summing_to_the_roles():
    roles = catalog.load_roles("en")
    fig = charts.roles_per_group_chart(roles, "en")
    ax = fig.axes[0]
    assert len(ax.patches) == roles["group_name"].nunique()
    assert sum(_bar_widths(ax)) == len(roles)
    assert ax.get_xlabel() == "Number of roles"


def test_duties_per_role_chart_counts_duties():
    roles, duties = catalog.load_roles("zh"), catalog.load_duties("zh")
    ax = charts.duties_per_role_chart(duties, roles, "zh").axes[0]
    assert sum(_bar_widths(ax)) == len(duties.merge(roles[["role_id"]], on="role_id"))
    assert ax.get_ylabel() == "岗位"


def test_departments_with_roles_counts_and_fills_zero():
    depts = pd.DataFrame({"department_id": ["a", "b"], "structure_id": ["s", "s"]})
    links = pd.DataFrame({"department_id": ["a", "a", "a"], "role_id": ["x", "y", "z"]})
    out = charts.departments_with_roles(depts, links)
    assert out["roles"].tolist() == [3, 0]


def test_department_chart_one_panel_per_structure():
    departments = catalog.load_departments("en")
    fig = charts.department_chart(departments, catalog.load_department_roles(), "en")
    assert len(fig.axes) == departments["structure_id"].nunique()
    assert [ax.get_title() for ax in fig.axes] == list(departments["structure_id"].unique())


# --------------------------------------------------------------------------- 02 stages
def test_funnel_and_team_charts_span_the_stages():
    funnel, team = catalog.stage_funnel("en"), catalog.stage_team("en")
    ax = charts.funnel_chart(funnel, "en").axes[0]
    assert len(ax.patches) == len(funnel)
    top = funnel[["implied_orders_max", "orders_max"]].max().max()
    assert ax.get_ylim()[1] == pytest.approx(top * 1.15)
    ax = charts.stage_team_chart(team, "en").axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == team["name"].tolist()


def test_stage_role_grid_takes_the_minimum_where_no_maximum():
    sr = pd.DataFrame({"role": ["cs", "cs", "wh"], "stage_id": [1, 2, 2],
                       "headcount_min": [1, 2, 1], "headcount_max": [np.nan, 3, np.nan]})
    grid = charts.stage_role_grid(sr)
    assert grid.loc["cs", 1] == 1 and grid.loc["cs", 2] == 3
    assert grid.loc["wh", 1] == 0 and grid.loc["wh", 2] == 1
    fig = charts.stage_roles_heatmap(sr, "zh")
    assert "无上限时取下限" in fig.axes[0].get_title()


# --------------------------------------------------------------------------- 03 shop data
def _daily():
    dates = pd.date_range("2024-10-01", "2024-12-31", freq="D")
    orders = np.full(len(dates), 100.0)
    orders[dates == "2024-11-11"] = 900.0
    return pd.DataFrame({"date": dates, "orders": orders})


def test_daily_orders_chart_marks_the_festivals_in_range():
    daily = _daily()
    peaks = peak_days(daily.rename(columns={"orders": "count"}), top=3).rename(
        columns={"count": "orders"})
    ax = charts.daily_orders_chart(daily, peaks, EVENTS, "en").axes[0]
    texts = {t.get_text() for t in ax.texts}
    assert {"Double 11", "Double 12"} <= texts and "618" not in texts
    assert "9.0x" in texts


def test_hour_weekday_chart_without_times_says_so():
    weekdays = pd.DataFrame({"name_zh": list("一二三四五六日"),
                             "name_en": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
                             "index": np.ones(7)})
    fig = charts.hour_weekday_chart(None, weekdays, "en")
    assert [t.get_text() for t in fig.axes[0].texts] == ["dates only: no time of day"]
    grid = pd.DataFrame(np.ones((7, 24)))
    fig = charts.hour_weekday_heatmap(grid, weekdays, "zh")
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == list("一二三四五六日")


def test_day_vs_baseline_and_its_chart():
    from ecomanalysis.intake.aggregate import day_vs_baseline

    starts = pd.date_range("2024-10-01", "2024-11-12", freq="6h", inclusive="left",
                           tz="Asia/Shanghai")
    arr = pd.DataFrame({"interval_start": starts, "arrivals": 10.0})
    day = pd.Timestamp("2024-11-11")
    arr.loc[arr["interval_start"].dt.tz_localize(None).dt.normalize() == day, "arrivals"] = 50.0
    on_day, typical = day_vs_baseline(arr, day)
    assert len(on_day) == 4 and (on_day["arrivals"] == 50).all()
    assert len(typical) == 4 and (typical == 10).all()
    _, typical_all = day_vs_baseline(arr, pd.Timestamp("2024-10-02"))  # no baseline: every day
    assert typical_all.iloc[0] == pytest.approx(arr.groupby(
        arr["interval_start"].dt.time)["arrivals"].mean().iloc[0])
    ax = charts.peak_day_arrivals_chart(on_day, typical, day, "6h", "en").axes[0]
    assert ax.get_legend().get_texts()[0].get_text() == "2024-11-11"


def test_real_shop_chart_annotates_each_peak():
    real = pd.read_csv(config.EXAMPLES_DIR / "tianchi_mum_baby_daily.csv", parse_dates=["date"])
    real_peaks = peak_days(real.rename(columns={"purchases": "count"}), top=5)
    ax = charts.real_shop_chart(real, real_peaks, "en").axes[0]
    assert len(ax.texts) == 5 and ax.get_ylabel() == "purchases per day"


# --------------------------------------------------------------------------- 04 workload
def test_workload_charts():
    std = staffing.standards()
    levels = np.array([0.0, 100.0, 300.0])
    req = staffing.requirements(levels, std=std, lang="en")
    stages = staffing.stage_order_ranges("en")
    ax = charts.fte_chart(req, stages, 300, "en").axes[0]
    assert len(ax.lines) == int((req.groupby("name")["fte"].max() > 0).sum())
    playbook = staffing.compare_with_playbook(std=std, lang="en")
    ax = charts.team_vs_stages_chart(staffing.team_size(req), stages, playbook, 300, "en").axes[0]
    assert ax.get_xlim() == (0, 300)
    sens = pd.DataFrame({"standard_id": ["a", "b"], "headcount_base": [5, 5],
                         "headcount_low": [4, 5], "headcount_high": [7, 6]})
    ax = charts.tornado_chart(sens, 250, "en").axes[0]
    assert sorted(_bar_widths(ax)) == [-1, 0, 1, 2]


def test_labour_cost_chart_one_line_per_tier_and_the_band():
    cost = staffing.labour_cost_by_tier(np.array([100.0, 200.0]), std=staffing.standards())
    fig = charts.labour_cost_chart(cost, (0.08, 0.15), "en")
    assert len(fig.axes[0].lines) == cost["city_tier"].nunique()
    band = fig.axes[1].patches[0]
    lo, hi = band.get_y(), band.get_y() + band.get_height()
    assert (lo, hi) == (pytest.approx(0.08), pytest.approx(0.15))


# --------------------------------------------------------------------------- 05 customer service
def test_cs_texts_have_the_same_keys_in_both_languages():
    assert charts.cs_texts("zh").keys() == charts.cs_texts("en").keys()


def test_chats_and_agents_chart_marks_the_peak():
    labels = ["00:00", "12:00"]
    day = pd.DataFrame({"chats": [1.0, 5.0], "agents": [1, 3]})
    fig = charts.chats_and_agents_chart(day, labels, 1, "en")
    assert any("peak interval 12:00" in t.get_text() for t in fig.axes[0].texts)
    assert fig.axes[1].get_ylim()[1] == pytest.approx(3.75)


def test_cs_heads_and_rule_charts_from_the_model():
    std = staffing.standards()
    by_hour = staffing.cs_by_hour(200, std=std)
    ax = charts.cs_heads_chart(by_hour, "en").axes[0]
    total = by_hour[by_hour["queue"].isin(["presale", "aftersale"])]["staffed"].sum()
    assert sum(p.get_height() for p in ax.patches) == pytest.approx(total)
    rule = staffing.cs_rule_of_thumb(np.arange(0, 501, 50), std=std)
    ax = charts.cs_rule_chart(rule, staffing.stage_order_ranges("en"), "en").axes[0]
    assert ax.get_xlim() == (0, 500)


def test_erlang_and_shortcut_charts():
    std = staffing.standards()
    target, chat = staffing.presale_queue(std)
    aht = std["presale_aht_s"]
    fig = charts.erlang_a_chart(5.0, aht, [60.0, 600.0], target, "t", "en")
    assert len(fig.axes[1].lines) == 2 and fig.texts[0].get_text() == "t"
    ax = charts.shortcut_chart(5.0, np.arange(1, 10), aht, {"x": aht / 2}, target, chat, "t",
                               "en").axes[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()][1] == f"x ({aht / 2:g} s)"
    ax = charts.shortcut_gap_chart({"x": np.array([1, -1])}, ["a", "b"], "en").axes[0]
    assert list(ax.lines[0].get_ydata()) == [1, -1]


def test_service_level_heatmap_and_day_chart():
    heat = pd.DataFrame(np.linspace(0, 1, 6).reshape(3, 2), index=[1, 2, 3], columns=["a", "b"])
    ax = charts.service_level_heatmap(heat, np.array([2, 3]), "en").axes[0]
    assert ax.get_ylabel() == "agents on line"
    ax = charts.service_level_day_chart({"n (2)": [0.5, 0.9]}, ["a", "b"], 0.8, "en").axes[0]
    assert ax.lines[-1].get_ydata()[0] == 0.8


def test_cs_queues_chart_stacks_deferred_chats():
    std = staffing.standards()
    cs = workload.cs_intervals([200], std)
    labels = workload.interval_labels(std)
    ax = charts.cs_queues_chart(cs, labels, "t", "en").axes[0]
    assert sum(p.get_height() for p in ax.patches) == pytest.approx(
        float((cs["volume"] + cs["deferred"]).sum()))


# --------------------------------------------------------------------------- 06 peak
@pytest.fixture(scope="module")
def peak():
    from ecomanalysis.forecast import peak_plan
    from tests.test_forecast_peak import TODAY, flat_shop

    return peak_plan(flat_shop(), event="double11", year=2027, today=TODAY, lang="en")


def test_peak_charts(peak):
    fig = charts.peak_forecast_chart(peak, "en")
    assert fig.axes[1].get_yscale() == "log"
    assert fig.axes[1].get_title() == f"{peak.event_name} {peak.year}"
    ax = charts.peak_team_chart(peak.temps, "en").axes[0]
    shown = peak.temps[(peak.temps["peak_required"] > 0) | (peak.temps["permanent"] > 0)]
    assert len(ax.get_yticklabels()) == len(shown)
    assert len(ax.texts) == int((shown["temps"] > 0).sum())
    ax = charts.peak_units_chart(peak, "en").axes[0]
    assert len(ax.get_legend().get_texts()) == peak.units["unit"].nunique()
    fig = charts.peak_service_chart(peak.service_by_interval, "en")
    assert fig.axes[0].get_ylabel() == "Service level"


def test_hiring_timeline_and_overtime_charts(peak):
    hb = peak.hire_by
    assert len(hb)
    ax = charts.hiring_timeline_chart(hb, peak.today, "en").axes[0]
    assert len(ax.patches) == 3 * len(hb)
    assert ax.texts[0].get_text().strip() == f"{hb['hire_by'].iloc[0]:%m-%d}"
    ot = peak.overtime_vs_temps
    ax = charts.overtime_vs_temps_chart(ot, "en").axes[0]
    assert len(ax.patches) == 3 * len(ot)


# --------------------------------------------------------------------------- 07 roster
def test_roster_charts():
    from ecomanalysis.roster import make_roster
    from tests.test_roster import hourly

    r = make_roster(hourly([(9, 18, 1)]))
    n = len(r.coverage)
    sl = pd.DataFrame({"service_level": np.full(n, 0.9), "sl_simulated": np.full(n, 0.85)})
    fig = charts.roster_coverage_chart(r, sl, 0.8, "en")
    assert [t.get_text() for t in fig.axes[1].get_xticklabels()] == list(r.problem.days)
    ppl = r.people()
    ax = charts.hours_per_person_chart(ppl, "en").axes[0]
    assert sum(p.get_height() for p in ax.patches) == pytest.approx(ppl["paid_h"].sum())
    req = pd.DataFrame(np.ones((2, 4)), index=["Mon", "Tue"], columns=["0", "6", "12", "18"])
    fig = charts.requirement_heatmap(req, "en")
    assert len(fig.axes) == 2  # the map and its colour bar
