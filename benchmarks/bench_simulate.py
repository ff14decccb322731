"""Benchmark and check: the simulated day of customer service (issue 14).

Part 1, speed.  A large shop's day: 20,000 chats over the sample shop's pre-sale shape of the
day (customer service open 9-24 h, 30-minute intervals), 60 agents on duty while open, 3 chats
each at +20 % per extra chat, log-normal handle times (CV 1.5, mean 240 s), mean patience
300 s, least-loaded routing, 30 replications.  ``ours`` = :func:`ecomanalysis.simulate.simulate`
(best of ``--repeat`` runs after one warm-up call, which also loads or compiles the numba
event loop; the first call's time is printed too).  Named baseline, same run: the lesson's
former event loop (``ecomanalysis.teaching.sim.simulate_chats`` before issue 14: Python with a
numpy operation over the agents' slots per event, kept below as ``python_event_loop``), on one
replication of the same day with 60 agents all day; ours on exactly the same chats via
:func:`ecomanalysis.simulate.serve_chats` for the ratio.  Target: the 30 replications in
< 10 s; the two loops must give the same waits.

Part 2, the sample shop.  For its current level (the plan's orders per day) and its busiest
day in the order file (Double 11), per queue and hour: the analytic agents
(:func:`ecomanalysis.workload.cs_intervals`) and the analytic service level, the simulated
service level at those agents (handle-time CV ``cs_handle_time_cv``, least-loaded routing,
queues carried over), and the agents after :func:`ecomanalysis.simulate.staff_to_target`
with their simulated service level; the same for the staffing as it was before issue 14
(occupancy capped on the chat slots in use, ``max_chats_held = cs_max_occupancy x
concurrency``), to show what the new occupancy rule and the simulation check each change.  With ``--backlog`` the chats left overnight wait in the
queue at opening (``initial_queue``), which the analytic model treats as separate work.

Part 3: the sample shop's own chat export through :func:`ecomanalysis.intake.calibrate.calibrate`
(what would replace the defaults), with its time.

Usage: ``python benchmarks/bench_simulate.py [--repeat R] [--replications N] [--seed S]
[--backlog]``
"""

from __future__ import annotations

import argparse
import os
import time
from collections import deque

import numpy as np
import pandas as pd

from ecomanalysis import queueing, simulate, staffing, workload
from ecomanalysis.shop import load_sample_shop, shop_files

CHATS_PER_DAY = 20_000
AGENTS = 60
AHT_S = 240.0
CONCURRENCY = 3
INCREASE = 0.2
CV = 1.5
PATIENCE_S = 300.0
ANSWER_S = 30.0
TARGET_S = 10.0


# ----------------------------------------------------------------------------- baseline
def python_event_loop(arrival, work, agents, concurrency, increase):
    """The lesson's event loop before issue 14 (teaching/sim.py at 95d0af3), in substance:
    per event, array operations over all agents' slots; waits per chat.  Its tie rule follows
    the simulation's since the least-loaded routing's ties go to the agent longest at its load
    (the longest idle) rather than the lowest number, so the two must still give the same
    waits."""
    n = arrival.size
    j = np.arange(concurrency + 1, dtype=float)
    speed_by_load = np.where(j > 0, 1.0 / (1.0 + increase * np.maximum(j - 1, 0)), 0.0)
    remaining = np.full((agents, concurrency), np.inf)
    chat_in = np.full((agents, concurrency), -1)
    start = np.full(n, np.nan)
    queue: deque[int] = deque()
    since = np.zeros(agents)  # when each agent's load last changed
    t = 0.0
    i = 0
    done = 0
    while done < n:
        busy = chat_in >= 0
        load = busy.sum(axis=1)
        speed = speed_by_load[load]
        with np.errstate(divide="ignore", invalid="ignore"):
            to_finish = np.where(busy, remaining / speed[:, None], np.inf)
        flat = int(np.argmin(to_finish))
        dt_done = to_finish.flat[flat]
        dt_arrive = arrival[i] - t if i < n else np.inf
        dt = max(min(dt_done, dt_arrive), 0.0)
        remaining = np.where(busy, remaining - speed[:, None] * dt, np.inf)
        t += dt
        if dt_arrive <= dt_done:
            queue.append(i)
            i += 1
        else:
            k, slot = divmod(flat, concurrency)
            chat_in[k, slot] = -1
            remaining[k, slot] = np.inf
            since[k] = t
            done += 1
        while queue:
            load = (chat_in >= 0).sum(axis=1)
            if load.min() >= concurrency:
                break
            k = int(np.argmin(np.where(load == load.min(), since, np.inf)))
            since[k] = t
            slot = int(np.argmax(chat_in[k] < 0))
            c = queue.popleft()
            start[c] = t
            chat_in[k, slot] = c
            remaining[k, slot] = work[c]
    return start - arrival


