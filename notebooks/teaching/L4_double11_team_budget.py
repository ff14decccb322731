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

# %% [markdown] tags=["lang-zh"]
# # L4 · 在预算内为双 11 组建团队
#
# 小徐的店平时每天 250 单（第 4 阶段）。双 11 当天订单会是平时的好几倍：客服、库房都要临时加人，
# 而老板只给了一笔固定的预算。本课把前三课连起来：用**真实数据**估计双 11 的订单，用人员模型算出
# 每个岗位要加几个人，用 `standards.csv` 里的工资算出成本，最后在预算内做取舍。
#
# **学习目标**
#
# - 知识目标：大促的订单倍数、临时用工、雇主附加成本；
# - 技能目标：用 `staffing.requirements` 和 `staffing.labour_cost` 计算加人和成本；在标准的合理范围内调整方案；
# - 素养目标：在成本和服务之间做诚实的取舍，遵守劳动法和平台规则。
#
# 练习：4.1 双 11 当天的订单 · 4.2 每个岗位要加几个人 · 4.3 临时工的成本 · 4.4 在预算内的方案

# %% [markdown] tags=["lang-en"]
# # L4 · Plan a Double 11 team within a budget
#
# Xiao Xu's shop normally takes 250 orders a day (stage 4). On Double 11 orders are several times
# that: customer service and the warehouse need temporary staff, and the owner has set a fixed
# budget. This lesson ties the first three together: estimate Double 11 orders from **real
# data**, find how many people each role must add with the staffing model, price them with the
# wages in `standards.csv`, and make trade-offs to fit the budget.
#
# **Goals**
#
# - Knowledge: the order multiple of a sales festival, temporary staff, employer on-costs;
# - Skills: extra staff and cost with `staffing.requirements` and `staffing.labour_cost`;
#   adjusting a plan within the standards' ranges;
# - Attitude: honest trade-offs between cost and service, within labour law and platform rules.
#
# Exercises: 4.1 orders on Double 11 · 4.2 extra people per role · 4.3 the cost of temporary
# staff · 4.4 a plan within the budget

# %% tags=["parameters"]
lang: str = "zh"  # course language {zh, en}
orders_per_day: int = 250  # normal orders per day [1, 3000]
temp_days: int = 3  # days the temporary staff work [1, 30]
budget_cny: int = 28000  # budget for temporary staff, CNY [0, 10000000]

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import display

from ecomanalysis import catalog, staffing
from ecomanalysis.intake.sample import load_calibration
from ecomanalysis.plots import label, use_style
from ecomanalysis.report import record
from ecomanalysis.teaching import (
    check_budget_plan,
    check_extra_staff,
    check_peak_orders,
    check_temp_cost,
    extra_staff,
    plan_cost_cny,
)

use_style()
TEMP_ROLES = ["presale_cs", "aftersale_cs", "warehouse_keeper"]
role_names = catalog.load_roles(lang).set_index("role_id")["name"]
cal = load_calibration()
window = cal[(cal["parameter"] == "event_ratio") & cal["key"].str.startswith("double11:")].copy()
window["day"] = window["key"].str.split(":").str[1].astype(int)
ratio = float(window.loc[window["day"] == 0, "value"].iloc[0])
print(window[["day", "value", "low", "high"]].to_string(index=False))
print("source:", window["source"].iloc[0])

# %% [markdown] tags=["lang-zh"]
# ## 一、双 11 有多少订单？
#
# 天池母婴商品交易数据（2012–2014）中，双 11 当天的购买量是此前第 27 到第 6 天平均值的约 7.7 倍
# （三年分别约 6.3、7.6、9.2 倍）；前后几天几乎没有变化。下图是 11-08 到 11-14 每天相对于平常的倍数。

# %% [markdown] tags=["lang-en"]
# ## 1. How many orders on Double 11?
#
# In the Tianchi mum-and-baby trade data (2012-2014), purchases on 11-11 were about 7.7 x the mean
# day of D-27..D-6 (about 6.3, 7.6 and 9.2 x in the three years); the days around it barely
# move. The chart shows each day from 11-08 to 11-14 relative to a normal day.

# %%
fig, ax = plt.subplots(figsize=(8, 3.5))
ax.bar(window["day"], window["value"], color="C1", alpha=0.8)
ax.errorbar(window["day"], window["value"],
            yerr=[window["value"] - window["low"], window["high"] - window["value"]],
            fmt="none", color="black", capsize=3)
ax.axhline(1, color="gray", ls="--")
ax.set_xticks(window["day"], [f"11-{11 + d:02d}" for d in window["day"]])
ax.set_ylabel({"zh": "相对平常的倍数", "en": "x a normal day"}[lang])
plt.show()

