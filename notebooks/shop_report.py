# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python (ecomanalysis)
#     language: python
#     name: ecomanalysis
# ---

# %% [markdown] tags=["remove-cell"]
# # Shop staffing report (notebook notes, not shown in the report)
#
# Renders one `ShopPlan` (`ecomanalysis.plan.make_plan`): every figure is computed once in the
# plan and only displayed here, so the summary, the tables, the charts, `metrics.json` and
# `report.xlsx` agree.  Every text comes from the message catalogs
# (`ecomanalysis/locale/*/LC_MESSAGES/messages.po`), so `lang=zh` gives a wholly Chinese report
# and `lang=en` a wholly English one.  Run it for another shop with
# `ecomanalysis report --notebook shop_report --shop my_shop.yaml`.

# %% tags=["parameters"]
shop_file: str = ""  # shop profile YAML; empty = the bundled sample shop
shop_name: str = ""  # name shown in the report; empty = the profile's name
lang: str = "zh"  # report language {zh, en}
orders_per_day: float = 0.0  # 0 = the shop's own level; otherwise a scenario, orders per day [0, 100000]
peak_event: str = "double11"  # the sales peak to plan for {double11, sale_618, double12, womens_day_38}
as_of: str = ""  # plan date YYYY-MM-DD; empty = today

# %%
import matplotlib.pyplot as plt
from IPython.display import HTML, Markdown, display

from ecomanalysis import plots, render
from ecomanalysis.i18n import translator
from ecomanalysis.plan import make_plan
from ecomanalysis.report import record_plan
from ecomanalysis.report.workbook import COST_COLUMNS, write_workbook
from ecomanalysis.roster.shop import shop_rosters
from ecomanalysis.roster.tables import roster_section_tables

plots.use_style()
_ = translator(lang)

# %%
plan = make_plan(shop_file or None, orders_per_day=orders_per_day or None, lang=lang,
                 event=peak_event, as_of=as_of or None)
record_plan(plan)
rosters = shop_rosters(plan, seed=0)
roster_tables = {u: roster_section_tables(r, lang, plan if u != "warehouse" else None)
                 for u, r in rosters.rosters.items()}
workbook = write_workbook(plan, "report.xlsx", extra={
    _(render.UNITS[u]): t["roster"] for u, t in roster_tables.items()})

# %%
display(Markdown(render.headline(plan, shop_name) + "\n\n"
                 + "\n".join(f"- {line}" for line in render.summary_lines(plan))))
event = plan.peak.event_name if plan.peak is not None else _("Peak")
display(render.table(render.summary_table(plan), lang,
                     headers={"temps": _("{event} temps (people)", event=event)}))
if plan.flags:
    display(Markdown("\n".join(f"- {line}" for line in render.flag_lines(plan))))

# %%
display(Markdown(render.section_title(plan, "team") + "\n\n" + render.sentence(plan, "team")))
plt.show(plots.team_chart(plan))
display(render.table(plan.team, lang, ["name", "now", "needed", "gap", "fte", "next_stage"]))
covered = render.covered_table(plan)
if len(covered):
    display(render.table(covered, lang))

# %%
display(Markdown(render.section_title(plan, "hires") + "\n\n" + render.sentence(plan, "hires")))
hires = plan.next_hires.assign(when=plan.next_hires["when"].map(lambda w: _(render.WHEN[w])))
display(render.table(hires, lang, ["name", "hires", "headcount", "orders_per_day", "when"]))

# %%
display(Markdown(render.section_title(plan, "cs") + "\n\n"
                 + render.sentences(lang, render.sentence(plan, "cs"), render.simulation_sentence(plan))))
plt.show(plots.cs_chart(plan))
display(render.table(render.cs_check_table(plan), lang))

# %%
display(Markdown(render.section_title(plan, "warehouse") + "\n\n"
                 + render.sentence(plan, "warehouse")))

# %%
display(Markdown(render.section_title(plan, "roster") + "\n\n"
                 + render.roster_sentence(plan, rosters)))
for unit, tabs in roster_tables.items():
    display(Markdown(f"**{_(render.UNITS[unit])}**"))
    display(render.shown(tabs["summary"], precision=0))
    display(render.shown(tabs["roster"]))

# %%
display(Markdown(render.section_title(plan, "peak") + "\n\n" + render.sentence(plan, "peak")))
if plan.peak is not None:
    plt.show(plots.peak_chart(plan))
    display(render.table(render.peak_table(plan), lang))

# %%
display(Markdown(render.section_title(plan, "cost") + "\n\n" + render.sentence(plan, "cost")))
plt.show(plots.cost_chart(plan))
display(render.table(render.cost_table(plan), lang, COST_COLUMNS))

# %%
if plan.data_notes:
    display(HTML(render.data_notes_html(plan)))
