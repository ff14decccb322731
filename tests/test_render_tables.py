"""Tables a reader can read: one helper (ecomanalysis.render.table) for every notebook table."""

from __future__ import annotations

import re

import pandas as pd

from ecomanalysis import config
from ecomanalysis.i18n import translator
from ecomanalysis.render import COLUMNS, NOTEBOOK_COLUMNS, fmt, frame, infer_kind, table


def test_new_kinds_and_inferred_kinds():
    assert fmt(0.045, "share1") == "4.5%"
    assert fmt(7.62, "ratio") == "7.6x"
    assert fmt(1.234, "float2") == "1.23"
    assert fmt(True, "yesno", "zh") == "是" and fmt(False, "yesno", "en") == "no"
    assert infer_kind(pd.Series([22.0, 3.0])) == "int"
    assert infer_kind(pd.Series([2.5, 3.0])) == "float"
    assert infer_kind(pd.Series(["a"])) == "text"
    assert infer_kind(pd.Series([True, False])) == "yesno"


def test_unknown_numeric_columns_never_show_raw_floats():
    df = pd.DataFrame({"name": ["售前客服"], 3: [22.0], "x": [1.25]})
    out = frame(df, "zh")
    assert list(out.iloc[0]) == ["售前客服", "22", "1.2"]


def test_table_translates_headers_and_survives_a_repeated_index():
    df = pd.DataFrame({"stage_id": [1, 2], "conversion_min": [0.04, 0.045],
                       "break_even": [False, True]}, index=[0, 0])
    html = table(df, "zh").to_html()
    assert "阶段" in html and "转化率(下限)" in html and "4.5%" in html and "是" in html
    assert "stage_id" not in html and "0.045" not in html


def test_every_notebook_header_has_a_chinese_translation():
    _ = translator("zh")
    missing = [c for c, (msgid, _k) in NOTEBOOK_COLUMNS.items() if _(msgid) == msgid]
    assert not missing
    assert all(COLUMNS[c] for c in NOTEBOOK_COLUMNS)


def test_notebooks_show_tables_through_the_helper():
    """No notebook formats a table by hand (``.style``) any more."""
    for path in sorted(config.NOTEBOOKS_DIR.glob("0[1-8]_*.py")):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\.style\b", text), f"{path.name} styles a table by hand"
        if "display(" in text and "DataFrame" in text:
            assert "render import" in text, path.name


# --------------------------------------------------------------------------- notebook lines
def test_notebook_text_lines():
    from types import SimpleNamespace

    from ecomanalysis import render

    row = pd.DataFrame([{"stage_id": 3, "visitors_min": 1000, "visitors_max": 2000,
                         "conversion_min": 0.01, "conversion_max": 0.02, "implied_orders_min": 10,
                         "implied_orders_max": 40, "orders_min": 50, "orders_max": 80}])
    assert render.stage_disagreement_lines(row) == [
        "stage 3: 1000-2000 visitors x 1.0%-2.0% = 10-40 orders/day, but the table says 50-80"]
    rep = SimpleNamespace(file="a\x07.csv", preset="taobao", preset_auto=True, source=["x"],
                          columns={"order_time": "t"}, time_format="%Y", rows_read=1200,
                          rows_kept=1100, rows_dropped=100)
    lines = render.read_report_lines(rep, "zh")
    # "自动识别": the catalog's word for a detected preset, as 'init' prints it
    assert lines[1] == "预设: taobao (自动识别); x" and "\x07" not in lines[0]
    assert render.read_report_lines(rep, "en")[3] == "rows read 1,200; kept 1,100; dropped 100"
    line = render.queue_setup_line(60, dict(sl_target=0.8, answer_within_s=30, max_occupancy=0.85,
                                            shrinkage=0.3),
                                   dict(concurrency=2, aht_by_concurrency=[60, 75]), "measured")
    assert line.startswith("AHT 60 s with one chat open, 60 / 75 s per chat with 1..2 open; 80%")
    at = pd.Series({"model_headcount": 4, "model_fte": 3.21, "rule_low": 2.0, "rule_high": 3.5})
    assert render.cs_rule_line(at, 300, None, 1000).endswith("more than 3 at > 1000 orders/day")
    assert "at 250 orders/day" in render.cs_rule_line(at, 300, 250, 1000)


def test_cs_hourly_table_names_the_queues():
    from ecomanalysis import render, staffing

    by_hour = staffing.cs_by_hour(200, std=staffing.standards())
    html = render.cs_hourly_table(by_hour, "en", {"presale": "PRE", "aftersale": "AFTER"}).to_html()
    assert "· PRE" in html and "· AFTER" in html


def test_shown_hides_the_index_and_formats():
    from ecomanalysis.render import shown

    df = pd.DataFrame({"a": [1.23456], "b": [1234.0]}, index=["IDX"])
    html = shown(df, precision=2).to_html()
    assert "1.23" in html and "1.2346" not in html and "IDX" not in html
    html = shown(df, formatter={"b": "{:,.0f}"}).to_html()
    assert "1,234" in html


def test_data_notes_title_is_in_the_reports_language():
    """The notes quote the export (column names, values); their title is report prose."""
    from types import SimpleNamespace

    from ecomanalysis.render import data_notes_html

    zh = data_notes_html(SimpleNamespace(lang="zh", data_notes=["orders.csv: a note"]))
    title = re.search(r"<h3>(.*?)</h3>", zh).group(1)
    assert not re.search(r"[A-Za-z]", title), title
    en = data_notes_html(SimpleNamespace(lang="en", data_notes=["orders.csv: a note"]))
    assert "<h3>How the data was read</h3>" in en and "<li>orders.csv: a note</li>" in en


def test_render_holds_no_text_of_one_language():
    """Issue 11 point 5: the report's strings live in the message catalogs, not in ``if zh
    else`` branches of the rendering code (no Chinese literal in render.py)."""
    src = (config.PACKAGE_DIR / "render.py").read_text(encoding="utf-8")
    assert not re.findall(r"[\u3400-\u9fff]+", src)
