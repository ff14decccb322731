"""ecomanalysis.forecast.model: input cleaning, baseline, the sarimax model tiers, event uplifts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ecomanalysis.errors import InputError
from ecomanalysis.forecast import (
    FRAME_COLUMNS,
    prepare_series,
    seasonal_naive,
)
from ecomanalysis.forecast import model as M

# this file tests the single state-space model (method="sarimax"); the automatic model, the
# default, is tested in test_forecast_auto.py


def fit_forecast(*args, **kwargs):
    return M.fit_forecast(*args, method="sarimax", **kwargs)


def forecast_daily(*args, **kwargs):
    return M.forecast_daily(*args, method="sarimax", **kwargs)

WEEKLY = np.array([1.0, 1.1, 1.05, 1.0, 0.95, 0.8, 0.85])  # Monday..Sunday


def synth(rng, start, days, level=100.0, events=None, noise=0.05):
    """Made-up daily volume: weekly shape, log-normal noise, multipliers on given days."""
    idx = pd.date_range(start, periods=days, freq="D")
    y = level * WEEKLY[idx.day_of_week] * np.exp(rng.normal(0, noise, days))
    s = pd.Series(y, index=idx)
    for day, mult in (events or {}).items():
        if pd.Timestamp(day) in s.index:
            s[day] *= mult
    return s.round()


PROMO = pd.DataFrame({"event_id": ["promo"], "month_day": ["11-11"], "uplift": ["3"],
                      "uplift_low": ["2"], "uplift_high": ["4"]})


# --------------------------------------------------------------------------- input
def test_duplicates_are_summed_and_gaps_filled_with_messages():
    df = pd.DataFrame({"date": ["2024-01-01", "2024-01-02", "2024-01-02", "2024-01-05"],
                       "value": [1, 2, 3, 4]})
    s, msgs = prepare_series(df, name="d.csv")
    assert s.to_dict() == {pd.Timestamp("2024-01-01"): 1.0, pd.Timestamp("2024-01-02"): 5.0,
                           pd.Timestamp("2024-01-03"): 0.0, pd.Timestamp("2024-01-04"): 0.0,
                           pd.Timestamp("2024-01-05"): 4.0}
    assert any("summed" in m and "2024-01-02" in m for m in msgs)
    assert any("2 missing day(s) filled with 0: 2024-01-03, 2024-01-04" in m for m in msgs)
    with pytest.raises(InputError, match="2024-01-02"):
        prepare_series(df, duplicates="error")
    with pytest.raises(InputError, match="2024-01-03"):
        prepare_series(df, fill_gaps="error")


def test_series_input_forms():
    s, msgs = prepare_series(pd.DataFrame({"day": [20141111, 20141112], "n": [5, 6]})
                             .rename(columns={"day": "date"}))
    assert list(s) == [5.0, 6.0] and s.index[0] == pd.Timestamp("2014-11-11") and not msgs
    s2, _ = prepare_series(pd.Series([1, 2], index=pd.to_datetime(["2024-03-01", "2024-03-02"])))
    assert s2.index.freqstr == "D"
    s3, _ = prepare_series(pd.DataFrame({"date": ["2024/3/1", "2024/3/2"], "orders": [1, 2],
                                         "gmv": [9, 9]}), value_column="orders")
    assert list(s3) == [1.0, 2.0]


@pytest.mark.parametrize(
    ("df", "expected"),
    [
        (pd.DataFrame({"date": ["2024-01-01", "someday"], "value": [1, 2]}),
         "row 3: column 'date' has 'someday'"),
        (pd.DataFrame({"date": ["2024-01-01", "2024-01-02"], "value": [1, -2]}),
         "row 3: column 'value' has -2"),
        (pd.DataFrame({"date": ["2024-01-01", "2024-01-02"], "value": ["1", "many"]}),
         "column 'value' has 'many'"),
        (pd.DataFrame({"date": ["2024-01-01 10:00", "2024-01-02"], "value": [1, 2]}),
         "'2024-01-01 10:00'; expected one row per day without a time"),
        (pd.DataFrame({"date": ["2024-01-01"], "value": [1]}), "at least 2"),
        (pd.DataFrame({"when": ["2024-01-01"], "value": [1]}), "no 'date' column"),
        (pd.DataFrame({"date": ["2024-01-01"], "a": [1], "b": [2]}), "name the value column"),
    ],
)
def test_bad_series(df, expected):
    with pytest.raises(InputError, match=expected):
        prepare_series(df, name="d.csv")


def test_bad_parameters():
    s = pd.Series([1.0] * 30, index=pd.date_range("2024-01-01", periods=30))
    for kw in ({"horizon_days": 0}, {"horizon_days": 2.5}, {"level": 1.2}):
        with pytest.raises(InputError):
            fit_forecast(s, **({"horizon_days": 5} | kw), events="none")


# --------------------------------------------------------------------------- baseline
def test_seasonal_naive_repeats_the_same_weekday():
    s = pd.Series(np.arange(14.0), index=pd.date_range("2024-01-01", periods=14))
    b = seasonal_naive(s, 10)
    assert list(b["forecast"]) == [7, 8, 9, 10, 11, 12, 13, 7, 8, 9]
    assert (b["date"].dt.day_of_week.to_numpy() == (s.index[7:].day_of_week.to_numpy()[
        np.arange(10) % 7])).all()
    assert list(seasonal_naive(s.iloc[:3], 2)["forecast"]) == [2, 2]


# --------------------------------------------------------------------------- model tiers
@pytest.mark.parametrize(
    ("days", "model", "note"),
    [(20, M.MODEL_MEAN, "fewer than the 28 needed for weekly"),
     (60, M.MODEL_WEEKLY, "fewer than the 365 needed for yearly"),
     (400, M.MODEL_YEARLY, None)],
)
def test_short_history_falls_back_and_says_so(rng, days, model, note):
    s = synth(rng, "2023-01-02", days)
    r = fit_forecast(s, 14, events="none")
    assert r.model == model
    fallback = [m for m in r.messages if "fallback" in m]
    if note is None:
        assert not fallback
    else:
        assert len(fallback) == 1 and note in fallback[0]
    f = r.frame
    assert list(f.columns) == FRAME_COLUMNS and len(f) == 14
    assert (f["lower"] <= f["forecast"]).all() and (f["forecast"] <= f["upper"]).all()
    assert f["forecast"].between(60, 140).all()  # level 100 x weekly shape
    assert f.attrs["model"] == model


def test_weekly_shape_is_learned(rng):
    s = synth(rng, "2024-01-01", 120, noise=0.02)
    f = fit_forecast(s, 14, events="none").frame.set_index("date")["forecast"]
    by_day = f.groupby(f.index.day_of_week).mean().to_numpy()
    np.testing.assert_allclose(by_day / by_day[0], WEEKLY / WEEKLY[0], rtol=0.05)


def test_deterministic(rng):
    s = synth(rng, "2024-01-01", 90)
    a = forecast_daily(s, 20, PROMO)
    b = forecast_daily(s, 20, PROMO)
    pd.testing.assert_frame_equal(a, b)


# --------------------------------------------------------------------------- events
def test_default_uplift_multiplies_forecast_and_range(rng):
    s = synth(rng, "2024-07-01", 120)  # ends 2024-10-28: 11-11 is not in the history
    plain = fit_forecast(s, 20, events="none").frame.set_index("date")
    r = fit_forecast(s, 20, events=PROMO)
    f = r.frame.set_index("date")
    ratio = f[["forecast", "lower", "upper"]] / plain[["forecast", "lower", "upper"]]
    np.testing.assert_allclose(ratio.loc["2024-11-11"], [3.0, 2.0, 4.0], rtol=1e-9)
    others = ratio.drop(pd.Timestamp("2024-11-11"))
    np.testing.assert_allclose(others.to_numpy(), 1.0, rtol=1e-9)
    assert f.loc["2024-11-11", "event"] == "promo" and f.loc["2024-11-12", "event"] == ""
    eff = r.effects.set_index("component").loc["promo"]
    assert eff["basis"] == "default" and eff["uplift"] == 3.0 and eff["horizon_days"] == 1
    assert any("promo: not in the history; default uplift 3x (2-4)" in m for m in r.messages)


def test_cn_defaults_apply_when_the_history_lacks_double11(rng):
    s = synth(rng, "2024-06-20", 100)  # ends 2024-09-27
    r = fit_forecast(s, 60, events="cn")
    eff = r.effects.set_index("component")
    assert eff.loc["double11", "basis"] == "default" and eff.loc["double11", "uplift"] == 7.6
    f = r.frame.set_index("date")
    peak = f.loc["2024-11-11", "forecast"] / f.loc["2024-11-18", "forecast"]  # both Mondays
    assert peak == pytest.approx(7.6, rel=0.03)
    assert f["forecast"].idxmax() == pd.Timestamp("2024-11-11")


def test_uplift_is_estimated_from_the_history(rng):
    s = synth(rng, "2022-01-03", 655, events={"2022-11-11": 5.0}, noise=0.03)  # to 2023-10-19
    r = fit_forecast(s, 30, events=PROMO)
    assert r.model == M.MODEL_YEARLY
    eff = r.effects.set_index("component").loc["promo"]
    assert eff["basis"] == "history" and eff["history_days"] == 1
    assert eff["uplift"] == pytest.approx(5.0, rel=0.12)
    assert eff["uplift_low"] < eff["uplift"] < eff["uplift_high"]
    f = r.frame.set_index("date")
    base = f.loc[["2023-11-04", "2023-11-18"], "forecast"].mean()  # same weekday (Saturday)
    assert f.loc["2023-11-11", "forecast"] / base == pytest.approx(5.0, rel=0.15)
    assert not any("default uplift" in m for m in r.messages)


def test_event_too_early_in_the_history_is_not_estimated(rng):
    s = synth(rng, "2024-11-05", 40, events={"2024-11-11": 5.0})
    r = fit_forecast(s, 5, events=PROMO)
    assert r.effects.set_index("component").loc["promo", "basis"] == "unused"
    assert r.effects.set_index("component").loc["promo", "history_days"] == 1


def test_campaign_without_uplift_in_the_horizon_is_an_error(rng):
    s = synth(rng, "2024-01-01", 60)
    ev = pd.DataFrame({"event_id": ["launch"], "start": ["2024-03-05"]})
    with pytest.raises(InputError, match="'launch'.*give uplift"):
        fit_forecast(s, 10, events=ev)


def test_mean_model_ignores_event_days(rng):
    s = synth(rng, "2024-11-01", 20, events={"2024-11-11": 8.0}, noise=0.0)
    r = fit_forecast(s, 7, events=PROMO)
    assert r.model == M.MODEL_MEAN
    assert r.frame["forecast"].max() < 110  # the 8x day does not lift the mean
