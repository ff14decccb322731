"""The :class:`ShopPlan`: every figure a reader of a shop's report sees, computed once."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

#: Columns of :attr:`ShopPlan.team`.
TEAM_COLUMNS = ["role_id", "name", "group_id", "now", "needed", "gap", "fte", "next_stage",
                "peak", "permanent", "temps", "day_scaling", "wage_cny_month", "covered_by"]
#: Columns of :attr:`ShopPlan.next_hires`.
HIRE_COLUMNS = ["role_id", "name", "headcount", "hires", "orders_per_day", "when"]
#: Columns of :attr:`ShopPlan.cs`.
CS_COLUMNS = ["queue", "interval_start_h", "chats", "agents", "staffed", "service_level",
              "occupancy", "mean_chats_held"]
#: Columns of :attr:`ShopPlan.cost`.
COST_COLUMNS = ["role_id", "name", "now", "cost_now_cny_month", "needed",
                "cost_needed_cny_month", "imputed"]


@dataclass
class ShopPlan:
    """One shop's staffing plan for one scenario; build it with
    :func:`ecomanalysis.plan.make_plan`.

    Attributes
    ----------
    shop, std, lang
        The shop profile, the standards in force (scenario overrides included) and the
        language of every text.
    orders_per_day, orders_basis
        The order level planned for and where it comes from (``scenario``, ``profile`` or the
        order file).
    stage
        :class:`ecomanalysis.staffing.StageInfo` at that level.
    team
        One row per role (:data:`TEAM_COLUMNS`): people ``now``, ``needed`` on normal days,
        ``next_stage`` (needed at the next stage's order level), ``peak`` (the peak day;
        roles that do not scale with a day's orders keep their normal need), ``permanent``
        (the larger of now and needed: the team that goes into the peak), ``temps``
        (``max(0, peak - permanent)``), ``covered_by`` (who does a role's work while it has no
        person of its own).
    next_hires
        :data:`HIRE_COLUMNS`: hires ``now`` (the gap) and the next hire of each role above
        the team the shop has (``when == "later"``, at ``orders_per_day``).
    cs, cs_hourly
        Customer service per planning interval (:data:`CS_COLUMNS`) and per hour.
    warehouse
        One row of :func:`ecomanalysis.staffing.warehouse_breakdown`.
    cost
        :data:`COST_COLUMNS`, one row per role with a cost now or needed; ``imputed`` marks
        work the unpaid owner does, valued at the role's wage.
    cost_now_cny_month, cost_needed_cny_month
        Sums of :attr:`cost` (imputed owner work included).
    labour_share
        Needed cost over monthly revenue.
    peak
        :class:`ecomanalysis.forecast.peak.PeakPlan` or None (``peak_error`` says why).
    history_end, as_of
        The last day of the shop's order history (None without one) and the plan date.
    flags
        Short texts in :attr:`lang`: what the reader must know about the plan.
    data_notes
        How the shop's exports were read (the intake's notes; they quote the export's own
        column names and values).
    steps
        Order levels ahead (up to +10 %) where the team grows by more than two people, with
        the roles that grow.
    """

    shop: Any
    std: Any
    lang: str
    orders_per_day: float
    orders_basis: str
    stage: Any
    team: pd.DataFrame
    next_hires: pd.DataFrame
    cs: pd.DataFrame
    cs_hourly: pd.DataFrame
    warehouse: pd.Series
    cost: pd.DataFrame
    cost_now_cny_month: float
    cost_needed_cny_month: float
    revenue_cny_month: float
    labour_share: float
    peak: Any
    peak_error: str
    history_end: pd.Timestamp | None
    as_of: pd.Timestamp
    shape_source: str
    flags: list[str] = field(default_factory=list)
    data_notes: list[str] = field(default_factory=list)
    steps: pd.DataFrame = field(default_factory=pd.DataFrame)
    scenario: dict[str, Any] = field(default_factory=dict)

    # ------------------------------------------------------------------ totals
    @property
    def team_now(self) -> int:
        return int(self.team["now"].sum())

    @property
    def team_needed(self) -> int:
        return int(self.team["needed"].sum())

    @property
    def hires_now(self) -> int:
        return int(self.team["gap"].clip(lower=0).sum())

    @property
    def temps_total(self) -> int:
        return int(self.team["temps"].sum())

    @property
    def peak_cost_temps_cny(self) -> float:
        if self.peak is None or not len(self.peak.overtime_vs_temps):
            return 0.0
        return float(self.peak.overtime_vs_temps["cost_temps_only_cny"].sum())

    @property
    def hire_by(self) -> pd.Timestamp | None:
        return None if self.peak is None else self.peak.hire_by_date

    def metrics(self) -> dict[str, dict[str, Any]]:
        """Key figures for ``metrics.json`` and the batch summary: ``name -> {value, unit,
        label_zh, label_en}``."""
        from ecomanalysis.i18n import N_, translator

        zh, en = translator("zh"), translator("en")
        hb = self.hire_by
        rows = [
            ("orders_per_day", round(self.orders_per_day, 1), "orders/day", N_("orders per day")),
            ("stage", int(self.stage.stage_id), "", N_("growth stage")),
            ("team_now", self.team_now, "people", N_("team now")),
            ("team_needed", self.team_needed, "people", N_("team needed")),
            ("hires_needed", self.hires_now, "people", N_("hires needed now")),
            ("cost_now_cny_month", round(self.cost_now_cny_month), "CNY/month", N_("labour cost now")),
            ("cost_needed_cny_month", round(self.cost_needed_cny_month), "CNY/month",
             N_("labour cost needed")),
            ("labour_share", round(self.labour_share, 4), "share", N_("labour share of revenue")),
            ("peak_temps", self.temps_total, "people", N_("temporary staff at the peak")),
            ("peak_cost_temps_cny", round(self.peak_cost_temps_cny), "CNY", N_("cost of the temps")),
            ("peak_hire_by", "" if hb is None else f"{hb:%Y-%m-%d}", "", N_("start hiring temps by")),
            ("flags", len(self.flags), "", N_("flags")),
        ]
        if self.peak is not None:
            rows += [
                ("peak_date", f"{self.peak.peak_date:%Y-%m-%d}", "", N_("peak day")),
                ("peak_orders", round(float(self.peak.peak_orders)), "orders/day",
                 N_("orders on the peak day")),
                ("peak_sl_permanent", round(float(self.peak.service_level_permanent), 3),
                 "share", N_("service level, permanent team alone")),
                ("peak_sl_with_temps", round(float(self.peak.service_level_with_temps), 3),
                 "share", N_("service level with the temps")),
            ]
        return {name: {"value": value, "unit": unit, "label_zh": zh(label), "label_en": en(label)}
                for name, value, unit, label in rows}
