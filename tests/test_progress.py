"""Progress on long work: ``report`` shows cell n of m, ``forecast --backtest`` origins done."""

from __future__ import annotations

import argparse
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd

from ecomanalysis.commands import forecast as forecast_cmd
from ecomanalysis.commands import report as report_cmd
from ecomanalysis.forecast import backtest
from ecomanalysis.report import run_notebook


def _notebook(folder: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "ecomanalysis", "display_name": "Python (ecomanalysis)",
                                 "language": "python"}
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Three cells"),
        nbformat.v4.new_code_cell('lang: str = "zh"  # {zh, en}', metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("x = 1 + 1"),
    ]
    path = folder / "three.ipynb"
    nbformat.write(nb, path)
    return path


def test_report_progress_counts_cells(tmp_path, capsys):
    path = _notebook(tmp_path)
    # the progress line is in the report's language (here en; the notebook's default is zh)
    result = run_notebook(path, {"lang": "en"}, reports_dir=tmp_path / "r", update_index=False,
                          progress=True)
    assert result.ok, result.error
    err = capsys.readouterr().err.replace("\r", "\n")
    # 3 cells + the injected-parameters cell
    assert "three: cell 4 of 4" in err
    assert "three: cell 0 of 4" in err


def test_report_quiet_prints_no_progress(tmp_path, capsys):
    path = _notebook(tmp_path)
    assert run_notebook(path, {}, reports_dir=tmp_path / "r", update_index=False).ok
    assert "cell" not in capsys.readouterr().err


def test_report_cli_has_quiet_flag():
    parser = argparse.ArgumentParser()
    report_cmd.register(parser.add_subparsers())
    assert parser.parse_args(["report", "--quiet"]).quiet is True
    assert parser.parse_args(["report"]).quiet is False


def test_backtest_reports_each_origin(rng):
    idx = pd.date_range("2024-01-01", periods=120)
    y = pd.Series(100 * np.exp(rng.normal(0, 0.05, 120)), index=idx).round()
    calls = []
    backtest(y, "none", horizon_days=10, origins=["2024-03-21", "2024-03-31", "2024-04-10"],
             progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 3), (2, 3), (3, 3)]


def test_backtest_cli_progress_line(capsys):
    with forecast_cmd._origin_progress(quiet=False) as progress:
        for i in range(1, 4):
            progress(i, 3)
    err = capsys.readouterr().err.replace("\r", "\n")
    assert "backtest: origin 1 of 3" in err and "backtest: origin 3 of 3" in err
    with forecast_cmd._origin_progress(quiet=True) as progress:
        assert progress is None
