# ecomanalysis: two commands on a fresh machine
#   make report   runs the main job on the bundled example (HTML under reports/)
#   make test     runs the whole test suite, notebook runs included
# Each bootstraps itself: creates .venv if missing, installs the project with its test extras
# and registers the Jupyter kernel "ecomanalysis" inside the venv (papermill uses it).

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.ecomanalysis-installed
KERNEL := ecomanalysis
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: report test lab lint bench install clean help

help:
	@echo "make report  - run the main job on the bundled example and print the HTML path"
	@echo "make test    - run the whole test suite (notebooks included)"
	@echo "make lab     - open JupyterLab with the ecomanalysis kernel"
	@echo "make lint    - ruff on the package, tests, benchmarks and notebooks"
	@echo "make bench   - run the benchmarks (installs the dev extras, e.g. pyworkforce)"

install: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python >= 3.11 is required; set PYTHON=python3.11 (or newer)")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	$(PY) -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (ecomanalysis)" >/dev/null
	@touch $(STAMP)

report: $(STAMP)
	$(VENV)/bin/ecomanalysis report

test: $(STAMP)
	$(PY) -m pytest -q

lab: $(STAMP)
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks

lint: $(STAMP)
	$(VENV)/bin/ruff check ecomanalysis tests benchmarks notebooks scripts

bench: $(STAMP)
	$(PY) -m pip install --quiet -e '.[dev]'
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build *.egg-info
