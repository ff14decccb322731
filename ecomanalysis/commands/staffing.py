"""CLI: ``staff`` (people per role at an order level) and ``triggers`` (when each hire comes).

Examples::

    ecomanalysis staff --orders 250
    ecomanalysis staff --shop data/shops/sample.yaml --set presale_aht_s=200 --lang en
    ecomanalysis staff --list-standards
    ecomanalysis triggers --max-orders 1000 --shop data/shops/sample.yaml -o triggers.csv
"""

from __future__ import annotations

import argparse

from ecomanalysis.commands._options import add_lang, add_output_file
from ecomanalysis.errors import InputError
from ecomanalysis.i18n import N_

#: Printed headers (column -> msgid); the -o CSV keeps the column ids.
STAFF_HEADERS = {"role_id": N_("Role id"), "name": N_("Role"), "covered_by": N_("Done by")}
TRIGGER_HEADERS = {"role_id": N_("Role id"), "name": N_("Role"),
                   "headcount": N_("Headcount after the hire"),
                   "orders_per_day": N_("At orders per day")}
STANDARD_HEADERS = {"standard_id": N_("Standard"), "value": N_("Value"), "low": N_("Low"),
                    "high": N_("High"), "unit": N_("Unit"), "category": N_("Kind")}
#: Kinds of standard (data/standards.csv ``category``) in words.
STANDARD_KINDS = {"driver": N_("driver"), "cross_check": N_("cross-check"), "lag": N_("lag"),
                  "intake": N_("intake"), "cs": N_("customer service"),
                  "warehouse": N_("warehouse"), "content": N_("content"), "time": N_("time"),
                  "threshold": N_("threshold"), "span": N_("span of control"),
                  "wage": N_("wage"), "peak": N_("peak"), "simulation": N_("simulation"),
                  "roster": N_("roster")}
#: Units of data/standards.csv in words (a unit not listed is shown as written).
STANDARD_UNITS = {u: u for u in (
    N_("fraction"), N_("CNY"), N_("SKUs per order/day"), N_("fraction per month"),
    N_("campaigns per month"), N_("contacts per order"), N_("contacts per return"), N_("days"),
    N_("s"), N_("chats"), N_("hour of day"), N_("chats per agent-day"), N_("multiplier"),
    N_("orders per person-hour"), N_("min per return"), N_("listings per week"),
    N_("h per campaign"), N_("h per SKU per month"), N_("h per listing"),
    N_("CNY per FTE-month"), N_("min per order"), N_("h per day"), N_("days per month"),
    N_("FTE"), N_("orders per day"), N_("agents per supervisor"), N_("people per supervisor"),
    N_("supervisors per manager"), N_("employees per HR/admin FTE"), N_("CNY/month"),
    N_("fraction of wage"), N_("people"), N_("h per month"), N_("sd / mean"),
    N_("h per week"), N_("days per week"), N_("h"), N_("min"))}


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--shop", metavar="FILE.yaml", help="a shop profile (e.g. data/shops/sample.yaml)")
    p.add_argument("--set", dest="sets", action="append", default=[], metavar="STANDARD=VALUE",
                   help="override a standard of data/standards.csv (repeatable)")
    p.add_argument("--category", help="product category (selects the return rate)")
    p.add_argument("--city-tier", choices=("tier1", "tier2", "tier3"), help="selects the wage bands")
    add_lang(p)
    add_output_file(p, "OUT.csv", old_out=True, help="also write the table as CSV (atomic)")


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


def _write(args, df) -> None:
    if args.output:
        from ecomanalysis._io import write_csv
        from ecomanalysis.i18n import translator

        write_csv(args.output, df)
        _ = translator(args.lang)
        print("\n" + _("written: {out}", out=args.output))


