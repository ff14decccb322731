"""Rosters: the plan's agents per interval -> shifts and named weekly schedules within the law.

Public API::

    from ecomanalysis.roster import make_roster
    r = make_roster(requirement)          # one row per day: day, then people needed per interval
    r.assignments, r.coverage, r.paid_hours, r.status
    check_roster(r)                       # every legal limit, verified without the solver
    shop_rosters(plan)                    # pre-sale, after-sale and warehouse of a ShopPlan
    roster_section_tables(r, "zh", plan)  # display-ready tables for the shop report

Modules: ``templates`` (shift templates -> variants), ``problem`` (inputs and the law's
numbers, validated), ``aggregate`` (counting stage), ``model`` (the CP-SAT rules, one function
each), ``core`` (``make_roster``, diagnosis of shortfalls), ``check`` (independent checker),
``requirement`` (from the plan; event opening hours; warehouse cut-off), ``shop``, ``tables``.
"""

from ecomanalysis.roster.check import check_roster
from ecomanalysis.roster.core import Roster, make_roster
from ecomanalysis.roster.shop import ShopRosters, shop_rosters
from ecomanalysis.roster.tables import roster_section_tables, status_text

__all__ = ["Roster", "ShopRosters", "check_roster", "make_roster", "roster_section_tables",
           "shop_rosters", "status_text"]
