"""A cache keyed by content: parsed shop exports and forecast fits, stored as Parquet.

A scenario batch on one shop (several order levels, several peak events) re-reads the same
export and re-fits the same forecast in every run; each run is a fresh kernel, so only a cache
on disk helps.  An entry is found by a key made of *what the result depends on*, never by a
path or a time stamp:

- a shop's parsed and aggregated exports (:func:`ecomanalysis.shop.shop_files`): the SHA-256
  of each file's bytes, the intake options (the preset) and the version of the intake code;
- a forecast fit (:func:`ecomanalysis.forecast.fit_forecast` in the peak plan): the hash of the
  history (dates and values), of the event calendar, the horizon, the interval level and the
  version of the forecast model's code.

"Version of the code" is the SHA-256 of the source files of the modules involved plus the
package version, so a changed model or reader never serves an old result.

An entry is a folder ``<kind>/<key[:2]>/<key>/`` holding one Parquet file per table and a
``manifest.json`` (written last) with the SHA-256 of every file.  It is built in a private
temporary folder and moved into place with one ``rename``: a reader never sees half an entry,
and of two writers racing for the same key the second simply finds the place taken and drops
its copy (both computed the same thing).  An entry whose manifest or files do not match (a
truncated or corrupt file, an old format) is ignored, removed and rebuilt.

Where: ``$ECOMANALYSIS_CACHE_DIR``, else ``$XDG_CACHE_HOME/ecomanalysis``, else
``~/.cache/ecomanalysis``.  ``ECOMANALYSIS_CACHE=off`` disables it.  ``ecomanalysis cache
clear`` empties it.  :data:`STATS` counts hits, misses, writes and bad entries in this process;
with ``$ECOMANALYSIS_CACHE_LOG`` set, every event is also appended as one line
(``<event> <kind> <key>``) to that file, so tests can count hits made inside report kernels.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import json
import os
import shutil
import tempfile
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

CACHE_DIR_ENV = "ECOMANALYSIS_CACHE_DIR"
CACHE_SWITCH_ENV = "ECOMANALYSIS_CACHE"
CACHE_LOG_ENV = "ECOMANALYSIS_CACHE_LOG"
#: Bumped when the layout of an entry changes; part of every key.
FORMAT_VERSION = 1
_READ_CHUNK_BYTES = 1 << 20
MANIFEST = "manifest.json"

#: Events in this process: ``STATS[("hit", "intake")]`` etc.
STATS: Counter = Counter()


# --------------------------------------------------------------------------- where, on/off
def cache_dir() -> Path:
    """The cache folder (not created)."""
    if os.environ.get(CACHE_DIR_ENV):
        return Path(os.environ[CACHE_DIR_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ecomanalysis"


def enabled() -> bool:
    return os.environ.get(CACHE_SWITCH_ENV, "on").strip().lower() not in {"off", "0", "false", "no"}


def _event(event: str, kind: str, key: str) -> None:
    STATS[(event, kind)] += 1
    log = os.environ.get(CACHE_LOG_ENV)
    if log:
        with contextlib.suppress(OSError), open(log, "a", encoding="utf-8") as fh:
            fh.write(f"{event} {kind} {key}\n")  # one short O_APPEND write: atomic per line


def hits(kind: str | None = None) -> int:
    """Cache hits in this process (of one kind, or all)."""
    return sum(n for (event, k), n in STATS.items() if event == "hit" and (kind is None or k == kind))


# --------------------------------------------------------------------------- hashing
def file_hash(path: str | os.PathLike) -> str:
    """SHA-256 of a file's bytes (read in chunks)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_READ_CHUNK_BYTES):
            h.update(chunk)
    return h.hexdigest()


def frame_hash(obj: pd.Series | pd.DataFrame) -> str:
    """SHA-256 of a Series or DataFrame: index, columns and values."""
    h = hashlib.sha256()
    if isinstance(obj, pd.DataFrame):
        h.update(json.dumps([str(c) for c in obj.columns]).encode())
    h.update(pd.util.hash_pandas_object(obj, index=True).to_numpy().tobytes())
    return h.hexdigest()


@functools.lru_cache(maxsize=16)
def code_version(*modules: str) -> str:
    """SHA-256 of the source files of ``modules`` (dotted names) and the package version."""
    import importlib.util

    from ecomanalysis import __version__

    h = hashlib.sha256(__version__.encode())
    for name in modules:
        # the module's file, found without importing it (a cache hit should not pay for
        # importing what it spares, e.g. numba behind the simulation)
        files = [Path(importlib.util.find_spec(name).origin)]
        if files[0].name == "__init__.py":  # a package: every module in it
            files = sorted(files[0].parent.rglob("*.py"))
        for f in files:
            h.update(f.name.encode())
            h.update(f.read_bytes())
    return h.hexdigest()


