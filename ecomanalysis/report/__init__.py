"""Parameterised reports: papermill runs, HTML, metrics.json, index.html, batch.

Public API::

    from ecomanalysis.report import run_notebook, record, rebuild_index

Only :func:`record` is imported eagerly (notebooks import it, so it must stay light); the rest
loads on first use (papermill, nbformat and nbconvert take seconds to import).
"""

from importlib import import_module

from ecomanalysis.report.metrics import METRIC_MIME, read_metrics, record, record_plan

_LAZY = {
    "rebuild_index": "ecomanalysis.report.index",
    "Param": "ecomanalysis.report.params",
    "notebook_schema": "ecomanalysis.report.params",
    "validate": "ecomanalysis.report.params",
    "RunResult": "ecomanalysis.report.runner",
    "load_runs": "ecomanalysis.report.runner",
    "resolve_notebook": "ecomanalysis.report.runner",
    "run_notebook": "ecomanalysis.report.runner",
    "safe_name": "ecomanalysis.report.runner",
}

__all__ = ["METRIC_MIME", "read_metrics", "record", "record_plan", *_LAZY]


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'ecomanalysis.report' has no attribute {name!r}")
