"""One staffing plan per shop and scenario: every figure a reader sees, computed once.

::

    from ecomanalysis.plan import make_plan
    plan = make_plan()                         # the bundled sample shop, in Chinese
    plan = make_plan("my_shop.yaml", orders_per_day=800, lang="en", presale_aht_s=200)
    plan.team                                  # role_id, now, needed, peak, temps ...
    plan.next_hires                            # role_id, headcount, orders_per_day
    plan.cost_now_cny_month, plan.cost_needed_cny_month
    plan.flags                                 # what the reader must know, in plan.lang

The report notebook, the workbook, ``ecomanalysis staff`` / ``peak`` and the batch summary all
render this object; none of them recomputes a figure.
"""

from ecomanalysis.plan.build import make_plan
from ecomanalysis.plan.model import ShopPlan

__all__ = ["ShopPlan", "make_plan"]
