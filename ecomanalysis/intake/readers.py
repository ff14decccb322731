"""Open a shop export (CSV, Excel, Parquet) as a DuckDB source, whatever its encoding.

CSV files are read by DuckDB directly (fast, parallel); this module only finds out how to read
them: the encoding, the delimiter and the line the header is on.

Encodings
---------
UTF-8, UTF-8 with a byte-order mark, GBK/GB18030 (what Excel and the Taobao seller centre write on
Chinese Windows), Big5 (told from GBK by ``charset_normalizer``) and UTF-16 with a BOM are
recognised.  The encoding is *verified*, never guessed
silently: a file must decode completely in the encoding chosen.  A file in which some lines are
UTF-8 Chinese and others GBK (two exports pasted together), or with bytes valid in neither, is
refused with the line and byte offset of the first conflict.  GBK and UTF-16 files are transcoded
to a temporary UTF-8 copy that DuckDB reads; the copy is removed when the source is closed.

Header row
----------
Spreadsheet exports often start with a title row ("2024年11月 订单报表") or a blank row.  The
header is the row among the first ones that holds the most known column names (from the presets,
plus any the user named); failing that, the first row with as many filled cells as the widest row.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import difflib
import io
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ecomanalysis.errors import InputError
from ecomanalysis.intake._duck import q_ident, q_str

#: How many leading bytes are read to sniff a CSV (encoding, delimiter, header).
SNIFF_BYTES = 256 * 1024
#: How many leading rows may hold titles before the header row.
HEADER_SEARCH_ROWS = 30
#: Delimiters tried, in order of preference on a tie.
DELIMITERS = (",", "\t", ";", "|")
#: Chunk size for streaming decode / transcode.
CHUNK_BYTES = 16 * 1024 * 1024

CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
PARQUET_SUFFIXES = {".parquet", ".pq"}

#: The GB family: GB18030 is a superset of GBK and GB2312, so decoding as GB18030 covers all three.
GB = "gb18030"
#: Big5 as Windows writes it (cp950 is a superset of Big5).
BIG5 = "cp950"
#: Non-UTF-8 lines sampled to tell GBK from Big5.
ENCODING_SAMPLE_LINES = 200


# --------------------------------------------------------------------------- file checks
def check_file(path: str | Path) -> Path:
    """Return ``path`` as a Path, or raise InputError if it is missing, a folder or empty."""
    p = Path(path)
    if not p.exists():
        hint = ""
        if p.parent.is_dir():
            close = difflib.get_close_matches(p.name, [c.name for c in p.parent.iterdir()], n=3)
            if close:
                hint = "; did you mean " + ", ".join(close) + "?"
        raise InputError(f"{p}: no such file{hint}")
    if p.is_dir():
        raise InputError(f"{p}: is a folder; expected an order or chat export file")
    if p.stat().st_size == 0:
        raise InputError(f"{p.name} is empty (0 bytes); expected a header row and data rows")
    return p


def file_kind(path: Path) -> str:
    """``csv``, ``xlsx`` or ``parquet``, from the suffix or, failing that, the first bytes."""
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return "csv"
    if suffix in EXCEL_SUFFIXES:
        return "xlsx"
    if suffix in PARQUET_SUFFIXES:
        return "parquet"
    if suffix == ".xls":
        raise InputError(
            f"{path.name}: the old Excel .xls format is not read; open it in Excel or WPS and "
            "save it as .xlsx or .csv"
        )
    with path.open("rb") as fh:
        magic = fh.read(4)
    if magic == b"PAR1":
        return "parquet"
    if magic.startswith(b"PK"):
        return "xlsx"
    return "csv"


# --------------------------------------------------------------------------- encodings
def _utf8_evidence(text: str) -> bool:
    """True if decoded UTF-8 text holds a character of 3+ bytes (CJK is 3 bytes in UTF-8).

    GBK bytes almost never form valid UTF-8 sequences of that length, so a line that decodes
    as UTF-8 *and* holds such a character is taken as genuinely UTF-8.
    """
    return any(ord(ch) >= 0x800 for ch in text)


def _gb_or_big5(samples: list[bytes]) -> str:
    """GB18030 or Big5 for lines that are not UTF-8.

    Big5 (Traditional Chinese, Taiwan and Hong Kong sellers) byte pairs are valid GBK pairs, so
    a Big5 file decodes as GB18030 without error -- into nonsense.  ``charset_normalizer`` tells
    them apart by how coherent the decoded text is; Big5 is used only if every sampled line
    also decodes as Big5 (cp950).
    """
    import charset_normalizer

    blob = b"\n".join(samples)
    best = charset_normalizer.from_bytes(blob).best()
    if best is not None and best.encoding in ("big5", "big5hkscs", "cp950"):
        try:
            blob.decode(BIG5)
        except UnicodeDecodeError:
            return GB
        return BIG5
    return GB


def scan_encoding(path: str | Path) -> str:
    """Decode the whole file line by line and return ``"utf-8"``, ``"gb18030"`` or ``"cp950"``
    (Big5).

    Raises
    ------
    InputError
        When lines are in different encodings (UTF-8 Chinese and GBK Chinese in one file) or a
        line is valid in neither; the message names the line and byte offset of the conflict.
    """
    path = Path(path)
    first_utf8: tuple[int, int, str] | None = None  # line, offset, text
    first_gb: tuple[int, int, str] | None = None
    gb_lines: list[bytes] = []
    offset = 0
    with path.open("rb") as fh:
        for lineno, raw in enumerate(fh, start=1):
            start = offset
            offset += len(raw)
            if lineno == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
            if raw.isascii():
                continue
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc_utf8:
                try:
                    text = raw.decode(GB)
                except UnicodeDecodeError:
                    bad = start + exc_utf8.start
                    raise InputError(
                        f"{path.name} line {lineno} (byte offset {bad}): bytes "
                        f"{raw[exc_utf8.start:exc_utf8.start + 4]!r} are neither UTF-8 nor "
                        "GBK/GB18030; the file mixes encodings or is damaged. Re-export it, or open "
                        "it in a text editor and save it as UTF-8"
                    ) from None
                if first_gb is None:
                    first_gb = (lineno, start, text)
                if len(gb_lines) < ENCODING_SAMPLE_LINES:
                    gb_lines.append(raw.rstrip(b"\r\n"))
            else:
                if first_utf8 is None and _utf8_evidence(text):
                    first_utf8 = (lineno, start, text)
            if first_utf8 is not None and first_gb is not None:
                (lu, ou, tu), (lg, og, tg) = first_utf8, first_gb
                raise InputError(
                    f"{path.name} mixes encodings: line {lu} (byte offset {ou}) is UTF-8 "
                    f"({tu.strip()[:30]!r}) but line {lg} (byte offset {og}) is GBK/GB18030 "
                    f"({tg.strip()[:30]!r}). Re-export the data in one go, or save each part as "
                    "UTF-8 before joining them"
                )
    return _gb_or_big5(gb_lines) if first_gb is not None else "utf-8"


def detect_encoding(path: str | Path) -> str:
    """The encoding of a text file: ``utf-8-sig``, ``utf-16``, ``utf-8``, ``gb18030`` or
    ``cp950`` (Big5).

    A BOM settles it.  Otherwise the leading bytes are tried as UTF-8; if they decode, the file
    is read as UTF-8 and DuckDB verifies the rest as it reads (a late non-UTF-8 byte triggers
    :func:`scan_encoding`).  If not, the whole file is scanned now.
    """
    path = Path(path)
    with path.open("rb") as fh:
        head = fh.read(SNIFF_BYTES)
        more = bool(fh.read(1))
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if more and b"\n" in head:
        head = head[: head.rindex(b"\n") + 1]  # do not cut a character in two
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return scan_encoding(path)
    return "utf-8"


def transcode_to_utf8(path: Path, encoding: str, dest: Path) -> Path:
    """Stream ``path`` from ``encoding`` into a UTF-8 copy at ``dest`` (strict decoding)."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    done = 0
    try:
        with path.open("rb") as src, dest.open("w", encoding="utf-8", newline="") as out:
            while chunk := src.read(CHUNK_BYTES):
                out.write(decoder.decode(chunk))
                done += len(chunk)
            out.write(decoder.decode(b"", final=True))
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path.name} (byte offset {done + exc.start}): not valid {encoding}; the file mixes "
            "encodings or is damaged. Re-export it, or save it as UTF-8"
        ) from None
    return dest


