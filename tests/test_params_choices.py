"""Parameters whose valid values come from the reference tables are checked before a kernel."""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys

import pytest

from ecomanalysis import config
from ecomanalysis.errors import InputError
from ecomanalysis.report import notebook_schema, resolve_notebook
from ecomanalysis.report import params as P


def _ids(file: str, column: str) -> set[str]:
    with open(config.DATA_DIR / file, encoding="utf-8-sig", newline="") as fh:
        return {r[column] for r in csv.DictReader(fh)}


@pytest.mark.parametrize(("kind", "file", "column"), [
    ("roles", "roles.csv", "role_id"),
    ("groups", "role_groups.csv", "group_id"),
    ("stages", "stages.csv", "stage_id"),
    ("events", "events_cn.csv", "event_id"),
])
def test_choices_are_the_ids_of_the_reference_table(kind, file, column):
    assert set(P.reference_choices(kind).values()) == _ids(file, column)


def test_categories_and_city_tiers_come_from_standards():
    assert set(P.reference_choices("categories")) == {
        "general", "womens_apparel", "apparel", "electronics", "beauty"}
    assert set(P.reference_choices("city_tiers")) == {"tier1", "tier2", "tier3"}


@pytest.mark.parametrize(("name", "value", "suggestion"), [
    ("role_id", "presale_customer_service", "did you mean presale_cs?"),  # long spelling
    ("role_id", "Pre-sale customer service", "did you mean presale_cs?"),  # English name
    ("role_id", "售前客服", "did you mean presale_cs?"),  # Chinese name
    ("event", "double_11", "did you mean double11"),
    ("event", "618", "did you mean sale_618?"),
    ("category", "womens_aparel", "did you mean womens_apparel"),
    ("group", "customer_servise", "did you mean customer_service?"),
])
def test_unknown_value_suggests_close_matches(name, value, suggestion):
    problems = P.check_choice(name, value)
    assert len(problems) == 1
    assert suggestion in problems[0]
    assert f"'{name}' has {value!r}" in problems[0]
    assert "expected one of data/" in problems[0]


@pytest.mark.parametrize(("name", "value"), [
    ("role_id", "presale_cs"), ("event", "double11"), ("city_tier", "tier1"),
    ("category", "beauty"), ("stage", 3), ("stage_id", "5"), ("role_id", ""),
    ("unrelated_text", "anything"),
])
def test_known_values_and_unchecked_names_pass(name, value):
    assert P.check_choice(name, value) == []


def test_value_without_close_match_lists_the_choices():
    (msg,) = P.check_choice("city_tier", "shanghai")
    assert "did you mean" not in msg
    assert "tier1, tier2, tier3" in msg


def test_require_choice_for_notebooks_run_in_lab():
    assert P.require_choice("role_id", "aftersale_cs") == "aftersale_cs"
    with pytest.raises(InputError, match="did you mean presale_cs"):
        P.require_choice("role_id", "presale_customer_service")


def test_validate_checks_data_choices_and_defaults():
    schema = P.schema_from_source(
        'lang: str = "zh"  # {zh, en}\nrole_id: str = "presale_cs"  # a role\n'
        'event: str = "double11"  # an event\n')
    assert P.validate(schema, {"role_id": "owner"}, texts=True)["role_id"] == "owner"
    with pytest.raises(InputError) as exc:
        P.validate(schema, {"role_id": "anything", "event": "double_eleven"}, texts=True,
                   where="--set")
    assert len(exc.value.problems) == 2  # both named at once
    assert "--set 'role_id' has 'anything'" in str(exc.value)
    assert re.search(r"'event' has 'double_eleven' \(did you mean [^)]*double11", str(exc.value))
    bad_default = P.schema_from_source('role_id: str = "presale_customer_service"  # a role\n')
    with pytest.raises(InputError, match="did you mean presale_cs"):
        P.validate(bad_default, {})


def test_every_notebook_default_is_a_valid_choice():
    """A default naming a role or event that does not exist fails here, not as an empty table."""
    for path in sorted(config.NOTEBOOKS_DIR.rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        schema = notebook_schema(path)
        defaults = {k: p.default for k, p in schema.items()}
        assert P.choice_problems(defaults) == [], path.name
    assert notebook_schema(resolve_notebook("01_roles_and_teams"))["role_id"].default == "presale_cs"


def test_cli_rejects_unknown_role_before_any_kernel(tmp_path):
    env = {**os.environ, "JUPYTER_PATH": str(tmp_path / "no-kernels")}
    r = subprocess.run(
        [sys.executable, "-m", "ecomanalysis.cli", "report", "--notebook", "01_roles_and_teams",
         "--set", "role_id=presale_customer_service", "--out", str(tmp_path / "reports")],
        capture_output=True, text=True, env=env, timeout=120,
    )
    assert r.returncode == 2, r.stderr
    assert "did you mean presale_cs?" in r.stderr
    assert "Traceback" not in r.stderr
    assert not (tmp_path / "reports").exists() or not any((tmp_path / "reports").rglob("*.html"))
