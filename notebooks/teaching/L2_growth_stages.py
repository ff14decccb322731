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
# # L2 · 网店团队组建：成长阶段与订单漏斗
#
# 教材的第二部分是“网店团队组建”：不同规模的网店设置哪些岗位。种子文档 002 是一位卖家的经验：
# 店铺从开张时老板一人包揽，到一周岁时日均 500–800 单、一个团队。它给出了每个阶段的访客、
# 转化率和订单——我们可以**用它自己的数字检验它的说法**。
#
# **学习目标**
#
# - 知识目标：网店成长的五个阶段，以及各阶段的团队；
# - 技能目标：用“订单 = 访客 × 转化率”推算订单，区分百分数和小数；用文档自身的数字检验其说法；
# - 素养目标：区分“原文给出”与“推算”的数字，实事求是地报告矛盾。
#
# 练习：2.1 第 3 阶段的订单范围 · 2.2 第 4 阶段隐含的转化率 · 2.3 第 4 阶段的数字自洽吗 ·
# 2.4 模型给出的团队规模

# %% [markdown] tags=["lang-en"]
# # L2 · Building the team: growth stages and the order funnel
#
# The textbook's second part is "building the shop team": which posts a shop of each size
# needs. Seed 002 is a seller's own account: from the owner doing everything at launch to a team
# handling 500-800 orders a day at the first birthday. It gives visitors, conversion and orders
# for several stages, so we can **test its claims with its own numbers**.
#
# **Goals**
#
# - Knowledge: the five growth stages of a shop and the team at each;
# - Skills: orders = visitors x conversion; percentages versus fractions; testing a document
#   with its own numbers;
# - Attitude: tell stated figures from derived ones, and report contradictions honestly.
#
# Exercises: 2.1 stage 3's order range · 2.2 the conversion stage 4 implies · 2.3 are stage 4's
# numbers consistent? · 2.4 the team the model needs

# %% tags=["parameters"]
lang: str = "zh"  # course language {zh, en}

# %%
import matplotlib.pyplot as plt
from IPython.display import display

from ecomanalysis import catalog, staffing
from ecomanalysis.plots import label, use_style
from ecomanalysis.report import record
from ecomanalysis.teaching import (
    check_conversion,
    check_orders_range,
    check_stage_consistency,
    check_team_size,
)

use_style()
stages = catalog.load_stages(lang).set_index("stage_id")
cols = ["name", "days_since_launch_min", "days_since_launch_max", "daily_visitors_min",
        "daily_visitors_max", "conversion_min", "conversion_max", "daily_orders_min",
        "daily_orders_max", "derived_fields"]
display(stages[cols].style.format(precision=3, na_rep="–"))

# %% [markdown] tags=["lang-zh"]
# `derived_fields` 列出**不是原文直接给出、而是推算出来**的列。例如第 3 阶段的订单（80–150）是用
# 访客 × 转化率算出来的；第 4 阶段的转化率（4–5%）是从第 3 阶段沿用的。
#
# ## 一、漏斗：订单 = 访客 × 转化率
#
# 转化率是**比例**：4% 的转化率写成小数是 0.04，表里存的也是小数。
#
# ### 练习 2.1
#
# 第 3 阶段（`s3`）每天 2000–3000 访客、转化率 4–5%。每天的订单在什么范围？结果写成元组
# `orders_range = (下限, 上限)`。

# %% [markdown] tags=["lang-en"]
# `derived_fields` lists the columns that the seed **does not state but that were derived**. Stage
# 3's orders (80-150), for instance, are visitors x conversion; stage 4's conversion (4-5 %) is
# carried over from stage 3.
#
# ## 1. The funnel: orders = visitors x conversion
#
# Conversion is a **ratio**: a 4 % conversion is the fraction 0.04, and the table stores
# fractions.
#
# ### Exercise 2.1
#
# Stage 3 (`s3`) has 2000-3000 visitors a day and 4-5 % conversion. What is the range of orders
# per day? Give a tuple `orders_range = (min, max)`.

