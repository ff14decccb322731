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
import seaborn as sns
from IPython.display import display
from matplotlib.ticker import MaxNLocator, PercentFormatter

from ecomanalysis import queueing, staffing, workload
from ecomanalysis.plots import use_style
from ecomanalysis.render import header, table
from ecomanalysis.report import record

use_style()
T = {
    "zh": {
        "time": "时段", "chats": "咨询量(每时段)", "agents": "所需客服(在线)", "sl": "服务水平",
        "target": "目标", "heat": "不同在线人数下各时段的服务水平", "need": "所需人数",
        "flat": "全天按平均需求排班", "peakstaff": "全天按 21:00 需求排班",
        "chain": "会话模型(生灭链)", "naive_full": "简便算法: 满并发处理时长 / 并发数",
        "naive_single": "简便算法: 单会话处理时长 / 并发数", "n_agents": "在线客服人数",
        "peak": "高峰时段", "diff": "简便算法与会话模型的人数差", "erlang_c": "Erlang C(不放弃)",
        "erlang_a": "Erlang A(平均耐心 {p:g} 秒)", "abandon": "放弃率", "model": "模型",
        "agents_col": "所需在线人数", "sl_chain": "会话模型下的实际服务水平",
    },
    "en": {
        "time": "interval", "chats": "chats per interval", "agents": "agents needed (on line)",
        "sl": "service level", "target": "target", "heat": "service level by interval and agents",
        "need": "agents needed", "flat": "flat staffing at the average need",
        "peakstaff": "flat staffing at the 21:00 need", "chain": "chat model (birth-death chain)",
        "naive_full": "shortcut: AHT at full concurrency / concurrency",
        "naive_single": "shortcut: single-chat AHT / concurrency", "n_agents": "agents on line",
        "peak": "peak interval", "diff": "shortcut minus chat model, agents",
        "erlang_c": "Erlang C (nobody leaves)", "erlang_a": "Erlang A (mean patience {p:g} s)",
        "abandon": "abandonment", "model": "model", "agents_col": "agents needed",
        "sl_chain": "service level the chat model gives",
    },
}[lang]

std = staffing.standards(planning_interval_s=interval_s)
aht_s = std["presale_aht_s"]  # one chat open
concurrency = std.int_value("presale_concurrency")
slower = std["chat_aht_increase_per_extra_chat"]
aht_profile = [aht_s * (1 + slower * j) for j in range(concurrency)]  # 1, 2, .. chats open
target = dict(sl_target=std["cs_service_level_target"], answer_within_s=std["cs_answer_within_s"],
              max_occupancy=std["cs_max_occupancy"], shrinkage=std["cs_shrinkage"])
chat = dict(concurrency=concurrency, aht_by_concurrency=aht_profile)

starts_h = workload.interval_starts_h(std)
labels = [f"{int(h):02d}:{int(round(h % 1 * 60)):02d}" for h in starts_h]
volume = chats_per_day * workload.interval_shares(std, "presale")
print(f"AHT {aht_s:g} s with one chat open, {' / '.join(f'{x:g}' for x in aht_profile)} s per "
      f"chat with 1..{concurrency} open; {target['sl_target']:.0%} within "
      f"{target['answer_within_s']:g} s, occupancy <= {target['max_occupancy']:.0%}, shrinkage "
      f"{target['shrinkage']:.0%}; hour shape: {std.shape_source}")

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
fig, ax = plt.subplots(figsize=(11, 4.5))
ax.bar(np.arange(len(day)), day["chats"], color=sns.color_palette()[0], alpha=0.45,
       label=T["chats"])
