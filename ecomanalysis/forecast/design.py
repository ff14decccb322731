"""The calendar part of the forecast's design matrix: weekday dummies and yearly Fourier terms.

Shared by the single state-space model (:mod:`ecomanalysis.forecast.model`) and the automatic
model (:mod:`ecomanalysis.forecast.auto`); it imports neither, so both import it one way.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Pairs of yearly Fourier terms (sin, cos); 3 backtested best of 2-4 on the Tianchi series.
FOURIER_ORDER = 3
YEAR_DAYS = 365.25
WEEK_DAYS = 7
#: Day 0 of the Fourier terms, so every fit uses the same phase.
FOURIER_EPOCH = pd.Timestamp("2000-01-01")


def calendar_terms(dates, fourier_order: int = FOURIER_ORDER) -> pd.DataFrame:
    """Weekday dummies (Tuesday..Sunday; Monday is the reference) and yearly Fourier terms.

    Parameters
    ----------
    dates
        Days.
    fourier_order
        Pairs of ``sin`` / ``cos`` terms with periods ``365.25 / k`` days; 0 for none.

    Returns
    -------
    pandas.DataFrame
        Columns ``dow_1 .. dow_6`` then ``sin_1, cos_1, ...``, indexed by the dates.
    """
    idx = pd.DatetimeIndex(dates)
    dow = idx.day_of_week.to_numpy()
    days = np.arange(1, WEEK_DAYS)
    cols = {f"dow_{k}": (dow == k).astype(float) for k in days}
    t = (idx - FOURIER_EPOCH).days.to_numpy().astype(float)
    k = np.arange(1, fourier_order + 1)
    ang = 2 * np.pi * np.outer(t, k) / YEAR_DAYS
    for j, kk in enumerate(k):
        cols[f"sin_{kk}"] = np.sin(ang[:, j])
        cols[f"cos_{kk}"] = np.cos(ang[:, j])
    return pd.DataFrame(cols, index=idx)
