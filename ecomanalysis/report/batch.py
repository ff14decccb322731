"""Many shops or scenarios in one go, as Dask tasks: a local cluster or any Dask cluster.

A batch file (YAML, loaded with ``yaml.safe_load``)::

    notebook: shop_report          # default notebook for every run
    defaults:                      # parameters shared by every run
      lang: zh
    runs:
      - shop: 示例店               # shop or scenario name (folder made safe)
        shop_file: shops/a.yaml    # optional: a ShopProfile, relative to this file (or a URL)
        params: {orders_per_day: 300}
      - shop: scenario-b
        notebook: 02_growth_stages
        params: {lang: en}

**One execution path.**  Every report is a task on a ``distributed`` cluster: the one at
``cluster`` (an address such as ``tcp://10.0.0.5:8786``) or in ``scheduler_file``, else a
:class:`distributed.LocalCluster` of ``jobs`` worker processes started for the batch.  A task
runs papermill in a private temporary folder on its worker (under the worker's local directory)
and returns the run's files (``output.ipynb``, ``report.html``, ``report.xlsx`` where the
notebook wrote one, ``metrics.json``, ``run.json``); the client writes each run atomically under
the reports folder and rebuilds the index, so workers need no shared file system for outputs.
The notebook travels with the task.  A shop file and the exports it names travel with the task
up to ``ship_max_bytes`` together (default :data:`SHIP_MAX_BYTES`); above that, the task carries
their paths, which every worker must be able to read (a shared mount), and a ``shop_file`` or
``files:`` entry given as an fsspec URL (``s3://...``, ``http://...``) is fetched by the worker.

**Failures.**  Every run is validated first; a run with bad parameters is recorded as failed and
the others go on.  A worker that dies mid-run has its task retried once on another worker (the
local cluster's scheduler allows one failure per task; any exception the task raises is retried
once too); each run is stored exactly once, by the client, under a run id fixed at submission.
Ctrl-C or a lost scheduler ends the batch with a summary of what finished; ``resume`` then
completes the rest: it skips each run whose notebook, parameters and input files match a run
already stored successfully (counted, so two identical runs need two stored ones).  The
progress bar follows task completion; the summary (``last_batch.json``, ``summary.csv``,
``summary.xlsx``: one row per run) is written at the end.

**Dying.**  Local workers exit the moment the batch process ends, however it ends (``distributed``
ties each worker process to a pipe held by its parent), and their report kernels follow their
worker.  A lock file per reports folder keeps two batches from overlapping; each local worker
also holds a shared lock on ``.batch.workers.lock`` while it lives, and a new batch waits for
the exclusive lock on it, so it never starts while workers of a killed batch are still alive.

The local workers are started with ``multiprocessing``'s *spawn* method, which imports the
caller's main module in each worker: a script calling :func:`run_batch` needs the usual
``if __name__ == "__main__":`` guard (the ``ecomanalysis`` command has it).
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import json
import logging
import os
import posixpath
import tempfile
import time
import warnings
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from filelock import FileLock, Timeout

from ecomanalysis import config
from ecomanalysis._io import write_bytes, write_csv, write_json
from ecomanalysis.errors import InputError
from ecomanalysis.i18n import N_, translator
from ecomanalysis.report import params as P
from ecomanalysis.report.index import ERROR_ANCHOR, rebuild_index, scan_runs
from ecomanalysis.report.runner import (
    DEFAULT_TIMEOUT_S,
    RunResult,
    collect_files,
    execute,
    live_run,
    new_run_id,
    params_hash,
    resolve_notebook,
    safe_name,
    store_run,
)

BATCH_KEYS = {"notebook", "defaults", "runs", "timeout_s"}
RUN_KEYS = {"shop", "notebook", "shop_file", "params"}
#: Shop file + its exports up to this size (bytes, together) travel with the task; above it
#: the task carries their paths, which every worker must be able to read.
SHIP_MAX_BYTES = 32 * 2**20
#: Seconds a new batch waits for the workers of a killed batch on the same folder to end.
WORKERS_WAIT_S = 60.0
WORKERS_LOCK = ".batch.workers.lock"
#: Keys of metrics.json that the summary shows, in this order (from the shop plan).
SUMMARY_METRICS = ("orders_per_day", "team_now", "team_needed", "hires_needed",
                   "cost_now_cny_month", "cost_needed_cny_month", "peak_temps", "flags")
SUMMARY_COLUMNS = ("shop", "notebook", "status", *SUMMARY_METRICS, "run_id", "duration_s",
                   "report", "error")
#: Thread-pool sizes of the numeric libraries; with one per worker process, ``jobs`` workers
#: share the cores instead of oversubscribing them.
_THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                     "NUMEXPR_NUM_THREADS", config.THREADS_ENV)


@dataclass
class Job:
    """One run of a batch, validated."""

    shop: str
    notebook: str
    params: dict[str, Any]
    digest: str = ""
    error: str | None = None
    label: str = field(default="")
    shop_file: str | None = None


class BatchRecords(list):
    """One record per run (``status`` ok / failed / skipped / not run); ``interrupted`` says
    why the batch stopped early (Ctrl-C, lost scheduler), else None."""

    interrupted: str | None = None


# --------------------------------------------------------------------------- the batch file
def load_batch(path: str | os.PathLike) -> tuple[list[Job], float]:
    """Read and validate a batch file; bad runs come back as jobs with ``error`` set."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: batch file not found")
    from ecomanalysis._io import read_yaml

    spec = read_yaml(path, "batch file")  # size, alias and encoding limits; errors name the file
    if not isinstance(spec, dict) or not isinstance(spec.get("runs"), list) or not spec["runs"]:
        raise InputError(f"{path.name}: expected a mapping with a non-empty list 'runs'")
    unknown = set(spec) - BATCH_KEYS
    if unknown:
        raise InputError(
            f"{path.name}: unknown key(s) {', '.join(sorted(unknown))}; expected {', '.join(sorted(BATCH_KEYS))}"
        )
    defaults = spec.get("defaults") or {}
    if not isinstance(defaults, dict):
        raise InputError(f"{path.name}: 'defaults' must be a mapping of parameters")
    timeout_s = _timeout(spec.get("timeout_s", DEFAULT_TIMEOUT_S), path.name)
    jobs = []
    for i, run in enumerate(spec["runs"], start=1):
        where = f"{path.name} runs[{i}]"
        if not isinstance(run, dict):
            raise InputError(f"{where}: expected a mapping with 'shop' and 'params'")
        shop = str(run.get("shop") or f"run-{i}")
        notebook = str(run.get("notebook") or spec.get("notebook") or "shop_report")
        job = Job(shop=shop, notebook=notebook, params={}, label=where)
        bad = set(run) - RUN_KEYS
        try:
            if bad:
                raise InputError(
                    f"{where}: unknown key(s) {', '.join(sorted(bad))}; expected {', '.join(sorted(RUN_KEYS))}"
                )
            params = run.get("params") or {}
            if not isinstance(params, dict):
                raise InputError(f"{where}: 'params' has {type(params).__name__}; expected a mapping "
                                 "of parameter: value")
            values = {**defaults, **params}
            if run.get("shop_file"):
                ref = str(run["shop_file"])
                if _is_url(ref):
                    values["shop_file"] = ref
                else:
                    shop_file = (path.parent / ref).resolve()
                    if not shop_file.is_file():
                        raise InputError(f"{where}: shop_file {ref!r} not found")
                    values["shop_file"] = str(shop_file)
            nb_path = resolve_notebook(notebook)
            schema = P.notebook_schema(nb_path)
            if "shop_name" in schema and "shop_name" not in values:
                values["shop_name"] = shop
            job.params = P.validate(schema, values, where=f"{where} parameter")
            job.shop_file = job.params.get("shop_file") or None
            job.digest = _digest(nb_path, job.params, job.shop_file)
            job.notebook = str(nb_path)
        except InputError as exc:
            job.error = str(exc)
        jobs.append(job)
    return jobs, timeout_s


