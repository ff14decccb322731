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
# # L1 · 网店岗位认知：岗位与职责
#
# **课程导入**（改编自教材《项目一 网店岗位认知》）：小徐是电子商务专业的毕业生，做过网店客服、推广，
# 也做过仓储和物流。现在他应聘到一家中老年女装网店负责运营。他的团队里会有哪些岗位？每个岗位做什么？
# 哪个岗位最适合他自己？教材用文字回答这些问题；本课用**数据表**回答：`data/roles.csv`（岗位）、
# `data/role_groups.csv`（岗位群）和 `data/duties.csv`（职责），它们都整理自种子文档并注明出处。
#
# **学习目标**
#
# - 知识目标：了解网店的岗位群、岗位和各岗位的职责；
# - 技能目标：用 pandas 对岗位和职责分组计数、按岗位群分类；
# - 素养目标：结合自己的特长找到适合自己的岗位，理解网店从业者的职业操守。
#
# 练习：1.1 每个岗位群的岗位数 · 1.2 每个岗位群的职责数 · 1.3 职责归类小测 · 1.4 找到适合自己的岗位群

# %% [markdown] tags=["lang-en"]
# # L1 · Knowing the roles: roles and duties
#
# **Lead-in** (adapted from the textbook chapter "Project 1: knowing the posts of an online shop"):
# Xiao Xu graduated in e-commerce and has worked in customer service, promotion, warehousing and
# logistics. Now he has been hired to run operations for an online shop selling women's clothing
# for the middle-aged. Which roles will his team have? What does each do? Which role suits him
# best? The textbook answers in prose; this lesson answers with **data tables**: `data/roles.csv`,
# `data/role_groups.csv` and `data/duties.csv`, compiled from the seed documents with sources.
#
# **Goals**
#
# - Knowledge: the role groups of an online shop, its roles and their duties;
# - Skills: count and classify roles and duties by group with pandas;
# - Attitude: match your own strengths to a role; the professional ethics of shop staff.
#
# Exercises: 1.1 roles per group · 1.2 duties per group · 1.3 quiz: which group does a duty
# belong to? · 1.4 find the role group that suits you

# %% tags=["parameters"]
lang: str = "zh"  # course language {zh, en}

# %%
import re

import matplotlib.pyplot as plt
from IPython.display import display

from ecomanalysis import catalog
from ecomanalysis.plots import label, use_style
from ecomanalysis.report import record
from ecomanalysis.teaching import (
    check_duties_per_group,
    check_duty_quiz,
    check_role_match,
    check_roles_per_group,
    keyword_match,
)

use_style()
groups = catalog.load_role_groups(lang)
roles = catalog.load_roles(lang)
duties = catalog.load_duties(lang)
print(f"{len(groups)} role groups, {len(roles)} roles, {len(duties)} duties")
display(groups[["group_id", "name"]].style.hide(axis="index"))

# %% [markdown] tags=["lang-zh"]
# ## 一、岗位与岗位群
#
# `roles` 每行是一个岗位：`role_id`、名称 `name`、所属岗位群 `group_id`、层级 `level`
# （老板、经理、主管、专员、助理）。先看前几行：

# %% [markdown] tags=["lang-en"]
# ## 1. Roles and role groups
#
# Each row of `roles` is one role: `role_id`, its `name`, its role group `group_id` and its
# `level` (owner, manager, supervisor, specialist, assistant). The first rows:

# %%
display(roles[["role_id", "name", "group_id", "level"]].head(6).style.hide(axis="index"))

# %% [markdown] tags=["lang-zh"]
# ### 练习 1.1
#
# 每个岗位群有多少个岗位？把结果写成以 `group_id` 为索引的 Series，命名为 `roles_per_group`。

# %% [markdown] tags=["lang-en"]
# ### Exercise 1.1
#
# How many roles does each role group have? Give a Series indexed by `group_id`, named
# `roles_per_group`.

