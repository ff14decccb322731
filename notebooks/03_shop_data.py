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
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from IPython.display import display

from ecomanalysis import config
from ecomanalysis.intake import peak_days, read_chats, read_orders, sample_shop_paths
from ecomanalysis.intake.aggregate import BASELINE_FIRST_LAG_D, BASELINE_LAST_LAG_D
from ecomanalysis.intake.chats import summary as chat_summary
from ecomanalysis.intake.sample import EVENTS
from ecomanalysis.plots import label, use_style
from ecomanalysis.report import record
from ecomanalysis.safetext import plain

use_style()
zh = lang == "zh"
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
print(plain(report.file))
how = ("自动检测" if zh else "detected") if report.preset_auto else ("指定" if zh else "given")
print(f"{'预设' if zh else 'preset'}: {report.preset} ({how}); {'; '.join(report.source)}")
print(("时间列" if zh else "time column") + f": {report.columns['order_time']} — {report.time_format}")
print(("读入" if zh else "rows read") + f" {report.rows_read:,}; " + ("保留" if zh else "kept")
      + f" {report.rows_kept:,}; " + ("剔除" if zh else "dropped") + f" {report.rows_dropped:,}")
if report.dropped:
    display(pd.DataFrame(report.dropped)[["reason", "column", "value", "rows"]]
            .style.hide(axis="index").format({"rows": "{:,}"}))
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
fig, ax = plt.subplots(figsize=(10, 4))
ax.plot(daily["date"], daily["orders"], lw=1)
names = {"double11": "双11" if zh else "Double 11", "double12": "双12" if zh else "Double 12",
         "618": "618"}
first, last = daily["date"].min(), daily["date"].max()
for name, (month, day) in EVENTS.items():
    for year in range(first.year, last.year + 1):
        d = pd.Timestamp(year=year, month=month, day=day)
        if first <= d <= last:
            ax.axvline(d, color="grey", ls=":", lw=1)
            ax.text(d, ax.get_ylim()[1] * 0.97, names[name], rotation=90, va="top", ha="right",
                    fontsize=8, color="grey")
peaks = prof["peak_days"]
for _, p in peaks.head(3).iterrows():
    if p["ratio_to_baseline"] == p["ratio_to_baseline"]:
        ax.annotate(f"{p['ratio_to_baseline']:.1f}x", (p["date"], p["orders"]), fontsize=8,
                    xytext=(4, 0), textcoords="offset points")
ax.set_xlabel(label("date", lang))
ax.set_ylabel(label("orders_per_day", lang))
ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
plt.show()

# %%
display(peaks.assign(date=peaks["date"].dt.strftime("%Y-%m-%d (%a)"))
        .style.hide(axis="index")
        .format({"orders": "{:,}", "ratio_to_mean": "{:.1f}x", "baseline_per_day": "{:,.1f}",
                 "ratio_to_baseline": "{:.1f}x"}, na_rep="–"))
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
fig, axes = plt.subplots(1, 2, figsize=(11, 3.5), gridspec_kw={"width_ratios": [3, 1.3]})
if hours is not None:
    axes[0].bar(hours["hour"], 100 * hours["share"])
    axes[0].set_xticks(range(0, 24, 2))
    peak_hour = int(hours.loc[hours["share"].idxmax(), "hour"])
    record("peak_hour", peak_hour, unit="hour", label_zh="高峰时段", label_en="peak hour")
else:
    axes[0].text(0.5, 0.5, "无时刻信息" if zh else "dates only: no time of day", ha="center",
                 transform=axes[0].transAxes)
axes[0].set_xlabel(label("hour", lang))
axes[0].set_ylabel("%")
names_wd = weekdays["name_zh" if zh else "name_en"]
axes[1].bar(names_wd, weekdays["index"])
axes[1].axhline(1, color="grey", lw=0.8)
axes[1].set_xlabel(label("weekday", lang))
axes[1].set_ylabel("x " + ("日均" if zh else "mean day"))
plt.show()

# %% [markdown]
# ## 时段 × 星期 / Hour x weekday
#
# Mean orders in each hour of a typical Monday, Tuesday ... over the covered days.

