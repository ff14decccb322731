"""Customer-service chat logs -> arrivals, measured handle time and each agent's concurrency.

A chat export has one row per session: a start time, an end time or a duration, the agent and
the channel (pre-sale / after-sale; 售前 / 售后 accepted), and optionally when an agent first took
the chat: a time (``answer_time``: 首次响应时间, answered_at ...) or seconds after the start
(``first_response_s``: 首次响应时长(秒) ...).  A session without an agent was abandoned (the
customer left before anyone took it) and has no answer.  :func:`read_chats` validates it into
DuckDB; :class:`ChatSessions` then gives

- :meth:`~ChatSessions.arrivals`: sessions started and their mean handle time per interval and
  channel (handle time = end - answer of the session, or end - start without an answer time,
  in seconds);
- :meth:`~ChatSessions.agent_concurrency`: per agent, the largest number of sessions open at
  once and the time-weighted mean number open while at least one was open
  (= total session time / busy time), i.e. the concurrency the agent actually ran.
"""

from __future__ import annotations

import datetime as dt
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
from ecomanalysis.intake.orders import (
    MAX_EXAMPLES,
    IntakeReport,
    _drop_empty_rows,
    _raw_values,
    _sample,
)

UNKNOWN_CHANNEL = "other"


def _time_sql(con, src, column, order, tz, name) -> tuple[str, str]:
    ttype = src.column_types[column]
    fmt = T.native_format(ttype)
    if fmt is None:
        fmt = T.infer_format(_sample(con, src, column), order, column, src.row_label, name)
        if T.needs_order(fmt):
            if order:
                fmt = T.with_order(fmt, order, inferred=False)
            else:
                first, second = T.settle_order(con, src.from_sql, q_ident(column))
                fmt = T.with_order(
                    fmt, T.choose_order(first, second, column, fmt.example, name), inferred=True
                )
    return T.sql_expression(q_ident(column), fmt, tz, ttype), fmt.describe()


def _duration_sql(src, column) -> str:
    c = q_ident(column)
    if src.column_types[column] != "VARCHAR":
        return f"TRY_CAST({c} AS DOUBLE)"
    t = f"trim(replace(trim({c}), '秒', ''))"  # "25秒" as some 千牛 reports write it
    part = lambda i: f"TRY_CAST(split_part({t}, ':', {i}) AS DOUBLE)"  # noqa: E731
    return (
        f"CASE len(string_split({t}, ':')) WHEN 1 THEN TRY_CAST({t} AS DOUBLE) "
        f"WHEN 2 THEN {part(1)} * 60 + {part(2)} "
        f"WHEN 3 THEN {part(1)} * 3600 + {part(2)} * 60 + {part(3)} END"
    )


def _channel_sql(column: str | None) -> str:
    if column is None:
        return q_str(UNKNOWN_CHANNEL)
    c = f"lower(trim(CAST({q_ident(column)} AS VARCHAR)))"
    whens = [
        f"WHEN {q_str(label.casefold())} THEN {q_str(canon)}"
        for canon, labels in P.channel_labels().items()
        for label in labels
    ]
    return f"CASE {c} {' '.join(whens)} ELSE coalesce(nullif({c}, ''), {q_str(UNKNOWN_CHANNEL)}) END"


