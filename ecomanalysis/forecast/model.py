"""Daily volume forecast with weekly and yearly seasonality and an event calendar.

:func:`fit_forecast` has two methods.  ``method="auto"`` (the default) is the automatic model of
:mod:`ecomanalysis.forecast.auto`: candidates chosen by the shop's own backtest, event days out of
the base fit, event multipliers measured against the level before each event with a damped
yearly trend shrunk to the calendar default, conformal intervals.  ``method="sarimax"`` is the
single state-space model described below (the model before issue 13; slower, wider intervals on
normal days, narrow ones on event days).

The ``sarimax`` model (chosen by a rolling-origin backtest on the real Tianchi series, see
:mod:`ecomanalysis.forecast.backtest`) works on ``log1p(volume)``:

``log1p(y_t) = x_t' beta + u_t``,  ``u_t ~ ARIMA(1, 1, 1)``

with regressors ``x_t``: six weekday dummies, ``FOURIER_ORDER`` pairs of yearly Fourier terms,
and one column per event component the history holds (:mod:`ecomanalysis.forecast.events`).
It is a :class:`statsmodels.tsa.statespace.sarimax.SARIMAX` with the coefficients in the state
vector (``mle_regression=False``): the Kalman filter estimates them, so the prediction
intervals include their uncertainty, which matters for an event seen once or twice (Double 11).
The differenced error follows the shop's level as it grows; only the two ARMA parameters are
fitted by maximum likelihood (scale concentrated out, Nelder-Mead: deterministic and fast).

Events the history does not hold get the events table's default multiplier ``uplift ** weight``
and its range: the lower bound is multiplied by ``uplift_low``, the upper by ``uplift_high``.

Shorter histories fall back, and the result says so in ``messages``:

- fewer than :data:`YEARLY_MIN_DAYS` days: no yearly terms (weekdays + events + ARIMA);
- fewer than :data:`WEEKLY_MIN_DAYS` days: mean of the non-event days on the log scale, events
  from the defaults, interval from the day-to-day spread.

The point forecast is the median (``expm1`` of the log-scale mean); ``lower`` / ``upper`` bound
the central ``level`` prediction interval.  :func:`seasonal_naive` (same weekday last week) is
the baseline every forecast is compared with.
"""

from __future__ import annotations

import re
import time
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import special

from ecomanalysis.errors import InputError
from ecomanalysis.forecast import events as ev
from ecomanalysis.forecast.design import FOURIER_ORDER, WEEK_DAYS, calendar_terms

#: Days of history from which yearly seasonality is fitted.
YEARLY_MIN_DAYS = 365
#: Days of history from which the ARIMA model (with weekdays) is fitted; below: mean + events.
WEEKLY_MIN_DAYS = 28
#: Fewest days accepted at all.
MIN_HISTORY_DAYS = 2
ARIMA_ORDER = (1, 1, 1)
#: Days of history before an event's first day needed to estimate its uplift from the history.
EVENT_MIN_LEAD_DAYS = 14
#: Central coverage of the prediction interval (lower = 10th, upper = 90th percentile).
DEFAULT_LEVEL = 0.8
DEFAULT_HORIZON_DAYS = 90
#: Longest horizon accepted (days).
MAX_HORIZON_DAYS = 3 * 366
#: Nelder-Mead iterations for the two ARMA parameters.
OPTIMIZER_MAXITER = 400
#: How many example dates a message lists.
MESSAGE_EXAMPLES = 5

MODEL_YEARLY = "sarimax_yearly"
MODEL_WEEKLY = "sarimax_weekly"
MODEL_MEAN = "mean_events"
MODEL_DESCRIPTIONS = {
    MODEL_YEARLY: "log1p volume: ARIMA(1,1,1) errors, weekday + yearly Fourier + event regressors",
    MODEL_WEEKLY: "log1p volume: ARIMA(1,1,1) errors, weekday + event regressors (no yearly)",
    MODEL_MEAN: "log1p volume: mean of the non-event days + default event multipliers",
}
METHOD_AUTO = "auto"
METHOD_SARIMAX = "sarimax"
METHODS = (METHOD_AUTO, METHOD_SARIMAX)
FRAME_COLUMNS = ["date", "forecast", "lower", "upper", "event"]
EFFECT_COLUMNS = ["component", "event_id", "kind", "name_zh", "name_en", "basis", "uplift",
                  "uplift_low", "uplift_high", "history_days", "horizon_days", "source"]
