"""pyproject.toml and environment.yml list the same dependencies; the layout is as promised."""

from __future__ import annotations

import re
import tomllib

import yaml

from ecomanalysis import config

# conda-forge names that differ from PyPI names
CONDA_TO_PYPI = {"python-duckdb": "duckdb", "ortools-python": "ortools"}
NOT_DEPENDENCIES = {"python", "pip"}


def _norm(req: str) -> tuple[str, str]:
    m = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", req)
    name, spec = m.group(1).lower().replace("_", "-"), m.group(2).replace(" ", "")
    return CONDA_TO_PYPI.get(name, name), spec


def _pyproject():
    return tomllib.loads((config.PROJ_ROOT / "pyproject.toml").read_text())


def _conda_requirements():
    env = yaml.safe_load((config.PROJ_ROOT / "environment.yml").read_text())
    conda, pip = [], []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip += [d for d in dep["pip"] if not d.startswith("-e")]
        else:
            conda.append(dep)
    return env, conda, pip


def test_environment_and_pyproject_list_the_same_dependencies():
    project = _pyproject()["project"]
    expected = {_norm(r) for r in project["dependencies"] + project["optional-dependencies"]["test"]}
    env, conda, pip = _conda_requirements()
    found = {_norm(r) for r in conda + pip if _norm(r)[0] not in NOT_DEPENDENCIES}
    assert found == expected, (
        f"only in environment.yml: {sorted(found - expected)}; only in pyproject.toml: {sorted(expected - found)}"
    )
    assert "conda-forge" in env["channels"]
    assert env["dependencies"][-1] == {"pip": pip + ["-e ."]}, "environment.yml must end with pip: [..., -e .]"


def test_drift_check_can_fail():
    project = _pyproject()["project"]
    expected = {_norm(r) for r in project["dependencies"]}
    assert {_norm("numpy>=1.0")} - expected, "a changed pin must be seen as drift"


def test_python_version_and_console_script():
    project = _pyproject()["project"]
    assert project["requires-python"] == ">=3.11"
    assert project["scripts"]["ecomanalysis"] == "ecomanalysis.cli:main"
    assert {"test", "dev"} <= set(project["optional-dependencies"])


def test_layout_and_ci_call_make_test():
    for folder in ("notebooks", "data", "ecomanalysis", "reports", "tests"):
        assert (config.PROJ_ROOT / folder).is_dir(), folder
    ci = (config.PROJ_ROOT / ".ci" / "run").read_text()
    assert "make test" in ci
    readme = (config.PROJ_ROOT / "README.md").read_text()
    assert "make report" in readme and "make test" in readme
