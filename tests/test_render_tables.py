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
