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
import seaborn as sns
from IPython.display import display

from ecomanalysis import catalog
from ecomanalysis.plots import label, use_style
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
fig, ax = plt.subplots(figsize=(8, 4))
x = funnel["stage_id"].to_numpy()
lo, hi = funnel["implied_orders_min"], funnel["implied_orders_max"]
ax.bar(x, (hi - lo).fillna(0), bottom=lo.fillna(0), width=0.5, alpha=0.35,
       color=sns.color_palette()[0], label="visitors x conversion")
for col, marker in (("orders_min", "v"), ("orders_max", "^")):
    derived = funnel["orders_derived"].to_numpy(bool)
    ax.scatter(x[~derived], funnel[col][~derived], marker=marker, color="black", zorder=3,
               label=f"{col} · {label('stated', lang)}")
    ax.scatter(x[derived], funnel[col][derived], marker=marker, facecolors="none",
               edgecolors="black", zorder=3, label=f"{col} · {label('derived', lang)}")
ax.set_xticks(x, funnel["name"], rotation=15)
ax.set_ylabel(label("orders_per_day", lang))
top = funnel[["implied_orders_max", "orders_max"]].max().max()
ax.set_ylim(0, top * 1.15)
ax.legend(fontsize=8, loc="upper left")
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
for _, row in disagree.iterrows():
    print(
        f"stage {row.stage_id}: {row.visitors_min:.0f}-{row.visitors_max:.0f} visitors x "
        f"{row.conversion_min:.1%}-{row.conversion_max:.1%} = {row.implied_orders_min:.0f}-"
        f"{row.implied_orders_max:.0f} orders/day, but the table says {row.orders_min:.0f}-"
        f"{row.orders_max:.0f}"
    )

# %% [markdown]
# ## 每个阶段的团队 / The team at each stage

# %%
fig, ax = plt.subplots(figsize=(8, 4))
ax.fill_between(team["stage_id"], team["headcount_min"], team["headcount_max"], alpha=0.3,
                color=sns.color_palette()[1], label=f"{label('min', lang)} – {label('max', lang)}")
ax.plot(team["stage_id"], team["headcount_min"], marker="o", color=sns.color_palette()[1])
ax.plot(team["stage_id"], team["headcount_max"], marker="o", color=sns.color_palette()[1])
ax.set_xticks(team["stage_id"], team["name"], rotation=15)
ax.set_ylabel(label("team_size", lang))
ax.legend()
plt.show()
record("team_max_stage5", int(team["headcount_max"].iloc[-1]), unit="people")

# %%
stage_roles["headcount_upper"] = stage_roles["headcount_max"].fillna(stage_roles["headcount_min"])
grid = (stage_roles.pivot_table(index="role", columns="stage_id", values="headcount_upper",
                                aggfunc="sum").astype(float).fillna(0))
fig, ax = plt.subplots(figsize=(8, 0.4 * len(grid) + 1.5))
sns.heatmap(grid, annot=True, fmt=".0f", cmap="Blues", cbar=False, ax=ax)
ax.set_xlabel(label("stage", lang))
ax.set_ylabel(label("role", lang))
ax.set_title(label("headcount", lang) + " (max; " + ("无上限时取下限" if lang == "zh" else
             "the minimum where the seed gives no maximum") + ")")
plt.show()
display(table(stage_roles, lang, ["stage_id", "role", "headcount_min", "headcount_max", "note"]))
