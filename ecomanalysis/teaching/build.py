"""Teacher and student editions of the course, in Chinese or English, from one source.

The lessons in ``notebooks/teaching/`` are ordinary notebooks (jupytext ``py:percent`` twins)
with a ``parameters`` cell holding ``lang``.  Cell tags say what each cell is:

``lang-zh`` / ``lang-en``
    Narrative in one language; an edition keeps only the cells of its language (untagged cells
    are kept in both).
``solution``
    An exercise with its solution.  The *student* edition keeps the leading comment lines (the
    exercise statement) and replaces the code by a stub ``answer = ...`` for every name the
    solution defines and does not use itself (see :func:`solution_stub`); the cell is re-tagged
    ``exercise``.  The *teacher* edition keeps the solution.
``hint``
    A hint, shown folded (``<details>``) in both editions.
``check``
    A cell calling an :mod:`ecomanalysis.teaching.checks` function; kept in both editions.
``teacher``
    Notes for the teacher (timing, common mistakes, discussion answers): teacher edition only.

The teacher edition is executed (papermill on the ``ecomanalysis`` kernel, through
:func:`ecomanalysis.report.run_notebook`) and exported as ``.ipynb`` and HTML *with* code; the
student edition is not executed (the checks would only say "not answered yet").  Output::

    OUT/index.html
    OUT/<lang>/<edition>/<NN_name>.ipynb and .html
"""

from __future__ import annotations

import ast
import copy
import html
import os
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from ecomanalysis import config
from ecomanalysis._io import write_text
from ecomanalysis.errors import InputError
from ecomanalysis.i18n import N_, translator

TEACHING_DIR = config.NOTEBOOKS_DIR / "teaching"
EDITIONS = ("teacher", "student")
SOLUTION_TAG = "solution"
EXERCISE_TAG = "exercise"
HINT_TAG = "hint"
CHECK_TAG = "check"
TEACHER_TAG = "teacher"
LANG_TAG_PREFIX = "lang-"
#: Tags whose cells never show in an HTML edition.
HTML_HIDDEN_TAGS = {"injected-parameters", "remove-cell", "remove_cell"}
#: Texts of the editions: message ids, translated by the catalogs.
STUB_COMMENT = N_("# write your answer here")
HINT_SUMMARY = N_("Hint")
EDITION_NAMES = {
    "teacher": N_("Teacher edition (solutions, executed)"),
    "student": N_("Student edition (exercises to do)"),
}
#: Each language's name in itself (the index page lists both).
LANG_NAMES = {"zh": "中文", "en": "English"}


# --------------------------------------------------------------------------- lessons
def lesson_paths(folder: str | os.PathLike | None = None) -> list[Path]:
    """The course notebooks in order (``00_index`` first, then ``L1_...``, ``L2_...``)."""
    folder = Path(folder) if folder is not None else TEACHING_DIR
    paths = sorted(p for p in folder.glob("*.ipynb") if not p.name.startswith("."))
    if not paths:
        raise InputError(f"{folder}: no lesson notebooks (*.ipynb) found")
    return paths


def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _set_tags(cell, tags: list[str]) -> None:
    if tags:
        cell.setdefault("metadata", {})["tags"] = tags
    else:
        cell.get("metadata", {}).pop("tags", None)


def cell_lang(cell) -> str | None:
    """``"zh"``/``"en"`` for a language-tagged cell, None for a cell shown in both."""
    for tag in _tags(cell):
        if tag.startswith(LANG_TAG_PREFIX):
            return tag[len(LANG_TAG_PREFIX):]
    return None


def _check_lang(lang: str) -> str:
    if lang not in config.LANGS:
        raise InputError(f"parameter 'lang' is {lang!r}; expected one of {', '.join(config.LANGS)}")
    return lang


