"""CLI: ``roles``, ``stages``, ``validate-data``."""

from __future__ import annotations

import argparse
import sys

from ecomanalysis.commands._options import add_lang
from ecomanalysis.i18n import N_, translator

#: Printed headers of the role and stage tables (column -> msgid).
ROLE_HEADERS = {"role_id": N_("Role id"), "name": N_("Role"), "group_name": N_("Group"),
                "level": N_("Level"), "workload_driver": N_("Workload grows with")}
LEVELS = {"owner": N_("owner"), "manager": N_("manager"), "supervisor": N_("supervisor"),
          "specialist": N_("specialist"), "assistant": N_("assistant")}
DRIVERS = {"fixed": N_("fixed"), "team_size": N_("team size"), "listings": N_("new listings"),
           "orders": N_("orders"), "skus": N_("products (SKUs)"), "revenue": N_("sales"),
           "presale_chats": N_("pre-sale chats"), "aftersale_contacts": N_("after-sale contacts"),
           "campaigns": N_("campaigns")}
STAGE_HEADERS = {"stage_id": N_("Stage"), "name": N_("Name"),
                 "days_since_launch_min": N_("From day"),
                 "daily_visitors_min": N_("Visitors per day, low"),
                 "daily_visitors_max": N_("Visitors per day, high"),
                 "conversion_min": N_("Conversion, low"), "conversion_max": N_("Conversion, high"),
                 "daily_orders_min": N_("Orders per day, low"),
                 "daily_orders_max": N_("Orders per day, high"),
                 "derived_fields": N_("Derived fields (column ids)")}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("roles", help="list the roles (岗位) of the catalogue")
    p.add_argument("--group", help="a group id or name, e.g. customer_service or 客户服务类")
    add_lang(p)
    p.set_defaults(func=_roles)

    p = sub.add_parser("stages", help="the five growth stages of seed 002")
    add_lang(p)
    p.set_defaults(func=_stages)

    p = sub.add_parser(
        "validate-data", help="check every reference table and the references between them"
    )
    p.add_argument("data_dir", nargs="?", help="folder of the tables (default: the bundled data/)")
    add_lang(p, default="en")
    p.set_defaults(func=_validate)


def _roles(args) -> int:
    from ecomanalysis import catalog
    from ecomanalysis.commands._text import print_table

    _ = translator(args.lang)
    roles = catalog.load_roles(lang=args.lang, group=args.group)
    shown = roles[list(ROLE_HEADERS)].assign(
        level=[_(LEVELS[v]) if v in LEVELS else v for v in roles["level"]],
        workload_driver=[_(DRIVERS[v]) if v in DRIVERS else v for v in roles["workload_driver"]])
    print_table(shown, args.lang, ROLE_HEADERS)
    print("\n" + _("{n} roles", n=len(roles)))
    return 0


def _stages(args) -> int:
    from ecomanalysis import catalog
    from ecomanalysis.commands._text import print_table

    stages = catalog.load_stages(lang=args.lang)
    print_table(stages[list(STAGE_HEADERS)], args.lang, STAGE_HEADERS)
    return 0


def _validate(args) -> int:
    from ecomanalysis import catalog, config

    directory = args.data_dir or config.DATA_DIR
    _ = translator(args.lang)
    problems = catalog.validate_data(directory)
    if problems:
        for line in problems:
            print(line, file=sys.stderr)
        print(_("{n} problem(s) in {folder}", n=len(problems), folder=directory), file=sys.stderr)
        return 2
    print(_("ok: {n} tables in {folder} are valid", n=len(catalog.TABLES), folder=directory))
    return 0
