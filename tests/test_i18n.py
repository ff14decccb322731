"""Message catalogs: every message used is in the catalogs, every Chinese one translated, and
a report is wholly in its language."""

from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from ecomanalysis import config
from ecomanalysis.errors import InputError
from ecomanalysis.i18n import messages, translator

ROOT = config.PROJ_ROOT
sys.path.insert(0, str(ROOT / "scripts"))
import update_catalogs  # noqa: E402


def test_zh_translates_every_message():
    from babel.messages.pofile import read_po

    with open(ROOT / "ecomanalysis/locale/zh/LC_MESSAGES/messages.po", "rb") as fh:
        cat = read_po(fh)
    missing = [m.id for m in cat if m.id and not m.string]
    assert not missing, f"untranslated zh messages: {missing[:5]}"


def test_every_message_in_code_is_in_the_catalogs():
    used = set(update_catalogs.extract())
    assert len(used) > 50
    for lang in ("zh", "en"):
        from babel.messages.pofile import read_po

        with open(ROOT / f"ecomanalysis/locale/{lang}/LC_MESSAGES/messages.po", "rb") as fh:
            ids = {m.id for m in read_po(fh) if m.id}
        assert used <= ids, f"{lang}: run scripts/update_catalogs.py: {sorted(used - ids)[:5]}"


def test_translator_formats_and_falls_back():
    zh, en = translator("zh"), translator("en")
    assert zh("Hire first: {list}.", list="A") == "优先招聘:A。"
    assert en("Hire first: {list}.", list="A") == "Hire first: A."
    assert zh("no such message") == "no such message"
    assert "Summary" in messages("zh")
    with pytest.raises(InputError, match="lang"):
        translator("fr")


# --------------------------------------------------------------------------- whole reports
_TAG = re.compile(r"<(script|style|title)\b.*?</\1>|<[^>]+>", re.S)
#: The intake's notes quote the export's own column names and values (file names, not prose);
#: their title is the report's prose and stays.
_NOTES = re.compile(r'(<div class="ecom-data-notes">.*?</h3>).*?</div>', re.S)


def visible_text(page: str) -> str:
    return html.unescape(_TAG.sub(" ", _NOTES.sub(r"\1 ", page)))


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    from ecomanalysis.report import run_notebook

    out = tmp_path_factory.mktemp("reports")
    runs = {}
    for lang in ("zh", "en"):
        r = run_notebook("shop_report", {"lang": lang, "as_of": "2026-12-01"}, shop=f"s-{lang}",
                         reports_dir=out, update_index=False)
        assert r.ok, r.error
        runs[lang] = Path(r.run_dir)
    return runs


@pytest.mark.notebook
def test_report_is_wholly_in_its_language(reports):
    shop = "示例女装店 (sample apparel shop)"
    zh = visible_text((reports["zh"] / "report.html").read_text(encoding="utf-8")).replace(shop, "")
    words = set(re.findall(r"[A-Za-z]{2,}", zh))
    assert not words, f"English in the Chinese report: {sorted(words)[:20]}"
    en = visible_text((reports["en"] / "report.html").read_text(encoding="utf-8")).replace(shop, "")
    cjk = set(re.findall(r"[\u3400-\u9fff]+", en))
    assert not cjk, f"Chinese in the English report: {sorted(cjk)[:20]}"


