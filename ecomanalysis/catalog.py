"""Reference tables: the seed knowledge (and the standards) as validated DataFrames.

Every table in ``data/`` has a pandera schema here, enforced on load.  Loading never returns
unvalidated data: a problem raises :class:`~ecomanalysis.errors.InputError` whose ``problems``
list has one line per bad value, naming the file, row, column, the value and what was expected.

Row numbers count as a spreadsheet user counts them: the header is row 1, the first data row
is row 2.

Public loaders (each takes ``lang="zh"|"en"|None`` and ``data_dir``):

- :func:`load_role_groups`, :func:`load_roles`, :func:`load_duties`
- :func:`load_departments`, :func:`load_department_roles`
- :func:`load_stages`, :func:`load_stage_roles`
- :func:`load_standards`

With ``lang`` given, a ``name`` column (and ``description`` where the table has one) holds the
text in that language, so notebooks and charts label with ``df["name"]``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from ecomanalysis import config
from ecomanalysis.errors import InputError

ID_PATTERN = r"^[a-z][a-z0-9_]*$"
LEVELS = ("owner", "manager", "supervisor", "specialist", "assistant")
WORKLOAD_DRIVERS = (
    "orders",
    "presale_chats",
    "aftersale_contacts",
    "listings",
    "campaigns",
    "skus",
    "revenue",
    "team_size",
    "fixed",
)
LIST_SEP = ";"
#: How the staffing model handles a role (role_models.csv); the first four employ people.
ROLE_MODELS = ("fixed", "queue", "workload", "span", "covered", "outside")
STAFFED_MODELS = ("fixed", "queue", "workload", "span")

_TRUE = {"true", "True", "TRUE", "1", "yes"}
_FALSE = {"false", "False", "FALSE", "0", "no"}


# --------------------------------------------------------------------------- column helpers
def _id(unique: bool = False, nullable: bool = False) -> pa.Column:
    return pa.Column(
        str,
        pa.Check.str_matches(ID_PATTERN, error="a snake_case id (a-z, 0-9, _)"),
        unique=unique,
        nullable=nullable,
    )


def _text(nullable: bool = False) -> pa.Column:
    return pa.Column(
        str,
        pa.Check(lambda s: s.str.strip().str.len() > 0, element_wise=False, error="non-blank text"),
        nullable=nullable,
    )


def _sources() -> pa.Column:
    allowed = set(config.SEED_FILES)
    return pa.Column(
        str,
        pa.Check(
            lambda v: bool(v) and all(p in allowed for p in str(v).split(LIST_SEP)),
            element_wise=True,
            error="seed file names separated by ';', each one of " + ", ".join(config.SEED_FILES),
        ),
    )


def _optional_text() -> pa.Column:
    """A free-text column a table may have (documented in data/README.md), empty allowed."""
    return pa.Column(str, nullable=True, required=False)


def _count(nullable: bool = True) -> pa.Column:
    return pa.Column(
        "Int64",
        pa.Check.ge(0, error="a whole number >= 0"),
        coerce=True,
        nullable=nullable,
    )


def _number(nullable: bool = True, ge: float | None = 0.0, le: float | None = None) -> pa.Column:
    checks = []
    checks.append(pa.Check(lambda s: ~s.isin([float("inf"), float("-inf")]), error="a finite number"))
    if ge is not None:
        checks.append(pa.Check.ge(ge, error=f"a number >= {ge:g}"))
    if le is not None:
        checks.append(pa.Check.le(le, error=f"a number <= {le:g}"))
    return pa.Column(float, checks, coerce=True, nullable=nullable)


def _bool(nullable: bool = True) -> pa.Column:
    return pa.Column("boolean", coerce=True, nullable=nullable)


# --------------------------------------------------------------------------- table specs
@dataclass(frozen=True)
class Table:
    """One reference table: its file, schema and the columns of each kind."""

    name: str
    schema: pa.DataFrameSchema
    key: tuple[str, ...]
    bool_columns: tuple[str, ...] = ()
    has_description: bool = True
    optional: bool = False
    #: (column, target table, target column, list-valued?)
    references: tuple[tuple[str, str, str, bool], ...] = field(default_factory=tuple)

    @property
    def file(self) -> str:
        return f"{self.name}.csv"


def _schema(columns: dict, name: str, checks=None) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(columns, strict=False, ordered=False, name=name, checks=checks)


def _min_le_max(lo: str, hi: str) -> pa.Check:
    return pa.Check(
        lambda df: ~(df[lo].notna() & df[hi].notna()) | (df[lo] <= df[hi]),
        error=f"{lo} <= {hi}",
        name=f"{lo}<={hi}",
    )


TABLES: dict[str, Table] = {}


def _register(table: Table) -> Table:
    TABLES[table.name] = table
    return table


_register(
    Table(
        "role_groups",
        _schema(
            {
                "group_id": _id(unique=True),
                "name_zh": _text(),
                "name_en": _text(),
                "description_zh": _text(),
                "description_en": _text(),
                "sources": _sources(),
            },
            "role_groups",
        ),
        key=("group_id",),
    )
)

_register(
    Table(
        "roles",
        _schema(
            {
                "role_id": _id(unique=True),
                "name_zh": pa.Column(str, unique=True),
                "name_en": _text(),
                "aliases_zh": pa.Column(str, nullable=True),
                "group_id": _id(),
                "department_id": _id(),
                "level": pa.Column(str, pa.Check.isin(LEVELS, error="one of " + ", ".join(LEVELS))),
                "workload_driver": pa.Column(
                    str,
                    pa.Check.isin(WORKLOAD_DRIVERS, error="one of " + ", ".join(WORKLOAD_DRIVERS)),
                ),
                "description_zh": _text(),
                "description_en": _text(),
                "sources": _sources(),
            },
            "roles",
        ),
        key=("role_id",),
        references=(
            ("group_id", "role_groups", "group_id", False),
            ("department_id", "departments", "department_id", False),
        ),
    )
)

_register(
    Table(
        "duties",
        _schema(
            {
                "role_id": _id(),
                "duty_no": _count(nullable=False),
                "duty_zh": _text(),
                "duty_en": _text(),
                "section_zh": _optional_text(),
                "sources": _sources(),
            },
            "duties",
        ),
        key=("role_id", "sources", "duty_no"),
        has_description=False,
        references=(("role_id", "roles", "role_id", False),),
    )
)

_register(
    Table(
        "departments",
        _schema(
            {
                "department_id": _id(unique=True),
                "structure_id": _id(),
                "name_zh": _text(),
                "name_en": _text(),
                "headcount_min": _count(),
                "headcount_max": _count(),
                "description_zh": _text(),
                "description_en": _text(),
                "sources": _sources(),
            },
            "departments",
            checks=[_min_le_max("headcount_min", "headcount_max")],
        ),
        key=("department_id",),
    )
)

_register(
    Table(
        "department_roles",
        _schema(
            {"department_id": _id(), "role_id": _id(), "basis": _optional_text(),
             "sources": _sources()},
            "department_roles",
        ),
        key=("department_id", "role_id"),
        has_description=False,
        references=(
            ("department_id", "departments", "department_id", False),
            ("role_id", "roles", "role_id", False),
        ),
    )
)

_STAGE_NUMERIC = (
    "days_since_launch_min",
    "days_since_launch_max",
    "daily_visitors_min",
    "daily_visitors_max",
    "conversion_min",
    "conversion_max",
    "daily_orders_min",
    "daily_orders_max",
)
_STAGE_DERIVABLE = _STAGE_NUMERIC + ("break_even",)

_register(
    Table(
        "stages",
        _schema(
            {
                "stage_id": pa.Column(
                    "Int64", pa.Check.in_range(1, 5, error="a stage number 1-5"), coerce=True, unique=True
                ),
                "name_zh": _text(),
                "name_en": _text(),
                "days_since_launch_min": _number(),
                "days_since_launch_max": _number(),
                "daily_visitors_min": _number(),
                "daily_visitors_max": _number(),
                "conversion_min": _number(le=1.0),
                "conversion_max": _number(le=1.0),
                "daily_orders_min": _number(),
                "daily_orders_max": _number(),
                "break_even": _bool(),
                "derived_fields": pa.Column(
                    str,
                    pa.Check(
                        lambda v: all(p in _STAGE_DERIVABLE for p in str(v).split(LIST_SEP) if p),
                        element_wise=True,
                        error="column names separated by ';', each one of "
                        + ", ".join(_STAGE_DERIVABLE),
                    ),
                    nullable=True,
                ),
                "description_zh": _text(),
                "description_en": _text(),
                "sources": _sources(),
            },
            "stages",
            checks=[
                _min_le_max(f"{c}_min", f"{c}_max")
                for c in ("days_since_launch", "daily_visitors", "conversion", "daily_orders")
            ],
        ),
        key=("stage_id",),
        bool_columns=("break_even",),
    )
)

_register(
    Table(
        "stage_roles",
        _schema(
            {
                "stage_id": pa.Column("Int64", coerce=True),
                "role_id": _id(),
                "headcount_min": _count(nullable=False),
                "headcount_max": _count(nullable=True),  # empty: the seed gives no upper limit
                "note_zh": pa.Column(str, nullable=True),
                "note_en": pa.Column(str, nullable=True),
                "sources": _sources(),
            },
            "stage_roles",
            checks=[_min_le_max("headcount_min", "headcount_max")],
        ),
        key=("stage_id", "role_id"),
        has_description=False,
        references=(
            ("stage_id", "stages", "stage_id", False),
            ("role_id", "roles", "role_id", False),
        ),
    )
)


_register(
    Table(
        "standards",
        _schema(
            {
                "standard_id": _id(unique=True),
                "value": _number(nullable=False, ge=None),
                "low": _number(nullable=False, ge=None),
                "high": _number(nullable=False, ge=None),
                "unit": _text(),
                "category": _optional_text(),
                "role_ids": pa.Column(str, nullable=True),
                "description_zh": _text(),
                "description_en": _text(),
                "source": _text(),
            },
            "standards",
            checks=[_min_le_max("low", "value"), _min_le_max("value", "high")],
        ),
        key=("standard_id",),
        references=(("role_ids", "roles", "role_id", True),),
    )
)


_register(
    Table(
        "role_models",
        _schema(
            {
                "role_id": _id(unique=True),
                "model": pa.Column(
                    str, pa.Check.isin(ROLE_MODELS, error="one of " + ", ".join(ROLE_MODELS))
                ),
                "covered_by": pa.Column(str, nullable=True),
                "supervises": pa.Column(str, nullable=True),
                "absorbed_by": pa.Column(str, nullable=True),
                "note_zh": _text(),
                "note_en": _text(),
            },
            "role_models",
        ),
        key=("role_id",),
        has_description=False,
        references=(
            ("role_id", "roles", "role_id", False),
            ("covered_by", "roles", "role_id", True),
            ("absorbed_by", "roles", "role_id", True),
        ),
    )
)


def role_model_problems(rm: pd.DataFrame, roles: pd.DataFrame) -> list[str]:
    """Rules of ``role_models.csv`` beyond its schema: one row for every role of ``roles.csv``,
    a ``covered`` role names who covers it (a staffed role), a ``span`` role whom it supervises
    (role ids or ``*``)."""
    file = TABLES["role_models"].file
    known = set(roles["role_id"])
    problems = []
    staffed = set(rm.loc[rm["model"].isin(STAFFED_MODELS), "role_id"])
    for i, r in rm.iterrows():
        row = f"{file} row {i + 2}"
        for v in split_list(r["supervises"]):
            if v != "*" and v not in known:
                problems.append(f"{row}: column 'supervises' has {v!r} which is not a role of roles.csv")
        if r["model"] == "covered" and not split_list(r["covered_by"]):
            problems.append(f"{row}: role {r['role_id']!r} is 'covered' but 'covered_by' is empty")
        if r["model"] == "span" and not split_list(r["supervises"]):
            problems.append(f"{row}: role {r['role_id']!r} is 'span' but 'supervises' is empty")
        for v in split_list(r["covered_by"]):
            if v in known and v not in staffed:
                problems.append(f"{row}: column 'covered_by' has {v!r} which is not a staffed role")
    absent = sorted(known - set(rm["role_id"]))
    if absent:
        problems.append(
            f"{file}: no row for role(s) {', '.join(absent)}; every role of roles.csv needs a model "
            f"({', '.join(ROLE_MODELS)})"
        )
    return problems


# --------------------------------------------------------------------------- reading
def _data_dir(data_dir: str | os.PathLike | None) -> Path:
    return Path(data_dir) if data_dir is not None else config.DATA_DIR


def _read_csv(path: Path) -> pd.DataFrame:
    if path.is_dir():
        raise InputError(f"{path}: is a folder; expected the reference table {path.name} (a CSV file)")
    if not path.exists():
        raise InputError(f"{path}: file not found; expected the reference table {path.name}")
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path.name}: not UTF-8 ({exc.reason} at byte {exc.start}); save it as UTF-8") from exc
    except pd.errors.ParserError as exc:
        raise InputError(f"{path.name}: not a well-formed CSV ({exc})") from exc
    except pd.errors.EmptyDataError as exc:
        raise InputError(f"{path.name}: the file is empty; expected a header row and data") from exc
    return df


def _parse_bools(df: pd.DataFrame, table: Table) -> list[str]:
    problems = []
    for col in table.bool_columns:
        if col not in df.columns:
            continue
        raw = df[col]
        ok = raw.isna() | raw.isin(_TRUE | _FALSE)
        for idx in raw.index[~ok]:
            problems.append(
                f"{table.file} row {idx + 2}: column '{col}' has {raw[idx]!r}; expected true, false or empty"
            )
        df[col] = raw.map(lambda v: True if v in _TRUE else (False if v in _FALSE else pd.NA)).astype(
            "boolean"
        )
    return problems


_DTYPE_WORDS = {"int64": "a whole number", "float64": "a number", "boolean": "true or false"}


def _describe_failures(table: Table, cases: pd.DataFrame, df: pd.DataFrame) -> list[str]:
    """Turn pandera failure cases into one readable line per bad value."""
    problems: list[str] = []
    coerce_failed = set(cases.loc[cases["check"].astype(str).str.startswith("coerce_dtype"), "column"])
    seen = set()
    cells = set()  # (row, column) already reported: one problem per bad value
    wide = {str(c.error) for c in (table.schema.checks or [])} | {
        str(c.name) for c in (table.schema.checks or [])}
    check_text = cases["check"].astype(str)
    is_wide = check_text.isin(wide) | cases["column"].isna() | ~cases["column"].isin(df.columns)
    cases = pd.concat([cases[~is_wide], cases[is_wide]])  # cells first, then row-wide checks
    for case, wide_case in zip(cases.itertuples(index=False), is_wide.loc[cases.index], strict=True):
        col, check, value, index = case.column, str(case.check), case.failure_case, case.index
        table_level = bool(wide_case)
        if table_level and check != "column_in_dataframe":
            involved = [c for c in re.split(r"\W+", check) if c in df.columns]
            if (index is None or pd.isna(index) or set(involved) & coerce_failed
                    or any((_row(index), c) in cells for c in involved)):
                continue  # a knock-on of a value already reported (or a check that could not run)
        elif not table_level and (_row(index), col) in cells:
            continue
        if check == "column_in_dataframe":
            msg = (
                f"{table.file}: missing column '{value}'; expected columns "
                + ", ".join(table.schema.columns)
            )
        elif col in coerce_failed and not check.startswith("coerce_dtype"):
            continue  # the type error already says it
        elif check.startswith(("coerce_dtype", "dtype")):
            dtype = re.sub(r"^\w+\('?(.*?)'?\)$", r"\1", check).lower()
            word = _DTYPE_WORDS.get(dtype, dtype)
            msg = f"{table.file} row {_row(index)}: column '{col}' has {value!r} which is not {word}"
        elif check == "field_uniqueness":
            msg = f"{table.file} row {_row(index)}: column '{col}' has duplicate value {value!r}; expected unique"
        elif check == "not_nullable":
            msg = f"{table.file} row {_row(index)}: column '{col}' is empty; expected a value"
        elif table_level:  # a dataframe-level check such as min <= max: one line per row
            msg = f"{table.file} row {_row(index)}: expected {check}"
            if index is not None and not pd.isna(index) and int(index) in df.index:
                cols = [c for c in re.split(r"\W+", check) if c in df.columns]
                vals = ", ".join(f"{c}={df.at[int(index), c]!r}" for c in cols)
                msg = f"{table.file} row {_row(index)}: {vals}; expected {check}"
        else:
            msg = f"{table.file} row {_row(index)}: column '{col}' has {value!r}; expected {check}"
        if msg not in seen:
            seen.add(msg)
            problems.append(msg)
            if not table_level:
                cells.add((_row(index), col))
    return problems


def _row(index) -> str:
    if index is None or pd.isna(index):
        return "?"
    return str(int(index) + 2)


_NOT_NUMBERS = {"nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity",
                "na", "n/a", "null", "none"}


def _shape_problems(df: pd.DataFrame, table: Table) -> tuple[list[str], set]:
    """Extra columns, and words such as NaN or inf in number columns (missing is an empty
    cell): one line each.  Returns the problems and the (row, column) cells they name."""
    problems, cells = [], set()
    expected = list(table.schema.columns)
    for col in df.columns:
        if col not in table.schema.columns:
            problems.append(f"{table.file}: unexpected column '{col}'; expected only "
                            + ", ".join(expected))
    for col, spec in table.schema.columns.items():
        if col not in df.columns or str(spec.dtype).lower() not in ("float64", "int64"):
            continue
        text = df[col].astype("string").str.strip().str.lower()
        for idx in df.index[text.isin(_NOT_NUMBERS).fillna(False).to_numpy(bool)]:
            problems.append(f"{table.file} row {idx + 2}: column '{col}' has {df.at[idx, col]!r} "
                            "which is not a number; expected a number (leave the cell empty "
                            "when the value is missing)")
            cells.add((str(idx + 2), col))
    return problems, cells


def _validate(df: pd.DataFrame, table: Table) -> tuple[pd.DataFrame, list[str]]:
    if df.empty:
        return df, [f"{table.file} has no rows; expected a header and at least one data row"]
    shape, cells = _shape_problems(df, table)
    problems = shape + _parse_bools(df, table)
    if cells:  # reported above: validate the rest without repeating them as 'empty'
        df = df.copy()
        for row, col in cells:
            df.at[int(row) - 2, col] = pd.NA
    try:
        out = table.schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        failures = _describe_failures(table, exc.failure_cases, df)
        problems += [m for m in failures
                     if not any(f"row {r}: column '{c}' is empty" in m for r, c in cells)]
        return df, problems
    if len(table.key) > 1 and set(table.key) <= set(out.columns):
        dup = out.duplicated(list(table.key), keep="first")
        for idx in out.index[dup]:
            key = ", ".join(f"{k}={out.at[idx, k]!r}" for k in table.key)
            problems.append(f"{table.file} row {idx + 2}: duplicate key ({key}); expected unique")
    return out, problems


def reference_problems(frames: dict[str, pd.DataFrame]) -> list[str]:
    """Foreign-key problems among the tables given (by table name), one line each."""
    problems = []
    for name, df in frames.items():
        table = TABLES[name]
        for col, target, target_col, is_list in table.references:
            if target not in frames or col not in df.columns or target_col not in frames[target].columns:
                continue
            known = set(frames[target][target_col].dropna().astype(str))
            for idx, value in df[col].items():
                if pd.isna(value):
                    continue
                values = str(value).split(LIST_SEP) if is_list else [str(value)]
                for v in values:
                    if v not in known:
                        sample = ", ".join(sorted(known)[:12]) + (", ..." if len(known) > 12 else "")
                        problems.append(
                            f"{table.file} row {idx + 2}: column '{col}' has {v!r} which is not a "
                            f"{target_col} defined in {target}.csv; expected one of {sample}"
                        )
    return problems


def validate_data(data_dir: str | os.PathLike | None = None) -> list[str]:
    """Check every reference table in ``data_dir`` and the references between them.

    Returns
    -------
    list of str
        One line per problem (empty when all is well).
    """
    directory = _data_dir(data_dir)
    problems: list[str] = []
    frames: dict[str, pd.DataFrame] = {}
    for name, table in TABLES.items():
        path = directory / table.file
        if table.optional and not path.exists():
            continue
        try:
            df = _read_csv(path)
        except InputError as exc:
            problems += exc.problems
            continue
        df, table_problems = _validate(df, table)
        problems += table_problems
        if not df.empty:  # an empty table is one line, not a knock-on error per reference
            frames[name] = df
    problems += reference_problems(frames)
    problems += _extra_checks(frames)
    return problems


def _extra_checks(frames: dict[str, pd.DataFrame]) -> list[str]:
    """Cross-table rules that are not plain foreign keys."""
    problems = []
    if "role_models" in frames and "roles" in frames and "model" in frames["role_models"]:
        problems += role_model_problems(frames["role_models"], frames["roles"])
    roles = frames.get("roles")
    if roles is not None and {"aliases_zh", "name_zh"} <= set(roles.columns):
        owner: dict[str, str] = {}
        for idx, row in roles.iterrows():
            names = [row["name_zh"]] + [
                a for a in str(row["aliases_zh"]).split(LIST_SEP) if a and row["aliases_zh"] == row["aliases_zh"]
            ]
            for n in names:
                if n in owner and owner[n] != row["role_id"]:
                    problems.append(
                        f"roles.csv row {idx + 2}: column 'aliases_zh' has {n!r}, already a name of role "
                        f"{owner[n]!r}; expected each Chinese name to map to one role"
                    )
                owner.setdefault(n, row["role_id"])
    return problems


@lru_cache(maxsize=64)
def _load_cached(name: str, directory: str, mtime_ns: int) -> pd.DataFrame:
    """A validated table; from the disk cache when a file with the same bytes passed the same
    schema before (validating the tables costs ~0.25 s of every report kernel).  A table that
    fails validation is never stored, so its errors are raised on every load."""
    from importlib.metadata import version

    from ecomanalysis import cache

    path = Path(directory) / TABLES[name].file

    def key() -> str:
        return cache.make_key("catalog", name, cache.file_hash(path), version("pandera"),
                              cache.code_version("ecomanalysis.catalog"))

    return cache.memo("catalog", key, lambda: _load_validated(name, path),
                      lambda df: ({"table": df}, {}), lambda entry: entry["table"])


def _load_validated(name: str, path: Path) -> pd.DataFrame:
    df, problems = _validate(_read_csv(path), TABLES[name])
    if problems:
        raise InputError("\n".join(problems), problems)
    return df


def load_table(
    name: str, lang: str | None = None, data_dir: str | os.PathLike | None = None
) -> pd.DataFrame:
    """Load and validate one reference table by name (e.g. ``"roles"``).

    Parameters
    ----------
    name
        A key of :data:`TABLES`.
    lang
        ``"zh"`` or ``"en"`` to add ``name``/``description`` columns in that language.
    data_dir
        Folder holding the CSV files (default :data:`ecomanalysis.config.DATA_DIR`).
    """
    if name not in TABLES:
        raise InputError(f"unknown reference table {name!r}; expected one of {', '.join(TABLES)}")
    path = _data_dir(data_dir) / TABLES[name].file
    if not path.exists():
        raise InputError(f"{path}: file not found; expected the reference table {path.name}")
    df = _load_cached(name, str(path.parent.resolve()), path.stat().st_mtime_ns).copy()
    return localise(df, lang)


def localise(df: pd.DataFrame, lang: str | None) -> pd.DataFrame:
    """Add ``name``/``description``/``duty``/``note`` columns in ``lang`` from their _zh/_en pairs."""
    if lang is None:
        return df
    if lang not in config.LANGS:
        raise InputError(f"parameter 'lang' is {lang!r}; expected one of {', '.join(config.LANGS)}")
    for base in ("name", "description", "duty", "note"):
        col = f"{base}_{lang}"
        if col in df.columns:
            df[base] = df[col]
    return df


def load_role_groups(lang: str | None = None, data_dir=None) -> pd.DataFrame:
    """The role groups (岗位群): seed 000's six plus those other seeds need."""
    return load_table("role_groups", lang, data_dir)