class ChatSessions:
    """Validated chat sessions in DuckDB (table ``sessions``: start, end, handle_s, agent,
    channel, answer)."""

    def __init__(self, con, report: IntakeReport, tz: str):
        self.con = con
        self.report = report
        self.tz = tz

    def __len__(self) -> int:
        return self.report.rows_kept

    def frame(self) -> pd.DataFrame:
        """Every session (``start``, ``end``, ``handle_s``, ``agent``, ``channel``, ``answer``:
        when an agent first took it, NaT without an answer time), file order."""
        return self.con.execute(
            "SELECT start, \"end\", handle_s, agent, channel, answer FROM sessions ORDER BY rowid"
        ).df()

    def has_answer(self) -> bool:
        """True if the export gives answer times (a column for them was found)."""
        cols = self.report.columns
        return "answer_time" in cols or "first_response_s" in cols

    def channels(self) -> list[str]:
        return [r[0] for r in self.con.execute(
            "SELECT DISTINCT channel FROM sessions ORDER BY 1").fetchall()]

    def arrivals(self, freq: str = "30min", by_channel: bool = True) -> pd.DataFrame:
        """Sessions started and their mean handle time per interval.

        Returns
        -------
        DataFrame
            ``interval_start`` (tz-aware), ``channel`` (if ``by_channel``), ``arrivals`` and
            ``mean_handle_s`` (NaN for an interval without sessions), every interval of the
            covered days present.
        """
        frames = []
        groups = self.channels() if by_channel else [None]
        for ch in groups:
            where = f"WHERE channel = {q_str(ch)}" if ch is not None else ""
            rel = f"(SELECT start AS ts, handle_s FROM sessions {where})"
            a = agg.arrivals(self.con, rel, freq, self.tz)
            h = agg.arrivals(self.con, rel, freq, self.tz, value_sql="avg(handle_s)",
                             value_name="mean_handle_s")
            a = a.merge(h, on="interval_start", how="left")
            a.loc[a["arrivals"] == 0, "mean_handle_s"] = np.nan
            if ch is not None:
                a.insert(1, "channel", ch)
            frames.append(a)
        out = pd.concat(frames, ignore_index=True)
        # the channels may cover different days: give each the same full grid
        if by_channel and len(groups) > 1:
            grid = pd.MultiIndex.from_product(
                [sorted(out["interval_start"].unique()), groups], names=["interval_start", "channel"]
            )
            out = out.set_index(["interval_start", "channel"]).reindex(grid).reset_index()
            out["arrivals"] = out["arrivals"].fillna(0).astype("int64")
        return out.sort_values(["interval_start"] + (["channel"] if by_channel else []),
                               kind="stable").reset_index(drop=True)

    def agent_concurrency(self) -> pd.DataFrame:
        """Concurrency each agent actually ran.

        Returns
        -------
        DataFrame
            One row per agent: ``sessions``, ``handle_s`` (sum of session lengths), ``busy_s``
            (time with at least one session open), ``max_concurrent`` and
            ``mean_concurrent`` (= ``handle_s / busy_s``, the time-weighted mean number of open
            sessions while busy).  A session ending when another starts does not overlap it.
        """
        d = self.con.execute(
            """SELECT agent, epoch_us(start) AS s_us, epoch_us("end") AS e_us FROM sessions
               WHERE agent IS NOT NULL ORDER BY agent"""
        ).df()
        if d.empty:
            return pd.DataFrame(columns=["agent", "sessions", "handle_s", "busy_s",
                                         "max_concurrent", "mean_concurrent"])
        codes, agents = pd.factorize(d["agent"], sort=True)
        s = d["s_us"].to_numpy(dtype="int64")
        e = d["e_us"].to_numpy(dtype="int64")
        sessions = np.bincount(codes, minlength=len(agents))
        handle_s = np.bincount(codes, weights=(e - s) / 1e6, minlength=len(agents))
        pos = e > s  # zero-length sessions never overlap anything
        t = np.concatenate([s[pos], e[pos]])
        delta = np.concatenate([np.ones(pos.sum(), "int64"), -np.ones(pos.sum(), "int64")])
        who = np.concatenate([codes[pos], codes[pos]])
        order = np.lexsort((delta, t, who))  # by agent, time; an end before a start at a tie
        t, delta, who = t[order], delta[order], who[order]
        level = np.cumsum(delta)  # each agent's deltas sum to 0, so levels restart per agent
        max_c = np.zeros(len(agents), dtype="int64")
        busy_s = np.zeros(len(agents))
        if len(t):
            np.maximum.at(max_c, who, level)
            gap = np.diff(t, append=t[-1]) / 1e6
            same = np.append(who[1:] == who[:-1], False)
            busy = (level > 0) & same
            busy_s = np.bincount(who[busy], weights=gap[busy], minlength=len(agents))
        with np.errstate(invalid="ignore", divide="ignore"):
            mean_c = np.where(busy_s > 0, handle_s / busy_s, np.nan)
        return pd.DataFrame(
            {
                "agent": np.asarray(agents, dtype=object),
                "sessions": sessions.astype("int64"),
                "handle_s": handle_s,
                "busy_s": busy_s,
                "max_concurrent": max_c,
                "mean_concurrent": mean_c,
            }
        )

    def close(self) -> None:
        self.con.close()


