"""Teaching material: exercise checks, a chat simulation and the course editions.

- :mod:`ecomanalysis.teaching.checks`  check functions with specific feedback (:class:`CheckResult`)
- :mod:`ecomanalysis.teaching.sim`     a day of chats, simulated (lesson L3)
- :mod:`ecomanalysis.teaching.build`   teacher / student editions in zh / en (``ecomanalysis teaching build``)

The lessons themselves are notebooks in ``notebooks/teaching/`` (see its README).
"""

from ecomanalysis.teaching.checks import (
    CheckResult,
    check_agents,
    check_budget_plan,
    check_concurrency_gain,
    check_conversion,
    check_duties_per_group,
    check_duty_quiz,
    check_extra_staff,
    check_orders_range,
    check_peak_orders,
    check_peak_traffic,
    check_role_match,
    check_roles_per_group,
    check_stage_consistency,
    check_team_size,
    check_temp_cost,
    concurrency_gain,
    extra_staff,
    keyword_match,
    plan_cost_cny,
    temp_cost_cny,
)

__all__ = [
    "CheckResult",
    "check_agents",
    "check_budget_plan",
    "check_concurrency_gain",
    "check_conversion",
    "check_duties_per_group",
    "check_duty_quiz",
    "check_extra_staff",
    "check_orders_range",
    "check_peak_orders",
    "check_peak_traffic",
    "check_role_match",
    "check_roles_per_group",
    "check_stage_consistency",
    "check_team_size",
    "check_temp_cost",
    "concurrency_gain",
    "extra_staff",
    "keyword_match",
    "plan_cost_cny",
    "temp_cost_cny",
]
