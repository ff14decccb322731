"""The code base stays ruff-clean (the same check as ``make lint``)."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from ecomanalysis import config


@pytest.mark.skipif(shutil.which("ruff") is None and not (config.PROJ_ROOT / ".venv/bin/ruff").exists(),
                    reason="ruff not installed")
def test_ruff_clean():
    proc = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "ecomanalysis", "tests", "benchmarks", "notebooks", "scripts"],
        cwd=config.PROJ_ROOT, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stdout[-3000:]