def _timeout(value, name: str) -> float:
    from ecomanalysis.bounds import check_all

    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(f"{name}: key 'timeout_s' has {type(value).__name__}; expected a number "
                         "of seconds")
    check_all([("timeout_s", float(value), f"{name}: key 'timeout_s'")])
    return float(value)


def _is_url(ref: str) -> bool:
    return "://" in ref


def _shop_refs(shop_file: Path) -> tuple[bytes, dict[str, str]]:
    """The shop file's bytes and the exports it names (``files.orders``/``files.chats``), as
    absolute paths or URLs."""
    data = shop_file.read_bytes()
    refs: dict[str, str] = {}
    try:
        spec = yaml.safe_load(data.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError):
        return data, refs  # the notebook's own validation reports it
    files = spec.get("files") if isinstance(spec, dict) else None
    if isinstance(files, dict):
        for kind in ("orders", "chats"):
            ref = files.get(kind)
            if isinstance(ref, str) and ref:
                refs[kind] = ref if _is_url(ref) else str((shop_file.parent / ref).resolve())
    return data, refs


def _digest(nb_path: Path, values: dict[str, Any], shop_file: str | None) -> str:
    """Hash of the notebook's name, the parameters and the content of the shop's files, so a
    resumed batch re-runs a shop whose export changed."""
    digest = params_hash(nb_path, values)
    if not shop_file or _is_url(shop_file):
        return digest
    from ecomanalysis.cache import file_hash, make_key

    path = Path(shop_file)
    try:
        _, refs = _shop_refs(path)
        hashes = [file_hash(path)] + [file_hash(p) if not _is_url(p) and Path(p).is_file() else p
                                      for p in refs.values()]
    except OSError:
        return digest
    return make_key(digest, hashes)[:12]


