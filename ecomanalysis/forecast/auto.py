"""Forecast chosen by the shop's own backtest, event effects that follow the shop, calibrated
intervals.

How a forecast is made (:func:`fit_auto`, the default of
:func:`~ecomanalysis.forecast.model.fit_forecast`):

1. **Base** (the ordinary weekly / yearly pattern) on ``z = log1p(orders)``, with every event
   day (core, pre-sale and public-holiday days of the calendar) left out of the fit.  Candidates:

   ``ets_yearly_a<alpha>``
       weekday dummies + ``fourier_order`` pairs of yearly Fourier terms + a piecewise-linear
       trend fitted by robust (Huber) least squares; days whose residual lies beyond
       ``outlier_mad_k`` robust standard deviations (export gaps, outages) leave the fit and the
       level; the remainder (trend + noise) is followed by a local level
       (simple exponential smoothing with weight ``alpha``; the level stands still on event
       days).  Needs ``yearly_min_days`` of history.
   ``ets_weekly_a<alpha>``
       the same without the yearly terms.
   ``ets_trend_a<alpha>``
       the yearly (when the history allows) candidate with Holt's damped trend instead of the
       level (``holt_beta``, ``holt_phi``): for a shop that grows or shrinks fast.
   ``weekday_median``
       median of the last ``weekday_median_weeks`` same weekdays (event days skipped).
   ``count``
       for shops under ``count_model_max_orders_per_day``: weekday factors x a level on the
       count scale (not the log scale, which is biased at small counts).
   ``combination``
       the mean of the best three on the log scale.

2. **Events** follow the shop: for every past occurrence of every component the log-multiplier
   ``m = sum w (z - base) / sum w^2`` is measured against the base the candidate predicted from
   just before the event (the shop's level before it, with its weekday and season).  For the year
   forecast: the occurrences' least-squares line over the years, evaluated at the last year plus
   ``event_trend_damping`` x the slope per year ahead; then shrunk toward the calendar's default
   ``log(uplift)``: the default counts as ``(event_occurrence_sd_log / prior_sd) ** 2``
   occurrences, ``prior_sd`` being the calendar's ``uplift_low .. uplift_high`` read as an
   80 % range of the log-multiplier (a narrow, measured range such as Double 11's weighs about
   one year; a wide guess such as 618's almost nothing); ``event_prior_years`` when the
   calendar gives no range.  With no occurrence the default is used.

3. **Choice**: a rolling-origin backtest on the shop's own history (origins every
   ``backtest_step_days`` from day ``backtest_min_train_days``, ``backtest_horizon_days`` ahead)
   scores each candidate (with its events) by WAPE; the best is used.  The verdict
   (:func:`verdict`) compares it with seasonal naive on the same days.

4. **Intervals**: split-conformal on the same backtest: the ``(1 - level) / 2`` and
   ``(1 + level) / 2`` quantiles of the winner's log errors per lead-time band
   (``lead_bands_days``) and day group (event / normal); a cell with fewer than
   ``conformal_min_errors`` errors pools the bands, then (event days) falls back to the normal
   days' quantiles widened by the calendar's default range; a history too short for a backtest
   gets the in-sample spread, labelled so in ``messages``.

All numbers come from ``data/forecast_settings.csv``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ecomanalysis.forecast import events as ev
from ecomanalysis.forecast import settings as fs
from ecomanalysis.forecast.design import calendar_terms

#: The combination of the best candidates.
COMBINATION = "combination"
#: How many of the best candidates the combination averages.
COMBINE_TOP = 3
#: Days of history before an occurrence needed to measure its multiplier.
EVENT_MIN_LEAD_DAYS = 14
#: Iterations of the Huber re-weighting of the seasonal regression (Huber 1964: c = 1.345 gives
#: 95 % efficiency under normal errors; a few iterations settle the weights).
HUBER_ITERATIONS = 5
#: Default group names of :func:`day_groups`.
GROUP_NORMAL, GROUP_EVENT = "normal", "event"
VERDICT_KEYS = ("winner", "wape", "seasonal_naive_wape", "beats_naive", "n_origins",
                "n_days")
_EPOCH = np.datetime64("2000-01-01", "D")


# --------------------------------------------------------------------------- context
@dataclass
class _Ctx:
    """Arrays of one series and its calendar, positions 0..n-1 history, n..n+h-1 future."""

    dates: pd.DatetimeIndex
    y: np.ndarray  # history (length n)
    z: np.ndarray
    n: int
    w: np.ndarray  # (n + h, k) component weights
    comps: pd.DataFrame
    occ: np.ndarray  # (n + h, k) occurrence number per component, -1 none
    occ_year: list  # per component: array of the first year of each occurrence
    occ_start: list  # per component: array of the first position of each occurrence
    dominant: np.ndarray  # (n + h,) the shopping event of an event day, "" otherwise
    mask: np.ndarray  # (n + h,) any component active
    core: np.ndarray  # (n + h,) any core day of a shopping event (not holidays, not pre-sale)
    dow: np.ndarray
    seas_yearly: np.ndarray  # (n + h, 6 + 2K) weekday dummies + Fourier
    seas_weekly: np.ndarray  # (n + h, 6)
    prior_mu: np.ndarray  # per component log default uplift (nan: none)
    prior_lo: np.ndarray
    prior_hi: np.ndarray


def _context(y: pd.Series, table: pd.DataFrame, horizon: int) -> _Ctx:
    n = len(y)
    dates = y.index.append(pd.date_range(y.index[-1] + pd.Timedelta(days=1), periods=horizon,
                                         freq="D"))
    wdf = ev.event_matrix(table, dates)
    comps = ev.components(table)
    w = wdf.to_numpy(float)
    occ = np.full(w.shape, -1, dtype=np.int64)
    occ_year, occ_start = [], []
    years = dates.year.to_numpy()
    for j in range(w.shape[1]):
        on = w[:, j] > 0
        starts = on & ~np.r_[False, on[:-1]]
        num = np.cumsum(starts) - 1
        occ[on, j] = num[on]
        occ_year.append(years[starts])
        occ_start.append(np.flatnonzero(starts))
    # event days for the intervals: core days of shopping events (public holidays and pre-sale
    # ramps are calibrated with the normal days); every event day is out of the base fit
    shopping = (comps["kind"].ne("presale") & ~comps["event_id"].str.startswith(
        ev.HOLIDAY_PREFIX)).to_numpy() if len(comps) else np.zeros(0, bool)
    mask = (w > 0).any(axis=1) if w.shape[1] else np.zeros(len(dates), bool)
    core = (w[:, shopping] > 0).any(axis=1) if w.shape[1] else np.zeros(len(dates), bool)
    # the shopping event of each event day (the largest weight), for per-event intervals
    dominant = np.full(len(dates), "", dtype=object)
    if shopping.any():
        ws = np.where(shopping[None, :], w, -1.0)
        names = comps["component"].to_numpy(object)
        dominant = np.where(core, names[np.argmax(ws, axis=1)], "")
    k = fs.int_setting("fourier_order")
    cal = calendar_terms(dates, k).to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        mu = np.log(comps["uplift"].to_numpy(float)) if len(comps) else np.zeros(0)
        lo = np.log(comps["uplift_low"].to_numpy(float)) if len(comps) else np.zeros(0)
        hi = np.log(comps["uplift_high"].to_numpy(float)) if len(comps) else np.zeros(0)
    yv = y.to_numpy(float)
    return _Ctx(dates=dates, y=yv, z=np.log1p(yv), n=n, w=w, comps=comps, occ=occ,
                occ_year=occ_year, occ_start=occ_start, dominant=dominant, mask=mask, core=core, dow=dates.day_of_week.to_numpy(),
                seas_yearly=cal, seas_weekly=cal[:, :6], prior_mu=mu, prior_lo=lo, prior_hi=hi)


# --------------------------------------------------------------------------- base candidates
def _pre_index(ok: np.ndarray, upto: int, total: int) -> np.ndarray:
    """For each position 0..total-1: the number of usable days strictly before it (capped at
    the training end ``upto``)."""
    c = np.concatenate([[0], np.cumsum(ok[:upto])])
    pos = np.minimum(np.arange(total), upto)
    return c[pos]


def _trend_basis(t: np.ndarray, t_end: int) -> np.ndarray:
    step = fs.int_setting("trend_knot_days")
    knots = np.arange(step, max(t_end - step // 2, step), step)
    cols = [np.ones_like(t, float), t / 365.0]
    cols += [np.maximum(t - kn, 0) / 365.0 for kn in knots]
    # the trend is not extrapolated: beyond the training end it stays flat
    return np.column_stack(cols)


def _ets_bases(ctx: _Ctx, o: int, h: int, yearly: bool, alphas, trend_alpha=None
               ) -> dict[str, np.ndarray]:
    """Log base 0..o+h for every alpha: pre-event (one-step) in-sample, h-step after ``o``."""
    end = o + 1
    total = end + h
    ok = ~ctx.mask[:end]
    seas = ctx.seas_yearly if yearly else ctx.seas_weekly
    t = np.arange(total, dtype=float)
    trend = _trend_basis(np.minimum(t, end - 1), end)
    X = np.column_stack([seas[:total], trend])
    Xo, zo = X[:end][ok], ctx.z[:end][ok]
    beta, *_ = np.linalg.lstsq(Xo, zo, rcond=None)
    # robust fit (Huber weights, iterated) so that outlier days (an export gap, an outage: a
    # zero among thousands on the log scale) do not bend the weekday and yearly pattern; then
    # those beyond outlier_mad_k robust sd leave the fit and the level
    huber_c = 1.345
    for _ in range(HUBER_ITERATIONS):
        res = zo - Xo @ beta
        scale = np.median(np.abs(res - np.median(res))) * 1.4826
        if not scale > 0:
            break
        wts = np.minimum(1.0, huber_c * scale / np.maximum(np.abs(res), 1e-12))
        sw = np.sqrt(wts)
        beta, *_ = np.linalg.lstsq(Xo * sw[:, None], zo * sw, rcond=None)
    res = ctx.z[:end] - X[:end] @ beta
    scale = np.median(np.abs(res[ok] - np.median(res[ok]))) * 1.4826
    if scale > 0:
        ok = ok & (np.abs(res - np.median(res[ok])) <= fs.setting("outlier_mad_k") * scale)
    s = seas[:total] @ beta[:seas.shape[1]]
    r = ctx.z[:end][ok] - s[:end][ok]
    idx = _pre_index(ok, end, total)
    out = {}
    init = r[:min(len(r), 7)].mean()
    for a in alphas:
        lev = _smooth(a, r, init)
        pre = np.concatenate([[init], lev])[idx]
        out[f"ets_{'yearly' if yearly else 'weekly'}_a{a:g}"] = pre + s
    if trend_alpha is not None:
        out[f"ets_trend_a{trend_alpha:g}"] = _damped_trend(r, trend_alpha, idx, end, total) + s
    return out


def _smooth(alpha: float, x: np.ndarray, init: float) -> np.ndarray:
    """Simple exponential smoothing levels ``l[n] = alpha x[n] + (1 - alpha) l[n-1]``, ``l[-1] =
    init`` (what ``scipy.signal.lfilter([alpha], [1, alpha - 1], x, zi=[(1 - alpha) init])``
    computes, in the same order of operations).  A plain loop over a few hundred days costs
    well under a millisecond; importing scipy.signal for it cost ~0.5 s per report kernel."""
    keep = 1.0 - alpha
    out = np.empty(len(x))
    level = float(init)
    for n, value in enumerate(np.asarray(x, dtype=float).tolist()):
        level = alpha * value + keep * level
        out[n] = level
    return out


def _damped_trend(r: np.ndarray, alpha: float, idx: np.ndarray, end: int, total: int
                  ) -> np.ndarray:
    """Holt's linear method with a damped trend on the usable days ``r``: one-step predictions
    in the history (a masked run keeps the prediction from before it), damped steps after."""
    beta = float(fs.setting("holt_beta"))
    phi = float(fs.setting("holt_phi"))
    n = len(r)
    pred = np.empty(n + 1)
    lev = r[:min(n, 7)].mean()
    slope = 0.0
    for i in range(n):
        pred[i] = lev + phi * slope
        new_lev = alpha * r[i] + (1 - alpha) * pred[i]
        slope = beta * (new_lev - lev) + (1 - beta) * phi * slope
        lev = new_lev
    pred[n] = lev + phi * slope
    out = pred[idx]
    steps = np.arange(total) - (end - 1)
    fut = steps > 0
    out[fut] = lev + slope * phi * (1 - phi ** steps[fut]) / (1 - phi)
    return out


def _weekday_median_base(ctx: _Ctx, o: int, h: int) -> np.ndarray:
    end = o + 1
    total = end + h
    weeks = fs.int_setting("weekday_median_weeks")
    out = np.empty(total)
    ok = ~ctx.mask[:end]
    overall = np.median(ctx.y[:end][ok][-weeks * 7:]) if ok.any() else np.median(ctx.y[:end])
    for d in range(7):
        sel = ok & (ctx.dow[:end] == d)
        v = ctx.y[:end][sel]
        tgt = ctx.dow[:total] == d
        k = _pre_index(sel, end, total)[tgt]
        if len(v) >= weeks:
            win = np.lib.stride_tricks.sliding_window_view(v, weeks)
            med = np.concatenate([np.full(weeks, np.nan), np.median(win, axis=1)])
            vals = med[k]
        else:
            vals = np.full(len(k), np.nan)
        out[tgt] = np.where(np.isnan(vals), overall, vals)
    return np.log1p(out)


def _count_base(ctx: _Ctx, o: int, h: int, alpha: float) -> np.ndarray:
    end = o + 1
    total = end + h
    ok = ~ctx.mask[:end]
    y = ctx.y[:end]
    recent = ok & (np.arange(end) > end - 1 - 8 * 7)
    mean_recent = y[recent].mean() if recent.any() else y.mean()
    fac = np.ones(7)
    if mean_recent > 0:
        for d in range(7):
            sel = recent & (ctx.dow[:end] == d)
            if sel.any():
                fac[d] = max(y[sel].mean() / mean_recent, 1e-3)
    x = y[ok] / fac[ctx.dow[:end][ok]]
    init = x[:min(len(x), 7)].mean()
    lev = _smooth(alpha, x, init)
    pre = np.concatenate([[init], lev])[_pre_index(ok, end, total)]
    return np.log1p(pre * fac[ctx.dow[:total]])


def candidate_names(n_history: int, mean_orders_per_day: float) -> list[str]:
    """The candidates tried for a history of this length and level."""
    alphas = fs.list_setting("level_alpha_grid")
    names = []
    if n_history >= fs.int_setting("yearly_min_days"):
        names += [f"ets_yearly_a{a:g}" for a in alphas]
    names += [f"ets_weekly_a{a:g}" for a in alphas]
    names.append(f"ets_trend_a{alphas[0]:g}")
    names.append("weekday_median")
    if mean_orders_per_day < fs.setting("count_model_max_orders_per_day"):
        names.append("count")
    return names


def _bases(ctx: _Ctx, o: int, h: int, names) -> dict[str, np.ndarray]:
    alphas = fs.list_setting("level_alpha_grid")
    out: dict[str, np.ndarray] = {}
    if any(nm.startswith(("ets_yearly", "ets_trend")) for nm in names):
        # with less than a year of training at this origin the yearly terms are not
        # identified: the candidate is its weekly twin there (what it would be for that shop)
        yearly = o + 1 >= fs.int_setting("yearly_min_days")
        trend = next((float(nm.rsplit("_a", 1)[1]) for nm in names
                      if nm.startswith("ets_trend")), None)
        got = _ets_bases(ctx, o, h, yearly, alphas, trend)
        out.update({k.replace("ets_weekly", "ets_yearly"): v for k, v in got.items()})
    if any(nm.startswith("ets_weekly") for nm in names):
        out.update(_ets_bases(ctx, o, h, False, alphas))
    if "weekday_median" in names:
        out["weekday_median"] = _weekday_median_base(ctx, o, h)
    if "count" in names:
        out["count"] = _count_base(ctx, o, h, float(min(alphas)))
    return {k: v for k, v in out.items() if k in names}


# --------------------------------------------------------------------------- events
def _trend_estimate(m_k: np.ndarray, yr_k: np.ndarray, fut_years: np.ndarray, mu0: float,
                    kappa: float, damp: float) -> np.ndarray:
    """An event's log-multiplier for future years: the trend across the measured occurrences
    (damped), shrunk toward the calendar's default ``mu0`` with the weight of ``kappa``
    occurrences."""
    nocc = len(m_k)
    last = yr_k.max()
    if nocc >= 2 and np.ptp(yr_k) > 0:
        slope, icpt = np.polyfit(yr_k, m_k, 1)
        at_last = icpt + slope * last
    else:
        slope, at_last = 0.0, m_k[yr_k == last].mean()
    pred = at_last + damp * slope * np.maximum(fut_years - last, 0)
    if np.isfinite(mu0):
        return (nocc * pred + kappa * mu0) / (nocc + kappa)
    return pred


def _learned_shape(occ, offset, wj, resid, m_all, hist_on, end: int, fut: slice,
                   fut_on) -> np.ndarray:
    """The shape within an occurrence as the history shows it: the mean deviation from the
    weight profile at each day offset, weighted ``n / (n + 1)`` for ``n`` occurrences."""
    ids = occ[:end][hist_on]
    dev = resid[hist_on] - wj[:end][hist_on] * m_all[ids]
    off_h = offset[:end][hist_on]
    n_off = np.bincount(off_h, minlength=offset.max() + 1)
    s_off = np.bincount(off_h, weights=dev, minlength=offset.max() + 1)
    off_f = offset[fut][fut_on]
    inside = off_f < len(n_off)
    cnt = np.where(inside, n_off[np.minimum(off_f, len(n_off) - 1)], 0)
    tot = np.where(inside, s_off[np.minimum(off_f, len(s_off) - 1)], 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(cnt > 0, tot / cnt * cnt / (cnt + 1.0), 0.0)


def _event_logmult(ctx: _Ctx, o: int, h: int, base: np.ndarray):
    """Log-multiplier per future day (o+1..o+h), whether every event of the day is sized from
    the history, and per component ``(occurrences, mean estimate, basis)``.

    The shape within an occurrence (pre-sale ramp, the days around a dip) follows the history
    too: at each day offset seen in past occurrences, their mean deviation from the calendar's
    weight profile is added, weighted ``n / (n + 1)`` for ``n`` occurrences."""
    end = o + 1
    k = ctx.w.shape[1]
    add = np.zeros(h)
    add_count = np.zeros(h)
    from_history = np.ones(h, bool)
    info = []
    if k == 0:
        return (add, add_count), from_history, info
    occ_sd = float(fs.setting("event_occurrence_sd_log"))
    z80 = 2 * 1.2815515655446004  # width of a central 80 % normal interval, in sd
    # the calendar's range read as an 80 % interval of the log-multiplier: its precision
    # against one occurrence's sets the prior's weight (in occurrences)
    prior_sd = (ctx.prior_hi - ctx.prior_lo) / z80
    with np.errstate(divide="ignore", invalid="ignore"):
        kappas = np.where(prior_sd > 0, (occ_sd / prior_sd) ** 2,
                          float(fs.setting("event_prior_years")))
    damp = float(fs.setting("event_trend_damping"))
    resid = ctx.z[:end] - base[:end]
    fut = slice(end, end + h)
    for j in range(k):
        wj = ctx.w[:end + h, j]
        occ = ctx.occ[:end + h, j]
        years = ctx.occ_year[j]
        starts = ctx.occ_start[j]
        if not len(starts):
            info.append((0, np.nan, "unused"))
            continue
        pos = np.arange(end + h)
        offset = np.where(occ >= 0, pos - starts[np.maximum(occ, 0)], -1)
        # occurrences that start too early to have a level before them are not measured
        hist_on = (wj[:end] > 0) & (starts[np.maximum(occ[:end], 0)] >= EVENT_MIN_LEAD_DAYS)
        m_k, yr_k = [], []
        if hist_on.any():
            ids = occ[:end][hist_on]
            num = np.bincount(ids, weights=wj[:end][hist_on] * resid[hist_on])
            den = np.bincount(ids, weights=wj[:end][hist_on] ** 2)
            got = den > 0
            m_all = np.zeros(len(den))
            m_all[got] = num[got] / den[got]
            m_k = m_all[got]
            yr_k = years[np.flatnonzero(got)]
        fut_on = wj[fut] > 0
        mu0 = ctx.prior_mu[j]
        nocc = len(m_k)
        if not fut_on.any():
            info.append((nocc, np.nan, "unused" if nocc == 0 else "history"))
            continue
        fut_years = years[occ[fut][fut_on]]
        shape = np.zeros(fut_on.sum())
        if nocc == 0:
            est = np.full(fut_on.sum(), mu0 if np.isfinite(mu0) else 0.0)
            basis = "default" if np.isfinite(mu0) else "none"
            from_history[fut_on] = False
        else:
            est = _trend_estimate(np.asarray(m_k, float), np.asarray(yr_k, float), fut_years,
                                  mu0, float(kappas[j]), damp)
            basis = "history"
            shape = _learned_shape(occ, offset, wj, resid, m_all, hist_on, end, fut, fut_on)
        if basis == "history":
            add[fut_on] += wj[fut][fut_on] * est + shape
        else:
            # a calendar default is a ratio of counts ("x baseline day")
            add_count[fut_on] += wj[fut][fut_on] * est
        info.append((nocc, float(np.mean(est)), basis))
    return (add, add_count), from_history, info


# --------------------------------------------------------------------------- backtest
def _origins(n: int, h: int) -> np.ndarray:
    first = fs.int_setting("backtest_min_train_days")
    step = fs.int_setting("backtest_step_days")
    if n - 1 <= first:
        return np.zeros(0, dtype=int)
    return np.arange(first - 1, n - 1, step)


def _band_of(lead: np.ndarray) -> np.ndarray:
    edges = np.asarray(fs.list_setting("lead_bands_days"), float)
    return np.minimum(np.searchsorted(edges, lead, side="left"), len(edges) - 1)


def _apply(base_log: np.ndarray, adds) -> np.ndarray:
    """Event effects: those measured in the history on the ``log1p`` scale they were measured
    on; calendar defaults on the count (``x baseline day``), not on ``count + 1``."""
    add, add_count = adds
    return np.log1p(np.expm1(base_log + add) * np.exp(add_count))


def _forecast_at(ctx: _Ctx, o: int, h: int, names) -> dict[str, np.ndarray]:
    """Log forecast for o+1..o+h of every candidate (with events)."""
    out = {}
    for name, base in _bases(ctx, o, h, names).items():
        add, from_hist, _ = _event_logmult(ctx, o, h, base)
        out[name] = _apply(base[o + 1:o + 1 + h], add)
        out.setdefault("_from_history", from_hist)
    return out


@dataclass
class AutoBacktest:
    """The shop's own backtest of the candidates."""

    errors: pd.DataFrame  # origin, lead_days, band, group, actual, naive, <candidate> (log f)
    scores: pd.DataFrame  # candidate, wape
    winner: str
    naive_wape: float
    origins: np.ndarray


