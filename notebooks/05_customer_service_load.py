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
# # 05 · 客服负荷与排队 / Customer-service load and queueing
#
# Chats do not arrive evenly: on Taobao the busiest hour is around 21:00, when people browse
# after work. A team sized for the daily average ("one agent per 50-80 inquiries a day") is
# overwhelmed at the peak and idle in the morning. This notebook sizes a day of pre-sale chats
# per planning interval with queueing models from `ecomanalysis.queueing`:
#
# * how many agents each interval needs for the service-level target, and what service level
#   a given number of agents gives at every hour of the day;
# * how far the usual shortcut for parallel chats ("AHT divided by concurrency", then Erlang C)
#   is from a model of the chats themselves (a birth-death chain in which an agent with more
#   chats open works on each more slowly);
# * what customer patience changes: Erlang A (customers abandon) against Erlang C (they wait
#   forever).
#
# Handle times, concurrency, the 80 %-in-30-s target, the occupancy cap and the shrinkage come
# from `data/standards.csv` (each with its source or marked as an assumption); the hour shape is
# measured on real Taobao page views (Tianchi UserBehavior). The desk is sized here as if open
# around the clock; the workload model (notebook 04) defers night chats to the opening hour.
#
# 淘宝的咨询并不均匀：21:00 前后最忙。按日均量配置的客服团队在高峰时接不过来，上午却闲着。
# 本笔记按排班时段用排队模型计算售前客服：每个时段要几个人；“处理时长除以并发数”的简便算法
# 差多少；顾客会放弃排队时（Erlang A）与不放弃时（Erlang C）有什么不同。

# %% tags=["parameters"]
lang: str = "zh"  # language of labels {zh, en}
chats_per_day: int = 1500  # pre-sale chats arriving in a day [10, 100000]
interval_s: int = 1800  # planning interval, seconds {900, 1800, 3600}
patience_s: float = 180.0  # mean time a waiting customer waits before leaving, seconds (assumption) [10, 3600]
orders_per_day: int = 250  # orders per day for the workload-model sections below [1, 100000]

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import display

from ecomanalysis import charts, queueing, render, staffing, workload
from ecomanalysis.plots import use_style
from ecomanalysis.render import table
from ecomanalysis.report import record

# %%
use_style()
T = charts.cs_texts(lang)
std = staffing.standards(planning_interval_s=interval_s)
aht_s = std["presale_aht_s"]  # one chat open
target, chat = staffing.presale_queue(std)  # service target; concurrency and AHT per chats open
concurrency = chat["concurrency"]
labels = workload.interval_labels(std)
volume = chats_per_day * workload.interval_shares(std, "presale")
print(render.queue_setup_line(aht_s, target, chat, std.shape_source))

# %% [markdown]
# ## 一天的咨询与所需客服 / A day of chats and the agents it needs
#
# Bars: chats arriving per interval. Steps: agents on line that the chat model needs for the
# target in each interval (before shrinkage; `staffed` in the table adds it).

# %%
day = queueing.required_agents(volume, aht_s, interval_s, **target, **chat)
day.insert(0, "interval", labels)
day.insert(1, "chats", volume)
peak = int(day["chats"].to_numpy().argmax())
charts.chats_and_agents_chart(day, labels, peak, lang)
plt.show()
around = [peak - 2, peak - 1, peak, peak + 1]
display(table(day.iloc[around].assign(time=[labels[i] for i in around]), lang,
              ["time", *[c for c in day.columns if c not in ("time", "interval")]]))
record("peak_interval", labels[peak], label_zh="高峰时段", label_en="peak interval")
record("peak_chats", round(float(day["chats"].iloc[peak]), 1), unit="chats/interval")
record("peak_agents", int(day["agents"].iloc[peak]), unit="agents")
record("peak_staffed", int(day["staffed"].iloc[peak]), unit="heads")
record("agent_hours_per_day", round(float(day["agents"].sum() * interval_s / 3600), 1),
       unit="agent-hours")

# %% [markdown]
# ## 服务水平与在线人数 / Service level against agents, hour by hour
#
# Each cell is the service level a number of agents on line gives in an interval (chat model);
# the white steps are the agents needed. Below: the service level through the day when the
# same number of agents works every interval, sized for the average interval or for 21:00.

