"""Rolling-origin backtest: the model against the seasonal-naive baseline.

From each origin (the last day of a training window that grows by ``step_days``) the model and
the baseline forecast the next ``horizon_days``; the errors are pooled over every origin and
reported for all days, days without events, event days (core days of any event), pre-sale
days and each event separately (``double11``...):

``WAPE = sum |actual - forecast| / sum actual``
``MAPE = mean(|actual - forecast| / actual)`` over days with ``actual > 0``

``coverage`` is the share of actual values inside the model's prediction interval.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ecomanalysis.errors import InputError
from ecomanalysis.forecast import events as ev
from ecomanalysis.forecast.model import (
    DEFAULT_LEVEL,
    YEARLY_MIN_DAYS,
    fit_forecast,
    prepare_series,
)

DEFAULT_BT_HORIZON_DAYS = 60
DEFAULT_STEP_DAYS = 30
FORECAST_COLUMNS = ["origin", "date", "lead_days", "actual", "forecast", "lower", "upper",
                    "baseline", "event", "model"]
METRIC_COLUMNS = ["group", "n_days", "model_wape", "baseline_wape", "model_mape",
                  "baseline_mape", "coverage"]
GROUP_ALL, GROUP_QUIET, GROUP_EVENTS, GROUP_PRESALE = (
    "all days", "non-event days", "event days", "pre-sale days")


@dataclass
class BacktestResult:
    """Pooled forecasts and error table of a rolling-origin backtest.

    Attributes
    ----------
    forecasts
        One row per (origin, forecast day): :data:`FORECAST_COLUMNS`.
    metrics
        :data:`METRIC_COLUMNS`, one row per group (all days, non-event days, event days,
        pre-sale days, then one row per event id seen).
    origins
        The origins (last training day of each fit).
    runtime_s
        Wall-clock seconds for all fits.
    messages
        Messages of the fits (fallbacks...), each once.
    """

    forecasts: pd.DataFrame
    metrics: pd.DataFrame
    origins: pd.DatetimeIndex
    runtime_s: float
    messages: list[str]

    def row(self, group: str) -> pd.Series:
        """The metrics row of one group (e.g. ``"all days"`` or ``"double11"``)."""
        m = self.metrics.set_index("group")
        if group not in m.index:
            raise KeyError(f"no backtest days in group {group!r}; groups: {list(m.index)}")
        return m.loc[group]


def wape(actual, forecast) -> float:
    """Weighted absolute percentage error: ``sum |a - f| / sum a`` (NaN if ``sum a`` is 0)."""
    a, f = np.asarray(actual, float), np.asarray(forecast, float)
    total = a.sum()
    return float(np.abs(a - f).sum() / total) if total > 0 else float("nan")


def mape(actual, forecast) -> float:
    """Mean absolute percentage error over days with ``actual > 0`` (NaN if there are none)."""
    a, f = np.asarray(actual, float), np.asarray(forecast, float)
    pos = a > 0
    return float(np.mean(np.abs(a[pos] - f[pos]) / a[pos])) if pos.any() else float("nan")


def default_origins(index: pd.DatetimeIndex, min_train_days: int, step_days: int
                    ) -> pd.DatetimeIndex:
    """Origins every ``step_days`` from the ``min_train_days``-th day to the day before the end."""
    if len(index) <= min_train_days:
        return pd.DatetimeIndex([])
    return pd.date_range(index[min_train_days - 1], index[-2], freq=f"{step_days}D")


def error_table(forecasts: pd.DataFrame) -> pd.DataFrame:
    """WAPE, MAPE and interval coverage of model and baseline, per group of days.

    Parameters
    ----------
    forecasts
        Rows with ``actual, forecast, lower, upper, baseline, event`` (see
        :data:`FORECAST_COLUMNS`).

    Returns
    -------
    pandas.DataFrame
        :data:`METRIC_COLUMNS`; groups without days are left out.
    """
    labels = forecasts["event"].fillna("").astype(str)
    tokens = labels.str.split(ev.LABEL_SEP)
    exploded = tokens.explode()
    exploded = exploded[exploded != ""]
    is_pre = exploded.str.endswith(ev.PRESALE_SUFFIX)
    core_rows = exploded[~is_pre]
    has_core = pd.Series(False, index=forecasts.index)
    has_core[core_rows.index.unique()] = True
    has_pre = pd.Series(False, index=forecasts.index)
    has_pre[exploded[is_pre].index.unique()] = True
    groups = {
        GROUP_ALL: pd.Series(True, index=forecasts.index),
        GROUP_QUIET: labels.eq(""),
        GROUP_EVENTS: has_core,
        GROUP_PRESALE: has_pre,
    }
    for event_id in pd.unique(core_rows):
        groups[event_id] = pd.Series(False, index=forecasts.index)
        groups[event_id][core_rows.index[core_rows == event_id].unique()] = True
    rows = []
    for group, mask in groups.items():
        f = forecasts[mask.to_numpy()]
        if not len(f):
            continue
        a = f["actual"]
        rows.append({
            "group": group,
            "n_days": len(f),
            "model_wape": wape(a, f["forecast"]),
            "baseline_wape": wape(a, f["baseline"]),
            "model_mape": mape(a, f["forecast"]),
            "baseline_mape": mape(a, f["baseline"]),
            "coverage": float(((a >= f["lower"]) & (a <= f["upper"])).mean()),
        })
    return pd.DataFrame(rows, columns=METRIC_COLUMNS)


def backtest(
    series,
    events: object = "cn",
    *,
    horizon_days: int = DEFAULT_BT_HORIZON_DAYS,
    step_days: int = DEFAULT_STEP_DAYS,
    min_train_days: int = YEARLY_MIN_DAYS,
    origins=None,
    level: float = DEFAULT_LEVEL,
    name: str = "series",
    progress=None,
    **model_kwargs,
) -> BacktestResult:
    """Rolling-origin backtest of :func:`~ecomanalysis.forecast.model.fit_forecast`.

    Parameters
    ----------
    series
        Daily history (Series indexed by date or DataFrame ``date, value``).
    events
        Event calendar for the model and for grouping the days (see ``load_events``).
    horizon_days
        Days forecast from each origin.
    step_days
        Days between origins.
    min_train_days
        Length of the first training window.
    origins
        Explicit origins (last training days); overrides ``step_days`` / ``min_train_days``.
    level
        Coverage of the prediction interval.
    name
        Name used in messages.
    progress
        Optional ``progress(done, total)`` called after each origin (e.g. a progress bar).
    **model_kwargs
        Passed to ``fit_forecast`` (``fill_gaps``, ``fourier_order``...).

    Returns
    -------
    BacktestResult

    Raises
    ------
    InputError
        A bad series, origins outside the series or no origin at all.
    """
    fill = {k: model_kwargs.pop(k) for k in ("fill_gaps", "duplicates", "value_column")
            if k in model_kwargs}
    y, messages = prepare_series(series, name=name, **fill)
    for label, v in (("horizon_days", horizon_days), ("step_days", step_days),
                     ("min_train_days", min_train_days)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1:
            raise InputError(f"{label} {v!r}: expected a whole number of days >= 1")
    if origins is None:
        origins = default_origins(y.index, min_train_days, step_days)
    else:
        origins = pd.DatetimeIndex(origins).normalize()
        outside = origins[(origins < y.index[0]) | (origins >= y.index[-1])]
        if len(outside):
            raise InputError(f"origins {', '.join(f'{d:%Y-%m-%d}' for d in outside)}: outside "
                             f"the series; expected days from {y.index[0]:%Y-%m-%d} to "
                             f"{y.index[-2]:%Y-%m-%d}")
    if not len(origins):
        raise InputError(f"{name}: {len(y)} days is too short for a backtest with a "
                         f"{min_train_days}-day first training window; expected more days or "
                         "a smaller min_train_days")
    table = ev.load_events(events)
    t0 = time.perf_counter()
    parts = []
    for done, origin in enumerate(origins, start=1):
        train = y[:origin]
        actual = y[origin + pd.Timedelta(days=1):].iloc[:horizon_days]
        res = fit_forecast(train, len(actual), table, level=level, name=name, **model_kwargs)
        for m in res.messages:
            if m not in messages:
                messages.append(m)
        f = res.frame
        parts.append(pd.DataFrame({
            "origin": origin,
            "date": f["date"].to_numpy(),
            "lead_days": np.arange(1, len(f) + 1),
            "actual": actual.to_numpy(),
            "forecast": f["forecast"].to_numpy(),
            "lower": f["lower"].to_numpy(),
            "upper": f["upper"].to_numpy(),
            "baseline": res.baseline["forecast"].to_numpy(),
            "event": f["event"].to_numpy(),
            "model": res.model,
        }))
        if progress is not None:
            progress(done, len(origins))
    runtime = time.perf_counter() - t0
    forecasts = pd.concat(parts, ignore_index=True)[FORECAST_COLUMNS]
    return BacktestResult(forecasts=forecasts, metrics=error_table(forecasts),
                          origins=pd.DatetimeIndex(origins), runtime_s=runtime,
                          messages=messages)
