"""Every notebook: thin-notebook hygiene, and a full run through papermill with tiny parameters.

The runs are part of ``make test`` (marker ``notebook``; deselect with ``-m "not notebook"``).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from ecomanalysis import config
from ecomanalysis.report import notebook_schema, run_notebook

NOTEBOOKS = sorted(
    p for p in config.NOTEBOOKS_DIR.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts
)

#: Small parameters so each run takes seconds; values each notebook must report.
TINY: dict[str, dict] = {
    "01_roles_and_teams": {"lang": "en"},
    "02_growth_stages": {"lang": "zh"},
    "04_workload_vs_orders": {"lang": "en", "max_orders": 300},
    "05_customer_service_load": {"lang": "en", "chats_per_day": 300, "orders_per_day": 100},
    "06_peak_planning": {"lang": "en"},
    "07_shift_planning": {"lang": "en", "event_week": ""},
    "shop_report": {"lang": "en", "orders_per_day": 120.0},
    "08_what_if": {"lang": "en", "max_orders_per_day": 1000},
}
#: Interactive pages: their charts live in widgets (drawn by the browser), not in <img> outputs.
WIDGET_NOTEBOOKS = {"08_what_if"}


def _id(p: Path) -> str:
    return str(p.relative_to(config.NOTEBOOKS_DIR))


def test_there_are_notebooks():
    assert {"01_roles_and_teams", "02_growth_stages"} <= {p.stem for p in NOTEBOOKS}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_id)
def test_notebook_hygiene(path):
    nb = nbformat.read(path, as_version=4)
    schema = notebook_schema(path)  # has a parameters cell of annotated literals
    assert "lang" in schema and schema["lang"].choices == ("zh", "en")
    assert "papermill" not in nb.metadata, "run metadata committed"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.outputs, f"outputs committed in {path.name}"
            assert cell.get("execution_count") is None
    assert nb.metadata.get("jupytext", {}).get("formats") == "ipynb,py:percent"
    assert nb.metadata["kernelspec"]["name"] == config.KERNEL_NAME
    assert nb.cells[0].cell_type == "markdown", "a notebook opens with narrative"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_id)
def test_py_twin_in_sync(path, tmp_path):
    """The .py:percent twin and the .ipynb hold the same cells."""
    twin = path.with_suffix(".py")
    assert twin.exists(), f"{twin.name} missing: run jupytext --sync {path.name}"
    out = tmp_path / "from_py.ipynb"
    subprocess.run(
        [sys.executable, "-m", "jupytext", "--to", "ipynb", str(twin), "-o", str(out)],
        check=True, capture_output=True,
    )
    a = [(c.cell_type, c.source) for c in nbformat.read(path, as_version=4).cells]
    b = [(c.cell_type, c.source) for c in nbformat.read(out, as_version=4).cells]
    assert a == b, f"{path.name} and {twin.name} differ: run jupytext --sync"


@pytest.mark.notebook
@pytest.mark.parametrize("path", NOTEBOOKS, ids=_id)
def test_notebook_runs(path, tmp_path):
    result = run_notebook(path, TINY.get(path.stem, {}), reports_dir=tmp_path, timeout_s=600)
    assert result.ok, f"{path.name} failed: {result.error}"
    html = Path(result.run_dir, "report.html").read_text(encoding="utf-8")
    out = nbformat.read(Path(result.run_dir, "output.ipynb"), as_version=4)
    noise = [o.get("text", "") for c in out.cells if c.cell_type == "code" for o in c.outputs
             if o.output_type == "stream" and o.name == "stderr"]
    assert not noise, f"warning output in {path.name}: {noise[:3]}"
    if path.stem in WIDGET_NOTEBOOKS:
        views = [o for c in out.cells if c.cell_type == "code" for o in c.outputs
                 if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
        assert views, "expected the page's widgets"
    else:
        assert "<img" in html, "expected at least one chart"
    assert "Traceback" not in html
    metrics = json.loads(Path(result.run_dir, "metrics.json").read_text())["metrics"]
    assert metrics, "the notebook records key figures"
    if path.stem == "06_peak_planning":
        # one answer: the notebook's Double 11 is the shop plan's (the report's, `peak`'s); it
        # once called the peak model itself, with another calendar and its own permanent team
        # (5,187 orders and 116 temps against the report's 4,341 and 102)
        from ecomanalysis.plan import make_plan

        pk = make_plan(lang="en", simulate=False).peak
        assert metrics["peak_orders"]["value"] == round(pk.peak_orders)
        assert metrics["temps_total"]["value"] == pk.temps_total
        assert metrics["hire_by"]["value"] == f"{pk.hire_by_date:%Y-%m-%d}"
