"""A notebook's parameter schema, read from its ``parameters`` cell, and validation against it.

papermill guesses types from text and only warns about unknown names.  Here the notebook's
``parameters`` cell *is* the schema: each line is an annotated literal with a comment::

    daily_orders: int = 250  # orders per day [0, 100000]
    lang: str = "zh"  # report language {zh, en}
    conversion: float = 0.04  # visitors -> orders, a fraction [0, 1]

- the annotation gives the type (``int``, ``float``, ``str``, ``bool``, ``list``, ``dict``);
- ``[lo, hi]`` at the end of the comment gives an inclusive range (either side may be empty);
- ``{a, b, c}`` gives the allowed values.

:func:`validate` rejects unknown names, enforces types (a ``--set`` text is converted by the
declared type, never evaluated), checks ranges and choices, and returns the full parameter set
(defaults filled in).  Values are then injected as Python literals produced by ``repr`` and
checked with :func:`ast.literal_eval`, so a parameter is always data, never source text.
"""

from __future__ import annotations

import ast
import io
import json
import math
import re
import tokenize
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from ecomanalysis.errors import InputError

TYPES: dict[str, type] = {"int": int, "float": float, "str": str, "bool": bool, "list": list, "dict": dict}
SECRET_SUFFIXES = ("_token", "_password", "_secret", "_api_key")

_RANGE = re.compile(r"\[\s*([-+0-9.eE]*)\s*,\s*([-+0-9.eE]*)\s*\]\s*$")
_CHOICES = re.compile(r"\{([^{}]*)\}\s*$")


@dataclass(frozen=True)
class Param:
    """One declared parameter of a notebook."""

    name: str
    type: str
    default: Any
    help: str = ""
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] | None = None

    @property
    def secret(self) -> bool:
        return is_secret(self.name)


def is_secret(name: str) -> bool:
    """A parameter whose value must never appear in outputs or metadata."""
    return name.lower().endswith(SECRET_SUFFIXES)


def parameters_cell(nb: nbformat.NotebookNode) -> tuple[int, nbformat.NotebookNode]:
    """Index and cell of the (first) code cell tagged ``parameters``."""
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            return i, cell
    raise InputError("the notebook has no code cell tagged 'parameters'")


def _comments(source: str) -> dict[int, str]:
    out = {}
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.COMMENT:
            out[tok.start[0]] = tok.string.lstrip("#").strip()
    return out


def schema_from_source(source: str, where: str = "parameters cell") -> dict[str, Param]:
    """Parse the annotated literals of a parameters cell into a schema."""
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise InputError(f"{where} line {exc.lineno}: not valid Python ({exc.msg})") from exc
    comments = _comments(source)
    schema: dict[str, Param] = {}
    for node in tree.body:
        if not (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)):
            raise InputError(
                f"{where} line {node.lineno}: expected an annotated literal such as "
                "'daily_orders: int = 250  # orders per day [0, 100000]'"
            )
        name = node.target.id
        ann = ast.unparse(node.annotation)
        if ann not in TYPES:
            raise InputError(
                f"{where} line {node.lineno}: parameter '{name}' has type {ann!r}; expected one of "
                + ", ".join(TYPES)
            )
        try:
            default = ast.literal_eval(node.value) if node.value is not None else None
        except ValueError as exc:
            raise InputError(
                f"{where} line {node.lineno}: parameter '{name}' must have a literal default"
            ) from exc
        comment = comments.get(node.lineno, "")
        low = high = None
        choices = None
        if m := _RANGE.search(comment):
            low = float(m.group(1)) if m.group(1) else None
            high = float(m.group(2)) if m.group(2) else None
            comment = comment[: m.start()].strip()
        elif m := _CHOICES.search(comment):
            choices = tuple(c.strip() for c in m.group(1).split(",") if c.strip())
            comment = comment[: m.start()].strip()
        schema[name] = Param(name, ann, default, comment, low, high, choices)
    return schema


def notebook_schema(path: str | Path) -> dict[str, Param]:
    """Schema of the notebook at ``path`` (from its ``parameters`` cell)."""
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    try:
        _, cell = parameters_cell(nb)
    except InputError as exc:
        raise InputError(f"{path.name}: {exc}") from exc
    return schema_from_source(cell.source, f"{path.name} parameters cell")


