"""Timestamps in exports: find the layout, settle day-first vs month-first, build the DuckDB parse.

Layouts recognised (time part optional, seconds and fractions optional, ``T`` or space):

- year first: ``2024-11-11 20:15:00``, ``2024/11/11 20:15``, ``2024.11.11``, ISO 8601 with
  ``Z`` or an offset (``2024-11-11T20:15:00+08:00``, Shopify's ``2024-11-11 20:15:00 +0800``);
- day or month first: ``11/2/2017 10:56``, ``11-02-2017 10:56 AM`` (ambiguous: see below);
- compact: ``20241111``, ``20241111201500``;
- Chinese: ``2024年11月11日 20:15``;
- Unix time in seconds (10 digits) or milliseconds (13 digits).

Day-first or month-first is *inferred from the data when the data settle it*: a first field
above 12 anywhere in the column means day-first, a second field above 12 means month-first.
If every date has both fields <= 12 the caller must say (``--dayfirst``/``--monthfirst``).

Time zones: times without an offset are wall-clock times in the shop's zone (``--tz``, default
Asia/Shanghai); times with an offset, ``Z`` or Unix times are converted to that zone.  Every
parsed value is a naive wall-clock TIMESTAMP in the shop's zone.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ecomanalysis.errors import InputError
from ecomanalysis.intake._duck import q_str

DEFAULT_TZ = "Asia/Shanghai"
EXAMPLES = (
    "2024-11-11 20:15:00, 2024/11/11 20:15, 2024-11-11T20:15:00+08:00, 11/2/2017 10:56, "
    "20241111, 2024年11月11日 20:15 or Unix seconds"
)

_TIME = (
    r"(?:(?P<tsep>T|\s+)(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?P<f>\.\d{1,6})?)?"
    r"(?:(?P<psep>\s*)(?P<p>[AaPp][Mm]))?)?"
)
_TZ = r"(?:(?P<zsep>\s*)(?P<z>Z|[+-]\d{2}:?\d{2}))?"
_LAYOUTS = {
    "ymd": re.compile(r"^(?P<Y>\d{4})(?P<s>[-/.])(?P<a>\d{1,2})(?P=s)(?P<b>\d{1,2})" + _TIME + _TZ + "$"),
    "xxy": re.compile(r"^(?P<a>\d{1,2})(?P<s>[-/.])(?P<b>\d{1,2})(?P=s)(?P<Y>\d{4})" + _TIME + _TZ + "$"),
    "zh": re.compile(
        r"^(?P<Y>\d{4})年(?P<a>\d{1,2})月(?P<b>\d{1,2})日"
        r"(?:(?P<tsep>\s*)(?P<H>\d{1,2})[:时](?P<M>\d{2})(?:[:分](?P<S>\d{2})秒?)?)?$"
    ),
    "compact": re.compile(r"^(?P<Y>\d{4})(?P<a>\d{2})(?P<b>\d{2})(?:(?P<tsep>T|\s*)(?P<HMS>\d{6}))?$"),
    "epoch_ms": re.compile(r"^\d{13}$"),
    "epoch_s": re.compile(r"^\d{10}(?:\.\d+)?$"),
}
#: SQL that pulls the first and second number of a day/month-first date.
_XXY_SQL = r"^\s*(\d{1,2})[-/.](\d{1,2})[-/.]\d{4}"


@dataclass
class TimeFormat:
    """How a time column is written.

    Attributes
    ----------
    kind
        ``text`` (strptime formats), ``epoch_s``, ``epoch_ms``, ``timestamp`` (already a naive
        timestamp), ``timestamptz`` or ``date``.
    formats
        strptime formats tried in order (``text`` only).
    offset
        ``none``, ``offset`` (values carry +08:00 / -0400) or ``utc`` (values end in Z).
    order
        ``dayfirst``, ``monthfirst`` or None when the layout is year-first.
    order_inferred
        True if ``order`` was read from the data rather than given.
    strip
        True if values carry surrounding spaces or tabs (trimmed before parsing).
    example
        A value from the file.
    """

    kind: str
    formats: tuple[str, ...] = ()
    offset: str = "none"
    order: str | None = None
    order_inferred: bool = False
    strip: bool = False
    example: str = ""

    def describe(self) -> str:
        if self.kind != "text":
            return f"{self.kind} (e.g. {self.example!r})" if self.example else self.kind
        text = " | ".join(self.formats)
        if self.order:
            text += f"; {self.order}" + (" (inferred from the data)" if self.order_inferred else "")
        return f"{text} (e.g. {self.example!r})"


def _layout(value: str) -> tuple[str, re.Match] | None:
    for name, rx in _LAYOUTS.items():
        m = rx.match(value)
        if m:
            return name, m
    return None


def _time_fmt(m: re.Match) -> str:
    if m.group("H") is None:
        return ""
    ampm = m.group("p") is not None
    fmt = m.group("tsep") + ("%I" if ampm else "%H") + ":%M"
    if m.group("S") is not None:
        fmt += ":%S"
        if m.group("f"):
            fmt += ".%f"
    if ampm:
        fmt += m.group("psep") + "%p"
    return fmt


def _tz_fmt(m: re.Match) -> tuple[str, str]:
    z = m.group("z")
    if z is None:
        return "", "none"
    if z == "Z":
        return m.group("zsep") + "Z", "utc"
    return m.group("zsep") + "%z", "offset"


def value_format(value: str, order: str | None = None) -> tuple[str, str, str] | None:
    """``(layout, strptime format, offset kind)`` of one value, or None if not a known layout.

    For a day/month-first value ``order`` picks the reading (``dayfirst``/``monthfirst``);
    without it the format holds the placeholder ``{xxy}``.
    """
    hit = _layout(value)
    if hit is None:
        return None
    name, m = hit
    if name in ("epoch_s", "epoch_ms"):
        return name, "", "utc"
    if name == "compact":
        if not (1 <= int(m.group("a")) <= 12 and 1 <= int(m.group("b")) <= 31):
            return None
        fmt = "%Y%m%d" + ((m.group("tsep") or "") + "%H%M%S" if m.group("HMS") else "")
        return name, fmt, "none"
    if name == "zh":
        fmt = "%Y年%m月%d日"
        if m.group("H") is not None:
            sep_h = value[m.end("H") : m.start("M")]
            fmt += m.group("tsep") + "%H" + sep_h + "%M"
            if m.group("S") is not None:
                fmt += value[m.end("M") : m.start("S")] + "%S" + value[m.end("S") :]
        return name, fmt, "none"
    s = m.group("s")
    if name == "ymd":
        date = f"%Y{s}%m{s}%d"
    else:
        if order == "dayfirst":
            date = f"%d{s}%m{s}%Y"
        elif order == "monthfirst":
            date = f"%m{s}%d{s}%Y"
        else:
            date = "{xxy}" + s
    tz, offset = _tz_fmt(m)
    return name, date + _time_fmt(m) + tz, offset


def looks_like_time(values: Sequence[object], share: float = 0.8) -> bool:
    """True if at least ``share`` of the non-empty ``values`` are times in a known layout."""
    vals = [str(v).strip() for v in values if v is not None and str(v).strip()]
    if not vals:
        return False
    hits = 0
    for v in vals:
        hit = _layout(v)
        if hit and hit[0] == "compact":  # 8 digits are a date only if they spell one (not an id)
            m = hit[1]
            if 1990 <= int(m.group("Y")) <= 2100 and 1 <= int(m.group("a")) <= 12 \
                    and 1 <= int(m.group("b")) <= 31:
                hits += 1
        elif hit and hit[0] not in ("epoch_s", "epoch_ms"):
            hits += 1
        elif hit and v.isdigit() and 946684800 <= int(v[:10]) <= 4102444800:  # 2000..2100
            hits += 1
    return hits >= share * len(vals)


def infer_format(
    values: Sequence[object],
    order: str | None = None,
    column: str = "",
    row_label=lambda i: f"row {i + 2}",
    file_name: str = "",
) -> TimeFormat:
    """Infer the layout of a time column from leading values (strings; None for empty).

    Parameters
    ----------
    values
        The first values of the column, in file order.
    order
        ``dayfirst`` or ``monthfirst`` if the user said; used for day/month-first layouts.
    column, row_label, file_name
        For messages: ``row_label(i)`` names the i-th value's row.

    Returns
    -------
    TimeFormat
        ``order`` stays None for a day/month-first layout when not given: call
        :func:`settle_order` on the whole column.

    Raises
    ------
    InputError
        A value in no known layout, or values both with and without a time zone.
    """
    if not len(values):
        raise InputError(f"{file_name} has a header but no data rows; expected one row per record")
    formats: Counter[str] = Counter()
    layouts: Counter[str] = Counter()
    offsets: dict[str, tuple[int, str]] = {}
    strip = False
    example = ""
    for i, raw in enumerate(values):
        if raw is None:
            continue
        text = str(raw)
        value = text.strip()
        if not value:
            continue
        strip = strip or value != text
        got = value_format(value, order)
        if got is None:
            raise InputError(
                f"{file_name} {row_label(i)}: column '{column}' has {value!r} which is not a date "
                f"and time in a known layout; expected e.g. {EXAMPLES}"
            )
        layout, fmt, offset = got
        example = example or value
        layouts[layout] += 1
        if fmt:
            formats[fmt] += 1
        offsets.setdefault(offset, (i, value))
    if not layouts:
        raise InputError(
            f"{file_name}: column '{column}' is empty in the first {len(values)} rows; expected "
            f"dates such as {EXAMPLES}"
        )
    if len(offsets) > 1:
        (kind_a, (ia, va)), (kind_b, (ib, vb)) = list(offsets.items())[:2]
        kinds = {"none": "no time zone", "offset": "a UTC offset", "utc": "Z (UTC)"}
        raise InputError(
            f"{file_name}: column '{column}' mixes times with {kinds.get(kind_a, kind_a)} and "
            f"with {kinds.get(kind_b, kind_b)}: {row_label(ia)} has {va!r} but {row_label(ib)} "
            f"has {vb!r}; expected every time written the same way"
        )
    offset = next(iter(offsets))
    if set(layouts) & {"epoch_s", "epoch_ms"}:
        if len(layouts) > 1:
            raise InputError(
                f"{file_name}: column '{column}' mixes Unix times with dates (e.g. {example!r}); "
                "export all times the same way"
            )
        return TimeFormat(kind=next(iter(layouts)), offset="utc", strip=strip, example=example)
    ordered = tuple(f for f, _ in formats.most_common())
    return TimeFormat(
        kind="text",
        formats=ordered,
        offset=offset,
        order=order if "xxy" in layouts else None,
        strip=strip,
        example=example,
    )


def settle_order(con, from_sql: str, column_sql: str) -> tuple[int | None, int | None]:
    """Largest first and second number over every day/month-first date of the column."""
    c = f"CAST({column_sql} AS VARCHAR)"
    row = con.execute(
        f"SELECT max(TRY_CAST(regexp_extract({c}, {q_str(_XXY_SQL)}, 1) AS INTEGER)), "
        f"max(TRY_CAST(regexp_extract({c}, {q_str(_XXY_SQL)}, 2) AS INTEGER)) FROM {from_sql}"
    ).fetchone()
    return row[0], row[1]


def choose_order(
    max_first: int | None, max_second: int | None, column: str, example: str, file_name: str = ""
) -> str:
    """``dayfirst`` or ``monthfirst`` from the largest first/second numbers, or InputError."""
    first_big = (max_first or 0) > 12
    second_big = (max_second or 0) > 12
    if first_big and not second_big:
        return "dayfirst"
    if second_big and not first_big:
        return "monthfirst"
    if first_big and second_big:
        raise InputError(
            f"{file_name}: column '{column}' has dates with the first number above 12 and others "
            "with the second number above 12, so day-first and month-first dates are mixed; "
            "export all dates the same way"
        )
    raise InputError(
        f"{file_name}: column '{column}' has dates like {example!r} where day and month are "
        "both 12 or less everywhere, so the data cannot tell day-first from month-first; add "
        "--dayfirst (11/2 = 11 February) or --monthfirst (11/2 = 2 November)"
    )


def with_order(fmt: TimeFormat, order: str, inferred: bool) -> TimeFormat:
    """``fmt`` with its day/month placeholder resolved."""
    if order not in ("dayfirst", "monthfirst"):
        raise InputError(f"day/month order {order!r}: expected dayfirst or monthfirst")
    a, b = ("%d", "%m") if order == "dayfirst" else ("%m", "%d")
    formats = []
    for f in fmt.formats:
        if "{xxy}" in f:
            sep = f[len("{xxy}")]
            f = f"{a}{sep}{b}{sep}%Y" + f[len("{xxy}") + 1 :]
        formats.append(f)
    return TimeFormat(
        kind=fmt.kind,
        formats=tuple(dict.fromkeys(formats)),
        offset=fmt.offset,
        order=order,
        order_inferred=inferred,
        strip=fmt.strip,
        example=fmt.example,
    )


def needs_order(fmt: TimeFormat) -> bool:
    return fmt.kind == "text" and any("{xxy}" in f for f in fmt.formats)


def check_tz(tz: str) -> str:
    """Return ``tz`` if it is an IANA time zone name, else raise InputError."""
    import zoneinfo

    try:
        zoneinfo.ZoneInfo(tz)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        import difflib

        close = difflib.get_close_matches(tz, sorted(zoneinfo.available_timezones()), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise InputError(
            f"--time-zone {tz!r}: not a time zone name; expected e.g. Asia/Shanghai{hint}"
        ) from None
    return tz


def sql_expression(column_sql: str, fmt: TimeFormat, tz: str, column_type: str = "VARCHAR") -> str:
    """DuckDB expression turning ``column_sql`` into a naive wall-clock TIMESTAMP in ``tz``.

    NULL where the value is empty or does not parse (the caller reports those rows).
    """
    tzs = q_str(tz)
    ctype = column_type.upper()
    if fmt.kind == "timestamp" or ctype == "TIMESTAMP" or ctype.startswith("TIMESTAMP_"):
        return f"CAST({column_sql} AS TIMESTAMP)"
    if fmt.kind == "timestamptz" or ctype == "TIMESTAMP WITH TIME ZONE":
        return f"timezone({tzs}, {column_sql})"
    if fmt.kind == "date" or ctype == "DATE":
        return f"CAST({column_sql} AS TIMESTAMP)"
    col = f"CAST({column_sql} AS VARCHAR)" if ctype != "VARCHAR" else column_sql
    if fmt.strip:
        col = f"trim({col}, ' \t\r\n')"
    if fmt.kind == "epoch_s":
        return f"timezone({tzs}, to_timestamp(TRY_CAST({col} AS DOUBLE)))"
    if fmt.kind == "epoch_ms":
        return f"timezone({tzs}, to_timestamp(TRY_CAST({col} AS DOUBLE) / 1000))"
    if needs_order(fmt):
        raise ValueError("day/month order unresolved; call with_order first")
    fmts = fmt.formats
    parse = (
        f"try_strptime({col}, {q_str(fmts[0])})"
        if len(fmts) == 1
        else f"try_strptime({col}, [{', '.join(q_str(f) for f in fmts)}])"
    )
    if fmt.offset == "offset":
        return f"timezone({tzs}, {parse})"
    if fmt.offset == "utc":
        return f"timezone({tzs}, timezone('UTC', {parse}))"
    return parse


def native_format(column_type: str) -> TimeFormat | None:
    """The TimeFormat of a column that is already temporal (Excel dates, Parquet), else None."""
    ctype = column_type.upper()
    if ctype == "TIMESTAMP WITH TIME ZONE":
        return TimeFormat(kind="timestamptz")
    if ctype.startswith("TIMESTAMP"):
        return TimeFormat(kind="timestamp")
    if ctype == "DATE":
        return TimeFormat(kind="date")
    return None
