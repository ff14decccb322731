"""The embedded DuckDB engine: one in-memory connection per intake, SQL quoting helpers."""

from __future__ import annotations

import os
import tempfile

from ecomanalysis import config

#: DuckDB memory ceiling; it spills to disk beyond it.  Chosen so that aggregating the
#: 10-million-row benchmark file stays below 2 GB peak resident memory (benchmarks/bench_intake.py).
MEMORY_LIMIT = "1GB"


def connect(threads: int | None = None):
    """A fresh in-memory DuckDB connection with the intake's settings.

    Sessions run in UTC so that no conversion happens behind our back: every timestamp the
    intake stores is a naive wall-clock time in the shop's time zone, converted explicitly.
    """
    import duckdb

    con = duckdb.connect(database=":memory:")
    con.execute("SET TimeZone = 'UTC'")
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    threads = threads or int(os.environ.get(config.THREADS_ENV) or 0) or os.cpu_count() or 1
    con.execute(f"SET threads = {int(threads)}")
    spill = os.path.join(tempfile.gettempdir(), "ecomanalysis-duckdb")
    con.execute(f"SET temp_directory = {q_str(spill)}")
    con.execute("SET preserve_insertion_order = true")  # rowid = position in the file
    try:  # stdout may be the CSV output; inside Jupyter DuckDB refuses without ipywidgets
        con.execute("SET enable_progress_bar = false")
    except duckdb.Error:
        pass
    return con


def q_ident(name: str) -> str:
    """Quote an identifier (a column name, possibly Chinese or with spaces) for DuckDB SQL."""
    return '"' + str(name).replace('"', '""') + '"'


def q_str(value: str) -> str:
    """Quote a string literal for DuckDB SQL."""
    return "'" + str(value).replace("'", "''") + "'"
