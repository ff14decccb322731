"""Atomic file writes: a reader never sees a half-written output.

Write to a temporary file in the destination folder, flush and fsync, then ``os.replace``
(atomic on POSIX within one file system).  On any exception the temporary file is removed
and the destination is left as it was.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO]:
    """Open a temporary sibling of ``path`` for writing; move it into place on success."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:  # read-only, full, a file where a folder should be: name the target
        raise type(exc)(exc.errno, exc.strerror, str(exc.filename or path)) from exc
    binary = "b" in mode
    try:
        with os.fdopen(fd, mode, encoding=None if binary else encoding) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual permissions
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        if isinstance(exc, OSError) and exc.errno is not None:  # disk full while writing...
            raise type(exc)(exc.errno, exc.strerror, str(path)) from exc
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text(path: str | os.PathLike, text: str) -> Path:
    with atomic_open(path, "w") as fh:
        fh.write(text)
    return Path(path)


def write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    with atomic_open(path, "wb") as fh:
        fh.write(data)
    return Path(path)


def write_json(path: str | os.PathLike, obj: Any) -> Path:
    return write_text(path, json.dumps(obj, ensure_ascii=False, indent=2, default=str) + "\n")


def write_csv(path: str | os.PathLike, df, **kwargs) -> Path:
    """Write a DataFrame as UTF-8 CSV atomically (``index=False`` unless given)."""
    kwargs.setdefault("index", False)
    with atomic_open(path, "w") as fh:
        df.to_csv(fh, **kwargs)
    return Path(path)


# --------------------------------------------------------------------------- reading text and YAML
#: Encodings tried when a file is not UTF-8 (Chinese Windows saves GBK; Notepad UTF-16).
TEXT_ENCODINGS = ("gb18030", "big5", "utf_16", "utf_16_le", "utf_16_be", "utf_32")
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """Decode a text file: by its byte-order mark, as UTF-8, else by detection among
    :data:`TEXT_ENCODINGS` (charset-normalizer).  Returns ``(text, encoding)``; raises
    :class:`~ecomanalysis.errors.InputError` naming the file when no encoding fits.
    """
    from ecomanalysis.errors import InputError

    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError:
                break
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(TEXT_ENCODINGS)).best()
    if best is None or "\x00" in str(best):
        raise InputError(
            f"{name}: not UTF-8 text (byte {first_bad}) and not GBK, Big5 or UTF-16 either; "
            "expected a text file saved as UTF-8"
        )
    return str(best), best.encoding


def read_yaml(path: str | os.PathLike, what: str = "YAML file") -> Any:
    """Read a YAML file safely: the one loader of shop files and batch files.

    ``yaml.safe_load`` semantics (data only, no Python objects) plus limits from
    ``data/input_bounds.csv``: at most ``yaml_bytes`` bytes and ``yaml_aliases`` aliases
    (``*name``; an alias bomb repeats everything before it at each level), no nesting deep
    enough to exhaust the stack.  Non-UTF-8 files (GBK, Big5, UTF-16) are decoded by
    :func:`decode_text`.  Every problem is an :class:`~ecomanalysis.errors.InputError` naming
    the file (and line and column for syntax errors).
    """
    import yaml

    from ecomanalysis.bounds import bound
    from ecomanalysis.errors import InputError

    path = Path(path)
    name = path.name
    if path.is_dir():
        raise InputError(f"{path}: is a folder; expected a {what}")
    if not path.is_file():
        raise InputError(f"{path}: {what} not found")
    max_bytes = int(bound("yaml_bytes").high)
    size = path.stat().st_size
    if size > max_bytes:
        raise InputError(f"{name}: {size:,} bytes; expected a {what} of at most {max_bytes:,} bytes")
    with open(path, "rb") as fh:
        data = fh.read(max_bytes + 1)
    text, _ = decode_text(data, name)
    max_aliases = int(bound("yaml_aliases").high)

    class _Loader(yaml.SafeLoader):
        aliases = 0

        def compose_node(self, parent, index):
            if self.check_event(yaml.AliasEvent):
                _Loader.aliases += 1
                if _Loader.aliases > max_aliases:
                    mark = self.peek_event().start_mark
                    raise InputError(
                        f"{name} line {mark.line + 1}: more than {max_aliases} aliases (*name); "
                        f"expected a {what} without an alias bomb (write the values out)"
                    )
            return super().compose_node(parent, index)

    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" line {mark.line + 1} column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise InputError(f"{name}{at}: not valid YAML ({problem})") from None
    except RecursionError:
        raise InputError(f"{name}: nested too deeply; expected a {what} of plain keys, "
                         "lists and values") from None
