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
# The figures are the shop's plan (`ecomanalysis.plan.make_plan`, its peak part made by
# `ecomanalysis.forecast.peak`): the same as the shop report's and `ecomanalysis peak`'s, the
# permanent team being the larger of the team today and the normal-day need; every figure comes
# from `data/standards.csv` and the shop's event calendar, each with a range and a source.

# %% tags=["parameters"]
lang: str = "zh"  # language of names and labels {zh, en}
shop_file: str = ""  # shop profile YAML; empty = bundled sample shop
event: str = "double11"  # event_id of data/events_cn.csv {double11, sale_618, double12, womens_day_38}
year: int = 0  # year of the event; 0 = the next one after the shop's history [0, 2035]
scenario: str = "forecast"  # forecast column the plan is sized on {forecast, lower, upper}
ramp_days: int = 0  # ramp-up days of new staff; 0 = the standards (22, range 15-30) [0, 90]
lead_days: int = 0  # recruitment lead days; 0 = the standard (14, range 7-30) [0, 90]
overtime_max_h_per_day: float = 3.0  # overtime per person per day, Labour Law art. 41 [0, 3]

# %%
import matplotlib.pyplot as plt
from IPython.display import display

from ecomanalysis import charts
from ecomanalysis.errors import InputError
from ecomanalysis.i18n import translator
from ecomanalysis.plan import make_plan
from ecomanalysis.plots import use_style
from ecomanalysis.render import QUEUES, table
from ecomanalysis.report import record
from ecomanalysis.safetext import plain

# %%
use_style()
_ = translator(lang)
overrides = {"overtime_max_hours_per_day": overtime_max_h_per_day}
if ramp_days:
    overrides.update(cs_ramp_days=ramp_days, warehouse_ramp_days=ramp_days)
if lead_days:
    overrides["recruitment_lead_days"] = lead_days
shop_plan = make_plan(shop_file or None, lang=lang, event=event, simulate=False,
                      peak_options={"year": year or None, "scenario": scenario}, **overrides)
plan = shop_plan.peak
if plan is None:
    raise InputError(shop_plan.peak_error)
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
charts.peak_forecast_chart(plan, lang)
plt.show()
print(_("peak day {date}: {orders} ({low}-{high}); normal day {normal}",
        date=f"{plan.peak_date:%Y-%m-%d}", orders=f"{plan.peak_orders:,.0f}",
        low=f"{plan.peak_orders_lower:,.0f}", high=f"{plan.peak_orders_upper:,.0f}",
        normal=f"{plan.baseline_orders:,.0f}"))
record("peak_date", f"{plan.peak_date:%Y-%m-%d}", label_zh="高峰日", label_en="peak day")
record("peak_orders", round(plan.peak_orders), unit="orders/day", label_zh="高峰日订单",
       label_en="orders on the peak day")
record("baseline_orders", round(plan.baseline_orders), unit="orders/day",
       label_zh="正常日订单", label_en="orders on a normal day")
display(table(plan.effects[plan.effects["basis"] != "unused"], lang,
              ["component", "basis", "uplift", "uplift_low", "uplift_high"]))

# %% [markdown]
# ## 高峰期各岗位人数 / The team per role at the peak
#
# For each unit of roles: the current team, the permanent team of the plan, and the most people
# the staffing model asks on any day of the peak window (pre-sale chats peak on the event day,
# after-sale chats a delivery later, returned parcels about a week later). Temporary staff are
# planned for the roles a ramp-up standard lists (customer service, warehouse); the others are
# named in the messages above.

# %%
charts.peak_team_chart(plan.temps, lang)
plt.show()
display(table(plan.temps, lang, [c for c in plan.temps.columns if c != "unit"]))
record("temps_total", plan.temps_total, unit="people", label_zh="临时工合计",
       label_en="temporary staff")

# %%
charts.peak_units_chart(plan, lang)
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
    charts.hiring_timeline_chart(hb, plan.today, lang)
    plt.show()
    display(table(hb, lang, ["name", "temps", "first_day", "last_day", "ramp_days", "lead_days",
                             "start_by", "hire_by", "hire_by_earliest", "hire_by_latest",
                             "late"]))
else:
    print(_("no temporary staff needed"))
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
    charts.overtime_vs_temps_chart(ot, lang)
    plt.show()
    display(table(ot, lang, [c for c in ot.columns if c != "unit"]))
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
charts.peak_service_chart(plan.service_by_interval, lang)
plt.show()
display(table(plan.service.assign(queue=plan.service["queue"].map(lambda q: _(QUEUES.get(q, q)))),
              lang))
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