# %% [markdown] tags=["lang-zh"]
# ### 练习 4.1
#
# 平时每天 `orders_per_day` 单，双 11 当天的倍数是 `ratio`。当天约有多少单？命名为 `peak_orders`。

# %% [markdown] tags=["lang-en"]
# ### Exercise 4.1
#
# A normal day has `orders_per_day` orders and Double 11 is `ratio` times a normal day. About
# how many orders come on the day? Name it `peak_orders`.

# %% [markdown] tags=["hint", "lang-zh"]
# 倍数是乘的：7.7 倍 = 平时 × 7.7。

# %% [markdown] tags=["hint", "lang-en"]
# A multiple multiplies: 7.7 x = normal x 7.7.

# %% tags=["solution"]
# 练习 4.1 / Exercise 4.1
peak_orders = orders_per_day * ratio

# %% tags=["check"]
check_peak_orders(peak_orders, orders_per_day, ratio, lang=lang)

# %% [markdown] tags=["lang-zh"]
# ## 二、要加几个人？
#
# 临时工只做一线工作：售前客服、售后客服和库管（打包发货）。下面用人员模型分别算出平时和双 11 当天
# 每个岗位的人数（`normal`、`peak`）。模型按当天的量配置；真实的售后咨询会在发货几天后才到，
# 这里先忽略这种滞后。

# %% [markdown] tags=["lang-en"]
# ## 2. How many extra people?
#
# Temporary staff only do front-line work: pre-sale service, after-sale service and the warehouse
# (packing and shipping). Below, the staffing model gives each role's headcount on a normal day
# and on Double 11 (`normal`, `peak`). The model sizes for the day's own volume; real after-sale
# contacts arrive days after shipping, a lag we ignore here.

# %%
std = staffing.standards()
peak_orders_ref = orders_per_day * ratio
normal = staffing.requirements(orders_per_day, lang=lang)
peak = staffing.requirements(peak_orders_ref, lang=lang)
both = pd.DataFrame({
    "name": role_names.reindex(TEMP_ROLES),
    "normal_headcount": normal.set_index("role_id").loc[TEMP_ROLES, "headcount"],
    "peak_headcount": peak.set_index("role_id").loc[TEMP_ROLES, "headcount"],
    "peak_fte": peak.set_index("role_id").loc[TEMP_ROLES, "fte"].round(2),
})
display(both)

# %% [markdown] tags=["lang-zh"]
# ### 练习 4.2
#
# 每个临时岗位（`TEMP_ROLES`）要**额外**加几个人？结果是以 `role_id` 为索引的 Series，命名为 `extra`。

# %% [markdown] tags=["lang-en"]
# ### Exercise 4.2
#
# How many **extra** people does each temporary role (`TEMP_ROLES`) need? Give a Series indexed
# by `role_id`, named `extra`.

# %% [markdown] tags=["hint", "lang-zh"]
# 双 11 的人数减去平时的人数；用 `headcount` 列（人是整数）；加人不会是负数：`.clip(lower=0)`。

# %% [markdown] tags=["hint", "lang-en"]
# Peak headcount minus normal headcount; use the `headcount` column (people come whole); extra
# people are never negative: `.clip(lower=0)`.

# %% tags=["solution"]
# 练习 4.2 / Exercise 4.2
peak_hc = peak.set_index("role_id").loc[TEMP_ROLES, "headcount"]
normal_hc = normal.set_index("role_id").loc[TEMP_ROLES, "headcount"]
extra = (peak_hc - normal_hc).clip(lower=0)

# %% tags=["check"]
check_extra_staff(extra, normal, peak, TEMP_ROLES, lang=lang)

# %%
fig, ax = plt.subplots(figsize=(8, 3.5))
x = np.arange(len(TEMP_ROLES))
ax.bar(x - 0.2, both["normal_headcount"], width=0.4, label={"zh": "平时", "en": "normal day"}[lang])
ax.bar(x + 0.2, both["peak_headcount"], width=0.4, label={"zh": "双 11", "en": "Double 11"}[lang])
ax.set_xticks(x, both["name"])
ax.set_ylabel(label("headcount", lang))
ax.legend()
plt.show()
extra_ref = extra_staff(normal, peak, TEMP_ROLES)
record("peak_orders", peak_orders_ref, unit="orders/day")
record("extra_people", int(extra_ref.sum()), unit="people", label_zh="临时加人", label_en="extra people")

# %% [markdown] tags=["lang-zh"]
# ## 三、临时工要花多少钱？
#
# `staffing.labour_cost(..., by_role=True)` 给出每个岗位**每人每月的雇主成本**：工资（按城市等级的
# 工资带）× 层级系数 ×（1 + 雇主附加成本 30%，社保等）。临时工按天计：月成本 ÷ 每月工作日 × 天数。

