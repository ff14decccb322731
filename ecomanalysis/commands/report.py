"""CLI: ``report`` (one notebook run -> HTML) and ``batch`` (many shops or scenarios)."""

from __future__ import annotations

import argparse
from pathlib import Path

#: The main job on the bundled example: what ``make report`` runs.
DEFAULT_NOTEBOOKS = ("01_roles_and_teams", "02_growth_stages")


def _kv(text: str) -> tuple[str, str]:
    if "=" not in text:
        raise argparse.ArgumentTypeError(f"--set expects key=value, got {text!r}")
    key, value = text.split("=", 1)
    return key.strip(), value


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help="run a notebook with parameters and export HTML under reports/")
    p.add_argument("--notebook", action="append", help="notebook name in notebooks/ (repeatable); "
                   f"default: {', '.join(DEFAULT_NOTEBOOKS)}")
    p.add_argument("--set", dest="sets", action="append", type=_kv, default=[], metavar="KEY=VALUE",
                   help="set a parameter (validated against the notebook's parameters cell)")
    p.add_argument("--lang", choices=("zh", "en"), help="report language")
    p.add_argument("--shop-name", help="shop or scenario name used for the output folder")
    p.add_argument("--out", help="reports folder (default: reports/)")
    p.add_argument("--timeout", type=float, default=600, help="per-cell timeout in seconds (default 600)")
    p.set_defaults(func=_report)


def _report(args) -> int:
    from ecomanalysis.report import run_notebook

    status = 0
    for name in args.notebook or DEFAULT_NOTEBOOKS:
        values = dict(args.sets)
        if args.lang:
            values["lang"] = args.lang
        result = run_notebook(
            name,
            values,
            shop=args.shop_name,
            reports_dir=Path(args.out) if args.out else None,
            texts=True,
            timeout_s=args.timeout,
            where="--set",
        )
        if result.ok:
            print(result.html_path)
        else:
            print(f"FAILED {result.notebook}: {result.error}\n  see {result.html_path}")
            status = 1
    return status