def read_chats(
    path: str | Path,
    preset: str | None = None,
    mapping: dict[str, str] | None = None,
    time_col: str | None = None,
    tz: str = T.DEFAULT_TZ,
    order: str | None = None,
    now: dt.datetime | None = None,
    threads: int | None = None,
) -> ChatSessions:
    """Read a chat/session export into validated :class:`ChatSessions`.

    Parameters
    ----------
    path
        CSV (any of the encodings :mod:`.readers` handles), ``.xlsx`` or ``.parquet``.
    preset
        ``generic`` or ``zh``; None detects it.
    mapping
        Field -> column overrides (fields: session_id, start_time, end_time, duration_s,
        agent, channel, answer_time, first_response_s).
    time_col
        Column holding the session start.
    tz, order, now, threads
        As for :func:`~ecomanalysis.intake.orders.read_orders`.

    Raises
    ------
    InputError
        Missing/empty file, no start column, neither end time nor duration, unreadable times,
        sessions ending before they start, start times in the future, answer times that are
        not readable or fall outside their session.
    """
    import duckdb

    T.check_tz(tz)
    con = connect(threads)
    p = Path(path)
    mapping = dict(mapping or {})
    known = P.known_columns("chats", [*mapping.values(), time_col or ""])
    try:
        with R.open_source(p, con, known) as src:
            try:
                return _read_source(con, src, preset, mapping, time_col, tz, order, now)
            except duckdb.Error as exc:
                if not R.is_unicode_error(exc):
                    raise R.csv_error_to_input_error(p, exc) from exc
                enc = R.scan_encoding(p)  # raises when the file mixes encodings
                con.execute("DROP TABLE IF EXISTS sessions")
        with R.open_source(p, con, known, encoding=enc) as src:
            return _read_source(con, src, preset, mapping, time_col, tz, order, now)
    except BaseException:
        con.close()
        raise


def _read_source(con, src, preset, mapping, time_col, tz, order, now) -> ChatSessions:
    import zoneinfo

    name = src.path.name
    cmap = P.resolve(
        src.columns, "chats", preset, mapping, time_col, name,
        looks_like_time=lambda c: T.looks_like_time(_sample(con, src, c, 50)),
    )
    f = cmap.fields
    if "end_time" not in f and "duration_s" not in f:
        raise InputError(
            f"{name}: no session end or duration column; columns found: {', '.join(src.columns)}; "
            "name one with --map end_time=COLUMN or --map duration_s=COLUMN"
        )
    start_fmt, end_src, answer_src = _create_sessions_table(con, src, f, order, tz, name)
    report = IntakeReport(
        file=str(src.path), source=src.notes, preset=cmap.preset, preset_auto=cmap.auto,
        columns=f, time_format=start_fmt, tz=tz,
    )
    report.empty_rows = _drop_empty_rows(con, src, "sessions", "start")
    n = con.execute("SELECT count(*) FROM sessions").fetchone()[0]
    report.rows_read = report.rows_kept = int(n)
    if n == 0:
        raise InputError(f"{name} has a header but no data rows; expected one row per session")
    if now is None:
        now = dt.datetime.now(zoneinfo.ZoneInfo(tz)).replace(tzinfo=None)
    problems = _session_problems(con, src, f["start_time"], end_src, now, tz, name, answer_src)
    if problems:
        raise InputError("\n".join(problems), problems)
    first, last = con.execute("SELECT min(start), max(start) FROM sessions").fetchone()
    report.first_time, report.last_time = str(first), str(last)
    return ChatSessions(con, report, tz)


def _answer_sql(con, src, f: dict[str, str], order, tz, name: str) -> tuple[str, str | None]:
    """SQL for the answer time (NULL without one) and the column it comes from: a time column
    (``answer_time``) or seconds after the start (``first_response_s``; also an
    ``answer_time`` column that holds durations, as some exports call 首次响应时间 the
    first-response time in seconds)."""
    column = f.get("answer_time") or f.get("first_response_s")
    if column is None:
        return "NULL", None
    c = q_ident(column)
    ttype = src.column_types[column]
    filled = [r[0] for r in con.execute(
        f"SELECT CAST({c} AS VARCHAR) FROM {src.from_sql} WHERE nullif(trim(CAST({c} AS VARCHAR)),"
        " '') IS NOT NULL LIMIT 50").fetchall()]
    if not filled:
        return "NULL", column
    is_time = "answer_time" in f and (
        T.native_format(ttype) is not None or (ttype == "VARCHAR" and T.looks_like_time(filled)))
    if is_time:
        return _time_sql(con, src, column, order, tz, name)[0], column
    dur = _duration_sql(src, column)
    return f"__start + to_microseconds(CAST(round(({dur}) * 1e6) AS BIGINT))", column


