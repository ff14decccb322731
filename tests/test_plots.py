"""Chinese labels render with a real CJK font, not boxes."""

from __future__ import annotations

import warnings

import matplotlib.pyplot as plt
from matplotlib import font_manager

from ecomanalysis import plots


def test_bundled_cjk_font_is_resolved():
    family = plots.use_style()
    assert family is not None, "no CJK-capable font found"
    path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    assert "DejaVu" not in path


def test_chinese_label_renders_without_missing_glyph_warning():
    plots.use_style()
    fig, ax = plt.subplots()
    ax.set_title("售前客服 人数 · 双十一")
    ax.set_xlabel(plots.label("orders_per_day", "zh"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.canvas.draw()
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message).lower()
               or "glyph" in str(w.message).lower()]
    assert missing == []


def test_default_font_would_warn():
    """The check above can fail: DejaVu Sans alone lacks the glyphs."""
    fig, ax = plt.subplots()
    ax.set_title("售前客服", fontfamily="DejaVu Sans")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.canvas.draw()
    assert any("missing from font" in str(w.message).lower() for w in caught)


def test_labels_bilingual():
    assert plots.label("headcount", "zh") == "人数"
    assert plots.label("headcount", "en") == "Headcount"
    assert plots.label("no_such_key", "en") == "no_such_key"
