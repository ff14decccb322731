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

# %% [markdown]
# # 02 · 网店成长五阶段 / The five growth stages
#
# Seed 002 is a seller's account of growing six shops: from one person doing everything in the
# first 15-20 days, to a team at 500-800 orders a day after a year. `data/stages.csv` holds its
# numbers; a value the seed does not state but that follows from others is marked *derived*.
# This notebook shows the funnel (visitors x conversion = orders), the team at each stage, and
# where the seed's own numbers disagree — shown, not hidden.
#
# 种子文档 002 描述了网店从一人包揽到团队运营的五个阶段。推算值（非原文给出）单独标注；
# 原文数字之间的矛盾也会直接展示出来。

# %% tags=["parameters"]
lang: str = "zh"  # language of names and labels {zh, en}

# %%
import matplotlib.pyplot as plt
from IPython.display import display

from ecomanalysis import catalog, charts, render
from ecomanalysis.plots import use_style
from ecomanalysis.render import table
from ecomanalysis.report import record

use_style()
stages = catalog.load_stages(lang)
funnel = catalog.stage_funnel(lang)
team = catalog.stage_team(lang)
stage_roles = catalog.load_stage_roles(lang).merge(
    catalog.load_roles(lang)[["role_id", "name"]].rename(columns={"name": "role"}), on="role_id"
)

# %% [markdown]
# ## 阶段表 / The stage table

# %%
cols = ["stage_id", "name", "days_since_launch_min", "days_since_launch_max", "daily_visitors_min",
        "daily_visitors_max", "conversion_min", "conversion_max", "daily_orders_min",
        "daily_orders_max", "break_even", "derived_fields"]
display(table(stages.rename(columns={"name": "stage_name"}), lang,
              ["stage_name" if c == "name" else c for c in cols]))

# %% [markdown]
# ## 漏斗：访客 × 转化率 = 订单 / Funnel: visitors x conversion = orders
#
# Bars: the order range implied by the stage's visitors and conversion. Markers: the order
# range in the table; hollow markers are derived values, filled ones are stated by the seed.

# %%
charts.funnel_chart(funnel, lang)
plt.show()

# %% [markdown]
# ## 原文数字之间的矛盾 / Where the seed's numbers disagree
#
# A stage is flagged when its order range in the table lies outside the range its own visitors
# and conversion imply.

# %%
disagree = funnel[funnel["consistent"].eq(False)]
display(table(funnel.rename(columns={"name": "stage_name"}), lang,
              ["stage_id", "stage_name", "visitors_min", "visitors_max", "conversion_min",
               "conversion_max", "implied_orders_min", "implied_orders_max", "orders_min",
               "orders_max", "consistent"]))
record("stages_inconsistent", int(len(disagree)), unit="stages")
for line in render.stage_disagreement_lines(disagree):
    print(line)

# %% [markdown]
# ## 每个阶段的团队 / The team at each stage

# %%
charts.stage_team_chart(team, lang)
plt.show()
record("team_max_stage5", int(team["headcount_max"].iloc[-1]), unit="people")

# %%
charts.stage_roles_heatmap(stage_roles, lang)
plt.show()
display(table(stage_roles, lang, ["stage_id", "role", "headcount_min", "headcount_max", "note"]))
