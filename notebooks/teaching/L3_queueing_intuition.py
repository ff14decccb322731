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
# # L3 · 客服排队的直觉：为什么一个客服顶不住 21:00
#
# 种子文档 002 说第 3 阶段“因为接待量和售后的增多，要相应地增加客服”。增加几个？按一天的咨询总量
# 平均下来，一个客服似乎够用；可是顾客不会平均地来。本课**模拟一天的咨询**，亲眼看队列怎样在晚高峰
# 堆积，再用 `ecomanalysis.queueing` 的公式（Erlang C 和多会话并发模型）算出每个时段要几个人。
#
# **学习目标**
#
# - 知识目标：话务量（Erlang）、服务水平（多少比例在 30 秒内接起）、并发；
# - 技能目标：按时段而不是按日平均配置客服；用 `queueing.required_agents` 求最少人数；
# - 素养目标：对顾客的等待负责——“平均够用”不等于“每个顾客都被及时接待”。
#
# 练习：3.1 21:00 的话务量 · 3.2 21:00 需要几个客服 · 3.3 并发 3 个会话，产能提高几倍

# %% [markdown] tags=["lang-en"]
# # L3 · Queueing intuition: why one agent cannot cover 21:00
#
# Seed 002 says that at stage 3 "as inquiries and after-sales grow, add customer service
# accordingly". How many? Averaged over the day, one agent seems enough; but customers do not
# arrive evenly. This lesson **simulates a day of chats** to watch the queue build up in the
# evening, then uses the formulas in `ecomanalysis.queueing` (Erlang C and the chat-concurrency
# model) to find how many agents each hour needs.
#
# **Goals**
#
# - Knowledge: traffic (Erlangs), service level (share answered within 30 s), concurrency;
# - Skills: staff customer service by the hour, not by the daily average; find the fewest agents
#   with `queueing.required_agents`;
# - Attitude: be responsible for customers' waiting: "enough on average" is not "every customer
#   answered in time".
#
# Exercises: 3.1 traffic at 21:00 · 3.2 agents needed at 21:00 · 3.3 how much more one agent
# handles at three chats at once

# %% tags=["parameters"]
lang: str = "zh"  # course language {zh, en}
chats_per_day: int = 300  # pre-sale chats per day [10, 3000]
seed: int = 7  # random seed of the simulated day [0, 1000000]

# %%
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import display

from ecomanalysis import queueing, staffing, workload
from ecomanalysis.plots import label, use_style
from ecomanalysis.report import record
from ecomanalysis.teaching import check_agents, check_concurrency_gain, check_peak_traffic
from ecomanalysis.teaching.sim import day_arrivals_s, simulate_chats, wait_by_hour

use_style()
std = staffing.standards()
aht_s = std["presale_aht_s"]  # seconds per pre-sale chat
answer_within_s = std["cs_answer_within_s"]
sl_target = std["cs_service_level_target"]
concurrency = int(std["presale_concurrency"])
aht_increase = std["chat_aht_increase_per_extra_chat"]
shares, shares_source = workload.default_hour_shares()
hour_shares = shares["presale"]
peak_hour = 21
print(f"AHT {aht_s:g} s; target {sl_target:.0%} within {answer_within_s:g} s; "
      f"busiest hour in the data: {int(np.argmax(hour_shares))}:00")
print("hour shares:", shares_source)

# %% [markdown] tags=["lang-zh"]
# ## 一、模拟一天的咨询
#
# 每小时到达的咨询数按真实的时段分布（天池用户行为数据）随机生成（固定随机种子，结果可复现）；
# 每个咨询平均占用客服 240 秒。

# %% [markdown] tags=["lang-en"]
# ## 1. Simulating a day of chats
#
# Chats arrive at random following the real hour-of-day pattern (Tianchi user-behaviour data),
# with a fixed seed so the day can be reproduced; each chat takes an agent 240 s on average.