# %%
max_n = int(day["agents"].max()) + 3
grid_n = np.arange(1, max_n + 1)
heat = pd.DataFrame(queueing.service_level_grid(day["traffic_erlangs"], grid_n, aht_s,
                                                target["answer_within_s"], **chat),
                    index=grid_n, columns=labels)
charts.service_level_heatmap(heat, day["agents"].to_numpy(), lang)
plt.show()

# %%
flat_avg = int(np.ceil(day.loc[day["chats"] > 0, "agents"].mean()))
flat_peak = int(day["agents"].iloc[peak])
curves = {f"{name} ({n})": queueing.queue_metrics(day["traffic_erlangs"], n, aht_s,
                                                  target["answer_within_s"], **chat).service_level
          for n, name in ((flat_avg, T["flat"]), (flat_peak, T["peakstaff"]))}
charts.service_level_day_chart(curves, labels, target["sl_target"], lang)
plt.show()
flat_sl = queueing.queue_metrics(day["traffic_erlangs"].iloc[peak], flat_avg, aht_s,
                                 target["answer_within_s"], **chat).service_level
record("flat_average_agents", flat_avg, unit="agents")
record("peak_sl_with_flat_average", round(float(flat_sl), 3), unit="share")

# %% [markdown]
# ## 并发会话：简便算法差多少 / Parallel chats: how far off the shortcut is
#
# The shortcut turns chats into calls: divide the handle time by the concurrency and use
# Erlang C. But an agent with one chat open is not three times as fast, and an agent with three
# open works on each more slowly. The chat model follows the number of chats in the system:
# spread evenly over the agents, each agent with `j` chats finishes them at rate
# `j / AHT_j`; when every slot is full, new chats queue. Curves: service level at the peak
# interval against agents under each view.

# %%
peak_traffic = float(day["traffic_erlangs"].iloc[peak])
naive = {
    T["naive_full"]: float(queueing.naive_concurrency_aht_s(aht_s, **chat)),
    T["naive_single"]: aht_s / concurrency,
}
charts.shortcut_chart(peak_traffic, grid_n, aht_s, naive, target, chat,
                      f"{T['peak']} {labels[peak]}", lang)
plt.show()

# %%
chain = pd.DataFrame([{"model": T["chain"], "agents": int(day["agents"].iloc[peak]),
                       "service_level": float(day["service_level"].iloc[peak])}])
compare = pd.concat([chain, queueing.shortcut_comparison(
    peak_traffic, day["chats"].iloc[peak], aht_s, naive, interval_s, target=target, chat=chat)],
    ignore_index=True)
display(table(compare, lang, headers={"model": T["model"], "agents": T["agents_col"],
                                      "service_level": T["sl_chain"]}))
record("peak_agents_naive_full", int(compare["agents"].iloc[1]), unit="agents")
record("peak_agents_naive_single", int(compare["agents"].iloc[2]), unit="agents")

# %% [markdown]
# Over the whole day the shortcut is off in many intervals, in a direction that depends on
# which handle time it divides: with the full-concurrency handle time it pays for agents who
# are not needed; with the single-chat handle time it under-staffs and the service level falls
# short of the target (the table above shows by how much at the peak). The gap grows with the
# volume: try `chats_per_day = 10000`.

# %%
gaps = {name: n - day["agents"].to_numpy()
        for name, n in queueing.shortcut_agents(volume, naive, interval_s, **target).items()}
charts.shortcut_gap_chart(gaps, labels, lang)
plt.show()
for key, name in (("full", T["naive_full"]), ("single", T["naive_single"])):
    record(f"naive_{key}_extra_agent_hours", round(float(gaps[name].sum() * interval_s / 3600), 1),
           unit="agent-hours/day")

# %% [markdown]
# ## 顾客会放弃时：Erlang A 与 Erlang C / When customers give up: Erlang A against Erlang C
#
# Erlang C assumes every customer waits however long it takes. Real customers leave: Erlang A
# gives each waiting customer an exponential patience with mean `patience_s`. A customer who
# leaves counts as *not* answered in time, so abandonment never flatters the service level;
# but the customers who leave shorten the wait of the others. Here the peak interval is served
# one chat at a time (concurrency 1, as on a phone line or an after-sale desk).

