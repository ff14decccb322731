"""A day of chats, simulated: the intuition behind the queueing formulas (lesson L3).

The analytic models live in :mod:`ecomanalysis.queueing`; this module only *simulates* the same
system so students can watch a queue build up, and tests can check the simulation against the
formulas (they agree within sampling noise).

Model (the one :func:`ecomanalysis.queueing.chat_metrics` solves):

- chats arrive as a Poisson process whose rate changes by the hour (``hour_shares``);
- each chat needs an exponential amount of *work* with mean ``aht_s`` (seconds at one chat);
- ``agents`` agents each hold up to ``concurrency`` chats; an agent holding ``j`` chats works on
  each at speed ``1 / (1 + r (j - 1))`` (``r`` = ``aht_increase_per_extra_chat``), so a chat
  takes ``aht_s (1 + r (j - 1))`` on average when ``j`` are open;
- a new chat goes to the least-loaded agent with a free slot; when every slot is busy it waits
  in one first-come-first-served queue.

The event loop is :mod:`ecomanalysis.simulate`'s (the model layer's simulation, which also
checks the plan against a simulated day); this module only draws a lesson's day and presents
the result per chat and per hour.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ecomanalysis.errors import InputError
from ecomanalysis.simulate import serve_chats

SECONDS_PER_HOUR = 3600.0
HOURS_PER_DAY = 24


def day_arrivals_s(chats_per_day: float, hour_shares, rng: np.random.Generator) -> np.ndarray:
    """Arrival times (seconds after midnight, sorted) of one day of chats.

    Parameters
    ----------
    chats_per_day
        Expected chats in the day (>= 0).
    hour_shares
        24 shares of the day's chats by hour of day (summing to 1).
    rng
        A seeded :class:`numpy.random.Generator`.
    """
    shares = np.asarray(hour_shares, dtype=float)
    if shares.shape != (HOURS_PER_DAY,) or (shares < 0).any() or not 0.99 < shares.sum() < 1.01:
        raise InputError(f"hour_shares has shape {shares.shape} and sum {shares.sum():.3f}; "
                         "expected 24 non-negative shares summing to 1")
    if not chats_per_day >= 0:
        raise InputError(f"chats_per_day is {chats_per_day!r}; expected a number >= 0")
    counts = rng.poisson(chats_per_day * shares)
    starts = np.repeat(np.arange(HOURS_PER_DAY) * SECONDS_PER_HOUR, counts)
    return np.sort(starts + rng.uniform(0.0, SECONDS_PER_HOUR, counts.sum()))


def simulate_chats(arrival_s, aht_s: float, agents: int, *, concurrency: int = 1,
                   aht_increase_per_extra_chat: float = 0.0, work_s=None,
                   rng: np.random.Generator | None = None) -> pd.DataFrame:
    """Serve the chats arriving at ``arrival_s`` and return each chat's wait and times.

    Parameters
    ----------
    arrival_s
        Arrival times in seconds (any order; sorted here).
    aht_s
        Mean handling time of a chat when the agent holds only that chat, seconds.
    agents
        Agents on duty all day (>= 1).
    concurrency
        Chats one agent holds at once (>= 1).
    aht_increase_per_extra_chat
        Relative increase of every open chat's handling time per extra open chat (0.2: +20 %).
    work_s
        Work of each chat in seconds at single-chat speed; default exponential with mean
        ``aht_s`` drawn from ``rng``.  Pass the same array to compare teams on identical days.
    rng
        Generator for the work (needed when ``work_s`` is None).

    Returns
    -------
    pandas.DataFrame
        One row per chat in arrival order: ``arrival_s, start_s, end_s, wait_s, agent, hour``.
    """
    arrival = np.sort(np.asarray(arrival_s, dtype=float))
    n = arrival.size
    if int(agents) != agents or agents < 1:
        raise InputError(f"agents is {agents!r}; expected a whole number >= 1")
    if int(concurrency) != concurrency or concurrency < 1:
        raise InputError(f"concurrency is {concurrency!r}; expected a whole number >= 1")
    if not aht_s > 0:
        raise InputError(f"aht_s is {aht_s!r}; expected a number of seconds > 0")
    if aht_increase_per_extra_chat < 0:
        raise InputError(f"aht_increase_per_extra_chat is {aht_increase_per_extra_chat!r}; expected >= 0")
    agents, concurrency = int(agents), int(concurrency)
    if work_s is None:
        if rng is None:
            raise InputError("simulate_chats needs work_s or a seeded rng")
        work = rng.exponential(aht_s, n)
    else:
        work = np.asarray(work_s, dtype=float)
        if work.shape != (n,):
            raise InputError(f"work_s has shape {work.shape}; expected ({n},), one per chat")

    chats = serve_chats(arrival, work, agents, concurrency=concurrency,
                        aht_increase_per_extra_chat=aht_increase_per_extra_chat)
    return pd.DataFrame({
        "arrival_s": chats["arrival_s"].to_numpy(),
        "start_s": chats["start_s"].to_numpy(),
        "end_s": chats["end_s"].to_numpy(),
        "wait_s": chats["wait_s"].to_numpy(),
        "agent": chats["agent"].to_numpy(),
        "hour": np.minimum((arrival // SECONDS_PER_HOUR).astype(int), HOURS_PER_DAY - 1),
    })


def wait_by_hour(chats: pd.DataFrame, answer_within_s: float) -> pd.DataFrame:
    """Per hour of arrival: chats, mean wait (s) and the share answered within
    ``answer_within_s`` (all 24 hours, NaN where no chat arrived)."""
    g = chats.assign(in_time=chats["wait_s"] <= answer_within_s).groupby("hour")
    out = pd.DataFrame({
        "chats": g.size(),
        "mean_wait_s": g["wait_s"].mean(),
        "service_level": g["in_time"].mean(),
    }).reindex(range(HOURS_PER_DAY))
    out["chats"] = out["chats"].fillna(0).astype(int)
    out.index.name = "hour"
    return out