# ----------------------------------------------------------------------------- part 1
def large_day(std) -> tuple[np.ndarray, np.ndarray, float]:
    shares = workload.interval_shares(std, "presale")
    mask = workload._open_mask(std)
    shares = np.where(mask, shares, 0.0)
    arrivals = CHATS_PER_DAY * shares / shares.sum()
    agents = np.where(mask, AGENTS, 0)
    return arrivals, agents, std["planning_interval_s"]


def part1(std, repeat: int, replications: int, seed: int) -> None:
    arrivals, agents, interval_s = large_day(std)
    kw = dict(interval_s=interval_s, aht_s=AHT_S, answer_within_s=ANSWER_S,
              concurrency=CONCURRENCY, aht_increase_per_extra_chat=INCREASE,
              handle_time_cv=CV, patience_s=PATIENCE_S, replications=replications, seed=seed)
    t0 = time.perf_counter()
    simulate.simulate(arrivals, agents, **(kw | {"replications": 1}))
    first = time.perf_counter() - t0
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        res = simulate.simulate(arrivals, agents, **kw)
        times.append(time.perf_counter() - t0)
    best = min(times)
    chats = res.chats.sum() / replications
    print(f"Part 1: a large shop's day, {chats:,.0f} chats per replication (expected "
          f"{CHATS_PER_DAY:,}), {AGENTS} agents while open, {CONCURRENCY} chats each, CV {CV}, "
          f"patience {PATIENCE_S:g} s, {replications} replications")
    print(f"  first call (numba load or compile + 1 replication): {first:8.2f} s")
    print(f"  ours, {replications} replications, best of {repeat}:      {best:8.2f} s  "
          f"(median {np.median(times):.2f} s; target < {TARGET_S:g} s: "
          f"{'met' if best < TARGET_S else 'MISSED'}; {best / TARGET_S:.2f} of the budget)")
    sl, lo, hi = res.share("in_time")
    print(f"  day's service level {sl:.3f} [{lo:.3f}, {hi:.3f}], abandoned "
          f"{res.share('abandoned')[0]:.3f}")

    # the named baseline on one replication of the same chats
    rng = np.random.default_rng(seed)
    counts = rng.poisson(arrivals)
    t = np.sort(np.repeat(np.arange(arrivals.size) * interval_s, counts)
                + rng.uniform(0, interval_s, counts.sum()))
    s2 = np.log1p(CV**2)
    work = np.exp(np.log(AHT_S) - s2 / 2 + np.sqrt(s2) * rng.standard_normal(t.size))
    t0 = time.perf_counter()
    ours = simulate.serve_chats(t, work, AGENTS, concurrency=CONCURRENCY,
                                aht_increase_per_extra_chat=INCREASE)
    ours_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    base_wait = python_event_loop(t, work, AGENTS, CONCURRENCY, INCREASE)
    base_s = time.perf_counter() - t0
    gap = float(np.max(np.abs(ours["wait_s"].to_numpy() - base_wait)))
    print(f"  one replication, {t.size:,} chats, 60 agents all day, no patience:")
    print(f"    baseline (the lesson's former Python event loop): {base_s:8.3f} s")
    print(f"    ours (serve_chats, same chats):                  {ours_s:8.3f} s  "
          f"-> {base_s / ours_s:,.0f}x faster; largest wait difference {gap:.2e} s")


