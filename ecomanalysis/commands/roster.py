"""CLI: ``roster`` (named weekly rosters from a shop's plan, within the labour law).

Examples::

    ecomanalysis roster --shop data/shops/sample.yaml
    ecomanalysis roster --shop data/shops/sample.yaml --week 2026-11-09 -o roster.xlsx
    ecomanalysis roster --shop data/shops/sample.yaml --people 4 --unit presale --lang en
"""

from __future__ import annotations

import argparse

from ecomanalysis.commands._options import add_lang
from ecomanalysis.errors import InputError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("roster", help="named weekly rosters within the labour law (排班)",
                       description="Shifts, rest days and breaks for customer service and the "
                                   "warehouse, from the shop's plan, at least cost within the law.")
    p.add_argument("--shop", metavar="FILE.yaml", help="a shop profile (default: the sample shop)")
    p.add_argument("--week", metavar="DATE",
                   help="roster the Monday-Sunday week of this date (event days take their "
                        "forecast and opening hours); default: a normal week")
    p.add_argument("--people", type=int, metavar="N",
                   help="at most N permanent people per unit (shortfalls are then explained)")
    p.add_argument("--unit", action="append", choices=("presale", "aftersale", "warehouse"),
                   help="unit to roster (repeatable; default: all three)")
    p.add_argument("--seed", type=int, default=0, help="solver seed (default 0)")
    add_lang(p)
    p.add_argument("-o", "--out", metavar="roster.xlsx", help="write the tables to a workbook (atomic)")
    p.set_defaults(func=_roster)


def _roster(args) -> int:
    import pandas as pd

    from ecomanalysis.plan import make_plan
    from ecomanalysis.roster.shop import shop_rosters
    from ecomanalysis.roster.tables import roster_section_tables, text

    if args.people is not None and args.people < 0:
        raise InputError(f"--people has {args.people}; expected a whole number of people >= 0")
    if args.out and not str(args.out).lower().endswith(".xlsx"):
        raise InputError(f"-o has {args.out!r}; expected a workbook path ending in .xlsx")
    if args.week is not None:
        from ecomanalysis.roster.requirement import week_dates

        week_dates(args.week)  # a bad date fails before the plan is built
    plan = make_plan(args.shop, lang=args.lang, peak=args.week is not None)
    res = shop_rosters(plan, week=args.week, people=args.people,
                       units=tuple(args.unit or ("presale", "aftersale", "warehouse")), seed=args.seed)
    t = text(args.lang)
    tables = {}
    with pd.option_context("display.max_rows", None, "display.width", 250, "display.max_colwidth", 40):
        for unit, r in res.rosters.items():
            tabs = roster_section_tables(r, args.lang, plan if unit != "warehouse" else None)
            print(f"== {t.get(unit, unit)}: {t.get(r.status, r.status)}")
            print(tabs["summary"].to_string(index=False))
            print(tabs["roster"].to_string(index=False))
            print()
            tables.update({f"{unit}_{k}": v for k, v in tabs.items()})
    if args.out:
        _write_xlsx(args.out, tables)
        from ecomanalysis.i18n import translator

        _ = translator(args.lang)
        print(_("written: {out}", out=args.out))
    short = any(not r.covered for r in res.rosters.values())
    return 1 if short else 0


def _write_xlsx(path, tables) -> None:
    import pandas as pd

    from ecomanalysis._io import atomic_open

    with atomic_open(path, "wb") as fh, pd.ExcelWriter(fh, engine="openpyxl") as xw:
        for name, df in tables.items():
            df.to_excel(xw, sheet_name=name[:31], index=False)
