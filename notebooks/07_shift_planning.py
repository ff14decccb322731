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
# # 07 · 排班 / Shift planning
#
# The plan says how many agents each half hour needs; a supervisor's next question is **who
# works when**: which shifts (早班 09:00-18:00, 晚班 13:00-22:00, a 15:00-24:00 close,
# part-timers for the evening peak), which two days off, where the meal break goes, and what
# Double 11 week looks like. This notebook turns the shop's plan (productive agents per
# interval, `plan.cs`; shrinkage is not added per hour, it is what breaks, rest days and
# absence take) into named weekly rosters with `ecomanalysis.roster` (OR-Tools CP-SAT):
#
# * full-time staff work 8 h a day and 40 h a week with two rest days; part-timers (非全日制)
#   at most 4 h a day and 24 h a week; day temps only on peak days;
# * overtime at most 3 h a day and 36 h a month (pro rata for a week that repeats), paid
#   1.5x on workdays, 2x on rest days, 3x on public holidays;
# * no late close followed by an early start (11 h rest), late shifts and weekends shared;
# * the warehouse packers against the parcel cut-off, with the same contracts.
#
# Every roster is verified by a checker that does not use the solver.
#
# 计划给出每半小时需要几名在线客服；主管接下来要问的是**谁在什么时候上班**：哪些班次、哪两天
# 休息、饭点放在哪儿、双11那一周怎么排。本笔记把店铺计划中的每时段在线人数（不含损耗：损耗
# 由休息、轮休和请假体现）排成具名的周排班表：全职每天8小时、每周40小时、休息两天；非全日制
# 每天不超过4小时、每周不超过24小时；日结临时工只在高峰日；加班每天不超过3小时、每月不超过
# 36小时，工作日1.5倍、休息日2倍、法定节假日3倍；收尾班后不接早班；晚班和周末轮流。
# 每张排班表都由一个不依赖求解器的检查程序逐条核对。

# %% tags=["parameters"]
lang: str = "zh"  # language of names and labels {zh, en}
shop_file: str = ""  # shop profile YAML; empty = bundled sample shop
event_week: str = "2026-11-09"  # a date in the event week to roster (Double 11); empty = skip
people: int = 0  # at most this many permanent people per unit; 0 = as many as the roster needs [0, 200]
seed: int = 0  # solver seed (same seed, same roster) [0, 1000]

# %%
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import display

from ecomanalysis import charts
from ecomanalysis.plan import make_plan
from ecomanalysis.plots import use_style
from ecomanalysis.render import shown
from ecomanalysis.report import record
from ecomanalysis.roster.check import check_roster
from ecomanalysis.roster.shop import shop_rosters
from ecomanalysis.roster.tables import roster_section_tables, service_levels, status_text, text

# %%
use_style()
t = text(lang)
plan = make_plan(shop_file or None, lang=lang, peak=bool(event_week))
week = shop_rosters(plan, people=people or None, seed=seed)
for unit, r in week.rosters.items():
    problems = check_roster(r)
    assert not problems, problems  # the law holds person by person
    print(f"{t[unit]}: {status_text(r, lang)} · {t['paid_hours']} {r.paid_hours:g} · "
          f"{r.solve_s:.1f} s")

# %% [markdown]
# ## 一周排班 / A normal week
#
# Person x day: the shift and its unpaid meal break; 休 / off marks a full-timer's rest day.
# The summary gives people by contract, paid and overtime hours, and the pay in normal-wage
# hours (overtime and temps at their multipliers).

# %%
tables = {u: roster_section_tables(r, lang, plan if u != "warehouse" else None)
          for u, r in week.rosters.items()}
for unit, tabs in tables.items():
    print(f"== {t[unit]}")
    display(shown(tabs["summary"]))
    display(shown(tabs["roster"]))

# %% [markdown]
# ## 覆盖与服务水平 / Coverage and service level
#
# Pre-sale agents required (the plan) against agents on seat (the roster) through the week,
# and the service level each interval then reaches with the plan's chat model (answered
# within the target time; the table adds a simulated day of each rostered day, with queues
# carried over between intervals). Extra people on seat come from whole shifts: a shift
# cannot end the moment the peak ends.

# %%
r = week.rosters["presale"]
sl = service_levels(r, plan)
charts.roster_coverage_chart(r, sl, plan.std["cs_service_level_target"], lang)
plt.show()
display(shown(tables["presale"]["coverage"], precision=2))
record("presale_paid_hours_week", r.paid_hours, unit="h/week", label_zh="售前周带薪小时",
       label_en="pre-sale paid hours per week")
record("presale_people", int(r.assignments["person"].nunique()), unit="people",
       label_zh="售前排班人数", label_en="pre-sale people rostered")
record("min_service_level", round(float(np.nanmin(sl["service_level"])), 3), unit="fraction",
       label_zh="最低服务水平", label_en="lowest service level")

# %% [markdown]
# ## 每人工时 / Hours per person
#
# Days, paid hours, overtime, late shifts and weekend days per person: the fairness rule keeps
# the most late shifts and weekend days any full-timer gets as low as the cost allows.

# %%
display(shown(tables["presale"]["people"], precision=1))
charts.hours_per_person_chart(week.rosters["presale"].people(), lang)
plt.show()

# %% [markdown]
# ## 双11周 / The event week
#
# The event week takes each day's forecast orders; Double 11 opens at 00:00
# (`data/event_hours.csv`), so the 00:00-02:00 rush is in the requirement. The week is one-off:
# each person may use the whole monthly overtime cap, and day temps fill the peak day.

# %%
if event_week:
    ev = shop_rosters(plan, week=event_week, units=("presale",), people=people or None, seed=seed)
    er = ev.rosters["presale"]
    assert not check_roster(er)
    display(shown(ev.days, formatter={"orders_per_day": "{:,.0f}"}))
    charts.requirement_heatmap(ev.requirements["presale"].set_index("day"), lang)
    plt.show()
    etabs = roster_section_tables(er, lang, None)
    display(shown(etabs["summary"]))
    print(status_text(er, lang))
    record("event_week_paid_hours", er.paid_hours, unit="h/week", label_zh="活动周带薪小时",
           label_en="event-week paid hours")
    record("event_week_temps", int((er.assignments["contract"] == "temp").sum()),
           unit="temp days", label_zh="活动周临时工人天", label_en="event-week temp days")

# %% [markdown]
# ## 仓库 / Warehouse packers
#
# Packers on duty from the warehouse start to the courier pick-up, enough that every order
# paid before the cut-off leaves the same day, with the same contracts and rules.

# %%
display(shown(tables["warehouse"]["summary"]))
display(shown(tables["warehouse"]["roster"]))
record("warehouse_paid_hours_week", week.rosters["warehouse"].paid_hours, unit="h/week",
       label_zh="仓库周带薪小时", label_en="warehouse paid hours per week")