# %% [markdown] tags=["lang-en"]
# ## 3. What do the temporary staff cost?
#
# `staffing.labour_cost(..., by_role=True)` gives each role's **monthly employer cost per
# person**: the wage band of the city tier x the level multiplier x (1 + employer on-cost of
# 30 %, social insurance and the like). Temporary staff are paid by the day: monthly cost /
# workdays per month x days.

# %%
cost_month = staffing.labour_cost(None, req=peak, by_role=True).set_index("role_id")[
    "cost_cny_month_per_person"]
workdays = std["workdays_per_month"]
oncost = std["employer_oncost_share"]
display(pd.DataFrame({"name": role_names.reindex(TEMP_ROLES), "cost_cny_month_per_person":
                      cost_month.reindex(TEMP_ROLES)}))
print(f"workdays per month {workdays:g}; employer on-cost {oncost:.0%}; temporary staff for {temp_days} days")

# %% [markdown] tags=["lang-zh"]
# ### 练习 4.3
#
# 4.2 的临时工干 `temp_days` 天，总共要多少钱（元）？命名为 `temp_cost`。

# %% [markdown] tags=["lang-en"]
# ### Exercise 4.3
#
# What do the extra people of 4.2 cost for `temp_days` days, in CNY? Name it `temp_cost`.

# %% [markdown] tags=["hint", "lang-zh"]
# `(extra * cost_month[extra.index]).sum()` 是一个月的成本；再 ÷ `workdays` × `temp_days`。

# %% [markdown] tags=["hint", "lang-en"]
# `(extra * cost_month[extra.index]).sum()` is a month's cost; then / `workdays` x `temp_days`.

# %% tags=["solution"]
# 练习 4.3 / Exercise 4.3
temp_cost = (extra * cost_month[extra.index]).sum() / workdays * temp_days

# %% tags=["check"]
check_temp_cost(temp_cost, extra_ref, cost_month, workdays_per_month=workdays, days=temp_days,
                oncost_share=oncost, lang=lang)

# %% [markdown] tags=["lang-zh"]
# ## 四、在预算内做取舍
#
# 老板给临时工的预算是 `budget_cny` 元。如果超了，可以调整哪些“标准”？下表是几个会影响临时工人数的
# 标准，以及 `standards.csv` 给出的合理范围（`low`–`high`）。**方案只能在范围内取值**——
# 例如把回复时限从 30 秒放宽到 60 秒，或让客服同时聊更多会话。
#
# ### 练习 4.4
#
# 写一个方案 `plan = {standard_id: 数值, ...}`，让临时工成本不超过预算。检查会重新计算成本，并告诉你
# 超了多少、哪个岗位最贵。

# %% [markdown] tags=["lang-en"]
# ## 4. Trade-offs within the budget
#
# The owner's budget for temporary staff is `budget_cny` CNY. If the team costs more, which
# "standards" could change? The table lists standards that move the number of temporary staff,
# with the reasonable range `standards.csv` gives (`low`-`high`). **A plan must stay within
# the ranges**: for instance, relax the reply target from 30 s to 60 s, or let agents hold more
# chats at once.
#
# ### Exercise 4.4
#
# Write a plan `plan = {standard_id: value, ...}` whose temporary staff cost no more than the
# budget. The check recomputes the cost and tells you by how much you are over and which role
# costs most.

# %%
LEVERS = ["presale_concurrency", "aftersale_concurrency", "cs_answer_within_s",
          "cs_service_level_target", "cs_max_occupancy", "packing_orders_per_hour",
          "warehouse_overhead_share"]
levers = catalog.load_standards(lang).set_index("standard_id").loc[
    LEVERS, ["value", "low", "high", "unit", "description"]]
display(levers)
base_cost, base_by_role = plan_cost_cny({}, orders_per_day, peak_orders_ref, TEMP_ROLES, temp_days)
print(f"default plan: {base_cost:,.0f} CNY; budget {budget_cny:,.0f} CNY")

# %% [markdown] tags=["hint", "lang-zh"]
# 用 `plan_cost_cny(plan, orders_per_day, peak_orders_ref, TEMP_ROLES, temp_days)` 试算不同方案的成本。
# 先动最贵的岗位；想一想每个改动对顾客意味着什么。

# %% [markdown] tags=["hint", "lang-en"]
# Try plans with `plan_cost_cny(plan, orders_per_day, peak_orders_ref, TEMP_ROLES, temp_days)`.
# Start with the most expensive role, and think about what each change means for customers.

