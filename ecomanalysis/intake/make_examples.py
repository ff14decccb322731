"""Rebuild ``data/examples``: the real Tianchi daily series and the measured calibration table.

Run ``python -m ecomanalysis.intake.make_examples`` (reads ``config.REAL_DATA_DIR``, i.e.
``../shared/real-data``).  Only aggregated figures are written; the raw files stay outside the
project.  Outputs (atomic writes):

``tianchi_mum_baby_daily.csv``
    One row per day 2012-07-02 .. 2015-02-05, zero-filled: ``date``, ``purchases`` (rows of the
    trade history = purchases) and ``items`` (sum of ``buy_mount``).
``calibration_measured.csv``
    Shapes the sample shop uses, with unit, source and how each was computed:
    ``hour_share_buy`` / ``hour_share_pv`` (share of the day's purchases / page views per Beijing
    hour, UserBehavior head), ``weekday_factor`` (Tianchi, ratio of a day to its centred 7-day
    mean, by weekday), ``event_ratio`` (Tianchi, a day near Double 11 / Double 12 / 618 divided by
    the mean of days D-27 .. D-6, by offset from the event day; mean, min and max over years).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from ecomanalysis import config
from ecomanalysis._io import write_csv
from ecomanalysis.errors import InputError
from ecomanalysis.intake.aggregate import BASELINE_FIRST_LAG_D, BASELINE_LAST_LAG_D
from ecomanalysis.intake.sample import EVENTS

TIANCHI_FILE = "tianchi_mum_baby_trade_history.csv"
BEHAVIOR_FILE = "taobao_user_behavior_head.csv"
DAILY_FILE = "tianchi_mum_baby_daily.csv"
MEASURED_FILE = "calibration_measured.csv"

TIANCHI_SOURCE = (
    "Tianchi mum-baby trade history: earthaYan/data_anlysis @ 2e77659d4992, "
    "sam_tianchi_mum_baby_trade_history.csv"
)
BEHAVIOR_SOURCE = (
    "Tianchi UserBehavior head: Haohanblue/mydeep @ ef812addc2c1, mydeep/UserBehavior.csv"
)
#: Days around an event day whose ratio is measured (offsets from the event day).
EVENT_OFFSETS_D = range(-3, 4)
#: Days either side of an event excluded when measuring the weekly shape.
EVENT_EXCLUSION_D = 10
#: Full calendar years used for the weekly shape (the data run 2012-07-02 .. 2015-02-05).
WEEKLY_YEARS = (2013, 2014)
#: UserBehavior head: the documented days (a few stray timestamps fall outside).
BEHAVIOR_FIRST_DAY, BEHAVIOR_LAST_DAY = "2017-11-25", "2017-12-03"
BEIJING_UTC_OFFSET_H = 8

COLUMNS = ["parameter", "key", "value", "low", "high", "unit", "n", "source", "how"]


def tianchi_daily(real_dir: Path) -> pd.DataFrame:
    """Purchases and items per day of the Tianchi mum-baby trade history, zero-filled."""
    path = real_dir / TIANCHI_FILE
    if not path.exists():
        raise InputError(f"{path}: missing; the real data live in ../shared/real-data")
    raw = pd.read_csv(path, usecols=["day", "buy_mount"], dtype={"day": str})
    raw["date"] = pd.to_datetime(raw["day"], format="%Y%m%d")
    g = raw.groupby("date").agg(purchases=("day", "size"), items=("buy_mount", "sum"))
    g = g.asfreq("D", fill_value=0)
    out = g.reset_index()
    out["date"] = out["date"].dt.strftime("%Y-%m-%d")
    return out[["date", "purchases", "items"]].astype({"purchases": "int64", "items": "int64"})


def event_ratios(daily: pd.DataFrame) -> pd.DataFrame:
    """Per event, year and offset: purchases on the day / mean of days D-27 .. D-6."""
    s = daily.set_index(pd.to_datetime(daily["date"]))["purchases"].astype(float)
    rows = []
    for event, (month, day) in EVENTS.items():
        for year in range(s.index[0].year, s.index[-1].year + 1):
            d0 = pd.Timestamp(year=year, month=month, day=day)
            lo = d0 - pd.Timedelta(days=BASELINE_FIRST_LAG_D)
            hi = d0 + pd.Timedelta(days=max(EVENT_OFFSETS_D))
            if lo < s.index[0] or hi > s.index[-1]:
                continue
            base = s[lo : d0 - pd.Timedelta(days=BASELINE_LAST_LAG_D)].mean()
            for off in EVENT_OFFSETS_D:
                rows.append(
                    {"event": event, "year": year, "offset": off,
                     "ratio": s[d0 + pd.Timedelta(days=off)] / base, "baseline": base}
                )
    return pd.DataFrame(rows)


def weekday_factors(daily: pd.DataFrame) -> pd.DataFrame:
    """Mean ratio of a day to its centred 7-day mean, by weekday (Monday = 0), events excluded."""
    s = daily.set_index(pd.to_datetime(daily["date"]))["purchases"].astype(float)
    ratio = s / s.rolling(7, center=True).mean()
    keep = ratio.notna() & s.index.year.isin(WEEKLY_YEARS)
    for month, day in EVENTS.values():
        for year in WEEKLY_YEARS:
            d0 = pd.Timestamp(year=year, month=month, day=day)
            keep &= ~((s.index >= d0 - pd.Timedelta(days=EVENT_EXCLUSION_D))
                      & (s.index <= d0 + pd.Timedelta(days=EVENT_EXCLUSION_D)))
    r = ratio[keep]
    g = r.groupby(r.index.day_of_week)
    out = pd.DataFrame({"mean": g.mean(), "sem": g.sem(), "n": g.size()})
    out["factor"] = out["mean"] / out["mean"].mean()
    return out


def behavior_hours(real_dir: Path) -> pd.DataFrame:
    """Events per Beijing hour in the UserBehavior head, by behaviour (pv, buy)."""
    path = real_dir / BEHAVIOR_FILE
    if not path.exists():
        raise InputError(f"{path}: missing; the real data live in ../shared/real-data")
    ub = pd.read_csv(path, header=None, names=["user", "item", "category", "behavior", "unix_ts"])
    local = pd.to_datetime(ub["unix_ts"], unit="s") + pd.Timedelta(hours=BEIJING_UTC_OFFSET_H)
    inside = (local >= BEHAVIOR_FIRST_DAY) & (local < pd.Timestamp(BEHAVIOR_LAST_DAY) + pd.Timedelta(days=1))
    ub = ub[inside].assign(hour=local[inside].dt.hour)
    return ub.groupby(["behavior", "hour"]).size().unstack(fill_value=0).reindex(
        columns=range(24), fill_value=0
    )


def measured_table(real_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(daily series, calibration rows) computed from the real data."""
    daily = tianchi_daily(real_dir)
    rows: list[dict] = []
    hours = behavior_hours(real_dir)
    for behavior, param in (("buy", "hour_share_buy"), ("pv", "hour_share_pv")):
        counts = hours.loc[behavior].to_numpy(dtype=float)
        shares = counts / counts.sum()
        for h in range(24):
            rows.append({
                "parameter": param, "key": str(h), "value": round(shares[h], 6),
                "low": np.nan, "high": np.nan, "unit": "share of the day's events",
                "n": int(counts[h]), "source": BEHAVIOR_SOURCE,
                "how": f"{behavior} events per Beijing hour (unix_ts + 8 h), "
                       f"{BEHAVIOR_FIRST_DAY} .. {BEHAVIOR_LAST_DAY}, / all {behavior} events "
                       f"({int(counts.sum())})",
            })
    wd = weekday_factors(daily)
    for d, r in wd.iterrows():
        rows.append({
            "parameter": "weekday_factor", "key": str(d), "value": round(r["factor"], 4),
            "low": round((r["mean"] - 2 * r["sem"]) / wd["mean"].mean(), 4),
            "high": round((r["mean"] + 2 * r["sem"]) / wd["mean"].mean(), 4),
            "unit": "ratio to the mean day (Monday = key 0)", "n": int(r["n"]),
            "source": TIANCHI_SOURCE,
            "how": "purchases / centred 7-day mean, averaged by weekday over "
                   f"{WEEKLY_YEARS[0]}-{WEEKLY_YEARS[-1]}, days within {EVENT_EXCLUSION_D} of an "
                   "event excluded, normalised to mean 1; low/high = +-2 standard errors",
        })
    ev = event_ratios(daily)
    for (event, off), g in ev.groupby(["event", "offset"], sort=False):
        years = ", ".join(f"{y}: {v:.2f}" for y, v in zip(g["year"], g["ratio"], strict=True))
        rows.append({
            "parameter": "event_ratio", "key": f"{event}:{off:+d}",
            "value": round(g["ratio"].mean(), 3), "low": round(g["ratio"].min(), 3),
            "high": round(g["ratio"].max(), 3), "unit": "ratio to the baseline day",
            "n": int(len(g)), "source": TIANCHI_SOURCE,
            "how": f"purchases on event day {off:+d} / mean purchases of days "
                   f"D-{BASELINE_FIRST_LAG_D} .. D-{BASELINE_LAST_LAG_D}; mean (low/high = min/max) "
                   f"over years ({years})",
        })
    s = daily.set_index(pd.to_datetime(daily["date"]))["purchases"]
    mean_day = s[str(WEEKLY_YEARS[0]) : str(WEEKLY_YEARS[-1])].mean()
    rows.append({
        "parameter": "tianchi_mean_purchases_per_day", "key": "", "value": round(mean_day, 2),
        "low": np.nan, "high": np.nan, "unit": "purchases per day",
        "n": int(s[str(WEEKLY_YEARS[0]) : str(WEEKLY_YEARS[-1])].size), "source": TIANCHI_SOURCE,
        "how": f"mean purchases per day over {WEEKLY_YEARS[0]}-{WEEKLY_YEARS[-1]}",
    })
    return daily, pd.DataFrame(rows, columns=COLUMNS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real-data", default=str(config.REAL_DATA_DIR))
    parser.add_argument("--out", default=str(config.EXAMPLES_DIR))
    args = parser.parse_args(argv)
    try:
        daily, measured = measured_table(Path(args.real_data))
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    out = Path(args.out)
    write_csv(out / DAILY_FILE, daily)
    write_csv(out / MEASURED_FILE, measured)
    print(f"wrote {out / DAILY_FILE} ({len(daily)} days) and {out / MEASURED_FILE} "
          f"({len(measured)} rows)")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
