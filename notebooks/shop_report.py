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
# # 店铺人员配置报告 / Shop staffing report
#
# For one shop: the growth stage it is in, its team today beside the team its workload needs,
# the next hires, customer service hour by hour, the warehouse, the next sales peak and the
# labour cost. Every figure comes from the shop's profile (and its own order and chat exports,
# where given) and the standards in `data/standards.csv`, each with a value, a range and a
# source. Run it for another shop with
# `ecomanalysis report --notebook shop_report --shop my_shop.yaml`.
#
# 本报告基于店铺档案(及其订单、聊天导出数据)和 `data/standards.csv` 中的标准,给出:店铺所处阶段、
# 现有团队与所需团队的对比、下一步招聘、客服分时段排班、仓储、下一个大促的预案和人工成本。

# %% tags=["parameters"]
shop_file: str = ""  # shop profile YAML; empty = the bundled sample shop
shop_name: str = ""  # name shown in the report; empty = the profile's name
lang: str = "zh"  # report language {zh, en}
orders_per_day: float = 0.0  # 0 = the shop's own level; otherwise a scenario, orders per day [0, 100000]
peak_event: str = "double11"  # the sales peak to plan for {double11, sale_618, double12, womens_day_38}

# %%
from html import escape

import matplotlib.pyplot as plt
import seaborn as sns
from IPython.display import Markdown, display

from ecomanalysis import catalog, staffing
from ecomanalysis.plots import label, use_style
from ecomanalysis.report import record
from ecomanalysis.shop import load_sample_shop, load_shop

use_style()
zh = lang == "zh"
shop = load_shop(shop_file) if shop_file else load_sample_shop()
title = escape(shop_name or shop.name)  # user text: shown as text, never as HTML
std = staffing.standards(shop)
orders = orders_per_day if orders_per_day > 0 else staffing.current_orders(shop, std)
stage = staffing.stage_of(shop, orders_per_day=orders, lang=lang)
record("orders_per_day", round(float(orders), 1), unit="orders/day", label_zh="日订单量",
       label_en="orders per day")
record("stage", int(stage.stage_id), label_zh="所处阶段", label_en="growth stage")
display(Markdown(
    f"## {title}\n\n"
    + (f"**日订单量** {orders:,.0f} 单 · **阶段** {stage.stage_id}「{stage.name}」"
       if zh else f"**Orders per day** {orders:,.0f} · **stage** {stage.stage_id} ({stage.name})")
    + (f" · {'平台' if zh else 'platform'} {shop.platform} · {'城市' if zh else 'city'} {shop.city_tier}")
))

# %% [markdown]
# ## 现有团队与所需团队 / The team now and the team needed

# %%
gap = staffing.team_gap(shop, orders, lang=lang, std=std)
current_total, required_total = int(gap["current"].sum()), int(gap["required"].sum())
record("team_current", current_total, unit="people", label_zh="现有人数", label_en="team now")
record("team_required", required_total, unit="people", label_zh="所需人数", label_en="team needed")
record("hires_needed", int(gap["gap"].clip(lower=0).sum()), unit="people", label_zh="需招聘",
       label_en="hires needed")
long = gap.melt(id_vars="name", value_vars=["current", "required"], var_name="which", value_name="people")
long["which"] = long["which"].map({"current": "现有" if zh else "now", "required": "所需" if zh else "needed"})
fig, ax = plt.subplots(figsize=(8, 0.45 * len(gap) + 1.2))
sns.barplot(long, y="name", x="people", hue="which", ax=ax)
ax.set_xlabel(label("headcount", lang))
ax.set_ylabel(label("role", lang))
ax.legend(title="")
plt.show()
display(gap[["name", "current", "required", "gap", "fte"]].style.hide(axis="index")
        .format({"current": "{:.0f}", "required": "{:.0f}", "gap": "{:+.0f}", "fte": "{:.2f}"}))

# %% [markdown]
# ## 下一步招聘 / Next hires
#
# The order level at which each role needs one more person (from the shop's level up to twice
# it), and what seed 002's playbook says to add at the next stage.

