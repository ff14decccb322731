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
# # 03 · 店铺数据 / The shop's own data
#
# Staffing follows the shop's real load, and the load is in its exports: orders from the seller
# centre, sessions from the customer-service desk. This notebook reads an order export (by
# default the bundled sample shop, a year of a shop growing through the five stages of seed 002),
# says what it kept and dropped, and shows the daily series with the festivals marked, the
# hour-of-day and weekday shapes, an hour x weekday heatmap and the busiest days. A real shop
# history (Tianchi mother-and-baby purchases, 2012-2015) closes it for comparison.
#
# 人员配置要跟着店铺的真实负载走。本笔记本读取订单导出文件(默认:内置示例店铺),
# 说明保留与剔除了哪些行,展示日订单量与大促节点、时段与星期分布、时段×星期热力图和高峰日;
# 最后用一段真实店铺的历史数据(天池母婴购买记录)作对照。
#
# Any file works: `orders_file` takes a Taobao/Tmall 订单报表 (UTF-8 or GBK), a Shopify export, an
# `.xlsx` or a `.parquet`; the preset and the date layout are detected.

# %% tags=["parameters"]
lang: str = "zh"  # language of names and labels {zh, en}
orders_file: str = ""  # order export to read; empty = bundled sample shop
chats_file: str = ""  # chat export; empty = the sample shop's chats (only with the sample orders)
preset: str = ""  # column preset (generic, taobao, shopify); empty = detect
time_col: str = ""  # column holding the order time; empty = from the preset
tz: str = "Asia/Shanghai"  # time zone of times written without one
freq: str = "15min"  # interval of the intraday arrivals (15min, 30min, 1h)
top_days: int = 10  # busiest days to list [1, 50]

# %%
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display

from ecomanalysis import charts, config
from ecomanalysis.intake import peak_days, read_chats, read_orders, sample_shop_paths
from ecomanalysis.intake.aggregate import day_vs_baseline
from ecomanalysis.intake.chats import summary as chat_summary
from ecomanalysis.i18n import translator
from ecomanalysis.intake.sample import EVENTS
from ecomanalysis.plots import use_style
from ecomanalysis.render import read_report_lines, table
from ecomanalysis.report import record

# %%
use_style()
sample = sample_shop_paths()
orders_path = orders_file or str(sample["orders"])
chats_path = chats_file or ("" if orders_file else str(sample["chats"]))
orders = read_orders(orders_path, preset=preset or None, time_col=time_col or None, tz=tz)
report = orders.report
prof = orders.profile(top=top_days)
daily = orders.daily()

# %% [markdown]
# ## 读了什么、留下什么 / What was read and kept

# %%
print("\n".join(read_report_lines(report, lang)))
if report.dropped:
    display(table(pd.DataFrame(report.dropped), lang, ["reason", "column", "value", "rows"]))
record("rows_read", report.rows_read, unit="rows", label_zh="读入行数", label_en="rows read")
record("rows_kept", report.rows_kept, unit="orders", label_zh="保留订单", label_en="orders kept")
record("mean_orders_per_day", round(prof["mean_orders_per_day"], 1), unit="orders/day",
       label_zh="日均订单", label_en="mean orders per day")

# %% [markdown]
# ## 日订单量与大促 / Orders per day, festivals marked
#
# Dotted lines: Double 11 (双11), Double 12 (双12) and 618 in the covered range. The labels on
# the busiest days give the day's orders as a multiple of the mean of days D-27 .. D-6.

# %%
peaks = prof["peak_days"]
charts.daily_orders_chart(daily, peaks, EVENTS, lang)
plt.show()

# %%
display(table(peaks.assign(day=peaks["date"].dt.strftime("%Y-%m-%d (%a)")), lang,
              ["day" if c == "date" else c for c in peaks.columns]))
top = peaks.iloc[0]
record("peak_day", top["date"].strftime("%Y-%m-%d"), label_zh="最高峰日", label_en="busiest day")
record("peak_day_orders", int(top["orders"]), unit="orders", label_zh="最高峰日订单",
       label_en="orders on the busiest day")
record("peak_to_mean", round(float(top["ratio_to_mean"]), 2), unit="x",
       label_zh="峰值/日均", label_en="busiest day / mean day")

# %% [markdown]
# ## 时段与星期 / Hour of day and weekday

# %%
hours, weekdays = prof["hour_shares"], prof["weekday_shares"]
charts.hour_weekday_chart(hours, weekdays, lang)
plt.show()
if hours is not None:
    peak_hour = int(hours.loc[hours["share"].idxmax(), "hour"])
    record("peak_hour", peak_hour, unit="hour", label_zh="高峰时段", label_en="peak hour")

# %% [markdown]
# ## 时段 × 星期 / Hour x weekday
#
# Mean orders in each hour of a typical Monday, Tuesday ... over the covered days.

# %%
if hours is not None:
    charts.hour_weekday_heatmap(orders.hour_weekday(), weekdays, lang)
    plt.show()

# %% [markdown]
# ## 高峰日的到达量 / Arrivals on the busiest day
#
# Orders per interval on the busiest day, next to the mean of days D-27 .. D-6 before it: the
# load staffing must meet on the day, against a normal day.

# %%
if hours is not None:
    on_peak, typical = day_vs_baseline(orders.arrivals(freq), top["date"])
    charts.peak_day_arrivals_chart(on_peak, typical, top["date"], freq, lang)
    plt.show()
    record("peak_interval_orders", int(on_peak["arrivals"].max()), unit=f"orders/{freq}",
           label_zh="高峰时段到达量", label_en="orders in the busiest interval")

# %% [markdown]
# ## 客服会话 / Chat sessions
#
# Sessions started per hour by channel, the measured handle time, and the concurrency each
# agent actually ran (most sessions open at once; time-weighted mean while busy).

# %%
if chats_path:
    chats = read_chats(chats_path, tz=tz)
    cs = chat_summary(chats)
    charts.chats_per_day_chart(chats.arrivals("1D"), lang)
    plt.show()
    display(table(cs["channels"], lang))
    busiest = cs["agents"].sort_values("sessions", ascending=False).head(10)
    display(table(busiest, lang))
    record("chat_sessions", len(chats), unit="sessions", label_zh="会话数", label_en="chat sessions")
    record("agent_max_concurrent", int(cs["agents"]["max_concurrent"].max()), unit="sessions",
           label_zh="单客服最大并发", label_en="most sessions one agent held at once")
    chats.close()
else:
    _ = translator(lang)
    print(_("no chat file given"))

# %% [markdown]
# ## 真实店铺对照 / A real shop for comparison
#
# Daily purchases of the Tianchi Taobao/Tmall mother-and-baby data (`data/examples`, figures
# only; provenance in its README). Double 11 reached 6.3x, 7.6x and 9.2x the baseline day in
# 2012-2014; the five busiest days are all Double 11 or Double 12.

# %%
real = pd.read_csv(config.EXAMPLES_DIR / "tianchi_mum_baby_daily.csv", parse_dates=["date"])
real_peaks = peak_days(real.rename(columns={"purchases": "count"}), top=5)
charts.real_shop_chart(real, real_peaks, lang)
plt.show()
record("real_double11_2014_ratio", round(float(real_peaks.iloc[0]["ratio_to_baseline"]), 2),
       unit="x", label_zh="天池 2014 双11 / 基线", label_en="Tianchi Double 11 2014 / baseline")
orders.close()