# %%
if hours is not None:
    grid = orders.hour_weekday()
    grid.index = names_wd.to_list()
    fig, ax = plt.subplots(figsize=(11, 3.2))
    sns.heatmap(grid, cmap="rocket_r", ax=ax,
                cbar_kws={"label": "订单/时" if zh else "orders per hour"})
    ax.set_xlabel(label("hour", lang))
    ax.set_ylabel("")
    plt.show()

# %% [markdown]
# ## 高峰日的到达量 / Arrivals on the busiest day
#
# Orders per interval on the busiest day, next to the mean of days D-27 .. D-6 before it: the
# load staffing must meet on the day, against a normal day.

# %%
if hours is not None:
    arr = orders.arrivals(freq)
    local = arr["interval_start"].dt.tz_localize(None)
    on_peak = arr[local.dt.normalize() == top["date"]]
    days_before = (top["date"] - local.dt.normalize()).dt.days
    base = arr[days_before.between(BASELINE_LAST_LAG_D, BASELINE_FIRST_LAG_D)]
    if base.empty:  # the busiest day is too close to the start: use every day
        base = arr
    typical = base.groupby(local[base.index].dt.time)["arrivals"].mean()
    fig, ax = plt.subplots(figsize=(10, 3.5))
    ax.step(range(len(on_peak)), on_peak["arrivals"], where="post",
            label=top["date"].strftime("%Y-%m-%d"))
    ax.step(range(len(typical)), typical.to_numpy(), where="post",
            label=("基线日均 (D-27..D-6)" if zh else "baseline day (D-27 .. D-6)"))
    step = max(1, len(typical) // 12)
    ax.set_xticks(range(0, len(typical), step),
                  [t.strftime("%H:%M") for t in typical.index[::step]])
    ax.set_ylabel(label("arrivals", lang) + f" / {freq}")
    ax.legend()
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
    per_day = chats.arrivals("1D")
    fig, ax = plt.subplots(figsize=(10, 3.5))
    for ch, part in per_day.groupby("channel"):
        ax.plot(part["interval_start"].dt.tz_localize(None), part["arrivals"], lw=1, label=ch)
    ax.set_ylabel("会话/天" if zh else "sessions per day")
    ax.legend()
    plt.show()
    display(cs["channels"].style.hide(axis="index")
            .format({"sessions": "{:,}", "mean_handle_s": "{:.0f} s"}))
    busiest = cs["agents"].sort_values("sessions", ascending=False).head(10)
    display(busiest.style.hide(axis="index")
            .format({"sessions": "{:,}", "handle_s": "{:,.0f}", "busy_s": "{:,.0f}",
                     "mean_concurrent": "{:.2f}"}))
    record("chat_sessions", len(chats), unit="sessions", label_zh="会话数", label_en="chat sessions")
    record("agent_max_concurrent", int(cs["agents"]["max_concurrent"].max()), unit="sessions",
           label_zh="单客服最大并发", label_en="most sessions one agent held at once")
    chats.close()
else:
    print("没有会话文件" if zh else "no chat file given")

# %% [markdown]
# ## 真实店铺对照 / A real shop for comparison
#
# Daily purchases of the Tianchi Taobao/Tmall mother-and-baby data (`data/examples`, figures
# only; provenance in its README). Double 11 reached 6.3x, 7.6x and 9.2x the baseline day in
# 2012-2014; the five busiest days are all Double 11 or Double 12.

# %%
real = pd.read_csv(config.EXAMPLES_DIR / "tianchi_mum_baby_daily.csv", parse_dates=["date"])
fig, ax = plt.subplots(figsize=(10, 3.5))
ax.plot(real["date"], real["purchases"], lw=0.8, color=sns.color_palette()[2])
real_peaks = peak_days(real.rename(columns={"purchases": "count"}), top=5)
for _, p in real_peaks.iterrows():
    ax.annotate(f"{p['date']:%Y-%m-%d}\n{p['ratio_to_baseline']:.1f}x", (p["date"], p["count"]),
                fontsize=7, xytext=(3, -2), textcoords="offset points")
ax.set_ylabel("购买/天" if zh else "purchases per day")
plt.show()
record("real_double11_2014_ratio", round(float(real_peaks.iloc[0]["ratio_to_baseline"]), 2),
       unit="x", label_zh="天池 2014 双11 / 基线", label_en="Tianchi Double 11 2014 / baseline")
orders.close()
