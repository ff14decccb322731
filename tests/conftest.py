"""Shared fixtures (seaborn style): close figures after each test, a seeded RNG."""

from __future__ import annotations

import os

os.environ.setdefault("MPLBACKEND", "Agg")
# The content-keyed cache of the test run lives in a folder of its own (kernels inherit it),
# never in the user's ~/.cache.
if "ECOMANALYSIS_CACHE_DIR" not in os.environ:
    import atexit
    import shutil
    import tempfile

    os.environ["ECOMANALYSIS_CACHE_DIR"] = tempfile.mkdtemp(prefix="ecomanalysis-test-cache-")
    atexit.register(shutil.rmtree, os.environ["ECOMANALYSIS_CACHE_DIR"], True)

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def rng():
    return np.random.default_rng(20261123)