ax.set_ylabel(T["chats"])
ax2 = ax.twinx()
ax2.step(np.arange(len(day)), day["agents"], where="mid", color="C3", lw=2, label=T["agents"])
ax2.set_ylabel(T["agents"])
ax2.set_ylim(0, day["agents"].max() * 1.25)
ax.axvline(peak, color="grey", ls=":")
ax.text(peak, ax.get_ylim()[1] * 0.98, f" {T['peak']} {labels[peak]}", va="top", fontsize=9)
step = max(1, len(day) // 12)
ax.set_xticks(np.arange(0, len(day), step), labels[::step])
ax.set_xlabel(T["time"])
fig.legend(loc="upper left", bbox_to_anchor=(0.08, 0.86))
plt.show()
display(table(day.iloc[[peak - 2, peak - 1, peak, peak + 1]].assign(
    time=[labels[i] for i in range(peak - 2, peak + 2)]), lang,
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
metrics = queueing.queue_metrics(day["traffic_erlangs"].to_numpy()[None, :], grid_n[:, None],
                                 aht_s, target["answer_within_s"], **chat)
heat = pd.DataFrame(metrics.service_level, index=grid_n, columns=labels)
fig, ax = plt.subplots(figsize=(11, 4.8))
sns.heatmap(heat.iloc[::-1], cmap="RdYlGn", vmin=0, vmax=1, ax=ax,
            cbar_kws={"label": T["sl"], "format": PercentFormatter(1.0)})
# the line runs along the lower edge of the first cell that meets the target
ax.step(np.arange(len(day)) + 0.5, max_n - day["agents"].to_numpy() + 1.0, where="mid",
        color="white", lw=2, label=T["need"])
ax.set_xlabel(T["time"])
ax.set_ylabel(T["n_agents"])
ax.set_title(T["heat"])
ax.legend(loc="upper left")
plt.show()

open_day = day["chats"] > 0
flat_avg = int(np.ceil(day.loc[open_day, "agents"].mean()))
flat_peak = int(day["agents"].iloc[peak])
fig, ax = plt.subplots(figsize=(11, 3.8))
for n, name in ((flat_avg, T["flat"]), (flat_peak, T["peakstaff"])):
    m = queueing.queue_metrics(day["traffic_erlangs"], n, aht_s, target["answer_within_s"], **chat)
    ax.plot(labels, m.service_level, marker=".", label=f"{name} ({n})")
ax.axhline(target["sl_target"], color="grey", ls="--", label=T["target"])
ax.yaxis.set_major_formatter(PercentFormatter(1.0))
ax.set_xticks(np.arange(0, len(day), step), labels[::step])
ax.set_xlabel(T["time"])
ax.set_ylabel(T["sl"])
ax.legend()
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
fig, ax = plt.subplots(figsize=(9, 4.5))
m = queueing.queue_metrics(peak_traffic, grid_n, aht_s, target["answer_within_s"], **chat)
ax.plot(grid_n, m.service_level, marker="o", lw=2.5, label=T["chain"])
rows = [{"model": T["chain"], "agents": int(day["agents"].iloc[peak]),
         "service_level": float(day["service_level"].iloc[peak])}]
for name, aht_eff in naive.items():
    traffic_eff = peak_traffic * aht_eff / aht_s
    ax.plot(grid_n, queueing.service_level(traffic_eff, grid_n, aht_eff,
                                           target["answer_within_s"]), marker=".", ls="--",
            label=f"{name} ({aht_eff:g} s)")
    n_naive = int(queueing.required_agents(day["chats"].iloc[peak], aht_eff, interval_s,
                                           **target)["agents"].iloc[0])
    sl_true = queueing.queue_metrics(peak_traffic, n_naive, aht_s, target["answer_within_s"],
                                     **chat).service_level
    rows.append({"model": name, "agents": n_naive, "service_level": float(sl_true)})
ax.axhline(target["sl_target"], color="grey", ls=":", label=T["target"])
ax.yaxis.set_major_formatter(PercentFormatter(1.0))
ax.set_xlabel(T["n_agents"])
ax.set_ylabel(T["sl"])
ax.set_title(f"{T['peak']} {labels[peak]}")
ax.legend(fontsize=8)
plt.show()
compare = pd.DataFrame(rows)
display(table(compare, lang, headers={"model": T["model"], "agents": T["agents_col"],
                                      "service_level": T["sl_chain"]}))
record("peak_agents_naive_full", int(rows[1]["agents"]), unit="agents")
record("peak_agents_naive_single", int(rows[2]["agents"]), unit="agents")

# %% [markdown]
# Over the whole day the shortcut is off in many intervals, in a direction that depends on
# which handle time it divides: with the full-concurrency handle time it pays for agents who
# are not needed; with the single-chat handle time it under-staffs and the service level falls
# short of the target (the table above shows by how much at the peak). The gap grows with the
# volume: try `chats_per_day = 10000`.

# %%
fig, ax = plt.subplots(figsize=(11, 3.8))
for name, aht_eff in naive.items():
    n_naive = queueing.required_agents(volume, aht_eff, interval_s, **target)["agents"]
    d = n_naive.to_numpy() - day["agents"].to_numpy()
    ax.step(labels, d, where="mid", label=name)
    key = "full" if name == T["naive_full"] else "single"
    record(f"naive_{key}_extra_agent_hours", round(float(d.sum() * interval_s / 3600), 1),
           unit="agent-hours/day")
ax.axhline(0, color="grey", lw=1)
ax.yaxis.set_major_locator(MaxNLocator(integer=True))
ax.set_xticks(np.arange(0, len(day), step), labels[::step])
ax.set_xlabel(T["time"])
ax.set_ylabel(T["diff"])
ax.legend()
plt.show()

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
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4.3))
n_c = np.arange(max(1, int(peak_traffic) - 2), int(peak_traffic * 1.4) + 6)
c = queueing.queue_metrics(peak_traffic, n_c, aht_s, target["answer_within_s"])
ax1.plot(n_c, c.service_level, lw=2.5, color="k", label=T["erlang_c"])
for p in patiences:
    a = queueing.erlang_a(peak_traffic, n_c, aht_s, p, target["answer_within_s"])
    ax1.plot(n_c, a.service_level, marker=".", label=T["erlang_a"].format(p=p))
    ax2.plot(n_c, a.abandon_probability, marker=".", label=T["erlang_a"].format(p=p))
ax1.axhline(target["sl_target"], color="grey", ls=":", label=T["target"])
for ax_, name in ((ax1, T["sl"]), (ax2, T["abandon"])):
    ax_.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax_.set_xlabel(T["n_agents"])
    ax_.set_ylabel(name)
ax1.legend(fontsize=8)
fig.suptitle(f"{T['peak']} {labels[peak]}: {peak_traffic:.1f} Erlangs")
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
from ecomanalysis.plots import label

model_std = std  # the same standards, with this notebook's planning interval
cs = workload.cs_intervals([orders_per_day], model_std)
drivers = workload.drivers([orders_per_day], model_std).iloc[0]
QUEUE = {"zh": {"presale": "售前", "aftersale": "售后"}, "en": {"presale": "pre-sale",
                                                             "aftersale": "after-sale"}}[lang]
fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(11, 6.5), sharex=True)
bottom = np.zeros(len(labels))
for i, (kind, part) in enumerate(cs.groupby("queue", sort=False)):
    v = part["volume"].to_numpy() + part["deferred"].to_numpy()
    ax1.bar(np.arange(len(labels)), v, bottom=bottom, color=f"C{i}", alpha=0.6, label=QUEUE[kind])
    bottom += v
    ax2.step(np.arange(len(labels)), part["agents"], where="mid", color=f"C{i}", lw=2,
             label=QUEUE[kind])
