"""What-if: a shop's plan recomputed live as its inputs change (notebook ``08_what_if``).

The full plan (:func:`ecomanalysis.plan.make_plan`) fits the peak forecast to the shop's order
history, which takes seconds.  A what-if keeps that fit fixed: the plan is built once, and
each change recomputes only what the changed inputs touch, with the plan's own building blocks
(:mod:`ecomanalysis.plan.build`):

- the standards in force with the chosen values (orders per day, city tier, category, every
  standard of ``data/standards.csv`` that has a range);
- the team per role at that level (one call of the staffing model);
- customer service per interval and per hour;
- the peak: the forecast days of the baseline and peak windows are *rescaled*, not refitted:
  ``orders_d' = s * (b + (f_d - b) * k)`` with ``s`` = new orders per day / the plan's, ``b``
  the forecast's baseline (normal day), ``f_d`` the forecast day and
  ``k = (uplift' - 1) / (uplift - 1)`` for a chosen peak uplift (peak day / normal day).  At
  the plan's own values this is the identity, so the what-if starts from exactly the plan's
  figures (``tests/test_what_if.py`` checks it); the staffing model then sizes those days;
- the monthly cost now and needed.

A scenario is saved as a shop YAML (the shop with the chosen values; ``ecomanalysis report
--shop`` runs it) and optionally a batch entry (``ecomanalysis batch``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pandas as pd
import yaml

from ecomanalysis import staffing, workload
from ecomanalysis.errors import InputError

#: The inputs an analyst asks about first (shown above the others), in this order.
KEY_STANDARDS = ("presale_inquiry_rate", "presale_aht_s", "aftersale_aht_s",
                 "presale_concurrency", "aftersale_concurrency", "cs_answer_within_s",
                 "cs_open_hour", "cs_close_hour")
#: Units whose sliders move in whole steps.
WHOLE_STEP_UNITS = ("chats", "hour of day", "days", "s", "min per return", "campaigns per month",
                    "orders per day", "agents per supervisor", "people per supervisor",
                    "supervisors per manager", "CNY", "CNY per FTE-month")
#: Number of slider steps across a standard's range (fractions and other continuous values).
SLIDER_STEPS = 100
#: Standards categories never offered as sliders: cross-checks do not change the plan.
NO_SLIDER_CATEGORIES = ("cross_check",)
#: Columns of :attr:`WhatIfResult.team`.
TEAM_COLUMNS = ["role_id", "name", "now", "needed", "peak", "permanent", "temps",
                "wage_cny_month"]
#: Units of :meth:`WhatIfResult.metrics`.
METRIC_UNITS = {"orders_per_day": "orders/day", "team_needed": "people",
                "cost_needed_cny_month": "CNY/month", "peak_orders": "orders/day",
                "temps_total": "people", "max_agents_per_hour": "agents"}


@dataclass(frozen=True)
class Slider:
    """One standard as a slider: its value in force, its range from ``standards.csv``."""

    standard_id: str
    value: float
    low: float
    high: float
    step: float
    unit: str
    label: str
    category: str
    whole: bool


def _step(low: float, high: float, unit: str, whole: bool) -> float:
    if whole:
        return 1.0
    span = high - low
    return float(10 ** math.floor(math.log10(span / SLIDER_STEPS))) if span > 0 else 1.0


def sliders(std, lang: str = "zh") -> list[Slider]:
    """Every standard with a range (``low < high``) that changes the plan, as a slider.

    The bounds are the standard's range, widened to include the value in force when the
    shop's own figure lies outside it.  :data:`KEY_STANDARDS` come first.
    """
    t = std.table
    rows = t[(t["low"] < t["high"]) & ~t["category"].isin(NO_SLIDER_CATEGORIES)
             & t["category"].isin(workload.MODEL_CATEGORIES)]
    out = []
    desc = "description_zh" if lang == "zh" else "description_en"
    for sid, r in rows.iterrows():
        value = float(std.data[sid])
        whole = r["unit"] in WHOLE_STEP_UNITS and all(
            float(x).is_integer() for x in (r["low"], r["high"]))
        if sid.startswith("wage_") and sid.endswith("_cny_month"):
            whole = True
        low, high = min(float(r["low"]), value), max(float(r["high"]), value)
        out.append(Slider(sid, value, low, high, _step(low, high, r["unit"], whole), r["unit"],
                          str(r[desc]), r["category"], whole))
    key = {k: i for i, k in enumerate(KEY_STANDARDS)}
    return sorted(out, key=lambda s: (key.get(s.standard_id, len(key)), s.category, s.standard_id))


@dataclass
class WhatIfResult:
    """The figures of one what-if: every one comes from the plan's building blocks."""

    orders_per_day: float
    team: pd.DataFrame
    cs_hourly: pd.DataFrame
    cost_now_cny_month: float
    cost_needed_cny_month: float
    peak_orders: float | None
    peak_uplift: float | None
    temps_total: int
    std: Any = field(repr=False)

    def metrics(self) -> dict[str, float]:
        """Key figures (plain numbers) of the scenario."""
        return {"orders_per_day": round(self.orders_per_day, 1),
                "team_needed": int(self.team["needed"].sum()),
                "cost_needed_cny_month": round(self.cost_needed_cny_month),
                "peak_orders": round(self.peak_orders or 0.0, 1),
                "temps_total": self.temps_total,
                "max_agents_per_hour": int(self.cs_hourly.groupby("hour")["agents"].sum().max())
                if len(self.cs_hourly) else 0}


