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
# # 01 · 网店岗位与团队 / Roles and teams of an online shop
#
# Which roles does an e-commerce shop have, what does each do, and how do they group into
# departments? Everything below is loaded from the validated reference tables in `data/`
# (`roles.csv`, `role_groups.csv`, `duties.csv`, `departments.csv`, `department_roles.csv`),
# which were extracted from the five seed documents; every row cites its seed file.
#
# 网店有哪些岗位？各自做什么？如何组成部门？以下数据全部来自 `data/` 中经过校验的参考表，
# 每一行都注明了来源文档。

# %% tags=["parameters"]
lang: str = "zh"  # language of names and labels {zh, en}
role_id: str = "presale_cs"  # role whose duties are listed in full (role_id of data/roles.csv)

# %%
import matplotlib.pyplot as plt
from IPython.display import Markdown, display

from ecomanalysis import catalog, charts
from ecomanalysis.plots import label, use_style
from ecomanalysis.render import table
from ecomanalysis.report import record
from ecomanalysis.report.params import require_choice
from ecomanalysis.safetext import md

# %%
use_style()
require_choice("role_id", role_id)  # a role of data/roles.csv (with close matches suggested)
groups = catalog.load_role_groups(lang)
roles = catalog.load_roles(lang)
duties = catalog.load_duties(lang)
departments = catalog.load_departments(lang)
dept_roles = catalog.load_department_roles()
record("roles", len(roles), unit="roles")
record("role_groups", len(groups), unit="groups")
record("duties", len(duties), unit="duties")

# %% [markdown]
# ## 岗位群 / Role groups

# %%
display(table(groups, lang, ["name", "description"], headers={"name": label("role_group", lang)}))

# %% [markdown]
# ## 每个岗位群的岗位 / Roles per group

# %%
charts.roles_per_group_chart(roles, lang)
plt.show()

# %%
display(table(roles.sort_values(["group_name", "level"]), lang,
              ["name", "group_name", "level", "workload_driver", "aliases_zh"]))

# %% [markdown]
# ## 职责 / Duties
#
# Number of duties the seeds list per role, and the full list for the role chosen in the
# parameters cell.

# %%
charts.duties_per_role_chart(duties, roles, lang)
plt.show()

# %%
chosen = roles.loc[roles["role_id"] == role_id, "name"]
display(Markdown(f"### {md(chosen.iloc[0])}"))
display(table(duties[duties["role_id"] == role_id], lang, ["duty", "sources"]))

# %% [markdown]
# ## 部门结构 / Department structures
#
# The seeds describe several ways to organise a shop: seed 002's small team, the small/medium
# and large structures of the textbook (seed 003), and the company structure of seed 004. Bars
# show the headcount range a seed states for each department (where it states one) and dots the
# number of distinct roles the department holds.

# %%
charts.department_chart(departments, dept_roles, lang)
plt.show()
