"""Rosters: the plan's agents per interval -> shifts and named weekly schedules within the law.

Public API::

    from ecomanalysis.roster import make_roster
    r = make_roster(requirement)          # one row per day: day, then people needed per interval
    r.assignments, r.coverage, r.paid_hours, r.status
    check_roster(r)                       # every legal limit, verified without the solver
    roster_section_tables(r, "zh")        # display-ready tables for the shop report
"""

from ecomanalysis.roster.core import Roster, make_roster

__all__ = ["Roster", "make_roster"]
