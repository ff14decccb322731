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
from matplotlib.ticker import MultipleLocator, PercentFormatter
import seaborn as sns
from IPython.display import Markdown, display

from ecomanalysis import staffing
from ecomanalysis.plots import label, use_style
from ecomanalysis.render import table
from ecomanalysis.report import record

use_style()
T = {
    "zh": {"team": "团队人数(模型)", "seed": "种子002阶段团队(最少-最多)", "stage": "阶段",
           "share": "人工成本占销售额", "band": "行业经验 8-15%", "tornado": "标准取低值/高值时的团队人数",
           "low": "低值", "high": "高值", "base": "基准"},
    "en": {"team": "team (model)", "seed": "seed 002 stage team (min-max)", "stage": "stage",
           "share": "labour cost / sales", "band": "rule of thumb 8-15 %",
           "tornado": "team size with each standard at its low / high", "low": "low",
           "high": "high", "base": "base"},
}[lang]
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
fte = req.pivot_table(index="orders_per_day", columns="name", values="fte", aggfunc="sum")
fte = fte.loc[:, fte.max() > 0].sort_values(fte.index[-1], axis=1, ascending=False)
fig, ax = plt.subplots(figsize=(10, 5.5))
colors = sns.color_palette("tab20", fte.shape[1])
for (name, col), c in zip(fte.items(), colors, strict=True):
    ax.plot(fte.index, col, label=name, color=c)
for _, s in stages[stages["in_seed"]].iterrows():
    if s["orders_min"] <= max_orders:
        ax.axvspan(s["orders_min"], min(s["orders_max"], max_orders), color="grey", alpha=0.12)
        ax.text(s["orders_min"], ax.get_ylim()[1] * 0.97, f" {label('stage', lang)} {s['stage_id']}",
                va="top", fontsize=8)
ax.set_xlabel(label("orders_per_day", lang))
ax.set_ylabel(label("fte", lang))
ax.legend(fontsize=7, ncol=2, loc="upper left", bbox_to_anchor=(1.01, 1))
plt.show()

# %% [markdown]
# ## 团队规模与种子阶段 / Team size against the seed's stages
#
# The model's whole team (headcount) beside the team seed 002 describes at each stage
# (`stage_roles.csv`, minimum to maximum; an open maximum is drawn at the minimum).

# %%
size = staffing.team_size(req)
fig, ax = plt.subplots(figsize=(9, 4.5))
ax.step(size["orders_per_day"], size["headcount"], where="post", label=T["team"])
team = stages.merge(
    staffing.compare_with_playbook(std=std, lang=lang).query("unit == 'team'")[
        ["stage_id", "seed_min", "seed_max"]], on="stage_id")
for _, s in team.iterrows():
    hi = s["seed_max"] if np.isfinite(s["seed_max"]) else s["seed_min"]
    ax.fill_between([s["orders_min"], max(s["orders_max"], s["orders_min"] + 5)], s["seed_min"], hi,
                    color="C1", alpha=0.35, label=T["seed"] if s["stage_id"] == 1 else None)
    ax.text(s["orders_min"], hi + 0.3, f"{s['stage_id']}", color="C1", fontsize=9)
ax.set_xlim(0, max_orders)
ax.set_xlabel(label("orders_per_day", lang))
ax.set_ylabel(label("team_size", lang))
ax.legend()
plt.show()

# %% [markdown]
# ## 何时招聘 / The next-hire table
#
# The order level at which each role's headcount first reaches 1, 2, 3 ... (exact to the order).

# %%
trig = staffing.hire_triggers(max_orders, std=std, lang=lang)
triggers = trig.pivot_table(index="name", columns="headcount", values="orders_per_day",
                           aggfunc="first")
triggers = triggers.loc[triggers[1].sort_values().index]
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
cmp = staffing.compare_with_playbook(std=std, lang=lang)
cols = ["stage_id", "name", "seed_min", "seed_max", "model_min", "model_max", "gap", "gap_note"]
display(table(cmp.rename(columns={"gap": "playbook_gap"}), lang,
              [{"gap": "playbook_gap"}.get(c, c) for c in cols]))
record("playbook_gaps", int((~cmp["gap"].isin(["agrees"])).sum()), unit="rows")

# %% [markdown]
# ## 人工成本 / Labour cost per order and as a share of sales

# %%
cost = staffing.labour_cost_by_tier(levels[levels > 0], std=std)
fig, (a1, a2) = plt.subplots(1, 2, figsize=(11, 4))
for tier, part in cost.groupby("city_tier"):
    a1.plot(part["orders_per_day"], part["cost_per_order_cny"], label=tier)
    a2.plot(part["orders_per_day"], part["labour_share"], label=tier)
share = std.table.loc["labour_share_of_revenue"]
a2.axhspan(share["low"], share["high"], color="grey", alpha=0.15, label=T["band"])
a1.set_ylabel(label("cost_per_order_cny", lang))
a1.set_ylim(bottom=0)
a2.set_ylabel(T["share"])
a2.yaxis.set_major_locator(MultipleLocator(0.05))
a2.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
a2.set_ylim(bottom=0)
for a in (a1, a2):
    a.set_xlabel(label("orders_per_day", lang))
    a.legend(fontsize=8)
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
fig, ax = plt.subplots(figsize=(9, 5))
y = np.arange(len(sens))
base = sens["headcount_base"].iloc[0]
ax.barh(y, sens["headcount_low"] - base, left=base, color="C0", label=T["low"])
ax.barh(y, sens["headcount_high"] - base, left=base, color="C3", alpha=0.8, label=T["high"])
ax.axvline(base, color="black", lw=1)
ax.set_yticks(y, sens["standard_id"], fontsize=8)
ax.set_xlabel(label("team_size", lang))
ax.set_title(f"{T['tornado']} · {label('orders_per_day', lang)}: {focus_orders}", fontsize=10)
ax.legend(fontsize=8)
plt.show()
record("top_standard", str(sens["standard_id"].iloc[-1]))
