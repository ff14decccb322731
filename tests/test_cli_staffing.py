"""CLI: ``ecomanalysis staff`` and ``ecomanalysis triggers``: tables, CSV output, bad input."""

from __future__ import annotations

import pandas as pd
import pytest

from ecomanalysis import cli
from ecomanalysis.shop import sample_shop_path


def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_staff_table(capsys):
    code, out, err = run(capsys, "staff", "--orders", "250", "--lang", "en")
    assert code == 0, err
    assert "warehouse_keeper" in out and "Warehouse keeper" in out
    assert "total:" in out and "labour cost/month" in out
    assert "stage 4" in out


def test_staff_shop_and_set(capsys, tmp_path):
    out_csv = tmp_path / "req.csv"
    code, out, err = run(capsys, "staff", "--shop", str(sample_shop_path()),
                         "--set", "presale_aht_s=200", "-o", str(out_csv))
    assert code == 0, err
    assert "示例女装店" in out and "女装 · 二线" in out and "已写入" in out
    df = pd.read_csv(out_csv)
    assert df["orders_per_day"].nunique() == 1 and df["orders_per_day"].iloc[0] > 100
    base = pd.read_csv(out_csv)
    code, _, _ = run(capsys, "staff", "--shop", str(sample_shop_path()), "--set", "presale_aht_s=480",
                     "-o", str(out_csv))
    slow = pd.read_csv(out_csv).set_index("role_id")
    assert slow.at["presale_cs", "fte"] > base.set_index("role_id").at["presale_cs", "fte"]


def test_list_standards(capsys):
    code, out, _ = run(capsys, "staff", "--list-standards")
    assert code == 0 and "presale_inquiry_rate" in out and "packing_orders_per_hour" in out


def test_triggers(capsys, tmp_path):
    out_csv = tmp_path / "t.csv"
    code, out, err = run(capsys, "triggers", "--max-orders", "300", "-o", str(out_csv))
    assert code == 0, err
    df = pd.read_csv(out_csv)
    assert list(df.columns[:2]) == ["role_id", "name"]
    assert df["orders_per_day"].max() <= 300
    wk = df[df["role_id"] == "warehouse_keeper"]
    assert len(wk) >= 2


@pytest.mark.parametrize(("argv", "text"), [
    (["staff", "--orders", "-5"], "--orders has -5; expected a finite number >= 0 and <= 1,000,000 (orders per day)"),
    (["staff"], "give --orders N"),
    (["staff", "--orders", "10", "--set", "presale_ahts=3"], "did you mean 'presale_aht_s'?"),
    (["staff", "--orders", "10", "--set", "cs_shrinkage=1.5"], "expected a rate between 0 and 1"),
    (["staff", "--orders", "10", "--set", "noequals"], "expected STANDARD=VALUE"),
    (["staff", "--orders", "10", "--category", "shoes"], "expected one of apparel, beauty"),
    (["staff", "--shop", "/nonexistent/shop.yaml", "--orders", "1"], "shop file not found"),
    (["triggers", "--max-orders", "-1"], "--max-orders has -1"),
])
def test_bad_input_exits_2(capsys, argv, text):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert text in err
    assert not out.strip() or "error" not in out


def test_bad_shop_file_exits_2(capsys, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\ncity_tier: tier4\nteam: {cook: 1}\ndaily_orders: many\n", encoding="utf-8")
    code, _, err = run(capsys, "staff", "--shop", str(bad))
    assert code == 2
    assert "key 'city_tier' has 'tier4'; expected one of 'tier1', 'tier2' or 'tier3'" in err
    assert "key 'team.cook' is not a role" in err
    assert "key 'daily_orders' has 'many'; expected a number" in err


def test_no_csv_left_on_bad_input(capsys, tmp_path):
    out_csv = tmp_path / "never.csv"
    code, _, _ = run(capsys, "staff", "--orders", "-1", "-o", str(out_csv))
    assert code == 2 and not out_csv.exists()
