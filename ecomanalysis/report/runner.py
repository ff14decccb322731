"""Run one notebook with validated parameters: papermill -> output.ipynb, report.html, metrics.json.

Pipeline (after man-group/notebooker): validate parameters against the notebook's own
``parameters`` cell before any kernel starts -> inject them as literals in a cell tagged
``injected-parameters`` -> execute with papermill on the named kernel with a per-cell timeout
-> export HTML in-process with nbconvert (no code, no parameter cells) -> collect the metrics the
notebook recorded with :func:`ecomanalysis.report.record` -> write everything to a hidden
staging folder, then move it into ``reports/<shop>/<run-id>/`` in one rename.  A failed run is
stored as a result too, with its error and a link to the failing cell.

Run ids are ``<UTC second>-<parameter hash>-<random>``: unique even for identical runs started
in the same second.  Every process that writes runs registers itself as *live* (a lock file
under ``reports/.live/`` held while it runs; the kernel frees it if the process dies), and at
its start removes the staging folders of dead runs: those older than the oldest live run.

:func:`execute` runs a notebook in any folder and leaves the run's files there (a batch task
does this in a private folder on a Dask worker and returns the files); :func:`store_run`
writes such files into the reports folder atomically.
"""

from __future__ import annotations

import contextlib
import copy
import errno
import fcntl
import hashlib
import json
import os
import re
import secrets
import shutil
import time
import traceback
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import nbformat

from ecomanalysis import config
from ecomanalysis._io import write_json, write_text
from ecomanalysis.errors import InputError
from ecomanalysis.i18n import N_
from ecomanalysis.report import params as P
from ecomanalysis.report.index import ERROR_ANCHOR, scan_runs  # noqa: F401 (ERROR_ANCHOR: re-exported)
from ecomanalysis.report.metrics import METRIC_MIME, read_metrics

INJECTED_TAG = "injected-parameters"
HIDDEN_TAGS = {INJECTED_TAG, "parameters", "remove-cell", "remove_cell"}
SECRET_ENV_PREFIX = "ECOMANALYSIS_SECRET_"
DEFAULT_TIMEOUT_S = 600
#: OS errors of the output folder (full, read-only, forbidden): raised, never stored as a run.
_OUTPUT_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM}


@dataclass
class RunResult:
    """What a run produced (also stored as ``run.json`` in the run folder)."""

    shop: str
    shop_dir: str
    notebook: str
    run_id: str
    status: str
    params: dict[str, Any]
    params_hash: str
    started: str
    duration_s: float
    metrics: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    error_cell: int | None = None
    run_dir: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def html_path(self) -> Path:
        return Path(self.run_dir) / "report.html"


# --------------------------------------------------------------------------- names and paths
def safe_name(name: str, fallback: str = "shop") -> str:
    """A folder name made from ``name``: no separators, no ``..``, no absolute paths.

    Letters of any script (so Chinese shop names stay readable), digits, ``-`` and ``_`` are
    kept; everything else becomes ``-``.  The result never starts with ``.``.
    """
    text = unicodedata.normalize("NFKC", str(name))
    text = "".join(ch if (ch.isalnum() or ch in "-_") else "-" for ch in text)
    text = re.sub(r"-{2,}", "-", text).strip("-_")
    return text[:80] or fallback