ax1.set_ylabel(T["chats"])
ax2.set_ylabel(T["agents"])
ax2.yaxis.set_major_locator(MaxNLocator(integer=True))
ax2.set_xticks(np.arange(0, len(labels), step), labels[::step])
ax2.set_xlabel(T["time"])
ax1.legend()
ax2.legend()
fig.suptitle(f"{orders_per_day} orders/day: {drivers['presale_chats']:.0f} + "
             f"{drivers['aftersale_contacts']:.0f} chats")
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
heads = by_hour.pivot_table(index="hour", columns="queue", values="staffed", aggfunc="sum")
heads = heads[[q for q in ("presale", "aftersale") if q in heads]]
colors = ["C0" if q == "presale" else "C1" for q in heads.columns]
heads = heads.rename(columns=QUEUE)
fig, ax = plt.subplots(figsize=(11, 3.8))
heads.plot.bar(stacked=True, ax=ax, color=colors, alpha=0.8)
ax.legend(title=None)
ax.set_xlabel(T["time"])
ax.set_ylabel(T["n_agents"])
ax.yaxis.set_major_locator(MaxNLocator(integer=True))
plt.show()
hourly = by_hour.pivot_table(index="hour", columns="queue", values=["agents", "staffed"],
                             aggfunc="sum").loc[lambda d: d.sum(axis=1) > 0]
hourly.columns = [f"{v}_{q}" for v, q in hourly.columns]
display(table(hourly.reset_index(), lang, headers={
    f"{v}_{q}": f"{header(v, lang)} · {QUEUE.get(q, q)}" for v in ("agents", "staffed")
    for q in ("presale", "aftersale")}))
record("cs_heads_busiest_hour", int(heads.sum(axis=1).max()), unit="heads")

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
fig, ax = plt.subplots(figsize=(10, 4.5))
ax.step(rule["orders_per_day"], rule["model_headcount"], where="post", lw=2, label=T["model"])
ax.fill_between(rule["orders_per_day"], rule["rule_low"], rule["rule_high"], alpha=0.25,
                color="C2", label="50-80 / agent-day")
ax.axhspan(rule["seed_min"].iloc[0], rule["seed_max"].iloc[0], color="C1", alpha=0.25,
           label="seed 002: 1-3")
stages = staffing.stage_order_ranges(lang)
for _, s in stages[stages["in_seed"]].iterrows():
    ax.axvspan(s["orders_min"], s["orders_max"], color="grey", alpha=0.08)
    ax.text(s["orders_min"], ax.get_ylim()[1] * 0.95, f" {s['stage_id']}", fontsize=9)
ax.set_xlim(0, levels.max())
ax.set_xlabel(label("orders_per_day", lang))
ax.set_ylabel(label("headcount", lang))
ax.legend()
plt.show()
above = rule[rule["model_headcount"] > rule["seed_max"]]
first_above = int(above["orders_per_day"].iloc[0]) if len(above) else None
at = rule[rule["orders_per_day"] == orders_per_day].iloc[0]
print(f"{orders_per_day} orders/day: model {int(at['model_headcount'])} people "
      f"(FTE {at['model_fte']:.1f}), rule of thumb {at['rule_low']:.1f}-{at['rule_high']:.1f}, "
      f"seed 1-3; the model first needs more than 3 at "
      f"{first_above if first_above is not None else '> ' + str(levels.max())} orders/day")
record("cs_people_at_orders", int(at["model_headcount"]), unit="people")
if first_above is not None:
    record("cs_exceeds_seed_at_orders", first_above, unit="orders/day")