# --------------------------------------------------------------------------- header search
def _norm(name: object) -> str:
    return str(name).replace("\ufeff", "").strip().casefold()


def find_header_row(rows: list[list[str]], known: Iterable[str]) -> int:
    """Index of the header among ``rows`` (the first :data:`HEADER_SEARCH_ROWS` of a file).

    The row holding the most ``known`` column names wins (earliest on a tie); if no row holds
    any, the first row with as many filled cells as the widest row.
    """
    known_set = {_norm(k) for k in known}
    rows = rows[:HEADER_SEARCH_ROWS]
    if not rows:
        return 0
    hits = [sum(_norm(c) in known_set for c in row if c not in (None, "")) for row in rows]
    best = max(hits)
    if best > 0:
        return hits.index(best)
    filled = [sum(c not in (None, "") for c in row) for row in rows]
    return filled.index(max(filled))


def unique_names(header: list[object]) -> list[str]:
    """Header cells as usable, unique column names (blank -> ``column3``, repeats -> ``备注_2``)."""
    out: list[str] = []
    seen: dict[str, int] = {}
    for i, cell in enumerate(header, start=1):
        name = "" if cell is None else str(cell).replace("\ufeff", "").strip()
        name = name or f"column{i}"
        base = name
        while name in seen:
            seen[base] += 1
            name = f"{base}_{seen[base]}"
        seen.setdefault(name, 1)
        out.append(name)
    return out


