"""``report.xlsx``: the plan as a workbook for a manager, the same figures as the HTML report.

Sheets: summary, team, next hires, customer service by interval, the peak day by day, costs.
Headers come from the message catalog in the plan's language, with units; numbers keep their
values (not text) with number formats; the header row is frozen; widths fit the content.
Written atomically (:func:`ecomanalysis._io.atomic_open`).
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from ecomanalysis import render
from ecomanalysis._io import atomic_open
from ecomanalysis.i18n import N_, translator

#: Columns of the cost sheet (the report's cost table, :func:`ecomanalysis.render.cost_table`).
COST_COLUMNS = ["name", "now", "cost_now_cny_month", "needed", "cost_needed_cny_month",
                "owner_fte_now", "owner_fte_needed"]
NUMBER_FORMATS = {"int": "#,##0", "signed": "+#,##0;-#,##0;0", "float": "#,##0.0",
                  "share": "0%", "share1": "0.0%", "money": "#,##0", "date": "yyyy-mm-dd"}

#: Sheet id -> title msgid.
SHEETS = {
    "summary": N_("Summary"), "team": N_("Team"), "hires": N_("Next hires"),
    "cs": N_("Customer service"), "peak": N_("Peak by day"), "cost": N_("Labour cost"),
}


def summary_rows(plan) -> pd.DataFrame:
    """Item | value: the summary's figures (the HTML summary reads the same plan fields), with
    the ``kind`` of each value (its number format in the workbook)."""
    _ = translator(plan.lang)
    rows = [
        (_("Orders per day"), round(plan.orders_per_day), "int"),
        (_("Growth stage"), int(plan.stage.stage_id), "int"),
        (_("Team now (people)"), plan.team_now, "int"),
        (_("Team needed (people)"), plan.team_needed, "int"),
        (_("Hires needed now (people)"), plan.hires_now, "int"),
        (_("Labour cost now (CNY/month)"), round(plan.cost_now_cny_month), "money"),
        (_("Labour cost needed (CNY/month)"), round(plan.cost_needed_cny_month), "money"),
        (_("Labour share of revenue"), round(plan.labour_share, 4), "share1"),
    ]
    if plan.peak is not None:
        hb = plan.hire_by
        rows += [
            (_("Peak day"), f"{plan.peak.peak_date:%Y-%m-%d}", "text"),
            (_("Orders on the peak day"), round(plan.peak.peak_orders), "int"),
            (_("Temps at the peak (people)"), plan.temps_total, "int"),
            (_("Cost of the temps (CNY)"), round(plan.peak_cost_temps_cny), "money"),
            (_("Start hiring temps by"), "" if hb is None else f"{hb:%Y-%m-%d}", "text"),
        ]
    rows += [(_("Flag"), f, "text") for f in plan.flags]
    return pd.DataFrame(rows, columns=["item", "value", "kind"])


def sheets(plan) -> dict[str, tuple[pd.DataFrame, list[str]]]:
    """Sheet id -> (frame, columns) of the workbook."""
    _ = translator(plan.lang)
    hires = plan.next_hires.assign(when=plan.next_hires["when"].map(lambda w: _(render.WHEN[w])))
    cs = plan.cs.assign(queue=plan.cs["queue"].map(lambda q: _(render.QUEUES[q])),
                        hour=plan.cs["interval_start_h"])
    out = {
        "summary": (summary_rows(plan), ["item", "value"]),
        "team": (plan.team, ["name", "now", "needed", "gap", "fte", "next_stage", "peak",
                             "permanent", "temps"]),
        "hires": (hires, ["name", "hires", "headcount", "orders_per_day", "when"]),
        "cs": (cs, ["queue", "hour", "chats", "agents", "staffed", "service_level", "occupancy",
                    "mean_chats_held"] + [c for c in ("sl_simulated", "agents_checked")
                                          if c in cs]),
        "cost": (render.cost_table(plan), COST_COLUMNS),
    }
    if plan.peak is not None:
        out["peak"] = (peak_days(plan), ["date", "orders", "lower", "upper"]
                       + [c for c in peak_days(plan).columns if c.startswith("role:")])
    return out


def peak_days(plan) -> pd.DataFrame:
    """The peak window day by day: forecast orders and people per day-scaling role."""
    pk = plan.peak
    fc = pk.forecast.set_index("date").loc[pk.baseline_window[0]:pk.peak_window[1]]
    out = pd.DataFrame({"date": fc.index, "orders": fc[pk.scenario].to_numpy(),
                        "lower": fc["lower"].to_numpy(), "upper": fc["upper"].to_numpy()})
    scaling = plan.team[plan.team["day_scaling"]]
    daily = pk.daily.reindex(fc.index)
    for rid, name in zip(scaling["role_id"], scaling["name"], strict=True):
        if rid in daily.columns:
            out[f"role:{name}"] = daily[rid].to_numpy()
    return out


def write_workbook(plan, path: str | os.PathLike,
                   extra: dict[str, pd.DataFrame] | None = None) -> Path:
    """Write the plan to ``path`` (``.xlsx``) atomically; returns the path.  ``extra`` adds
    sheets of display-ready tables (title -> frame, headers already in the plan's language),
    e.g. the rosters."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    _ = translator(plan.lang)
    wb = Workbook()
    wb.remove(wb.active)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDE4EE")
    for sid, (df, cols) in sheets(plan).items():
        ws = wb.create_sheet(_(SHEETS[sid])[:31])
        heads = [c.removeprefix("role:") if c.startswith("role:") else render.header(c, plan.lang)
                 for c in cols]
        ws.append(heads)
        for row in df[cols].itertuples(index=False):
            ws.append([_cell(v) for v in row])
        for j, c in enumerate(cols, start=1):
            k = "int" if c.startswith("role:") else render.kind(c)
            letter = get_column_letter(j)
            cell = ws.cell(row=1, column=j)
            cell.font, cell.fill = bold, fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if k in NUMBER_FORMATS:
                for (cell,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                    cell.number_format = NUMBER_FORMATS[k]
            width = max([len(str(heads[j - 1]))] + [len(str(v)) for v in df[c].head(200)])
            ws.column_dimensions[letter].width = min(60, max(10, width + 2))
        if sid == "summary":  # one kind per row: money, shares and counts each formatted
            for (cell,), k in zip(ws.iter_rows(min_row=2, min_col=2, max_col=2), df["kind"],
                                  strict=True):
                if k in NUMBER_FORMATS:
                    cell.number_format = NUMBER_FORMATS[k]
        ws.freeze_panes = "A2"
    for title, df in (extra or {}).items():
        ws = wb.create_sheet(str(title)[:31])
        ws.append([str(c) for c in df.columns])
        for row in df.itertuples(index=False):
            ws.append([_cell(v) for v in row])
        for j, c in enumerate(df.columns, start=1):
            ws.cell(row=1, column=j).font, ws.cell(row=1, column=j).fill = bold, fill
            width = max([len(str(c))] + [len(str(v)) for v in df[c].head(200)])
            ws.column_dimensions[get_column_letter(j)].width = min(60, max(10, width + 2))
        ws.freeze_panes = "A2"
    with atomic_open(path, "wb") as fh:
        wb.save(fh)
    return Path(path)


def _cell(v):
    if v is None or (isinstance(v, float) and v != v):
        return None
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    if hasattr(v, "item"):
        return v.item()
    return v
