"""A synthetic chat log for the calibration tests, made by the simulation's own event loop
(:func:`ecomanalysis.simulate.serve_chats`): Poisson arrivals per half hour (75 a half hour
09-23 h, 10 at night), log-normal work with the given mean and CV, exponential patience."""

from __future__ import annotations

import numpy as np

from ecomanalysis.simulate import serve_chats

N_INT = 192  # four days of half hours
INTERVAL_S = 1800.0
BUSY_RATE, QUIET_RATE = 75.0, 10.0


def served_chats(seed: int, *, aht_s: float, cv: float, patience_s: float, available: int,
                 concurrency: int, slowdown: float):
    """``(res, patience, counts, busy)``: the event loop's result per chat, each customer's
    patience (s), chats per interval and whether each interval is a busy one."""
    rng = np.random.default_rng(seed)
    hour = (np.arange(N_INT) % 48) // 2
    busy = (hour >= 9) & (hour < 23)
    counts = rng.poisson(np.where(busy, BUSY_RATE, QUIET_RATE))
    n = int(counts.sum())
    arrival = np.sort(np.repeat(np.arange(N_INT) * INTERVAL_S, counts)
                      + rng.uniform(0, INTERVAL_S, n))
    s2 = np.log1p(cv ** 2)
    work = np.exp(np.log(aht_s) - s2 / 2 + np.sqrt(s2) * rng.standard_normal(n))
    patience = rng.exponential(patience_s, n)
    res = serve_chats(arrival, work, np.full(N_INT, available), interval_s=INTERVAL_S,
                      concurrency=concurrency, aht_increase_per_extra_chat=slowdown,
                      patience_s=patience)
    return res, patience, counts, busy
