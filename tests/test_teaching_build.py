"""ecomanalysis.teaching.build and the lessons: editions from one source, both languages.

Fast tests transform the lesson sources without running them.  The tests marked ``notebook``
build the whole course (teacher edition executed) in both languages once and inspect it, and
run the student edition to show that an unanswered exercise never crashes a lesson.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import nbformat
import pytest

from ecomanalysis import cli
from ecomanalysis.errors import InputError
from ecomanalysis.report import METRIC_MIME, run_notebook
from ecomanalysis.teaching import build as B

LESSONS = B.lesson_paths()
SOURCES = {p.stem: nbformat.read(p, as_version=4) for p in LESSONS}
EXERCISE_LESSONS = [name for name in SOURCES if name.startswith("L")]
CJK = re.compile(r"[\u4e00-\u9fff]")


def tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def statements(source: str) -> set[str]:
    """Top-level statements of ``source``, normalised (``ast.unparse``)."""
    try:
        return {ast.unparse(s) for s in ast.parse(source).body}
    except SyntaxError:
        return set()


def solution_statements(nb) -> set[str]:
    return set().union(*(statements(c.source) for c in nb.cells if "solution" in tags(c)))


def code_statements(nb) -> set[str]:
    return set().union(*(statements(c.source) for c in nb.cells if c.cell_type == "code"))


# --------------------------------------------------------------------------- helpers
def test_answer_names_are_the_names_a_solution_leaves_behind():
    assert B.answer_names("m = a.merge(b)\nx = m.groupby('g').size()") == ["x"]
    assert B.answer_names("lo, hi = 1, 2\nr = (lo, hi)\nr") == ["r"]
    assert B.answer_names("a = 1\nb = 2") == ["a", "b"]
    assert B.answer_names("a = 1\na += 1") == ["a"]
    assert B.answer_names("print(1)") == []
    with pytest.raises(InputError, match="does not parse"):
        B.answer_names("x = (")


def test_solution_stub_keeps_the_statement_and_hides_the_code():
    src = "# Exercise 9.9\n# two lines of statement\nm = f(1)\nanswer = m * 2\n"
    stub = B.solution_stub(src, "en")
    assert stub == ("# Exercise 9.9\n# two lines of statement\n"
                    "answer = ...  # write your answer here")
    assert "f(1)" not in stub and "m * 2" not in stub
    assert B.solution_stub("print(1)", "zh") == "..."


def test_set_parameter_default_rewrites_only_the_value():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell('lang: str = "zh"  # course language {zh, en}\nx: int = 1',
                                          metadata={"tags": ["parameters"]})]
    B.set_parameter_default(nb, "lang", "en")
    assert nb.cells[0].source == "lang: str = 'en'  # course language {zh, en}\nx: int = 1"
    with pytest.raises(InputError, match="found 0"):
        B.set_parameter_default(nb, "missing", 1)


def test_html_links_point_to_html_pages():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("[L1](L1_roles_and_duties.ipynb) [web](https://x.org/a.ipynb)")]
    out = B._html_links(nb)
    assert out.cells[0].source == "[L1](L1_roles_and_duties.html) [web](https://x.org/a.ipynb)"


def test_bad_lang_and_edition_are_input_errors(tmp_path):
    with pytest.raises(InputError, match="lang"):
        B.make_edition(SOURCES["00_index"], "fr", "teacher")
    with pytest.raises(InputError, match="edition"):
        B.make_edition(SOURCES["00_index"], "zh", "tutor")
    with pytest.raises(InputError, match="no lesson notebooks"):
        B.lesson_paths(tmp_path)


# --------------------------------------------------------------------------- the sources
def test_course_order_index_first_then_lessons():
    names = [p.stem for p in LESSONS]
    assert names[0] == "00_index"
    assert names[1:] == sorted(names[1:]) and len(names) >= 5
    assert all(re.match(r"L\d_", n) for n in names[1:])


@pytest.mark.parametrize("name", list(SOURCES))
def test_every_notebook_is_bilingual(name):
    nb = SOURCES[name]
    md = [c for c in nb.cells if c.cell_type == "markdown"]
    zh = [c for c in md if B.cell_lang(c) == "zh"]
    en = [c for c in md if B.cell_lang(c) == "en"]
    assert zh and len(zh) == len(en), "each narrative cell exists in both languages"
    assert all(CJK.search(c.source) for c in zh)
    for c in en:  # English cells may quote a Chinese term, not be Chinese prose
        assert len(CJK.findall(c.source)) < 0.05 * len(c.source), c.source[:80]
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    for lang in ("zh", "en"):
        assert B._title(nb, lang)


@pytest.mark.parametrize("name", EXERCISE_LESSONS)
def test_every_lesson_has_goals_exercises_hints_and_checks(name):
    nb = SOURCES[name]
    kinds = [("solution" if "solution" in tags(c) else "check" if "check" in tags(c) else None)
             for c in nb.cells]
    kinds = [k for k in kinds if k]
    assert kinds.count("solution") >= 3
    # each exercise is followed by its check before the next exercise
    assert kinds == ["solution", "check"] * kinds.count("solution")
    hints = [c for c in nb.cells if "hint" in tags(c)]
    assert len(hints) == 2 * kinds.count("solution")
    text = {lang: "\n".join(c.source for c in nb.cells if B.cell_lang(c) == lang)
            for lang in ("zh", "en")}
    assert "学习目标" in text["zh"] and "**Goals**" in text["en"]
    assert "00_index.ipynb" in text["zh"] and "00_index.ipynb" in text["en"]
    assert any("teacher" in tags(c) for c in nb.cells)
    for cell in nb.cells:
        if "check" in tags(cell):
            assert re.search(r"\bcheck_\w+\(", cell.source) and "lang=lang" in cell.source


def test_outline_counts_the_exercises():
    outline = B.course_outline("en").set_index("lesson")
    assert list(outline.index) == ["00", "L1", "L2", "L3", "L4"]
    assert outline.loc["00", "exercises"] == 0
    assert (outline.loc["L1":, "exercises"] >= 3).all()
    assert (outline.loc["L1":, "checks"] == outline.loc["L1":, "exercises"]).all()
    assert outline.loc["L3", "title"].startswith("L3 · Queueing")


# --------------------------------------------------------------------------- editions
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", EXERCISE_LESSONS)
def test_student_edition_has_no_solutions(name, lang):
    src = SOURCES[name]
    nb = B.make_edition(src, lang, "student")
    assert not any("solution" in tags(c) for c in nb.cells)
    assert not any("teacher" in tags(c) for c in nb.cells)
    assert {B.cell_lang(c) for c in nb.cells} <= {None, lang}
    assert solution_statements(src)
    leaked = solution_statements(src) & code_statements(nb)
    assert not leaked, f"solution leaked: {leaked}"
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    exercises = [c for c in nb.cells if "exercise" in tags(c)]
    assert len(exercises) == sum("solution" in tags(c) for c in src.cells)
    for cell in exercises:
        assert re.search(r"^\w+ = \.\.\.  #", cell.source, re.M), cell.source
    assert f"lang: str = {lang!r}" in code
    assert "jupytext" not in nb.metadata
    assert all(c.source.startswith("<details>") for c in nb.cells if "hint" in tags(c))


@pytest.mark.parametrize("name", EXERCISE_LESSONS)
def test_teacher_edition_keeps_solutions_and_notes(name):
    src = SOURCES[name]
    nb = B.make_edition(src, "en", "teacher")
    assert sum("solution" in tags(c) for c in nb.cells) == sum("solution" in tags(c) for c in src.cells)
    assert any("teacher" in tags(c) for c in nb.cells)
    assert solution_statements(src) <= code_statements(nb)
    assert not any(B.cell_lang(c) == "zh" for c in nb.cells)


def test_the_source_is_not_modified_by_an_edition():
    before = nbformat.writes(SOURCES["L1_roles_and_duties"])
    B.make_edition(SOURCES["L1_roles_and_duties"], "en", "student")
    assert nbformat.writes(SOURCES["L1_roles_and_duties"]) == before


def test_cli_builds_an_unexecuted_edition(tmp_path, capsys):
    out = tmp_path / "course"
    status = cli.main(["teaching", "build", "--lang", "en", "--edition", "student", "--no-execute",
                       "--out-dir", str(out)])
    assert status == 0
    pages = sorted(p.name for p in (out / "en" / "student").iterdir())
    assert pages == sorted([f"{p.stem}.ipynb" for p in LESSONS] + [f"{p.stem}.html" for p in LESSONS])
    assert not (out / "zh").exists() and not (out / "en" / "teacher").exists()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="en/student/00_index.html"' in index
    html = (out / "en" / "student" / "00_index.html").read_text(encoding="utf-8")
    assert 'href="L1_roles_and_duties.html"' in html
    printed = capsys.readouterr().out
    assert "en student" in printed and "total" in printed
    assert not list(out.glob(".build-*")), "staging folder removed"


def test_cli_lists_the_lessons(capsys):
    assert cli.main(["teaching", "list", "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert "L4_double11_team_budget.ipynb" in out
    assert out.splitlines()[0].split() == ["课次", "文件", "标题", "练习", "提示", "检查"]


# --------------------------------------------------------------------------- full build
@pytest.fixture(scope="module")
def course(tmp_path_factory):
    out = tmp_path_factory.mktemp("course")
    report = B.build(("zh", "en"), B.EDITIONS, out)
    for lang in ("zh", "en"):
        for edition in B.EDITIONS:
            print(f"build {lang} {edition}: {report.seconds_by(lang, edition):.1f} s")
    return report


@pytest.mark.notebook
def test_both_editions_build_in_both_languages(course):
    assert course.ok, [(b.lang, b.lesson, b.error) for b in course.failures]
    assert len(course.lessons) == 2 * 2 * len(LESSONS)
    for b in course.lessons:
        assert b.ipynb.exists() and b.html.exists()
        assert b.executed == (b.edition == "teacher")


@pytest.mark.notebook
def test_teacher_edition_is_executed_and_every_check_passes(course):
    for b in course.lessons:
        if b.edition != "teacher":
            continue
        nb = nbformat.read(b.ipynb, as_version=4)
        assert not any("injected-parameters" in tags(c) for c in nb.cells)
        checks = [c for c in nb.cells if "check" in tags(c)]
        for cell in checks:
            html = "".join(o.get("data", {}).get("text/html", "") for o in cell.outputs)
            assert "✓" in html and "✗" not in html, (b.lang, b.lesson, html)
        for cell in nb.cells:
            for o in cell.get("outputs", []):
                assert METRIC_MIME not in o.get("data", {})
                assert o.get("output_type") != "error"
        page = b.html.read_text(encoding="utf-8")
        assert "<img" in page, f"{b.lesson} has a chart"
        assert "Traceback" not in page
        assert "@font-face" in page  # Chinese glyphs embedded
        if b.lesson != "00_index":
            assert "solution" in json.dumps([c.metadata for c in nb.cells])


@pytest.mark.notebook
def test_student_edition_is_unexecuted_and_has_no_solutions(course):
    for b in course.lessons:
        if b.edition != "student":
            continue
        nb = nbformat.read(b.ipynb, as_version=4)
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
        assert not any("solution" in tags(c) or "teacher" in tags(c) for c in nb.cells)
        assert not solution_statements(SOURCES[b.lesson]) & code_statements(nb)
        page = b.html.read_text(encoding="utf-8")
        assert "<img" not in page
        other = "en" if b.lang == "zh" else "zh"
        assert not any(B.cell_lang(c) == other for c in nb.cells)


@pytest.mark.notebook
@pytest.mark.parametrize("name", EXERCISE_LESSONS)
def test_student_edition_runs_and_says_not_answered(course, name, tmp_path):
    path = Path(course.out, "en", "student", f"{name}.ipynb")
    result = run_notebook(path, {"lang": "en"}, reports_dir=tmp_path, update_index=False)
    assert result.ok, result.error
    nb = nbformat.read(Path(result.run_dir, "output.ipynb"), as_version=4)
    checks = [c for c in nb.cells if "check" in tags(c)]
    html = ["".join(o.get("data", {}).get("text/html", "") for o in c.outputs) for c in checks]
    assert all("✗" in h and "Not answered yet" in h for h in html), html


def test_cli_old_out_spelling_still_works_with_a_note(tmp_path, capsys):
    out = tmp_path / "course"
    status = cli.main(["teaching", "build", "--lang", "en", "--edition", "student", "--no-execute",
                       "--out", str(out)])
    assert status == 0
    assert (out / "index.html").is_file()
    assert "note: --out is deprecated; use --out-dir" in capsys.readouterr().err