def _convert_text(p: Param, text: str) -> Any:
    """Convert a ``--set key=value`` text by the declared type (never evaluated as code)."""
    if p.type == "str":
        return text
    if p.type == "bool":
        low = text.strip().lower()
        if low in {"true", "1", "yes", "on"}:
            return True
        if low in {"false", "0", "no", "off"}:
            return False
        raise ValueError("true or false")
    if p.type == "int":
        return int(text.strip())
    if p.type == "float":
        return float(text.strip())
    value = json.loads(text)  # list / dict as JSON
    if not isinstance(value, TYPES[p.type]):
        raise ValueError(f"a JSON {p.type}")
    return value


def _type_ok(p: Param, value: Any) -> bool:
    if p.type == "float":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if p.type == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, TYPES[p.type])


def _shown(p: Param, value: Any) -> str:
    """The value for a message: never a secret's (in any encoding), at most 80 characters."""
    if p.secret:
        return "a value (not shown: secret)"
    from ecomanalysis.safetext import plain

    text = plain(repr(value))
    return text if len(text) <= 80 else text[:77] + "..."


def _range_problem(p: Param, value: Any) -> str | None:
    """Why a number is out of range (NaN and inf included), or None."""
    if p.type not in ("int", "float"):
        return None
    if not math.isfinite(value):
        return "expected a finite number"
    low, high = p.low, p.high
    if low is None and high is None:
        from ecomanalysis.bounds import bound

        b = bound("notebook_number")
        low, high = b.low, b.high
    if low is not None and value < low or high is not None and value > high:
        lo = "" if low is None else f"{low:g}"
        hi = "" if high is None else f"{high:g}"
        return f"expected a value in [{lo}, {hi}]"
    return None


def validate(
    schema: dict[str, Param], values: dict[str, Any], *, texts: bool = False, where: str = "parameter"
) -> dict[str, Any]:
    """Check ``values`` against ``schema``; return every parameter with defaults filled in.

    Parameters
    ----------
    schema
        From :func:`notebook_schema`.
    values
        Given values; with ``texts=True`` they are strings from the command line.
    where
        Prefix for messages (e.g. the shop file's name).
    """
    problems = []
    out = {name: p.default for name, p in schema.items()}
    for name, value in values.items():
        p = schema.get(name)
        if p is None:
            problems.append(
                f"{where} '{name}' is not a parameter of this notebook; expected one of "
                + ", ".join(schema)
            )
            continue
        if texts and isinstance(value, str):
            try:
                value = _convert_text(p, value)
            except (ValueError, json.JSONDecodeError, RecursionError) as exc:
                why = "" if p.secret else f" ({str(exc)[:80]})"
                problems.append(f"{where} '{name}' has {_shown(p, value)}; expected {p.type}{why}")
                continue
        if p.type == "float" and isinstance(value, int) and not isinstance(value, bool):
            try:
                value = float(value)
            except OverflowError:
                value = math.inf
        if not _type_ok(p, value):
            if p.secret:
                problems.append(f"{where} '{name}' is secret and must be of type {p.type}")
            else:
                problems.append(f"{where} '{name}' has {_shown(p, value)} of type "
                                f"{type(value).__name__}; expected {p.type}")
            continue
        if why := _range_problem(p, value):
            problems.append(f"{where} '{name}' has {_shown(p, value)}; {why}")
            continue
        if p.choices is not None and str(value) not in p.choices:
            problems.append(f"{where} '{name}' has {_shown(p, value)}; expected one of "
                            f"{', '.join(p.choices)}")
            continue
        out[name] = value
    if problems:
        raise InputError("\n".join(problems), problems)
    return out


def literal(value: Any) -> str:
    """Python source for ``value`` that evaluates to exactly ``value`` and nothing else."""
    text = repr(value)
    if ast.literal_eval(text) != value:  # pragma: no cover - repr of builtins round-trips
        raise InputError(f"parameter value {value!r} cannot be passed as a literal")
    return text


def redact(params: dict[str, Any]) -> dict[str, Any]:
    """The parameters with secret values replaced by ``"***"``."""
    return {k: ("***" if is_secret(k) else v) for k, v in params.items()}
