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
# # 06 · 大促人员规划 / Planning the staff of a promotion peak
#
# A shop's hardest days are known months ahead: Double 11 (11-11), 618, Double 12. On Double 11
# the Tianchi shop history shows 6-9x a normal day, and seed 002's author underestimated his
# first one and "could not keep up with the chats". This notebook forecasts the shop's orders
# with the event calendar, turns the forecast into people per role day by day with the staffing
# model, and answers four questions: how many temporary staff beyond the permanent team, by when
# to start hiring them (15-30 days of ramp-up plus the recruitment lead), whether overtime within
# the Labour Law limits is cheaper than temps, and what share of chats the permanent team alone
# would answer in time on the peak day.
#
# 大促的日子提前几个月就知道。本笔记本用事件日历预测店铺订单,再用人员配置模型逐日换算成
# 各岗位人数,回答四个问题:除了正式团队还要多少临时工;考虑15-30天的上手期和招聘周期,最晚
# 什么时候开始招;在《劳动法》第41条的加班上限内加班是否比招临时工便宜;只靠正式团队,高峰日
# 有多少咨询能及时接起。
#
# All logic is in `ecomanalysis.forecast.peak` (`peak_plan`); every figure comes from
# `data/standards.csv` and `data/events_cn.csv`, each with a range and a source.

# %% tags=["parameters"]
lang: str = "zh"  # language of names and labels {zh, en}
shop_file: str = ""  # shop profile YAML; empty = bundled sample shop
event: str = "double11"  # event_id of data/events_cn.csv {double11, sale_618, double12, womens_day_38}
year: int = 0  # year of the event; 0 = the next one after the shop's history [0, 2035]
permanent: str = "auto"  # permanent team: larger of team and normal-day need, the team, the need {auto, team, baseline}
scenario: str = "forecast"  # forecast column the plan is sized on {forecast, lower, upper}
ramp_days: int = 0  # ramp-up days of new staff; 0 = the standards (22, range 15-30) [0, 90]
lead_days: int = 0  # recruitment lead days; 0 = the standard (14, range 7-30) [0, 90]
overtime_max_h_per_day: float = 3.0  # overtime per person per day, Labour Law art. 41 [0, 3]

# %%
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import display
from matplotlib.ticker import PercentFormatter

from ecomanalysis.forecast import peak_plan
from ecomanalysis.plots import label, use_style
from ecomanalysis.report import record
from ecomanalysis.safetext import plain

use_style()
zh = lang == "zh"
T = {
    "zh": {"history": "历史订单", "forecast": "预测(中位数)", "interval": "80% 预测区间",
           "presale": "预售期", "core": "活动日", "baseline": "基准期(正常日)",
           "window": "高峰窗口", "current": "现有团队", "permanent": "正式团队(规划)",
           "peak": "高峰需求", "temps": "临时工", "recruit": "招聘", "ramp": "培训上手",
           "needed": "需要临时工", "today": "规划日", "range": "招聘开始日范围",
           "sl_perm": "仅正式团队", "sl_temps": "正式团队 + 临时工", "target": "目标",
           "cost_temps": "全部用临时工", "cost_ot": "先加班, 其余临时工", "cny": "成本 (元)",
           "required": "模型需要的人数"},
    "en": {"history": "history", "forecast": "forecast (median)", "interval": "80 % interval",
           "presale": "pre-sale", "core": "event day(s)", "baseline": "baseline (normal days)",
           "window": "peak window", "current": "current team", "permanent": "permanent team",
           "peak": "peak need", "temps": "temps", "recruit": "recruit", "ramp": "ramp-up",
           "needed": "temps needed", "today": "plan date", "range": "hire-by range",
           "sl_perm": "permanent team only", "sl_temps": "permanent + temps", "target": "target",
           "cost_temps": "temps only", "cost_ot": "overtime first, then temps",
           "cny": "cost (CNY)", "required": "people the model asks"},
}[lang]
overrides = {"overtime_max_hours_per_day": overtime_max_h_per_day}
if ramp_days:
    overrides.update(cs_ramp_days=ramp_days, warehouse_ramp_days=ramp_days)
if lead_days:
    overrides["recruitment_lead_days"] = lead_days
plan = peak_plan(shop_file or None, event=event, year=year or None, permanent=permanent,
                 scenario=scenario, lang=lang, **overrides)
print(f"{plain(plan.shop_name)} · {plan.event_name} {plan.year}")
for m in plan.messages:
    print("·", m)

