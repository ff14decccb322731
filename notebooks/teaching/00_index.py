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
# # 数据驱动的网店岗位配置 · 课程目录
#
# 这是一门短课（4 课，每课约 45 分钟），面向电子商务专业的学生。它沿用教材《项目一 网店岗位认知》的
# 结构——**认识岗位 → 组建团队 → 职业操守与自我评价**——并更进一步：用数据表和模型回答
# “要几个人、什么时候加人、花多少钱”。
#
# | 课 | 内容 | 对应教材 |
# |---|---|---|
# | [L1 · 岗位与职责](L1_roles_and_duties.ipynb) | 岗位群、岗位、职责的统计与分类；用关键词找到适合自己的岗位群；职业操守 | 网店岗位认知；任务 3 分析自己的能力素质 |
# | [L2 · 成长阶段与订单漏斗](L2_growth_stages.ipynb) | 订单 = 访客 × 转化率；用原文自己的数字检验原文（第 4 阶段的矛盾）；原文团队与模型团队 | 网店团队组建 |
# | [L3 · 客服排队的直觉](L3_queueing_intuition.ipynb) | 模拟一天的咨询；为什么一个客服顶不住 21:00；并发为什么没有想象中有用 | 客服岗位（团队组建） |
# | [L4 · 在预算内为双 11 组建团队](L4_double11_team_budget.ipynb) | 真实数据中的双 11 倍数；临时加人；工资与附加成本；在预算内取舍；职业操守与自我评价 | 团队组建；职业操守；项目总结 |
#
# **每课的结构**：学习目标 → 讲解 → 练习（提示可以展开）→ 检查（✓/✗ 并说明错在哪里）→ 小结。
# 检查函数来自 `ecomanalysis.teaching`，它们会指出典型错误，例如“你的转化率是百分数，不是小数”、
# “你按日平均配置了人手，看看 21:00”。
#
# **预备知识**：Python 基础和一点 pandas（`groupby`、`merge`）。

# %% [markdown] tags=["lang-en"]
# # Data-driven e-commerce staffing · Course index
#
# A short course (4 lessons of about 45 minutes) for e-commerce students. It follows the
# structure of the textbook chapter "Project 1: knowing the posts of an online shop" (**know the
# roles -> build a shop team -> professional ethics and self-assessment**) and goes further: data
# tables and models answer "how many people, when to hire, at what cost".
#
# | Lesson | What it teaches | Textbook part |
# |---|---|---|
# | [L1 · Roles and duties](L1_roles_and_duties.ipynb) | counting and classifying role groups, roles and duties; matching yourself to a role group by keywords; ethics | knowing the posts; task 3, analyse your own abilities |
# | [L2 · Growth stages and the order funnel](L2_growth_stages.ipynb) | orders = visitors x conversion; testing the seed with its own numbers (stage 4's contradiction); the seed's team versus the model's | building the team |
# | [L3 · Queueing intuition](L3_queueing_intuition.ipynb) | a simulated day of chats; why one agent cannot cover 21:00; why concurrency helps less than it seems | customer-service posts (building the team) |
# | [L4 · A Double 11 team within a budget](L4_double11_team_budget.ipynb) | the Double 11 multiple in real data; temporary staff; wages and on-costs; trade-offs within a budget; ethics and self-assessment | building the team; ethics; project summary |
#
# **Each lesson**: goals -> narrative -> exercises (hints unfold) -> checks (✓/✗ saying what went
# wrong) -> summary. The checks come from `ecomanalysis.teaching` and name typical mistakes,
# e.g. "your conversion is a percentage, not a fraction", "you sized for the daily average, look
# at 21:00".
#
# **Prerequisites**: basic Python and a little pandas (`groupby`, `merge`).

# %% tags=["parameters"]
lang: str = "zh"  # course language {zh, en}

# %%
import matplotlib.pyplot as plt
from IPython.display import display

from ecomanalysis.plots import use_style
from ecomanalysis.report import record
from ecomanalysis.teaching.build import course_outline

use_style()
outline = course_outline(lang)
lessons = outline[outline["lesson"].str.startswith("L")]
display(lessons.style.hide(axis="index"))

# %% [markdown] tags=["lang-zh"]
# 每课的练习、提示和检查数（由课程源文件统计）：

# %% [markdown] tags=["lang-en"]
# Exercises, hints and checks per lesson (counted from the lesson sources):

# %%
fig, ax = plt.subplots(figsize=(7, 3))
width = 0.27
x = range(len(lessons))
for i, (col, name) in enumerate([("exercises", {"zh": "练习", "en": "exercises"}),
                                 ("hints", {"zh": "提示", "en": "hints"}),
                                 ("checks", {"zh": "检查", "en": "checks"})]):
    ax.bar([v + (i - 1) * width for v in x], lessons[col], width=width, label=name[lang])
ax.set_xticks(list(x), lessons["lesson"])
ax.legend()
plt.show()
record("lessons", len(lessons), unit="lessons")
record("exercises", int(lessons["exercises"].sum()), unit="exercises")

# %% [markdown] tags=["lang-zh"]
# ## 教师版与学生版
#
# 一份源文件生成两个版本、两种语言：
#
# ```
# ecomanalysis teaching build                 # 中英文、教师版和学生版
# ecomanalysis teaching build --lang zh --edition student --out 课程
# ```
#
# - **教师版**：含参考答案和教师提示，已运行（图表和检查结果都在），`.ipynb` 和 HTML；
# - **学生版**：答案换成 `答案 = ...` 的空白练习，去掉教师提示，未运行，`.ipynb` 和 HTML。
#
# 数据都来自 `data/` 下注明出处的表格；课中的数字可以追溯到种子文档或公开数据。

# %% [markdown] tags=["lang-en"]
# ## Teacher and student editions
#
# One source builds two editions in two languages:
#
# ```
# ecomanalysis teaching build                 # zh and en, teacher and student
# ecomanalysis teaching build --lang en --edition student --out course
# ```
#
# - **teacher edition**: solutions and teacher's notes, executed (charts and check results
#   shown), as `.ipynb` and HTML;
# - **student edition**: solutions replaced by empty exercises `answer = ...`, no teacher's
#   notes, not executed, as `.ipynb` and HTML.
#
# All data come from the tables in `data/`, each row with its source; every number in the course
# traces back to a seed document or a public data set.