# --------------------------------------------------------------------------- the task
def _shop_bundle(shop_file: str, max_bytes: int) -> dict[str, Any]:
    """What the task carries of a shop file: its bytes and its exports' bytes when they fit in
    ``max_bytes`` together, else their paths; URLs as they are."""
    if _is_url(shop_file):
        return {"url": shop_file}
    path = Path(shop_file)
    data, refs = _shop_refs(path)
    local = {k: Path(v) for k, v in refs.items() if not _is_url(v) and Path(v).is_file()}
    total = len(data) + sum(p.stat().st_size for p in local.values())
    files = {}
    for kind, ref in refs.items():
        entry: dict[str, Any] = {"ref": ref, "name": posixpath.basename(ref.rstrip("/")) or kind}
        if kind in local and total <= max_bytes:
            entry["data"] = local[kind].read_bytes()
        files[kind] = entry
    if total > max_bytes:
        return {"path": str(path), "name": path.name, "files": files}
    return {"data": data, "name": path.name, "files": files}


def _fetch(url: str) -> bytes:
    import fsspec

    with fsspec.open(url, "rb") as fh:
        return fh.read()


def materialize_shop(bundle: dict[str, Any], folder: Path) -> str:
    """Write the shop file of a task (and its exports) into ``folder``; its local path.

    The copy's ``files:`` point at the copies (or at the shared paths, or the fetched URLs).
    """
    folder.mkdir(parents=True, exist_ok=True)
    if "url" in bundle:
        url = bundle["url"]
        data = _fetch(url)
        name = posixpath.basename(url.rstrip("/")) or "shop.yaml"
        files: dict[str, Any] = {}
        try:
            spec = yaml.safe_load(data.decode("utf-8"))
            raw = spec.get("files") if isinstance(spec, dict) else None
            for kind in ("orders", "chats"):
                ref = raw.get(kind) if isinstance(raw, dict) else None
                if isinstance(ref, str) and ref:
                    full = ref if _is_url(ref) else posixpath.join(posixpath.dirname(url), ref)
                    files[kind] = {"ref": full, "name": posixpath.basename(full) or kind}
        except (UnicodeDecodeError, yaml.YAMLError):
            pass
    elif "data" in bundle:
        data, name, files = bundle["data"], bundle["name"], bundle["files"]
    else:
        return bundle["path"]  # too large to ship: every worker reads it where it is
    target = folder / name
    try:
        spec = yaml.safe_load(data.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError):
        spec = None
    if not isinstance(spec, dict) or not files or not isinstance(spec.get("files"), dict):
        target.write_bytes(data)  # nothing to relocate (or broken: the notebook says why)
        return str(target)
    for kind, entry in files.items():
        if "data" in entry or _is_url(entry["ref"]):
            local = folder / f"{kind}-{entry['name']}"
            local.write_bytes(entry["data"] if "data" in entry else _fetch(entry["ref"]))
            spec["files"][kind] = str(local)
        else:
            spec["files"][kind] = entry["ref"]
    target.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return str(target)


