"""Many shops or scenarios in one go: parallel processes, resume, a lock, a summary.

A batch file (YAML, loaded with ``yaml.safe_load``)::

    notebook: shop_report          # default notebook for every run
    defaults:                      # parameters shared by every run
      lang: zh
    runs:
      - shop: 示例店               # shop or scenario name (folder made safe)
        shop_file: shops/a.yaml    # optional: a ShopProfile, relative to this file
        params: {horizon_days: 60}
      - shop: scenario-b
        notebook: 02_growth_stages
        params: {lang: en}

Every run is validated first; a run with bad parameters is recorded as failed (with the
message) and the others go on.  Runs execute in ``jobs`` worker processes; one failing run never
stops the others.  ``resume`` skips runs whose notebook and parameters match a run already done
successfully.  A lock file per reports folder keeps two overlapping batches from running the same
work at once (the second waits up to ``lock_timeout_s``, then gives up with a clear message).
"""

from __future__ import annotations

import json
import os
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import yaml
from filelock import FileLock, Timeout

from ecomanalysis import config
from ecomanalysis._io import write_json, write_text
from ecomanalysis.errors import InputError
from ecomanalysis.report import params as P
from ecomanalysis.report.index import rebuild_index
from ecomanalysis.report.runner import (
    DEFAULT_TIMEOUT_S,
    RunResult,
    load_runs,
    params_hash,
    resolve_notebook,
    run_notebook,
    safe_name,
)

BATCH_KEYS = {"notebook", "defaults", "runs", "timeout_s"}
RUN_KEYS = {"shop", "notebook", "shop_file", "params"}


@dataclass
class Job:
    """One run of a batch, validated."""

    shop: str
    notebook: str
    params: dict[str, Any]
    digest: str = ""
    error: str | None = None
    label: str = field(default="")