# %% [markdown] tags=["hint", "lang-zh"]
# `DataFrame.groupby("列名").size()` 统计每组有多少行。

# %% [markdown] tags=["hint", "lang-en"]
# `DataFrame.groupby("column").size()` counts the rows of each group.

# %% tags=["solution"]
# 练习 1.1 / Exercise 1.1
roles_per_group = roles.groupby("group_id").size()

# %% tags=["check"]
check_roles_per_group(roles_per_group, lang=lang)

# %% [markdown] tags=["lang-zh"]
# ## 二、职责
#
# `duties` 每行是某个岗位的一条职责（`role_id`、`duty_no`、文字 `duty`、出处 `sources`）。
# 它没有岗位群这一列：要知道一条职责属于哪个岗位群，得先通过 `role_id` 和 `roles` 合并。

# %% [markdown] tags=["lang-en"]
# ## 2. Duties
#
# Each row of `duties` is one duty of a role (`role_id`, `duty_no`, the text `duty`, its
# `sources`). It has no role-group column: to know a duty's group, join it to `roles` on
# `role_id` first.

# %%
display(duties[["role_id", "duty_no", "duty"]].head(4).style.hide(axis="index"))

# %% [markdown] tags=["lang-zh"]
# ### 练习 1.2
#
# 每个岗位群有多少条职责？结果命名为 `duties_per_group`（以 `group_id` 为索引）。

# %% [markdown] tags=["lang-en"]
# ### Exercise 1.2
#
# How many duties does each role group have? Name the result `duties_per_group` (indexed by
# `group_id`).

# %% [markdown] tags=["hint", "lang-zh"]
# `duties.merge(roles[["role_id", "group_id"]], on="role_id")` 给每条职责加上岗位群，再分组计数。

# %% [markdown] tags=["hint", "lang-en"]
# `duties.merge(roles[["role_id", "group_id"]], on="role_id")` adds each duty's group; then
# group and count.

# %% tags=["solution"]
# 练习 1.2 / Exercise 1.2
duties_grouped = duties.merge(roles[["role_id", "group_id"]], on="role_id")
duties_per_group = duties_grouped.groupby("group_id").size()

# %% tags=["check"]
check_duties_per_group(duties_per_group, lang=lang)

# %% [markdown] tags=["lang-zh"]
# 下图把两个计数放在一起。运营管理类的职责远多于其他岗位群：种子文档把运营岗位写得最详细
# （运营经理一个岗位就有几十条）。**文档写得多，不等于工作量大**——工作量要看订单、咨询等驱动量，
# 这是 L2–L4 的内容。

# %% [markdown] tags=["lang-en"]
# The chart puts both counts side by side. Operations management has far more duties than any
# other group: the seed documents describe operations posts in the most detail (the operations
# manager alone has dozens). **Long descriptions are not a big workload**: workload follows
# orders and chats, the subject of L2-L4.

# %%
per_group = (
    duties.merge(roles[["role_id", "group_name"]], on="role_id").groupby("group_name").size()
    .rename("duties").to_frame()
    .join(roles.groupby("group_name").size().rename("roles"))
    .sort_values("duties")
)
fig, axes = plt.subplots(1, 2, figsize=(10, 4.5), sharey=True)
axes[0].barh(per_group.index, per_group["roles"], color="C0")
axes[0].set_xlabel(label("roles_count", lang))
axes[1].barh(per_group.index, per_group["duties"], color="C1")
axes[1].set_xlabel(label("duties", lang))
axes[0].set_ylabel(label("role_group", lang))
fig.tight_layout()
plt.show()
record("roles", len(roles), unit="roles", label_zh="岗位数", label_en="roles")
record("duties", len(duties), unit="duties", label_zh="职责条数", label_en="duties")

# %% [markdown] tags=["teacher", "lang-zh"]
# **教师提示**：1.1 最常见的错误是数成了职责条数（检查会指出）。可以让学生先猜哪个岗位群岗位最多、
# 哪个职责最多，再运行图表。讨论：为什么“客户服务类”岗位多而职责条数少？（客服岗位按售前、售中、
# 售后细分，每个岗位的职责写得简短。）