_HELD_LOCKS: dict[str, int] = {}


def _hold_shared(path: str) -> None:
    """Hold a shared lock on ``path`` for the rest of this worker process's life."""
    if path in _HELD_LOCKS:
        return
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o644)
    fcntl.flock(fd, fcntl.LOCK_SH)
    _HELD_LOCKS[path] = fd


def _single_threaded() -> None:
    """The worker and the kernels it starts use one thread each."""
    for name in _THREAD_VARIABLES:
        os.environ.setdefault(name, "1")


def run_task(payload: dict[str, Any]) -> dict[str, Any]:
    """One report, on a worker: papermill in a private temporary folder; returns the run's
    record and files.  A bad shop file (an :class:`InputError`) is a failed run; anything else
    raises, so the task is retried once."""
    _single_threaded()
    if payload.get("workers_lock"):
        _hold_shared(payload["workers_lock"])
    base = None
    with contextlib.suppress(ImportError, ValueError):
        from distributed import get_worker

        base = get_worker().local_directory
    with tempfile.TemporaryDirectory(prefix="ecomanalysis-run-", dir=base) as tmp:
        tmp = Path(tmp)
        nb_path = tmp / "notebook" / payload["notebook_name"]
        nb_path.parent.mkdir()
        nb_path.write_bytes(payload["notebook"])
        values = dict(payload["values"])
        started = datetime.now(UTC)
        if payload.get("shop"):
            try:
                values["shop_file"] = materialize_shop(payload["shop"], tmp / "input")
            except (OSError, InputError) as exc:
                return _not_started(payload, f"shop file: {type(exc).__name__}: {exc}")
        workdir = tmp / "run"
        workdir.mkdir()
        result = execute(nb_path, values, workdir, shop_label=payload["shop_label"],
                         run_id=payload["run_id"], digest=payload["digest"], started=started,
                         timeout_s=payload["timeout_s"], shown_params=payload["shown"])
        return {"record": asdict(result), "files": collect_files(workdir)}


def _not_started(payload_or_job, error: str) -> dict[str, Any]:
    """Record and files of a run that never ran its notebook (bad parameters, a worker that
    died twice, an unreadable shop file)."""
    import html

    p = payload_or_job
    record = asdict(RunResult(
        shop=p["shop_label"], shop_dir=safe_name(p["shop_label"]), notebook=Path(p["notebook_name"]).stem,
        run_id=p["run_id"], status="failed", params=P.redact(p["shown"]), params_hash=p["digest"],
        started=datetime.now(UTC).isoformat(timespec="seconds"), duration_s=0.0, error=error,
    ))
    page = ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>run not started</title></head>"
            f"<body><h1 id='{ERROR_ANCHOR}'>Run not started</h1><pre>{html.escape(error)}</pre>"
            "</body></html>\n")
    metrics = {"shop": p["shop_label"], "run_id": p["run_id"], "metrics": {}}
    return {"record": record, "files": {
        "report.html": page.encode(),
        "metrics.json": (json.dumps(metrics, ensure_ascii=False, indent=2) + "\n").encode()}}