_DATE8 = re.compile(r"^\d{8}$")


@dataclass
class ForecastResult:
    """A forecast and how it was made.

    Attributes
    ----------
    frame
        ``date, forecast, lower, upper, event``: one row per future day.
    model
        :data:`MODEL_YEARLY`, :data:`MODEL_WEEKLY` or :data:`MODEL_MEAN`.
    messages
        Everything the user should know: fallbacks, filled gaps, summed duplicates, events
        forecast from defaults, calendar gaps.
    effects
        One row per event component (:data:`EFFECT_COLUMNS`): ``basis`` is ``history``
        (uplift estimated from the shop's history, range = the prediction level), ``default``
        (from the events table) or ``unused``.
    baseline
        The seasonal-naive forecast (``date, forecast``) over the same days.
    history
        The cleaned daily series the model was fitted on.
    level
        Coverage of ``lower`` .. ``upper``.
    fit_s
        Wall-clock time of the fit and forecast, seconds.
    """

    frame: pd.DataFrame
    model: str
    messages: list[str]
    effects: pd.DataFrame
    baseline: pd.DataFrame
    history: pd.Series
    level: float
    fit_s: float = 0.0
    details: dict = field(default_factory=dict)


# --------------------------------------------------------------------------- input
def _examples(dates) -> str:
    dates = pd.DatetimeIndex(dates)
    head = ", ".join(f"{d:%Y-%m-%d}" for d in dates[:MESSAGE_EXAMPLES])
    return head + (f" ... ({len(dates)} in all)" if len(dates) > MESSAGE_EXAMPLES else "")


def _show(value) -> str:
    """A cell value as the user wrote it: quoted text, plain numbers."""
    return repr(value) if isinstance(value, str) else str(value)


def _fail(problems: list[str]) -> InputError:
    return InputError("\n".join(problems), problems)


