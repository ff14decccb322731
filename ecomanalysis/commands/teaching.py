"""CLI: ``teaching build`` (teacher / student editions of the course) and ``teaching list``."""

from __future__ import annotations

import argparse

from ecomanalysis.commands._options import add_lang, add_out_dir
from ecomanalysis.i18n import N_, translator

#: Editions in words.
EDITION_NAMES = {"teacher": N_("teacher"), "student": N_("student")}
#: Printed headers of ``teaching list`` (column -> msgid).
OUTLINE_HEADERS = {"lesson": N_("Lesson"), "file": N_("File"), "title": N_("Title"),
                   "exercises": N_("Exercises"), "hints": N_("Hints"), "checks": N_("Checks")}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("teaching", help="the course in data-driven staffing (教学): build editions")
    tsub = p.add_subparsers(dest="teaching_command", metavar="ACTION")

    b = tsub.add_parser(
        "build",
        help="write the teacher edition (solutions, executed) and the student edition (exercises "
             "empty) as .ipynb and HTML",
    )
    b.add_argument("--lang", choices=("zh", "en"), action="append",
                   help="course language (repeatable; default: both); with one language, what "
                        "is printed is in it too (else en)")
    b.add_argument("--edition", choices=("teacher", "student", "both"), default="both",
                   help="which edition (default: both)")
    add_out_dir(b, "output folder (default: reports/teaching)", old_out=True)
    b.add_argument("--no-execute", action="store_true",
                   help="write the teacher edition without executing it (fast preview)")
    b.add_argument("--timeout", type=float, default=600, help="per-cell timeout in seconds (default 600)")
    b.set_defaults(func=_build)

    ls = tsub.add_parser("list", help="list the lessons with their exercises, hints and checks")
    add_lang(ls)
    ls.set_defaults(func=_list)

    p.set_defaults(func=lambda args: _usage(p))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _build(args) -> int:
    from ecomanalysis.bounds import check
    from ecomanalysis.teaching.build import EDITIONS, build

    check("timeout_s", args.timeout, "--timeout")

    langs = tuple(dict.fromkeys(args.lang)) if args.lang else ("zh", "en")
    editions = EDITIONS if args.edition == "both" else (args.edition,)

    _ = translator(langs[0] if len(langs) == 1 else "en")

    def progress(b) -> None:
        state = _("ok") if b.ok else _("FAILED: {error}", error=b.error)
        run = _("executed") if b.executed else _("not executed")
        print(f"{b.lang} {_(EDITION_NAMES.get(b.edition, b.edition))} {b.lesson:<28} "
              f"{_('{s} s', s=f'{b.seconds:6.1f}')}  {run}  {state}", flush=True)

    report = build(langs, editions, args.out_dir, execute=not args.no_execute, timeout_s=args.timeout,
                   progress=progress)
    for lang in langs:
        for edition in editions:
            print(f"{lang} {_(EDITION_NAMES.get(edition, edition))}: "
                  + _("{s} s", s=f"{report.seconds_by(lang, edition):.1f}"))
    print(_("total {s} s -> {path}", s=f"{report.seconds:.1f}", path=report.out / "index.html"))
    for b in report.failures:
        print(f"error: {b.lang} {b.edition} {b.lesson}: {b.error}")
    return 0 if report.ok else 1


def _list(args) -> int:
    from ecomanalysis.commands._text import print_table
    from ecomanalysis.teaching.build import course_outline

    print_table(course_outline(args.lang), args.lang, OUTLINE_HEADERS, colwidth=60)
    return 0
