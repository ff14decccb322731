"""CLI: ``roles``, ``stages``, ``validate-data``."""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("roles", help="list the roles (岗位) of the catalogue")
    p.add_argument("--group", help="a group id or name, e.g. customer_service or 客户服务类")
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    p.set_defaults(func=_roles)

    p = sub.add_parser("stages", help="the five growth stages of seed 002")
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    p.set_defaults(func=_stages)

    p = sub.add_parser(
        "validate-data", help="check every reference table and the references between them"
    )
    p.add_argument("data_dir", nargs="?", help="folder of the tables (default: the bundled data/)")
    p.set_defaults(func=_validate)


def _print(df) -> None:
    import pandas as pd

    with pd.option_context("display.max_rows", None, "display.max_colwidth", 40, "display.width", 200):
        print(df.to_string(index=False))


def _roles(args) -> int:
    from ecomanalysis import catalog

    roles = catalog.load_roles(lang=args.lang, group=args.group)
    _print(roles[["role_id", "name", "group_name", "level", "workload_driver"]])
    print(f"\n{len(roles)} roles")
    return 0


def _stages(args) -> int:
    from ecomanalysis import catalog

    stages = catalog.load_stages(lang=args.lang)
    cols = [
        "stage_id",
        "name",
        "days_since_launch_min",
        "daily_visitors_min",
        "daily_visitors_max",
        "conversion_min",
        "conversion_max",
        "daily_orders_min",
        "daily_orders_max",
        "derived_fields",
    ]
    _print(stages[cols])
    return 0


def _validate(args) -> int:
    from ecomanalysis import catalog, config

    directory = args.data_dir or config.DATA_DIR
    problems = catalog.validate_data(directory)
    if problems:
        for line in problems:
            print(line, file=sys.stderr)
        print(f"{len(problems)} problem(s) in {directory}", file=sys.stderr)
        return 2
    print(f"ok: {len(catalog.TABLES)} tables in {directory} are valid")
    return 0