def load_batch(path: str | os.PathLike) -> tuple[list[Job], float]:
    """Read and validate a batch file; bad runs come back as jobs with ``error`` set."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: batch file not found")
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise InputError(f"{path.name}: not valid YAML ({exc})") from exc
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
    timeout_s = float(spec.get("timeout_s", DEFAULT_TIMEOUT_S))
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
            values = {**defaults, **(run.get("params") or {})}
            if run.get("shop_file"):
                shop_file = (path.parent / str(run["shop_file"])).resolve()
                if not shop_file.is_file():
                    raise InputError(f"{where}: shop_file {str(run['shop_file'])!r} not found")
                values["shop_file"] = str(shop_file)
            nb_path = resolve_notebook(notebook)
            schema = P.notebook_schema(nb_path)
            if "shop_name" in schema and "shop_name" not in values:
                values["shop_name"] = shop
            job.params = P.validate(schema, values, where=f"{where} parameter")
            job.digest = params_hash(nb_path, job.params)
            job.notebook = str(nb_path)
        except InputError as exc:
            job.error = str(exc)
        jobs.append(job)
    return jobs, timeout_s


#: Thread-pool sizes of the numeric libraries; with one per worker process, ``jobs`` workers
#: share the cores instead of oversubscribing them.
_THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                     "NUMEXPR_NUM_THREADS", config.THREADS_ENV)


def _single_threaded() -> None:
    """Worker initializer: the worker and the kernels it starts use one thread each."""
    for name in _THREAD_VARIABLES:
        os.environ.setdefault(name, "1")


def _run_job(job: Job, reports_dir: str, timeout_s: float) -> dict[str, Any]:
    """Worker entry point (a separate process): never raises, returns the run record."""
    try:
        result = run_notebook(
            job.notebook, job.params, shop=job.shop, reports_dir=reports_dir,
            timeout_s=timeout_s, update_index=False,
        )
        return asdict(result)
    except Exception as exc:  # stored as a failure; the batch goes on
        return asdict(_failure(job, Path(reports_dir), f"{type(exc).__name__}: {exc}"))


def _failure(job: Job, reports: Path, error: str) -> RunResult:
    """Store a run that could not start (bad parameters, missing notebook) as a failed result."""
    started = datetime.now(UTC)
    shop_dir = safe_name(job.shop)
    run_id = f"{started.strftime('%Y%m%dT%H%M%S')}-invalid-{os.getpid()}"
    final = reports / shop_dir / run_id
    staging = reports / shop_dir / f".staging-{run_id}"
    result = RunResult(
        shop=job.shop, shop_dir=shop_dir, notebook=Path(job.notebook).stem, run_id=run_id, status="failed",
        params=P.redact(job.params), params_hash=job.digest, started=started.isoformat(timespec="seconds"),
        duration_s=0.0, error=error, run_dir=str(final),
    )
    staging.mkdir(parents=True, exist_ok=True)
    write_text(
        staging / "report.html",
        "<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>"
        f"<h1 id='papermill-error-cell'>Run not started</h1><pre>{_escape(error)}</pre></body></html>",
    )
    write_json(staging / "metrics.json", {"shop": job.shop, "run_id": run_id, "metrics": {}})
    write_json(staging / "run.json", asdict(result))
    os.replace(staging, final)
    return result


def _escape(text: str) -> str:
    import html

    return html.escape(text, quote=True)


def _done(reports: Path) -> set[tuple[str, str]]:
    return {
        (r.get("shop_dir", ""), r.get("params_hash", ""))
        for r in load_runs(reports)
        if r.get("status") == "ok"
    }


def run_batch(
    batch_file: str | os.PathLike,
    *,
    jobs: int = 1,
    resume: bool = False,
    reports_dir: str | os.PathLike | None = None,
    progress: bool = True,
    lock_timeout_s: float = 0.0,
) -> list[dict[str, Any]]:
    """Run every job of ``batch_file``; return one record per job (``status`` ok/failed/skipped)."""
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
        return _run_locked(job_list, reports, jobs, resume, progress, timeout_s)
    finally:
        lock.release()


def _run_locked(job_list, reports, jobs, resume, progress, timeout_s):
    from tqdm import tqdm

    records: list[dict[str, Any] | None] = [None] * len(job_list)
    done = _done(reports) if resume else set()
    todo = []
    for i, job in enumerate(job_list):
        if job.error:
            records[i] = asdict(_failure(job, reports, job.error))
        elif resume and (safe_name(job.shop), job.digest) in done:
            records[i] = {"shop": job.shop, "notebook": Path(job.notebook).stem, "status": "skipped",
                          "duration_s": 0.0, "run_dir": "", "error": None}
        else:
            todo.append(i)
    bar = tqdm(total=len(todo), desc="reports", unit="run", disable=not progress)
    t0 = time.perf_counter()
    if jobs <= 1:
        for i in todo:
            records[i] = _run_job(job_list[i], str(reports), timeout_s)
            bar.update()
    else:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn"),
                                 initializer=_single_threaded) as pool:
            futures = {pool.submit(_run_job, job_list[i], str(reports), timeout_s): i for i in todo}
            for fut in as_completed(futures):
                i = futures[fut]
                try:
                    records[i] = fut.result()
                except Exception as exc:  # a worker process died
                    records[i] = asdict(_failure(job_list[i], reports, f"worker died: {exc}"))
                bar.update()
    bar.close()
    rebuild_index(reports)
    out = [r for r in records if r is not None]
    write_json(
        reports / "last_batch.json",
        {"finished": datetime.now(UTC).isoformat(timespec="seconds"),
         "wall_s": round(time.perf_counter() - t0, 3), "runs": out},
    )
    return out


def summary_table(records: list[dict[str, Any]]) -> str:
    """A plain-text table of a batch's runs."""
    rows = [("status", "shop", "notebook", "duration", "report / error")]
    for r in records:
        detail = r.get("error") or (str(Path(r["run_dir"]) / "report.html") if r.get("run_dir") else "")
        detail = detail.splitlines()[0] if detail else ""
        rows.append((r["status"], r["shop"], r["notebook"], f"{float(r.get('duration_s') or 0):.1f}s", detail))
    widths = [max(len(str(row[c])) for row in rows) for c in range(4)]
    lines = ["  ".join(str(v).ljust(w) for v, w in zip(row[:4], widths, strict=True)) + "  " + row[4] for row in rows]
    n_fail = sum(r["status"] == "failed" for r in records)
    n_skip = sum(r["status"] == "skipped" for r in records)
    lines.append(f"{len(records)} runs: {len(records) - n_fail - n_skip} ok, {n_fail} failed, {n_skip} skipped")
    return "\n".join(lines)


def dumps(records: list[dict[str, Any]]) -> str:
    return json.dumps(records, ensure_ascii=False, indent=2, default=str)
