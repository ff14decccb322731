"""Pay of a roster's shifts in normal-wage hours, under the law's multipliers.

Used by :mod:`ecomanalysis.roster.core` (a roster's cost) and :mod:`ecomanalysis.roster.tables`
(cost per person); it imports neither, so both import it one way.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def wage_hours(asg: pd.DataFrame, law) -> float:
    """Pay of the shifts ``asg`` (rows like ``Roster.assignments``) in normal-wage hours."""
    if asg.empty:
        return 0.0
    base = np.where(asg["contract"] == "temp", law["temp_mult"],
                    np.where(asg["contract"] == "part_time", law["pt_mult"], 1.0))
    hol = np.where(asg["day_type"] == "holiday", law["ot_mult_holiday"], 1.0)
    ft = (asg["contract"] == "full_time").to_numpy()
    reg = asg["paid_h"] - asg["overtime_h"]
    ft_cost = reg + asg["overtime_h"] * asg["pay_multiplier"]
    other = asg["paid_h"] * base * hol
    return float(np.where(ft, ft_cost, other).sum())
