"""``ecomanalysis forecast``: daily series and order exports in, forecast CSV out, backtest."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ecomanalysis import config
from ecomanalysis.cli import main

TIANCHI_DAILY = config.EXAMPLES_DIR / "tianchi_mum_baby_daily.csv"


def daily_csv(tmp_path, rng, days=100, start="2024-06-01", name="daily.csv"):
    idx = pd.date_range(start, periods=days)
    y = np.round(50 * np.exp(rng.normal(0, 0.1, days)))
    p = tmp_path / name
    pd.DataFrame({"date": idx.strftime("%Y-%m-%d"), "value": y.astype(int)}).to_csv(p, index=False)
    return p


def test_forecast_writes_the_five_columns(tmp_path, rng, capsys):
    p = daily_csv(tmp_path, rng)  # 2024-06-01 .. 2024-09-08
    out = tmp_path / "out" / "fc.csv"
    assert main(["forecast", str(p), "--horizon", "70", "-o", str(out), "--method",
                 "sarimax"]) == 0
    f = pd.read_csv(out, keep_default_na=False)
    assert list(f.columns) == ["date", "forecast", "lower", "upper", "event"]
    assert len(f) == 70 and f["date"].iloc[0] == "2024-09-09" and f["date"].iloc[-1] == "2024-11-17"
    assert (f["lower"] <= f["forecast"]).all() and (f["forecast"] <= f["upper"]).all()
    d11 = f.set_index("date").loc["2024-11-11"]
    assert d11["event"] == "double11" and d11["forecast"] > 5 * f["forecast"].iloc[0]
    err = capsys.readouterr().err
    assert "sarimax_weekly" in err and "fallback" in err and "default uplift 7.6x" in err
    assert f"wrote {out}" in err


def test_forecast_to_stdout_with_no_events(tmp_path, rng, capsys):
    p = daily_csv(tmp_path, rng, days=40)
    assert main(["forecast", str(p), "--horizon", "5", "--events", "none"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "date,forecast,lower,upper,event" and len(out) == 6
    assert out[1].endswith(",")  # no event


@pytest.mark.skipif(not TIANCHI_DAILY.exists(), reason=f"{TIANCHI_DAILY.name} not in data/examples")
def test_spring_festival_dip_on_the_real_series(tmp_path, capsys):
    out = tmp_path / "fc.csv"
    assert main(["forecast", str(TIANCHI_DAILY), "--column", "purchases", "--horizon", "30",
                 "-o", str(out), "--method", "sarimax"]) == 0
    f = pd.read_csv(out, keep_default_na=False).set_index("date")
    assert f.loc["2015-02-19", "event"] == "spring_festival"  # 春节 2015
    assert f.loc["2015-02-19", "forecast"] < 0.3 * f.loc["2015-03-07", "forecast"]
    assert "sarimax_yearly" in capsys.readouterr().err


def test_backtest_prints_model_and_baseline_wape(tmp_path, rng, capsys):
    p = daily_csv(tmp_path, rng, days=100)
    assert main(["forecast", str(p), "--backtest", "--bt-horizon", "14", "--bt-step", "30",
                 "--events", "none"]) == 0
    cap = capsys.readouterr()
    assert "WAPE model" in cap.out and "baseline" in cap.out
    rows = [line for line in cap.out.splitlines() if line.startswith("all days")]
    assert len(rows) == 1 and rows[0].count("%") == 5
    assert "2 origins" in cap.out
    assert "no backtest days in: event days, double11" in cap.out
    assert "first training window 50 days" in cap.err
    assert "date,forecast" not in cap.out  # the forecast goes to -o only


def test_order_export_is_counted_per_day(tmp_path, capsys):
    times = pd.date_range("2024-09-01 09:00", "2024-10-15 18:00", freq="7h")
    p = tmp_path / "orders.csv"
    pd.DataFrame({"order_id": np.arange(len(times)), "order_time": times.strftime(
        "%Y-%m-%d %H:%M:%S"), "amount": 10, "status": "paid"}).to_csv(p, index=False)
    out = tmp_path / "fc.csv"
    assert main(["forecast", str(p), "--horizon", "7", "-o", str(out)]) == 0
    f = pd.read_csv(out)
    assert len(f) == 7 and f["date"].iloc[0] == "2024-10-16"
    assert f["forecast"].between(1, 6).all()  # about 3.4 orders per day
    assert "order export (preset generic)" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        ("unknown_event_column", "unknown column 'colour'; allowed columns: event_id"),
        ("missing_file", "file not found"),
        ("two_value_columns", "--column (one of orders, gmv)"),
        ("bad_date", "row 3: column 'date' has 'soon'"),
        ("bad_level", "level 1.5"),
    ],
)
def test_bad_input_exits_2(tmp_path, rng, capsys, setup, expected):
    p = daily_csv(tmp_path, rng, days=30)
    args = ["forecast", str(p), "--horizon", "5"]
    if setup == "unknown_event_column":
        e = tmp_path / "ev.csv"
        e.write_text("event_id,start,uplift,colour\nsale,2024-07-02,2,red\n", encoding="utf-8")
        args += ["--events", str(e)]
    elif setup == "missing_file":
        args[1] = str(tmp_path / "nope.csv")
    elif setup == "two_value_columns":
        p.write_text("date,orders,gmv\n2024-01-01,1,2\n", encoding="utf-8")
    elif setup == "bad_date":
        p.write_text("date,value\n2024-01-01,1\nsoon,2\n", encoding="utf-8")
    elif setup == "bad_level":
        args += ["--level", "1.5"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and expected in err
