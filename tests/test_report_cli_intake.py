"""``report --shop`` refuses a bad export the shop lists before any run folder is written."""

from __future__ import annotations

import pytest

from ecomanalysis.cli import main

pytest.importorskip("duckdb")


def test_report_with_a_bad_export_exits_2_and_writes_nothing(tmp_path, capsys):
    (tmp_path / "orders.csv").write_text(
        "order_id,order_time,status\n1,2024-09-01 10:00:00,paid\n2,2024-13-45 99:00,paid\n"
        "3,2024-09-02 11:00:00,paid\n", encoding="utf-8")
    (tmp_path / "shop.yaml").write_text(
        "name: bad\nplatform: other\ncategory: general\ncity_tier: tier2\n"
        "files:\n  orders: orders.csv\n", encoding="utf-8")
    out = tmp_path / "reports"
    code = main(["report", "--shop", str(tmp_path / "shop.yaml"), "--out-dir", str(out),
                 "--quiet"])
    err = capsys.readouterr().err
    assert code == 2
    assert "orders.csv row 3: column 'order_time' has '2024-13-45 99:00'" in err
    assert "Traceback" not in err
    assert not out.exists()