def _sniff_delimiter(lines: list[str]) -> str:
    best, best_score = ",", (-1.0, 0)
    for delim in DELIMITERS:
        counts = [len(r) for r in csv.reader(lines, delimiter=delim) if r]
        if not counts:
            continue
        mode = max(set(counts), key=counts.count)
        if mode < 2:
            continue
        score = (counts.count(mode) / len(counts), mode)
        if score > best_score:
            best, best_score = delim, score
    return best


# --------------------------------------------------------------------------- the source
@dataclass
class Source:
    """An export opened for DuckDB.

    Attributes
    ----------
    path
        The user's file.
    kind
        ``csv``, ``xlsx`` or ``parquet``.
    encoding
        The text encoding found (CSV only).
    columns
        Column names, unique, as the SQL sees them (header cells, trimmed).
    from_sql
        A DuckDB table expression reading every column as text (CSV), or the native types.
    column_types
        DuckDB type name per column (``VARCHAR`` for every CSV column).
    notes
        What was found (encoding, header row, delimiter), for reports.
    """

    path: Path
    kind: str
    encoding: str | None
    columns: list[str]
    from_sql: str
    column_types: dict[str, str]
    notes: list[str] = field(default_factory=list)
    first_data_row: int = 2
    csv_options: str = ""
    csv_file: Path | None = None
    _row_numbers: list[int] | None = None
    _cleanup: Callable[[], None] | None = None

    def typed_sql(self, types: dict[str, str], timestamp_format: str | None = None) -> str | None:
        """A CSV read where DuckDB's reader parses some columns itself (e.g. the time column as
        TIMESTAMP with ``timestamp_format``, the amount as DOUBLE): faster than text + cast, but
        the whole read fails on one bad value, so callers fall back to :attr:`from_sql`."""
        if self.kind != "csv" or self.csv_file is None:
            return None
        cols = "{" + ", ".join(
            f"{q_str(c)}: {q_str(types.get(c, 'VARCHAR'))}" for c in self.columns
        ) + "}"
        opts = f"{self.csv_options}, columns = {cols}"
        if timestamp_format:
            opts += f", timestampformat = {q_str(timestamp_format)}"
        return f"read_csv({q_str(str(self.csv_file))}, {opts})"

    def row_label(self, index: int) -> str:
        """How a user finds data row ``index`` (0-based): ``row 17`` as a spreadsheet counts."""
        if self._row_numbers is not None:
            return f"row {self._row_numbers[index]}"
        if self.kind == "parquet":
            return f"record {index + 1}"
        return f"row {self.first_data_row + index}"

    def close(self) -> None:
        if self._cleanup is not None:
            self._cleanup()
            self._cleanup = None