def select_language(nb: nbformat.NotebookNode, lang: str) -> nbformat.NotebookNode:
    """A copy of ``nb`` with only the cells of ``lang`` (and untagged ones), whose parameters
    cell defaults ``lang`` to it."""
    _check_lang(lang)
    out = copy.deepcopy(nb)
    out.cells = [c for c in out.cells if cell_lang(c) in (None, lang)]
    set_parameter_default(out, "lang", lang)
    return out


def set_parameter_default(nb: nbformat.NotebookNode, name: str, value) -> None:
    """Rewrite ``name: type = <literal>`` in the parameters cell to ``value`` (in place)."""
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in _tags(cell):
            pattern = re.compile(rf"^(\s*{re.escape(name)}\s*:\s*\w+\s*=\s*)([^#\n]*?)(\s*(#.*)?)$", re.M)
            new, count = pattern.subn(lambda m: f"{m.group(1)}{value!r}{m.group(3)}", cell.source)
            if count != 1:
                raise InputError(f"parameters cell: expected one line '{name}: ... = ...', found {count}")
            cell.source = new
            return
    raise InputError("the notebook has no code cell tagged 'parameters'")


def _leading_comments(source: str) -> tuple[list[str], str]:
    lines = source.splitlines()
    head = []
    for line in lines:
        if line.strip().startswith("#") or not line.strip():
            head.append(line)
        else:
            break
    while head and not head[-1].strip():
        head.pop()
    return head, "\n".join(lines[len(head):])


