"""Run one notebook with validated parameters: papermill -> output.ipynb, report.html, metrics.json.

Pipeline (after man-group/notebooker): validate parameters against the notebook's own
``parameters`` cell before any kernel starts -> inject them as literals in a cell tagged
``injected-parameters`` -> execute with papermill on the named kernel with a per-cell timeout
-> export HTML in-process with nbconvert (no code, no parameter cells) -> collect the metrics the
notebook recorded with :func:`ecomanalysis.report.record` -> write everything to a hidden
staging folder, then move it into ``reports/<shop>/<run-id>/`` in one rename.  A failed run is
stored as a result too, with its error and a link to the failing cell.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import json
import os
import re
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
from ecomanalysis.report import params as P
from ecomanalysis.report.metrics import METRIC_MIME, read_metrics

INJECTED_TAG = "injected-parameters"
HIDDEN_TAGS = {INJECTED_TAG, "parameters", "remove-cell", "remove_cell"}
ERROR_ANCHOR = "papermill-error-cell"
SECRET_ENV_PREFIX = "ECOMANALYSIS_SECRET_"
DEFAULT_TIMEOUT_S = 600


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


def _scrub(text: str, secrets: list[str]) -> str:
    for s in secrets:
        if s:
            text = text.replace(s, "***")
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


# --------------------------------------------------------------------------- the run
def progress_bar(name: str) -> dict[str, Any]:
    """papermill's tqdm settings for a ``name: cell n of m [elapsed]`` line on stderr."""
    import sys

    return {"desc": name, "file": sys.stderr, "leave": True, "dynamic_ncols": True,
            "bar_format": "{desc}: cell {n_fmt} of {total_fmt} [{elapsed}]"}


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
    nb_path = resolve_notebook(notebook)
    schema = P.notebook_schema(nb_path)
    values = P.validate(schema, dict(params or {}), texts=texts, where=where)
    reports = Path(reports_dir) if reports_dir is not None else config.REPORTS_DIR
    shop_label = shop or str(values.get("shop_name") or nb_path.stem)
    shop_dir = safe_name(shop_label)
    digest = params_hash(nb_path, values)
    started = datetime.now(UTC)
    run_id = f"{started.strftime('%Y%m%dT%H%M%S')}-{digest[:8]}"
    final_dir = reports / shop_dir / run_id
    staging = reports / shop_dir / f".staging-{run_id}-{os.getpid()}"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    secrets = [str(v) for k, v in values.items() if P.is_secret(k) and v]

    nb_in = inject(nbformat.read(nb_path, as_version=4), values)
    nb_in.metadata.pop("papermill", None)
    error = None
    error_cell = None
    t0 = time.perf_counter()
    out_path = staging / "output.ipynb"
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
                    progress_bar=progress_bar(nb_path.stem) if progress else False,
                    execution_timeout=timeout_s,
                    cwd=str(staging),
                    kernel_manager_class=_ipc_kernel_manager(),
                )
            except PapermillExecutionError as exc:
                error = f"{exc.ename}: {exc.evalue}"
                error_cell = exc.cell_index
    except Exception as exc:  # kernel died, timeout, missing kernel...: stored as a failed run
        error = f"{type(exc).__name__}: {exc}".strip()
        if not out_path.exists():
            write_text(out_path, nbformat.writes(nb_in))
        tb = traceback.format_exc(limit=3)
        error = error if len(error) < 2000 else error[:2000]
        if "No such kernel" in tb or "NoSuchKernel" in tb:
            error += f" (register it with: make install, or python -m ipykernel install --sys-prefix --name {kernel_name})"
    duration = time.perf_counter() - t0

    nb_out = nbformat.read(out_path, as_version=4)
    nb_out.metadata.pop("papermill", None)
    for cell in nb_out.cells:
        cell.get("metadata", {}).pop("papermill", None)
    raw = _scrub(nbformat.writes(nb_out), secrets)
    write_text(out_path, raw)
    nb_out = nbformat.reads(raw, as_version=4)
    metrics = read_metrics(nb_out)
    title = f"{shop_label} · {nb_path.stem}"
    write_text(staging / "report.html", _scrub(to_html(nb_out, title), secrets))
    result = RunResult(
        shop=shop_label,
        shop_dir=shop_dir,
        notebook=nb_path.stem,
        run_id=run_id,
        status="failed" if error else "ok",
        params=P.redact(values),
        params_hash=digest,
        started=started.isoformat(timespec="seconds"),
        duration_s=round(duration, 3),
        metrics=metrics,
        error=_scrub(error, secrets) if error else None,
        error_cell=error_cell,
        run_dir=str(final_dir),
    )
    write_json(staging / "metrics.json", {"shop": shop_label, "run_id": run_id, "metrics": metrics})
    write_json(staging / "run.json", asdict(result))
    os.replace(staging, final_dir)
    if update_index:
        from ecomanalysis.report.index import rebuild_index

        rebuild_index(reports)
    return result


def load_runs(reports_dir: str | os.PathLike | None = None) -> list[dict[str, Any]]:
    """Every stored run (``run.json``) under ``reports_dir``, newest first."""
    reports = Path(reports_dir) if reports_dir is not None else config.REPORTS_DIR
    runs = []
    for path in reports.glob("*/*/run.json"):
        if path.parent.name.startswith("."):
            continue
        try:
            run = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
        run["run_dir"] = str(path.parent)
        runs.append(run)
    runs.sort(key=lambda r: (r.get("started", ""), r.get("run_id", "")), reverse=True)
    return runs