# %% [markdown]
# ## 订单预测与事件 / The forecast with its events
#
# Left: the shop's daily orders and the forecast up to the end of the peak window, with its 80 %
# prediction interval (past the history the interval widens; an event the history does not hold
# takes the calendar's default uplift range); the planned event's days and pre-sale are shaded,
# other events show as bumps. Right (log scale): the plan's days, the baseline window (normal
# days before the pre-sale, which size the permanent team) and the peak window (pre-sale to the
# last returned parcel).

# %%
fc = plan.forecast.set_index("date")
hist = plan.history
fig, axes = plt.subplots(1, 2, figsize=(12, 4), gridspec_kw={"width_ratios": [1.6, 1]})
for ax, start in ((axes[0], hist.index[0]), (axes[1], plan.baseline_window[0])):
    h = hist.loc[start:]
    f = fc.loc[start:plan.peak_window[1]]
    if len(h):
        ax.plot(h.index, h.to_numpy(), lw=0.8, color="C7", label=T["history"])
    ax.fill_between(f.index, f["lower"], f["upper"], color="C0", alpha=0.2, label=T["interval"])
    ax.plot(f.index, f["forecast"], lw=1, color="C0", label=T["forecast"])
    is_pre = f["event"].str.contains("_presale", regex=False)
    kinds = (("core", (f["event"] == plan.event_id).to_numpy(), "C3", 0.3),
             ("presale", (is_pre & f["event"].str.startswith(plan.event_id)).to_numpy(), "C1",
              0.12))
    for key, on, color, alpha in kinds:  # one span per day of the planned event
        for i, d in enumerate(f.index[on]):
            ax.axvspan(d - pd.Timedelta(hours=12), d + pd.Timedelta(hours=12), color=color,
                       alpha=alpha, lw=0, label=T[key] if i == 0 else None)
    ax.set_ylabel(label("orders_per_day", lang))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%m-%d" if ax is axes[1] else "%Y-%m"))
axes[1].axvspan(*plan.baseline_window, color="C2", alpha=0.08, lw=0, label=T["baseline"])
axes[1].set_yscale("log")
axes[0].legend(fontsize=8, loc="upper left")
axes[1].legend(fontsize=7, loc="upper left")
axes[1].set_title(f"{plan.event_name} {plan.year}", fontsize=10)
fig.autofmt_xdate()
plt.show()
print(f"{'高峰日' if zh else 'peak day'} {plan.peak_date:%Y-%m-%d}: {plan.peak_orders:,.0f} "
      f"({plan.peak_orders_lower:,.0f}-{plan.peak_orders_upper:,.0f}); "
      f"{'正常日' if zh else 'normal day'} {plan.baseline_orders:,.0f}")
record("peak_date", f"{plan.peak_date:%Y-%m-%d}", label_zh="高峰日", label_en="peak day")
record("peak_orders", round(plan.peak_orders), unit="orders/day", label_zh="高峰日订单",
       label_en="orders on the peak day")
record("baseline_orders", round(plan.baseline_orders), unit="orders/day",
       label_zh="正常日订单", label_en="orders on a normal day")
display(plan.effects[plan.effects["basis"] != "unused"][
    ["component", "basis", "uplift", "uplift_low", "uplift_high"]]
    .style.hide(axis="index").format({c: "{:.2f}x" for c in
                                      ("uplift", "uplift_low", "uplift_high")}))

# %% [markdown]
# ## 高峰期各岗位人数 / The team per role at the peak
#
# For each unit of roles: the current team, the permanent team of the plan, and the most people
# the staffing model asks on any day of the peak window (pre-sale chats peak on the event day,
# after-sale chats a delivery later, returned parcels about a week later). Temporary staff are
# planned for the roles a ramp-up standard lists (customer service, warehouse); the others are
# named in the messages above.

# %%
t = plan.temps[(plan.temps["peak_required"] > 0) | (plan.temps["permanent"] > 0)]
t = t.sort_values("peak_required")
fig, ax = plt.subplots(figsize=(9, 0.45 * len(t) + 1.2))
y = np.arange(len(t))
ax.barh(y, t["peak_required"], color="C3", alpha=0.35, label=T["peak"])
ax.barh(y, t["permanent"], color="C0", height=0.5, label=T["permanent"])
ax.scatter(t["current_team"], y, color="black", marker="|", s=200, zorder=3, label=T["current"])
for yi, (_, r) in zip(y, t.iterrows(), strict=True):
    if r["temps"] > 0:
        ax.text(r["peak_required"], yi, f"  +{r['temps']} {T['temps']} ({r['peak_day']:%m-%d})",
                va="center", fontsize=8)
