"""The what-if page (notebook ``08_what_if``, served with Voila by ``make app``): ipywidgets
sliders and dropdowns over :class:`ecomanalysis.whatif.WhatIf`.

Every change recomputes the scenario (:meth:`WhatIf.update`) and redraws three HTML views: the
key figures, the team per role (formatted by :func:`ecomanalysis.render.frame`, the one table
helper) and the agents on seat hour by hour (an inline SVG: no plotting library in the loop,
so an update stays well under 200 ms; ``benchmarks/bench_what_if.py`` measures it).
"""

from __future__ import annotations

import html
import re
import time
from pathlib import Path

import numpy as np

from ecomanalysis import config
from ecomanalysis.i18n import N_, translator
from ecomanalysis.render import QUEUES, TIERS, frame
from ecomanalysis.whatif import WhatIf, WhatIfResult

#: Titles of the groups of standards (``category`` of ``standards.csv``).
CATEGORY_TITLES = {
    "driver": N_("Demand drivers"), "lag": N_("Delays"), "cs": N_("Customer service"),
    "warehouse": N_("Warehouse"), "content": N_("Content and operations"),
    "time": N_("Working time"), "threshold": N_("Hiring thresholds"),
    "span": N_("Spans of control"), "wage": N_("Wages"), "intake": N_("Shop data"),
}
#: Product categories (``return_rate_<category>``) as readers know them.
CATEGORY_NAMES = {
    "general": N_("other categories"), "womens_apparel": N_("women's apparel"),
    "apparel": N_("apparel"), "electronics": N_("electronics"), "beauty": N_("beauty"),
}
#: Units of ``standards.csv`` as slider labels show them (translated in the catalogs).
UNIT_NAMES = {
    'CNY': N_('CNY'),
    'CNY per FTE-month': N_('CNY per FTE-month'),
    'CNY/month': N_('CNY/month'),
    'FTE': N_('FTE'),
    'SKUs per order/day': N_('SKUs per order/day'),
    'agents per supervisor': N_('agents per supervisor'),
    'campaigns per month': N_('campaigns per month'),
    'chats': N_('chats'),
    'contacts per order': N_('contacts per order'),
    'contacts per return': N_('contacts per return'),
    'days': N_('days'),
    'days per month': N_('days per month'),
    'employees per HR/admin FTE': N_('employees per HR/admin FTE'),
    'fraction': N_('fraction'),
    'fraction of wage': N_('fraction of wage'),
    'fraction per month': N_('fraction per month'),
    'h per SKU per month': N_('h per SKU per month'),
    'h per campaign': N_('h per campaign'),
    'h per day': N_('h per day'),
    'h per listing': N_('h per listing'),
    'hour of day': N_('hour of day'),
    'listings per week': N_('listings per week'),
    'min per order': N_('min per order'),
    'min per return': N_('min per return'),
    'multiplier': N_('multiplier'),
    'orders per day': N_('orders per day'),
    'orders per person-hour': N_('orders per person-hour'),
    'people per supervisor': N_('people per supervisor'),
    's': N_('s'),
    'supervisors per manager': N_('supervisors per manager'),
}
#: Columns of the team view.
TEAM_VIEW = ["name", "now", "needed", "peak", "permanent", "temps", "wage_cny_month"]
#: Colours of the queues in the hourly chart (the report's palette: seaborn "deep").
QUEUE_COLOURS = {"presale": "#4C72B0", "aftersale": "#DD8452"}
#: Size of the hourly chart, pixels.
CHART_W, CHART_H, CHART_PAD = 640, 220, 32
SLIDER_STYLE = {"description_width": "0px"}
LABEL_WIDTH = "340px"
#: Table style of the page (numbers right-aligned, like the reports).
STYLE = """<style>
.ecom-whatif table.ecom-table {border-collapse: collapse; margin: 8px 0; font-size: 13px}
.ecom-whatif table.ecom-table th {text-align: right; padding: 4px 10px;
  border-bottom: 1px solid #888}
.ecom-whatif table.ecom-table td {text-align: right; padding: 3px 10px;
  border-bottom: 1px solid #e4e4e4}
.ecom-whatif table.ecom-table th:first-child, .ecom-whatif table.ecom-table td:first-child
  {text-align: left}
.ecom-whatif .ecom-error {color: #b00020}
</style>"""


def _short(text: str) -> str:
    """The first clause of a standard's description (before ':' / '(' / ';')."""
    return re.split(r"[:：(（;；]", text, maxsplit=1)[0].strip() or text