def resolve_notebook(name: str | os.PathLike) -> Path:
    """Path of a notebook given by name (``"shop_report"``) or path."""
    path = Path(name)
    candidates = [path] if path.suffix == ".ipynb" else [path.with_suffix(".ipynb")]
    candidates += [config.NOTEBOOKS_DIR / c for c in list(candidates)]
    for c in candidates:
        if c.is_file():
            return c.resolve()
    known = sorted(p.stem for p in config.NOTEBOOKS_DIR.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    raise InputError(f"notebook {str(name)!r} not found; expected one of {', '.join(known)}")


def params_hash(notebook: Path, params: dict[str, Any]) -> str:
    """Stable hash of a notebook's name and parameter values (secrets excluded)."""
    payload = json.dumps({"notebook": notebook.stem, "params": P.redact(params)}, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()[:12]


# --------------------------------------------------------------------------- notebook surgery
def inject(nb: nbformat.NotebookNode, values: dict[str, Any]) -> nbformat.NotebookNode:
    """Insert a cell tagged ``injected-parameters`` after the parameters cell.

    Every value is written as a Python literal (``repr`` checked by ``ast.literal_eval``);
    secret values are read from the kernel's environment instead, so they never appear in the
    notebook.
    """
    nb = copy.deepcopy(nb)
    index, _ = P.parameters_cell(nb)
    lines = ["# Parameters injected by ecomanalysis.report (validated; values are literals)"]
    for name, value in values.items():
        if P.is_secret(name):
            lines.append(f'{name} = __import__("os").environ.get({SECRET_ENV_PREFIX + name.upper()!r}, "")')
        else:
            lines.append(f"{name} = {P.literal(value)}")
    cell = nbformat.v4.new_code_cell("\n".join(lines), metadata={"tags": [INJECTED_TAG]})
    nb.cells.insert(index + 1, cell)
    return nb


def _ipc_kernel_manager():
    """A kernel manager on local IPC sockets: no TCP ports, no unencrypted-TCP warning."""
    from jupyter_client.manager import AsyncKernelManager

    class IPCKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            kwargs.setdefault("transport", "ipc")
            super().__init__(**kwargs)

        async def _async_interrupt_kernel(self) -> None:
            # jupyter_client interrupts (SIGINT) before every shutdown request; an idle kernel
            # then logs "[IPKernelApp] ERROR | KeyboardInterrupt caught in kernel." to our
            # stderr after a successful run.  The shutdown request alone ends it cleanly (and
            # a kernel that ignores it is killed by finish_shutdown).
            if getattr(self, "shutting_down", False):
                return
            await super()._async_interrupt_kernel()

        interrupt_kernel = _async_interrupt_kernel

    return IPCKernelManager


#: Charts in a kernel need the inline backend, whatever MPLBACKEND the caller runs with
#: (tests and CI set Agg, which would silently drop every figure from the report).
KERNEL_ENV = {"MPLBACKEND": "module://matplotlib_inline.backend_inline"}


@contextlib.contextmanager
def _kernel_env(values: dict[str, Any]):
    """Environment for the kernel process: inline charts, and secrets by variable."""
    saved = {key: os.environ.get(key) for key in KERNEL_ENV}
    try:
        os.environ.update(KERNEL_ENV)
        for name, value in values.items():
            if P.is_secret(name):
                key = SECRET_ENV_PREFIX + name.upper()
                saved[key] = os.environ.get(key)
                os.environ[key] = str(value)
        yield
    finally:
        for key, old in saved.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old


def secret_forms(secret: str) -> list[str]:
    """Every encoding a secret can take in our outputs, longest first: as typed, HTML-escaped,
    JSON-escaped (ASCII or not), ``repr``, URL-quoted, Markdown-escaped, and the JSON form of
    each HTML form (an HTML output stored in output.ipynb)."""
    import html
    from urllib.parse import quote

    from ecomanalysis.safetext import md

    def json_inner(x: str, ascii_: bool) -> str:
        return json.dumps(x, ensure_ascii=ascii_)[1:-1]

    first = {secret, html.escape(secret), html.escape(secret, quote=False), repr(secret)[1:-1],
             quote(secret, safe=""), md(secret), secret.replace("&", "&amp;")}
    forms = set(first)
    for f in first:
        forms |= {json_inner(f, True), json_inner(f, False)}
        forms |= {html.escape(json_inner(f, False)), json_inner(json_inner(f, False), False)}
    return sorted((f for f in forms if f), key=len, reverse=True)


def _scrub(text: str, secrets: list[str]) -> str:
    for s in secrets:
        if s:
            for form in secret_forms(s):
                text = text.replace(form, "***")
    return text


def to_html(
    nb: nbformat.NotebookNode, title: str, *, code: bool = False, remove_tags=HIDDEN_TAGS
) -> str:
    """HTML of an executed notebook, the Chinese glyphs it needs embedded.

    By default outputs and prose only (no code, no parameter cells); ``code=True`` keeps the
    code cells (teaching editions).  Cells tagged with any of ``remove_tags`` are dropped.
    """
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    c = Config()
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = set(remove_tags)
    if not code:
        c.HTMLExporter.exclude_input = True
        c.HTMLExporter.exclude_input_prompt = True
        c.HTMLExporter.exclude_output_prompt = True
    exporter = HTMLExporter(config=c)
    nb = copy.deepcopy(nb)
    nb.metadata["title"] = title
    for cell in nb.cells:  # metrics are for metrics.json, not for readers
        if "outputs" in cell:
            cell.outputs = [o for o in cell.outputs if METRIC_MIME not in o.get("data", {})]
    body, _ = exporter.from_notebook_node(nb)
    from ecomanalysis.plots import embed_cjk_font

    return embed_cjk_font(body)


# --------------------------------------------------------------------------- ids, live runs
#: Files a run produces, in the order they are written; ``report.xlsx`` only where the notebook
#: writes one (in its working folder).
RUN_FILES = ("output.ipynb", "report.html", "report.xlsx", "metrics.json", "run.json")
LIVE_DIR = ".live"
STAGING_PREFIX = ".staging-"


def new_run_id(started: datetime, digest: str) -> str:
    """``<UTC second>-<hash>-<random>``: unique even for identical runs in the same second."""
    return f"{started.strftime('%Y%m%dT%H%M%S')}-{digest[:8]}-{secrets.token_hex(3)}"


@contextlib.contextmanager
def live_run(reports: Path):
    """Register this process as a live writer of ``reports`` while the block runs.

    The registration is a file under ``reports/.live/`` named by the start time and locked with
    ``flock``: the operating system frees the lock when the process ends, however it ends, so a
    dead writer is recognised by a lock that can be taken.  On entry, stale staging folders are
    removed (:func:`clean_stale_staging`).
    """
    live = reports / LIVE_DIR
    live.mkdir(parents=True, exist_ok=True)
    start_ns = time.time_ns()
    tmp = live / f".{start_ns}-{os.getpid()}-{secrets.token_hex(3)}.tmp"
    fd = os.open(tmp, os.O_CREAT | os.O_RDWR, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX)
    path = tmp.with_name(tmp.name[1:].removesuffix(".tmp") + ".lock")
    os.replace(tmp, path)  # visible only once locked
    try:
        clean_stale_staging(reports)
        yield path
    finally:
        with contextlib.suppress(OSError):
            path.unlink()
        os.close(fd)


def _live_starts(reports: Path) -> list[float]:
    """Start times (s since the epoch) of the live writers; entries of dead ones are removed.

    A start is the lock file's modification time, not the clock reading in its name: file
    times come from the kernel's coarse clock (a tick behind ``time.time()``), so only a time
    from the same clock tells a folder made just after the start from one made before it."""
    starts = []
    for entry in (reports / LIVE_DIR).glob("*.lock"):
        try:
            fd = os.open(entry, os.O_RDWR)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # held: a live writer
            starts.append(os.fstat(fd).st_mtime)
        else:  # free: its writer is dead
            with contextlib.suppress(OSError):
                entry.unlink()
        finally:
            os.close(fd)
    return starts


def clean_stale_staging(reports: Path) -> list[Path]:
    """Remove staging folders left by dead runs: only those older than every live run."""
    starts = _live_starts(reports)
    cutoff = min(starts) if starts else time.time()
    removed = []
    for staging in reports.glob(f"*/{STAGING_PREFIX}*"):
        try:
            if staging.is_dir() and staging.stat().st_mtime < cutoff:
                shutil.rmtree(staging)
                removed.append(staging)
        except OSError:
            continue
    return removed


# --------------------------------------------------------------------------- the run
def execute(
    nb_path: Path,
    values: dict[str, Any],
    workdir: Path,
    *,
    shop_label: str,
    run_id: str,
    digest: str,
    started: datetime,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    kernel_name: str = config.KERNEL_NAME,
    shown_params: dict[str, Any] | None = None,
    final_dir: str = "",
    progress: bool = False,
) -> RunResult:
    """Execute a notebook with validated ``values`` in ``workdir`` (its working folder) and
    leave there ``output.ipynb``, ``report.html``, ``metrics.json`` and ``run.json`` (and
    ``report.xlsx`` if the notebook wrote one).

    ``shown_params`` are the parameters recorded in ``run.json`` (default ``values``; a batch
    task records the client's shop-file path, not its private copy).  A failed run is a result
    with ``status="failed"``, never an exception.
    """
    secrets_ = [str(v) for k, v in values.items() if P.is_secret(k) and v]
    nb_in = inject(nbformat.read(nb_path, as_version=4), values)
    nb_in.metadata.pop("papermill", None)
    t0 = time.perf_counter()
    out_path = workdir / "output.ipynb"
    error, error_cell = _run_notebook(nb_path, nb_in, out_path, values, workdir,
                                      timeout_s=timeout_s, kernel_name=kernel_name,
                                      progress=progress)
    duration = time.perf_counter() - t0
    nb_out, error = _clean_output(out_path, nb_in, secrets_, error)
    metrics = read_metrics(nb_out)
    from ecomanalysis.safetext import plain

    title = f"{plain(shop_label)} · {report_title(nb_path.stem, values.get('lang'))}"
    write_text(workdir / "report.html", _scrub(to_html(nb_out, title), secrets_))
    result = RunResult(
        shop=shop_label,
        shop_dir=safe_name(shop_label),
        notebook=nb_path.stem,
        run_id=run_id,
        status="failed" if error else "ok",
        params=P.redact(shown_params if shown_params is not None else values),
        params_hash=digest,
        started=started.isoformat(timespec="seconds"),
        duration_s=round(duration, 3),
        metrics=metrics,
        error=_scrub(error, secrets_) if error else None,
        error_cell=error_cell,
        run_dir=final_dir,
    )
    for name, obj in (("metrics.json", {"shop": shop_label, "run_id": run_id, "metrics": metrics}),
                      ("run.json", asdict(result))):
        text = json.dumps(obj, ensure_ascii=False, indent=2, default=str) + "\n"
        write_text(workdir / name, _scrub(text, secrets_))
    return result


def _run_notebook(nb_path: Path, nb_in, out_path: Path, values: dict[str, Any], workdir: Path,
                  *, timeout_s: float, kernel_name: str, progress: bool):
    """Execute ``nb_in`` with papermill into ``out_path`` (working folder ``workdir``).

    Returns ``(error, error_cell)``: ``None, None`` on success; the notebook's error and the
    failing cell's index, or (kernel died, timeout, missing kernel...) the exception's text
    with ``error_cell`` None and the unexecuted notebook written to ``out_path``.  An
    :class:`OSError` of the output folder (disk full, read-only) is raised.
    """
    error = None
    error_cell = None
    try:
        import papermill as pm
        from papermill.exceptions import PapermillExecutionError

        with _kernel_env(values):
            try:
                pm.execute_notebook(
                    nb_in,
                    str(out_path),
                    parameters=None,
                    kernel_name=kernel_name,
                    progress_bar=(progress_bar(nb_path.stem, str(values.get("lang") or "en"))
                                  if progress else False),
                    execution_timeout=timeout_s,
                    cwd=str(workdir),
                    kernel_manager_class=_ipc_kernel_manager(),
                )
            except PapermillExecutionError as exc:
                error = f"{exc.ename}: {exc.evalue}"
                error_cell = exc.cell_index
    except Exception as exc:  # kernel died, timeout, missing kernel...: stored as a failed run
        if isinstance(exc, OSError) and exc.errno in _OUTPUT_ERRNOS:
            raise  # disk full, read-only: the output folder's fault, not the notebook's
        error = f"{type(exc).__name__}: {exc}".strip()
        if not out_path.exists():
            write_text(out_path, nbformat.writes(nb_in))
        tb = traceback.format_exc(limit=3)
        error = error if len(error) < 2000 else error[:2000]
        if "No such kernel" in tb or "NoSuchKernel" in tb:
            error += f" (register it with: make install, or python -m ipykernel install --sys-prefix --name {kernel_name})"
    return error, error_cell


def _clean_output(out_path: Path, nb_in, secrets_: list[str], error: str | None):
    """The executed notebook read back from ``out_path`` (the unexecuted one if papermill could
    not save it), without papermill's metadata and with the secrets scrubbed, written back.

    Returns ``(notebook, error)`` (``error`` set if the executed notebook could not be saved).
    """
    try:
        nb_out = nbformat.read(out_path, as_version=4)
    except (OSError, ValueError) as exc:  # papermill could not save it (e.g. the disk filled up)
        if isinstance(exc, OSError):
            raise
        write_text(out_path, nbformat.writes(nb_in))  # raises if the disk is still full
        nb_out = nbformat.read(out_path, as_version=4)
        error = error or f"the executed notebook could not be saved ({type(exc).__name__})"
    nb_out.metadata.pop("papermill", None)
    for cell in nb_out.cells:
        cell.get("metadata", {}).pop("papermill", None)
    raw = _scrub(nbformat.writes(nb_out), secrets_)
    write_text(out_path, raw)
    return nbformat.reads(raw, as_version=4), error


def collect_files(workdir: Path) -> dict[str, bytes]:
    """The run's files in ``workdir`` (those of :data:`RUN_FILES` that exist), as bytes."""
    return {name: (workdir / name).read_bytes() for name in RUN_FILES if (workdir / name).is_file()}


def store_run(reports: Path, result: RunResult | dict[str, Any], files: dict[str, bytes]) -> Path:
    """Write a run's ``files`` under ``reports/<shop_dir>/<run_id>/`` atomically.

    The files go to a staging folder first, then the folder is renamed into place; ``run.json``
    is written from ``result`` (its ``run_dir`` set to the final folder).  Call inside
    :func:`live_run` so a crash leaves a staging folder the next run removes.
    """
    record = asdict(result) if isinstance(result, RunResult) else dict(result)
    final = reports / record["shop_dir"] / record["run_id"]
    staging = reports / record["shop_dir"] / f"{STAGING_PREFIX}{record['run_id']}-{os.getpid()}"
    record["run_dir"] = str(final)
    staging.mkdir(parents=True, exist_ok=False)
    try:
        for name, data in files.items():
            if name in RUN_FILES and name != "run.json":
                with open(staging / name, "wb") as fh:
                    fh.write(data)
        write_json(staging / "run.json", record)
        os.rename(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return final


#: Notebooks whose page title is a message of the catalogs (the others keep their file name).
REPORT_TITLES = {"shop_report": N_("Staffing report")}


def report_title(stem: str, lang) -> str:
    """The page title's name of a notebook in the report's language (``shop_report`` ->
    ``人员配置报告`` in zh): the browser tab of a Chinese report shows no English file name."""
    from ecomanalysis.i18n import translator

    if stem not in REPORT_TITLES:
        return stem
    return translator(lang if lang in config.LANGS else "zh")(REPORT_TITLES[stem])


def progress_bar(name: str, lang: str = "en") -> dict[str, Any]:
    """papermill's tqdm settings for a ``name: cell n of m [elapsed]`` line on stderr, in
    ``lang`` (the fields in braces are tqdm's)."""
    import sys

    from ecomanalysis.i18n import N_, translator

    bar = translator(lang if lang in config.LANGS else "en")(
        N_("{desc}: cell {n_fmt} of {total_fmt} [{elapsed}]"))
    return {"desc": name, "file": sys.stderr, "leave": True, "dynamic_ncols": True,
            "bar_format": bar}


def run_notebook(
    notebook: str | os.PathLike,
    params: dict[str, Any] | None = None,
    *,
    shop: str | None = None,
    reports_dir: str | os.PathLike | None = None,
    texts: bool = False,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    kernel_name: str = config.KERNEL_NAME,
    update_index: bool = True,
    where: str = "parameter",
    progress: bool = False,
) -> RunResult:
    """Execute ``notebook`` with ``params`` and store the result under ``reports_dir``.

    Parameters
    ----------
    notebook
        Name in ``notebooks/`` (``"shop_report"``) or a path to an ``.ipynb``.
    params
        Parameter values; validated against the notebook's parameters cell before any kernel
        starts (an :class:`~ecomanalysis.errors.InputError` names every bad one).
    shop
        Shop or scenario name for the folder; default the ``shop_name`` parameter, else the
        notebook's name.  Made safe with :func:`safe_name`.
    texts
        True when values are command-line strings to convert by the declared types.
    timeout_s
        Per-cell execution timeout in seconds.
    update_index
        Rebuild ``reports/index.html`` afterwards.
    progress
        Show the notebook's progress on stderr (``name: cell n of m``).

    Returns
    -------
    RunResult
        ``status`` is ``"ok"`` or ``"failed"``; a failure is stored, not raised.
    """
    from ecomanalysis.bounds import check

    check("timeout_s", timeout_s, "timeout_s")  # a library caller is bounded too
    nb_path = resolve_notebook(notebook)
    schema = P.notebook_schema(nb_path)
    values = P.validate(schema, dict(params or {}), texts=texts, where=where)
    reports = Path(reports_dir) if reports_dir is not None else config.REPORTS_DIR
    from ecomanalysis.safetext import plain

    shop_label = plain(shop or str(values.get("shop_name") or nb_path.stem)) or nb_path.stem
    shop_dir = safe_name(shop_label)
    digest = params_hash(nb_path, values)
    started = datetime.now(UTC)
    run_id = new_run_id(started, digest)
    final_dir = reports / shop_dir / run_id
    with live_run(reports):
        staging = reports / shop_dir / f"{STAGING_PREFIX}{run_id}-{os.getpid()}"
        staging.mkdir(parents=True)
        try:
            result = execute(nb_path, values, staging, shop_label=shop_label, run_id=run_id,
                             digest=digest, started=started, timeout_s=timeout_s,
                             kernel_name=kernel_name, final_dir=str(final_dir),
                             progress=progress)
            os.rename(staging, final_dir)
        except BaseException:  # disk full, read-only folder, Ctrl-C: no half-written run stays
            shutil.rmtree(staging, ignore_errors=True)
            with contextlib.suppress(OSError):
                staging.parent.rmdir()  # the shop's folder, if this run made it and it is empty
            raise
    if update_index:
        from ecomanalysis.report.index import rebuild_index

        rebuild_index(reports)
    return result


def load_runs(reports_dir: str | os.PathLike | None = None) -> list[dict[str, Any]]:
    """Every readable run (``run.json``, validated) under ``reports_dir``, newest first.

    Unreadable ones are listed by :func:`ecomanalysis.report.index.scan_runs`.
    """
    return scan_runs(reports_dir).runs