# ----------------------------------------------------------------------------- part 2
def _hourly(res: simulate.SimulationResult, start_h: np.ndarray) -> pd.Series:
    return res.by_hour(start_h)["service_level"]


def queue_table(std, cs: pd.DataFrame, kind: str, replications: int, seed: int,
                backlog: bool) -> pd.DataFrame:
    q = cs[(cs["queue"] == kind) & cs["open"]].sort_values("interval")
    vol = q["volume"].to_numpy()
    agents = q["agents"].to_numpy().astype(np.int64)
    start_h = q["start_h"].to_numpy()
    conc = std.int_value(f"{kind}_concurrency")
    aht = std[f"{kind}_aht_s"]
    kw = dict(interval_s=std["planning_interval_s"], aht_s=aht,
              answer_within_s=std["cs_answer_within_s"], concurrency=conc,
              aht_increase_per_extra_chat=std["chat_aht_increase_per_extra_chat"] if conc > 1
              else 0.0, handle_time_cv=std["cs_handle_time_cv"], replications=replications,
              seed=seed, availability_share=std["cs_availability_share"])
    if backlog:
        kw["initial_queue"] = int(round(cs[cs["queue"] == kind]["deferred"].sum()))
    # before issue 14 the occupancy cap applied to the share of chat slots in use
    slots = queueing.required_agents(
        vol, aht, std["planning_interval_s"], sl_target=std["cs_service_level_target"],
        answer_within_s=std["cs_answer_within_s"], concurrency=conc,
        aht_by_concurrency=workload.aht_profile(std, aht, conc),
        max_chats_held=std["cs_max_occupancy"] * conc)["agents"].to_numpy()
    target = std["cs_service_level_target"]
    columns = {}
    for name, start in (("", agents), ("slots_", slots)):
        checked = simulate.staff_to_target(vol, start, sl_target=target, **kw)
        at_start = simulate.simulate(vol, start, **kw)
        at_checked = simulate.simulate(vol, checked["agents"].to_numpy(), **kw)
        columns[name] = (start, checked, at_start, at_checked)
    frame = pd.DataFrame({"hour": np.floor(start_h).astype(int), "chats": vol,
                          "sl_model": q["service_level"].to_numpy()})
    for name, (start, checked, _, _) in columns.items():
        frame[f"{name}agents"] = start
        frame[f"{name}checked"] = checked["agents"].to_numpy()
    table = frame.groupby("hour").agg(
        chats=("chats", "sum"), agents=("agents", "max"), sl_model=("sl_model", "min"),
        checked=("checked", "max"), slots_agents=("slots_agents", "max"),
        slots_checked=("slots_checked", "max"))
    for name, (_, checked, at_start, at_checked) in columns.items():
        table[f"{name}sl_sim"] = _hourly(at_start, start_h)
        table[f"{name}sl_sim_checked"] = _hourly(at_checked, start_h)
        table.attrs[f"{name}rounds"] = checked.attrs["rounds"]
        table.attrs[f"{name}agent_intervals"] = (int(checked["agents_start"].sum()),
                                                 int(checked["agents"].sum()))
        table.attrs[f"{name}day"] = (at_start.share("in_time"), at_checked.share("in_time"))
    return table