# %%
s3 = stages.loc[3]
s4 = stages.loc[4]
print(s3[["daily_visitors_min", "daily_visitors_max", "conversion_min", "conversion_max"]])

# %% [markdown] tags=["hint", "lang-zh"]
# 最少的订单 = 最少的访客 × 最低的转化率；最多的订单 = 最多的访客 × 最高的转化率。
# 用 `s3.daily_visitors_min`、`s3.conversion_min` 等。

# %% [markdown] tags=["hint", "lang-en"]
# Fewest orders = fewest visitors x lowest conversion; most orders = most visitors x highest
# conversion. Use `s3.daily_visitors_min`, `s3.conversion_min` and so on.

# %% tags=["solution"]
# 练习 2.1 / Exercise 2.1
orders_range = (s3.daily_visitors_min * s3.conversion_min, s3.daily_visitors_max * s3.conversion_max)

# %% tags=["check"]
check_orders_range(orders_range, visitors=(s3.daily_visitors_min, s3.daily_visitors_max),
                   conversion=(s3.conversion_min, s3.conversion_max), lang=lang)

# %% [markdown] tags=["lang-zh"]
# ## 二、检验原文：第 4 阶段
#
# 原文：“每天访客基本要到 6000–8000，甚至 10000”，“在类目的平均转化率下每天订单要到 200–300 单”。
#
# ### 练习 2.2
#
# 按访客和订单的**下限**（6000 访客、200 单），原文隐含的转化率是多少？写成小数 `conversion`。

# %% [markdown] tags=["lang-en"]
# ## 2. Testing the seed: stage 4
#
# The seed: "visitors should reach 6000-8000 a day, even 10000" and "at the category's average
# conversion, orders should reach 200-300 a day".
#
# ### Exercise 2.2
#
# At the **low end** (6000 visitors, 200 orders), what conversion do the seed's numbers imply?
# Give it as a fraction, `conversion`.

# %% [markdown] tags=["hint", "lang-zh"]
# 转化率 = 订单 ÷ 访客，是 0 到 1 之间的数。

# %% [markdown] tags=["hint", "lang-en"]
# Conversion = orders / visitors, a number between 0 and 1.

# %% tags=["solution"]
# 练习 2.2 / Exercise 2.2
conversion = s4.daily_orders_min / s4.daily_visitors_min

# %% tags=["check"]
check_conversion(conversion, orders=s4.daily_orders_min, visitors=s4.daily_visitors_min, lang=lang)

# %% [markdown] tags=["lang-zh"]
# ### 练习 2.3
#
# 如果第 4 阶段的转化率真是第 3 阶段的 4–5%（表中 `s4.conversion_min/max`），6000–10000 访客
# 对应多少订单？原文的 200–300 单落在这个范围里吗？把答案写成 `consistent = True` 或 `False`。

# %% [markdown] tags=["lang-en"]
# ### Exercise 2.3
#
# If stage 4's conversion really were stage 3's 4-5 % (`s4.conversion_min/max` in the table),
# how many orders would 6000-10000 visitors give? Does the seed's 200-300 fall inside that
# range? Answer `consistent = True` or `False`.

# %% [markdown] tags=["hint", "lang-zh"]
# 先像 2.1 那样算出隐含的订单范围 `(低, 高)`，再判断 `低 <= 200` 且 `300 <= 高` 是否成立。

# %% [markdown] tags=["hint", "lang-en"]
# First compute the implied order range `(low, high)` as in 2.1, then test whether
# `low <= 200` and `300 <= high`.

# %% tags=["solution"]
# 练习 2.3 / Exercise 2.3
implied = (s4.daily_visitors_min * s4.conversion_min, s4.daily_visitors_max * s4.conversion_max)
consistent = bool(implied[0] <= s4.daily_orders_min and s4.daily_orders_max <= implied[1])

