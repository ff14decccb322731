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
role_id: str = "presale_customer_service"  # role whose duties are listed in full

# %%
import matplotlib.pyplot as plt
import seaborn as sns
from IPython.display import Markdown, display

from ecomanalysis import catalog
from ecomanalysis.plots import label, use_style
from ecomanalysis.report import record
from ecomanalysis.safetext import md

use_style()
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
display(groups[["group_id", "name", "description"]].style.hide(axis="index"))

# %% [markdown]
# ## 每个岗位群的岗位 / Roles per group

# %%
per_group = roles.groupby("group_name").size().sort_values()
fig, ax = plt.subplots(figsize=(7, 0.45 * len(per_group) + 1))
per_group.plot.barh(ax=ax, color=sns.color_palette()[0])
ax.set_xlabel(label("roles_count", lang))
ax.set_ylabel(label("role_group", lang))
ax.set_title(label("roles_count", lang) + " · " + label("role_group", lang))
plt.show()

# %%
display(
    roles[["name", "group_name", "level", "workload_driver", "aliases_zh"]]
    .sort_values(["group_name", "level"])
    .style.hide(axis="index")
)

# %% [markdown]
# ## 职责 / Duties
#
# Number of duties the seeds list per role, and the full list for the role chosen in the
# parameters cell.

# %%
counts = (
    duties.merge(roles[["role_id", "name"]], on="role_id")
    .groupby("name")
    .size()
    .sort_values(ascending=False)
)
fig, ax = plt.subplots(figsize=(7, 0.3 * len(counts) + 1))
counts.sort_values().plot.barh(ax=ax, color=sns.color_palette()[1])
ax.set_xlabel(label("duties", lang))
ax.set_ylabel(label("role", lang))
plt.show()

# %%
chosen = roles.loc[roles["role_id"] == role_id, "name"]
display(Markdown(f"### {md(chosen.iloc[0] if len(chosen) else role_id)}"))
display(duties.loc[duties["role_id"] == role_id, ["duty", "sources"]].style.hide(axis="index"))

# %% [markdown]
# ## 部门结构 / Department structures
#
# The seeds describe several ways to organise a shop: seed 002's small team, the small/medium
# and large structures of the textbook (seed 003), and the company structure of seed 004. Bars
# show the headcount range a seed states for each department (where it states one) and dots the
# number of distinct roles the department holds.

# %%
roles_per_dept = dept_roles.groupby("department_id").size().rename("roles")
depts = departments.merge(roles_per_dept, left_on="department_id", right_index=True, how="left")
depts["roles"] = depts["roles"].fillna(0).astype(int)
structures = list(depts["structure_id"].unique())
fig, axes = plt.subplots(
    len(structures), 1, figsize=(8, 1.2 + 0.45 * len(depts)), squeeze=False,
    gridspec_kw={"height_ratios": [max(1, (depts["structure_id"] == s).sum()) for s in structures]},
)
for ax, structure in zip(axes[:, 0], structures, strict=True):
    d = depts[depts["structure_id"] == structure].reset_index(drop=True)
    y = range(len(d))
    lo = d["headcount_min"].astype(float)
    hi = d["headcount_max"].astype(float)
    ax.barh(y, (hi - lo).fillna(0), left=lo.fillna(0), color=sns.color_palette()[2], alpha=0.6,
            label=label("headcount", lang))
    ax.scatter(d["roles"], y, color="black", zorder=3, label=label("roles_count", lang))
    ax.set_yticks(list(y), d["name"])
    ax.set_title(structure)
    ax.legend(loc="lower right", fontsize=8)
axes[-1, 0].set_xlabel(label("headcount", lang) + " / " + label("roles_count", lang))
plt.tight_layout()
plt.show()
