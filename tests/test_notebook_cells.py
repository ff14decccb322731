"""Thin notebooks (issue 11 point 8): no code cell of the shop report or of a numbered
notebook (01-08) holds more than 15 non-blank lines; the logic lives in the package
(``ecomanalysis.charts``, ``ecomanalysis.render``, the model modules). The teaching notebooks
show code to students on purpose and are not checked."""

from __future__ import annotations

import re

import nbformat
import pytest

from ecomanalysis import config

MAX_CELL_LINES = 15

THIN = sorted(p for p in config.NOTEBOOKS_DIR.glob("*.ipynb")
              if p.stem == "shop_report" or re.match(r"0[1-8]_", p.stem))


def long_cells(nb: nbformat.NotebookNode, limit: int = MAX_CELL_LINES) -> list[tuple[int, int]]:
    """``(cell number, non-blank lines)`` of each code cell above ``limit`` lines."""
    out = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        n = sum(1 for line in cell.source.splitlines() if line.strip())
        if n > limit:
            out.append((i, n))
    return out


def test_the_thin_notebooks_are_all_found():
    stems = {p.stem for p in THIN}
    assert "shop_report" in stems
    assert {f"0{k}" for k in range(1, 9)} <= {s[:2] for s in stems}


@pytest.mark.parametrize("path", THIN, ids=lambda p: p.stem)
def test_no_code_cell_over_15_lines(path):
    nb = nbformat.read(path, as_version=4)
    assert long_cells(nb) == [], (
        f"{path.name}: code cells (number, non-blank lines) over {MAX_CELL_LINES} lines; "
        "move the logic into ecomanalysis (charts, render, the model modules)")


def test_long_cells_counts_non_blank_lines_of_code_cells_only():
    code16 = "\n".join(f"x{i} = {i}" for i in range(16))
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("\n".join(["text"] * 40)),
        nbformat.v4.new_code_cell(code16),
        nbformat.v4.new_code_cell("\n\n".join(f"y{i} = {i}" for i in range(15))),
    ])
    assert long_cells(nb) == [(1, 16)]