class WhatIfApp:
    """The widgets and views of the what-if page.

    Parameters
    ----------
    whatif
        The shop's :class:`WhatIf` (its plan built once).
    max_orders_per_day
        Upper bound of the orders-per-day slider.
    scenario_dir
        Folder where "save as scenario" writes (default ``reports/scenarios``).
    """

    def __init__(self, whatif: WhatIf, *, max_orders_per_day: int = 3000,
                 scenario_dir: str | Path | None = None):
        self.w = whatif
        self.lang = whatif.lang
        self._ = translator(self.lang)
        self.scenario_dir = Path(scenario_dir) if scenario_dir else config.REPORTS_DIR / "scenarios"
        pk = whatif.plan.peak
        self.event_name = pk.event_name if pk is not None else ""
        rows = self._main_inputs(max_orders_per_day)
        key, groups = self._standard_sliders()
        self._build_views()
        self._assemble(rows, key, self._accordion(groups))
        self._remember_exact()
        for c in self._all_controls():
            c.observe(lambda _change: self.refresh(), names="value")
        self.result: WhatIfResult | None = None
        self.refresh()

    # ------------------------------------------------------------------ building the page
    def _main_inputs(self, max_orders_per_day: int) -> list:
        """The orders slider, the peak's uplift slider (if the plan has a peak), city tier and
        product category: their rows, in page order."""
        import ipywidgets as W

        _, whatif = self._, self.w
        orders = whatif.orders_per_day
        top = max(int(max_orders_per_day), int(np.ceil(orders * 2)))
        self.orders = W.IntSlider(value=round(orders), min=1, max=top, step=1,
                                  continuous_update=False, style=SLIDER_STYLE)
        self.controls: dict[str, object] = {}
        rows = [self._row(_("Orders per day"), self.orders)]
        if whatif.peak_uplift is not None:
            from ecomanalysis.forecast import events as ev

            lo, hi = self._uplift_range(ev)
            self.uplift = W.FloatSlider(value=round(whatif.peak_uplift, 2), min=lo, max=hi,
                                        step=0.05, continuous_update=False, style=SLIDER_STYLE,
                                        readout_format=".2f")
            rows.append(self._row(_("{event}: peak day / normal day", event=self.event_name),
                                  self.uplift))
        else:
            self.uplift = None
        from ecomanalysis.report.params import reference_choices

        tiers = sorted(set(reference_choices("city_tiers").values()))
        cats = sorted(set(reference_choices("categories").values()))
        self.tier = W.Dropdown(options=[(_(TIERS.get(t, t)), t) for t in tiers],
                               value=whatif.std.city_tier)
        self.category = W.Dropdown(options=[(_(CATEGORY_NAMES.get(c, c)), c) for c in cats],
                                   value=whatif.std.category)
        rows += [self._row(_("City tier"), self.tier), self._row(_("Product category"), self.category)]
        return rows

    def _standard_sliders(self) -> tuple[list, dict[str, list]]:
        """One slider per standard (into ``self.controls``): the rows of the key standards
        (:func:`whatif_key_ids`) and the other rows grouped by category."""
        import ipywidgets as W

        _ = self._
        key, groups = [], {}
        for s in self.w.sliders():
            cls = W.IntSlider if s.whole else W.FloatSlider
            kw = {} if s.whole else {"readout_format": ".3g"}
            value = int(round(s.value)) if s.whole else s.value
            sl = cls(value=value, min=s.low, max=s.high, step=s.step, continuous_update=False,
                     style=SLIDER_STYLE, **kw)
            sl.tooltip = s.label
            self.controls[s.standard_id] = sl
            unit = _(UNIT_NAMES[s.unit]) if s.unit in UNIT_NAMES else s.unit
            row = self._row(f"{_short(s.label)} ({unit})", sl, s.standard_id)
            if s.standard_id in whatif_key_ids():
                key.append(row)
            else:
                groups.setdefault(s.category, []).append(row)
        return key, groups

    def _accordion(self, groups: dict[str, list]):
        """The other standards, one closed accordion section per category (in
        :data:`CATEGORY_TITLES` order)."""
        import ipywidgets as W

        order = {c: i for i, c in enumerate(CATEGORY_TITLES)}
        groups = dict(sorted(groups.items(), key=lambda kv: order.get(kv[0], len(order))))
        acc = W.Accordion(children=[W.VBox(v) for v in groups.values()])
        for i, cat in enumerate(groups):
            acc.set_title(i, self._(CATEGORY_TITLES.get(cat, cat)) + f" ({len(groups[cat])})")
        acc.selected_index = None
        return acc

    def _build_views(self) -> None:
        """The output views (figures, team, chart, timing) and the save-as-scenario controls."""
        import ipywidgets as W

        _ = self._
        self.figures = W.HTML()
        self.team_view = W.HTML()
        self.chart = W.HTML()
        self.timing = W.HTML()
        self.name = W.Text(value=f"{self.w.shop.name} what-if", layout=W.Layout(width="320px"))
        self.save_as = W.Dropdown(options=[(_("shop YAML"), "shop"),
                                           (_("shop YAML + batch entry"), "batch")],
                                  value="shop", layout=W.Layout(width="220px"))
        self.save_button = W.Button(description=_("Save as scenario"), icon="save",
                                    button_style="primary")
        self.save_status = W.HTML()
        self.save_button.on_click(lambda _b: self.save())

    def _assemble(self, rows: list, key: list, acc) -> None:
        """``self.widget``: inputs beside the plan, the team, more standards, saving."""
        import ipywidgets as W

        _ = self._
        inputs = W.VBox([_h3(_("Inputs")), *rows, *key],
                        layout=W.Layout(width="720px"))
        views = W.VBox([_h3(_("The plan")), self.figures,
                        self.chart, self.timing], layout=W.Layout(width="660px"))
        save = W.HBox([self.name, self.save_as, self.save_button])
        self.widget = W.VBox([
            W.HTML(STYLE), W.HBox([inputs, views]), self.team_view,
            _h3(_("More standards")), acc,
            _h3(_("Save as scenario")), save, self.save_status])
        self.widget.add_class("ecom-whatif")

    def _remember_exact(self) -> None:
        """The exact values behind the rounded initial positions: untouched controls give
        exactly the plan's figures."""
        whatif = self.w
        self._exact = {id(self.orders): (self.orders.value, whatif.orders_per_day)}
        if self.uplift is not None:
            self._exact[id(self.uplift)] = (self.uplift.value, float(whatif.peak_uplift))
        for s in whatif.sliders():
            self._exact[id(self.controls[s.standard_id])] = (
                self.controls[s.standard_id].value, s.value)

    # ------------------------------------------------------------------ layout helpers
    def _row(self, text: str, control, sid: str | None = None):
        import ipywidgets as W

        label = W.HTML(f'<span title="{html.escape(sid or "")}">{html.escape(text)}</span>',
                       layout=W.Layout(width=LABEL_WIDTH))
        control.layout.width = "360px"
        return W.HBox([label, control])

    def _uplift_range(self, ev) -> tuple[float, float]:
        """The event's uplift range from ``events_cn.csv``, widened to include the forecast's."""
        table = ev.load_events("cn")
        row = table[table["event_id"] == self.w.plan.peak.event_id]
        u = float(self.w.peak_uplift)
        lo = float(row["uplift_low"].min()) if len(row) and row["uplift_low"].notna().any() else u
        hi = float(row["uplift_high"].max()) if len(row) and row["uplift_high"].notna().any() else u
        return round(min(1.0, lo, u), 2), round(max(hi, u), 2)

    def _all_controls(self):
        out = [self.orders, self.tier, self.category, *self.controls.values()]
        return out + ([self.uplift] if self.uplift is not None else [])

    # ------------------------------------------------------------------ state
    def values(self) -> dict:
        """The chosen inputs: ``orders_per_day``, ``peak_uplift``, ``city_tier``,
        ``category`` and every standard's value."""
        out = {"orders_per_day": self._value(self.orders),
               "city_tier": self.tier.value, "category": self.category.value}
        if self.uplift is not None:
            out["peak_uplift"] = self._value(self.uplift)
        out.update({sid: self._value(c) for sid, c in self.controls.items()})
        return out

    def _value(self, control) -> float:
        shown, exact = self._exact.get(id(control), (None, None))
        return float(exact) if control.value == shown else float(control.value)

    def compute(self) -> WhatIfResult:
        return self.w.update(**self.values())

    def refresh(self) -> float:
        """Recompute and redraw; returns the seconds it took (also shown on the page)."""
        t0 = time.perf_counter()
        try:
            self.result = self.compute()
        except Exception as exc:  # an inconsistent combination (e.g. opening after closing)
            from ecomanalysis.errors import InputError

            if not isinstance(exc, InputError):
                raise
            self.figures.value = f'<p class="ecom-error">⚠ {html.escape(str(exc))}</p>'
            return time.perf_counter() - t0
        self.render(self.result)
        dt = time.perf_counter() - t0
        text = self._("updated in {ms} ms", ms=f"{dt * 1000:.0f}")
        self.timing.value = f'<small class="ecom-timing">{html.escape(text)}</small>'
        return dt

    # ------------------------------------------------------------------ views
    def render(self, r: WhatIfResult) -> None:
        _ = self._
        team = r.team
        line = _("**{orders}** orders per day · team needed **{needed}** people (now {now}) · "
                 "labour cost needed **{cost} CNY/month** (now {cost_now})",
                 orders=f"{r.orders_per_day:,.0f}", needed=int(team["needed"].sum()),
                 now=int(team["now"].sum()), cost=f"{r.cost_needed_cny_month:,.0f}",
                 cost_now=f"{r.cost_now_cny_month:,.0f}")
        parts = [line]
        if r.peak_orders is not None:
            parts.append(_("{event}: **{orders}** orders on the peak day, **{temps}** temps",
                           event=self.event_name, orders=f"{r.peak_orders:,.0f}",
                           temps=r.temps_total))
        self.figures.value = "<p>" + "<br>".join(_md_bold(p) for p in parts) + "</p>"
        shown = frame(team, self.lang, TEAM_VIEW)
        if r.peak_orders is not None:
            shown = shown.rename(columns={
                frame(team.head(0), self.lang, ["temps"]).columns[0]:
                    _("{event} temps (people)", event=self.event_name)})
        self.team_view.value = shown.to_html(index=False, escape=True, border=0,
                                             classes="ecom-table")
        self.chart.value = hourly_svg(r.cs_hourly, self.lang)

    # ------------------------------------------------------------------ saving
    def save(self) -> list[Path]:
        """Write the chosen values as a shop YAML (and a batch entry); show what was written."""
        from ecomanalysis.errors import InputError
        from ecomanalysis.report.runner import safe_name

        v = self.values()
        name = self.name.value.strip() or "what-if"
        path = self.scenario_dir / f"{safe_name(name, 'what-if')}.yaml"
        batch = self.scenario_dir / "what_if_batch.yaml" if self.save_as.value == "batch" else None
        orders = v.pop("orders_per_day")
        v.pop("peak_uplift", None)  # a forecast figure, not a shop input
        try:
            written = self.w.save_scenario(path, name, orders, batch=batch, **v)
        except InputError as exc:
            self.save_status.value = f'<p class="ecom-error">⚠ {html.escape(str(exc))}</p>'
            return []
        self.save_status.value = "<p>" + html.escape(self._("Saved: {files}", files=", ".join(
            str(p) for p in written))) + "</p>"
        return written