def inner_backtest(ctx: _Ctx, names) -> AutoBacktest | None:
    """Score every candidate on the history's own rolling origins; None if too short."""
    n = ctx.n
    h_bt = fs.int_setting("backtest_horizon_days")
    origins = _origins(n, h_bt)
    # origins representative of the final fit: training at least a year (or half the history)
    min_o = max(min(fs.int_setting("yearly_min_days"), n // 2),
                n - fs.int_setting("calibration_window_days")) - 1
    keep = origins >= min_o
    need = fs.int_setting("min_backtest_origins")
    if keep.sum() < need:
        keep[-need:] = True
    origins = origins[keep]
    if len(origins) < need:
        return None
    rows = []
    for o in origins:
        h = min(h_bt, n - 1 - o)
        fc = _forecast_at(ctx, o, h, names)
        days = np.arange(o + 1, o + 1 + h)
        last_week = ctx.y[o - 6:o + 1]
        naive = last_week[(np.arange(h)) % 7]
        part = {"origin": np.full(h, o), "day": days, "lead_days": np.arange(1, h + 1),
                "actual": ctx.y[days], "naive": naive,
                "group": np.where(ctx.core[days], GROUP_EVENT, GROUP_NORMAL),
                "event": ctx.dominant[days]}
        part.update({k: v for k, v in fc.items()})
        rows.append(pd.DataFrame(part))
    err = pd.concat(rows, ignore_index=True)
    err["band"] = _band_of(err["lead_days"].to_numpy())
    a = err["actual"].to_numpy()
    tot = a.sum()
    scores = {c: float(np.abs(np.expm1(err[c].to_numpy()) - a).sum() / tot) if tot > 0
              else np.nan for c in names}
    ranked = sorted(scores, key=lambda c: (np.nan_to_num(scores[c], nan=np.inf), c))
    top = ranked[:COMBINE_TOP]
    if len(top) > 1:
        err[COMBINATION] = err[top].mean(axis=1)
        scores[COMBINATION] = float(np.abs(np.expm1(err[COMBINATION].to_numpy()) - a).sum()
                                    / tot) if tot > 0 else np.nan
        err.attrs["combination_of"] = top
    best = min(scores, key=lambda c: (np.nan_to_num(scores[c], nan=np.inf), c))
    # the default (first) candidate stays unless another is clearly better: choosing among
    # near-equal candidates on a few origins mostly picks noise
    default = names[0]
    margin = float(fs.setting("selection_margin"))
    winner = best if scores[best] < scores[default] * (1 - margin) else default
    naive_wape = float(np.abs(err["naive"].to_numpy() - a).sum() / tot) if tot > 0 else np.nan
    sc = pd.DataFrame({"candidate": list(scores), "wape": list(scores.values())})
    sc = sc.sort_values(["wape", "candidate"]).reset_index(drop=True)
    return AutoBacktest(errors=err, scores=sc, winner=winner, naive_wape=naive_wape,
                        origins=origins)


def _quantiles(e: np.ndarray, level: float) -> tuple[float, float]:
    return (float(np.quantile(e, (1 - level) / 2)), float(np.quantile(e, (1 + level) / 2)))


def conformal_table(bt: AutoBacktest, level: float) -> pd.DataFrame:
    """Log-error quantiles of the winner per (group, band): ``group, band, n, q_low, q_high,
    basis`` (basis: ``band`` = its own errors, ``group`` = pooled over neighbouring or all
    bands, ``event`` = one event's own errors over all bands (group ``event:<component>``,
    band -1), ``none`` = too few errors)."""
    min_n = fs.int_setting("conformal_min_errors")
    err = bt.errors
    e = np.log1p(err["actual"].to_numpy()) - err[bt.winner].to_numpy()
    nb = len(fs.list_setting("lead_bands_days"))
    rows = []
    sized = err["_from_history"].to_numpy(bool) if "_from_history" in err else np.ones(
        len(err), bool)
    # per event (Mondrian): an event with enough errors of its own (sized from the history,
    # like the final forecast's) gets its own range, pooled over the lead bands (band -1)
    ev_rows = (err["group"].to_numpy() == GROUP_EVENT) & sized
    own = []
    for comp in pd.unique(err.loc[ev_rows, "event"]):
        cell = ev_rows & (err["event"].to_numpy() == comp)
        if cell.sum() >= min_n:
            lo, hi = _quantiles(e[cell], level)
            rows.append((f"{GROUP_EVENT}:{comp}", -1, int(cell.sum()), lo, hi, "event"))
            own.append(comp)
    for g in (GROUP_NORMAL, GROUP_EVENT):
        in_g = err["group"].to_numpy() == g
        if g == GROUP_EVENT:
            # the other events pooled: sized from the history and without a range of their
            # own if there are enough of those, else every event day
            others = in_g & sized & ~err["event"].isin(own).to_numpy()
            if others.sum() >= min_n:
                in_g = others
            elif (in_g & sized).sum() >= min_n:
                in_g = in_g & sized
        for b in range(nb):
            cell = in_g & (err["band"].to_numpy() == b)
            if cell.sum() >= min_n:
                lo, hi = _quantiles(e[cell], level)
                rows.append((g, b, int(cell.sum()), lo, hi, "band"))
            elif in_g.sum() >= min_n:
                # pool neighbouring bands: this band and the ones next to it first
                near = in_g & (np.abs(err["band"].to_numpy() - b) <= 1)
                pool = near if near.sum() >= min_n else in_g
                lo, hi = _quantiles(e[pool], level)
                rows.append((g, b, int(pool.sum()), lo, hi, "group"))
            else:
                rows.append((g, b, int(in_g.sum()), np.nan, np.nan, "none"))
    return pd.DataFrame(rows, columns=["group", "band", "n", "q_low", "q_high", "basis"])


# --------------------------------------------------------------------------- fit
@dataclass
class AutoFit:
    """Log forecast and interval of the chosen model, and how it was chosen."""

    log_forecast: np.ndarray
    log_lower: np.ndarray
    log_upper: np.ndarray
    winner: str
    backtest: AutoBacktest | None
    conformal: pd.DataFrame | None
    effects: list
    messages: list
    verdict: dict
    fit_s: float


def _interval(ctx: _Ctx, conf, use: list[str], horizon: int, level: float,
              final_from_hist: np.ndarray, name: str, messages: list[str]
              ) -> tuple[np.ndarray, np.ndarray]:
    """Log-offsets of the interval per future day: the conformal quantiles by group and lead
    band (an event's own when it has them), else the fallbacks described in the module
    docstring; appends a message when event days get the default range."""
    n = ctx.n
    last = n - 1
    quiet = ~ctx.mask[:n]
    # interval
    lead = np.arange(1, horizon + 1)
    band = _band_of(lead)
    grp_event = ctx.core[n:]
    q_lo = np.full(horizon, np.nan)
    q_hi = np.full(horizon, np.nan)
    if conf is not None:
        c = conf.set_index(["group", "band"])
        for g, sel in ((GROUP_NORMAL, ~grp_event), (GROUP_EVENT, grp_event)):
            for b in np.unique(band[sel]):
                r = c.loc[(g, int(b))]
                m = sel & (band == b)
                q_lo[m], q_hi[m] = r["q_low"], r["q_high"]
        dom = ctx.dominant[n:]
        for comp in pd.unique(dom[grp_event]):
            key = (f"{GROUP_EVENT}:{comp}", -1)
            if key in c.index:
                m = grp_event & (dom == comp)
                q_lo[m], q_hi[m] = c.loc[key, "q_low"], c.loc[key, "q_high"]
    # fallbacks: normal days without calibration -> in-sample spread; event days without
    # calibration -> the normal days' range widened by the calendar range of the event
    if np.isnan(q_lo[~grp_event]).any():
        base_in = _bases(ctx, last, 0, [use[0]])[use[0]]
        res = ctx.z[quiet] - base_in[:n][quiet]
        lo, hi = _quantiles(res[-365:], level) if len(res) >= 2 else (0.0, 0.0)
        m = ~grp_event & np.isnan(q_lo)
        q_lo[m], q_hi[m] = lo, hi
    # event days sized by the calendar default get the default's range, labelled
    q_lo[grp_event & ~final_from_hist] = np.nan
    q_hi[grp_event & ~final_from_hist] = np.nan
    ev_missing = grp_event & np.isnan(q_lo)
    if ev_missing.any():
        normal = conf[(conf["group"] == GROUP_NORMAL)].set_index("band") if conf is not None \
            else None
        w_fut = ctx.w[n:]
        span_lo = np.nan_to_num(ctx.prior_lo - ctx.prior_mu, nan=0.0)
        span_hi = np.nan_to_num(ctx.prior_hi - ctx.prior_mu, nan=0.0)
        widen_lo = (w_fut * span_lo[None, :]).min(axis=1)
        widen_hi = (w_fut * span_hi[None, :]).max(axis=1)
        for i in np.flatnonzero(ev_missing):
            if normal is not None and not np.isnan(normal.loc[band[i], "q_low"]):
                lo, hi = normal.loc[band[i], "q_low"], normal.loc[band[i], "q_high"]
            else:
                lo, hi = np.nanmin(q_lo[~grp_event], initial=0.0), np.nanmax(
                    q_hi[~grp_event], initial=0.0)
            q_lo[i], q_hi[i] = lo + widen_lo[i], hi + widen_hi[i]
        messages.append(f"{name}: {_dates_text(ctx.dates[n:][ev_missing])}: event days "
                        "without a calibrated interval (event not in the history, or too few "
                        "event days in the shop's backtest); their range is the default: the "
                        "normal-day range widened by the calendar's uplift range")
    return q_lo, q_hi


def fit_auto(y: pd.Series, table: pd.DataFrame, horizon: int, level: float, name: str,
             candidates=None) -> AutoFit:
    """Choose, calibrate and forecast (see the module docstring).

    Parameters
    ----------
    y
        Clean daily history (:func:`~ecomanalysis.forecast.model.prepare_series`).
    table
        Validated events table.
    horizon
        Days to forecast.
    level
        Central coverage of the interval.
    name
        Name used in messages.
    candidates
        Candidate names to try (default :func:`candidate_names`).

    Returns
    -------
    AutoFit
    """
    t0 = time.perf_counter()
    ctx = _context(y, table, horizon)
    n = ctx.n
    quiet = ~ctx.mask[:n]
    mean_level = float(ctx.y[quiet].mean()) if quiet.any() else float(ctx.y.mean())
    names = list(candidates) if candidates else candidate_names(n, mean_level)
    messages: list[str] = []
    bt = inner_backtest(ctx, names)
    last = n - 1
    if bt is None:
        winner = names[0] if n >= fs.int_setting("yearly_min_days") else next(
            (c for c in names if c.startswith("ets_weekly")), names[0])
        messages.append(f"{name}: {n} days of history is too short for the shop's own "
                        f"backtest (needs {fs.int_setting('backtest_min_train_days')} days plus "
                        f"{fs.int_setting('min_backtest_origins')} origins "
                        f"{fs.int_setting('backtest_step_days')} days apart); model {winner} "
                        "by default, interval = default range (in-sample spread and the "
                        "calendar's uplift ranges), not calibrated")
        verdict = {"winner": winner, "wape": np.nan, "seasonal_naive_wape": np.nan,
                   "beats_naive": None, "n_origins": 0, "n_days": 0}
        conf = None
    else:
        winner = bt.winner
        verdict = {"winner": winner, "wape": float(bt.scores.set_index("candidate").loc[
            winner, "wape"]), "seasonal_naive_wape": bt.naive_wape,
            "beats_naive": bool(bt.scores.set_index("candidate").loc[winner, "wape"]
                                < bt.naive_wape),
            "n_origins": int(len(bt.origins)), "n_days": int(len(bt.errors))}
        conf = conformal_table(bt, level)
    # final forecast from the last day
    use = bt.errors.attrs.get("combination_of", names) if (bt is not None and
                                                            winner == COMBINATION) else [winner]
    bases = _bases(ctx, last, horizon, use)
    logs, effects, final_from_hist = [], None, np.ones(horizon, bool)
    for nm in use:
        add, from_hist, info = _event_logmult(ctx, last, horizon, bases[nm])
        logs.append(_apply(bases[nm][n:], add))
        if effects is None:
            effects, final_from_hist = info, from_hist
    log_f = np.mean(logs, axis=0)
    q_lo, q_hi = _interval(ctx, conf, use, horizon, level, final_from_hist, name, messages)
    return AutoFit(log_forecast=log_f, log_lower=log_f + q_lo, log_upper=log_f + q_hi,
                   winner=winner, backtest=bt, conformal=conf, effects=effects or [],
                   messages=messages, verdict=verdict, fit_s=time.perf_counter() - t0)


def _dates_text(dates) -> str:
    dates = pd.DatetimeIndex(dates)
    head = ", ".join(f"{d:%Y-%m-%d}" for d in dates[:3])
    return head + (f" ... ({len(dates)} days)" if len(dates) > 3 else "")


def verdict(result) -> dict:
    """The backtest verdict of a forecast: ``{winner, wape, seasonal_naive_wape, beats_naive,
    n_origins, n_days}``.

    Parameters
    ----------
    result
        A :class:`~ecomanalysis.forecast.model.ForecastResult` made by the automatic model.

    Returns
    -------
    dict
        ``beats_naive`` is None when the history was too short for a backtest.
    """
    v = result.details.get("verdict")
    if v is None:
        raise ValueError("this forecast was not made by the automatic model (method='auto')")
    return dict(v)