def make_key(*parts: Any) -> str:
    """SHA-256 of the JSON of ``parts`` (and the cache format)."""
    payload = json.dumps([FORMAT_VERSION, *parts], sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


# --------------------------------------------------------------------------- entries
def _entry(kind: str, key: str) -> Path:
    return cache_dir() / kind / key[:2] / key


def _to_table(value: Any) -> tuple[str, pd.DataFrame, dict]:
    """A value as (type tag, DataFrame for Parquet, extra JSON)."""
    if isinstance(value, pd.Series):
        frame = pd.DataFrame({"value": value.to_numpy()}, index=value.index)
        return "series", frame.reset_index(names="index"), {"name": value.name,
                                                             "index_name": value.index.name}
    if isinstance(value, pd.DataFrame):
        return "frame", value.reset_index(drop=True), {"attrs": _jsonable(value.attrs)}
    if isinstance(value, np.ndarray):
        return "array", pd.DataFrame({"value": value.ravel()}), {"shape": list(value.shape)}
    raise TypeError(f"cannot cache a {type(value).__name__} as a table")


def _jsonable(obj: Any) -> Any:
    return json.loads(json.dumps(obj, default=str))


def _from_table(tag: str, frame: pd.DataFrame, extra: dict) -> Any:
    if tag == "series":
        s = pd.Series(frame["value"].to_numpy(), index=pd.Index(frame["index"]), name=extra.get("name"))
        s.index.name = extra.get("index_name")
        return s
    if tag == "frame":
        frame.attrs.update(extra.get("attrs") or {})
        return frame
    return frame["value"].to_numpy().reshape(extra["shape"])


def get(kind: str, key: str) -> dict[str, Any] | None:
    """The entry ``key`` of ``kind`` (tables and JSON values by name), or None on a miss.

    A corrupt, truncated or foreign entry counts as a miss: it is removed so it is rebuilt.
    """
    if not enabled():
        return None
    path = _entry(kind, key)
    manifest_path = path / MANIFEST
    if not manifest_path.is_file():
        _event("miss", kind, key)
        return None
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT_VERSION or manifest.get("key") != key:
            raise ValueError("manifest of another format or key")
        out: dict[str, Any] = dict(manifest["values"])
        for name, spec in manifest["tables"].items():
            data = (path / spec["file"]).read_bytes()
            if hashlib.sha256(data).hexdigest() != spec["sha256"]:
                raise ValueError(f"{spec['file']}: checksum mismatch")
            frame = pd.read_parquet(io.BytesIO(data))
            out[name] = _from_table(spec["type"], frame, spec.get("extra") or {})
    except Exception:  # any damage: ignore the entry and rebuild it
        _event("corrupt", kind, key)
        _remove(path)
        return None
    _event("hit", kind, key)
    return out


def put(kind: str, key: str, tables: dict[str, Any], values: dict[str, Any] | None = None) -> bool:
    """Store ``tables`` (Series, DataFrames, arrays) and JSON ``values`` under ``key``.

    Returns False when the cache is off, another writer got there first, or the disk refused
    (a cache never fails the computation it serves).
    """
    if not enabled():
        return False
    final = _entry(kind, key)
    tmp = None
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".tmp-{key[:12]}-", dir=final.parent))
        manifest: dict[str, Any] = {"format": FORMAT_VERSION, "key": key, "kind": kind,
                                    "values": _jsonable(values or {}), "tables": {}}
        for i, (name, value) in enumerate(tables.items()):
            tag, frame, extra = _to_table(value)
            buf = io.BytesIO()
            frame.columns = [str(c) for c in frame.columns]
            frame.to_parquet(buf, index=False)
            data = buf.getvalue()
            fname = f"t{i}.parquet"
            (tmp / fname).write_bytes(data)
            manifest["tables"][name] = {"file": fname, "type": tag, "extra": _jsonable(extra),
                                        "sha256": hashlib.sha256(data).hexdigest()}
        (tmp / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
        if final.exists():
            return False  # another writer was first (a damaged entry is removed by get())
        os.rename(tmp, final)
        tmp = None
    except OSError:  # lost the race (the place is taken) or the disk refused
        return False
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    _event("write", kind, key)
    return True


def _remove(path: Path) -> None:
    """Remove an entry: first renamed aside (atomic), then deleted."""
    aside = path.parent / f".trash-{uuid.uuid4().hex}"
    try:
        os.rename(path, aside)
    except OSError:
        return
    shutil.rmtree(aside, ignore_errors=True)


def memo(kind: str, key: str | Callable[[], str], compute: Callable[[], Any],
         dump: Callable[[Any], tuple[dict, dict]], load: Callable[[dict], Any]) -> Any:
    """``load(get(...))`` on a hit, else ``compute()`` stored with ``dump`` -> (tables, values).

    ``key`` may be a function, called only when the cache is on (hashing the inputs is then
    not paid with ``ECOMANALYSIS_CACHE=off``)."""
    if not enabled():
        return compute()
    key = key() if callable(key) else key
    entry = get(kind, key)
    if entry is not None:
        try:
            return load(entry)
        except Exception:  # an entry that no longer fits the code: rebuild it
            _event("corrupt", kind, key)
            _remove(_entry(kind, key))
    result = compute()
    try:
        tables, values = dump(result)
    except (TypeError, ValueError):
        return result  # not cacheable (an unusual value): computed, not stored
    put(kind, key, tables, values)
    return result


def clear() -> tuple[int, int]:
    """Remove every entry; returns (entries removed, bytes freed)."""
    root = cache_dir()
    if not root.is_dir():
        return 0, 0
    n = sum(1 for _ in root.glob(f"*/*/*/{MANIFEST}"))
    size = 0
    for f in root.rglob("*"):
        if f.is_file():
            size += f.stat().st_size
    for child in root.iterdir():
        if child.is_dir():
            aside = root / f".trash-{uuid.uuid4().hex}"
            with contextlib.suppress(OSError):
                os.rename(child, aside)
                shutil.rmtree(aside, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                child.unlink()
    return n, size


def info() -> dict[str, Any]:
    """Entries and bytes per kind."""
    root = cache_dir()
    out: dict[str, Any] = {"dir": str(root), "enabled": enabled(), "kinds": {}}
    if root.is_dir():
        for kind in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
            entries = list(kind.glob(f"*/*/{MANIFEST}"))
            size = sum(f.stat().st_size for f in kind.rglob("*") if f.is_file())
            out["kinds"][kind.name] = {"entries": len(entries), "bytes": size}
    return out


# --------------------------------------------------------------------------- the two uses
def split_values(d: dict[str, Any]) -> tuple[dict, dict]:
    """A dict of results as (tables: Series/DataFrames/arrays, values: plain JSON); raises
    TypeError for anything else (then it is not cached)."""
    tables = {k: v for k, v in d.items() if isinstance(v, pd.Series | pd.DataFrame | np.ndarray)}
    values = {k: v for k, v in d.items() if k not in tables}
    json.dumps(values, allow_nan=True)  # TypeError if not plain JSON
    return tables, values


def shop_files_key(paths: Iterable[str | None], options: Any) -> str:
    """Key of a shop's parsed exports: content of each file (in order), the intake options, the
    intake and shop code."""
    hashes = [file_hash(p) if p else None for p in paths]
    return make_key("intake", hashes, options, code_version("ecomanalysis.intake", "ecomanalysis.shop"))


def cached_shop_files(paths: Iterable[str | None], options: Any, compute: Callable[[], dict]) -> dict:
    """The aggregates of a shop's files (a dict of Series, frames, arrays and plain values),
    from the cache if there.  Tuples come back as lists (JSON)."""
    if not enabled():
        return compute()
    key = shop_files_key(list(paths), options)
    return memo("intake", key, compute, split_values, lambda entry: entry)


def cached_fit(fit: Callable, y: pd.Series, horizon_days: int, events: pd.DataFrame, *,
               dump: Callable[[Any], tuple[dict, dict]], load: Callable[[dict], Any],
               **kwargs: Any):
    """``fit(y, horizon_days, events, **kwargs)`` (a forecast fit), from the cache if there.

    Keyed by the history (dates and values), the event calendar, the horizon, the keyword
    arguments (level, name...) and the version of the forecast code.  ``dump`` turns a result
    into ``(tables, plain JSON values)`` and ``load`` rebuilds it from the stored entry; the
    forecast module supplies both, so this module imports nothing above it.
    """
    if not enabled() or not isinstance(y, pd.Series) or not isinstance(events, pd.DataFrame):
        return fit(y, horizon_days, events, **kwargs)
    key = make_key("forecast", frame_hash(y), frame_hash(events), int(horizon_days),
                   sorted(kwargs.items()), code_version("ecomanalysis.forecast"))
    return memo("forecast", key, lambda: fit(y, horizon_days, events, **kwargs), dump, load)