# %% [markdown] tags=["teacher", "lang-en"]
# **Teacher's note**: in 1.1 the most common mistake is counting duties (the check says so).
# Let students guess which group has the most roles and the most duties before running the
# chart. Discussion: why does customer service have many roles but few duties? (Its posts are
# split into pre-sale, in-sale and after-sale, each briefly described.)

# %% [markdown] tags=["lang-zh"]
# ## 三、小测：这条职责属于哪个岗位群？
#
# ### 练习 1.3
#
# 先读下面 5 条职责，**先凭自己的理解猜**它们各属于哪个岗位群，把 5 个 `group_id` 按顺序写进列表
# `quiz_answer`；再用检查看看数据怎么说。有几条并不显然：同一类工作在不同企业里可能归不同岗位群。

# %% [markdown] tags=["lang-en"]
# ## 3. Quiz: which group does this duty belong to?
#
# ### Exercise 1.3
#
# Read the five duties below, **guess first** which role group each belongs to, and put the five
# `group_id`s in order in a list `quiz_answer`; then see what the data say. Some are not obvious:
# the same kind of work can sit in different groups in different companies.

# %%
QUIZ = [("customer_service_specialist", 4), ("warehouse_logistics_specialist", 2),
        ("content_editor_designer", 1), ("merchandise_manager", 2), ("data_analyst", 4)]
seed_001 = "001_5fe5c0db2230dac5.txt"
keyed = duties[duties["sources"] == seed_001].set_index(["role_id", "duty_no"])
quiz = keyed.loc[QUIZ].reset_index()
display(quiz[["duty"]].style.set_properties(**{"text-align": "left"}))
print("group_id:", ", ".join(groups["group_id"]))

# %% [markdown] tags=["hint", "lang-zh"]
# 教师版的答案直接查表（合并 `roles`）。学生请先凭文字判断：“退换货”是客服的事还是仓库的事？
# “供应链管理”一定属于供应链管理类吗？

# %% [markdown] tags=["hint", "lang-en"]
# The teacher's solution looks the answer up (a merge with `roles`). Students: judge from the
# text first. Are returns and exchanges a customer-service or a warehouse job? Does
# "supply-chain management" always belong to the supply-chain group?

# %% tags=["solution"]
# 练习 1.3 / Exercise 1.3
quiz_answer = quiz.merge(roles[["role_id", "group_id"]], on="role_id")["group_id"].tolist()

# %% tags=["check"]
check_duty_quiz(quiz_answer, quiz, lang=lang)

# %% [markdown] tags=["lang-zh"]
# ## 四、分析自己的能力素质，找到适合自己的岗位
#
# 教材的任务 3 要求“分析自己的能力素质，找到适合自己的工作岗位”。我们用数据做一个简单版本：
# 写下几个描述你长处的关键词，看看每个岗位群有多大比例的职责提到了它们。
#
# ### 练习 1.4
#
# 先修改下一个单元中的 `my_keywords`（写你自己的长处）。然后计算每个岗位群中**提到任一关键词的职责
# 所占的比例**，得到以 `group_id` 为索引、从大到小排序的 Series `match_share`。

# %% [markdown] tags=["lang-en"]
# ## 4. Analyse your own strengths and find a role that suits you
#
# Task 3 of the textbook asks students to "analyse your abilities and find a suitable post". A
# simple data version: write a few keywords for your strengths and see what share of each role
# group's duties mention them.
#
# ### Exercise 1.4
#
# First edit `my_keywords` in the next cell (your own strengths). Then compute, for each role
# group, **the share of its duties that mention any of the keywords**: a Series `match_share`
# indexed by `group_id`, largest first.

# %%
my_keywords = {"zh": ["数据", "分析", "客户"], "en": ["data", "analys", "customer"]}[lang]