# %%
hires = staffing.next_hires(orders, shop, lang=lang)
display(hires[["name", "headcount", "orders_per_day"]].style.hide(axis="index"))
if len(hires):
    record("next_hire_at_orders", int(hires["orders_per_day"].iloc[0]), unit="orders/day",
           label_zh="下一次招聘的订单量", label_en="next hire at")
if len(stage.roles_to_add):
    display(Markdown("**种子文档建议下一阶段增加:**" if zh else "**The seed's playbook adds next:**"))
    display(stage.roles_to_add[["name", "to_add", "note"]].style.hide(axis="index"))

# %% [markdown]
# ## 客服分时段 / Customer service hour by hour
#
# Chats per hour for pre-sale and after-sale, and the agents each hour needs to answer within
# the response target (queueing with chat concurrency, per interval).

# %%
cs = staffing.cs_by_hour(orders, shop, std=std)
fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(9, 6), sharex=True)
sns.lineplot(cs, x="hour", y="chats", hue="queue", marker="o", ax=ax1)
ax1.set_ylabel("咨询量 (次/时)" if zh else "Chats per hour")
sns.lineplot(cs, x="hour", y="staffed", hue="queue", drawstyle="steps-post", ax=ax2)
ax2.set_ylabel(label("agents", lang))
ax2.set_xlabel(label("hour", lang))
ax2.set_xticks(range(0, 24, 2))
plt.tight_layout()
plt.show()
peak_row = cs.loc[cs["staffed"].idxmax()]
record("cs_peak_hour", int(peak_row["hour"]), unit="hour", label_zh="客服高峰时段", label_en="CS peak hour")
record("cs_peak_staffed", int(cs.groupby("hour")["staffed"].sum().max()), unit="agents",
       label_zh="高峰在岗客服", label_en="CS agents at peak")

# %% [markdown]
# ## 仓储 / Warehouse

# %%
wh = staffing.warehouse_breakdown([orders], shop, std=std).iloc[0]
parts = {("打包" if zh else "packing"): wh["packing_h"], ("退货处理" if zh else "returns"): wh["returns_h"],
         ("其他" if zh else "overhead"): wh["overhead_h"]}
fig, ax = plt.subplots(figsize=(7, 2.2))
left = 0.0
for (name, hours), colour in zip(parts.items(), sns.color_palette(), strict=False):
    ax.barh([0], [hours], left=left, color=colour, label=f"{name} {hours:.1f} h")
    left += hours
ax.set_yticks([])
ax.set_xlabel("每日工时 (小时)" if zh else "Hours of work per day")
ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.45), ncol=3, fontsize=9)
plt.show()
record("warehouse_hours_per_day", round(float(wh["hours_per_day"]), 1), unit="h/day",
       label_zh="仓储日工时", label_en="warehouse hours per day")
print(("截单前需在岗打包人数: " if zh else "Packers on duty for the same-day cut-off: ")
      + f"{wh['cutoff_people']:.1f}")

# %% [markdown]
# ## 下一个大促 / The next sales peak
#
# The shop's daily orders are forecast with their weekly and yearly pattern and the event
# calendar (uplift from the shop's own history where it has the event, else the calendar's
# stated default); the staffing model then sizes every day around the peak. Temporary staff
# cover what the permanent team cannot, hired early enough to be up to speed (notebook
# `06_peak_planning` has the full plan).

# %%
from ecomanalysis.forecast import peak_plan  # noqa: E402

plan = peak_plan(shop, event=peak_event, lang=lang)
fc = plan.forecast.set_index("date").loc[plan.baseline_window[0]:plan.peak_window[1]]
fig, ax = plt.subplots(figsize=(9, 3.2))
ax.fill_between(fc.index, fc["lower"], fc["upper"], alpha=0.2, label="80 %")
ax.plot(fc.index, fc["forecast"], lw=1.2, label="预测" if zh else "forecast")
ax.axvline(plan.peak_date, color="C3", lw=1, ls="--")
ax.set_yscale("log")
ax.set_ylabel(label("orders_per_day", lang))
ax.legend(fontsize=8, loc="upper left")
ax.set_title(f"{plan.event_name} {plan.year}", fontsize=10)
fig.autofmt_xdate()
plt.show()
record("peak_date", f"{plan.peak_date:%Y-%m-%d}", label_zh="高峰日", label_en="peak day")
record("peak_orders", round(float(plan.peak_orders)), unit="orders/day", label_zh="高峰日订单",
       label_en="orders on the peak day")