class WhatIf:
    """A shop's plan, built once, and its what-ifs.

    Parameters
    ----------
    shop
        None (the bundled sample shop), a shop YAML path or a profile.
    lang
        Names in ``zh`` or ``en``.
    event
        The peak (``event_id`` of ``data/events_cn.csv``).
    plan
        An already built :class:`~ecomanalysis.plan.ShopPlan` (skips building it).
    """

    def __init__(self, shop=None, *, lang: str = "zh", event: str = "double11", plan=None):
        from ecomanalysis.plan import make_plan

        self.plan = plan if plan is not None else make_plan(shop, lang=lang, event=event, simulate=False)
        self.lang = self.plan.lang
        self.shop = self.plan.shop
        self.std = self.plan.std
        self.orders_per_day = float(self.plan.orders_per_day)
        self.rm = workload.load_role_models(lang=self.lang)
        self.now = {r: int(n) for r, n in zip(self.plan.team["role_id"], self.plan.team["now"],
                                              strict=True) if n > 0}
        pk = self.plan.peak
        if pk is not None:
            fc = pk.forecast.set_index("date")[pk.scenario]
            self._days = fc.loc[pk.baseline_window[0]:pk.peak_window[1]].astype(float)
            self._window = pk.peak_window
            self._baseline = float(pk.baseline_orders)
            self.peak_uplift = float(pk.peak_orders / pk.baseline_orders) if pk.baseline_orders else None
        else:
            self._days = None
            self.peak_uplift = None

    # ------------------------------------------------------------------ inputs
    def sliders(self) -> list[Slider]:
        return sliders(self.std, self.lang)

    def overrides(self, values: dict[str, float]) -> dict[str, float]:
        """The values that differ from the plan's standards in force (the scenario's changes)."""
        out = {}
        for sid, v in values.items():
            if sid not in self.std.data:
                raise InputError(f"standard {sid!r} is unknown; expected a standard_id of "
                                 "data/standards.csv")
            if not math.isclose(float(v), float(self.std.data[sid]), rel_tol=1e-9, abs_tol=1e-12):
                out[sid] = float(v)
        return out

    def standards(self, *, city_tier: str | None = None, category: str | None = None,
                  **values: float):
        """The standards in force with the chosen values."""
        ov = self.overrides(values)
        if (city_tier or self.std.city_tier) != self.std.city_tier or \
                (category or self.std.category) != self.std.category:
            return staffing.standards(self.shop, city_tier=city_tier, category=category,
                                      **{**self.shop.standards, **ov})
        return self.std.with_overrides(**ov) if ov else self.std

    # ------------------------------------------------------------------ the what-if
    def peak_days(self, orders_per_day: float, peak_uplift: float | None = None) -> pd.Series | None:
        """The forecast's baseline and peak-window days rescaled to ``orders_per_day`` and
        ``peak_uplift`` (see the module docstring); None without a peak plan."""
        if self._days is None:
            return None
        s = orders_per_day / self.orders_per_day if self.orders_per_day > 0 else 0.0
        k = 1.0
        if peak_uplift is not None and self.peak_uplift is not None and self.peak_uplift != 1:
            k = (peak_uplift - 1.0) / (self.peak_uplift - 1.0)
        b = self._baseline
        return (s * (b + (self._days - b) * k)).clip(lower=0.0).rename("orders")

    def update(self, orders_per_day: float | None = None, *, peak_uplift: float | None = None,
               city_tier: str | None = None, category: str | None = None,
               **standard_values: float) -> WhatIfResult:
        """The team, cost, customer service by hour and peak temps for one set of inputs.

        Parameters
        ----------
        orders_per_day
            Orders per day (default: the plan's).
        peak_uplift
            Peak day / normal day (default: the plan's forecast).
        city_tier, category
            Override the shop's.
        **standard_values
            ``standard_id=value``; only values that differ from the plan's count.
        """
        from ecomanalysis.plan.build import (
            apply_peak,
            check_orders,
            cost_table,
            cs_tables,
            team_table,
            with_owner_share,
        )

        orders = self.orders_per_day if orders_per_day is None else check_orders(orders_per_day)
        std = self.standards(city_tier=city_tier, category=category, **standard_values)
        days = self.peak_days(orders, peak_uplift)
        levels = [orders]
        req = staffing.requirements(levels, std=std)
        team = team_table(req, self.now, self.rm, std, None)
        peak_orders = None
        if days is not None:
            # only the peak window is read; the days before it matter through the lags only
            lag_days = math.ceil(max(std["delivery_days"], std["return_lag_days"])) + 1
            first = self._window[0] - pd.Timedelta(days=lag_days)
            daily = (staffing.requirements_series(days.loc[first:], std=std)
                     .pivot(index="date", columns="role_id", values="headcount"))
            team = apply_peak(team, SimpleNamespace(daily=daily, peak_window=self._window))
            win = days.loc[self._window[0]:self._window[1]]
            peak_orders = float(win.max())
        else:
            team = apply_peak(team, None)
        _cs, hourly = cs_tables(orders, std)
        cost = with_owner_share(cost_table(team, std), team, std)
        uplift = peak_uplift if peak_uplift is not None else self.peak_uplift
        return WhatIfResult(
            orders_per_day=orders, team=team[TEAM_COLUMNS].reset_index(drop=True),
            cs_hourly=hourly, cost_now_cny_month=float(cost["cost_now_cny_month"].sum()),
            cost_needed_cny_month=float(cost["cost_needed_cny_month"].sum()),
            peak_orders=peak_orders, peak_uplift=uplift,
            temps_total=int(team["temps"].sum()), std=std)

    # ------------------------------------------------------------------ saving
    def scenario_profile(self, name: str, orders_per_day: float, *, city_tier: str | None = None,
                         category: str | None = None, **standard_values: float) -> dict:
        """The shop profile (a dict for YAML) with the chosen values: ``daily_orders``,
        category, city tier, opening hours and the changed standards; file paths absolute so
        the YAML works from any folder."""
        data = self.shop.model_dump(mode="json", exclude_none=True)
        data["name"] = str(name)
        data["daily_orders"] = round(float(orders_per_day), 1)
        for key in ("daily_visitors",):  # orders are given; visitors would have to agree
            data.pop(key, None)
        data["city_tier"] = city_tier or self.std.city_tier
        data["category"] = category or self.std.category
        ov = self.overrides(standard_values)
        if {"cs_open_hour", "cs_close_hour"} & set(ov):  # opening hours are a profile field
            data.pop("opening_hours", None)
        data["standards"] = {**data.get("standards", {}), **ov}
        base = self.shop.source_path.parent if self.shop.source_path else Path.cwd()
        files = data.get("files") or {}
        data["files"] = {k: str((base / v).resolve()) for k, v in files.items() if v}
        if not data["files"]:
            data.pop("files")
        return data

    def save_scenario(self, path: str | Path, name: str, orders_per_day: float, *,
                      batch: str | Path | None = None, notebook: str = "shop_report",
                      **choices) -> list[Path]:
        """Write the scenario as a shop YAML at ``path`` (checked by loading it back) and, with
        ``batch``, append a run of it to that batch file.  Returns the files written."""
        from ecomanalysis._io import write_text
        from ecomanalysis.shop import load_shop

        path = Path(path)
        if path.suffix not in (".yaml", ".yml"):
            raise InputError(f"{path}: expected a file name ending in .yaml")
        profile = self.scenario_profile(name, orders_per_day, **choices)
        text = ("# What-if scenario saved from notebooks/08_what_if "
                f"(base: {self.shop.name})\n"
                + yaml.safe_dump(profile, allow_unicode=True, sort_keys=False))
        write_text(path, text)
        load_shop(path)  # the saved file must be a valid shop
        written = [path]
        if batch is not None:
            batch = Path(batch)
            doc = {"notebook": notebook, "runs": []}
            if batch.exists():
                doc = yaml.safe_load(batch.read_text(encoding="utf-8")) or doc
                if not isinstance(doc, dict) or not isinstance(doc.get("runs", []), list):
                    raise InputError(f"{batch}: expected a batch file with a 'runs:' list")
            runs = [r for r in doc.setdefault("runs", []) if r.get("shop") != name]
            rel = path.resolve()
            try:
                rel = path.resolve().relative_to(batch.resolve().parent)
            except ValueError:
                pass
            runs.append({"shop": str(name), "shop_file": str(rel)})
            doc["runs"] = runs
            write_text(batch, yaml.safe_dump(doc, allow_unicode=True, sort_keys=False))
            written.append(batch)
        return written
