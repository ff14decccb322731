"""A real browser shows the reports: charts and Chinese labels (skipped without Chromium)."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib import image

from ecomanalysis.plots import embed_cjk_font, font_face_css
from ecomanalysis.report.browser import find_chromium, screenshot

needs_chromium = pytest.mark.skipif(find_chromium() is None, reason="Chromium not installed (apt-get install chromium)")

TEXT = "售前客服人数 双十一 报告"


def test_font_face_embeds_only_needed_glyphs():
    css = font_face_css(f"<p>{TEXT}</p>")
    assert "@font-face" in css and "base64," in css
    assert len(css) < 60_000, "a subset, not the 16 MB font"
    assert font_face_css("plain ascii only") == ""
    html = embed_cjk_font(f"<html><head></head><body>{TEXT}</body></html>")
    assert html.index("@font-face") < html.index("</head>")


def _ink(png) -> np.ndarray:
    img = image.imread(png)[..., :3]
    return (img.mean(axis=2) < 0.5)


@needs_chromium
@pytest.mark.browser
def test_chinese_text_renders_as_glyphs_not_boxes(tmp_path):
    page = f"<html><head><meta charset='utf-8'></head><body style='font-size:48px'>{TEXT}</body></html>"
    with_font = tmp_path / "with.html"
    with_font.write_text(embed_cjk_font(page), encoding="utf-8")
    boxes = tmp_path / "boxes.html"  # what missing glyphs look like
    boxes.write_text(page.replace(TEXT, "□" * len(TEXT)), encoding="utf-8")
    a = _ink(screenshot(with_font, tmp_path / "with.png", width=800, height=200))
    b = _ink(screenshot(boxes, tmp_path / "boxes.png", width=800, height=200))
    assert a.sum() > 500, "text must be drawn"
    assert (a != b).mean() > 0.01, "glyphs must differ from boxes"


@needs_chromium
@pytest.mark.browser
@pytest.mark.notebook
def test_report_and_index_show_charts(tmp_path):
    from ecomanalysis.report import run_notebook

    result = run_notebook("02_growth_stages", {"lang": "zh"}, reports_dir=tmp_path)
    assert result.ok, result.error
    shot = screenshot(result.html_path, tmp_path / "report.png", height=2400)
    img = image.imread(shot)[..., :3]
    colourful = (img.max(axis=2) - img.min(axis=2)) > 0.2
    assert colourful.mean() > 0.005, "charts (coloured pixels) must show"
    idx = screenshot(tmp_path / "index.html", tmp_path / "index.png", height=600)
    assert _ink(idx).sum() > 1000
