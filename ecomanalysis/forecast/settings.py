"""The forecast's own assumptions, read from ``data/forecast_settings.csv`` and ``markets.csv``.

Every number the forecast uses beyond the event calendars lives in ``forecast_settings.csv``
(``setting_id, value, low, high, unit, description_en, source``); a value with spaces is a list
(``lead_bands_days = 7 30 60``).  ``markets.csv`` maps countries and platforms to a market and
its event file.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from ecomanalysis import config
from ecomanalysis.errors import InputError, where

SETTINGS_FILE = "forecast_settings.csv"
MARKETS_FILE = "markets.csv"
_SETTING_COLUMNS = ("setting_id", "value", "low", "high", "unit", "description_en", "source")
_MARKET_COLUMNS = ("market_id", "name_zh", "name_en", "countries", "platforms", "events_file",
                   "source")


def _read(name: str, columns) -> pd.DataFrame:
    path = config.DATA_DIR / name
    if not path.exists():
        raise InputError(f"{path}: missing; expected the table with columns {', '.join(columns)}")
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise InputError(f"{name}: missing column(s) {', '.join(missing)}; expected "
                         f"{', '.join(columns)}")
    return df


@lru_cache(maxsize=4)
def _settings(data_dir: str) -> dict[str, float | tuple[float, ...]]:
    df = _read(SETTINGS_FILE, _SETTING_COLUMNS)
    out: dict[str, float | tuple[float, ...]] = {}
    problems = []
    for i, r in df.iterrows():
        try:
            vals = tuple(float(v) for v in r["value"].split())
            lo, hi = float(r["low"]), float(r["high"])
        except ValueError:
            vals, lo, hi = (), np.nan, np.nan
        if not vals or not all(np.isfinite(vals)) or not (lo <= min(vals) and max(vals) <= hi):
            problems.append(f"{where(SETTINGS_FILE, i + 2, 'value')} has {r['value']!r}; "
                            f"expected numbers within low..high ({r['low']}..{r['high']})")
            continue
        if not r["source"].strip():
            problems.append(f"{where(SETTINGS_FILE, i + 2, 'source')} is empty; expected the "
                            "source of the value")
        out[r["setting_id"]] = vals[0] if len(vals) == 1 else vals
    if problems:
        raise InputError("\n".join(problems), problems)
    return out


def setting(setting_id: str) -> float | tuple[float, ...]:
    """One value of ``forecast_settings.csv`` (a tuple when the value lists several)."""
    s = _settings(str(config.DATA_DIR))
    if setting_id not in s:
        raise InputError(f"{SETTINGS_FILE}: no setting {setting_id!r}; known: {', '.join(s)}")
    return s[setting_id]


def int_setting(setting_id: str) -> int:
    return int(round(float(setting(setting_id))))


def list_setting(setting_id: str) -> tuple[float, ...]:
    v = setting(setting_id)
    return v if isinstance(v, tuple) else (float(v),)


@lru_cache(maxsize=4)
def _markets(data_dir: str) -> pd.DataFrame:
    df = _read(MARKETS_FILE, _MARKET_COLUMNS)
    df["countries"] = df["countries"].str.split()
    df["platforms"] = df["platforms"].str.split()
    return df


def markets() -> pd.DataFrame:
    """``markets.csv``: ``market_id, name_zh, name_en, countries (list), platforms (list),
    events_file, source``."""
    return _markets(str(config.DATA_DIR)).copy()


def market_of_country(country: str) -> str | None:
    """The market whose shopping calendar a country uses, or None."""
    m = markets()
    hit = m[m["countries"].map(lambda cs: country.upper() in cs)]
    return str(hit["market_id"].iloc[0]) if len(hit) else None


def country_of_platform(platform: str) -> str | None:
    """The home country of a platform's market (``taobao`` -> ``CN``), or None (``other``)."""
    m = markets()
    hit = m[m["platforms"].map(lambda ps: platform in ps)]
    return str(hit["countries"].iloc[0][0]) if len(hit) else None
