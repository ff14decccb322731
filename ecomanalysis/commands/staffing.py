"""CLI: ``staff`` (people per role at an order level) and ``triggers`` (when each hire comes).

Examples::

    ecomanalysis staff --orders 250
    ecomanalysis staff --shop data/shops/sample.yaml --set presale_aht_s=200 --lang en
    ecomanalysis staff --list-standards
    ecomanalysis triggers --max-orders 1000 --shop data/shops/sample.yaml -o triggers.csv
"""

from __future__ import annotations

import argparse

from ecomanalysis.errors import InputError


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--shop", metavar="FILE.yaml", help="a shop profile (e.g. data/shops/sample.yaml)")
    p.add_argument("--set", dest="sets", action="append", default=[], metavar="STANDARD=VALUE",
                   help="override a standard of data/standards.csv (repeatable)")
    p.add_argument("--category", help="product category (selects the return rate)")
    p.add_argument("--city-tier", choices=("tier1", "tier2", "tier3"), help="selects the wage bands")
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    p.add_argument("-o", "--out", metavar="OUT.csv", help="also write the table as CSV (atomic)")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("staff", help="people per role at an order level (人员配置)",
                       description="Hours, FTE and headcount per role from the workload model.")
    p.add_argument("--orders", type=float, metavar="N",
                   help="orders per day (default: the shop's current level)")
    p.add_argument("--list-standards", action="store_true",
                   help="list every standard (id, value, range, unit) and exit")
    _common(p)
    p.set_defaults(func=_staff)

    p = sub.add_parser("triggers", help="the order level at which each hire comes (招聘触发点)",
                       description="For each role, the orders per day at which its headcount "
                                   "first reaches 1, 2, 3 ...")
    p.add_argument("--max-orders", type=float, default=1000, metavar="N",
                   help="highest order level to scan (default 1000)")
    _common(p)
    p.set_defaults(func=_triggers)


def parse_sets(items: list[str]) -> dict[str, str]:
    """``["a=1", "b=2"]`` -> ``{"a": "1", "b": "2"}``; values are checked by the model."""
    out: dict[str, str] = {}
    problems = []
    for item in items:
        key, sep, value = item.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key or not value:
            problems.append(f"--set {item!r}: expected STANDARD=VALUE, e.g. --set presale_aht_s=200")
            continue
        out[key] = value
    if problems:
        raise InputError("\n".join(problems), problems)
    return out


def _context(args):
    from ecomanalysis import staffing
    from ecomanalysis.shop import load_shop
    from ecomanalysis.workload import check_overrides

    shop = load_shop(args.shop) if args.shop else None
    overrides = check_overrides(parse_sets(args.sets), where="--set")
    std = staffing.standards(shop, category=args.category, city_tier=args.city_tier, **overrides)
    return shop, std


def _print(df) -> None:
    import pandas as pd

    with pd.option_context("display.max_rows", None, "display.max_colwidth", 40, "display.width", 200):
        print(df.to_string(index=False))


def _write(args, df) -> None:
    if args.out:
        from ecomanalysis._io import write_csv

        write_csv(args.out, df)
        print(f"\nwritten: {args.out}")


def _list_standards() -> int:
    from ecomanalysis import catalog

    st = catalog.load_standards()
    _print(st[["standard_id", "value", "low", "high", "unit", "category"]])
    return 0


_T = {
    "zh": {"orders": "日订单量", "total": "合计", "stage": "阶段", "cost": "月人工成本",
           "per_order": "单均人工成本", "share": "占销售额", "absorbed": "未设专人、由他人兼做的工时",
           "h_day": "小时/天", "between": "(介于两个阶段之间)", "next": "下一阶段从日订单"},
    "en": {"orders": "orders/day", "total": "total", "stage": "stage", "cost": "labour cost/month",
           "per_order": "labour cost per order", "share": "of sales", "absorbed":
           "hours done on the side by others (no person of its own yet)", "h_day": "h/day",
           "between": "(between two stages)", "next": "next stage from"},
}


def _staff(args) -> int:
    if args.list_standards:
        return _list_standards()
    from ecomanalysis import staffing
    from ecomanalysis.bounds import check_all

    check_all([("orders_per_day", args.orders, "--orders")])
    shop, std = _context(args)
    if args.orders is None and shop is None:
        raise InputError("--orders is missing; give --orders N (orders per day) or --shop FILE.yaml")
    orders = args.orders if args.orders is not None else staffing.current_orders(shop, std)
    t = _T[args.lang]
    req = staffing.requirements(orders, std=std, lang=args.lang)
    shown = req[(req["headcount"] > 0) | (req["hours_per_day"] > 0)]
    table = shown[["role_id", "name", "hours_per_day", "fte", "headcount", "absorbed_by"]].copy()
    table["hours_per_day"] = table["hours_per_day"].round(1)
    table["fte"] = table["fte"].round(2)
    table["absorbed_by"] = table["absorbed_by"].where(table["headcount"] == 0, "")
    table = table.sort_values(["headcount", "fte"], ascending=False, kind="stable")
    title = f"{shop.name} · " if shop is not None else ""
    print(f"{title}{t['orders']} {orders:g} · {std.category} · {std.city_tier}\n")
    _print(table)
    cost = staffing.labour_cost(None, std=std, req=req).iloc[0]
    print(f"\n{t['total']}: {int(req['headcount'].sum())} · FTE {req['fte'].sum():.1f}")
    absorbed = req["absorbed_hours_per_day"].sum()
    if absorbed > 0:
        print(f"{t['absorbed']}: {absorbed:.1f} {t['h_day']}")
    if orders > 0:
        print(f"{t['cost']}: {cost['cost_cny_month']:,.0f} CNY · {t['per_order']}: "
              f"{cost['cost_per_order_cny']:.2f} CNY · {cost['labour_share']:.1%} {t['share']}")
    stage = staffing.stage_of(shop, orders_per_day=orders, lang=args.lang) if shop is not None else \
        staffing.stage_of(orders_per_day=orders, lang=args.lang)
    nxt = (f"; {t['next']} {stage.next_stage_orders:g}" if stage.next_stage_orders else "")
    print(f"{t['stage']} {stage.stage_id}: {stage.name}{' ' + t['between'] if stage.between else ''}{nxt}")
    _write(args, req)
    return 0


def _triggers(args) -> int:
    from ecomanalysis import staffing
    from ecomanalysis.bounds import check

    check("triggers_max_orders_per_day", args.max_orders, "--max-orders")
    shop, std = _context(args)
    trig = staffing.hire_triggers(args.max_orders, std=std, lang=args.lang)
    title = f"{shop.name} · " if shop is not None else ""
    print(f"{title}0-{args.max_orders:g} {_T[args.lang]['orders']} · {std.category} · {std.city_tier}\n")
    _print(trig)
    _write(args, trig)
    return 0
