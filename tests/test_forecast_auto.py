"""ecomanalysis.forecast.auto: the automatic model (candidates chosen by the series' own
backtest, event multipliers that follow the shop, conformal intervals), on made-up series."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ecomanalysis.forecast import auto, fit_forecast
from ecomanalysis.forecast import settings as fs

WEEKLY = np.array([1.0, 1.1, 1.05, 1.0, 0.95, 0.8, 0.85])  # Monday..Sunday
PROMO = pd.DataFrame({"event_id": ["promo"], "month_day": ["09-15"], "uplift": ["2"],
                      "uplift_low": ["1.5"], "uplift_high": ["3"]})


def synth(rng, days, start="2021-01-04", level=200.0, noise=0.08, promo=None):
    idx = pd.date_range(start, periods=days, freq="D")
    mu = level * WEEKLY[idx.day_of_week]
    for day, mult in (promo or {}).items():
        if pd.Timestamp(day) in idx:
            mu[idx.get_loc(pd.Timestamp(day))] *= mult
    return pd.Series(np.round(mu * np.exp(rng.normal(0, noise, days))), index=idx)


def test_event_multiplier_follows_the_shop_and_its_trend(rng):
    # 3x, 4x, 5x in three years: next year is above the last and the default (2x)
    promo = {"2021-09-15": 3.0, "2022-09-15": 4.0, "2023-09-15": 5.0}
    s = synth(rng, 1050, promo=promo, noise=0.03)  # to 2023-11-18
    r = fit_forecast(s, 320, PROMO)
    f = r.frame.set_index("date")["forecast"]
    normal = f["2024-09-08":"2024-09-22"].drop(pd.Timestamp("2024-09-15")).mean()
    ratio = f["2024-09-15"] / normal
    # trend damped and shrunk to the default: between the default and the full trend (6.25x)
    assert 3.5 < ratio < 6.25
    eff = r.effects.set_index("component").loc["promo"]
    assert eff["basis"] == "history" and eff["history_days"] == 3
    assert 3.5 < eff["uplift"] < 6.25


def test_one_occurrence_lands_between_the_shop_and_the_default(rng):
    s = synth(rng, 400, start="2023-01-02", promo={"2023-09-15": 6.0}, noise=0.03)
    r = fit_forecast(s, 300, PROMO)
    eff = r.effects.set_index("component").loc["promo"]
    # the default counts as (occurrence sd / prior sd)^2 occurrences, the prior sd being the
    # calendar range 1.5-3x read as an 80 % interval of the log-multiplier
    prior_sd = (np.log(3.0) - np.log(1.5)) / (2 * 1.2815515655446004)
    kappa = (fs.setting("event_occurrence_sd_log") / prior_sd) ** 2
    assert 0 < kappa < 1
    expected = np.exp((np.log(6.0) + kappa * np.log(2.0)) / (1 + kappa))
    assert eff["uplift"] == pytest.approx(expected, rel=0.15)


def test_event_days_stay_out_of_the_base(rng):
    s = synth(rng, 700, promo={"2021-09-15": 20.0, "2022-09-15": 20.0})
    with_ev = fit_forecast(s, 30, PROMO).frame["forecast"].to_numpy()
    plain = s.copy()
    plain[["2021-09-15", "2022-09-15"]] = plain[["2021-09-14", "2022-09-14"]].to_numpy()
    without = fit_forecast(plain, 30, "none").frame["forecast"].to_numpy()
    np.testing.assert_allclose(with_ev, without, rtol=0.03)


def test_verdict_and_chosen_model(rng):
    s = synth(rng, 500)
    r = fit_forecast(s, 30, "none")
    v = auto.verdict(r)
    assert set(v) == set(auto.VERDICT_KEYS)
    assert r.model == "auto:" + v["winner"]
    assert v["beats_naive"] is True and v["wape"] < v["seasonal_naive_wape"]
    assert v["n_origins"] >= fs.int_setting("min_backtest_origins")
    assert any("chosen by the shop's own backtest" in m for m in r.messages)
    fit = r.details["fit"]
    assert set(fit.backtest.scores["candidate"]) >= {"weekday_median", v["winner"]}
    with pytest.raises(ValueError, match="auto"):
        auto.verdict(fit_forecast(s, 5, "none", method="sarimax"))


def test_conformal_interval_matches_the_noise(rng):
    sigma = 0.15
    s = synth(rng, 700, noise=sigma)
    r = fit_forecast(s, 60, "none", level=0.8)
    f = r.frame
    width = np.log1p(f["upper"]) - np.log1p(f["lower"])
    true_width = 2 * 1.2816 * sigma
    assert np.median(width) == pytest.approx(true_width, rel=0.3)
    conf = r.details["fit"].conformal
    assert (conf.loc[conf["group"] == "normal", "basis"] != "none").all()


def test_short_history_gets_the_default_range_labelled(rng):
    s = synth(rng, 60)
    r = fit_forecast(s, 20, PROMO)
    assert auto.verdict(r)["beats_naive"] is None
    assert any("too short for the shop's own backtest" in m and "not calibrated" in m
               for m in r.messages)
    f = r.frame
    assert (f["lower"] <= f["forecast"]).all() and (f["forecast"] <= f["upper"]).all()


def test_count_candidate_for_small_shops():
    assert "count" in auto.candidate_names(400, 5.0)
    assert "count" not in auto.candidate_names(400, 50.0)
    assert not any(c.startswith("ets_yearly") for c in auto.candidate_names(200, 50.0))


def test_small_counts_forecast(rng):
    idx = pd.date_range("2023-01-02", periods=400)
    s = pd.Series(rng.poisson(3 * WEEKLY[idx.day_of_week]).astype(float), index=idx)
    r = fit_forecast(s, 30, "none")
    f = r.frame
    assert 1.5 < f["forecast"].mean() < 4.5
    assert (f["lower"] >= 0).all()


def test_a_fast_growing_shop_is_not_left_to_the_level_model(rng):
    idx = pd.date_range("2023-01-02", periods=300)
    s = pd.Series(np.round(20 * np.exp(0.01 * np.arange(300))
                           * np.exp(rng.normal(0, 0.05, 300))), index=idx)
    r = fit_forecast(s, 30, "none")
    scores = r.details["fit"].backtest.scores.set_index("candidate")["wape"]
    alpha = fs.list_setting("level_alpha_grid")[0]
    # on strong growth the damped trend beats the level with the same weight by a margin
    assert scores[f"ets_trend_a{alpha:g}"] < scores[f"ets_weekly_a{alpha:g}"] * (
        1 - fs.setting("selection_margin"))
    assert not r.model.endswith(f"ets_weekly_a{alpha:g}")  # the default lost


def test_export_gaps_do_not_bend_the_weekday_pattern(rng):
    s = synth(rng, 200, level=5000.0)
    s[s.index.day_of_week >= 5] = 0.0  # closed at weekends (a call centre, a B2B shop)
    fridays = s.index[s.index.day_of_week == 4]
    s[fridays[[3, 10]]] = 0.0  # two days missing from the export, filled with 0
    r = fit_forecast(s, 14, "none", candidates=["ets_weekly_a0.1"])  # the log-scale model
    f = r.frame.set_index("date")["forecast"]
    fri = f[f.index.day_of_week == 4]
    expected = 5000 * WEEKLY[4]
    assert (np.abs(fri / expected - 1) < 0.15).all()


def test_exponential_smoothing_equals_the_first_order_filter_bit_for_bit():
    from scipy.signal import lfilter

    from ecomanalysis.forecast.auto import _smooth

    rng = np.random.default_rng(1)
    x = rng.lognormal(3.0, 1.0, 800)
    for alpha in (0.05, 0.2, 0.5, 0.9):
        ref, _ = lfilter([alpha], [1.0, alpha - 1.0], x, zi=[(1.0 - alpha) * x[:7].mean()])
        assert np.array_equal(_smooth(alpha, x, x[:7].mean()), ref)
