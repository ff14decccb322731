"""Sane ranges of every numeric input, checked before any work (``data/input_bounds.csv``).

A number typed on the command line, in a shop file or a notebook parameter can be huge, NaN or
infinite.  Without a bound, ``erlang --volume 1e12`` allocates hundreds of GiB and ``staff --set
presale_aht_s=1e308`` runs for minutes.  The ranges live in one table, ``data/input_bounds.csv``
(columns ``input_id, low, high, unit, applies_to, note``); this module reads it and checks values
against it, raising :class:`~ecomanalysis.errors.InputError` that names the input, the value and
the range.  Dates are checked against a window: from ``date_year.low`` (1990) to
``date_year.high`` (10) years after the current year.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from ecomanalysis import config
from ecomanalysis.errors import InputError

BOUNDS_FILE = "input_bounds.csv"


@dataclass(frozen=True)
class Bound:
    input_id: str
    low: float
    high: float
    unit: str
    applies_to: str


@lru_cache(maxsize=1)
def table() -> dict[str, Bound]:
    """Every bound of ``data/input_bounds.csv`` by ``input_id``."""
    import csv

    path = config.DATA_DIR / BOUNDS_FILE
    if not path.is_file():  # a data folder of one's own without the table: the bundled one
        path = config.PROJ_ROOT / "data" / BOUNDS_FILE
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return {
        r["input_id"]: Bound(r["input_id"], float(r["low"]), float(r["high"]), r["unit"], r["applies_to"])
        for r in rows
    }


def bound(input_id: str) -> Bound:
    return table()[input_id]


def _fmt(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() and abs(x) >= 1e4 else f"{x:g}"


def problem(input_id: str, value: Any, label: str, *, low_open: bool = False,
            integer: bool = False) -> str | None:
    """A message if ``value`` is not a finite number within the bound ``input_id``, else None.

    ``label`` names the input as the user gave it (``--volume``, ``orders.csv row 7: column
    'aht_s'``).  ``low_open`` makes the low end exclusive (``> 0``).
    """
    b = bound(input_id)
    lo = ">" if low_open else ">="
    expected = (f"{'a whole number' if integer else 'a finite number'} {lo} {_fmt(b.low)} "
                f"and <= {_fmt(b.high)} ({b.unit})")
    try:
        x = float(value)
    except (TypeError, ValueError, OverflowError):
        return f"{label} has {value!r}; expected {expected}"
    bad = (not math.isfinite(x) or (x <= b.low if low_open else x < b.low) or x > b.high
           or (integer and x != int(x)))
    if bad:
        shown = value if isinstance(value, str | int) else f"{x:g}"
        return f"{label} has {shown}; expected {expected}"
    return None


def check(input_id: str, value: Any, label: str, **kw) -> Any:
    """Raise :class:`InputError` if ``value`` is outside the bound; return it unchanged."""
    msg = problem(input_id, value, label, **kw)
    if msg:
        raise InputError(msg)
    return value


def check_all(items, **kw) -> None:
    """Check several ``(input_id, value, label)`` at once; one InputError lists every problem.

    ``None`` values (an option not given) are skipped.
    """
    problems = [m for input_id, value, label in items if value is not None
                for m in [problem(input_id, value, label, **kw)] if m]
    if problems:
        raise InputError("\n".join(problems), problems)


def date_window(today: date | None = None) -> tuple[date, date]:
    """First and last date accepted in any input: 1990-01-01 .. 31 December, current year + 10."""
    b = bound("date_year")
    today = today or date.today()
    return date(int(b.low), 1, 1), date(today.year + int(b.high), 12, 31)


def date_problems(values, name: str, column: str | None = None, rows=None,
                  limit: int = 5) -> list[str]:
    """Messages for dates outside :func:`date_window` (one per bad row, at most ``limit``).

    ``values`` is anything :func:`pandas.to_datetime` reads (unparseable entries are left to
    the caller's own checks); ``name`` and ``column`` say where they come from (a file and its
    column, or an option such as ``--start``); ``rows`` gives the row number shown for each
    value (default: spreadsheet rows, header = 1; ``[None]`` for an option).
    """
    import numpy as np
    import pandas as pd

    from ecomanalysis.errors import where

    first, last = date_window()
    s = pd.Series(values).reset_index(drop=True)
    if pd.api.types.is_datetime64_any_dtype(s):
        years = s.dt.year
        shown = s.dt.strftime("%Y-%m-%d").where(s != s.dt.normalize(), s.astype(str))
    else:
        shown = s.astype(str)
        years = pd.to_numeric(shown.str.extract(r"^\s*(\d{1,4})[-/.]")[0], errors="coerce")
    years = years.to_numpy(dtype=float)
    bad = np.flatnonzero(np.isfinite(years) & ((years < first.year) | (years > last.year)))
    rows = list(rows) if rows is not None else [i + 2 for i in range(len(s))]
    out = [f"{where(name, rows[i], column)} has {shown.iloc[i]!r}; expected a date from "
           f"{first:%Y-%m-%d} to {last:%Y-%m-%d}" for i in bad[:limit]]
    if len(bad) > limit:
        out.append(f"{where(name, None, column)}: {len(bad) - limit} more dates outside "
                   f"{first:%Y-%m-%d} .. {last:%Y-%m-%d}")
    return out