# %% tags=["check"]
check_stage_consistency(consistent, 4, lang=lang)

# %% [markdown] tags=["lang-zh"]
# 下图：柱子是“访客 × 转化率”推出的订单范围，黑色标记是表中的订单（空心 = 推算值）。
# 第 4 阶段的 200 单低于 6000 × 4% = 240 单：要么访客少于原文说的，要么转化率只有约 3.3%。
# 两种解释都合理——**把矛盾摆出来，而不是悄悄改掉一个数**。

# %% [markdown] tags=["lang-en"]
# The chart: bars are the order range implied by visitors x conversion; black markers are the
# orders in the table (hollow = derived). Stage 4's 200 orders are below 6000 x 4 % = 240: either
# there were fewer visitors than stated, or conversion was only about 3.3 %. Both readings are
# possible: **show the contradiction rather than quietly changing a number**.

# %%
funnel = catalog.stage_funnel(lang).dropna(subset=["orders_max"]).reset_index(drop=True)
fig, ax = plt.subplots(figsize=(8, 4))
x = funnel["stage_id"].to_numpy()
lo, hi = funnel["implied_orders_min"], funnel["implied_orders_max"]
ax.bar(x, (hi - lo).fillna(0), bottom=lo.fillna(0), width=0.5, alpha=0.35, color="C0",
       label={"zh": "访客 × 转化率", "en": "visitors x conversion"}[lang])
derived = funnel["orders_derived"].to_numpy(bool)
for col, marker in (("orders_min", "v"), ("orders_max", "^")):
    ax.scatter(x[~derived], funnel[col][~derived], marker=marker, color="black", zorder=3)
    ax.scatter(x[derived], funnel[col][derived], marker=marker, facecolors="none",
               edgecolors="black", zorder=3)
ax.set_xticks(x, funnel["name"], rotation=10)
ax.set_ylabel(label("orders_per_day", lang))
ax.legend(loc="upper left")
plt.show()
record("stage4_implied_conversion", float(s4.daily_orders_min / s4.daily_visitors_min),
       unit="fraction", label_zh="第4阶段隐含转化率", label_en="stage 4 implied conversion")

# %% [markdown] tags=["teacher", "lang-zh"]
# **教师提示**：2.1 的典型错误是把 4% 当成 4 来乘（得到 8000–15000 单），检查会提示“百分数不是小数”；
# 另一个是下限配上限。2.3 之后可以讨论：原文写“在类目的平均转化率下”，而作者在第 3 阶段说行业平均是
# 4–5%——作者可能默认第 4 阶段的类目转化更低。让学生写一句“如何向老板报告这个矛盾”。

# %% [markdown] tags=["teacher", "lang-en"]
# **Teacher's note**: the typical mistake in 2.1 is multiplying by 4 instead of 0.04 (8000-15000
# orders); the check says "a percentage, not a fraction". Another is pairing a minimum with a
# maximum. After 2.3, discuss: the seed says "at the category's average conversion", and at
# stage 3 the author called 4-5 % the industry average; perhaps the author assumed a lower
# category average at stage 4. Ask students to write one sentence reporting the contradiction
# to the owner.

# %% [markdown] tags=["lang-zh"]
# ## 三、原文的团队与模型的团队
#
# 原文第 4 阶段的团队是 7–10 人（老板、店长、推广、运营、售前、售后、库管）。`ecomanalysis` 的
# 人员模型从订单出发，按每个岗位的工作量和客服排队（L3）算出人数。
#
# ### 练习 2.4
#
# 用 `staffing.requirements(250)`（第 4 阶段的中间值 250 单/天）求模型给出的**总人数**
# `team_size`。