def _csv_source(path: Path, encoding: str, known: Iterable[str],
                names: list[str] | None = None) -> Source:
    with path.open("rb") as fh:
        head = fh.read(SNIFF_BYTES)
        more = bool(fh.read(1))
    if more and b"\n" in head:
        head = head[: head.rindex(b"\n") + 1]
    text = head.decode(encoding, errors="replace")  # verified elsewhere; this is a peek
    text = text.lstrip("\ufeff")
    lines = text.splitlines()[: HEADER_SEARCH_ROWS + 20]
    if not any(line.strip() for line in lines):
        raise InputError(f"{path.name} holds no text rows (only blank lines); expected a header")
    delim = _sniff_delimiter([ln for ln in lines if ln.strip()])
    reader = csv.reader(io.StringIO("\n".join(lines) + "\n"), delimiter=delim)
    rows: list[list[str]] = []
    line_after: list[int] = []  # physical line count consumed after each row
    for row in reader:
        rows.append(row)
        line_after.append(reader.line_num)
        if len(rows) >= HEADER_SEARCH_ROWS:
            break
    if names:
        first = next((r for r in rows if any(c.strip() for c in r)), [])
        if len(first) != len(names):
            raise InputError(
                f"{path.name} row 1: {len(first)} fields, but {len(names)} column names were "
                f"given ({', '.join(names)}); expected one name per field"
            )
        header_idx, skip, columns = -1, 0, unique_names(list(names))
    else:
        header_idx = find_header_row(rows, known)
        skip = line_after[header_idx - 1] if header_idx > 0 else 0
        columns = unique_names(rows[header_idx])
    cols_sql = "{" + ", ".join(f"{q_str(c)}: 'VARCHAR'" for c in columns) + "}"
    base = (
        f"header = {'false' if names else 'true'}, skip = {skip}, delim = {q_str(delim)}, "
        "quote = '\"', escape = '\"', auto_detect = false"
    )
    from_sql = f"read_csv({q_str(str(path))}, {base}, columns = {cols_sql})"
    notes = [f"encoding {encoding}", f"delimiter {delim!r}"]
    if header_idx > 0:
        notes.append(f"header on line {skip + 1} (skipped {skip} title line(s))")
    if names:
        notes.append("no header row (column names given)")
    return Source(
        path=path,
        kind="csv",
        encoding=encoding,
        columns=columns,
        from_sql=from_sql,
        column_types={c: "VARCHAR" for c in columns},
        notes=notes,
        first_data_row=skip + (1 if names else 2),
        csv_options=base,
        csv_file=path,
    )


def _cell_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None


def _pick_sheet(wb, path: Path, sheet: str | None, time_names: Iterable[str]):
    """The worksheet named ``sheet``, else the first whose leading rows hold a time column name,
    else the first sheet."""
    names = [ws.title for ws in wb.worksheets]
    if sheet is not None:
        if sheet not in names:
            raise InputError(
                f"{path.name}: no sheet {sheet!r}; sheets found: {', '.join(names)}"
                + (f"; did you mean {', '.join(map(repr, close))}?"
                   if (close := difflib.get_close_matches(sheet, names, n=2)) else "")
            )
        return wb[sheet]
    wanted = {_norm(t) for t in time_names if t}
    for ws in wb.worksheets:
        for i, row in enumerate(ws.iter_rows(values_only=True)):
            if i >= HEADER_SEARCH_ROWS:
                break
            if any(_norm(c) in wanted for c in row if c not in (None, "")):
                return ws
    return wb.worksheets[0]


def _xlsx_source(path: Path, con, known: Iterable[str], table: str, sheet: str | None = None,
                 time_names: Iterable[str] = (), names: list[str] | None = None) -> Source:
    import datetime as dt

    import openpyxl
    import pandas as pd

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zipfile.BadZipFile, KeyError, InvalidFileException ...
        raise InputError(f"{path.name}: not a readable .xlsx workbook ({exc})") from exc
    try:
        ws = _pick_sheet(wb, path, sheet, time_names)
        all_rows = [list(r) for r in ws.iter_rows(values_only=True)]
    finally:
        wb.close()
    numbered = [(i + 1, r) for i, r in enumerate(all_rows) if any(c not in (None, "") for c in r)]
    if not numbered:
        raise InputError(f"{path.name}: sheet {ws.title!r} is empty; expected a header and data rows")
    if names:
        header_sheet_row, columns, body = 0, unique_names(list(names)), numbered
        width = max(len(r) for _, r in numbered)
        if len([c for c in numbered[0][1] if c not in (None, "")]) > len(names) or width < len(names):
            raise InputError(
                f"{path.name} sheet {ws.title!r}: {width} columns, but {len(names)} column names "
                f"were given ({', '.join(names)}); expected one name per column"
            )
    else:
        probe = [[_cell_text(c) or "" for c in r] for _, r in numbered[:HEADER_SEARCH_ROWS]]
        h = find_header_row(probe, known)
        header_sheet_row, header = numbered[h]
        columns = unique_names(header)
        body = numbered[h + 1 :]
    width = len(columns)
    data: dict[str, list] = {c: [] for c in columns}
    for _, r in body:
        r = list(r) + [None] * (width - len(r))
        for c, v in zip(columns, r[:width], strict=True):
            data[c].append(v)
    frame = {}
    types = {}
    for c, values in data.items():
        present = [v for v in values if v not in (None, "")]
        if present and all(isinstance(v, dt.datetime | dt.date) for v in present):
            frame[c] = pd.to_datetime(pd.Series(values, dtype="object"), errors="coerce")
            types[c] = "TIMESTAMP"
        else:
            frame[c] = pd.Series([_cell_text(v) for v in values], dtype="object")
            types[c] = "VARCHAR"
    df = pd.DataFrame(frame, columns=columns)
    con.register(table, df)
    notes = [f"sheet {ws.title!r}",
             f"header on row {header_sheet_row}" if header_sheet_row else "no header row (column names given)"]
    return Source(
        path=path,
        kind="xlsx",
        encoding=None,
        columns=columns,
        from_sql=q_ident(table),
        column_types=types,
        notes=notes,
        first_data_row=header_sheet_row + 1,
        _row_numbers=[n for n, _ in body],
    )


