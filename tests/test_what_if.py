"""What-if (ecomanalysis.whatif, notebook 08): same figures as the plan at the plan's own values,
the right direction for each input, sliders bounded by the standards' ranges, saved scenarios
that run, and the Voila page rendered in headless Chromium."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from ecomanalysis import config
from ecomanalysis.errors import InputError
from ecomanalysis.plan import make_plan
from ecomanalysis.report.browser import find_chromium
from ecomanalysis.whatif import KEY_STANDARDS, WhatIf

COLS = ["role_id", "now", "needed", "peak", "permanent", "temps"]


@pytest.fixture(scope="module")
def whatif():
    return WhatIf(lang="en")


def test_at_the_plans_values_the_figures_are_the_plans(whatif):
    r = whatif.update()
    plan = whatif.plan
    pd.testing.assert_frame_equal(r.team[COLS], plan.team[COLS].reset_index(drop=True))
    assert r.cost_needed_cny_month == pytest.approx(plan.cost_needed_cny_month)
    assert r.cost_now_cny_month == pytest.approx(plan.cost_now_cny_month)
    assert r.temps_total == plan.temps_total > 0
    assert r.peak_orders == pytest.approx(plan.peak.peak_orders)
    # the analytic hour-by-hour table (the report adds the simulated day's check beside it)
    cols = list(r.cs_hourly.columns)
    hourly = plan.cs_hourly[cols].reset_index(drop=True)
    pd.testing.assert_frame_equal(r.cs_hourly.reset_index(drop=True), hourly)


def test_each_input_moves_the_plan_the_right_way(whatif):
    base = whatif.update()
    need = base.team.set_index("role_id")["needed"]
    more = whatif.update(orders_per_day=2 * whatif.orders_per_day)
    assert more.team["needed"].sum() > base.team["needed"].sum()
    assert more.peak_orders == pytest.approx(2 * base.peak_orders)
    slow = whatif.update(presale_aht_s=480)
    assert slow.team.set_index("role_id").at["presale_cs", "needed"] > need["presale_cs"]
    par = whatif.update(presale_concurrency=1)
    assert par.team.set_index("role_id").at["presale_cs", "needed"] > need["presale_cs"]
    tier1 = whatif.update(city_tier="tier1")
    assert tier1.cost_needed_cny_month > base.cost_needed_cny_month
    assert (tier1.team["needed"].to_numpy() == base.team["needed"].to_numpy()).all()
    calm = whatif.update(peak_uplift=2.0)
    assert calm.temps_total < base.temps_total
    assert calm.peak_orders < base.peak_orders
    short = whatif.update(cs_open_hour=10, cs_close_hour=22)
    hours = short.cs_hourly["hour"]
    assert hours.min() == 10 and hours.max() == 21
    with pytest.raises(InputError, match="cs_open_hour"):
        whatif.update(cs_open_hour=10, cs_close_hour=9)
    with pytest.raises(InputError, match="orders_per_day"):
        whatif.update(orders_per_day=-1)
    with pytest.raises(InputError, match="unknown"):
        whatif.update(presale_aht=200)


def test_peak_days_rescale_is_the_identity_at_the_plans_values(whatif):
    days = whatif.peak_days(whatif.orders_per_day, whatif.peak_uplift)
    pk = whatif.plan.peak
    fc = pk.forecast.set_index("date")[pk.scenario].loc[days.index]
    pd.testing.assert_series_equal(days, fc.astype(float).rename("orders"))
    # uplift 1: every day at the baseline, scaled by the orders
    flat = whatif.peak_days(2 * whatif.orders_per_day, 1.0)
    assert flat.round(6).nunique() == 1
    assert flat.iloc[0] == pytest.approx(2 * pk.baseline_orders)


def test_sliders_are_the_standards_with_a_range(whatif):
    sl = {s.standard_id: s for s in whatif.sliders()}
    t = whatif.std.table
    from ecomanalysis.workload import MODEL_CATEGORIES

    changes_plan = t["category"].isin(MODEL_CATEGORIES) & (t["category"] != "cross_check")
    assert set(sl) == set(t.index[(t["low"] < t["high"]) & changes_plan])
    assert "cs_service_level_target" in sl and "inquiries_per_agent_day" not in sl
    for key in KEY_STANDARDS:
        assert key in sl
    assert [s.standard_id for s in whatif.sliders()][:len(KEY_STANDARDS)] == list(KEY_STANDARDS)
    aht = sl["presale_aht_s"]
    assert (aht.low, aht.high, aht.value, aht.whole) == (120, 480, 240, True)
    rate = sl["presale_inquiry_rate"]
    assert rate.low <= rate.value <= rate.high and not rate.whole
    assert rate.step == pytest.approx(0.001)
    assert "inquiry" in rate.label.lower()


def test_saved_scenario_is_a_shop_whose_plan_matches_the_what_if(whatif, tmp_path):
    choices = {"city_tier": "tier1", "presale_aht_s": 300.0, "cs_open_hour": 8.0}
    r = whatif.update(orders_per_day=600, **choices)
    batch = tmp_path / "batch.yaml"
    written = whatif.save_scenario(tmp_path / "s1.yaml", "s1", 600, batch=batch, **choices)
    assert written == [tmp_path / "s1.yaml", batch]
    data = yaml.safe_load((tmp_path / "s1.yaml").read_text(encoding="utf-8"))
    assert data["daily_orders"] == 600 and data["city_tier"] == "tier1"
    assert data["standards"] == {"presale_aht_s": 300.0, "cs_open_hour": 8.0}
    assert "opening_hours" not in data
    assert all(Path(p).is_absolute() and Path(p).exists() for p in data["files"].values())
    plan = make_plan(tmp_path / "s1.yaml", lang="en", peak=False)
    assert plan.orders_per_day == 600
    got = plan.team.set_index("role_id")["needed"]
    want = r.team.set_index("role_id")["needed"]
    pd.testing.assert_series_equal(got.sort_index(), want.sort_index())
    assert plan.cost_needed_cny_month == pytest.approx(r.cost_needed_cny_month)
    # a second save with the same name replaces its batch entry
    whatif.save_scenario(tmp_path / "s1.yaml", "s1", 700, batch=batch)
    whatif.save_scenario(tmp_path / "s2.yaml", "s2", 800, batch=batch)
    doc = yaml.safe_load(batch.read_text(encoding="utf-8"))
    assert doc["notebook"] == "shop_report"
    assert doc["runs"] == [{"shop": "s1", "shop_file": "s1.yaml"},
                           {"shop": "s2", "shop_file": "s2.yaml"}]
    from ecomanalysis.report.batch import load_batch

    jobs, _timeout = load_batch(batch)
    assert [j.shop for j in jobs] == ["s1", "s2"]
    assert all(j.error is None for j in jobs), [j.error for j in jobs]
    assert jobs[1].params["shop_file"] == str((tmp_path / "s2.yaml").resolve())
    with pytest.raises(InputError, match=r"\.yaml"):
        whatif.save_scenario(tmp_path / "s3.txt", "s3", 100)


def test_app_recomputes_on_change_and_saves(whatif, tmp_path):
    pytest.importorskip("ipywidgets")
    from ecomanalysis.whatif_app import WhatIfApp

    app = WhatIfApp(whatif, max_orders_per_day=2000, scenario_dir=tmp_path)
    first = app.result
    assert first.temps_total == whatif.plan.temps_total  # untouched controls = the plan
    assert "Pre-sale customer service" in app.team_view.value
    assert "<svg" in app.chart.value and "ms" in app.timing.value
    app.tier.value = "tier1"
    assert app.result.cost_needed_cny_month > first.cost_needed_cny_month
    assert f"{app.result.cost_needed_cny_month:,.0f}" in app.figures.value
    app.controls["presale_aht_s"].value = 480
    assert app.result.team.set_index("role_id").at["presale_cs", "needed"] > \
        first.team.set_index("role_id").at["presale_cs", "needed"]
    app.controls["cs_open_hour"].value = 10
    app.controls["cs_close_hour"].value = 22
    assert app.result.cs_hourly["hour"].min() == 10
    bounds = {s.standard_id: (s.low, s.high) for s in whatif.sliders()}
    for sid, c in app.controls.items():
        assert (c.min, c.max) == pytest.approx(bounds[sid])
    app.name.value = "tier one"
    app.save_as.value = "batch"
    app.save_button.click()
    assert (tmp_path / "tier-one.yaml").exists() and (tmp_path / "what_if_batch.yaml").exists()
    assert "Saved" in app.save_status.value
    saved = yaml.safe_load((tmp_path / "tier-one.yaml").read_text(encoding="utf-8"))
    assert saved["city_tier"] == "tier1" and saved["standards"]["presale_aht_s"] == 480


# --------------------------------------------------------------------------- Voila + Chromium
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.browser
@pytest.mark.skipif(find_chromium() is None, reason="needs headless chromium")
def test_voila_page_renders_and_reacts_in_chromium(tmp_path):
    from ecomanalysis.report.live_page import LivePage

    voila = Path(sys.executable).with_name("voila")
    port = _free_port()
    env = {**os.environ, "JUPYTER_CONFIG_PATH": str(config.PROJ_ROOT / "etc" / "jupyter")}
    proc = subprocess.Popen(
        [str(voila), str(config.NOTEBOOKS_DIR / "08_what_if.ipynb"), f"--port={port}",
         "--no-browser", "--Voila.ip=127.0.0.1", "--theme=light"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        with LivePage(f"http://127.0.0.1:{port}/", width=1280, height=1400, timeout_s=60) as page:
            page.wait_for("!!document.querySelector('svg.ecom-hourly')", timeout_s=300)
            table = page.evaluate("document.querySelector('table.ecom-table').innerText")
            assert "售前客服" in table and "现有(人)" in table  # names and headers in Chinese
            text = page.evaluate("document.querySelector('.ecom-whatif').innerText")
            assert "日订单" in text and "保存为方案" in text
            assert "Traceback" not in page.evaluate("document.body.innerText")
            before = page.evaluate("document.querySelector('.ecom-whatif b:nth-of-type(3)')"
                                   ".innerText")
            page.evaluate("""(() => {
                const sel = [...document.querySelectorAll('.ecom-whatif select')]
                    .find(s => [...s.options].some(o => o.text === '一线'));
                sel.value = [...sel.options].find(o => o.text === '一线').value;
                sel.dispatchEvent(new Event('change', {bubbles: true}));
                return true; })()""")
            after = page.wait_for(
                "(() => { const t = document.querySelector('.ecom-whatif b:nth-of-type(3)')"
                f".innerText; return t !== {before!r} ? t : null; }})()", timeout_s=60)
            number = lambda text: float(text.split()[0].replace(",", ""))  # noqa: E731
            assert number(after) > number(before)
            png = page.screenshot(tmp_path / "what_if.png")
            assert png.stat().st_size > 20_000
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
