"""Event calendars per market (Double 11, 618, Black Friday, 11.11 ...), public holidays, campaigns.

An events table has one row per event (or per dated occurrence of a shop campaign).  Each event
becomes one or two *components*, i.e. columns of daily weights in ``[0, 1]`` that the forecast
model uses as regressors on the log scale:

``<event_id>``
    the core days: the anchor day(s) plus ``days_before`` / ``days_after``; weight 1 on the
    anchor days, and on the window days either 1 (``shape = flat``) or falling linearly to the
    window edge (``shape = triangle``, e.g. the Spring Festival dip).
``<event_id>_presale``
    the pre-sale ramp (预售) of ``presale_days`` days before the core window; the weight rises
    linearly from ``1 / presale_days`` to 1 on the day before the core window.

A component's multiplier on a day is ``uplift ** weight`` (``uplift`` in "x baseline day").
The model estimates the uplift from the shop's own history when the history holds the event;
otherwise it applies the table's default ``uplift`` with its range ``uplift_low`` ..
``uplift_high``.

Anchors (the ``rule`` column):

``fixed``
    the same month-day every year (``month_day`` = ``MM-DD``, e.g. ``11-11``);
``spring_festival``
    春节, the lunar new year's first day from the ``holidays`` library (country CN);
``nth_weekday``
    the n-th weekday of a month, ``month_day`` = ``MM-ddd-n`` (``11-thu-4``: the 4th Thursday
    of November, US Thanksgiving; with ``offset_days`` 1 it is Black Friday);
``dates``
    explicit dated occurrences (``start``, optional ``end``), e.g. a shop's anniversary sale;
    several rows may share an ``event_id`` (its past occurrences then teach the model its
    uplift, which is applied to its future ones).

``offset_days`` moves the anchor of the first three rules (年货节: 20 days before 春节).

Calendars per market: ``data/events_<market>.csv`` for the markets of ``data/markets.csv``
(``cn``, ``global`` = US/EU, ``br``, ``sea``); every uplift there carries its source and range.
A country code (``"CN"``, ``"US"``, ``"BR"``...: upper case) selects its market's shopping events
plus its public holidays from the ``holidays`` library (events ``ph_<cc>_<name>``, default uplift
``holiday_uplift`` of ``forecast_settings.csv``; a holiday that falls in the core window of a
shopping event of the same calendar, such as 春节 or Christmas, is left to that event).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from ecomanalysis import config
from ecomanalysis.errors import InputError, where
from ecomanalysis.forecast import settings as fs

EVENTS_CN_FILE = "events_cn.csv"
#: Events file of a market: ``events_<market_id>.csv``.
EVENTS_FILE_PATTERN = "events_{}.csv"
#: Prefix of the public-holiday events (``ph_cn_national_day``).
HOLIDAY_PREFIX = "ph_"
#: Name of the Spring Festival in the ``holidays`` library (country CN, English names).
SPRING_FESTIVAL_HOLIDAY = "Chinese New Year (Spring Festival)"
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_NTH_WEEKDAY = re.compile(r"^(\d{2})-(mon|tue|wed|thu|fri|sat|sun)-([1-4])$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")

#: Unit of every uplift value.
UPLIFT_UNIT = "x baseline day"
RULES = ("fixed", "spring_festival", "nth_weekday", "dates")
SHAPES = ("flat", "triangle")
#: Suffix of the pre-sale component of an event.
PRESALE_SUFFIX = "_presale"
#: Separator of several event labels on one day.
LABEL_SEP = ";"
#: Longest window / pre-sale accepted, in days (a guard against typos such as 300 for 30).
MAX_WINDOW_DAYS = 120

#: Allowed columns of an events table and their meaning (shown when a column is unknown).
COLUMNS: dict[str, str] = {
    "event_id": "id of the event (required); rows of rule 'dates' may share it",
    "name_zh": "Chinese name (default: event_id)",
    "name_en": "English name (default: event_id)",
    "rule": "fixed | spring_festival | nth_weekday | dates (default: dates if start is given, "
            "else fixed)",
    "month_day": "MM-DD for rule fixed, e.g. 11-11; MM-ddd-n for rule nth_weekday, e.g. "
                 "11-thu-4",
    "start": "first day YYYY-MM-DD for rule dates",
    "end": "last day YYYY-MM-DD for rule dates (default: start)",
    "offset_days": "days added to the anchor of rules fixed, spring_festival, nth_weekday "
                   "(default 0; e.g. 1 for Black Friday after Thanksgiving)",
    "days_before": "core window days before the anchor (default 0)",
    "days_after": "core window days after the anchor (default 0)",
    "shape": "flat | triangle: weight of the window days (default flat)",
    "presale_days": "pre-sale ramp days before the core window (default 0)",
    "uplift": "default multiplier on the anchor day, x baseline day (empty: history only)",
    "uplift_low": "low end of the uplift range (default: uplift)",
    "uplift_high": "high end of the uplift range (default: uplift)",
    "presale_uplift": "default multiplier on the last pre-sale day, x baseline day",
    "presale_uplift_low": "low end of the pre-sale uplift range (default: presale_uplift)",
    "presale_uplift_high": "high end of the pre-sale uplift range (default: presale_uplift)",
    "unit": f"'{UPLIFT_UNIT}' (default)",
    "source": "where the default uplift comes from",
}
_TEXT = ("event_id", "name_zh", "name_en", "rule", "month_day", "start", "end", "shape", "unit",
         "source")
_INTS = ("days_before", "days_after", "presale_days")
_SIGNED_INTS = ("offset_days",)
_UPLIFTS = (("uplift", "uplift_low", "uplift_high"),
            ("presale_uplift", "presale_uplift_low", "presale_uplift_high"))
_MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: A leap year in which every MM-DD exists (to validate month_day).
_LEAP_YEAR = 2000

#: Columns of :func:`components`.
COMPONENT_COLUMNS = ["component", "event_id", "kind", "name_zh", "name_en", "uplift",
                     "uplift_low", "uplift_high", "source"]


# --------------------------------------------------------------------------- Spring Festival
def calendar_years() -> tuple[int, int]:
    """First and last year of the event calendar (``forecast_settings.csv``)."""
    return fs.int_setting("calendar_first_year"), fs.int_setting("calendar_last_year")


@lru_cache(maxsize=16)
def _holidays(country: str, first: int, last: int, language: str | None
              ) -> tuple[tuple[np.datetime64, str], ...]:
    import holidays

    try:
        h = holidays.country_holidays(country, years=range(first, last + 1), language=language)
    except NotImplementedError as exc:
        raise InputError(f"country {country!r}: not known to the holidays library; expected an "
                         "ISO 3166 code such as CN, US, BR, SG") from exc
    return tuple(sorted((np.datetime64(d, "D"), str(n)) for d, n in h.items()))


def spring_festival_dates(years: tuple[int, int] | None = None) -> pd.Series:
    """Gregorian dates of the Spring Festival (春节), one per year, from ``holidays`` (CN).

    Parameters
    ----------
    years
        First and last year; default the calendar years (:func:`calendar_years`).

    Returns
    -------
    pandas.Series
        ``datetime64`` dates indexed by ``year`` (int), ascending.
    """
    lo, hi = years or calendar_years()
    days = [d for d, n in _holidays("CN", lo, hi, "en_US") if n == SPRING_FESTIVAL_HOLIDAY]
    first = pd.Series(pd.DatetimeIndex(days)).groupby(pd.DatetimeIndex(days).year).min()
    out = pd.Series(first.to_numpy(), index=first.index.astype(int), name="spring_festival")
    out.index.name = "year"
    return out.sort_index()


_SLUG = re.compile(r"[^a-z0-9]+")


def public_holiday_events(country: str, years: tuple[int, int] | None = None) -> pd.DataFrame:
    """A country's public holidays as an events table (rule ``dates``), from ``holidays``.

    Each holiday name becomes one event ``ph_<cc>_<name>``; consecutive holiday days of the
    same holiday (a Golden Week, observed and bridge days that ``holidays`` labels "Day off
    (substituted ...)") are one occurrence.  Default uplift: ``holiday_uplift`` of
    ``forecast_settings.csv`` (the shop's history replaces it).

    Parameters
    ----------
    country
        ISO 3166 alpha-2 code (``CN``, ``US``, ``BR``...).
    years
        First and last year; default the calendar years.

    Returns
    -------
    pandas.DataFrame
        Raw events rows (validate with :func:`load_events`).
    """
    import holidays

    lo, hi = years or calendar_years()
    items = _holidays(country.upper(), lo, hi, "en_US")
    if not items:
        return pd.DataFrame(columns=["event_id"])
    days = np.array([d for d, _ in items])
    names = [re.sub(r"\s*\([^)]*\)", "", n.split(";")[0]).strip() for _, n in items]
    # bridge / substituted / observed days join the holiday next to them
    for i, n in enumerate(names):
        if n.lower().startswith("day off") and i > 0 and (days[i] - days[i - 1]).astype(int) <= 4:
            names[i] = names[i - 1]
    for i in range(len(names) - 2, -1, -1):
        if names[i].lower().startswith("day off") and (days[i + 1] - days[i]).astype(int) <= 4:
            names[i] = names[i + 1]
    keep = [not n.lower().startswith("day off") for n in names]
    days = days[keep]
    names = [n for n, k in zip(names, keep, strict=True) if k]
    uplift = fs.list_setting("holiday_uplift")
    low, high = _setting_range("holiday_uplift")
    rows = []
    cc = country.lower()
    for name in dict.fromkeys(names):
        d = np.sort(days[[n == name for n in names]])
        breaks = np.flatnonzero(np.diff(d).astype(int) > 4)
        starts = np.r_[d[:1], d[breaks + 1]]
        ends = np.r_[d[breaks], d[-1:]]
        eid = HOLIDAY_PREFIX + cc + "_" + _SLUG.sub("_", name.lower()).strip("_")[:40].rstrip("_")
        for a, b in zip(starts, ends, strict=True):
            rows.append({"event_id": eid, "name_zh": name, "name_en": name, "rule": "dates",
                         "start": str(a), "end": str(b), "uplift": str(uplift[0]),
                         "uplift_low": str(low), "uplift_high": str(high),
                         "source": f"public holiday of {country.upper()} from the holidays "
                                   f"library {holidays.__version__}; default uplift: "
                                   "holiday_uplift of forecast_settings.csv (assumption)"})
    return pd.DataFrame(rows)


def _setting_range(setting_id: str) -> tuple[float, float]:
    df = pd.read_csv(config.DATA_DIR / fs.SETTINGS_FILE, dtype=str, keep_default_na=False)
    r = df.set_index("setting_id").loc[setting_id]
    return float(r["low"]), float(r["high"])


# --------------------------------------------------------------------------- loading
def load_events(
    source: object = "cn", data_dir: str | os.PathLike | None = None
) -> pd.DataFrame:
    """Load and validate an events table.

    Parameters
    ----------
    source
        A market id of ``markets.csv`` in lower case (``"cn"``: ``data/events_cn.csv``,
        ``"global"``, ``"br"``, ``"sea"``), a country code in upper case (``"CN"``, ``"US"``,
        ``"BR"``: its market's events plus its public holidays, see
        :func:`country_events`), ``"none"`` or None (no events), a path to a CSV file, a
        DataFrame with the same columns, or a list of these: rows of a later source replace the
        rows of an earlier one with the same ``event_id`` (so a shop file can override the
        default uplift of ``double11`` and add its own campaigns).
    data_dir
        Folder of the ``events_<market>.csv`` files (default
        :data:`ecomanalysis.config.DATA_DIR`).

    Returns
    -------
    pandas.DataFrame
        Every column of :data:`COLUMNS`, defaults filled; integer windows; float uplifts (NaN
        when a row gives none); ``start`` / ``end`` as ``datetime64`` (NaT unless rule dates).

    Raises
    ------
    InputError
        An unknown column (naming it and the allowed ones), a missing ``event_id``, a bad rule,
        month-day, date, window, shape or uplift, an uplift outside its own range, or an
        ``event_id`` repeated outside rule ``dates``; one problem line per bad value.
    """
    if isinstance(source, (list, tuple)):
        parts = [load_events(s, data_dir) for s in source]
        out = _empty()
        for part in parts:
            out = pd.concat([out[~out["event_id"].isin(part["event_id"])], part],
                            ignore_index=True) if len(part) else out
        return out.reset_index(drop=True)
    if source is None or (isinstance(source, str) and source == "none"):
        return _empty()
    if isinstance(source, pd.DataFrame):
        raw = source.copy()
        for c in raw.columns:
            col = raw[c]
            if pd.api.types.is_datetime64_any_dtype(col):
                raw[c] = col.dt.strftime("%Y-%m-%d").fillna("")
            else:
                raw[c] = col.map(lambda v: "" if pd.isna(v) else str(v))
        return _validate(raw, "events table")
    if isinstance(source, str) and _COUNTRY.match(source):
        return country_events(source, data_dir)
    market_ids = list(fs.markets()["market_id"])
    if isinstance(source, str) and source in market_ids:
        path = Path(data_dir or config.DATA_DIR) / EVENTS_FILE_PATTERN.format(source)
    elif isinstance(source, str) and source.lower() in market_ids and source.upper() != source:
        raise InputError(f"events {source!r}: expected a market id in lower case "
                         f"({', '.join(market_ids)}) or a country code in upper case (CN, US)")
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
    else:
        raise InputError(f"events {source!r}: expected a market (cn, global, br, sea), a "
                         "country code (CN, US...), 'none', a CSV path or a DataFrame")
    if not path.exists():
        raise InputError(f"events file {path}: not found; expected a market "
                         f"({', '.join(market_ids)}), a country code (CN, US...), 'none' or a "
                         f"CSV file with columns {', '.join(COLUMNS)}")
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"events file {path}: not a readable UTF-8 CSV ({exc})") from exc
    return _validate(raw, path.name)


@lru_cache(maxsize=16)
def _country_events(country: str, data_dir: str) -> pd.DataFrame:
    """The calendar from the disk cache when the same data files, ``holidays`` version and
    code built it before (building it costs ~0.3 s of every report kernel: the holidays
    library and the validation)."""
    from ecomanalysis import cache

    def key() -> str:
        import holidays

        files = sorted(Path(data_dir).glob("events_*.csv")) + [Path(data_dir) / "markets.csv",
                                                              Path(data_dir) / fs.SETTINGS_FILE]
        return cache.make_key("events", country,
                              [(f.name, cache.file_hash(f)) for f in files if f.exists()],
                              holidays.__version__, cache.code_version(
                                  "ecomanalysis.forecast.events", "ecomanalysis.forecast.settings"))

    return cache.memo("events", key, lambda: _build_country_events(country, data_dir),
                      lambda df: ({"events": df}, {}), lambda entry: entry["events"])


def _build_country_events(country: str, data_dir: str) -> pd.DataFrame:
    market = fs.market_of_country(country)
    shopping = load_events(market, data_dir) if market else _empty()
    holidays_raw = public_holiday_events(country)
    if not len(holidays_raw):
        return shopping
    hol = _validate(holidays_raw.reindex(columns=list(COLUMNS), fill_value=""),
                    f"public holidays of {country}")
    if len(shopping):
        # a holiday inside the core window of a shopping event is left to that event
        days = pd.date_range(hol["start"].min(), hol["end"].max(), freq="D")
        w = event_matrix(shopping, days)
        core_cols = [c for c in w.columns if not c.endswith(PRESALE_SUFFIX)]
        busy = pd.Series((w[core_cols].to_numpy() > 0).any(axis=1), index=days)
        csum = np.r_[0, np.cumsum(busy.to_numpy())]
        i0 = days.get_indexer(hol["start"])
        i1 = days.get_indexer(hol["end"])
        hol = hol[(csum[i1 + 1] - csum[i0]) == 0]
    return pd.concat([shopping, hol], ignore_index=True)


def country_events(country: str, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """A country's calendar: its market's shopping events plus its public holidays.

    Parameters
    ----------
    country
        ISO 3166 alpha-2 code in upper case (``CN``, ``US``, ``BR``, ``SG``...).  A country
        without a market in ``markets.csv`` gets its public holidays only.
    data_dir
        Folder of the events files.

    Returns
    -------
    pandas.DataFrame
        A validated events table (see :func:`load_events`).
    """
    if not isinstance(country, str) or not _COUNTRY.match(country):
        raise InputError(f"country {country!r}: expected an ISO 3166 code of two upper-case "
                         "letters such as CN, US, BR, SG")
    return _country_events(country, str(data_dir or config.DATA_DIR)).copy()


def calendar_for(countries, extra=None) -> list:
    """Events sources for a shop selling in ``countries`` plus ``extra`` sources (its own files).

    Parameters
    ----------
    countries
        Country codes (a string or a list); each adds its market events and public holidays.
    extra
        Further sources (paths, DataFrames) applied after the countries.

    Returns
    -------
    list
        Sources for :func:`load_events`.
    """
    if isinstance(countries, str):
        countries = [countries]
    out = [c.upper() if isinstance(c, str) else c for c in (countries or [])]
    bad = [c for c in out if not (isinstance(c, str) and _COUNTRY.match(c))]
    if bad:
        raise InputError(f"country {bad[0]!r}: expected an ISO 3166 code of two letters such "
                         "as CN, US, BR, SG")
    if isinstance(extra, (str, os.PathLike, pd.DataFrame)):
        extra = [extra]
    return list(dict.fromkeys(out)) + list(extra or [])


def _empty() -> pd.DataFrame:
    return _validate(pd.DataFrame({c: pd.Series(dtype=str) for c in COLUMNS}), "events")


def _validate(raw: pd.DataFrame, name: str) -> pd.DataFrame:
    """An events table checked and typed: every problem of every row listed in one InputError."""
    df = _known_columns(raw, name)
    problems: list[str] = []
    rows = np.arange(len(df)) + 2

    def bad(mask, column, expected):
        for r in rows[np.asarray(mask, bool)]:
            problems.append(f"{where(name, int(r), column)} has {df[column].iloc[r - 2]!r}; "
                            f"expected {expected}")

    eid, rule = _check_ids_and_rules(df, bad)
    _check_windows(df, rule, bad)
    _check_uplifts(df, eid, bad)
    _check_repeated_ids(df, eid, rule, bad)
    if problems:
        raise InputError(f"{name}: {len(problems)} problem(s)\n" + "\n".join(problems), problems)
    return df.reset_index(drop=True)


def _known_columns(raw: pd.DataFrame, name: str) -> pd.DataFrame:
    """``raw`` with every column of :data:`COLUMNS` (missing ones empty), text stripped;
    InputError on an unknown column or without ``event_id``."""
    raw.columns = [str(c).strip() for c in raw.columns]
    unknown = [c for c in raw.columns if c not in COLUMNS]
    if unknown:
        listed = ", ".join(repr(c) for c in unknown)
        raise InputError(
            f"{name}: unknown column(s) {listed}; allowed columns: {', '.join(COLUMNS)}",
            [f"{name}: unknown column {c!r}; allowed columns: {', '.join(COLUMNS)}"
             for c in unknown],
        )
    if "event_id" not in raw.columns:
        raise InputError(f"{name}: missing column 'event_id'; columns: {', '.join(COLUMNS)}")
    df = raw.reindex(columns=list(COLUMNS), fill_value="")
    for c in _TEXT:
        df[c] = df[c].astype(str).str.strip()
    return df


def _check_ids_and_rules(df: pd.DataFrame, bad):
    """Check ``event_id``, fill in and check ``rule`` and check ``month_day`` for it; problems
    go to ``bad(mask, column, expected)``.  Returns the ``event_id`` and ``rule`` columns."""
    eid = df["event_id"]
    bad((eid == "") | eid.str.contains(LABEL_SEP, regex=False) | eid.str.endswith(PRESALE_SUFFIX),
        "event_id", f"a non-empty id without '{LABEL_SEP}' that does not end in "
        f"'{PRESALE_SUFFIX}'")

    rule = df["rule"].where(df["rule"] != "",
                            np.where(df["start"] != "", "dates", "fixed"))
    df["rule"] = rule
    bad(~rule.isin(RULES), "rule", " | ".join(RULES))

    md = df["month_day"]
    md_ok = pd.to_datetime(str(_LEAP_YEAR) + "-" + md, format="%Y-%m-%d", errors="coerce").notna()
    md_ok &= md.str.match(_MONTH_DAY) & (md != "02-29")
    bad((rule == "fixed") & ~md_ok, "month_day", "MM-DD such as 11-11 (not 02-29)")
    nth = md.str.extract(_NTH_WEEKDAY)
    nth_ok = nth[0].notna() & pd.to_numeric(nth[0], errors="coerce").between(1, 12)
    bad((rule == "nth_weekday") & ~nth_ok, "month_day",
        "MM-ddd-n such as 11-thu-4 (4th Thursday of November) for rule nth_weekday")
    return eid, rule


def _check_windows(df: pd.DataFrame, rule: pd.Series, bad) -> None:
    """Parse ``start`` / ``end`` dates, the day counts (:data:`_INTS`, :data:`_SIGNED_INTS`)
    and ``shape`` in place; problems go to ``bad``."""
    raw_start = df["start"].copy()
    for c in ("start", "end"):
        parsed = pd.to_datetime(df[c].where(df[c].str.match(_DATE), None), format="%Y-%m-%d",
                                errors="coerce")
        bad((df[c] != "") & parsed.isna(), c, "a date YYYY-MM-DD")
        df[c] = parsed
    df["end"] = df["end"].fillna(df["start"])
    bad((rule == "dates") & (raw_start == ""), "start", "the first day YYYY-MM-DD (rule dates)")
    bad(df["end"] < df["start"], "end", "a day on or after start")

    for c in _INTS:
        v = pd.to_numeric(df[c].where(df[c] != "", "0"), errors="coerce")
        ok = v.notna() & (v == np.round(v)) & (v >= 0) & (v <= MAX_WINDOW_DAYS)
        bad(~ok, c, f"a whole number of days 0..{MAX_WINDOW_DAYS}")
        df[c] = v.where(ok, 0).astype("int64")

    for c in _SIGNED_INTS:
        v = pd.to_numeric(df[c].where(df[c] != "", "0"), errors="coerce")
        ok = v.notna() & (v == np.round(v)) & (v.abs() <= MAX_WINDOW_DAYS)
        bad(~ok, c, f"a whole number of days -{MAX_WINDOW_DAYS}..{MAX_WINDOW_DAYS}")
        df[c] = v.where(ok, 0).astype("int64")

    df["shape"] = df["shape"].where(df["shape"] != "", "flat")
    bad(~df["shape"].isin(SHAPES), "shape", " | ".join(SHAPES))


def _check_uplifts(df: pd.DataFrame, eid: pd.Series, bad) -> None:
    """Parse the uplift trios (:data:`_UPLIFTS`: low / high default to the uplift), ``unit``
    and the names (default: the id) in place; problems go to ``bad``."""
    for trio in _UPLIFTS:
        vals = {}
        for c in trio:
            v = pd.to_numeric(df[c].where(df[c] != "", None), errors="coerce")
            ok = v.notna() & np.isfinite(v.fillna(0)) & (v > 0)
            bad((df[c] != "") & ~ok, c, f"a positive number ({UPLIFT_UNIT})")
            vals[c] = v.where(ok)
        mid, low, high = (vals[c] for c in trio)
        bad(mid.isna() & (low.notna() | high.notna()), trio[0],
            f"a value when {trio[1]} / {trio[2]} are given")
        low, high = low.fillna(mid), high.fillna(mid)
        bad(low > mid, trio[1], f"a value <= {trio[0]}")
        bad(high < mid, trio[2], f"a value >= {trio[0]}")
        df[trio[0]], df[trio[1]], df[trio[2]] = mid, low, high

    df["unit"] = df["unit"].where(df["unit"] != "", UPLIFT_UNIT)
    bad(df["unit"] != UPLIFT_UNIT, "unit", f"'{UPLIFT_UNIT}'")
    df["name_zh"] = df["name_zh"].where(df["name_zh"] != "", eid)
    df["name_en"] = df["name_en"].where(df["name_en"] != "", eid)


def _check_repeated_ids(df: pd.DataFrame, eid: pd.Series, rule: pd.Series, bad) -> None:
    """An ``event_id`` may repeat only on rule ``dates`` rows (one per occurrence), all with
    the same rule; problems go to ``bad``."""
    dup = eid.duplicated(keep=False) & (eid != "")
    bad(dup & (rule != "dates"), "event_id", "an id used once (only rule 'dates' rows may "
        "share one, one row per dated occurrence)")
    mixed = df[dup].groupby(eid[dup])["rule"].transform("nunique") > 1
    bad(dup & mixed.reindex(df.index, fill_value=False), "rule",
        "the same rule on every row of one event_id")


# --------------------------------------------------------------------------- components
def components(events: pd.DataFrame) -> pd.DataFrame:
    """The regressors an events table defines: one core component per event, plus a pre-sale one.

    Parameters
    ----------
    events
        Validated table from :func:`load_events`.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COMPONENT_COLUMNS`; ``kind`` is ``core`` or ``presale``; ``uplift*``
        are the defaults (NaN when the table gives none).
    """
    first = events.drop_duplicates("event_id")
    core = first.assign(component=first["event_id"], kind="core")
    pre = first[first["presale_days"] > 0]
    pre = pre.assign(component=pre["event_id"] + PRESALE_SUFFIX, kind="presale",
                     uplift=pre["presale_uplift"], uplift_low=pre["presale_uplift_low"],
                     uplift_high=pre["presale_uplift_high"])
    out = pd.concat([core, pre], ignore_index=True)[COMPONENT_COLUMNS]
    order = {e: i for i, e in enumerate(first["event_id"])}
    out = out.assign(_o=out["event_id"].map(order), _k=out["kind"].eq("presale"))
    return out.sort_values(["_o", "_k"]).drop(columns=["_o", "_k"]).reset_index(drop=True)


def occurrences(rows: pd.DataFrame, first_year: int, last_year: int,
                 sf: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Start and end days (datetime64[D]) of every occurrence of one event in the year span."""
    rule = rows["rule"].iloc[0]
    offset = np.timedelta64(int(rows["offset_days"].iloc[0]) if "offset_days" in rows else 0,
                            "D")
    years = np.arange(first_year, last_year + 1)
    if rule == "fixed":
        start = pd.to_datetime(
            pd.Series(years.astype(str)) + "-" + rows["month_day"].iloc[0], format="%Y-%m-%d"
        ).to_numpy().astype("datetime64[D]") + offset
        return start, start
    if rule == "nth_weekday":
        month, dow, n = rows["month_day"].iloc[0].split("-")
        first = pd.to_datetime(pd.Series(years.astype(str)) + f"-{month}-01").to_numpy()
        first = first.astype("datetime64[D]")
        shift = (_WEEKDAYS.index(dow) - pd.DatetimeIndex(first).day_of_week.to_numpy()) % 7
        start = first + (shift + 7 * (int(n) - 1)).astype("timedelta64[D]") + offset
        return start, start
    if rule == "spring_festival":
        sf = sf[(sf.index >= first_year) & (sf.index <= last_year)]
        start = sf.to_numpy().astype("datetime64[D]") + offset
        return start, start
    return (rows["start"].to_numpy().astype("datetime64[D]"),
            rows["end"].to_numpy().astype("datetime64[D]"))


def event_matrix(
    events: pd.DataFrame, dates: Iterable, sf_dates: pd.Series | None = None
) -> pd.DataFrame:
    """Daily weights of every event component.

    Parameters
    ----------
    events
        Validated table from :func:`load_events`.
    dates
        Days to compute (anything :class:`pandas.DatetimeIndex` accepts).
    sf_dates
        Spring Festival dates (default :func:`spring_festival_dates`).

    Returns
    -------
    pandas.DataFrame
        Index = the dates; one column per component of :func:`components` (same order), values
        in ``[0, 1]``; 0 = not active.  ``attrs["messages"]`` lists days whose Spring Festival
        is not in the table (its effect is then not modelled there).
    """
    idx = pd.DatetimeIndex(dates).normalize()
    comps = components(events)
    out = pd.DataFrame(0.0, index=idx, columns=comps["component"].tolist())
    out.attrs["messages"] = []
    if not len(idx) or not len(comps):
        return out
    needs_sf = (events["rule"] == "spring_festival").any()
    if needs_sf and sf_dates is None:
        sf_dates = spring_festival_dates()
    d = idx.to_numpy().astype("datetime64[D]")
    y0, y1 = int(idx.year.min()) - 1, int(idx.year.max()) + 1
    for event_id, rows in events.groupby("event_id", sort=False):
        r = rows.iloc[0]
        start, end = occurrences(rows, y0, y1, sf_dates)
        b, a, p = int(r["days_before"]), int(r["days_after"]), int(r["presale_days"])
        to_start = (start[None, :] - d[:, None]).astype("int64")  # > 0 before the start
        from_end = (d[:, None] - end[None, :]).astype("int64")  # > 0 after the end
        core = (to_start <= b) & (from_end <= a)
        if r["shape"] == "triangle":
            w = np.where(to_start > 0, 1 - to_start / (b + 1),
                         np.where(from_end > 0, 1 - from_end / (a + 1), 1.0))
        else:
            w = np.ones(core.shape)
        out[event_id] = np.where(core, w, 0.0).max(axis=1, initial=0.0)
        if p > 0:
            ramp = (to_start > b) & (to_start <= b + p)
            out[event_id + PRESALE_SUFFIX] = np.where(
                ramp, (b + p + 1 - to_start) / p, 0.0).max(axis=1, initial=0.0)
        if r["rule"] == "spring_festival":
            lo, hi = int(sf_dates.index.min()), int(sf_dates.index.max())
            outside = (idx.year < lo) | (idx.year > hi)
            if outside.any():
                out.attrs["messages"].append(
                    f"{event_id}: the Spring Festival table covers {lo}-{hi}; "
                    f"{int(outside.sum())} day(s) from {idx[outside].min():%Y-%m-%d} to "
                    f"{idx[outside].max():%Y-%m-%d} fall outside it and get no "
                    f"{event_id} effect")
    return out


def event_labels(weights: pd.DataFrame) -> pd.Series:
    """Label each day with its active components (``double11``, ``double11_presale;...``).

    Parameters
    ----------
    weights
        Output of :func:`event_matrix`.

    Returns
    -------
    pandas.Series
        Strings indexed like ``weights``; ``""`` on days without events; several components
        are joined by :data:`LABEL_SEP` in column order.
    """
    labels = np.full(len(weights), "", dtype=object)
    active = weights.to_numpy() > 0
    for j, name in enumerate(weights.columns):
        on = active[:, j]
        labels = np.where(on & (labels == ""), name,
                          np.where(on, labels + LABEL_SEP + name, labels))
    return pd.Series(labels, index=weights.index, name="event", dtype=object)


# --------------------------------------------------------------------------- calibration
def measure_uplift(
    series: pd.Series,
    anchors: Iterable,
    days_before: int = 0,
    days_after: int = 0,
    baseline_lags_d: tuple[int, int] = (27, 6),
) -> pd.Series:
    """Uplift of an event in a daily series: mean of the event days / mean of a baseline.

    This is how the defaults in ``data/events_cn.csv`` were measured on the Tianchi series
    (Double 11: days D-27 .. D-6, i.e. 10-15 .. 11-05, as baseline).

    Parameters
    ----------
    series
        Daily values indexed by date, without gaps.
    anchors
        Event days.
    days_before, days_after
        Event window around each anchor (inclusive).
    baseline_lags_d
        First and last lag of the baseline window, in days before the anchor.

    Returns
    -------
    pandas.Series
        Ratio (x baseline day) per anchor; NaN where a window falls outside the series.
    """
    s = series.sort_index().astype(float)
    idx = pd.DatetimeIndex(s.index)
    csum = np.concatenate([[0.0], np.cumsum(s.to_numpy())])
    anchors = pd.DatetimeIndex(anchors)
    pos = idx.get_indexer(anchors)
    n = len(s)

    def window_mean(lo, hi):  # inclusive positions
        ok = (pos >= 0) & (lo >= 0) & (hi < n)
        lo_c, hi_c = np.clip(lo, 0, n - 1), np.clip(hi, 0, n - 1)
        m = (csum[hi_c + 1] - csum[lo_c]) / (hi_c - lo_c + 1)
        return np.where(ok, m, np.nan)

    event = window_mean(pos - days_before, pos + days_after)
    base = window_mean(pos - baseline_lags_d[0], pos - baseline_lags_d[1])
    return pd.Series(event / base, index=anchors, name="uplift")