# %%
rng = np.random.default_rng(seed)
arrivals = day_arrivals_s(chats_per_day, hour_shares, rng)
work_s = rng.exponential(aht_s, arrivals.size)
per_hour = np.bincount((arrivals // 3600).astype(int), minlength=24)
fig, ax = plt.subplots(figsize=(9, 3.5))
ax.bar(np.arange(24), per_hour, color="C0", alpha=0.6,
       label={"zh": "模拟的一天", "en": "simulated day"}[lang])
ax.plot(np.arange(24), chats_per_day * hour_shares, color="C0",
        label={"zh": "期望值", "en": "expected"}[lang])
ax.axhline(chats_per_day / 24, color="gray", ls="--",
           label={"zh": "日平均", "en": "daily average"}[lang])
ax.set_xlabel(label("hour", lang))
ax.set_ylabel({"zh": "咨询数 / 小时", "en": "chats per hour"}[lang])
ax.legend()
plt.show()

# %% [markdown] tags=["lang-zh"]
# 一个客服一整天要做的工作：300 × 240 秒 = 20 小时，只占一天 24 小时的 83%——“平均够用”。
# 让一个客服全天在线，看看每个时段顾客平均要等多久：

# %% [markdown] tags=["lang-en"]
# One agent's work for the whole day: 300 x 240 s = 20 hours, only 83 % of 24 hours: "enough on
# average". Put one agent on duty all day and look at the mean wait in each hour:

# %%
one = wait_by_hour(simulate_chats(arrivals, aht_s, 1, work_s=work_s), answer_within_s)
fig, ax = plt.subplots(figsize=(9, 3.5))
ax.bar(one.index, one["mean_wait_s"] / 60, color="C3")
ax.set_xlabel(label("hour", lang))
ax.set_ylabel({"zh": "平均等待 (分钟)", "en": "mean wait (minutes)"}[lang])
ax.set_title({"zh": "一个客服全天在线", "en": "one agent on duty all day"}[lang])
plt.show()
print(f"{peak_hour}:00  mean wait {one.loc[peak_hour, 'mean_wait_s'] / 60:.0f} min, "
      f"answered within {answer_within_s:g} s: {one.loc[peak_hour, 'service_level']:.0%}")

# %% [markdown] tags=["lang-zh"]
# 白天的等待还能接受，到晚上队列越排越长：21:00 前后每小时来的工作量超过了一个人一小时能做的。
# 衡量“一小时的工作量”的单位叫 **Erlang**：话务量 = 每小时咨询数 × 平均处理时长(秒) ÷ 3600。
# 话务量 1.8 意味着这一小时要 1.8 个人一直不停地工作。
#
# ### 练习 3.1
#
# 21:00 这一小时的话务量是多少 Erlang？（`hour_shares[21]` 是 21:00–22:00 占全天咨询的比例。）
# 结果命名为 `traffic_peak`。

# %% [markdown] tags=["lang-en"]
# Daytime waits are tolerable; in the evening the queue keeps growing: around 21:00 each hour
# brings more work than one person can do in an hour. Work per hour is measured in **Erlangs**:
# traffic = chats per hour x average handling time (s) / 3600. A traffic of 1.8 means 1.8 people
# busy non-stop for the hour.
#
# ### Exercise 3.1
#
# What is the traffic in Erlangs in the hour from 21:00? (`hour_shares[21]` is the share of the
# day's chats arriving 21:00-22:00.) Name it `traffic_peak`.

# %% [markdown] tags=["hint", "lang-zh"]
# 先算 21:00 这一小时的咨询数：`chats_per_day * hour_shares[21]`；再乘以 `aht_s`（秒），除以 3600。

# %% [markdown] tags=["hint", "lang-en"]
# First the chats in that hour: `chats_per_day * hour_shares[21]`; then multiply by `aht_s`
# (seconds) and divide by 3600.

# %% tags=["solution"]
# 练习 3.1 / Exercise 3.1
traffic_peak = chats_per_day * hour_shares[21] * aht_s / 3600

# %% tags=["check"]
check_peak_traffic(traffic_peak, chats_per_day, hour_shares, aht_s, hour=peak_hour, lang=lang)

# %% [markdown] tags=["lang-zh"]
# ## 二、要几个人？
#
# 话务量 1.8 并不意味着 2 个人就够：2 个人时占用率 90%，稍有波动队列就排起来。**Erlang C** 公式给出
# 有 N 个客服时多少比例的顾客在 30 秒内被接起。`queueing.required_agents` 找出达到目标
# （80% 在 30 秒内）的最少人数。
#
# ### 练习 3.2
#
# 21:00 这一小时最少要几个客服（一次只聊一个会话）？结果命名为 `agents`（整数）。

# %% [markdown] tags=["lang-en"]
# ## 2. How many agents?
#
# A traffic of 1.8 does not mean 2 agents are enough: 2 agents would be 90 % busy and any
# burst makes a queue. The **Erlang C** formula gives the share of customers answered within
# 30 s with N agents; `queueing.required_agents` finds the fewest agents meeting the target
# (80 % within 30 s).
#
# ### Exercise 3.2
#
# How many agents (one chat at a time) does the hour from 21:00 need at least? Name it `agents`
# (a whole number).

# %% [markdown] tags=["hint", "lang-zh"]
# `queueing.required_agents(每小时咨询数, aht_s, 3600, sl_target=sl_target, answer_within_s=answer_within_s)`
# 返回一个表，`agents` 列就是人数。

# %% [markdown] tags=["hint", "lang-en"]
# `queueing.required_agents(chats_per_hour, aht_s, 3600, sl_target=sl_target, answer_within_s=answer_within_s)`
# returns a table whose `agents` column is the answer.

# %% tags=["solution"]
# 练习 3.2 / Exercise 3.2
chats_peak = chats_per_day * hour_shares[21]
agents = int(queueing.required_agents(chats_peak, aht_s, 3600, sl_target=sl_target,
                                      answer_within_s=answer_within_s)["agents"].iloc[0])

# %% tags=["check"]
check_agents(agents, chats_per_day * hour_shares[peak_hour], aht_s, sl_target=sl_target,
             answer_within_s=answer_within_s, chats_per_hour_average=chats_per_day / 24,
             hour=peak_hour, lang=lang)

# %% [markdown] tags=["lang-zh"]
# 用模拟验证：按**日平均**配置的人数和按 **21:00** 配置的人数各自全天在线，每个时段有多少比例在
# 30 秒内被接起？

# %% [markdown] tags=["lang-en"]
# Check with the simulation: put the team sized for the **daily average** and the team sized for
# **21:00** on duty all day; what share is answered within 30 s in each hour?

# %%
by_hour = chats_per_day * hour_shares
need = queueing.required_agents(by_hour, aht_s, 3600, sl_target=sl_target,
                                answer_within_s=answer_within_s)
n_avg = int(queueing.required_agents(chats_per_day / 24, aht_s, 3600, sl_target=sl_target,
                                     answer_within_s=answer_within_s)["agents"].iloc[0])
n_peak = int(need["agents"].iloc[peak_hour])
fig, axes = plt.subplots(1, 2, figsize=(11, 3.5))
axes[0].step(np.arange(24), need["agents"], where="mid", color="C0")
axes[0].axhline(n_avg, color="gray", ls="--", label={"zh": "按日平均", "en": "sized for the average"}[lang])
axes[0].set_xlabel(label("hour", lang))
axes[0].set_ylabel(label("agents", lang))
axes[0].legend()
for n, colour in ((n_avg, "gray"), (n_peak, "C0")):
    sim = wait_by_hour(simulate_chats(arrivals, aht_s, n, work_s=work_s), answer_within_s)
    axes[1].plot(sim.index, sim["service_level"], marker="o", ms=3, color=colour,
                 label=f"{n} {label('agents', lang)}")
axes[1].axhline(sl_target, color="C3", ls=":")
axes[1].yaxis.set_major_formatter(lambda y, _: f"{y:.0%}")
axes[1].set_xlabel(label("hour", lang))
axes[1].set_ylabel(label("service_level", lang))
axes[1].legend()
fig.tight_layout()
plt.show()
record("traffic_peak_erlangs", float(by_hour[peak_hour] * aht_s / 3600), unit="Erlang")
record("agents_peak", n_peak, unit="agents", label_zh="21:00 所需客服", label_en="agents at 21:00")

# %% [markdown] tags=["teacher", "lang-zh"]
# **教师提示**：3.1 最常见的错误是用日平均（300 ÷ 24）——检查会提示“看看 21:00”；其次是忘了除以 3600。
# 3.2 常见错误是把话务量向上取整（2 人）：让学生把 2 代入检查，看服务水平有多低，再讨论“占用率 90%
# 为什么可怕”。真实店铺不会全天只排一班：下一步是排班（不同时段不同人数），超出本课范围。

# %% [markdown] tags=["teacher", "lang-en"]
# **Teacher's note**: in 3.1 the commonest mistake is the daily average (300 / 24); the check says
# "look at 21:00". The next is forgetting the /3600. In 3.2 students often round the traffic up
# (2 agents): let them pass 2 to the check, see how low the service level is and discuss why
# 90 % occupancy is dangerous. Real shops do not staff one shift all day; rostering (different
# numbers at different hours) is the next step, beyond this lesson.

# %% [markdown] tags=["lang-zh"]
# ## 三、并发：一个客服同时聊 3 个
#
# 在线客服可以同时开几个会话（表中 `presale_concurrency` = 3）。是不是人数就能除以 3？不行：同时聊的
# 会话越多，每个会话越慢。标准表假设每多开一个会话，每个会话的处理时间增加 20%
# （`chat_aht_increase_per_extra_chat`）。
#
# ### 练习 3.3
#
# 一个客服同时聊 3 个会话时，每小时处理的会话数是只聊 1 个时的几倍？结果命名为 `capacity_gain`。

# %% [markdown] tags=["lang-en"]
# ## 3. Concurrency: one agent, three chats
#
# An online agent can hold several chats at once (`presale_concurrency` = 3 in the table). Can we
# divide the team by 3? No: the more chats open, the slower each one. The standards assume each
# extra open chat makes every chat take 20 % longer (`chat_aht_increase_per_extra_chat`).
#
# ### Exercise 3.3
#
# How many times more chats per hour does an agent finish with 3 chats open than with 1? Name it
# `capacity_gain`.

# %% [markdown] tags=["hint", "lang-zh"]
# 3 个会话同时进行时，每个会话需要 240 × (1 + 0.2 × 2) 秒；这段时间里完成 3 个。
# 和一次一个（每 240 秒完成 1 个）相比是几倍？

# %% [markdown] tags=["hint", "lang-en"]
# With 3 chats open, each takes 240 x (1 + 0.2 x 2) s, and 3 finish in that time. Compare with
# one at a time (1 every 240 s).

# %% tags=["solution"]
# 练习 3.3 / Exercise 3.3
capacity_gain = concurrency / (1 + aht_increase * (concurrency - 1))

# %% tags=["check"]
check_concurrency_gain(capacity_gain, concurrency, aht_increase, lang=lang)

# %% [markdown] tags=["lang-zh"]
# 下图比较三种算法在不同咨询量下需要的客服：一次一个（Erlang C）；“除以 3”的想当然；以及并发模型
# （`required_agents(..., concurrency=3)`，考虑了变慢）。咨询量越大，“除以 3”低估得越多。

# %% [markdown] tags=["lang-en"]
# The chart compares three ways to staff different volumes: one chat at a time (Erlang C); the
# naive "divide by 3"; and the concurrency model (`required_agents(..., concurrency=3)`, slow-down
# included). The higher the volume, the more "divide by 3" falls short.

# %%
volumes = np.arange(5.0, 205.0, 5.0)
profile = [aht_s * (1 + aht_increase * j) for j in range(concurrency)]
single = queueing.required_agents(volumes, aht_s, 3600, sl_target=sl_target,
                                  answer_within_s=answer_within_s)["agents"]
chat = queueing.required_agents(volumes, aht_s, 3600, sl_target=sl_target,
                                answer_within_s=answer_within_s, concurrency=concurrency,
                                aht_by_concurrency=profile)["agents"]
naive = np.ceil(single / concurrency)
fig, ax = plt.subplots(figsize=(8, 4))
ax.step(volumes, single, where="post", label={"zh": "一次一个", "en": "one chat at a time"}[lang])
ax.step(volumes, naive, where="post", ls="--", label={"zh": "想当然：÷ 3", "en": "naive: / 3"}[lang])
ax.step(volumes, chat, where="post", label={"zh": "并发模型", "en": "concurrency model"}[lang])
ax.axvline(chats_per_day * hour_shares[peak_hour], color="gray", ls=":")
ax.set_xlabel({"zh": "每小时咨询数", "en": "chats per hour"}[lang])
ax.set_ylabel(label("agents", lang))
ax.legend()
plt.show()
display({"chats/hour": float(volumes[-1]), "single": int(single.iloc[-1]),
         "naive": int(naive.iloc[-1]), "model": int(chat.iloc[-1])})
record("capacity_gain", concurrency / (1 + aht_increase * (concurrency - 1)), unit="x")

# %% [markdown] tags=["lang-zh"]
# **小结**：队列是非线性的——平均忙 83% 的一个人，在高峰时完全顶不住；客服要按时段配置，看最忙的时段；
# 并发能提高产能，但远不到“乘以并发数”。对顾客来说，等待的是他们自己的时间：按高峰配置，
# 或者至少诚实地告诉顾客要等多久。
#
# [← L2](L2_growth_stages.ipynb) · [课程目录](00_index.ipynb) · [下一课 L4 →](L4_double11_team_budget.ipynb)

# %% [markdown] tags=["lang-en"]
# **Summary**: queues are non-linear: one person busy 83 % of the day on average cannot cope at
# the peak; staff customer service by the hour and look at the busiest one; concurrency raises
# capacity, but far less than "times the concurrency". The waiting is the customers' time: staff
# for the peak, or at least tell customers honestly how long they will wait.
#
# [← L2](L2_growth_stages.ipynb) · [Course index](00_index.ipynb) · [Next: L4 →](L4_double11_team_budget.ipynb)