def _payload(job: Job, timeout_s: float, ship_max_bytes: int, workers_lock: str | None) -> dict[str, Any]:
    nb_path = Path(job.notebook)
    run_id = new_run_id(datetime.now(UTC), job.digest or "0" * 8)
    payload = {
        "notebook_name": nb_path.name if nb_path.suffix == ".ipynb" else f"{nb_path.name}.ipynb",
        "notebook": b"", "values": job.params, "shown": job.params, "shop_label": job.shop,
        "run_id": run_id, "digest": job.digest, "timeout_s": timeout_s, "shop": None,
        "workers_lock": workers_lock,
    }
    if job.error is None:
        payload["notebook"] = nb_path.read_bytes()
        if job.shop_file:
            payload["shop"] = _shop_bundle(job.shop_file, ship_max_bytes)
    return payload


# --------------------------------------------------------------------------- the client
@contextlib.contextmanager
def _cluster_client(jobs: int, cluster: str | None, scheduler_file: str | None):
    """A ``distributed.Client``: on the given cluster, or on a LocalCluster of ``jobs``
    single-threaded worker processes (one task at a time each)."""
    with _quiet_distributed():
        yield from _cluster_client_inner(jobs, cluster, scheduler_file)


#: Loggers of ``distributed`` whose tracebacks (a lost connection, a worker restarted) the batch
#: turns into its own one-line messages.
_QUIET_LOGGERS = ("distributed.client", "distributed.comm", "distributed.core", "distributed.nanny",
                  "distributed.worker", "distributed.scheduler", "distributed.utils")


@contextlib.contextmanager
def _quiet_distributed():
    saved = {name: logging.getLogger(name).level for name in _QUIET_LOGGERS}
    try:
        for name in _QUIET_LOGGERS:
            logging.getLogger(name).setLevel(logging.CRITICAL)
        yield
    finally:
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)


def _cluster_client_inner(jobs: int, cluster: str | None, scheduler_file: str | None):
    import dask
    from distributed import Client, LocalCluster

    if scheduler_file and not Path(scheduler_file).is_file():
        raise InputError(f"--scheduler-file {scheduler_file}: not found; expected the JSON file written "
                         "by 'dask scheduler --scheduler-file FILE'")
    if cluster or scheduler_file:
        try:
            client = Client(cluster, scheduler_file=scheduler_file, timeout="30s")
        except (OSError, TimeoutError, ValueError) as exc:
            where = f"--cluster {cluster}" if cluster else f"--scheduler-file {scheduler_file}"
            raise InputError(f"{where}: cannot reach the Dask scheduler ({exc}); expected a "
                             "running scheduler (dask scheduler) with workers (dask worker)") from None
        try:
            yield client
        finally:
            client.close()
        return
    if not isinstance(jobs, int) or isinstance(jobs, bool) or jobs < 1:
        raise InputError(f"--jobs {jobs!r}: expected a whole number >= 1")
    with dask.config.set({"distributed.scheduler.allowed-failures": 1,
                          "distributed.worker.daemon": False}), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*(Port|HTTP server|already have a cluster).*")
        lc = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                          dashboard_address=None, silence_logs=logging.ERROR,
                          env={name: "1" for name in _THREAD_VARIABLES})
        try:
            client = Client(lc)
        except BaseException:
            lc.close()
            raise
    try:
        yield client
    finally:
        with contextlib.suppress(Exception):
            client.close()
        lc.close()  # waits for every worker process to end