@pytest.mark.notebook
def test_summary_first_and_same_figures_in_html_workbook_and_metrics(reports):
    from ecomanalysis.plan import make_plan

    plan = make_plan(lang="en", as_of="2026-12-01")
    page = (reports["en"] / "report.html").read_text(encoding="utf-8")
    text = visible_text(page)
    first = text.index("The shop has")
    assert first < text.index("The team now and the team needed"), "the summary comes first"
    for figure in (f"{plan.team_now}", f"{plan.team_needed}", f"{plan.cost_now_cny_month:,.0f}",
                   f"{plan.cost_needed_cny_month:,.0f}", f"{plan.temps_total}",
                   f"{plan.hire_by:%Y-%m-%d}"):
        assert figure in text[first:first + 2000], figure
    metrics = json.loads((reports["en"] / "metrics.json").read_text(encoding="utf-8"))["metrics"]
    assert metrics["team_now"]["value"] == plan.team_now
    assert metrics["team_needed"]["value"] == plan.team_needed
    assert metrics["peak_temps"]["value"] == plan.temps_total
    wb = load_workbook(reports["en"] / "report.xlsx")
    assert wb.sheetnames[:3] == ["Summary", "Team", "Next hires"]
    summary = {r[0]: r[1] for r in wb["Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["Team now (people)"] == plan.team_now
    assert summary["Labour cost needed (CNY/month)"] == round(plan.cost_needed_cny_month)
    assert summary["Temps at the peak (people)"] == plan.temps_total
    team = list(wb["Team"].iter_rows(values_only=True))
    assert team[0][:3] == ("Role", "Now (people)", "Needed (people)")
    assert [r[1] for r in team[1:]] == list(plan.team["now"])
    assert [r[2] for r in team[1:]] == list(plan.team["needed"])
    assert wb["Team"].freeze_panes == "A2"
    zh = load_workbook(reports["zh"] / "report.xlsx")
    assert zh.sheetnames[0] == "摘要"


@pytest.mark.notebook
def test_page_title_is_in_the_reports_language(reports):
    """The browser tab: the shop's name and the report's name in the report's language (it
    showed the notebook's file name, 'shop_report', in both)."""
    titles = {lang: re.search(r"<title>(.*?)</title>", (run / "report.html").read_text(
        encoding="utf-8"), re.S).group(1) for lang, run in reports.items()}
    assert titles["zh"].endswith("· 人员配置报告") and "shop_report" not in titles["zh"], titles
    assert titles["en"].endswith("· Staffing report"), titles


@pytest.mark.notebook
def test_chinese_sentences_follow_each_other_unspaced(reports):
    """Sentences joined for a section ('。 用同样的…' had an English space after the full stop)."""
    zh = visible_text((reports["zh"] / "report.html").read_text(encoding="utf-8"))
    bad = re.search(r"。 [^\s]", zh)  # the page's own line breaks come out as spaces + newline
    assert bad is None, zh[max(0, bad.start() - 40):bad.start() + 40]


def test_no_chinese_text_chosen_by_an_if_branch():
    """Issue 11: strings live in the catalogs (or a table such as plots.LABELS), not in
    `"中文" if zh else "English"` branches (charts, staffing's seed comparison, notebooks 03
    and 06 and the teaching checks' feedback had them)."""
    pattern = re.compile(r'[\u4e00-\u9fff][^"\n]*"\s*if\s+(zh\b|lang\s*==\s*.zh.)')
    files = sorted(config.PACKAGE_DIR.rglob("*.py"))
    files += sorted(config.NOTEBOOKS_DIR.glob("*.py"))
    bad = [f"{p.name}:{i}" for p in files
           for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if pattern.search(line)]
    assert not bad, bad


def test_no_text_picked_by_language_in_code_in_other_forms():
    """The other forms the teaching checks' feedback (and the roster's status) had: a (zh, en)
    table read with `[0 if lang == "zh" else 1]`, `if lang == "zh":` blocks building a Chinese
    sentence, and ("中文", "English") pairs; the whole package and the notebooks."""
    forms = [re.compile(r'\[\s*0\s+if\s+lang\s*==\s*.zh.\s+else\s+1\s*\]'),
             re.compile(r'if\s+lang\s*==\s*.zh.\s*:\s*\n[^\n]*[\u4e00-\u9fff]'),
             re.compile(r'\(\s*"[^"\n]*[\u4e00-\u9fff][^"\n]*",\s*"[A-Za-z][^"\n]*"\s*\)')]
    files = sorted(config.PACKAGE_DIR.rglob("*.py")) + sorted(config.NOTEBOOKS_DIR.glob("*.py"))
    assert len(files) > 50
    bad = [f"{p.name}: {m.group(0)[:60]!r}" for p in files for form in forms
           for m in form.finditer(p.read_text(encoding="utf-8"))]
    assert not bad, bad
