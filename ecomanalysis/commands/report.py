"""CLI: ``report`` (one notebook run -> HTML) and ``batch`` (many shops or scenarios)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ecomanalysis.commands._options import add_lang, add_out_dir
from ecomanalysis.i18n import translator

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
    add_lang(p, default=None, help="language of the report and of what is printed (default: the "
                                   "notebook's own, zh)")
    p.add_argument("--shop-name", help="shop or scenario name used for the output folder")
    add_out_dir(p, "reports folder (default: reports/)", old_out=True)
    p.add_argument("--timeout", type=float, default=600, help="per-cell timeout in seconds (default 600)")
    p.add_argument("--quiet", action="store_true", help="no progress (cell n of m) on stderr")
    p.set_defaults(func=_report)

    p = sub.add_parser("batch", help="run many shops or scenarios from a YAML batch file, as Dask "
                       "tasks on a local or remote cluster")
    p.add_argument("config", metavar="CONFIG.yaml")
    p.add_argument("--jobs", type=int, default=1,
                   help="worker processes of the local cluster (default 1; ignored with --cluster)")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--cluster", metavar="ADDRESS",
                       help="run on a running Dask scheduler, e.g. tcp://10.0.0.5:8786")
    where.add_argument("--scheduler-file", metavar="FILE",
                       help="run on the Dask scheduler described in FILE (dask scheduler --scheduler-file)")
    p.add_argument("--resume", action="store_true",
                   help="skip runs already done successfully with the same parameters and input files")
    add_out_dir(p, "reports folder (default: reports/)", old_out=True)
    p.add_argument("--ship-max-mb", type=float, default=None,
                   help="shop files up to this size (MB, together) travel with each task; larger "
                   "ones must be readable by every worker at their path (default 32)")
    p.add_argument("--lock-timeout", type=float, default=0.0,
                   help="seconds to wait for another batch on the same reports folder (default 0)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    add_lang(p, default="en", help="language of the printed summary (each run's report language "
                                   "comes from the batch file; default en)")
    p.set_defaults(func=_batch)

    p = sub.add_parser("screenshot", help="render an HTML report to PNG with headless Chromium")
    p.add_argument("html", metavar="PAGE.html")
    p.add_argument("png", metavar="OUT.png")
    p.add_argument("--width", type=int, default=1280)
    p.add_argument("--height", type=int, default=1600)
    p.set_defaults(func=_screenshot)


def _report(args) -> int:
    from ecomanalysis.bounds import check

    check("timeout_s", args.timeout, "--timeout")
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
        name = _shop_name(shop_file)  # validated before any kernel starts
        if shop_label is None:
            shop_label = name
    for name in args.notebook or DEFAULT_NOTEBOOKS:
        values = {**extra, **dict(args.sets)}
        label = shop_label
        if label is None and not values.get("shop_file") and _takes_shop_file(name):
            from ecomanalysis.shop import sample_shop_path

            label = _shop_name(sample_shop_path())  # the notebook's default: the sample shop
        if args.lang:
            if "lang" in values and str(values["lang"]) != args.lang:
                from ecomanalysis.errors import InputError

                raise InputError(f"--lang {args.lang} and --set lang={values['lang']} disagree; "
                                 "expected one language (give one of them)")
            values["lang"] = args.lang
        result = run_notebook(
            name,
            values,
            shop=label,
            reports_dir=Path(args.out_dir) if args.out_dir else None,
            texts=True,
            timeout_s=args.timeout,
            where="--set",
            progress=not args.quiet,
        )
        if result.ok:
            print(result.html_path)
            workbook = result.html_path.with_name("report.xlsx")
            if workbook.exists():
                print(workbook)
        else:
            _ = translator(args.lang or "zh")
            print(_("FAILED {notebook}: {error}", notebook=result.notebook, error=result.error)
                  + "\n  " + _("see {path}", path=result.html_path))
            status = 1
    return status


def _takes_shop_file(notebook: str) -> bool:
    from ecomanalysis.report import notebook_schema, resolve_notebook

    return "shop_file" in notebook_schema(resolve_notebook(notebook))


def _shop_name(path: Path) -> str | None:
    from ecomanalysis.shop import load_shop, shop_files

    shop = load_shop(path)  # a bad shop file is refused here, before any kernel starts
    shop_files(shop)  # and so is a bad export it lists (file, row, column): exit 2, no run folder
    return shop.name


def _batch(args) -> int:
    from ecomanalysis.bounds import check_all
    from ecomanalysis.errors import InputError
    from ecomanalysis.report.batch import SHIP_MAX_BYTES, run_batch, summary_table

    check_all([("jobs", args.jobs, "--jobs"), ("lock_timeout_s", args.lock_timeout, "--lock-timeout")])
    ship = SHIP_MAX_BYTES
    if args.ship_max_mb is not None:
        if not 0 <= args.ship_max_mb <= 1024:
            raise InputError(f"--ship-max-mb {args.ship_max_mb:g}: expected a size in MB in [0, 1024]")
        ship = int(args.ship_max_mb * 2**20)
    records = run_batch(
        args.config, jobs=args.jobs, resume=args.resume,
        reports_dir=Path(args.out_dir) if args.out_dir else None,
        progress=not args.quiet, lock_timeout_s=args.lock_timeout,
        cluster=args.cluster, scheduler_file=args.scheduler_file, ship_max_bytes=ship,
        lang=args.lang,
    )
    print(summary_table(records, args.lang))
    if records.interrupted:
        return 130
    return 1 if any(r["status"] == "failed" for r in records) else 0


def _screenshot(args) -> int:
    from ecomanalysis.bounds import check_all
    from ecomanalysis.report.browser import screenshot

    check_all([("screenshot_px", args.width, "--width"), ("screenshot_px", args.height, "--height")])

    print(screenshot(args.html, args.png, width=args.width, height=args.height))
    return 0