def _wait_for_old_workers(reports: Path) -> str:
    """Wait until no worker of an earlier (killed) batch on ``reports`` is alive."""
    path = reports / WORKERS_LOCK
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o644)
    try:
        deadline = time.monotonic() + WORKERS_WAIT_S
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise InputError(f"workers of an earlier batch on {reports} are still running "
                                     f"after {WORKERS_WAIT_S:g} s (lock {path})") from None
                time.sleep(0.2)
        fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
    return str(path)


def run_batch(
    batch_file: str | os.PathLike,
    *,
    jobs: int = 1,
    resume: bool = False,
    reports_dir: str | os.PathLike | None = None,
    progress: bool = True,
    lock_timeout_s: float = 0.0,
    cluster: str | None = None,
    scheduler_file: str | None = None,
    ship_max_bytes: int = SHIP_MAX_BYTES,
    lang: str = "en",
) -> BatchRecords:
    """Run every job of ``batch_file`` as Dask tasks; one record per job, in the file's order.

    Parameters
    ----------
    jobs
        Worker processes of the local cluster (ignored with ``cluster``/``scheduler_file``).
    resume
        Skip runs already stored successfully with the same notebook, parameters and inputs.
    cluster, scheduler_file
        A running Dask scheduler: its address, or its scheduler file.
    ship_max_bytes
        Shop files up to this size (together) travel with the task.
    lang
        Language of summary.xlsx's headers and run states (summary.csv keeps the ids).
    """
    reports = Path(reports_dir) if reports_dir is not None else config.REPORTS_DIR
    reports.mkdir(parents=True, exist_ok=True)
    job_list, timeout_s = load_batch(batch_file)
    lock = FileLock(str(reports / ".batch.lock"))
    try:
        lock.acquire(timeout=lock_timeout_s)
    except Timeout as exc:
        raise InputError(
            f"another batch is running on {reports} (lock {reports / '.batch.lock'}); "
            "wait for it, or pass --lock-timeout SECONDS to wait"
        ) from exc
    try:
        local = not (cluster or scheduler_file)
        workers_lock = _wait_for_old_workers(reports) if local else None
        with live_run(reports):
            return _run_locked(job_list, reports, jobs, resume, progress, timeout_s, cluster,
                               scheduler_file, ship_max_bytes, workers_lock, lang)
    finally:
        lock.release()


def _run_locked(job_list, reports, jobs, resume, progress, timeout_s, cluster, scheduler_file,
                ship_max_bytes, workers_lock, lang: str = "en") -> BatchRecords:
    from tqdm import tqdm

    t0 = time.perf_counter()
    records: list[dict[str, Any] | None] = [None] * len(job_list)
    done: Counter = Counter()
    previous: dict[tuple[str, str], dict] = {}
    if resume:
        for r in scan_runs(reports).runs:
            if r["status"] == "ok":
                done[(r["shop_dir"], r["params_hash"])] += 1
                previous.setdefault((r["shop_dir"], r["params_hash"]), r)
    payloads: dict[int, dict[str, Any]] = {}
    for i, job in enumerate(job_list):
        key = (safe_name(job.shop), job.digest)
        if job.error:
            out = _not_started(_payload(job, timeout_s, ship_max_bytes, None), job.error)
            records[i] = _store(reports, out)
        elif resume and done[key] > 0:
            done[key] -= 1
            prev = previous[key]
            records[i] = {**prev, "status": "skipped", "duration_s": 0.0}
        else:
            payloads[i] = _payload(job, timeout_s, ship_max_bytes, workers_lock)

    interrupted = None
    if payloads:
        try:
            with _cluster_client(jobs, cluster, scheduler_file) as client:
                with tqdm(total=len(payloads), desc="reports", unit="run", disable=not progress) as bar:
                    interrupted = _collect(client, payloads, records, reports, bar)
        except KeyboardInterrupt:
            interrupted = "interrupted (Ctrl-C)"
    for i, job in enumerate(job_list):
        if records[i] is None:
            records[i] = {"shop": job.shop, "shop_dir": safe_name(job.shop),
                          "notebook": Path(job.notebook).stem, "status": "not run", "duration_s": 0.0,
                          "run_dir": "", "metrics": {}, "error": None, "run_id": ""}
    out = BatchRecords(r for r in records if r is not None)
    out.interrupted = interrupted
    _finish(reports, out, time.perf_counter() - t0, lang)
    return out