ax.set_yticks(y, t["name"], fontsize=8)
ax.set_xlabel(label("headcount", lang))
ax.legend(fontsize=8, loc="lower right")
plt.show()
display(plan.temps.drop(columns=["unit"]).assign(peak_day=plan.temps["peak_day"].dt.strftime(
    "%m-%d")).style.hide(axis="index"))
record("temps_total", plan.temps_total, unit="people", label_zh="临时工合计",
       label_en="temporary staff")

# %%
units = plan.units
fig, ax = plt.subplots(figsize=(10, 3.8))
for i, (unit, u) in enumerate(units.groupby("unit", sort=False)):
    name = plan.temps.set_index("unit").at[unit, "name"]
    ax.step(u["date"], u["required"], where="mid", color=f"C{i}", lw=1.2, label=name)
    ax.axhline(u["permanent"].iloc[0], color=f"C{i}", ls=":", lw=1)
ax.set_ylabel(T["required"])
ax.xaxis.set_major_formatter(mdates.DateFormatter("%m-%d"))
ax.set_title(f"{T['window']} ({'虚线: 正式团队' if zh else 'dotted: permanent team'})",
             fontsize=10)
ax.legend(fontsize=8)
plt.show()

# %% [markdown]
# ## 招聘时间表 / Hiring timeline
#
# Read from right to left: the first day temps are needed, minus the ramp-up (new staff reach
# full speed in 15-30 days), minus the recruitment lead, gives the day to start hiring. The thin
# line spans the hire-by dates the standards' ranges allow (shortest ramp-up and lead to the
# longest).

# %%
hb = plan.hire_by
if len(hb):
    fig, ax = plt.subplots(figsize=(10, 0.7 * len(hb) + 1.4))
    for i, (_, r) in enumerate(hb.iterrows()):
        ax.barh(i, r["start_by"] - r["hire_by"], left=r["hire_by"], color="C1",
                label=T["recruit"] if i == 0 else None)
        ax.barh(i, r["first_day"] - r["start_by"], left=r["start_by"], color="C2",
                label=T["ramp"] if i == 0 else None)
        ax.barh(i, r["last_day"] - r["first_day"] + pd.Timedelta(days=1), left=r["first_day"],
                color="C3", label=T["needed"] if i == 0 else None)
        ax.plot([r["hire_by_earliest"], r["hire_by_latest"]], [i + 0.38, i + 0.38], color="k",
                lw=1.5, label=T["range"] if i == 0 else None)
        ax.text(r["hire_by"], i, f"{r['hire_by']:%m-%d}  ", ha="right", va="center", fontsize=8)
    ax.set_yticks(range(len(hb)), [f"{n} (+{k})" for n, k in zip(hb["name"], hb["temps"],
                                                                   strict=True)], fontsize=8)
    lo = hb["hire_by_earliest"].min() - pd.Timedelta(days=10)
    hi = hb["last_day"].max() + pd.Timedelta(days=5)
    if lo <= plan.today <= hi:
        ax.axvline(plan.today, color="grey", ls="--", lw=1, label=T["today"])
    ax.set_xlim(lo, hi)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%m-%d"))
    ax.legend(fontsize=7, loc="upper left", ncol=4)
    ax.set_ylim(len(hb) - 0.4, -0.9)
    plt.show()
    display(hb[["name", "temps", "first_day", "last_day", "ramp_days", "lead_days", "start_by",
                "hire_by", "hire_by_earliest", "hire_by_latest", "late"]]
            .style.hide(axis="index").format({c: "{:%Y-%m-%d}" for c in (
                "first_day", "last_day", "start_by", "hire_by", "hire_by_earliest",
                "hire_by_latest")}))
else:
    print("不需要临时工" if zh else "no temporary staff needed")
record("hire_by", f"{plan.hire_by_date:%Y-%m-%d}" if plan.hire_by_date is not None else "",
       label_zh="最晚开始招聘日", label_en="start hiring by")

# %% [markdown]
# ## 加班还是临时工 / Overtime or temporary staff
#
# The permanent team can absorb part of the peak within PRC Labour Law art. 41 (at most 3 hours
# a day in special cases and 36 hours a month), paid at 150 % (art. 44); the rest needs temps,
# booked by the day (plus their paid ramp-up). Overtime goes to the days with the largest
# shortfall first.

