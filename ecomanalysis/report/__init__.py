"""Parameterised reports: papermill runs, HTML, metrics.json, index.html, batch.

Public API::

    from ecomanalysis.report import run_notebook, record, rebuild_index
"""

from ecomanalysis.report.index import rebuild_index
from ecomanalysis.report.params import Param, notebook_schema, validate
from ecomanalysis.report.runner import (
    METRIC_MIME,
    RunResult,
    load_runs,
    read_metrics,
    record,
    resolve_notebook,
    run_notebook,
    safe_name,
)

__all__ = [
    "METRIC_MIME",
    "Param",
    "RunResult",
    "load_runs",
    "notebook_schema",
    "read_metrics",
    "rebuild_index",
    "record",
    "resolve_notebook",
    "run_notebook",
    "safe_name",
    "validate",
]
