"""Key figures a notebook records for ``metrics.json``: light enough to import in every report.

A notebook calls :func:`record`; the runner reads the figures back from the executed notebook
with :func:`read_metrics`, without re-running it.
"""

from __future__ import annotations

from typing import Any

METRIC_MIME = "application/vnd.ecomanalysis.metric+json"


def record(name: str, value: Any, unit: str = "", label_zh: str = "", label_en: str = "") -> None:
    """Record a key figure from inside a notebook; it lands in ``metrics.json``.

    The figure is published as an invisible display output, so it is read back from the
    executed notebook without re-running it and does not show in the HTML.
    """
    from IPython.display import display

    if hasattr(value, "item"):
        value = value.item()
    payload = {"name": name, "value": value, "unit": unit, "label_zh": label_zh, "label_en": label_en}
    display({METRIC_MIME: payload}, raw=True)


def read_metrics(nb) -> dict[str, Any]:
    """Metrics recorded in an executed notebook, by name."""
    out: dict[str, Any] = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if METRIC_MIME in data:
                m = data[METRIC_MIME]
                out[m["name"]] = {k: v for k, v in m.items() if k != "name"}
    return out


def record_plan(plan) -> None:
    """Record every key figure of a :class:`~ecomanalysis.plan.ShopPlan` (``plan.metrics()``),
    the flags' texts included, so ``metrics.json`` and the batch summary read the plan."""
    for name, m in plan.metrics().items():
        record(name, m["value"], unit=m["unit"], label_zh=m["label_zh"], label_en=m["label_en"])
    record("flag_texts", list(plan.flags), label_zh="提示", label_en="flags")