def _h3(text: str):
    import ipywidgets as W

    return W.HTML(f"<h3>{html.escape(text)}</h3>")


def whatif_key_ids() -> tuple[str, ...]:
    from ecomanalysis.whatif import KEY_STANDARDS

    return KEY_STANDARDS


def _md_bold(text: str) -> str:
    """``**x**`` -> ``<b>x</b>`` on escaped text (the figures line)."""
    return re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", html.escape(text))


def hourly_svg(hourly, lang: str) -> str:
    """Agents on seat per hour, stacked by queue, as an inline SVG (escaped labels)."""
    _ = translator(lang)
    hours = np.arange(24)
    stacks = {}
    for q in QUEUES:
        sub = hourly[hourly["queue"] == q]
        arr = np.zeros(24)
        arr[sub["hour"].to_numpy(dtype=int)] = sub["agents"].to_numpy(dtype=float)
        stacks[q] = arr
    total = sum(stacks.values())
    title = _("Agents on seat by hour")
    top = max(float(total.max()), 1.0)
    plot_w, plot_h = CHART_W - 2 * CHART_PAD, CHART_H - 2 * CHART_PAD
    bw = plot_w / 24
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{CHART_W}" height="{CHART_H}" '
             f'role="img" class="ecom-hourly" font-size="11" font-family="sans-serif">',
             f'<text x="{CHART_PAD}" y="16" font-size="13">'
             f'{html.escape(title)} (max {top:.0f})</text>']
    base = np.zeros(24)
    for q, arr in stacks.items():
        for h in hours[arr > 0]:
            hgt = arr[h] / top * plot_h
            y = CHART_PAD + plot_h - (base[h] + arr[h]) / top * plot_h
            parts.append(f'<rect x="{CHART_PAD + h * bw + 1:.1f}" y="{y:.1f}" width="{bw - 2:.1f}" '
                         f'height="{hgt:.1f}" fill="{QUEUE_COLOURS[q]}"><title>{h}:00 '
                         f'{html.escape(_(QUEUES[q]))}: {arr[h]:.0f}</title></rect>')
        base = base + arr
    y0 = CHART_PAD + plot_h
    parts.append(f'<line x1="{CHART_PAD}" y1="{y0}" x2="{CHART_PAD + plot_w}" y2="{y0}" stroke="#555"/>')
    for h in range(0, 24, 3):
        parts.append(f'<text x="{CHART_PAD + h * bw + bw / 2:.1f}" y="{y0 + 14}" '
                     f'text-anchor="middle">{h}:00</text>')
    for i, q in enumerate(QUEUES):
        x = CHART_PAD + plot_w - 160 + i * 80
        parts.append(f'<rect x="{x}" y="6" width="10" height="10" fill="{QUEUE_COLOURS[q]}"/>'
                     f'<text x="{x + 14}" y="15">{html.escape(_(QUEUES[q]))}</text>')
    parts.append("</svg>")
    return "".join(parts)