def _parse_dates(values: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(values):
        out = values
    else:
        text = values.astype(str).str.strip()
        if len(text) and text.str.match(_DATE8).all():
            out = pd.to_datetime(text, format="%Y%m%d", errors="coerce")
        else:
            out = pd.to_datetime(text.str.replace("/", "-", regex=False), format="ISO8601",
                                 errors="coerce")
    if getattr(out.dt, "tz", None) is not None:
        out = out.dt.tz_localize(None)
    return out


def prepare_series(
    data,
    *,
    value_column: str | None = None,
    fill_gaps: str = "zero",
    duplicates: str = "sum",
    name: str = "series",
) -> tuple[pd.Series, list[str]]:
    """Validate a daily series: parse dates, sum or refuse duplicates, fill or refuse gaps.

    Parameters
    ----------
    data
        A :class:`pandas.Series` indexed by date, or a DataFrame with a ``date`` column (or a
        date index) and a value column.
    value_column
        The value column of a DataFrame; default ``value``, or the only other column.
    fill_gaps
        ``zero``: missing days (and empty values) become 0 and a message lists them;
        ``error``: they raise :class:`InputError`.
    duplicates
        ``sum``: rows of the same date are added up and a message lists them; ``error``: they
        raise :class:`InputError`.
    name
        File or variable name used in messages.

    Returns
    -------
    series : pandas.Series
        Float values on a gap-free daily :class:`pandas.DatetimeIndex` named ``date``.
    messages : list of str
        What was filled or summed.

    Raises
    ------
    InputError
        Unparseable dates, dates with a time of day, non-numeric, negative or infinite values,
        fewer than :data:`MIN_HISTORY_DAYS` days, or gaps / duplicates with ``error``.
    """
    if fill_gaps not in ("zero", "error"):
        raise InputError(f"fill_gaps {fill_gaps!r}: expected 'zero' or 'error'")
    if duplicates not in ("sum", "error"):
        raise InputError(f"duplicates {duplicates!r}: expected 'sum' or 'error'")
    df, value_column = _date_value_frame(data, value_column, name)
    rows = np.arange(len(df)) + 2
    dates = _checked_dates(df["date"], rows, name)
    values, empty = _checked_values(df[value_column], value_column, rows, name)
    messages: list[str] = []
    s = pd.Series(values.to_numpy(float), index=pd.DatetimeIndex(dates.to_numpy()))
    if empty.any():
        if fill_gaps == "error":
            raise _fail([
                f"{name} row {r}: column '{value_column}' is empty; expected a number >= 0"
                for r in rows[empty][:MESSAGE_EXAMPLES * 2]])
        messages.append(f"{name}: {int(empty.sum())} empty value(s) taken as 0 on "
                        f"{_examples(s.index[empty])}")
        s = s.fillna(0.0)
    s = _one_row_per_day(s, fill_gaps, duplicates, name, messages)
    s.index = pd.DatetimeIndex(s.index, freq="D", name="date")
    return s.rename("value").astype(float), messages


def _date_value_frame(data, value_column, name) -> tuple[pd.DataFrame, str]:
    """``data`` (Series or DataFrame) as a frame with a ``date`` column, and its value column.

    Raises :class:`InputError` for another type, no date column or an unknown / ambiguous
    value column (see :func:`prepare_series`).
    """
    if isinstance(data, pd.Series):
        return pd.DataFrame({"date": data.index, "value": data.to_numpy()}), "value"
    if not isinstance(data, pd.DataFrame):
        raise InputError(f"{name}: expected a pandas Series or DataFrame, got "
                         f"{type(data).__name__}")
    df = data.copy()
    df.columns = [str(c).strip() for c in df.columns]
    if "date" not in df.columns:
        if isinstance(df.index, pd.DatetimeIndex):
            df = df.reset_index(names="date")
        else:
            raise InputError(f"{name}: no 'date' column; columns: {', '.join(df.columns)}; "
                             "expected columns date, value")
    others = [c for c in df.columns if c != "date"]
    if value_column is None:
        value_column = "value" if "value" in others else (others[0] if len(others) == 1
                                                          else None)
    if value_column not in others:
        raise InputError(
            f"{name}: value column {value_column!r} not found; columns: "
            f"{', '.join(df.columns)}; expected 'value' or name the column"
            if value_column else
            f"{name}: several columns besides 'date' ({', '.join(others)}) and none is "
            "'value'; name the value column")
    return df, value_column


def _checked_dates(column: pd.Series, rows: np.ndarray, name: str) -> pd.Series:
    """The ``date`` column parsed; InputError on unparseable dates, dates outside the accepted
    window or dates with a time of day (``rows``: the file's row numbers)."""
    from ecomanalysis.bounds import date_problems

    dates = _parse_dates(column)
    bad = dates.isna().to_numpy()
    if bad.any():
        raise _fail([
            f"{name} row {r}: column 'date' has {_show(column.iloc[r - 2])}; expected a date "
            "such as 2024-11-11" for r in rows[bad][:MESSAGE_EXAMPLES * 2]])
    if outside := date_problems(dates, name, "date", rows=rows):
        raise _fail(outside)
    timed = (dates != dates.dt.normalize()).to_numpy()
    if timed.any():
        raise _fail([
            f"{name} row {r}: column 'date' has {_show(column.iloc[r - 2])}; expected one row "
            "per day without a time (for an order export, pass the export file itself)"
            for r in rows[timed][:MESSAGE_EXAMPLES * 2]])
    return dates


def _checked_values(raw: pd.Series, value_column: str, rows: np.ndarray, name: str):
    """The value column as numbers (NaN where empty) and the mask of empty cells; InputError on
    a value that is not a finite number >= 0."""
    text = raw.astype(str).str.strip()
    empty = (raw.isna() | text.eq("")).to_numpy()
    values = pd.to_numeric(raw.where(~empty), errors="coerce")
    bad = (~empty & (values.isna() | ~np.isfinite(values.fillna(0)) | (values < 0))).to_numpy()
    if bad.any():
        raise _fail([
            f"{name} row {r}: column '{value_column}' has {_show(raw.iloc[r - 2])}; expected a "
            "number >= 0" for r in rows[bad][:MESSAGE_EXAMPLES * 2]])
    return values, empty


def _one_row_per_day(s: pd.Series, fill_gaps: str, duplicates: str, name: str,
                     messages: list[str]) -> pd.Series:
    """Sum or refuse duplicate dates, check the history's length, fill or refuse missing days
    (what was done appended to ``messages``)."""
    dup = s.index.duplicated(keep=False)
    if dup.any():
        days = s.index[dup].unique().sort_values()
        if duplicates == "error":
            raise InputError(f"{name}: {len(days)} date(s) appear more than once: "
                             f"{_examples(days)}; expected one row per day")
        messages.append(f"{name}: {len(days)} date(s) appeared more than once and were summed "
                        f"({int(dup.sum())} rows): {_examples(days)}")
    s = s.groupby(level=0).sum().sort_index()
    if len(s) < MIN_HISTORY_DAYS:
        raise InputError(f"{name}: {len(s)} day(s) of history; a forecast needs at least "
                         f"{MIN_HISTORY_DAYS}")
    full = pd.date_range(s.index[0], s.index[-1], freq="D")
    missing = full.difference(s.index)
    if len(missing):
        if fill_gaps == "error":
            raise InputError(f"{name}: {len(missing)} missing day(s): {_examples(missing)}; "
                             "expected one row per day")
        messages.append(f"{name}: {len(missing)} missing day(s) filled with 0: "
                        f"{_examples(missing)}")
        s = s.reindex(full, fill_value=0.0)
    return s


# --------------------------------------------------------------------------- baseline
def seasonal_naive(series: pd.Series, horizon_days: int, season_days: int = WEEK_DAYS
                   ) -> pd.DataFrame:
    """Seasonal-naive forecast: each future day repeats the same weekday of the last week.

    Parameters
    ----------
    series
        Daily history on a gap-free index (see :func:`prepare_series`).
    horizon_days
        Days to forecast after the last history day.
    season_days
        Season length; with a shorter history the last value is repeated.

    Returns
    -------
    pandas.DataFrame
        ``date, forecast``.
    """
    y = np.asarray(series, float)
    period = season_days if len(y) >= season_days else 1
    dates = pd.date_range(series.index[-1] + pd.Timedelta(days=1), periods=horizon_days,
                          freq="D")
    return pd.DataFrame({"date": dates, "forecast": np.resize(y[-period:], horizon_days)})


# --------------------------------------------------------------------------- model
def _check_params(horizon_days, level):
    if isinstance(horizon_days, bool) or not isinstance(horizon_days, (int, np.integer)) or not (
        1 <= horizon_days <= MAX_HORIZON_DAYS
    ):
        raise InputError(f"horizon_days {horizon_days!r}: expected a whole number of days "
                         f"1..{MAX_HORIZON_DAYS}")
    if not (isinstance(level, (int, float)) and 0 < level < 1):
        raise InputError(f"level {level!r}: expected a coverage between 0 and 1, e.g. 0.8")


def fit_forecast(
    series,
    horizon_days: int = DEFAULT_HORIZON_DAYS,
    events: object = "cn",
    *,
    level: float = DEFAULT_LEVEL,
    fill_gaps: str = "zero",
    duplicates: str = "sum",
    value_column: str | None = None,
    name: str = "series",
    yearly_min_days: int = YEARLY_MIN_DAYS,
    weekly_min_days: int = WEEKLY_MIN_DAYS,
    fourier_order: int = FOURIER_ORDER,
    method: str = "auto",
    candidates=None,
) -> ForecastResult:
    """Forecast a daily volume with weekly and yearly seasonality and events.

    Parameters
    ----------
    series
        Daily history: a Series indexed by date or a DataFrame ``date, value`` (see
        :func:`prepare_series`).
    horizon_days
        Days to forecast after the last history day.
    events
        Event calendar: ``"cn"`` (default Chinese calendar), ``"none"``, a CSV path, a
        DataFrame or a list of these (see :func:`ecomanalysis.forecast.events.load_events`).
    level
        Coverage of the prediction interval ``lower`` .. ``upper`` (0.8: 10th to 90th
        percentile).
    fill_gaps, duplicates, value_column, name
        Passed to :func:`prepare_series`.
    yearly_min_days, weekly_min_days
        History needed for yearly seasonality and for the ARIMA model (see the module
        docstring); shorter histories fall back with a message.
    fourier_order
        Pairs of yearly Fourier terms (``sarimax`` only).
    method
        ``auto`` (default): candidates chosen by the shop's own backtest, event multipliers
        that follow the shop, conformal intervals (:mod:`ecomanalysis.forecast.auto`);
        ``sarimax``: the single state-space model with event regressors described above.
    candidates
        ``auto`` only: the candidate names to try (default: all that fit the history).

    Returns
    -------
    ForecastResult
        The forecast frame, the model used, messages, the event effects and the baseline.

    Raises
    ------
    InputError
        Bad series or events (see :func:`prepare_series`, ``load_events``), a bad horizon or
        level, or an event in the horizon that neither the history nor the table can size.
    """
    t0 = time.perf_counter()
    _check_params(horizon_days, level)
    if method not in METHODS:
        raise InputError(f"method {method!r}: expected one of {', '.join(METHODS)}")
    y, messages = prepare_series(series, value_column=value_column, fill_gaps=fill_gaps,
                                 duplicates=duplicates, name=name)
    table = ev.load_events(events)
    if method == METHOD_AUTO:
        return _fit_auto(y, table, horizon_days, level, name, messages, candidates, t0)
    comps = ev.components(table)
    n = len(y)
    future = pd.date_range(y.index[-1] + pd.Timedelta(days=1), periods=horizon_days, freq="D")
    weights = ev.event_matrix(table, y.index.append(future))
    messages += weights.attrs.get("messages", [])
    w_hist, w_fut = weights.iloc[:n], weights.iloc[n:]
    model, k_fourier = _model_tier(n, name, yearly_min_days, weekly_min_days, fourier_order,
                                   messages)
    z = float(special.ndtri(0.5 + level / 2))
    mu, sd, hist_effects, details = _fit_log_scale(model, y, weights, future, k_fourier, z,
                                                   name, messages)
    forecast = np.expm1(mu)
    lower = np.expm1(mu - z * sd)
    upper = np.expm1(mu + z * sd)
    effects, mult = _event_effects(comps, w_hist, w_fut, future, hist_effects, messages)
    forecast, lower, upper = forecast * mult[0], lower * mult[1], upper * mult[2]

    frame = pd.DataFrame({
        "date": future,
        "forecast": np.clip(forecast, 0, None),
        "lower": np.clip(lower, 0, None),
        "upper": np.clip(upper, 0, None),
        "event": ev.event_labels(w_fut).to_numpy(),
    })
    frame["lower"] = np.minimum(frame["lower"], frame["forecast"])
    frame["upper"] = np.maximum(frame["upper"], frame["forecast"])
    frame.attrs.update(model=model, messages=list(messages), level=level)
    return ForecastResult(
        frame=frame,
        model=model,
        messages=messages,
        effects=pd.DataFrame(effects, columns=EFFECT_COLUMNS),
        baseline=seasonal_naive(y, horizon_days),
        history=y,
        level=level,
        fit_s=time.perf_counter() - t0,
        details=details,
    )


def _model_tier(n, name, yearly_min_days, weekly_min_days, fourier_order, messages):
    """The ``sarimax`` tier a history of ``n`` days allows, and its Fourier pairs.

    Appends to ``messages`` why a shorter history falls back (see the module docstring).
    Returns ``(model, k_fourier)``: :data:`MODEL_YEARLY`, :data:`MODEL_WEEKLY` or
    :data:`MODEL_MEAN`.
    """
    if n >= yearly_min_days:
        return MODEL_YEARLY, fourier_order
    if n >= weekly_min_days:
        messages.append(f"{name}: {n} days of history, fewer than the {yearly_min_days} needed "
                        "for yearly seasonality; fallback model without yearly seasonality "
                        "(weekdays + events + ARIMA)")
        return MODEL_WEEKLY, 0
    messages.append(f"{name}: {n} days of history, fewer than the {weekly_min_days} needed "
                    "for weekly seasonality; fallback model: mean of the non-event days + "
                    "default event multipliers")
    return MODEL_MEAN, 0


def _fit_log_scale(model, y, weights, future, k_fourier, z, name, messages):
    """The ``sarimax`` tier's forecast on the ``log1p`` scale, before the default multipliers.

    ``weights`` are the event weights of the history and the horizon (``future``).  Returns
    ``(mu, sd, hist_effects, details)``: mean and standard deviation per future day, the
    uplifts estimated from the history (events with :data:`EVENT_MIN_LEAD_DAYS` of history
    before them) and the fit's details; appends to ``messages`` if the optimiser did not
    converge.
    """
    n = len(y)
    w_hist = weights.iloc[:n]
    lead = w_hist.iloc[EVENT_MIN_LEAD_DAYS:]
    estimated = [c for c in w_hist.columns
                 if model != MODEL_MEAN and (lead[c] > 0).any()]
    log_y = np.log1p(y.to_numpy())
    details: dict = {}
    horizon_days = len(future)
    if model == MODEL_MEAN:
        quiet = (w_hist.to_numpy() == 0).all(axis=1) if w_hist.shape[1] else np.ones(n, bool)
        sample = log_y[quiet] if quiet.sum() >= MIN_HISTORY_DAYS else log_y
        mu = np.full(horizon_days, sample.mean())
        sd = np.full(horizon_days, sample.std(ddof=1) * np.sqrt(1 + 1 / len(sample)))
        return mu, sd, {}, details
    cal = calendar_terms(y.index.append(future), k_fourier)
    X = pd.concat([cal, weights[estimated]], axis=1)
    mu, sd, hist_effects, details = _fit_sarimax(log_y, X.iloc[:n], X.iloc[n:], estimated, z)
    if not details.get("converged", True):
        messages.append(f"{name}: the optimiser did not report convergence; the forecast "
                        "may be less reliable")
    return mu, sd, hist_effects, details


def _event_effects(comps, w_hist, w_fut, future, hist_effects, messages):
    """One row of the effects table per event component, and the default multipliers.

    Events estimated from the history keep their fitted uplift; events in the horizon that
    the history does not hold get the events table's default ``uplift ** weight`` (and
    ``uplift_low`` / ``uplift_high`` for the bounds), with a message; an event with no
    default raises :class:`InputError`.  Returns ``(effects, mult)``: the rows and a
    ``(3, horizon)`` array of multipliers for forecast, lower and upper.
    """
    effects = []
    mult = np.ones((3, len(future)))
    for _, c in comps.iterrows():
        name_c = c["component"]
        hist_days = int((w_hist[name_c] > 0).sum())
        fut_w = w_fut[name_c].to_numpy()
        row = {k: c[k] for k in ("component", "event_id", "kind", "name_zh", "name_en",
                                 "source")}
        row.update(history_days=hist_days, horizon_days=int((fut_w > 0).sum()))
        if name_c in hist_effects:
            row.update(basis="history", **hist_effects[name_c])
            row["source"] = f"estimated from the history ({hist_days} day(s))"
        elif (fut_w > 0).any():
            if np.isnan(c["uplift"]):
                raise InputError(
                    f"event {name_c!r} falls in the forecast ({_examples(future[fut_w > 0])}) "
                    "but the history does not hold it and the events table gives no "
                    f"uplift; give {'presale_uplift' if c['kind'] == 'presale' else 'uplift'}"
                    f" ({ev.UPLIFT_UNIT})")
            row.update(basis="default", uplift=c["uplift"], uplift_low=c["uplift_low"],
                       uplift_high=c["uplift_high"])
            trio = np.array([c["uplift"], c["uplift_low"], c["uplift_high"]])
            mult *= trio[:, None] ** fut_w[None, :]
            messages.append(
                f"{name_c}: not in the history; default uplift {c['uplift']:g}x "
                f"({c['uplift_low']:g}-{c['uplift_high']:g}) from the events table on "
                f"{_examples(future[fut_w > 0])}")
        else:
            row.update(basis="unused", uplift=np.nan, uplift_low=np.nan, uplift_high=np.nan)
        effects.append(row)
    return effects, mult


def _fit_auto(y, table, horizon_days, level, name, messages, candidates, t0) -> ForecastResult:
    """The automatic model (:mod:`ecomanalysis.forecast.auto`) as a :class:`ForecastResult`."""
    from ecomanalysis.forecast import auto

    fit = auto.fit_auto(y, table, horizon_days, level, name, candidates)
    messages = messages + fit.messages
    comps = ev.components(table)
    future = pd.date_range(y.index[-1] + pd.Timedelta(days=1), periods=horizon_days, freq="D")
    weights = ev.event_matrix(table, future)
    messages += weights.attrs.get("messages", [])
    effects = []
    for (_, c), (n_occ, est, basis) in zip(comps.iterrows(), fit.effects, strict=True):
        row = {k: c[k] for k in ("component", "event_id", "kind", "name_zh", "name_en",
                                 "source")}
        fut_w = weights[c["component"]].to_numpy()
        row.update(history_days=int(n_occ), horizon_days=int((fut_w > 0).sum()), basis=basis)
        if basis == "history" and np.isfinite(est):
            row.update(uplift=float(np.exp(est)), uplift_low=np.nan, uplift_high=np.nan)
            row["source"] = (f"estimated from {n_occ} occurrence(s) in the history (trend "
                             "across years, shrunk toward the calendar default)")
        elif basis == "default":
            row.update(uplift=c["uplift"], uplift_low=c["uplift_low"],
                       uplift_high=c["uplift_high"])
            messages.append(f"{c['component']}: not in the history; default uplift "
                            f"{c['uplift']:g}x ({c['uplift_low']:g}-{c['uplift_high']:g}) from "
                            f"the events table on {_examples(future[fut_w > 0])}")
        else:
            if basis == "none":
                messages.append(f"{c['component']}: not in the history and no default uplift "
                                "in the events table; forecast without its effect")
            row.update(uplift=np.nan, uplift_low=np.nan, uplift_high=np.nan)
        effects.append(row)
    forecast = np.clip(np.expm1(fit.log_forecast), 0, None)
    frame = pd.DataFrame({
        "date": future,
        "forecast": forecast,
        "lower": np.minimum(np.clip(np.expm1(fit.log_lower), 0, None), forecast),
        "upper": np.maximum(np.clip(np.expm1(fit.log_upper), 0, None), forecast),
        "event": ev.event_labels(weights).to_numpy(),
    })
    model = f"{METHOD_AUTO}:{fit.winner}"
    v = fit.verdict
    if v["beats_naive"] is not None:
        messages.append(
            f"{name}: model {fit.winner} chosen by the shop's own backtest "
            f"({v['n_origins']} origins): WAPE {v['wape']:.1%} against seasonal naive "
            f"{v['seasonal_naive_wape']:.1%}" + ("" if v["beats_naive"] else
                                                 "; it does NOT beat seasonal naive"))
    frame.attrs.update(model=model, messages=list(messages), level=level)
    details = {"verdict": v, "fit": fit}
    return ForecastResult(frame=frame, model=model, messages=messages,
                          effects=pd.DataFrame(effects, columns=EFFECT_COLUMNS),
                          baseline=seasonal_naive(y, horizon_days), history=y, level=level,
                          fit_s=time.perf_counter() - t0, details=details)


def _fit_sarimax(log_y, X_hist, X_fut, estimated, z):
    """Fit the state-space regression and forecast on the log scale."""
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    keep = X_hist.columns[X_hist.to_numpy().std(axis=0) > 0]
    Xh, Xf = X_hist[keep].to_numpy(), X_fut[keep].to_numpy()
    mod = SARIMAX(log_y, exog=Xh, order=ARIMA_ORDER, mle_regression=False,
                  concentrate_scale=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = mod.fit(method="nm", maxiter=OPTIMIZER_MAXITER, disp=False, cov_type="none")
        fc = res.get_forecast(len(Xf), exog=Xf)
    mu = np.asarray(fc.predicted_mean, float)
    sd = np.sqrt(np.asarray(fc.var_pred_mean, float))
    first = mod.k_states - mod.k_exog
    beta = res.filtered_state[first:, -1]
    beta_sd = np.sqrt(np.diag(res.filtered_state_cov[first:, first:, -1]))
    effects = {}
    for j, col in enumerate(keep):
        if col in estimated:
            effects[col] = {"uplift": float(np.exp(beta[j])),
                            "uplift_low": float(np.exp(beta[j] - z * beta_sd[j])),
                            "uplift_high": float(np.exp(beta[j] + z * beta_sd[j]))}
    details = {"converged": bool(res.mle_retvals.get("converged", True)),
               "params": dict(zip(mod.param_names, np.asarray(res.params, float).tolist(),
                                   strict=True)),
               "scale": float(res.scale), "llf": float(res.llf), "regressors": list(keep)}
    return mu, sd, effects, details


def forecast_daily(series, horizon_days: int = DEFAULT_HORIZON_DAYS, events: object = "cn",
                   **kwargs) -> pd.DataFrame:
    """Forecast a daily volume; the frame a peak plan needs.

    Parameters
    ----------
    series
        Daily history: a Series indexed by date or a DataFrame ``date, value``.
    horizon_days
        Days to forecast after the last history day.
    events
        ``"cn"``, ``"none"``, a CSV path, a DataFrame or a list of these.
    **kwargs
        Passed to :func:`fit_forecast` (``level``, ``fill_gaps``, ``duplicates``...).

    Returns
    -------
    pandas.DataFrame
        ``date, forecast, lower, upper, event``; ``attrs`` holds ``model``, ``messages`` and
        ``level``.  Use :func:`fit_forecast` for the event effects and the baseline.
    """
    return fit_forecast(series, horizon_days, events, **kwargs).frame
