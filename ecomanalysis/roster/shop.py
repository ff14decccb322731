"""A shop's rosters from its plan: customer service per queue, and the warehouse packers."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ecomanalysis.roster.core import Roster, make_roster
from ecomanalysis.roster.requirement import cs_requirement, warehouse_requirement
from ecomanalysis.roster.templates import load_templates

UNITS = ("presale", "aftersale", "warehouse")
#: The plan's role whose people each unit schedules.
UNIT_ROLES = {"presale": "presale_cs", "aftersale": "aftersale_cs", "warehouse": "warehouse_keeper"}


@dataclass
class ShopRosters:
    """One roster per unit (``presale``, ``aftersale``, ``warehouse``) of one shop's plan, and
    the days they cover (``days``: day, date, orders_per_day, open_hour, event)."""

    plan: object
    rosters: dict[str, Roster]
    days: pd.DataFrame
    week: object = None
    requirements: dict[str, pd.DataFrame] = field(default_factory=dict)


def shop_rosters(plan, *, week=None, people: int | None = None, units=UNITS, seed: int = 0,
                 **options) -> ShopRosters:
    """Roster each unit of a :class:`~ecomanalysis.plan.ShopPlan` for a normal week, or for
    the week of ``week`` (a date; event days take their forecast and opening hours, and a week
    with an event is treated as one-off for the monthly overtime cap).

    ``people`` caps the permanent people of each unit; ``options`` go to
    :func:`~ecomanalysis.roster.make_roster`.
    """
    from ecomanalysis.errors import InputError

    bad = [u for u in units if u not in UNITS]
    if bad:
        raise InputError(f"unit {bad[0]!r}: expected some of {', '.join(UNITS)}")
    cs_units = tuple(u for u in units if u != "warehouse")
    reqs, days = cs_requirement(plan, week=week, queues=cs_units or ("presale",))
    reqs = {q: reqs[q] for q in cs_units}
    if "warehouse" in units:
        reqs["warehouse"] = warehouse_requirement(plan, week=week)
    interval = int(plan.std["planning_interval_s"] // 60)
    start = days["date"].iloc[0] if week is not None else None
    one_off = bool((days["event"] != "").any())
    options.setdefault("repeats", not one_off)
    rosters = {}
    for unit, req in reqs.items():
        tpl = load_templates(queue_kind="warehouse" if unit == "warehouse" else "cs")
        rosters[unit] = make_roster({unit: req}, interval_minutes=interval, templates=tpl, seed=seed,
                                    start_date=start, people=people, std=plan.std, **options)
    return ShopRosters(plan=plan, rosters=rosters, days=days, week=week, requirements=reqs)