def _parquet_source(path: Path, con) -> Source:
    from_sql = f"read_parquet({q_str(str(path))})"
    try:
        desc = con.execute(f"DESCRIBE SELECT * FROM {from_sql}").fetchall()
    except Exception as exc:
        raise InputError(f"{path.name}: not a readable Parquet file ({exc})") from exc
    columns = [r[0] for r in desc]
    return Source(
        path=path,
        kind="parquet",
        encoding=None,
        columns=columns,
        from_sql=from_sql,
        column_types={r[0]: str(r[1]) for r in desc},
        notes=["parquet"],
    )


@contextlib.contextmanager
def open_source(
    path: str | Path,
    con,
    known_columns: Iterable[str] = (),
    encoding: str | None = None,
    table: str = "xlsx_source",
    sheet: str | None = None,
    time_names: Iterable[str] = (),
    names: list[str] | None = None,
) -> Iterator[Source]:
    """Open ``path`` for reading through ``con`` (a DuckDB connection).

    Parameters
    ----------
    path
        The export: ``.csv``/``.txt``/``.tsv``, ``.xlsx`` or ``.parquet``.
    con
        DuckDB connection (Excel sheets are registered on it as ``table``).
    known_columns
        Column names that mark the header row (preset aliases and user-given names).
    encoding
        Force a text encoding instead of detecting it.
    table
        Name under which an Excel sheet is registered.
    sheet
        Excel: the sheet to read; default the first sheet holding one of ``time_names`` in its
        leading rows, else the first sheet.
    time_names
        Column names that mark the sheet holding the data (the time column's aliases).
    names
        Column names of a file without a header row (every row is data).
    """
    p = check_file(path)
    kind = file_kind(p)
    known = list(known_columns)
    if kind == "xlsx":
        yield _xlsx_source(p, con, known, table, sheet, time_names, names)
        return
    if kind == "parquet":
        yield _parquet_source(p, con)
        return
    enc = encoding or detect_encoding(p)
    if enc in ("utf-8", "utf-8-sig"):
        yield _csv_source(p, enc, known, names)
        return
    tmpdir = Path(tempfile.mkdtemp(prefix="ecomanalysis-intake-"))
    try:
        copy = transcode_to_utf8(p, enc, tmpdir / (p.stem + ".utf8.csv"))
        src = _csv_source(copy, "utf-8", known, names)
        src.path, src.encoding = p, enc
        shown = {GB: "GBK/GB18030", BIG5: "Big5"}.get(enc, enc)
        src.notes[0] = f"encoding {shown} (transcoded to UTF-8)"
        yield src
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)


# --------------------------------------------------------------------------- DuckDB errors
_CSV_LINE = re.compile(r"CSV Error on Line: (\d+)")
_COLS = re.compile(r"Expected Number of Columns: (\d+) Found: (\d+)")
_ORIG = re.compile(r"Original Line: (.*)")


def is_unicode_error(exc: BaseException) -> bool:
    return "Invalid unicode" in str(exc)


def csv_error_to_input_error(path: Path, exc: BaseException) -> InputError:
    """Turn DuckDB's CSV error into an InputError naming the line and what was wrong."""
    msg = str(exc)
    line = _CSV_LINE.search(msg)
    cols = _COLS.search(msg)
    orig = _ORIG.search(msg)
    where = f"{path.name} line {line.group(1)}" if line else path.name
    if cols:
        text = f": expected {cols.group(1)} fields like the header, found {cols.group(2)}"
        if orig:
            text += f" in {orig.group(1).strip()[:80]!r}"
        return InputError(where + text + "; check for unquoted delimiters or a cut-off line")
    first = msg.strip().splitlines()[0] if msg.strip() else type(exc).__name__
    return InputError(f"{where}: could not be read as CSV ({first})")