def load_roles(lang: str | None = None, data_dir=None, group: str | None = None) -> pd.DataFrame:
    """Every role the seeds name, with group, department, level and workload driver.

    ``group`` filters by ``group_id`` (or by the group's Chinese or English name).
    """
    roles = load_table("roles", lang, data_dir)
    groups = load_table("role_groups", lang, data_dir)
    if lang is not None:
        roles = roles.merge(
            groups[["group_id", "name"]].rename(columns={"name": "group_name"}), on="group_id", how="left"
        )
    if group is not None:
        match = groups.loc[
            (groups["group_id"] == group) | (groups["name_zh"] == group) | (groups["name_en"].str.lower() == group.lower()),
            "group_id",
        ]
        if match.empty:
            raise InputError(
                f"parameter 'group' is {group!r}; expected one of {', '.join(groups['group_id'])}"
            )
        roles = roles[roles["group_id"] == match.iloc[0]].reset_index(drop=True)
    return roles


def load_duties(lang: str | None = None, data_dir=None) -> pd.DataFrame:
    """Duties per role (seed 001's 8 x 8 and the lists of seeds 003 and 004)."""
    return load_table("duties", lang, data_dir)


def load_departments(lang: str | None = None, data_dir=None) -> pd.DataFrame:
    """Departments of each organisational structure the seeds describe."""
    return load_table("departments", lang, data_dir)