# %%
ot = plan.overtime_vs_temps
if len(ot):
    fig, ax = plt.subplots(figsize=(8, 3.2))
    x = np.arange(len(ot))
    ax.bar(x - 0.2, ot["cost_temps_only_cny"], 0.4, color="C3", alpha=0.7,
           label=T["cost_temps"])
    ax.bar(x + 0.2, ot["cost_temps_with_overtime_cny"], 0.4, color="C3", alpha=0.4,
           label=f"{T['cost_ot']}: {T['temps']}")
    ax.bar(x + 0.2, ot["cost_overtime_cny"], 0.4, bottom=ot["cost_temps_with_overtime_cny"],
           color="C0", label=f"{T['cost_ot']}: {'加班' if zh else 'overtime'}")
    ax.set_xticks(x, ot["name"], fontsize=8)
    ax.set_ylabel(T["cny"])
    ax.legend(fontsize=8)
    plt.show()
    display(ot.drop(columns=["unit"]).style.hide(axis="index").format(
        {"gap_hours": "{:,.0f}", "overtime_hours_limit": "{:,.0f}", "overtime_hours": "{:,.0f}",
         "overtime_share_of_gap": "{:.0%}", "cost_temps_only_cny": "{:,.0f}",
         "cost_overtime_cny": "{:,.0f}", "cost_temps_with_overtime_cny": "{:,.0f}",
         "cost_overtime_option_cny": "{:,.0f}"}))
    record("cost_temps_only_cny", round(float(ot["cost_temps_only_cny"].sum())), unit="CNY",
           label_zh="全部临时工成本", label_en="cost, temps only")
    record("cost_overtime_option_cny", round(float(ot["cost_overtime_option_cny"].sum())),
           unit="CNY", label_zh="先加班方案成本", label_en="cost, overtime first")

# %% [markdown]
# ## 客服服务水平 / Customer-service level with and without temps
#
# Each chat queue on its busiest day (pre-sale: the event day; after-sale: a delivery later),
# interval by interval: the share of chats answered within the response target with every
# permanent agent on duty all day (an upper bound for them), and with the temps added (grey
# bars: chats arriving per interval). The staffing model's chat queue (parallel chats per agent)
# gives the service level.

# %%
s = plan.service_by_interval
fig, axes = plt.subplots(1, 2, figsize=(11, 3.6), sharey=True)
for ax, (q, d) in zip(axes, s.groupby("queue", sort=False), strict=False):
    ax.step(d["start_h"], d["sl_permanent"], where="post", color="C3", label=T["sl_perm"])
    ax.step(d["start_h"], d["sl_with_temps"], where="post", color="C2", label=T["sl_temps"])
    ax.axhline(d["sl_target"].iloc[0], color="k", ls=":", lw=1, label=T["target"])
    ax2 = ax.twinx()
    ax2.bar(d["start_h"], d["volume"], width=0.45, align="edge", color="C7", alpha=0.25)
    ax2.grid(False)
    ax2.set_yticks([])
    ax.set_title(f"{q} · {d['date'].iloc[0]:%Y-%m-%d}", fontsize=10)
    ax.set_xlabel(label("hour", lang))
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
axes[0].set_ylabel(label("service_level", lang))
axes[0].legend(fontsize=8, loc="center left")
plt.show()
display(plan.service.style.hide(axis="index").format(
    {"date": "{:%Y-%m-%d}", "volume": "{:.0f}", "traffic_erlangs": "{:.1f}",
     "sl_permanent": "{:.0%}", "sl_with_temps": "{:.0%}", "sl_target": "{:.0%}"}))
record("sl_permanent", round(plan.service_level_permanent, 3), unit="share",
       label_zh="仅正式团队的服务水平", label_en="service level, permanent team only")
record("sl_with_temps", round(plan.service_level_with_temps, 3), unit="share",
       label_zh="加临时工后的服务水平", label_en="service level with temps")

# %% [markdown]
# ## 说明 / Notes
#
# - "People" per day is what `staffing.requirements_series` asks: the team that would carry that
#   day's load with normal days off and shrinkage, so a single peak day may be covered by fewer
#   people working that day; the service level charts show the agents actually on duty.
# - Overtime is assumed unused before the window; temps are paid for their ramp-up days and
#   count as not productive during it (conservative).
# - Change a standard for one run with the parameters above, or for a shop in its YAML file
#   (`standards: {cs_ramp_days: 10}`); `ecomanalysis peak --shop FILE.yaml` prints the same plan.
