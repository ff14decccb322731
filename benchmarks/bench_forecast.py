"""Benchmark: the forecast model on the real Tianchi series, accuracy and time per fit.

1. The full rolling-origin backtest of ``ecomanalysis.forecast`` on
   ``data/examples/tianchi_mum_baby_daily.csv`` (purchases per day, 2012-07-02 .. 2015-02-05):
   origins every 30 days from day 365, 60 days ahead.  Prints WAPE / MAPE of the model and of
   the seasonal-naive baseline, overall, on event days and on Double 11, interval coverage, and
   the seconds per fit.  Also run with ``events="none"`` to show what the calendar is worth.
2. Time per fit against a named baseline measured in the same run: the same regression fitted
   with statsmodels' defaults (``SARIMAX(..., mle_regression=True)``, L-BFGS over every
   coefficient), on a few origins, with the WAPE of both forecasts.

Usage: ``python benchmarks/bench_forecast.py [--default-fits 3] [--step 30] [--horizon 60]``
"""

from __future__ import annotations

import argparse
import os
import time
import warnings

import numpy as np
import pandas as pd

from ecomanalysis import config
from ecomanalysis.forecast import backtest, calendar_terms, event_matrix, load_events, wape
from ecomanalysis.forecast import model as M

SERIES = config.EXAMPLES_DIR / "tianchi_mum_baby_daily.csv"
GROUPS = ("all days", "non-event days", "event days", "double11", "double12", "spring_festival")


def show(title: str, result) -> None:
    m = result.metrics.set_index("group")
    print(f"\n{title}: {len(result.origins)} origins, {result.runtime_s:.1f} s "
          f"({result.runtime_s / len(result.origins):.2f} s per fit)")
    print(f"{'group':<16}{'days':>6}{'WAPE model':>12}{'baseline':>10}{'MAPE model':>12}"
          f"{'baseline':>10}{'coverage':>10}")
    for g in GROUPS:
        if g in m.index:
            r = m.loc[g]
            print(f"{g:<16}{int(r['n_days']):>6}{r['model_wape']:>12.1%}{r['baseline_wape']:>10.1%}"
                  f"{r['model_mape']:>12.1%}{r['baseline_mape']:>10.1%}{r['coverage']:>10.1%}")


def default_fit(y: pd.Series, origin: pd.Timestamp, horizon: int) -> tuple[float, np.ndarray]:
    """statsmodels defaults on the same regressors: seconds and the median forecast."""
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    n = len(y[:origin])
    days = y.index[:n].append(pd.date_range(origin + pd.Timedelta(days=1), periods=horizon))
    w = event_matrix(load_events("cn"), days)
    lead = w.iloc[M.EVENT_MIN_LEAD_DAYS:n]
    X = pd.concat([calendar_terms(days), w[[c for c in w if (lead[c] > 0).any()]]], axis=1)
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = SARIMAX(np.log1p(y.to_numpy()[:n]), exog=X.to_numpy()[:n],
                      order=M.ARIMA_ORDER).fit(disp=False)
        fc = res.get_forecast(horizon, exog=X.to_numpy()[n:])
    return time.perf_counter() - t0, np.expm1(np.asarray(fc.predicted_mean))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--default-fits", type=int, default=3)
    ap.add_argument("--step", type=int, default=30)
    ap.add_argument("--horizon", type=int, default=60)
    args = ap.parse_args()
    if not SERIES.exists():
        print(f"{SERIES} missing: run python -m ecomanalysis.intake.make_examples")
        return 1
    print(f"load average {os.getloadavg()[0]:.2f} (2-core machine, shared)")
    d = pd.read_csv(SERIES)
    full = backtest(d, value_column="purchases", horizon_days=args.horizon, step_days=args.step)
    show("model with the cn event calendar", full)
    bare = backtest(d, "none", value_column="purchases", horizon_days=args.horizon,
                    step_days=args.step)
    show("model without events (events='none')", bare)

    series = d.set_index(pd.to_datetime(d["date"]))["purchases"].astype(float).asfreq("D")
    origins = full.origins[np.linspace(0, len(full.origins) - 1, args.default_fits).astype(int)]
    ours, theirs = [], []
    print(f"\ntime per fit, {len(origins)} origins: ours (state regression, concentrated scale, "
          "Nelder-Mead) vs statsmodels defaults (mle_regression=True, L-BFGS); WAPE of the "
          f"{args.horizon}-day forecast from that origin")
    for o in origins:
        actual = series[o + pd.Timedelta(days=1):].iloc[:args.horizon]
        t0 = time.perf_counter()
        r = M.fit_forecast(series[:o], len(actual), "cn")
        ours.append(time.perf_counter() - t0)
        t_def, f_def = default_fit(series, o, len(actual))
        theirs.append(t_def)
        print(f"  origin {o:%Y-%m-%d}: ours {ours[-1]:.2f} s (WAPE "
              f"{wape(actual, r.frame['forecast']):.1%}), default {t_def:.2f} s "
              f"(WAPE {wape(actual, f_def):.1%})")
    print(f"mean: ours {np.mean(ours):.2f} s, default {np.mean(theirs):.2f} s, "
          f"ratio {np.mean(theirs) / np.mean(ours):.1f}x faster")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
