"""Every path the package uses, derived from the package location.

Notebooks import these instead of using relative paths, so they run from any working
directory (papermill executes them from elsewhere).
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJ_ROOT = PACKAGE_DIR.parent
DATA_DIR = Path(os.environ.get("ECOMANALYSIS_DATA_DIR", PROJ_ROOT / "data"))
EXAMPLES_DIR = DATA_DIR / "examples"
SHOPS_DIR = DATA_DIR / "shops"
NOTEBOOKS_DIR = PROJ_ROOT / "notebooks"
REPORTS_DIR = Path(os.environ.get("ECOMANALYSIS_REPORTS_DIR", PROJ_ROOT / "reports"))
BENCHMARKS_DIR = PROJ_ROOT / "benchmarks"

#: The seed documents every reference row must cite (../shared/seeds/).
SEED_FILES = (
    "000_8ee7e3aa52c07219.txt",
    "001_5fe5c0db2230dac5.txt",
    "002_2a2ed029ec962916.txt",
    "003_f3f75a18a8228651.txt",
    "004_a527082126c19442.txt",
)

#: Where the seeds live when the shared folder sits beside the checkout.
SHARED_DIR = Path(os.environ.get("ECOMANALYSIS_SHARED_DIR", PROJ_ROOT.parent / "shared"))
SEEDS_DIR = SHARED_DIR / "seeds"
REAL_DATA_DIR = SHARED_DIR / "real-data"

#: Name of the Jupyter kernel the Makefile registers and papermill uses.
KERNEL_NAME = "ecomanalysis"

LANGS = ("zh", "en")

#: Environment variable capping the threads of DuckDB and the BLAS libraries.  A batch with
#: several worker processes sets it to 1 so the workers do not fight over the cores.
THREADS_ENV = "ECOMANALYSIS_THREADS"