record("peak_temps", plan.temps_total, unit="people", label_zh="临时工", label_en="temporary staff")
record("peak_sl_permanent", round(float(plan.service_level_permanent), 3), unit="share",
       label_zh="仅正式团队的服务水平", label_en="service level, permanent team alone")
hire_by = plan.hire_by_date
display(Markdown(
    (f"**高峰日** {plan.peak_date:%Y-%m-%d}:预测 {plan.peak_orders:,.0f} 单(80% 区间 "
     f"{plan.peak_orders_lower:,.0f}-{plan.peak_orders_upper:,.0f}),平日 {plan.baseline_orders:,.0f} 单。"
     f"需临时工 **{plan.temps_total} 人**" + (f",最晚 **{hire_by:%Y-%m-%d}** 开始招聘" if hire_by is not None else "")
     + f"。仅靠正式团队,客服服务水平为 **{plan.service_level_permanent:.0%}**"
     f"(目标 {plan.service_level_target:.0%})。")
    if zh else
    (f"**Peak day** {plan.peak_date:%Y-%m-%d}: {plan.peak_orders:,.0f} orders forecast (80 % interval "
     f"{plan.peak_orders_lower:,.0f}-{plan.peak_orders_upper:,.0f}) against {plan.baseline_orders:,.0f} "
     f"on a normal day. **{plan.temps_total} temporary staff** needed"
     + (f", hiring to start by **{hire_by:%Y-%m-%d}**" if hire_by is not None else "")
     + f". With the permanent team alone, customer service answers **{plan.service_level_permanent:.0%}** "
     f"in time (target {plan.service_level_target:.0%}).")
))
display(plan.temps.merge(plan.hire_by[["unit", "hire_by"]], on="unit", how="left")
        [["name", "permanent", "peak_required", "temps", "hire_by"]]
        .style.hide(axis="index").format({"hire_by": lambda d: "" if d != d else f"{d:%Y-%m-%d}"}))
for message in plan.messages:
    print("·", message)

# %% [markdown]
# ## 人工成本 / Labour cost

# %%
cost = staffing.labour_cost([orders], shop, std=std).iloc[0]
by_role = staffing.labour_cost([orders], shop, std=std, by_role=True).merge(
    catalog.load_roles(lang)[["role_id", "name"]], on="role_id")
record("labour_cost_cny_month", round(float(cost["cost_cny_month"])), unit="CNY/month",
       label_zh="月人工成本", label_en="labour cost per month")
record("cost_per_order_cny", round(float(cost["cost_per_order_cny"]), 2), unit="CNY/order",
       label_zh="单均人工成本", label_en="labour cost per order")
record("labour_share", round(float(cost["labour_share"]), 4), unit="share of revenue",
       label_zh="人工成本占销售额", label_en="labour share of revenue")
display(Markdown(
    (f"月人工成本 **{cost['cost_cny_month']:,.0f} 元**,单均 **{cost['cost_per_order_cny']:.2f} 元**,"
     f"占销售额 **{cost['labour_share']:.1%}**(行业经验 8-15%)。")
    if zh else
    (f"Labour costs **{cost['cost_cny_month']:,.0f} CNY a month**, **{cost['cost_per_order_cny']:.2f} CNY "
     f"per order**, **{cost['labour_share']:.1%} of revenue** (industry rule of thumb 8-15 %).")
))
top = by_role[by_role["cost_cny_month"] > 0].sort_values("cost_cny_month", ascending=False)
fig, ax = plt.subplots(figsize=(8, 0.4 * len(top) + 1))
sns.barplot(top, y="name", x="cost_cny_month", ax=ax,
            color=sns.color_palette()[3])
ax.set_xlabel(label("cost_cny_month", lang))
ax.set_ylabel(label("role", lang))
plt.show()
