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
# # 04 · 工作量与日订单量 / Workload against orders per day
#
# How many people does each role need as a shop grows from 0 to many orders a day? Seed 002
# answers with rules of thumb per stage ("one warehouse keeper is not enough at 200-300 orders
# a day", "customer service 1-3 people"). Here every role's workload is derived from its
# drivers with the standards in `data/standards.csv` (each with a value, a range and a source
# or an explicit assumption): customer service through queueing per half hour, the warehouse
# from packing throughput and the same-day shipping cut-off, design and operations from the
# catalogue, supervisors from the span of control. The charts put the result beside the seed's
# stages, list the order level at which each hire comes, show the labour cost per order and
# which standards move the answer most.
#
# 每个岗位的工作量由驱动量和标准推算(标准见 `data/standards.csv`,每条都有取值、范围和来源或
# 明确标注的假设),再与种子文档 002 的阶段经验对照:哪里一致,哪里不一致。

# %% tags=["parameters"]
lang: str = "zh"  # language of names and labels {zh, en}
max_orders: int = 1000  # highest order level shown, orders per day [10, 100000]
focus_orders: int = 250  # order level of the team table and the tornado, orders per day [1, 100000]
category: str = "general"  # product category (selects the return rate) {general, womens_apparel, apparel, electronics, beauty}
city_tier: str = "tier2"  # city tier (selects the wage bands) {tier1, tier2, tier3}

# %%
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import Markdown, display

from ecomanalysis import charts, staffing
from ecomanalysis.plots import label, use_style
from ecomanalysis.render import table
from ecomanalysis.report import record

# %%
use_style()
std = staffing.standards(category=category, city_tier=city_tier)
levels = np.unique(np.linspace(0, max_orders, 201).round())
req = staffing.requirements(levels, std=std, lang=lang)
stages = staffing.stage_order_ranges(lang)
print(f"{category} · {city_tier} · hour shapes: {std.shape_source}")

# %% [markdown]
# ## 各岗位全职当量 / FTE per role against orders per day
#
# Shaded bands: the order ranges of seed 002's stages 3-5 (stages 1-2 give no orders; stage 3's
# orders are derived from its visitors and conversion).
# A role's FTE is its hours of work over a person's productive month; a role gets its own person
# once it needs half a person (`min_dedicated_fte`), below that the owner (or the role named in
# `absorbed_by`) does it on the side.

# %%
charts.fte_chart(req, stages, max_orders, lang)
plt.show()

# %% [markdown]
# ## 团队规模与种子阶段 / Team size against the seed's stages
#
# The model's whole team (headcount) beside the team seed 002 describes at each stage
# (`stage_roles.csv`, minimum to maximum; an open maximum is drawn at the minimum).

# %%
playbook = staffing.compare_with_playbook(std=std, lang=lang)
charts.team_vs_stages_chart(staffing.team_size(req), stages, playbook, max_orders, lang)
plt.show()

# %% [markdown]
# ## 何时招聘 / The next-hire table
#
# The order level at which each role's headcount first reaches 1, 2, 3 ... (exact to the order).

# %%
trig = staffing.hire_triggers(max_orders, std=std, lang=lang)
triggers = staffing.hire_trigger_grid(trig)
display(Markdown(f"**{label('orders_per_day', lang)}**"))
display(table(triggers.reset_index(), lang,
              headers={n: f"{n} · {label('headcount', lang)}" for n in triggers.columns}))
first = trig[trig["headcount"] == 1].set_index("role_id")["orders_per_day"]
for role in ("presale_cs", "warehouse_keeper", "aftersale_cs"):
    if role in first:
        record(f"first_{role}_at_orders", int(first[role]), unit="orders/day")

# %% [markdown]
# ## 种子经验与模型的差异 / Where the seed's playbook and the model part ways

# %%
cmp = playbook
cols = ["stage_id", "name", "seed_min", "seed_max", "model_min", "model_max", "gap", "gap_note"]
display(table(cmp.rename(columns={"gap": "playbook_gap"}), lang,
              [{"gap": "playbook_gap"}.get(c, c) for c in cols]))
record("playbook_gaps", int((~cmp["gap"].isin(["agrees"])).sum()), unit="rows")

# %% [markdown]
# ## 人工成本 / Labour cost per order and as a share of sales

# %%
cost = staffing.labour_cost_by_tier(levels[levels > 0], std=std)
share = std.table.loc["labour_share_of_revenue"]
charts.labour_cost_chart(cost, (share["low"], share["high"]), lang)
plt.show()

# %%
at = staffing.requirements(focus_orders, std=std, lang=lang)
at_cost = staffing.labour_cost(None, std=std, req=at).iloc[0]
display(table(at[at["headcount"] > 0], lang, ["name", "hours_per_day", "fte", "headcount"],
              headers={"headcount": label("headcount", lang)}))
record("team_at_focus", int(at["headcount"].sum()), unit="people")
record("cost_per_order_at_focus_cny", round(float(at_cost["cost_per_order_cny"]), 2), unit="CNY")
record("labour_share_at_focus", round(float(at_cost["labour_share"]), 4), unit="share")

# %% [markdown]
# ## 哪些标准最重要 / Which standards matter most (tornado)
#
# Team size at the focus level when one standard at a time moves to the low or high end of its
# range; the twelve largest swings.

# %%
sens = staffing.sensitivity(focus_orders, std=std, lang=lang).head(12).iloc[::-1]
charts.tornado_chart(sens, focus_orders, lang)
plt.show()
record("top_standard", str(sens["standard_id"].iloc[-1]))