# %%
patiences = sorted({60.0, float(patience_s), 600.0})
charts.erlang_a_chart(peak_traffic, aht_s, patiences, target,
                      f"{T['peak']} {labels[peak]}: {peak_traffic:.1f} Erlangs", lang)
plt.show()
need_c = queueing.required_agents(day["chats"].iloc[peak], aht_s, interval_s, **target)
need_a = queueing.required_agents(day["chats"].iloc[peak], aht_s, interval_s,
                                  patience_s=patience_s, **target)
need = pd.concat([need_c.assign(model=T["erlang_c"]),
                  need_a.assign(model=T["erlang_a"].format(p=patience_s))])
display(table(need, lang, ["model", *[c for c in need.columns if c != "model"]]))
record("peak_agents_erlang_c", int(need_c["agents"].iloc[0]), unit="agents")
record("peak_agents_erlang_a", int(need_a["agents"].iloc[0]), unit="agents")
record("peak_abandon_erlang_a", round(float(need_a["abandon_probability"].iloc[0]), 3),
       unit="share")

# %% [markdown]
# ## 工作量模型中的一天 / A day of chats from the workload model
#
# So far the chats per day were a parameter. The workload model (notebook 04) derives them
# from the orders: visitors = orders / conversion, pre-sale chats = visitors x inquiry rate
# (询单率), after-sale contacts = orders x contacts per order + returns x contacts per return.
# Pre-sale and after-sale are two separate queues, each with its own handle time and
# concurrency; the desk is open `cs_open_hour`-`cs_close_hour`, and chats that arrive while it
# is closed are answered at the opening as deferred work (no response-time target for them).
#
# 由订单量推出售前咨询和售后咨询,两条队列分别计算(各自的处理时长和并发数);夜间到达的咨询
# 在次日开门后处理。

# %%
model_std = std  # the same standards, with this notebook's planning interval
cs = workload.cs_intervals([orders_per_day], model_std)
drivers = workload.drivers([orders_per_day], model_std).iloc[0]
charts.cs_queues_chart(cs, labels, f"{orders_per_day} orders/day: {drivers['presale_chats']:.0f} + "
                       f"{drivers['aftersale_contacts']:.0f} chats", lang)
plt.show()
record("model_presale_chats_per_day", round(float(drivers["presale_chats"]), 1), unit="chats/day")
record("model_aftersale_contacts_per_day", round(float(drivers["aftersale_contacts"]), 1),
       unit="contacts/day")

# %% [markdown]
# ## 每小时排班人数 / Agents and heads by hour
#
# Agents on line (the most any interval of the hour needs) and the heads to schedule once
# shrinkage (breaks, training, leave) is added, for each queue.

# %%
by_hour = staffing.cs_by_hour(orders_per_day, std=model_std)
charts.cs_heads_chart(by_hour, lang)
plt.show()
display(render.cs_hourly_table(by_hour, lang, {q: T[q] for q in ("presale", "aftersale")}))
heads_per_hour = by_hour[by_hour["queue"].isin(["presale", "aftersale"])].groupby("hour")["staffed"]
record("cs_heads_busiest_hour", int(heads_per_hour.sum().max()), unit="heads")

# %% [markdown]
# ## 种子说"客服一般1~3个人" / Testing the seed's "customer service: usually 1-3 people"
#
# Seed 002 gives the customer-service department "usually 1-3 people, depending on sales".
# Against the order levels of its stages: the model's customer-service headcount (both queues,
# people on the payroll), the rule of thumb "50-80 inquiries per agent-day" converted to people
# the same way (the shop answers chats every day, a person works `workdays_per_month` days), and
# the seed's 1-3.

# %%
levels = np.unique(np.r_[np.arange(0, 1001, 10), orders_per_day])
rule = staffing.cs_rule_of_thumb(levels, std=model_std)
charts.cs_rule_chart(rule, staffing.stage_order_ranges(lang), lang)
plt.show()
first_above = staffing.cs_first_above_seed(rule)
at = rule[rule["orders_per_day"] == orders_per_day].iloc[0]
print(render.cs_rule_line(at, orders_per_day, first_above, levels.max()))
record("cs_people_at_orders", int(at["model_headcount"]), unit="people")
if first_above is not None:
    record("cs_exceeds_seed_at_orders", first_above, unit="orders/day")
