"""ecomanalysis.forecast.backtest: metrics, groups, rolling origins, the real Tianchi series."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ecomanalysis import config
from ecomanalysis.errors import InputError
from ecomanalysis.forecast import backtest, error_table, mape, wape
from ecomanalysis.forecast.backtest import default_origins

TIANCHI_DAILY = config.EXAMPLES_DIR / "tianchi_mum_baby_daily.csv"


def test_wape_and_mape():
    a, f = [10, 20, 0, 30], [12, 15, 3, 30]
    assert wape(a, f) == pytest.approx((2 + 5 + 3 + 0) / 60)
    assert mape(a, f) == pytest.approx((0.2 + 0.25 + 0.0) / 3)  # zero actual left out
    assert np.isnan(wape([0, 0], [1, 1])) and np.isnan(mape([0], [1]))


def test_error_table_groups():
    fc = pd.DataFrame({
        "actual": [10.0, 100.0, 20.0, 10.0],
        "forecast": [10.0, 80.0, 30.0, 12.0],
        "lower": [9.0, 70.0, 25.0, 11.0],
        "upper": [11.0, 90.0, 35.0, 13.0],
        "baseline": [10.0, 10.0, 10.0, 10.0],
        "event": ["", "double11", "double11_presale", "double12;spring_festival"],
    })
    m = error_table(fc).set_index("group")
    assert list(m.index) == ["all days", "non-event days", "event days", "pre-sale days",
                             "double11", "double12", "spring_festival"]
    assert m.loc["double11", "model_wape"] == pytest.approx(0.2)
    assert m.loc["double11", "baseline_wape"] == pytest.approx(0.9)
    assert m.loc["event days", "n_days"] == 2
    assert m.loc["event days", "model_wape"] == pytest.approx((20 + 2) / 110)
    assert m.loc["pre-sale days", "n_days"] == 1
    assert m.loc["all days", "coverage"] == pytest.approx(0.25)  # only the first day is inside
    assert m.loc["non-event days", "coverage"] == 1.0


def test_default_origins():
    idx = pd.date_range("2024-01-01", periods=100)
    o = default_origins(idx, 60, 15)
    assert list(o) == list(pd.to_datetime(["2024-02-29", "2024-03-15", "2024-03-30"]))
    assert default_origins(idx, 100, 15).empty


def test_backtest_on_a_made_up_series(rng):
    idx = pd.date_range("2024-01-01", periods=120)
    y = pd.Series(100 * np.exp(rng.normal(0, 0.05, 120)), index=idx).round()
    r = backtest(y, "none", horizon_days=10, origins=["2024-03-31", "2024-04-10"],
                 method="sarimax")
    f = r.forecasts
    assert len(f) == 20 and list(f["lead_days"][:3]) == [1, 2, 3]
    assert f["date"].iloc[0] == pd.Timestamp("2024-04-01")
    np.testing.assert_array_equal(f["actual"].iloc[:10], y["2024-04-01":"2024-04-10"])
    assert (f["model"] == "sarimax_weekly").all()
    assert any("fallback" in m for m in r.messages)
    assert r.row("all days")["model_wape"] < 0.1
    with pytest.raises(KeyError, match="double11"):
        r.row("double11")


def test_backtest_bad_input():
    y = pd.Series(1.0, index=pd.date_range("2024-01-01", periods=40))
    with pytest.raises(InputError, match="too short"):
        backtest(y, "none")
    with pytest.raises(InputError, match="outside the series"):
        backtest(y, "none", origins=["2025-01-01"])
    with pytest.raises(InputError, match="step_days"):
        backtest(y, "none", step_days=0)


@pytest.mark.skipif(not TIANCHI_DAILY.exists(),
                    reason=f"{TIANCHI_DAILY.name} not in data/examples (built by "
                           "python -m ecomanalysis.intake.make_examples)")
def test_model_beats_seasonal_naive_on_the_real_tianchi_series():
    d = pd.read_csv(TIANCHI_DAILY)
    # two origins three weeks before Double 11 2013 and 2014 (the full rolling backtest with
    # 20 origins is in the closing note of issue 6 and benchmarks/bench_forecast.py)
    r = backtest(d, value_column="purchases", origins=["2013-10-20", "2014-10-20"],
                 horizon_days=30, method="sarimax")
    overall, d11 = r.row("all days"), r.row("double11")
    assert overall["n_days"] == 60 and d11["n_days"] == 2
    assert overall["model_wape"] < overall["baseline_wape"]
    assert overall["model_mape"] < overall["baseline_mape"]
    assert d11["model_wape"] < d11["baseline_wape"]
    assert d11["model_wape"] < 0.5 < d11["baseline_wape"]  # the baseline misses the 6-9x peak
    f = r.forecasts.set_index("date")
    assert f.loc["2014-11-11", "forecast"] > 4 * f.loc["2014-11-04", "forecast"]