# %% [markdown] tags=["hint", "lang-zh"]
# `Series.str.contains("数据|分析")` 判断每条文字是否含任一关键词（`|` 表示“或”）；
# 布尔值的平均数就是比例：`hits.groupby(组).mean()`。

# %% [markdown] tags=["hint", "lang-en"]
# `Series.str.contains("data|analys")` tells whether each text contains any keyword (`|` means
# "or"); the mean of booleans is a share: `hits.groupby(group).mean()`.

# %% tags=["solution"]
# 练习 1.4 / Exercise 1.4
pattern = "|".join(re.escape(k.lower()) for k in my_keywords)
with_groups = duties.merge(roles[["role_id", "group_id"]], on="role_id")
hits = with_groups["duty"].str.lower().str.contains(pattern)
match_share = hits.groupby(with_groups["group_id"]).mean().sort_values(ascending=False)

# %% tags=["check"]
check_role_match(match_share, my_keywords, lang=lang)

# %%
match = keyword_match(my_keywords, lang=lang).join(groups.set_index("group_id")["name"])
fig, ax = plt.subplots(figsize=(8, 4))
ax.barh(match["name"][::-1], match["share"][::-1], color="C2")
ax.xaxis.set_major_formatter(lambda x, _: f"{x:.0%}")
ax.set_xlabel({"zh": "提到你的关键词的职责占比", "en": "share of duties mentioning your keywords"}[lang])
ax.set_title(", ".join(my_keywords))
plt.show()
record("best_match_share", float(match["share"].iloc[0]), unit="fraction")

# %% [markdown] tags=["lang-zh"]
# 关键词匹配只是起点：它看不到“抗压”“细心”这类素质，也会漏掉同义词。把结果和教材里的
# 素质要求（市场判断、价格分析、网络推广、服务意识、责任心……）对照，写一份**个人能力分析书**：
# 你的长处、短板、最适合的岗位群，以及为此还要学什么。
#
# ## 五、网店从业者的职业操守
#
# 教材列出电商人的基本道德：坚持原则、忠于职守；求实务新、勤劳踏实；谦虚谨慎、秉公办事；
# 廉洁奉公、正直诚信；实事求是、端正思想；提升自我、勤奋学习。
#
# **讨论**：`duties` 里财务岗位有一条“合理避税”。合理避税与偷税漏税的界线在哪里？
# 如果老板要你为了双 11 排名“刷单”，你会怎么做？数据分析师又该如何对待不利于老板预期的数据？
#
# **小结**：岗位按岗位群组织；职责数据告诉我们每个岗位做什么，却不告诉我们要几个人。
# 下一课从订单出发，看团队怎样随店铺成长。
#
# [← 课程目录](00_index.ipynb) · [下一课 L2 →](L2_growth_stages.ipynb)

# %% [markdown] tags=["lang-en"]
# Keyword matching is only a start: it cannot see qualities such as coping with pressure or
# care for detail, and misses synonyms. Compare the result with the textbook's list of qualities
# (market judgement, pricing, online promotion, service attitude, responsibility...) and write a
# **personal ability statement**: your strengths, weaknesses, the role group that suits you best
# and what you still need to learn for it.
#
# ## 5. Professional ethics
#
# The textbook lists the basic ethics of e-commerce staff: keep to principles and be loyal to
# the job; be practical, innovative and hard-working; be modest, careful and fair; be honest and
# incorruptible; seek truth from facts; keep learning.
#
# **Discussion**: a finance duty in `duties` reads "minimise tax lawfully" (合理避税). Where is
# the line between tax planning and tax evasion? If the owner asked you to fake orders (刷单)
# to climb the Double 11 rankings, what would you do? How should a data analyst treat figures
# that disappoint the owner?
#
# **Summary**: roles are organised in groups; the duty data tell us what each role does, but
# not how many people it needs. The next lesson starts from orders and follows the team as the
# shop grows.
#
# [← Course index](00_index.ipynb) · [Next: L2 →](L2_growth_stages.ipynb)