def _create_sessions_table(con, src, f: dict[str, str], order, tz,
                           name: str) -> tuple[str, str, str | None]:
    """Create the temp table ``sessions`` (start, end, handle_s, agent, channel, answer and
    ``answer_given``: the answer cell is not empty); the start column's time format, the column
    the end comes from and the one the answer comes from (None without)."""
    start_sql, start_fmt = _time_sql(con, src, f["start_time"], order, tz, name)
    if "end_time" in f:
        end_sql, _ = _time_sql(con, src, f["end_time"], order, tz, name)
        end_src = f["end_time"]
    else:
        dur = _duration_sql(src, f["duration_s"])
        end_sql = f"__start + to_microseconds(CAST(round(({dur}) * 1e6) AS BIGINT))"
        end_src = f["duration_s"]
    agent_sql = (
        f"nullif(trim(CAST({q_ident(f['agent'])} AS VARCHAR)), '')" if "agent" in f else "NULL"
    )
    answer_sql, answer_src = _answer_sql(con, src, f, order, tz, name)
    given_sql = (f"nullif(trim(CAST({q_ident(answer_src)} AS VARCHAR)), '') IS NOT NULL"
                 if answer_src else "false")
    # an abandoned session (no agent) has no answer, whatever its answer cell says
    answered = "__agent IS NOT NULL" if "agent" in f else "true"
    con.execute(
        f"""CREATE TEMP TABLE sessions AS
            SELECT __start AS start, __end AS "end",
                   epoch_us(__end - coalesce(__answer, __start)) / 1e6 AS handle_s,
                   __agent AS agent, __channel AS channel, __answer AS answer,
                   __given AS answer_given
            FROM (SELECT *, {end_sql} AS __end,
                         CASE WHEN {answered} THEN {answer_sql} END AS __answer,
                         ({answered}) AND {given_sql} AS __given
                  FROM (SELECT {start_sql} AS __start, {agent_sql} AS __agent,
                               {_channel_sql(f.get('channel'))} AS __channel, *
                        FROM {src.from_sql}))"""
    )
    return start_fmt, end_src, answer_src


def _session_problems(con, src, start_col: str, end_src: str, now, tz, name: str,
                      answer_src: str | None = None) -> list[str]:
    """Rows of ``sessions`` with an unreadable start or end, an end before the start, an
    unreadable answer or one outside its session, or a start in the future or before the date
    window, with their raw values."""
    problems: list[str] = []
    checks = [
        ("start IS NULL", start_col, "is empty or not a date and time like the rest"),
        ('start IS NOT NULL AND "end" IS NULL', end_src, "is empty or not readable"),
        ('"end" < start', end_src, "ends before the session starts"),
    ]
    if answer_src is not None:
        checks += [
            ("start IS NOT NULL AND answer_given AND answer IS NULL", answer_src,
             "is not a time (or seconds after the start) like the rest"),
            ("answer < start", answer_src, "is before the session starts; expected when an "
             "agent first took the chat"),
            ('answer > "end"', answer_src, "is after the session ends; expected when an agent "
             "first took the chat"),
        ]
    for cond, column, what in checks:
        rowids = [r[0] for r in con.execute(
            f"SELECT rowid FROM sessions WHERE {cond} ORDER BY rowid LIMIT {MAX_EXAMPLES}"
        ).fetchall()]
        if rowids:
            raw = _raw_values(con, src, column, rowids)
            problems += [
                f"{name} {src.row_label(r)}: column '{column}' {what} ({raw.get(r)!r})"
                for r in rowids
            ]
    future = con.execute("SELECT rowid, start FROM sessions WHERE start > ? ORDER BY rowid LIMIT 5",
                         [now]).fetchall()
    if future:
        problems.append(
            f"{name}: sessions start in the future (after {now:%Y-%m-%d %H:%M} {tz}), e.g. "
            + "; ".join(f"{src.row_label(int(r))} {t:%Y-%m-%d %H:%M:%S}" for r, t in future)
        )
    from ecomanalysis.bounds import date_window

    first_ok = date_window()[0]
    old = con.execute("SELECT rowid, start FROM sessions WHERE start < ? ORDER BY rowid LIMIT 5",
                      [dt.datetime(first_ok.year, 1, 1)]).fetchall()
    if old:
        problems.append(
            f"{name}: sessions start before {first_ok:%Y-%m-%d}, e.g. "
            + "; ".join(f"{src.row_label(int(r))} {t:%Y-%m-%d %H:%M:%S}" for r, t in old)
        )
    return problems


def summary(chats: ChatSessions) -> dict[str, Any]:
    """Sessions, mean handle time per channel and the agents' concurrency, for reports."""
    by_ch = chats.con.execute(
        "SELECT channel, count(*) AS sessions, avg(handle_s) AS mean_handle_s FROM sessions "
        "GROUP BY 1 ORDER BY 1"
    ).df()
    return {"report": chats.report.as_dict(), "channels": by_ch,
            "agents": chats.agent_concurrency()}