def part2(replications: int, seed: int, backlog: bool) -> None:
    shop = load_sample_shop()
    std = staffing.standards(shop)
    daily = shop_files(shop)["daily_orders"]
    levels = {"current level (the plan)": staffing.current_orders(shop, std),
              f"busiest day {daily.idxmax():%Y-%m-%d}": float(daily.max())}
    target = std["cs_service_level_target"]
    print()
    print(f"Part 2: the sample shop, {replications} replications, handle-time CV "
          f"{std['cs_handle_time_cv']:g}, availability {std['cs_availability_share']:g}, "
          f"target {target:.0%} in {std['cs_answer_within_s']:g} s"
          + (", overnight backlog in the queue at opening" if backlog else ""))
    print("  agents: most of the hour's intervals; 'model': the analytic service level (lowest "
          "of the hour); 'sim': simulated, pooled over the hour.\n"
          "  analytic = the model with occupancy capped as the share of time an agent holds a "
          "chat (issue 14);\n  slot cap = the model as before issue 14 (occupancy = share of "
          "chat slots in use); checked = after staff_to_target.")
    for label, orders in levels.items():
        cs = workload.cs_intervals([orders], std)
        for kind in ("presale", "aftersale"):
            t = queue_table(std, cs, kind, replications, seed, backlog)
            print()
            print(f"  {label}: {orders:,.0f} orders/day, {kind}: {t['chats'].sum():,.0f} chats "
                  "while open")
            print(f"  {'':>13}{'| analytic':<28}{'| checked':<16}{'| slot cap':<16}"
                  f"{'| slot cap checked':<18}")
            print(f"  {'hour':>4} {'chats':>7} | {'agents':>6} {'model':>6} {'sim':>6}   | "
                  f"{'agents':>6} {'sim':>6} | {'agents':>6} {'sim':>6} | {'agents':>6} "
                  f"{'sim':>6}")
            for h, r in t.iterrows():
                flag = " <- analytic misses the target in the simulated day" \
                    if r["sl_sim"] < target else ""
                if r["slots_sl_sim"] < target:
                    flag += " <- slot-cap staffing misses it"
                print(f"  {h:>4} {r['chats']:>7.1f} | {int(r['agents']):>6} {r['sl_model']:>6.3f} "
                      f"{r['sl_sim']:>6.3f}   | {int(r['checked']):>6} {r['sl_sim_checked']:>6.3f} "
                      f"| {int(r['slots_agents']):>6} {r['slots_sl_sim']:>6.3f} | "
                      f"{int(r['slots_checked']):>6} {r['slots_sl_sim_checked']:>6.3f}{flag}")
            for name, what in (("", "analytic"), ("slots_", "slot cap")):
                (a, a_lo, a_hi), (c, c_lo, c_hi) = t.attrs[f"{name}day"]
                before, after = t.attrs[f"{name}agent_intervals"]
                print(f"  {what:>8}: {before} agent-intervals, day's simulated SL {a:.3f} "
                      f"[{a_lo:.3f}, {a_hi:.3f}]; checked: {after} agent-intervals "
                      f"(+{after - before}, {t.attrs[f'{name}rounds']} simulation rounds), "
                      f"SL {c:.3f} [{c_lo:.3f}, {c_hi:.3f}]")


def part3() -> None:
    """What the sample shop's own chat export says (intake.calibrate), per channel."""
    from ecomanalysis.intake import read_chats
    from ecomanalysis.intake.calibrate import calibrate

    shop = load_sample_shop()
    chats = read_chats(shop.file_path("chats"))
    print()
    print("Part 3: the sample shop's chat export, calibrated (ecomanalysis.intake.calibrate)")
    try:
        for channel in chats.channels():
            t0 = time.perf_counter()
            cal = calibrate(chats, channel=channel)
            took = time.perf_counter() - t0
            row = cal.table().set_index("parameter")["value"]
            print(f"  {channel}: {int(row['sessions']):,} sessions in {took:.2f} s; aht "
                  f"{row['aht_s']:.0f} s, +{row['aht_increase_per_extra_chat']:.1%} per extra "
                  f"chat, handle-time CV {row['handle_time_cv']:.2f}, concurrency used "
                  f"{row['concurrency']:.0f} (mean {row['mean_chats_held']:.2f} while busy), "
                  f"abandoned {row['abandoned_share']:.1%}")
            for note in cal.notes:
                print(f"    note: {note}")
    finally:
        chats.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--replications", type=int, default=30)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--backlog", action="store_true")
    args = ap.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    std = staffing.standards()
    part1(std, args.repeat, args.replications, args.seed)
    part2(args.replications, args.seed, args.backlog)
    part3()


if __name__ == "__main__":
    main()