def load_department_roles(lang: str | None = None, data_dir=None) -> pd.DataFrame:
    """Which roles sit in which department."""
    return load_table("department_roles", lang, data_dir)


def load_stages(lang: str | None = None, data_dir=None) -> pd.DataFrame:
    """Seed 002's five growth stages; ``derived_fields`` lists values computed, not stated."""
    return load_table("stages", lang, data_dir)


def load_stage_roles(lang: str | None = None, data_dir=None) -> pd.DataFrame:
    """The team at each growth stage as seed 002 tells it (cumulative)."""
    return load_table("stage_roles", lang, data_dir)


def load_standards(lang: str | None = None, data_dir=None) -> pd.DataFrame:
    """Every productivity standard, rate and wage: value, low, high, unit and source."""
    return load_table("standards", lang, data_dir)


def is_derived(stages: pd.DataFrame, column: str) -> pd.Series:
    """True for the stages whose ``column`` value was derived rather than stated by the seed."""
    fields = stages["derived_fields"].fillna("").str.split(LIST_SEP)
    return fields.map(lambda fs: column in fs)


def split_list(value) -> list[str]:
    """Split a ``;``-separated cell into its parts (empty or missing -> [])."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return []
    return [p for p in str(value).split(LIST_SEP) if p]


# --------------------------------------------------------------------------- derived views
def stage_funnel(lang: str | None = None, data_dir=None) -> pd.DataFrame:
    """Visitors x conversion -> implied orders per day, beside the orders the seed states.

    Returns one row per stage with ``implied_orders_min/max`` (visitors_min x conversion_min,
    visitors_max x conversion_max), ``orders_min/max`` as in the table, ``orders_derived``
    (True where the table's orders were themselves computed, not stated) and ``consistent``:
    False where the stated order range falls outside the implied range, i.e. where the seed's
    own numbers disagree.  Missing inputs give missing implied values and ``consistent`` NA.
    """
    st = load_stages(lang, data_dir)
    out = st[["stage_id"] + (["name"] if lang else [])].copy()
    out["visitors_min"] = st["daily_visitors_min"]
    out["visitors_max"] = st["daily_visitors_max"]
    out["conversion_min"] = st["conversion_min"]
    out["conversion_max"] = st["conversion_max"]
    out["implied_orders_min"] = st["daily_visitors_min"] * st["conversion_min"]
    out["implied_orders_max"] = st["daily_visitors_max"] * st["conversion_max"]
    out["orders_min"] = st["daily_orders_min"]
    out["orders_max"] = st["daily_orders_max"]
    out["orders_derived"] = is_derived(st, "daily_orders_min") | is_derived(st, "daily_orders_max")
    out["conversion_derived"] = is_derived(st, "conversion_min") | is_derived(st, "conversion_max")
    known = out[["implied_orders_min", "implied_orders_max", "orders_min", "orders_max"]].notna().all(axis=1)
    tol = 0.5  # orders: rounding of a derived whole number
    inside = (out["orders_min"] >= out["implied_orders_min"] - tol) & (
        out["orders_max"] <= out["implied_orders_max"] + tol
    )
    out["consistent"] = pd.Series(pd.NA, index=out.index, dtype="boolean")
    out.loc[known, "consistent"] = inside[known]
    return out


def stage_team(lang: str | None = None, data_dir=None) -> pd.DataFrame:
    """Team size per stage from ``stage_roles``: roles present, headcount min and max.

    Where the seed gives a role no upper limit, its minimum counts towards ``headcount_max``
    and ``open_ended`` is True: the true maximum is then unknown, not smaller.
    """
    sr = load_stage_roles(None, data_dir)
    sr = sr.assign(
        max_known=sr["headcount_max"].fillna(sr["headcount_min"]),
        open_ended=sr["headcount_max"].isna(),
    )
    team = (
        sr.groupby("stage_id")
        .agg(roles=("role_id", "nunique"), headcount_min=("headcount_min", "sum"),
             headcount_max=("max_known", "sum"), open_ended=("open_ended", "any"))
        .reset_index()
    )
    st = load_stages(lang, data_dir)
    cols = ["stage_id"] + (["name"] if lang else [])
    return st[cols].merge(team, on="stage_id", how="left")