def _collect(client, payloads, records, reports, bar) -> str | None:
    """Submit every task and store each run as it completes; why it stopped early, or None."""
    from distributed import as_completed

    futures = {}
    for i, payload in payloads.items():
        fut = client.submit(run_task, payload, key=f"report-{payload['run_id']}", retries=1,
                            pure=False)
        futures[fut] = i
    try:
        for fut in as_completed(list(futures)):
            i = futures[fut]
            payload = payloads[i]
            try:
                out = fut.result()
            except Exception as exc:
                if client.status not in ("running", "connecting") or fut.status == "cancelled":
                    return f"lost the Dask scheduler ({type(exc).__name__}: {exc})"
                out = _not_started(payload, _task_error(exc))
            records[i] = _store(reports, out)
            bar.update()
    except KeyboardInterrupt:
        for fut in futures:
            fut.cancel()
        return "interrupted (Ctrl-C)"
    except OSError as exc:  # the connection to the scheduler failed
        return f"lost the Dask scheduler ({type(exc).__name__}: {exc})"
    return None


def _task_error(exc: BaseException) -> str:
    from distributed import KilledWorker

    if isinstance(exc, KilledWorker):
        return ("the worker running this report died twice (killed, or out of memory); "
                f"{exc}")
    return f"task failed twice: {type(exc).__name__}: {exc}"


def _store(reports: Path, out: dict[str, Any]) -> dict[str, Any]:
    record = dict(out["record"])
    final = store_run(reports, record, out["files"])
    record["run_dir"] = str(final)
    return record


# --------------------------------------------------------------------------- the summary
def _metric(record: dict, key: str):
    m = (record.get("metrics") or {}).get(key)
    if not isinstance(m, dict):
        return None
    value = m.get("value")
    return "; ".join(map(str, value)) if isinstance(value, list) else value


def summary_frame(records: list[dict[str, Any]]):
    """One row per run of the batch: status, the plan's key figures, the report, the error."""
    import pandas as pd

    rows = []
    for r in records:
        row = {"shop": r.get("shop", ""), "notebook": r.get("notebook", ""), "status": r.get("status", "")}
        row.update({k: _metric(r, k) for k in SUMMARY_METRICS})
        if _metric(r, "flag_texts") is not None:  # the plan records the count and the texts
            row["flags"] = _metric(r, "flag_texts")
        report = Path(r["run_dir"]) / "report.html" if r.get("run_dir") else None
        row.update({"run_id": r.get("run_id", ""), "duration_s": r.get("duration_s", 0.0),
                    "report": str(report) if report is not None and report.is_file() else "",
                    "error": (r.get("error") or "").splitlines()[0] if r.get("error") else ""})
        rows.append(row)
    frame = pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))
    for col in SUMMARY_METRICS:  # whole numbers stay whole beside the empty cells of failed runs
        values = [row[col] for row in rows if row[col] is not None]
        if values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            frame[col] = frame[col].astype("Int64")
    return frame


#: Headers of the summary workbook (summary.csv keeps the column ids, for machines).
SUMMARY_LABELS = {
    "shop": N_("Shop"), "notebook": N_("Notebook"), "status": N_("Status"),
    "orders_per_day": N_("Orders per day"), "team_now": N_("Team now (people)"),
    "team_needed": N_("Team needed (people)"), "hires_needed": N_("Hires needed (people)"),
    "cost_now_cny_month": N_("Labour cost now (CNY/month)"),
    "cost_needed_cny_month": N_("Labour cost needed (CNY/month)"),
    "peak_temps": N_("Temps at the peak (people)"), "flags": N_("Flags"), "run_id": N_("Run"),
    "duration_s": N_("Duration (s)"), "report": N_("Report"), "error": N_("Error"),
}


