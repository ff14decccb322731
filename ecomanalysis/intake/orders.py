"""Order exports -> validated order events in DuckDB.

:func:`read_orders` reads a file once into a compact DuckDB table (one row per order: the
parsed time, a hash of the order id, the amount and a status code), validates it and returns an
:class:`OrderEvents` whose methods aggregate through DuckDB.

What is refused (:class:`~ecomanalysis.errors.InputError`, exit status 2 on the command line),
each problem naming the file, row, column and value:

- a missing or empty file, a header with no data rows;
- no timestamp column (the message lists the columns found and what each preset looks for);
- a time that does not parse, or is empty (row and value);
- a file mixing encodings (line and byte offset);
- a negative or non-numeric amount;
- order ids that appear more than once (unless ``dedupe``: the first row of each is kept;
  Shopify exports repeat an order's Name on every line item, so those are merged silently);
- times in the future.

Rows whose status says the order was cancelled or never paid (交易关闭, 等待买家付款, cancelled,
voided, pending ...) are dropped and counted by value; ``keep_all=True`` keeps them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ecomanalysis.errors import InputError
from ecomanalysis.intake import aggregate as agg
from ecomanalysis.intake import presets as P
from ecomanalysis.intake import readers as R
from ecomanalysis.intake import timestamps as T
from ecomanalysis.intake._duck import connect, q_ident, q_str

#: Leading rows read to infer the time layout and sniff value quirks.
SAMPLE_ROWS = 2000
#: Example rows quoted per kind of problem.
MAX_EXAMPLES = 5
#: Characters trimmed from order ids ("="123"" Excel text wrappers, padding tabs).
ID_TRIM = ' \t="'


@dataclass
class IntakeReport:
    """What an intake read, used and dropped (for ``profile`` and notebooks)."""

    file: str
    source: list[str]
    preset: str
    preset_auto: bool
    columns: dict[str, str]
    time_format: str
    tz: str
    rows_read: int = 0
    rows_kept: int = 0
    dropped: list[dict[str, Any]] = field(default_factory=list)
    merged: dict[str, Any] | None = None
    first_time: str | None = None
    last_time: str | None = None
    empty_rows: int = 0
    offsets: list[dict[str, Any]] | None = None
    parts: list[dict[str, Any]] | None = None

    @property
    def rows_dropped(self) -> int:
        return sum(d["rows"] for d in self.dropped) + (self.merged or {}).get("rows", 0)

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "source": self.source,
            "preset": self.preset,
            "preset_detected": self.preset_auto,
            "columns": self.columns,
            "time_format": self.time_format,
            "tz": self.tz,
            "rows_read": self.rows_read,
            "rows_kept": self.rows_kept,
            "rows_dropped": self.rows_dropped,
            "dropped": self.dropped,
            "merged": self.merged,
            "first_time": self.first_time,
            "last_time": self.last_time,
            "empty_rows": self.empty_rows,
            "offsets": self.offsets,
            "parts": self.parts,
        }

    def drop_lines(self) -> list[str]:
        """One line per reason rows were dropped or merged."""
        lines = [
            f"{d['rows']:,} {d['reason']} ({d['column']} = {d['value']})" for d in self.dropped
        ]
        if self.merged:
            lines.append(f"{self.merged['rows']:,} {self.merged['reason']}")
        if self.empty_rows:
            lines.append(f"{self.empty_rows:,} empty rows skipped")
        return lines


class OrderEvents:
    """Validated orders held in DuckDB; each method aggregates there.

    Attributes
    ----------
    report
        :class:`IntakeReport` of the read.
    tz
        Time zone of the wall-clock times.
    """

    def __init__(self, con, report: IntakeReport, tz: str, rel: str = "events"):
        self.con = con
        self.report = report
        self.tz = tz
        self.rel = rel
        #: How a user finds data row ``i`` of the file (``row 17``), when read from one file.
        self.row_label: Callable[[int], str] | None = None

    def __len__(self) -> int:
        return self.report.rows_kept

    def arrivals(self, freq: str = "15min", full_days: bool = True) -> pd.DataFrame:
        """Orders per interval (``interval_start`` tz-aware, ``arrivals``), empty ones as 0."""
        return agg.arrivals(self.con, self.rel, freq, self.tz, full_days)

    def daily(self) -> pd.DataFrame:
        """Orders per day (``date``, ``orders``), zero-filled."""
        return agg.daily(self.con, self.rel).rename(columns={"count": "orders"})

    def hour_shares(self) -> pd.DataFrame:
        return agg.hour_shares(self.con, self.rel)

    def weekday_shares(self) -> pd.DataFrame:
        return agg.weekday_shares(self.con, self.rel)

    def hour_weekday(self, per_day: bool = True) -> pd.DataFrame:
        """Weekday (rows, 0 = Monday) x hour (columns): mean orders per such day, or counts."""
        return agg.hour_weekday(self.con, self.rel, per_day)

    def peak_days(self, top: int = 10) -> pd.DataFrame:
        return agg.peak_days(agg.daily(self.con, self.rel), top).rename(columns={"count": "orders"})

    def times(self) -> pd.Series:
        """Every kept order time (naive wall clock in :attr:`tz`), in file order."""
        return self.con.execute(f"SELECT ts FROM {self.rel} ORDER BY r").df()["ts"]

    def has_time_of_day(self) -> bool:
        """False when every time is midnight (the export holds dates only, e.g. 20141111)."""
        return bool(self.con.execute(
            f"SELECT count(*) FILTER (WHERE CAST(ts AS TIME) <> TIME '00:00:00') > 0 FROM {self.rel}"
        ).fetchone()[0])

    def profile(self, top: int = 10) -> dict[str, Any]:
        """Hour and weekday shares, peak days with ratios, rows read and dropped.

        ``hour_shares`` is None when the export holds dates without times of day.
        """
        d = agg.daily(self.con, self.rel)
        timed = self.has_time_of_day()
        hours = agg.hour_shares(self.con, self.rel) if timed else None
        wd = agg.weekday_shares(self.con, self.rel, d)
        peaks = agg.peak_days(d, top)
        platforms = self.platform_shares() if self.has_platforms() else None
        return {
            "platforms": platforms,
            "report": self.report.as_dict(),
            "days": int(len(d)),
            "mean_orders_per_day": float(d["count"].mean()) if len(d) else 0.0,
            "has_time_of_day": timed,
            "hour_shares": hours,
            "weekday_shares": wd,
            "peak_days": peaks.rename(columns={"count": "orders"}),
        }

    def has_platforms(self) -> bool:
        """True when the events come from several files labelled by platform."""
        cols = [r[0] for r in self.con.execute(f"DESCRIBE {self.rel}").fetchall()]
        return "platform" in cols

    def platform_shares(self) -> pd.DataFrame:
        """Per platform: orders, share of all orders and its 24 hour-of-day shares (``h00`` ..
        ``h23``)."""
        counts = self.con.execute(
            f"SELECT platform, hour(ts) AS h, count(*) AS n FROM {self.rel} GROUP BY 1, 2"
        ).df()
        wide = counts.pivot_table(index="platform", columns="h", values="n", aggfunc="sum",
                                  fill_value=0).reindex(columns=range(24), fill_value=0)
        orders = wide.sum(axis=1)
        out = pd.DataFrame({"platform": wide.index, "orders": orders.to_numpy(dtype="int64"),
                            "share": (orders / orders.sum()).to_numpy()})
        shares = wide.div(orders, axis=0).to_numpy()
        for h in range(24):
            out[f"h{h:02d}"] = shares[:, h]
        return out.sort_values("orders", ascending=False, ignore_index=True)

    def close(self) -> None:
        self.con.close()


# --------------------------------------------------------------------------- helpers
def _sample(con, src: R.Source, column: str, n: int = SAMPLE_ROWS) -> list[str | None]:
    rows = con.execute(
        f"SELECT CAST({q_ident(column)} AS VARCHAR) FROM {src.from_sql} LIMIT {int(n)}"
    ).fetchall()
    return [r[0] for r in rows]


def _amount_sql(src: R.Source, column: str, sample: list[str | None]) -> tuple[str, str, bool]:
    """(amount DOUBLE expression, 'is a bad value' BOOLEAN expression, plain number?)."""
    c = q_ident(column)
    if src.column_types[column] != "VARCHAR":
        return f"TRY_CAST({c} AS DOUBLE)", "false", False
    plain = True
    text = c
    if any(v and any(ch in v for ch in ",¥￥ \t") for v in sample):
        text = f"replace(replace(replace(trim({c}, ' \t'), ',', ''), '¥', ''), '￥', '')"
        plain = False
    value = f"TRY_CAST({text} AS DOUBLE)"
    return value, f"({c} IS NOT NULL AND trim({c}) <> '' AND {value} IS NULL)", plain


@dataclass
class StatusFilter:
    """The status columns kept in the events table and how to turn them into drop reasons.

    Rules matching listed values keep the raw text (``s0``, ``s1`` ...); rules matching any
    non-empty value (``*``) keep a flag (``f0`` ...).  After the read, the distinct raw values
    are matched (case-insensitive, trimmed) in Python, so the per-row work stays a plain
    string comparison.
    """

    select: list[str] = field(default_factory=list)  # SQL expressions "expr AS s0"
    value_rules: list[tuple[str, P.DropRule]] = field(default_factory=list)  # (alias, rule)
    flag_rules: list[tuple[str, P.DropRule]] = field(default_factory=list)

    @classmethod
    def build(cls, rules: list[P.DropRule]) -> StatusFilter:
        out = cls()
        aliases: dict[str, str] = {}
        for r in rules:
            c = q_ident(r.column)
            if P.ANY_VALUE in r.values:
                alias = f"f{len(out.flag_rules)}"
                out.select.append(
                    f"({c} IS NOT NULL AND trim(CAST({c} AS VARCHAR)) <> '') AS {alias}"
                )
                out.flag_rules.append((alias, r))
                continue
            if r.column not in aliases:
                aliases[r.column] = f"s{len(aliases)}"
                out.select.append(f"CAST({c} AS VARCHAR) AS {aliases[r.column]}")
            out.value_rules.append((aliases[r.column], r))
        return out

    @property
    def aliases(self) -> list[str]:
        return list(dict.fromkeys([a for a, _ in self.value_rules] + [a for a, _ in self.flag_rules]))

    def classify(self, combo: dict[str, Any]) -> tuple[int, dict[str, str] | None]:
        """(rule index + 1, or 0 to keep; what matched) for one combination of status values."""
        for i, (alias, rule) in enumerate(self.value_rules + self.flag_rules, start=1):
            value = combo.get(alias)
            if alias.startswith("f"):
                if value:
                    return i, {"reason": rule.reason, "column": rule.column, "value": "(any value)"}
            elif value is not None and str(value).strip().casefold() in {
                v.strip().casefold() for v in rule.values
            }:
                return i, {"reason": rule.reason, "column": rule.column, "value": str(value)}
        return 0, None

    def keep_sql(self, dropped_values: dict[str, set[str]]) -> str:
        """SQL predicate true for rows no rule drops, given the raw values that drop per alias."""
        parts = []
        for alias, values in dropped_values.items():
            if values:
                parts.append(f"coalesce({alias} IN ({', '.join(q_str(v) for v in sorted(values))}), false)")
        for alias, _ in self.flag_rules:
            parts.append(f"coalesce({alias}, false)")
        return f"NOT ({' OR '.join(parts)})" if parts else "true"


def _id_sql(src: R.Source, column: str, sample: list[str | None]) -> str:
    c = f"CAST({q_ident(column)} AS VARCHAR)"
    if any(v and (v != v.strip() or v.startswith('="') or v.startswith("=")) for v in sample):
        return f"trim({c}, {q_str(ID_TRIM)})"
    return c


def _examples(rows: list[tuple], src: R.Source) -> str:
    return "; ".join(f"{src.row_label(int(r[0]))} {r[1]!r}" for r in rows)


# --------------------------------------------------------------------------- the reader
def read_orders(
    path: str | Path,
    preset: str | None = None,
    mapping: dict[str, str] | None = None,
    time_col: str | None = None,
    tz: str = T.DEFAULT_TZ,
    order: str | None = None,
    dedupe: bool = False,
    keep_all: bool = False,
    now: dt.datetime | None = None,
    threads: int | None = None,
    sheet: str | None = None,
    names: list[str] | None = None,
) -> OrderEvents:
    """Read an order export into validated :class:`OrderEvents`.

    Parameters
    ----------
    path
        CSV (UTF-8, UTF-8 with BOM, GBK/GB18030, UTF-16), ``.xlsx`` or ``.parquet``.
    preset
        ``generic``, ``taobao`` or ``shopify``; None detects it from the header.
    mapping
        Field -> column overrides, e.g. ``{"order_time": "下单时间"}``.
    time_col
        The column holding the order time (same as ``mapping["order_time"]``).
    tz
        Time zone of times written without one, and of every output (default Asia/Shanghai).
    order
        ``dayfirst`` or ``monthfirst`` for dates like 11/2/2017 when the data do not settle it.
    dedupe
        Keep the first row of each repeated order id instead of refusing the file.
    keep_all
        Keep cancelled and unpaid orders.
    now
        "Now" as a naive wall-clock time in ``tz`` (default: the clock); later times are refused.
    threads
        DuckDB threads (default: all cores).
    sheet
        Excel: the sheet to read (default: the first holding a time column).
    names
        Column names of a file without a header row.

    Rows that are entirely empty (``,,,,,`` rows Excel leaves behind) are skipped and counted
    (:attr:`IntakeReport.empty_rows`); a row with data but no time is an error naming the row.

    Raises
    ------
    InputError
        For every kind of bad input listed in the module docstring.
    """
    T.check_tz(tz)
    if order not in (None, "dayfirst", "monthfirst"):
        raise InputError(f"order {order!r}: expected dayfirst, monthfirst or None")
    con = connect(threads)
    try:
        events = _read(con, Path(path), preset, mapping, time_col, tz, order, dedupe, keep_all, now,
                       src_opts={"sheet": sheet, "names": list(names) if names else None})
    except BaseException:
        con.close()
        raise
    return events


def _time_names(kind: str, mapping: dict, time_col: str | None) -> list[str]:
    names = [a for p in P.load_presets(kind).values() for a in p.columns.get(P.TIME_FIELD[kind], ())]
    return names + [n for n in (time_col, mapping.get(P.TIME_FIELD[kind])) if n]


def _read(con, path, preset, mapping, time_col, tz, order, dedupe, keep_all, now, encoding=None,
          src_opts=None):
    import duckdb

    mapping = dict(mapping or {})
    src_opts = dict(src_opts or {})
    known = P.known_columns("orders", [*mapping.values(), time_col or ""])
    with R.open_source(path, con, known, encoding=encoding,
                       time_names=_time_names("orders", mapping, time_col), **src_opts) as src:
        try:
            return _read_source(con, src, preset, mapping, time_col, tz, order, dedupe, keep_all, now)
        except duckdb.Error as exc:
            if R.is_unicode_error(exc) and encoding is None:
                enc = R.scan_encoding(path)  # raises "mixes encodings" when it does
                if enc != "utf-8":
                    retry = (preset, mapping, time_col, tz, order, dedupe, keep_all, now, enc)
                else:
                    raise R.csv_error_to_input_error(path, exc) from exc
            else:
                raise R.csv_error_to_input_error(path, exc) from exc
    con.execute("DROP VIEW IF EXISTS events")
    con.execute("DROP TABLE IF EXISTS ev")
    return _read(con, path, *retry, src_opts=src_opts)


def _time_format(con, src, tcol, order, name) -> T.TimeFormat:
    fmt = T.native_format(src.column_types[tcol])
    if fmt is not None:
        return fmt
    fmt = T.infer_format(_sample(con, src, tcol), order, tcol, src.row_label, name)
    if T.needs_order(fmt):
        if order:
            return T.with_order(fmt, order, inferred=False)
        first, second = T.settle_order(con, src.from_sql, q_ident(tcol))
        chosen = T.choose_order(first, second, tcol, fmt.example, name)
        fmt = T.with_order(fmt, chosen, inferred=True)
    return fmt


def _read_source(con, src, preset, mapping, time_col, tz, order, dedupe, keep_all, now):
    name = src.path.name
    cmap = P.resolve(
        src.columns, "orders", preset, mapping, time_col, name,
        looks_like_time=lambda c: T.looks_like_time(_sample(con, src, c, 50)),
    )
    tcol = cmap.fields["order_time"]
    if T.looks_like_time([tcol]):  # a file without a header row: its first order became the header
        raise InputError(
            f"{name} row 1: the time column's name {tcol!r} is itself a date and time, so the "
            "first row is an order, not a header; expected a header row of column names, or "
            "state them with --columns A,B,C (columns: [A, B, C] under files: in the shop YAML)")
    fmt = _time_format(con, src, tcol, order, name)
    id_col = cmap.fields.get("order_id")
    amount_col = cmap.fields.get("amount")
    status = StatusFilter.build([] if keep_all else cmap.drop_rules)
    _create_events_table(con, src, fmt, tz, tcol, id_col, amount_col, status)

    report = IntakeReport(
        file=str(src.path),
        source=src.notes,
        preset=cmap.preset,
        preset_auto=cmap.auto,
        columns=cmap.fields,
        time_format=fmt.describe(),
        tz=tz,
    )
    report.empty_rows = _drop_empty_rows(con, src)
    n = con.execute("SELECT count(*) FROM ev").fetchone()[0]
    report.rows_read = int(n)
    if n == 0:
        extra = f" ({report.empty_rows:,} empty rows skipped)" if report.empty_rows else ""
        raise InputError(f"{name} has a header but no data rows{extra}; expected one row per order")
    if fmt.offset in ("offset", "utc") and fmt.kind == "text":
        report.offsets = _offsets(con, src, tcol, fmt)

    if id_col:
        _duplicates(con, src, id_col, cmap, dedupe, report)

    if now is None:
        import zoneinfo

        now = dt.datetime.now(zoneinfo.ZoneInfo(tz)).replace(tzinfo=None)
    totals, first, last, dropped, keep = _status_summary(con, status, amount_col, now)

    problems = _validate(con, src, tcol, amount_col, tz, now, keep, totals[1:])
    if not problems:
        problems = _lone_times(con, src, tcol, keep)
    if problems:
        raise InputError("\n".join(problems), problems)
    report.dropped = sorted(dropped.values(), key=lambda d: -d["rows"])
    con.execute(f"CREATE VIEW events AS SELECT ts, rowid AS r FROM ev WHERE {keep}")
    report.rows_kept = int(totals[0])
    report.first_time = str(first) if first is not None else None
    report.last_time = str(last) if last is not None else None
    if report.rows_kept == 0:
        raise InputError(
            f"{name}: all {n:,} rows were dropped ({'; '.join(report.drop_lines())}); "
            "nothing left to count (keep them with --keep-all)"
        )
    events = OrderEvents(con, report, tz)
    events.row_label = src.row_label
    return events


def _create_events_table(con, src, fmt: T.TimeFormat, tz: str, tcol: str, id_col: str | None,
                         amount_col: str | None, status: StatusFilter) -> None:
    """Create the temp table ``ev`` (``ts``, ``h`` the order id's hash, ``amount``,
    ``amount_bad`` and the status columns), through DuckDB's typed CSV reader when the file
    has a single naive time layout (a bad value there: read as text and report it)."""
    import duckdb

    def select(typed: bool) -> str:
        ttype = "TIMESTAMP" if typed else src.column_types[tcol]
        cols = [f"{T.sql_expression(q_ident(tcol), fmt, tz, ttype)} AS ts"]
        if id_col:
            cols.append(f"hash({_id_sql(src, id_col, _sample(con, src, id_col, 200))}) AS h")
        if amount_col:
            if typed and amount_plain:
                cols += [f"{q_ident(amount_col)} AS amount", "false AS amount_bad"]
            else:
                cols += [f"{amount_value} AS amount", f"{amount_bad} AS amount_bad"]
        cols += status.select
        return ", ".join(cols)

    amount_value = amount_bad = None
    amount_plain = False
    if amount_col:
        amount_value, amount_bad, amount_plain = _amount_sql(
            src, amount_col, _sample(con, src, amount_col, 200)
        )
    # fast path: DuckDB's CSV reader parses a single naive time layout and plain amounts
    typed_src = None
    if fmt.kind == "text" and len(fmt.formats) == 1 and fmt.offset == "none" and not fmt.strip:
        types = {tcol: "TIMESTAMP"}
        if amount_col and amount_plain:
            types[amount_col] = "DOUBLE"
        typed_src = src.typed_sql(types, fmt.formats[0])
    created = False
    if typed_src is not None:
        try:
            con.execute(f"CREATE TEMP TABLE ev AS SELECT {select(True)} FROM {typed_src}")
            created = True
        except duckdb.Error as exc:
            if R.is_unicode_error(exc):
                raise
            con.execute("DROP TABLE IF EXISTS ev")  # a bad value: read as text and report it
    if not created:
        con.execute(f"CREATE TEMP TABLE ev AS SELECT {select(False)} FROM {src.from_sql}")


def _status_summary(con, status: StatusFilter, amount_col: str | None, now):
    """One pass over ``ev``: every combination of status values with its checks.

    Returns ``totals`` (rows, bad time, future, negative, bad amount of the rows kept), the
    first and last time kept, the dropped rows by (reason, column, value), and the SQL that
    keeps the rows not dropped."""
    aliases = status.aliases
    checks = ["count(*)", "count(*) FILTER (WHERE ts IS NULL)", "count(*) FILTER (WHERE ts > $now)"]
    checks += (["count(*) FILTER (WHERE amount < 0)", "count(*) FILTER (WHERE amount_bad)"]
               if amount_col else ["0", "0"])
    checks += ["min(ts)", "max(ts)"]
    group = f" GROUP BY {', '.join(aliases)}" if aliases else ""
    summary = con.execute(
        f"SELECT {', '.join(aliases + checks)} FROM ev{group}", {"now": now}
    ).fetchall()
    totals = np.zeros(5, dtype="int64")  # rows, bad time, future, negative, bad amount (kept)
    first = last = None
    dropped: dict[tuple, dict[str, Any]] = {}
    drop_values: dict[str, set[str]] = {a: set() for a, _ in status.value_rules}
    for row in summary:
        combo = dict(zip(aliases, row[: len(aliases)], strict=True))
        stats = row[len(aliases):]
        code, what = status.classify(combo)
        if code:
            key = (what["reason"], what["column"], what["value"])
            entry = dropped.setdefault(key, {**what, "rows": 0})
            entry["rows"] += int(stats[0])
            if what["value"] != "(any value)":
                alias = next(a for a, r in status.value_rules if r.column == what["column"])
                drop_values[alias].add(combo[alias])
            continue
        totals += np.array(stats[:5], dtype="int64")
        if stats[5] is not None:
            first = stats[5] if first is None else min(first, stats[5])
            last = stats[6] if last is None else max(last, stats[6])
    return totals, first, last, dropped, status.keep_sql(drop_values)


def _blank_sql(columns: list[str]) -> str:
    """SQL true when every one of ``columns`` is NULL or blank."""
    return " AND ".join(
        f"coalesce(trim(CAST({q_ident(c)} AS VARCHAR), ' \t\r\n'), '') = ''" for c in columns
    )


def _drop_empty_rows(con, src, rel: str = "ev", time_expr: str = "ts") -> int:
    """Delete from ``rel`` the rows whose every cell is empty; return how many.

    Only rows without a time can be empty, so the source is rescanned only when such rows exist.
    """
    if not con.execute(f"SELECT count(*) FROM {rel} WHERE {time_expr} IS NULL").fetchone()[0]:
        return 0
    con.execute("DROP TABLE IF EXISTS blank_rows")
    con.execute(f"CREATE TEMP TABLE blank_rows AS SELECT {_blank_sql(src.columns)} AS b FROM {src.from_sql}")
    n = con.execute("SELECT count(*) FROM blank_rows WHERE b").fetchone()[0]
    if n:
        con.execute(f"DELETE FROM {rel} WHERE rowid IN (SELECT rowid FROM blank_rows WHERE b)")
    con.execute("DROP TABLE blank_rows")
    return int(n)


_OFFSET_RX = r"(Z|[+-]\d{2}:?\d{2})\s*$"


def _offsets(con, src, tcol: str, fmt: T.TimeFormat) -> list[dict[str, Any]]:
    """The UTC offsets written in the time column, each with its first and last instant (UTC)."""
    col = f"CAST({q_ident(tcol)} AS VARCHAR)"
    utc = T.sql_expression(q_ident(tcol), fmt, "UTC", src.column_types[tcol])
    rows = con.execute(
        f"SELECT regexp_extract(trim({col}), {q_str(_OFFSET_RX)}, 1) AS o, min({utc}), max({utc}), "
        f"count(*) FROM {src.from_sql} WHERE {utc} IS NOT NULL GROUP BY o ORDER BY o"
    ).fetchall()
    return [{"offset": o, "first_utc": str(a), "last_utc": str(b), "rows": int(n)}
            for o, a, b, n in rows]


def _lone_segments(days: np.ndarray, counts: np.ndarray) -> tuple[list[tuple], tuple]:
    """Stretches of ``days`` (sorted ``datetime64[D]`` with their order ``counts``) cut off from
    the rest by more than ``lone_time_gap_days`` that hold at most ``lone_time_max_rows`` rows
    and at most ``lone_time_max_share`` of all rows (data/intake_presets.yaml: intake_limits):
    ``([(first_day, last_day), ...], (main_first_day, main_last_day))``; the main stretch is
    the one with the most rows.  Larger far-away stretches are real history and are kept."""
    gap_days = P.intake_limit("lone_time_gap_days")
    max_rows = int(P.intake_limit("lone_time_max_rows"))
    max_share = P.intake_limit("lone_time_max_share")
    if len(days) < 2:
        return [], ()
    cuts = np.flatnonzero(np.diff(days).astype("int64") > gap_days)
    if not len(cuts):
        return [], ()
    bounds = np.r_[0, cuts + 1, len(days)]
    seg_rows = np.add.reduceat(counts, bounds[:-1])
    main = int(np.argmax(seg_rows))
    lone = (seg_rows <= max_rows) & (seg_rows <= max_share * seg_rows.sum())
    lone[main] = False
    segs = [(days[bounds[i]], days[bounds[i + 1] - 1]) for i in np.flatnonzero(lone)]
    return segs, (days[bounds[main]], days[bounds[main + 1] - 1])


def _lone_message(where: str, tcol: str, value, main: tuple) -> str:
    gap_days = P.intake_limit("lone_time_gap_days")
    return (f"{where}: column '{tcol}' has {value!r}, more than {gap_days:.0f} days away from "
            f"every other order (the rest run {main[0]} .. {main[1]}); expected a real order "
            "time (a 1970 date is an empty Unix time): fix or delete the row")


def _lone_times(con, src, tcol: str, keep: str) -> list[str]:
    """Rows cut off from the rest by more than ``lone_time_gap_days`` (a 1970 epoch default, a
    year typo): refused with their row numbers when they are few."""
    days = con.execute(
        f"SELECT CAST(ts AS DATE) AS d, count(*) AS n FROM ev WHERE {keep} AND ts IS NOT NULL "
        "GROUP BY d ORDER BY d"
    ).fetchnumpy()
    d = days["d"].astype("datetime64[D]") if len(days["d"]) else np.array([], "datetime64[D]")
    segs, main = _lone_segments(d, np.asarray(days["n"], dtype="int64"))
    problems = []
    for lo, hi in segs:
        rows = con.execute(
            f"SELECT rowid, ts FROM ev WHERE {keep} AND CAST(ts AS DATE) BETWEEN ? AND ? "
            f"ORDER BY rowid LIMIT {MAX_EXAMPLES}", [lo.item(), hi.item()]
        ).fetchall()
        raw = _raw_values(con, src, tcol, [r for r, _ in rows])
        problems += [_lone_message(f"{src.path.name} {src.row_label(int(r))}", tcol, raw.get(r),
                                   main) for r, _ in rows]
    return problems


def _day_counts(ev: OrderEvents) -> dict[str, Any]:
    """What the cross-file lone-time check needs of one file, taken before it is closed: its
    orders per day, and the rows (row label, time) of its days with at most
    ``lone_time_max_rows`` orders (a lone stretch is made of such days only)."""
    max_rows = int(P.intake_limit("lone_time_max_rows"))
    days = ev.con.execute(f"SELECT CAST(ts AS DATE) AS d, count(*) AS n FROM {ev.rel} "
                          "GROUP BY d").df()
    few = ev.con.execute(
        f"SELECT r, ts, CAST(ts AS DATE) AS d FROM {ev.rel} WHERE CAST(ts AS DATE) IN "
        f"(SELECT CAST(ts AS DATE) FROM {ev.rel} GROUP BY 1 HAVING count(*) <= {max_rows}) "
        "ORDER BY r").fetchall()
    label = ev.row_label or (lambda i: f"data row {i + 1}")
    return {"file": Path(ev.report.file).name, "column": ev.report.columns["order_time"],
            "days": days, "rows": [(label(int(r)), str(ts), d) for r, ts, d in few]}


def _lone_times_across(parts: list[dict[str, Any]]) -> list[str]:
    """The lone-time check of :func:`_lone_times` over the merged files of one source
    (:func:`_day_counts` of each): a file that is one stray row, or whose few times sit decades
    away from the other files, is refused naming the file and its rows."""
    merged = pd.concat([p["days"] for p in parts], ignore_index=True).groupby(
        "d", sort=True)["n"].sum()
    days = merged.index.to_numpy().astype("datetime64[D]")
    segs, main = _lone_segments(days, merged.to_numpy(dtype="int64"))
    problems = []
    for lo, hi in segs:
        for p in parts:
            hits = [(label, ts) for label, ts, d in p["rows"]
                    if lo <= np.datetime64(d, "D") <= hi][:MAX_EXAMPLES]
            problems += [_lone_message(f"{p['file']} {label}", p["column"], ts, main)
                         for label, ts in hits]
    return problems


def _duplicates(con, src, id_col, cmap, dedupe, report) -> None:
    """Find repeated order ids; merge them (line items / dedupe) or refuse the file."""
    id_sql = _id_sql(src, id_col, _sample(con, src, id_col, 200))
    hashes = con.execute("SELECT h FROM ev WHERE h IS NOT NULL").fetchnumpy()["h"]
    if len(hashes) < 2:
        return
    hashes.sort()
    rep = hashes[1:][hashes[1:] == hashes[:-1]]
    if len(rep) == 0:
        return
    # hashes can collide: confirm on the ids themselves (rowid order = file order in both tables)
    con.register("dup_hashes", pd.DataFrame({"h": np.unique(rep)}))
    con.execute(f"CREATE TEMP TABLE ids AS SELECT {id_sql} AS id FROM {src.from_sql}")
    con.execute(
        """CREATE TEMP TABLE dup_rows AS
           SELECT rowid AS r, id, row_number() OVER (PARTITION BY id ORDER BY rowid) AS k,
                  count(*) OVER (PARTITION BY id) AS n
           FROM ids WHERE hash(id) IN (SELECT h FROM dup_hashes) AND id IS NOT NULL"""
    )
    n_ids, n_extra = con.execute(
        "SELECT count(DISTINCT id) FILTER (WHERE n > 1), count(*) FILTER (WHERE k > 1) FROM dup_rows"
    ).fetchone()
    if not n_extra:
        return
    if cmap.line_items or dedupe:
        con.execute("DELETE FROM ev WHERE rowid IN (SELECT r FROM dup_rows WHERE k > 1)")
        why = (
            f"line-item rows merged into their order ({cmap.fields['order_id']} repeats per item)"
            if cmap.line_items
            else "repeated order ids removed (--dedupe kept the first row of each)"
        )
        report.merged = {"reason": why, "rows": int(n_extra), "order_ids": int(n_ids)}
        return
    examples = con.execute(
        f"""SELECT id, list(r ORDER BY r) FROM dup_rows WHERE n > 1
            GROUP BY id ORDER BY min(r) LIMIT {MAX_EXAMPLES}"""
    ).fetchall()
    shown = "; ".join(
        f"{i!r} on {', '.join(src.row_label(int(r)) for r in rows[:4])}" for i, rows in examples
    )
    raise InputError(
        f"{src.path.name}: {n_ids:,} order ids in column '{id_col}' appear more than once "
        f"({n_extra:,} extra rows), e.g. {shown}; remove the repeats or pass --dedupe to keep "
        "the first row of each"
    )


def _validate(con, src, tcol, amount_col, tz, now, keep: str, counts) -> list[str]:
    """Problems (with example rows) for the kept rows, given the counts of bad times, future
    times, negative amounts and non-numeric amounts."""
    name = src.path.name
    bad_ts, future, negative, bad_amount = (int(c) for c in counts)
    problems: list[str] = []
    if bad_ts:
        rowids = [r[0] for r in con.execute(
            f"SELECT rowid FROM ev WHERE {keep} AND ts IS NULL ORDER BY rowid LIMIT {MAX_EXAMPLES}"
        ).fetchall()]
        raw = _raw_values(con, src, tcol, rowids)
        for r in rowids:
            value = raw.get(r)
            where = f"{name} {src.row_label(r)}: column '{tcol}'"
            if value is None or not str(value).strip():
                problems.append(f"{where} is empty; every order needs the time it was placed")
            else:
                problems.append(
                    f"{where} has {value!r} which is not a date and time like the rest of the "
                    f"column; expected e.g. {T.EXAMPLES}"
                )
        if bad_ts > len(rowids):
            problems.append(f"{name}: {bad_ts:,} rows in all have a missing or unreadable time")
    if future:
        rows = con.execute(
            f"SELECT rowid, ts FROM ev WHERE {keep} AND ts > ? ORDER BY rowid LIMIT {MAX_EXAMPLES}",
            [now],
        ).fetchall()
        problems.append(
            f"{name}: {future:,} rows have times in the future (after {now:%Y-%m-%d %H:%M} {tz}), "
            f"e.g. {'; '.join(f'{src.row_label(int(r))} {t:%Y-%m-%d %H:%M:%S}' for r, t in rows)}"
            f"; check the date layout (--dayfirst/--monthfirst) and the time zone (--tz)"
        )
    from ecomanalysis.bounds import date_window

    first = date_window()[0]
    old = con.execute(f"SELECT rowid, ts FROM ev WHERE {keep} AND ts < ? ORDER BY rowid "
                      f"LIMIT {MAX_EXAMPLES}", [dt.datetime(first.year, 1, 1)]).fetchall()
    if old:
        problems.append(
            f"{name}: rows have times before {first:%Y-%m-%d} in column '{tcol}', e.g. "
            f"{'; '.join(f'{src.row_label(int(r))} {t:%Y-%m-%d %H:%M:%S}' for r, t in old)}; "
            "check the date layout (--dayfirst/--monthfirst)"
        )
    if negative:
        rows = con.execute(
            f"SELECT rowid, amount FROM ev WHERE {keep} AND amount < 0 ORDER BY rowid "
            f"LIMIT {MAX_EXAMPLES}"
        ).fetchall()
        problems.append(
            f"{name}: {negative:,} rows have a negative amount in column '{amount_col}', e.g. "
            f"{_examples(rows, src)}; expected amounts >= 0 (refunds belong in their own column)"
        )
    if bad_amount:
        rowids = [r[0] for r in con.execute(
            f"SELECT rowid FROM ev WHERE {keep} AND amount_bad ORDER BY rowid LIMIT {MAX_EXAMPLES}"
        ).fetchall()]
        raw = _raw_values(con, src, amount_col, rowids)
        problems.append(
            f"{name}: {bad_amount:,} rows have an amount in column '{amount_col}' that is not a "
            f"number, e.g. {'; '.join(f'{src.row_label(r)} {raw.get(r)!r}' for r in rowids)}"
        )
    return problems


def _raw_values(con, src, column, rowids: list[int]) -> dict[int, Any]:
    """Original text of ``column`` at data rows ``rowids`` (error path only: rescans the file)."""
    if not rowids:
        return {}
    table = "raw_" + str(abs(hash(column)) % 10**8)
    with contextlib.suppress(Exception):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    con.execute(
        f"CREATE TEMP TABLE {table} AS SELECT CAST({q_ident(column)} AS VARCHAR) AS v "
        f"FROM {src.from_sql}"
    )
    ids = ", ".join(str(int(r)) for r in rowids)
    return dict(con.execute(f"SELECT rowid, v FROM {table} WHERE rowid IN ({ids})").fetchall())


# --------------------------------------------------------------------------- several files
#: Options one entry of :func:`read_order_files` may carry (the rest are shared).
FILE_OPTIONS = ("preset", "mapping", "time_col", "order", "dedupe", "keep_all", "sheet", "names",
                "platform")


def read_order_files(
    entries: list[dict[str, Any]],
    tz: str = T.DEFAULT_TZ,
    now: dt.datetime | None = None,
    threads: int | None = None,
) -> OrderEvents:
    """Read several order exports (one per platform, per month ...) into one :class:`OrderEvents`.

    Parameters
    ----------
    entries
        One dict per file: ``path`` and any of :data:`FILE_OPTIONS` (``platform`` labels the
        file's orders; default the preset's platform).
    tz
        The shop's time zone: every file's times are converted to it.

    The merged events keep a ``platform`` column, so :meth:`OrderEvents.profile` gives each
    platform's share and hour shape.  An order id repeated *across* files is not checked (each
    platform numbers its own orders).
    """
    if not entries:
        raise InputError("no order files given; expected at least one export")
    if len(entries) == 1 and not entries[0].get("platform"):
        e = entries[0]
        return read_orders(e["path"], e.get("preset"), e.get("mapping"), e.get("time_col"), tz,
                           e.get("order"), e.get("dedupe", False), e.get("keep_all", False), now,
                           threads, e.get("sheet"), e.get("names"))
    frames, reports, parts = [], [], []
    for e in entries:
        unknown = set(e) - set(FILE_OPTIONS) - {"path"}
        if unknown:
            raise ValueError(f"unknown file options {sorted(unknown)}")
        ev = read_orders(e["path"], e.get("preset"), e.get("mapping"), e.get("time_col"), tz,
                         e.get("order"), e.get("dedupe", False), e.get("keep_all", False), now,
                         threads, e.get("sheet"), e.get("names"))
        try:
            r = ev.report
            platform = e.get("platform") or _preset_platform(r.preset)
            frames.append(pd.DataFrame({"ts": ev.times().to_numpy(), "platform": platform}))
            reports.append({**r.as_dict(), "platform": platform})
            parts.append(_day_counts(ev))
        finally:
            ev.close()
    problems = _lone_times_across(parts)  # each file passed alone; now all of them together
    if problems:
        raise InputError("\n".join(problems), problems)
    data = pd.concat(frames, ignore_index=True)
    con = connect(threads)
    try:
        con.register("merged_df", data)
        con.execute("CREATE TEMP TABLE merged AS SELECT ts, platform FROM merged_df")
        con.unregister("merged_df")
        con.execute("CREATE VIEW events AS SELECT ts, rowid AS r, platform FROM merged")
        first, last = con.execute("SELECT min(ts), max(ts) FROM merged").fetchone()
    except BaseException:
        con.close()
        raise
    presets = list(dict.fromkeys(r["preset"] for r in reports))
    report = IntakeReport(
        file=" + ".join(str(r["file"]) for r in reports),
        source=[f"{Path(r['file']).name}: {', '.join(r['source'])}" for r in reports],
        preset=", ".join(presets),
        preset_auto=all(r["preset_detected"] for r in reports),
        columns=reports[0]["columns"],
        time_format="; ".join(r["time_format"] for r in reports),
        tz=tz,
        rows_read=sum(r["rows_read"] for r in reports),
        rows_kept=len(data),
        dropped=[{**d, "column": f"{Path(r['file']).name}: {d['column']}"}
                 for r in reports for d in r["dropped"]],
        first_time=str(first),
        last_time=str(last),
        empty_rows=sum(r["empty_rows"] for r in reports),
        parts=reports,
    )
    merged_rows = sum((r["merged"] or {}).get("rows", 0) for r in reports)
    if merged_rows:
        report.merged = {"reason": "line-item or repeated rows merged into their order",
                         "rows": merged_rows}
    return OrderEvents(con, report, tz)


def _preset_platform(preset: str) -> str:
    p = P.load_presets("orders").get(preset)
    return p.platforms[0] if p is not None and p.platforms else preset