# %% [markdown] tags=["lang-en"]
# ## 3. The seed's team and the model's team
#
# The seed's stage-4 team has 7-10 people (owner, store manager, promotion, operations,
# pre-sale and after-sale service, warehouse). The `ecomanalysis` staffing model starts from
# orders and sizes each role from its workload and, for customer service, from queueing (L3).
#
# ### Exercise 2.4
#
# With `staffing.requirements(250)` (stage 4's middle, 250 orders a day), find the model's
# **total headcount**, `team_size`.

# %% [markdown] tags=["hint", "lang-zh"]
# 结果每行一个岗位，有 `fte`（全职当量，可以是小数）和 `headcount`（人数，整数）两列。人是整数。

# %% [markdown] tags=["hint", "lang-en"]
# The result has one row per role, with `fte` (full-time equivalents, may be fractional) and
# `headcount` (whole people). People come whole.

# %% tags=["solution"]
# 练习 2.4 / Exercise 2.4
team_size = int(staffing.requirements(250)["headcount"].sum())

# %% tags=["check"]
check_team_size(team_size, 250, lang=lang)

# %%
seed_team = catalog.stage_team(lang).set_index("stage_id").loc[[3, 4, 5]]
levels = stages.loc[[3, 4, 5], ["daily_orders_min", "daily_orders_max"]]
req = staffing.requirements(sorted(set(levels.to_numpy().ravel()) | {250.0}))
model_team = req.groupby("orders_per_day")["headcount"].sum()
fig, ax = plt.subplots(figsize=(8, 4))
for i, (sid, row) in enumerate(levels.iterrows()):
    ax.plot([i - 0.1] * 2, seed_team.loc[sid, ["headcount_min", "headcount_max"]], lw=8, alpha=0.6,
            color="C1", solid_capstyle="butt", label={"zh": "原文", "en": "seed"}[lang] if i == 0 else None)
    ax.plot([i + 0.1] * 2, model_team.loc[[row.daily_orders_min, row.daily_orders_max]], lw=8,
            alpha=0.6, color="C0", solid_capstyle="butt",
            label={"zh": "模型", "en": "model"}[lang] if i == 0 else None)
ax.set_xticks(range(3), [f"{seed_team.loc[s, 'name']}\n{levels.loc[s].iloc[0]:.0f}–{levels.loc[s].iloc[1]:.0f}"
                         for s in levels.index], fontsize=8)
ax.set_ylabel(label("team_size", lang))
ax.legend()
plt.show()
record("model_team_250", int(model_team.loc[250.0]), unit="people",
       label_zh="250 单/天的模型团队", label_en="model team at 250 orders/day")

# %% [markdown] tags=["lang-zh"]
# 模型的团队比原文大，主要差在客服：模型要求 9:00–24:00 每个时段 80% 的咨询在 30 秒内被接起，
# 晚上高峰需要好几个人（L3 会解释为什么）。原文的卖家很可能接受更慢的回复。哪一个“对”？
# 取决于店铺愿意为回复速度付多少钱——L4 会在预算内做这个取舍。
#
# **小结**：订单 = 访客 × 转化率；转化率用小数；用文档自己的数字检验它，把推算值和原文值分开。
#
# [← L1](L1_roles_and_duties.ipynb) · [课程目录](00_index.ipynb) · [下一课 L3 →](L3_queueing_intuition.ipynb)

# %% [markdown] tags=["lang-en"]
# The model's team is bigger than the seed's, mostly in customer service: the model answers 80 %
# of chats within 30 s in every half hour from 9:00 to 24:00, and the evening peak needs several
# people (L3 explains why). The seller in the seed probably accepted slower replies. Which one is
# "right"? It depends on what the shop will pay for fast replies; L4 makes that trade-off within a
# budget.
#
# **Summary**: orders = visitors x conversion; conversion is a fraction; test a document with its
# own numbers, and keep derived figures apart from stated ones.
#
# [← L1](L1_roles_and_duties.ipynb) · [Course index](00_index.ipynb) · [Next: L3 →](L3_queueing_intuition.ipynb)
