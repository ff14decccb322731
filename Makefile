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

.PHONY: report test lab app lint bench install clean help
# Jupyter settings of this project (the .py twins hidden in JupyterLab; see etc/jupyter/README.md)
JUPYTER_ENV := JUPYTER_CONFIG_PATH="$(CURDIR)/etc/jupyter$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH}"
# Jupyter refuses to start as root without --allow-root (containers, cloud notebooks)
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)
APP_PORT ?= 8866
APP_IP   ?= 127.0.0.1

help:
	@echo "make report  - run the main job on the bundled example and print the HTML path"
	@echo "make test    - run the whole test suite (notebooks included)"
	@echo "make lab     - open JupyterLab with the ecomanalysis kernel"
	@echo "make app     - serve the what-if page (notebooks/08_what_if) with Voila on port $(APP_PORT)"
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
	$(JUPYTER_ENV) $(VENV)/bin/jupyter lab --notebook-dir=notebooks $(ROOT_FLAG)

app: $(STAMP)
	$(JUPYTER_ENV) $(VENV)/bin/voila notebooks/08_what_if.ipynb --port=$(APP_PORT) --no-browser \
		--Voila.ip=$(APP_IP) --theme=light

lint: $(STAMP)
	$(VENV)/bin/ruff check ecomanalysis tests benchmarks notebooks scripts

bench: $(STAMP)
	$(PY) -m pip install --quiet -e '.[dev]'
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build *.egg-info