def write_summary_xlsx(path: Path, frame, lang: str = "en") -> Path:
    """The summary as a workbook for a manager: headers and run states in ``lang``, bold
    frozen header, widths, number formats."""
    import pandas as pd
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    _ = translator(lang)
    frame = frame.assign(status=frame["status"].map(
        lambda v: _(STATUS_NAMES[v]) if v in STATUS_NAMES else v))
    wb = Workbook()
    ws = wb.active
    ws.title = _("Summary")
    ws.append([_(SUMMARY_LABELS.get(c, c)) for c in frame.columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in frame.itertuples(index=False):
        ws.append([None if v is None or v is pd.NA or (isinstance(v, float) and v != v) else v
                   for v in row])
    ws.freeze_panes = "A2"
    for j, col in enumerate(frame.columns, start=1):
        width = max([len(str(ws.cell(1, j).value))] + [len(str(v)) for v in frame[col].head(200)]) + 2
        ws.column_dimensions[get_column_letter(j)].width = min(width, 60)
        if col.startswith("cost_"):
            fmt = "#,##0"
        elif col in {"orders_per_day", "duration_s"}:
            fmt = "#,##0.0"
        else:
            continue
        for cell in ws[get_column_letter(j)][1:]:
            cell.number_format = fmt
    buf = io.BytesIO()
    wb.save(buf)
    return write_bytes(path, buf.getvalue())


def _finish(reports: Path, records: BatchRecords, wall_s: float, lang: str = "en") -> None:
    rebuild_index(reports)
    frame = summary_frame(records)
    write_csv(reports / "summary.csv", frame)
    write_summary_xlsx(reports / "summary.xlsx", frame, lang)
    write_json(reports / "last_batch.json", {
        "finished": datetime.now(UTC).isoformat(timespec="seconds"), "wall_s": round(wall_s, 3),
        "interrupted": records.interrupted, "runs": list(records)})


#: Run states as the summary prints them (msgids).
STATUS_NAMES = {"ok": N_("ok"), "failed": N_("failed"), "skipped": N_("skipped"),
                "not run": N_("not run")}


def summary_table(records: list[dict[str, Any]], lang: str = "en") -> str:
    """A plain-text table of a batch's runs, in ``lang``."""
    import unicodedata

    _ = translator(lang)

    def width(text: str) -> int:  # terminal columns: a CJK character takes two
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in str(text))

    rows = [(_("status"), _("shop"), _("notebook"), _("duration"), _("report / error"))]
    for r in records:
        detail = r.get("error") or (str(Path(r["run_dir"]) / "report.html") if r.get("run_dir") else "")
        detail = detail.splitlines()[0] if detail else ""
        status = _(STATUS_NAMES[r["status"]]) if r["status"] in STATUS_NAMES else r["status"]
        rows.append((status, r["shop"], r["notebook"],
                     _("{s} s", s=f"{float(r.get('duration_s') or 0):.1f}"), detail))
    widths = [max(width(row[c]) for row in rows) for c in range(4)]
    lines = ["  ".join(str(v) + " " * (w - width(v)) for v, w in zip(row[:4], widths, strict=True))
             + "  " + row[4] for row in rows]
    n = Counter(r["status"] for r in records)
    line = _("{n} runs: {ok} ok, {failed} failed, {skipped} skipped", n=len(records), ok=n["ok"],
             failed=n["failed"], skipped=n["skipped"])
    if n["not run"]:
        line += _(", {n} not run", n=n["not run"])
    lines.append(line)
    interrupted = getattr(records, "interrupted", None)
    if interrupted:
        lines.append(_("batch stopped early: {why}; run it again with --resume to complete the "
                       "rest", why=interrupted))
    return "\n".join(lines)


def dumps(records: list[dict[str, Any]]) -> str:
    return json.dumps(records, ensure_ascii=False, indent=2, default=str)
