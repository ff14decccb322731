"""Reference tables: they validate, cross-reference, cite seeds, and bad copies are caught."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from ecomanalysis import catalog, config
from ecomanalysis.cli import main
from ecomanalysis.errors import InputError

SEEDS = set(config.SEED_FILES)


@pytest.fixture
def data_copy(tmp_path):
    """A private copy of data/ to corrupt."""
    dst = tmp_path / "data"
    shutil.copytree(config.DATA_DIR, dst, ignore=shutil.ignore_patterns("examples", "shops"))
    return dst


def _read(path):
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _write(df, path):
    df.to_csv(path, index=False)


def test_bundled_tables_are_valid():
    assert catalog.validate_data() == []


def test_counts_match_the_seeds():
    assert len(catalog.load_roles()) > 30
    groups = catalog.load_role_groups()
    seed000 = {"客户服务类", "视觉设计类", "供应链管理类", "营销推广类", "运营管理类", "技术开发类"}
    assert seed000 <= set(groups["name_zh"])
    assert len(catalog.load_duties()) >= 64  # at least seed 001's 8 roles x 8 duties
    stages = catalog.load_stages()
    assert stages["stage_id"].tolist() == [1, 2, 3, 4, 5]
    assert len(catalog.load_departments()["structure_id"].unique()) >= 4


def test_key_roles_present():
    roles = catalog.load_roles()
    names = set(roles["name_zh"]) | {a for s in roles["aliases_zh"].dropna() for a in s.split(";")}
    for name in ("店长", "运营专员", "售前客服", "售后客服", "美工", "库管", "采购", "数据分析师"):
        assert any(name in n for n in names), name


def test_every_sources_value_is_a_seed_file():
    for name in catalog.TABLES:
        if name in ("standards", "role_models"):
            continue
        df = catalog.load_table(name)
        for value in df["sources"]:
            parts = catalog.split_list(value)
            assert parts and set(parts) <= SEEDS, (name, value)


def test_every_referenced_role_exists():
    role_ids = set(catalog.load_roles()["role_id"])
    for name in ("duties", "department_roles", "stage_roles"):
        assert set(catalog.load_table(name)["role_id"]) <= role_ids, name
    assert set(catalog.load_roles()["group_id"]) <= set(catalog.load_role_groups()["group_id"])
    assert set(catalog.load_roles()["department_id"]) <= set(catalog.load_departments()["department_id"])


def test_stage_figures_from_seed_002():
    st = catalog.load_stages().set_index("stage_id")
    assert (st.loc[3, "daily_visitors_min"], st.loc[3, "daily_visitors_max"]) == (2000, 3000)
    assert (st.loc[3, "conversion_min"], st.loc[3, "conversion_max"]) == (0.04, 0.05)
    assert (st.loc[3, "daily_orders_min"], st.loc[3, "daily_orders_max"]) == (80, 150)
    assert catalog.is_derived(st.reset_index(), "daily_orders_min").iloc[2]
    assert (st.loc[4, "daily_orders_min"], st.loc[4, "daily_orders_max"]) == (200, 300)
    assert not catalog.is_derived(st.reset_index(), "daily_orders_min").iloc[3]
    assert (st.loc[5, "daily_orders_min"], st.loc[5, "daily_orders_max"]) == (500, 800)


def test_funnel_shows_stage4_disagreement():
    f = catalog.stage_funnel().set_index("stage_id")
    assert f.loc[3, "implied_orders_min"] == pytest.approx(80)
    assert f.loc[3, "implied_orders_max"] == pytest.approx(150)
    assert f.loc[4, "consistent"] is False or f.loc[4, "consistent"] == False  # noqa: E712
    assert f.loc[4, "implied_orders_max"] > f.loc[4, "orders_max"]


def test_team_grows_with_stages():
    team = catalog.stage_team()
    assert team["headcount_min"].iloc[0] == 1  # the owner alone
    assert team["headcount_max"].is_monotonic_increasing


def test_lang_adds_name_columns():
    assert catalog.load_roles("en")["name"].equals(catalog.load_roles("en")["name_en"])
    assert catalog.load_roles("zh")["group_name"].notna().all()
    with pytest.raises(InputError, match="'lang'"):
        catalog.load_roles("fr")


def test_group_filter():
    cs = catalog.load_roles(group="customer_service")
    assert len(cs) >= 3 and (cs["group_id"] == "customer_service").all()
    assert len(catalog.load_roles(group="客户服务类")) == len(cs)
    with pytest.raises(InputError, match="'group'"):
        catalog.load_roles(group="nope")


# ----------------------------------------------------------------- corrupted copies -> exit 2
def _validate(capsys, directory):
    status = main(["validate-data", str(directory)])
    return status, capsys.readouterr().err


def test_missing_column(data_copy, capsys):
    df = _read(data_copy / "roles.csv").drop(columns=["level"])
    _write(df, data_copy / "roles.csv")
    status, err = _validate(capsys, data_copy)
    assert status == 2
    assert "roles.csv: missing column 'level'" in err


def test_unknown_group_id(data_copy, capsys):
    df = _read(data_copy / "roles.csv")
    df.loc[4, "group_id"] = "no_such_group"
    _write(df, data_copy / "roles.csv")
    status, err = _validate(capsys, data_copy)
    assert status == 2
    assert "roles.csv row 6: column 'group_id' has 'no_such_group' which is not a group_id defined in role_groups.csv" in err


def test_duplicate_role_id(data_copy, capsys):
    df = _read(data_copy / "roles.csv")
    dup = df.loc[0, "role_id"]
    df.loc[2, "role_id"] = dup
    _write(df, data_copy / "roles.csv")
    status, err = _validate(capsys, data_copy)
    assert status == 2
    assert f"roles.csv row 4: column 'role_id' has duplicate value '{dup}'; expected unique" in err


def test_non_number_in_numeric_column(data_copy, capsys):
    df = _read(data_copy / "stages.csv")
    df.loc[2, "daily_visitors_min"] = "lots"
    _write(df, data_copy / "stages.csv")
    status, err = _validate(capsys, data_copy)
    assert status == 2
    assert "stages.csv row 4: column 'daily_visitors_min' has 'lots' which is not a number" in err


def test_duty_of_undefined_role(data_copy, capsys):
    df = _read(data_copy / "duties.csv")
    df.loc[0, "role_id"] = "ghost_role"
    _write(df, data_copy / "duties.csv")
    status, err = _validate(capsys, data_copy)
    assert status == 2
    assert "duties.csv row 2: column 'role_id' has 'ghost_role' which is not a role_id defined in roles.csv" in err


def test_bad_source_and_one_line_per_problem(data_copy, capsys):
    df = _read(data_copy / "role_groups.csv")
    df.loc[0, "sources"] = "wikipedia"
    df.loc[1, "sources"] = "999_x.txt"
    _write(df, data_copy / "role_groups.csv")
    status, err = _validate(capsys, data_copy)
    assert status == 2
    lines = [line for line in err.splitlines() if line.startswith("role_groups.csv")]
    assert len(lines) == 2 and "row 2" in lines[0] and "row 3" in lines[1]
    assert "'wikipedia'; expected seed file names" in lines[0]


def test_loader_raises_input_error_on_bad_table(data_copy):
    df = _read(data_copy / "roles.csv")
    df.loc[0, "level"] = "boss"
    _write(df, data_copy / "roles.csv")
    with pytest.raises(InputError, match=r"roles.csv row 2: column 'level' has 'boss'; expected one of owner"):
        catalog.load_roles(data_dir=data_copy)


def test_cli_roles_and_stages(capsys):
    assert main(["roles", "--group", "customer_service", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "roles" in out and "customer" in out.lower()
    assert main(["stages", "--lang", "zh"]) == 0
    assert "2000" in capsys.readouterr().out
    assert main(["validate-data"]) == 0


def test_role_models_cover_every_role(data_copy, capsys):
    df = _read(data_copy / "role_models.csv")
    dropped = df.loc[3, "role_id"]
    df = df.drop(index=3)
    df.loc[0, "model"] = "magic"
    _write(df, data_copy / "role_models.csv")
    status, err = _validate(capsys, data_copy)
    assert status == 2
    assert "role_models.csv row 2: column 'model' has 'magic'; expected one of fixed" in err
    assert f"role_models.csv: no row for role(s) {dropped}" in err


@pytest.mark.skipif(not config.SEEDS_DIR.is_dir(), reason="../shared/seeds not beside the checkout")
def test_every_name_and_duty_is_traceable_to_its_seed():
    import subprocess
    import sys

    script = config.PROJ_ROOT / "scripts" / "check_seed_coverage.py"
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert "0 error(s)" in proc.stdout