# %% tags=["solution"]
# 练习 4.4 / Exercise 4.4
plan = {"presale_concurrency": 5, "aftersale_concurrency": 3}

# %% tags=["check"]
check_budget_plan(plan, orders_per_day=orders_per_day, peak_orders=peak_orders_ref,
                  roles=TEMP_ROLES, days=temp_days, budget_cny=budget_cny, lang=lang)

# %%
my_plan = plan if isinstance(plan, dict) else {}
plan_cost, plan_by_role = plan_cost_cny(my_plan, orders_per_day, peak_orders_ref, TEMP_ROLES, temp_days)
fig, ax = plt.subplots(figsize=(8, 3.5))
x = np.arange(len(TEMP_ROLES))
ax.bar(x - 0.2, base_by_role.reindex(TEMP_ROLES), width=0.4,
       label={"zh": "默认方案", "en": "default plan"}[lang])
ax.bar(x + 0.2, plan_by_role.reindex(TEMP_ROLES), width=0.4,
       label={"zh": "你的方案", "en": "your plan"}[lang])
ax.set_xticks(x, role_names.reindex(TEMP_ROLES))
ax.set_ylabel({"zh": "临时工成本 (元)", "en": "temporary staff cost (CNY)"}[lang])
ax.set_title(f"{base_cost:,.0f} → {plan_cost:,.0f} / {budget_cny:,.0f}")
ax.legend()
plt.show()
record("temp_cost_default_cny", base_cost, unit="CNY")
record("temp_cost_plan_cny", plan_cost, unit="CNY")

# %% [markdown] tags=["teacher", "lang-zh"]
# **教师提示**：4.2 常见错误是直接填双 11 当天的人数（检查提示“减去平时已有的人”）；4.3 常见错误是
# 按整月付钱或漏掉附加成本。4.4 没有唯一答案：让几组学生比较方案——有人放宽回复时限，有人提高并发，
# 有人压库房——再讨论每种方案让谁承担了代价（顾客等待、客服压力、发货延迟）。

# %% [markdown] tags=["teacher", "lang-en"]
# **Teacher's note**: in 4.2 students often give the whole peak team (the check says "subtract
# the team you already have"); in 4.3 they pay a whole month or forget the on-cost. 4.4 has no
# single answer: let groups compare plans (a slower reply target, more chats per agent, a leaner
# warehouse) and discuss who bears each cost (customers waiting, agents under pressure, late
# shipping).

# %% [markdown] tags=["lang-zh"]
# ## 五、职业操守与自我评价
#
# - 降低服务标准省下的钱，是由顾客的等待换来的：在店铺首页和自动回复里**如实告知**大促期间的回复时间和发货时间；
# - 不“刷单”冲销量、不虚假宣传（违反《电子商务法》和平台规则）；
# - 临时工也受劳动法保护：按约定付酬、不安排无偿加班；
# - 报告成本时说明依据：本课的工资、附加成本和效率都来自 `standards.csv`，每个数都有出处和范围。
#
# **课程自我评价**（在能做到的项目前打 ✓）：
#
# - ☐ 我能说出网店的主要岗位群和各岗位的职责（L1）；
# - ☐ 我能用“访客 × 转化率”推算订单，并用文档自身的数字检验它（L2）；
# - ☐ 我能解释为什么客服要按高峰时段配置，为什么并发不能把人数除以并发数（L3）；
# - ☐ 我能在预算内为大促做出人员方案，并说明它的代价（L4）。
#
# [← L3](L3_queueing_intuition.ipynb) · [课程目录](00_index.ipynb)

# %% [markdown] tags=["lang-en"]
# ## 5. Professional ethics and self-assessment
#
# - Money saved by lowering service standards is paid for with customers' waiting: **tell them
#   honestly** on the shop page and in the auto-reply how long replies and shipping take during
#   the festival;
# - do not fake orders (刷单) or advertise falsely (against China's E-commerce Law and platform
#   rules);
# - temporary staff are protected by labour law: pay as agreed, no unpaid overtime;
# - state your basis when you report a cost: the wages, on-costs and productivity here all come
#   from `standards.csv`, each with a source and a range.
#
# **Course self-assessment** (tick what you can do):
#
# - ☐ I can name the main role groups of an online shop and the duties of its roles (L1);
# - ☐ I can derive orders from visitors x conversion and test a document with its own numbers (L2);
# - ☐ I can explain why customer service is staffed for the peak hour, and why concurrency does
#   not divide the team by the concurrency (L3);
# - ☐ I can plan a festival team within a budget and state what it costs customers and staff (L4).
#
# [← L3](L3_queueing_intuition.ipynb) · [Course index](00_index.ipynb)
