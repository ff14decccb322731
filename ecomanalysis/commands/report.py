"""CLI: ``report`` (one notebook run -> HTML) and ``batch`` (many shops or scenarios)."""

from __future__ import annotations

import argparse
from pathlib import Path

#: The main job on the bundled example: what ``make report`` runs.
DEFAULT_NOTEBOOKS = ("shop_report",)


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
    p.add_argument("--shop", metavar="FILE.yaml",
                   help="a shop profile (YAML); passed to the notebook as its shop_file parameter")
    p.add_argument("--lang", choices=("zh", "en"), help="report language")
    p.add_argument("--shop-name", help="shop or scenario name used for the output folder")
    p.add_argument("--out", help="reports folder (default: reports/)")
    p.add_argument("--timeout", type=float, default=600, help="per-cell timeout in seconds (default 600)")
    p.set_defaults(func=_report)

    p = sub.add_parser("batch", help="run many shops or scenarios from a YAML batch file")
    p.add_argument("config", metavar="CONFIG.yaml")
    p.add_argument("--jobs", type=int, default=1, help="parallel worker processes (default 1)")
    p.add_argument("--resume", action="store_true",
                   help="skip runs already done successfully with the same parameters")
    p.add_argument("--out", help="reports folder (default: reports/)")
    p.add_argument("--lock-timeout", type=float, default=0.0,
                   help="seconds to wait for another batch on the same reports folder (default 0)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_batch)

    p = sub.add_parser("screenshot", help="render an HTML report to PNG with headless Chromium")
    p.add_argument("html", metavar="PAGE.html")
    p.add_argument("png", metavar="OUT.png")
    p.add_argument("--width", type=int, default=1280)
    p.add_argument("--height", type=int, default=1600)
    p.set_defaults(func=_screenshot)


def _report(args) -> int:
    from ecomanalysis.report import run_notebook

    status = 0
    shop_label = args.shop_name
    extra = {}
    if args.shop:
        shop_file = Path(args.shop).resolve()
        if not shop_file.is_file():
            from ecomanalysis.errors import InputError

            raise InputError(f"--shop {args.shop}: file not found")
        extra["shop_file"] = str(shop_file)
        if shop_label is None:
            shop_label = _shop_name(shop_file)
    for name in args.notebook or DEFAULT_NOTEBOOKS:
        values = {**extra, **dict(args.sets)}
        label = shop_label
        if label is None and not values.get("shop_file") and _takes_shop_file(name):
            from ecomanalysis.shop import sample_shop_path

            label = _shop_name(sample_shop_path())  # the notebook's default: the sample shop
        if args.lang:
            values["lang"] = args.lang
        result = run_notebook(
            name,
            values,
            shop=label,
            reports_dir=Path(args.out) if args.out else None,
            texts=True,
            timeout_s=args.timeout,
            where="--set",
        )
        if result.ok:
            print(result.html_path)
            workbook = result.html_path.with_name("report.xlsx")
            if workbook.exists():
                print(workbook)
        else:
            print(f"FAILED {result.notebook}: {result.error}\n  see {result.html_path}")
            status = 1
    return status


def _takes_shop_file(notebook: str) -> bool:
    from ecomanalysis.report import notebook_schema, resolve_notebook

    return "shop_file" in notebook_schema(resolve_notebook(notebook))


def _shop_name(path: Path) -> str | None:
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError:
        return None  # the notebook's own validation reports it
    return str(data["name"]) if isinstance(data, dict) and data.get("name") else None


def _batch(args) -> int:
    from ecomanalysis.report.batch import run_batch, summary_table

    records = run_batch(
        args.config, jobs=args.jobs, resume=args.resume,
        reports_dir=Path(args.out) if args.out else None,
        progress=not args.quiet, lock_timeout_s=args.lock_timeout,
    )
    print(summary_table(records))
    return 1 if any(r["status"] == "failed" for r in records) else 0


def _screenshot(args) -> int:
    from ecomanalysis.report.browser import screenshot

    print(screenshot(args.html, args.png, width=args.width, height=args.height))
    return 0
