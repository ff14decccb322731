"""Aggregations through DuckDB: arrivals per interval, hour and weekday shapes, peak days.

Every function takes a DuckDB connection and the name of a relation with a column ``ts`` (naive
wall-clock TIMESTAMP in the shop's time zone); the heavy grouping happens in DuckDB and only the
small result (one row per interval or per day) comes back as a DataFrame.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ecomanalysis.errors import InputError

FREQ_UNITS_S = {"s": 1, "min": 60, "t": 60, "h": 3600, "d": 86400}
DAY_S = 86_400
#: Peak-day baseline: the mean day of days D-27 .. D-6 before the day D (22 days), the window the
#: real-data README uses for Double 11 (Oct 15 .. Nov 5); it skips the pre-event lull.
BASELINE_FIRST_LAG_D = 27
BASELINE_LAST_LAG_D = 6
WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WEEKDAYS_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


def parse_freq(freq: str) -> int:
    """Interval length in seconds from ``15min``, ``30min``, ``1h``, ``1D`` (must divide a day)."""
    m = re.fullmatch(r"\s*(\d*)\s*(s|min|t|h|d)\s*", str(freq), flags=re.IGNORECASE)
    if not m:
        raise InputError(
            f"--freq {freq!r}: expected an interval such as 15min, 30min, 1h or 1D"
        )
    interval_s = int(m.group(1) or 1) * FREQ_UNITS_S[m.group(2).lower()]
    if interval_s <= 0 or DAY_S % interval_s:
        raise InputError(
            f"--freq {freq!r}: the interval must divide a day evenly (e.g. 15min, 30min, 1h, 1D)"
        )
    return interval_s


def localize(wall: pd.Series, tz: str) -> pd.Series:
    """Naive wall-clock times -> tz-aware times in ``tz``.

    In zones with daylight saving, a wall-clock hour that occurs twice is labelled with its first
    (summer-time) occurrence and a skipped hour is moved forward; China has no daylight saving.
    """
    return wall.dt.tz_localize(tz, ambiguous=np.ones(len(wall), dtype=bool), nonexistent="shift_forward")


def arrivals(con, rel: str, freq: str = "15min", tz: str = "Asia/Shanghai", full_days: bool = True,
             value_sql: str = "count(*)", value_name: str = "arrivals") -> pd.DataFrame:
    """Arrivals per interval with empty intervals as zero.

    Parameters
    ----------
    con
        DuckDB connection.
    rel
        Relation with a ``ts`` column.
    freq
        Interval: ``15min``, ``30min``, ``1h``, ``1D`` (anything dividing a day).
    tz
        Time zone of the wall-clock times (for the tz-aware ``interval_start``).
    full_days
        Cover whole days, from 00:00 of the first day to the end of the last.
    value_sql, value_name
        The aggregate computed per interval (default: the number of rows).

    Returns
    -------
    DataFrame
        ``interval_start`` (tz-aware) and ``arrivals`` (int64), one row per interval.
    """
    interval_s = parse_freq(freq)
    step_us = interval_s * 1_000_000
    day_steps = DAY_S // interval_s
    lo_hi = (
        f"(min(k) // {day_steps}) * {day_steps}", f"(max(k) // {day_steps} + 1) * {day_steps} - 1"
    ) if full_days else ("min(k)", "max(k)")
    df = con.execute(
        f"""
        WITH b AS (
            SELECT epoch_us(ts) // {step_us} AS k, {value_sql} AS v
            FROM {rel} WHERE ts IS NOT NULL GROUP BY 1
        ),
        r AS (SELECT {lo_hi[0]} AS lo, {lo_hi[1]} AS hi FROM b)
        SELECT g.k * {interval_s} AS t_s, coalesce(b.v, 0) AS v
        FROM r, range(r.lo, r.hi + 1) AS g(k) LEFT JOIN b ON b.k = g.k
        ORDER BY g.k
        """
    ).df()
    wall = pd.to_datetime(df["t_s"].astype("int64"), unit="s")
    out = pd.DataFrame({"interval_start": localize(wall, tz), value_name: df["v"].to_numpy()})
    if value_name == "arrivals":
        out["arrivals"] = out["arrivals"].astype("int64")
    if len(out) and out["interval_start"].duplicated().any():  # DST: merge a repeated hour
        out = out.groupby("interval_start", as_index=False, sort=True)[value_name].sum()
    return out


def daily(con, rel: str) -> pd.DataFrame:
    """Rows per calendar day (``date``, ``count``), zero-filled between the first and last day."""
    df = con.execute(
        f"""
        WITH b AS (SELECT CAST(ts AS DATE) AS d, count(*) AS n FROM {rel}
                   WHERE ts IS NOT NULL GROUP BY 1),
        r AS (SELECT min(d) AS lo, max(d) AS hi FROM b)
        SELECT CAST(g.d AS DATE) AS date, coalesce(b.n, 0) AS count
        FROM r, range(r.lo, r.hi + INTERVAL 1 DAY, INTERVAL 1 DAY) AS g(d)
        LEFT JOIN b ON b.d = CAST(g.d AS DATE)
        ORDER BY 1
        """
    ).df()
    df["date"] = pd.to_datetime(df["date"])
    df["count"] = df["count"].astype("int64")
    return df


def _bucket_counts(con, rel: str, bucket_sql: str, n: int) -> np.ndarray:
    """Rows per bucket ``0 .. n-1`` of the SQL expression ``bucket_sql``, empty buckets as 0."""
    df = con.execute(
        f"SELECT {bucket_sql} AS b, count(*) AS n FROM {rel} WHERE ts IS NOT NULL GROUP BY 1"
    ).df()
    counts = np.zeros(n, dtype="int64")
    counts[df["b"].to_numpy(dtype=int)] = df["n"].to_numpy(dtype="int64")
    return counts


def hour_shares(con, rel: str) -> pd.DataFrame:
    """Share of rows per hour of day (``hour`` 0..23, ``count``, ``share``)."""
    counts = _bucket_counts(con, rel, "hour(ts)", 24)
    total = counts.sum()
    share = counts / total if total else np.zeros(24)
    return pd.DataFrame({"hour": np.arange(24), "count": counts, "share": share})


def weekday_shares(con, rel: str, daily_counts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Share of rows per weekday, Monday first.

    Columns: ``weekday`` (0 = Monday), ``name_en``, ``name_zh``, ``count``, ``share`` and
    ``index`` = mean rows on that weekday / mean rows per day (1.0 = an average day), which
    corrects for a range holding more of one weekday than another.
    """
    counts = _bucket_counts(con, rel, "isodow(ts) - 1", 7)
    total = counts.sum()
    d = daily(con, rel) if daily_counts is None else daily_counts
    per_wd = d.groupby(d["date"].dt.day_of_week)["count"].mean().reindex(range(7))
    mean_day = d["count"].mean() if len(d) else np.nan
    return pd.DataFrame(
        {
            "weekday": np.arange(7),
            "name_en": WEEKDAYS_EN,
            "name_zh": WEEKDAYS_ZH,
            "count": counts,
            "share": counts / total if total else np.zeros(7),
            "index": (per_wd / mean_day).to_numpy() if mean_day else np.full(7, np.nan),
        }
    )