def _loaded_names(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def answer_names(source: str) -> list[str]:
    """Names a solution defines at top level and does not use later in the cell: its answers.

    ``merged = a.merge(b); duties_per_group = merged.groupby(...).size()`` -> ``["duties_per_group"]``.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise InputError(f"solution cell does not parse: {exc.msg} (line {exc.lineno})") from exc
    names: list[str] = []
    body = tree.body
    # a last line that only shows names (``answer`` or ``a, b``) displays, it does not use them
    if body and isinstance(body[-1], ast.Expr) and all(
        isinstance(n, (ast.Name, ast.Tuple, ast.Load)) for n in ast.walk(body[-1].value)
    ):
        body = body[:-1]
    for i, stmt in enumerate(body):
        targets: list[ast.expr] = []
        if isinstance(stmt, ast.Assign):
            targets = stmt.targets
        elif isinstance(stmt, (ast.AnnAssign, ast.AugAssign)):
            targets = [stmt.target]
        found = []
        for t in targets:
            found += [n.id for n in ast.walk(t) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)]
        later = set().union(*(_loaded_names(s) for s in body[i + 1:])) if i + 1 < len(body) else set()
        for name in found:
            if name not in later and name not in names:
                names.append(name)
    return names


def solution_stub(source: str, lang: str = "zh") -> str:
    """The student's version of a solution cell: its statement comments and ``name = ...``."""
    head, code = _leading_comments(source)
    names = answer_names(code)
    comment = translator(lang)(STUB_COMMENT)
    body = [f"{name} = ...  {comment}" for name in names] or ["..."]
    return "\n".join(head + body)


def _fold_hint(cell, lang: str) -> None:
    text = cell.source.strip()
    if text.startswith("<details"):
        return
    summary = translator(lang)(HINT_SUMMARY)
    cell.source = f"<details><summary>{summary}</summary>\n\n{text}\n\n</details>"


def _clean(nb: nbformat.NotebookNode) -> None:
    """No outputs, no execution counts, no jupytext pairing (an edition is a plain notebook)."""
    nb.metadata.pop("jupytext", None)
    nb.metadata.pop("papermill", None)
    for cell in nb.cells:
        cell.get("metadata", {}).pop("papermill", None)
        cell.get("metadata", {}).pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None


def make_edition(nb: nbformat.NotebookNode, lang: str, edition: str) -> nbformat.NotebookNode:
    """The ``edition`` (``"teacher"``/``"student"``) of a lesson in ``lang``, unexecuted."""
    if edition not in EDITIONS:
        raise InputError(f"edition {edition!r}; expected one of {', '.join(EDITIONS)}")
    out = select_language(nb, lang)
    _clean(out)
    cells = []
    for cell in out.cells:
        tags = _tags(cell)
        if HINT_TAG in tags and cell.cell_type == "markdown":
            _fold_hint(cell, lang)
        if edition == "student":
            if TEACHER_TAG in tags:
                continue
            if SOLUTION_TAG in tags:
                cell.source = solution_stub(cell.source, lang)
                _set_tags(cell, [EXERCISE_TAG if t == SOLUTION_TAG else t for t in tags])
        cells.append(cell)
    out.cells = cells
    out.metadata["ecomanalysis_teaching"] = {"lang": lang, "edition": edition}
    return out


# --------------------------------------------------------------------------- outline
def _title(nb: nbformat.NotebookNode, lang: str) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell_lang(cell) in (None, lang):
            m = re.search(r"^#\s+(.+)$", cell.source, re.M)
            if m:
                return m.group(1).strip()
    return ""


def course_outline(lang: str = "zh", folder: str | os.PathLike | None = None):
    """One row per notebook: ``lesson, file, title, exercises, hints, checks``.

    ``exercises`` counts the solution cells, ``checks`` the check cells.
    """
    import pandas as pd

    _check_lang(lang)
    rows = []
    for path in lesson_paths(folder):
        nb = nbformat.read(path, as_version=4)
        cells = [c for c in nb.cells if cell_lang(c) in (None, lang)]
        count = {t: sum(t in _tags(c) for c in cells) for t in (SOLUTION_TAG, HINT_TAG, CHECK_TAG)}
        rows.append({"lesson": path.stem.split("_")[0], "file": path.name, "title": _title(nb, lang),
                     "exercises": count[SOLUTION_TAG], "hints": count[HINT_TAG],
                     "checks": count[CHECK_TAG]})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- HTML
def _strip_metrics(nb: nbformat.NotebookNode) -> None:
    from ecomanalysis.report import METRIC_MIME

    for cell in nb.cells:
        if cell.get("cell_type") == "code":
            cell.outputs = [o for o in cell.outputs if METRIC_MIME not in o.get("data", {})]


def _html_links(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = re.sub(r"\]\(([\w./-]+)\.ipynb(#[\w-]*)?\)", r"](\1.html\2)", cell.source)
    return nb


def to_html(nb: nbformat.NotebookNode, title: str) -> str:
    """HTML of an edition *with* its code (links to other lessons point to their HTML), the
    Chinese glyphs embedded so it reads in any browser."""
    from ecomanalysis.report.runner import to_html as notebook_html

    return notebook_html(_html_links(nb), title, code=True, remove_tags=HTML_HIDDEN_TAGS)


# --------------------------------------------------------------------------- build
@dataclass
class BuiltLesson:
    """One written edition of one lesson."""

    lesson: str
    lang: str
    edition: str
    ipynb: Path
    html: Path
    executed: bool
    seconds: float
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class BuildReport:
    """What :func:`build` wrote, how long it took and what failed."""

    out: Path
    lessons: list[BuiltLesson] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return all(b.ok for b in self.lessons)

    @property
    def failures(self) -> list[BuiltLesson]:
        return [b for b in self.lessons if not b.ok]

    def seconds_by(self, lang: str, edition: str) -> float:
        return sum(b.seconds for b in self.lessons if b.lang == lang and b.edition == edition)


def _execute(nb: nbformat.NotebookNode, lang: str, name: str, staging: Path,
             timeout_s: float) -> tuple[nbformat.NotebookNode, str | None]:
    from ecomanalysis.report import run_notebook

    src = staging / lang / f"{name}.ipynb"
    write_text(src, nbformat.writes(nb))
    res = run_notebook(src, {"lang": lang}, shop=f"{lang}-{name}", reports_dir=staging / "runs",
                       timeout_s=timeout_s, update_index=False)
    done = nbformat.read(Path(res.run_dir) / "output.ipynb", as_version=4)
    done.cells = [c for c in done.cells if "injected-parameters" not in _tags(c)]
    _strip_metrics(done)
    done.metadata.pop("papermill", None)
    error = None if res.ok else f"{res.error} (cell {res.error_cell})"
    return done, error


def build(langs=("zh", "en"), editions=EDITIONS, out: str | os.PathLike | None = None, *,
          execute: bool = True, timeout_s: float = 600, folder: str | os.PathLike | None = None,
          progress=None) -> BuildReport:
    """Write the chosen editions of every lesson in every language of ``langs``.

    Parameters
    ----------
    langs
        Languages to build (``"zh"``, ``"en"``).
    editions
        ``"teacher"`` and/or ``"student"``.
    out
        Output folder (default ``reports/teaching``).
    execute
        Execute the teacher edition (False: write it unexecuted, for a quick look).
    timeout_s
        Per-cell timeout when executing, seconds.
    folder
        Lesson folder (default ``notebooks/teaching``).
    progress
        Optional callable receiving each :class:`BuiltLesson` as it is written.

    Returns
    -------
    BuildReport
        A failed lesson is recorded (with its error) and the build goes on.
    """
    langs = [_check_lang(x) for x in langs]
    for e in editions:
        if e not in EDITIONS:
            raise InputError(f"edition {e!r}; expected one of {', '.join(EDITIONS)}")
    out = Path(out) if out is not None else config.REPORTS_DIR / "teaching"
    paths = lesson_paths(folder)
    sources = {p.stem: nbformat.read(p, as_version=4) for p in paths}
    report = BuildReport(out=out)
    t_all = time.perf_counter()
    staging = out / f".build-{os.getpid()}"
    try:
        for lang in langs:
            for edition in editions:
                folder_out = out / lang / edition
                for name, src in sources.items():
                    t0 = time.perf_counter()
                    nb = make_edition(src, lang, edition)
                    error = None
                    executed = False
                    if edition == "teacher" and execute:
                        nb, error = _execute(nb, lang, name, staging, timeout_s)
                        executed = True
                    nb.metadata["ecomanalysis_teaching"] = {"lang": lang, "edition": edition}
                    ipynb = folder_out / f"{name}.ipynb"
                    page = folder_out / f"{name}.html"
                    write_text(ipynb, nbformat.writes(nb))
                    title = f"{_title(nb, lang)} · {translator(lang)(EDITION_NAMES[edition])}"
                    write_text(page, to_html(nb, title))
                    built = BuiltLesson(name, lang, edition, ipynb, page, executed,
                                        round(time.perf_counter() - t0, 2), error)
                    report.lessons.append(built)
                    if progress is not None:
                        progress(built)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    write_text(out / "index.html", _index_page(out))
    report.seconds = round(time.perf_counter() - t_all, 2)
    return report


def _index_page(out: Path) -> str:
    """A page linking every edition found under ``out`` (kept across partial builds)."""
    from ecomanalysis.plots import embed_cjk_font

    items = []
    for lang in config.LANGS:
        for edition in EDITIONS:
            folder = out / lang / edition
            pages = sorted(folder.glob("*.html"))
            if not pages:
                continue
            links = " · ".join(
                f'<a href="{lang}/{edition}/{p.name}">{html.escape(p.stem)}</a>' for p in pages
            )
            name = translator(lang)(EDITION_NAMES[edition])
            items.append(f"<li><b>{LANG_NAMES[lang]} · {html.escape(name)}"
                         f"</b><br>{links}</li>")
    body = "\n".join(items) or "<li>—</li>"
    page = (
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
        "<title>ecomanalysis · 课程 / course</title></head>\n<body style=\"font-family:sans-serif;"
        "max-width:60em;margin:2em auto\">\n<h1>数据驱动的网店岗位配置 · Data-driven e-commerce "
        f"staffing</h1>\n<ul>\n{body}\n</ul>\n</body></html>\n"
    )
    return embed_cjk_font(page)
