"""Exceptions that tell the user what to do.

Every error raised at an edge (a file, a parameter, a command-line option) is an
:class:`InputError` whose message names the file, row, column or parameter, the bad value and
what was expected.  The CLI prints the message and exits with status 2.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class EcomAnalysisError(Exception):
    """Base class of the package's own errors."""


class InputError(EcomAnalysisError, ValueError):
    """Bad input from a file, a parameter or an option.

    Parameters
    ----------
    message
        One problem, or several joined by newlines.
    problems
        Optional list of single-line problem descriptions (one per bad value).
    """

    def __init__(self, message: str, problems: Iterable[str] | None = None):
        self.problems = list(problems) if problems is not None else [message]
        super().__init__(message)


def where(file: object = None, row: int | None = None, column: str | None = None) -> str:
    """Format a location prefix such as ``roles.csv row 17: column 'group_id'``.

    ``row`` is the 1-based line number of the data row as a spreadsheet user counts it
    (the header is line 1, so the first data row is row 2).
    """
    parts = []
    if file is not None:
        parts.append(str(getattr(file, "name", file)))
    if row is not None:
        parts.append(f"row {row}")
    head = " ".join(parts)
    if column is not None:
        head = f"{head}: column '{column}'" if head else f"column '{column}'"
    return head


def suggest(value: str, allowed) -> str:
    """``" (did you mean 'x'?)"`` for a close match among ``allowed``, else ``""``."""
    close = difflib.get_close_matches(str(value), [str(a) for a in allowed], n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def allowed_list(allowed, limit: int = 30) -> str:
    allowed = sorted(allowed)
    text = ", ".join(allowed[:limit])
    return text + (f", ... ({len(allowed)} in all)" if len(allowed) > limit else "")