def hour_weekday(con, rel: str, per_day: bool = True) -> pd.DataFrame:
    """Rows per weekday (rows, 0 = Monday) x hour of day (columns 0..23).

    With ``per_day`` the counts are divided by how many of that weekday the covered days hold,
    i.e. the mean rows in that hour on such a day (a heatmap of a typical week).
    """
    df = con.execute(
        f"""SELECT isodow(ts) - 1 AS wd, hour(ts) AS h, count(*) AS n FROM {rel}
            WHERE ts IS NOT NULL GROUP BY 1, 2"""
    ).df()
    grid = np.zeros((7, 24))
    grid[df["wd"].to_numpy(dtype=int), df["h"].to_numpy(dtype=int)] = df["n"].to_numpy(dtype=float)
    if per_day:
        d = daily(con, rel)
        days = np.bincount(d["date"].dt.day_of_week.to_numpy(dtype=int), minlength=7)
        grid = np.divide(grid, days[:, None], out=np.zeros_like(grid), where=days[:, None] > 0)
    return pd.DataFrame(grid, index=pd.Index(range(7), name="weekday"),
                        columns=pd.Index(range(24), name="hour"))


def peak_days(daily_counts: pd.DataFrame, top: int = 10) -> pd.DataFrame:
    """The ``top`` busiest days with their peak-to-mean ratios.

    Columns: ``date``, ``count``, ``ratio_to_mean`` (the day / the mean day of the whole range)
    and ``ratio_to_baseline`` (the day / the mean of days D-27 .. D-6 before it; NaN when those
    days are not all in the data or are all zero).
    """
    d = daily_counts.sort_values("date").reset_index(drop=True)
    counts = d["count"].astype(float)
    window = BASELINE_FIRST_LAG_D - BASELINE_LAST_LAG_D + 1
    baseline = counts.shift(BASELINE_LAST_LAG_D).rolling(window, min_periods=window).mean()
    mean_day = counts.mean()
    out = d.assign(
        ratio_to_mean=counts / mean_day if mean_day else np.nan,
        baseline_per_day=baseline,
        ratio_to_baseline=counts / baseline.where(baseline > 0),
    )
    out = out.sort_values(["count", "date"], ascending=[False, True]).head(top)
    return out.reset_index(drop=True)


def day_vs_baseline(arr: pd.DataFrame, day: pd.Timestamp) -> tuple[pd.DataFrame, pd.Series]:
    """Arrivals per interval on ``day`` and the mean per time of day over days D-27 .. D-6.

    ``arr`` is an :func:`arrivals` frame (``interval_start`` tz-aware, ``arrivals``). When no day
    of the baseline window is covered (``day`` too close to the start) every day is the baseline.
    Returns ``(on_day, typical)``: the rows of ``day``, and a Series indexed by time of day.
    """
    local = arr["interval_start"].dt.tz_localize(None)
    on_day = arr[local.dt.normalize() == day]
    days_before = (day - local.dt.normalize()).dt.days
    base = arr[days_before.between(BASELINE_LAST_LAG_D, BASELINE_FIRST_LAG_D)]
    if base.empty:
        base = arr
    typical = base.groupby(local[base.index].dt.time)["arrivals"].mean()
    return on_day, typical