def _list_standards(lang: str) -> int:
    from ecomanalysis import catalog
    from ecomanalysis.commands._text import print_table
    from ecomanalysis.i18n import translator

    _ = translator(lang)
    st = catalog.load_standards()[list(STANDARD_HEADERS)]
    st = st.assign(unit=[_(STANDARD_UNITS[u]) if u in STANDARD_UNITS else u for u in st["unit"]],
                   category=[_(STANDARD_KINDS[k]) if k in STANDARD_KINDS else k
                             for k in st["category"]])
    print_table(st, lang, STANDARD_HEADERS)
    return 0


def _staff(args) -> int:
    """The shop's plan (normal days) on the terminal: the same figures as its report."""
    if args.list_standards:
        return _list_standards(args.lang)
    from ecomanalysis import staffing
    from ecomanalysis.bounds import check_all
    from ecomanalysis.commands._text import category, city_tier, print_table
    from ecomanalysis.i18n import translator
    from ecomanalysis.plan import make_plan
    from ecomanalysis.shop import load_shop, parse_shop
    from ecomanalysis.workload import check_overrides

    check_all([("orders_per_day", args.orders, "--orders")])
    if args.orders is None and not args.shop:
        raise InputError("--orders is missing; give --orders N (orders per day) or --shop FILE.yaml")
    overrides = check_overrides(parse_sets(args.sets), where="--set")
    shop = load_shop(args.shop) if args.shop else parse_shop({"name": "-", "team": {}})
    shop = shop.model_copy(update={k: v for k, v in (("category", args.category),
                                                     ("city_tier", args.city_tier)) if v})
    plan = make_plan(shop, orders_per_day=args.orders, lang=args.lang, peak=False, **overrides)
    _ = translator(args.lang)
    t = plan.team.sort_values(["needed", "fte"], ascending=False, kind="stable")
    names = dict(zip(plan.team["role_id"], plan.team["name"], strict=True))
    shown = t[["role_id", "name", "now", "needed", "gap", "fte", "covered_by"]].assign(
        fte=t["fte"].round(2), covered_by=[names.get(r, r) if r else r for r in t["covered_by"]])
    title = f"{shop.name} · " if args.shop else ""
    print(f"{title}{_('orders per day')} {plan.orders_per_day:g} · "
          f"{category(plan.std.category, args.lang)} · {city_tier(plan.std.city_tier, args.lang)}\n")
    print_table(shown, args.lang, STAFF_HEADERS)
    print("\n" + _("total: now {now} · needed {needed} · FTE {fte}", now=plan.team_now,
                    needed=plan.team_needed, fte=f"{t['fte'].sum():.1f}"))
    if plan.orders_per_day > 0:
        print(_("labour cost/month: now {now} CNY · needed {needed} CNY · {share} of sales",
                now=f"{plan.cost_now_cny_month:,.0f}", needed=f"{plan.cost_needed_cny_month:,.0f}",
                share=f"{plan.labour_share:.1%}"))
    stage = plan.stage
    nxt = (_("; next stage from {orders} orders/day", orders=f"{stage.next_stage_orders:g}")
           if stage.next_stage_orders else "")
    print(_("stage {n}: {name}", n=stage.stage_id, name=stage.name) + nxt)
    for flag in plan.flags:
        print("! " + flag)
    _write(args, plan.team.assign(orders_per_day=plan.orders_per_day))
    del staffing
    return 0


def _triggers(args) -> int:
    from ecomanalysis import staffing
    from ecomanalysis.bounds import check
    from ecomanalysis.commands._text import category, city_tier, print_table

    check("triggers_max_orders_per_day", args.max_orders, "--max-orders")
    shop, std = _context(args)
    trig = staffing.hire_triggers(args.max_orders, std=std, lang=args.lang)
    title = f"{shop.name} · " if shop is not None else ""
    print(f"{title}0-{args.max_orders:g} {_orders_label(args.lang)} · "
          f"{category(std.category, args.lang)} · {city_tier(std.city_tier, args.lang)}\n")
    print_table(trig, args.lang, TRIGGER_HEADERS)
    _write(args, trig)
    return 0


def _orders_label(lang: str) -> str:
    from ecomanalysis.i18n import translator

    _ = translator(lang)
    return _("orders per day")
