"""A simulated day of customer service: the queues as they really run, for checking the formulas.

:mod:`ecomanalysis.queueing` solves each planning interval as a steady-state queue with
exponential handle times and chats spread evenly over agents.  This module simulates the same
queue event by event over a whole day, so that what the formulas assume can be checked and the
staffing corrected where a real day would miss the target:

- **arrivals**: a Poisson process whose rate is constant within each interval
  (``arrivals[k]`` expected chats in interval ``k``);
- **agents**: ``agents[k]`` agents on duty in interval ``k``.  Agents ``0 .. agents[k] - 1`` are on
  duty; an agent going off duty takes no new chat but finishes the ones it holds.  Queues carry
  over from one interval to the next (the day is one continuous run); after the last interval
  no chat arrives and the last interval's agents work the queue off (with none on duty, chats
  still waiting are counted as never answered);
- **concurrency**: each agent holds up to ``concurrency`` chats.  A chat needs an amount of
  *work* (seconds at single-chat speed); an agent holding ``j`` chats works on each at speed
  ``1 / (1 + r (j - 1))`` (``r = aht_increase_per_extra_chat``), so a chat takes
  ``aht_s (1 + r (j - 1))`` on average with ``j`` open -- the chat model of
  :func:`ecomanalysis.queueing.chat_metrics`;
- **handle times**: the work is exponential with mean ``aht_s`` (``handle_time_cv=None``),
  log-normal with mean ``aht_s`` and coefficient of variation ``handle_time_cv``, or resampled
  from the shop's own handle times (``handle_times_s``, rescaled to mean ``aht_s``);
- **routing**: a chat goes to the least-loaded on-duty agent with a free slot (ties: the one
  longest at that load, i.e. the longest idle agent when one chat at a time -- so work spreads
  over the agents and those who stay on duty when others leave are no busier than the rest)
  and never moves (``routing="least_loaded"``, how chat systems route).
  ``routing="balanced"`` also moves a chat from the busiest agent to one that just finished a
  chat whenever their loads differ by two or more: chats are always spread evenly, the
  assumption of the analytic chat chain (kept so tests can check the chain exactly);
- **patience**: with ``patience_s`` each chat has an exponential patience with that mean.  A
  chat still waiting when its patience runs out abandons: *visibly* (it closes the chat and
  leaves the queue) or, with probability ``silent_abandon_share``, *silently* (it leaves
  without closing; when it reaches an agent it holds a slot for ``silent_abandon_s`` of work
  before the agent closes it).  Abandoned chats are never "answered in time".

Entry points: :func:`simulate_day` (one row per interval), :func:`simulate` (the raw counts of
every replication, with pooled shares and :meth:`SimulationResult.by_hour`),
:func:`staff_to_target` (agents added where the simulated day misses the target, for the
plan) and :func:`serve_chats` (one run of given chats, for lessons).  Options beyond the
formulas: ``initial_queue`` (chats left overnight, waiting at opening) and
``availability_share`` (share of the agents on duty available to the queue).

Per interval of *arrival* the simulation counts chats, answered within ``answer_within_s``,
answered, abandoned, the waits of answered chats, and per interval of *time* the on-duty
agent-seconds with at least one chat (occupancy as users mean it) and the chat-seconds held.
Each replication draws new arrivals, work and patience from one seeded generator; the
confidence interval of a share is the ratio estimator's across replications (Student t).

The event loop is compiled with numba: each event depends on the one before, so it cannot be
vectorised; a day of 20,000 chats, 60 agents and 30 replications takes about half a second
here (see ``benchmarks/bench_simulate.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numba
import numpy as np
import pandas as pd
from scipy import special

from ecomanalysis.arrays import as_array
from ecomanalysis.errors import InputError

__all__ = [
    "ROUTINGS",
    "SimulationResult",
    "simulate",
    "serve_chats",
    "simulate_day",
    "staff_to_target",
    "summarize",
]

#: Routing rules: "least_loaded" (real chat systems) and "balanced" (the analytic chain).
ROUTINGS = ("least_loaded", "balanced")
#: Confidence level of the replications' interval (a statistical convention, not a model input).
CONFIDENCE = 0.95

_LEAST_LOADED = 0
_BALANCED = 1


# ----------------------------------------------------------------------------- the event loop
# The event loop is the hot path of every simulation.  Its steps are numba functions inlined
# into the compiled loop (inline="always": numba merges them before compiling), so the split
# costs no speed (benchmarks/bench_simulate.py part 1: within 2 % of the single function).
# The counting of a chat taken from the queue stays in the loop: as a helper it cost 6 %.
@numba.njit(cache=True, inline="always")
def _next_done(t, a, rem, slot_chat, load, speed_by_load, conc):
    """Time agent ``a`` next closes a chat (``inf`` if it holds none), its work up to date at
    ``t``: the slot with the least work left at the agent's current speed."""
    nd = np.inf
    sp = speed_by_load[load[a]]
    for s in range(conc):
        if slot_chat[a, s] >= 0 and rem[a, s] / sp < nd:
            nd = rem[a, s] / sp
    return t + nd


@numba.njit(cache=True, inline="always")
def _close_chat(a, t, rem, slot_chat, last_t, load, since, speed_by_load, conc, c_end):
    """Agent ``a`` closes the chat that finishes at ``t``: every slot's work brought up to
    ``t``, the slot with the least left (the finished one) emptied."""
    sp = speed_by_load[load[a]]
    el = (t - last_t[a]) * sp
    s_min = 0
    for s in range(conc):
        if slot_chat[a, s] >= 0:
            rem[a, s] -= el
            if rem[a, s] < rem[a, s_min] or slot_chat[a, s_min] < 0:
                s_min = s
    last_t[a] = t
    c_end[slot_chat[a, s_min]] = t
    slot_chat[a, s_min] = -1
    rem[a, s_min] = np.inf
    load[a] -= 1
    since[a] = t


@numba.njit(cache=True, inline="always")
def _pull_from_busiest(a, t, n_on, rem, slot_chat, last_t, load, since, next_done,
                       speed_by_load, conc):
    """Balanced routing: agent ``a`` (just freed) takes a chat over from the busiest on-duty
    agent when their loads differ by two or more.  Returns the change in the number of
    on-duty agents holding a chat."""
    b = -1
    for c in range(n_on):
        if b < 0 or load[c] > load[b]:
            b = c
    if not (b >= 0 and load[b] >= load[a] + 2):
        return 0
    d_busy = 0
    spb = speed_by_load[load[b]]
    elb = (t - last_t[b]) * spb
    sb = -1
    for s in range(conc):
        if slot_chat[b, s] >= 0:
            rem[b, s] -= elb
            sb = s
    last_t[b] = t
    sa = 0
    while slot_chat[a, sa] >= 0:
        sa += 1
    slot_chat[a, sa] = slot_chat[b, sb]
    rem[a, sa] = rem[b, sb]
    slot_chat[b, sb] = -1
    rem[b, sb] = np.inf
    if load[a] == 0:
        d_busy += 1
    load[a] += 1
    load[b] -= 1
    since[a] = t
    since[b] = t
    if load[b] == 0:
        d_busy -= 1
    next_done[b] = _next_done(t, b, rem, slot_chat, load, speed_by_load, conc)
    return d_busy


@numba.njit(cache=True, inline="always")
def _least_loaded(n_on, load, since, conc):
    """The on-duty agent with a free slot and the fewest chats (ties: longest at that load),
    -1 if none."""
    best = -1
    for a in range(n_on):
        if load[a] < conc and (best < 0 or load[a] < load[best] or (
                load[a] == load[best] and since[a] < since[best])):
            best = a
    return best


@numba.njit(cache=True, inline="always")
def _assign(a, c, w, t, rem, slot_chat, last_t, load, since, next_done, speed_by_load, conc,
            c_start, c_agent):
    """Agent ``a`` takes chat ``c`` with work ``w`` at ``t`` into a free slot.  Returns 1 if
    the agent held no chat before (it becomes busy), else 0."""
    sp = speed_by_load[load[a]]
    el = (t - last_t[a]) * sp
    for s in range(conc):
        if slot_chat[a, s] >= 0:
            rem[a, s] -= el
    last_t[a] = t
    s_free = 0
    while slot_chat[a, s_free] >= 0:
        s_free += 1
    slot_chat[a, s_free] = c
    c_start[c] = t
    c_agent[c] = a
    rem[a, s_free] = w
    became_busy = 1 if load[a] == 0 else 0
    load[a] += 1
    since[a] = t
    next_done[a] = _next_done(t, a, rem, slot_chat, load, speed_by_load, conc)
    return became_busy


@numba.njit(cache=True, inline="always")
def _count_left(queue, q_head, q_len, n, abandon_t, end_t, interval_of, o_abandoned,
                o_unanswered):
    """Chats never taken: abandoned if their patience ran out before ``end_t``, else
    unanswered."""
    for j in range(q_len):
        c = queue[(q_head + j) % n]
        if abandon_t[c] < end_t:
            o_abandoned[interval_of[c]] += 1
        else:
            o_unanswered[interval_of[c]] += 1


@numba.njit(cache=True, inline="always")
def _agents_idle(n_on_by_interval, conc):
    """The agents' state at the start of the day, sized for the most agents on duty (at least
    one): chats held, work left per slot (``inf``: empty), the chat in each slot (-1: none),
    when each agent's work was last brought up to date, since when it has held its load
    (ties: longest at it), and when it next closes a chat."""
    n_agents = 0
    for k in range(n_on_by_interval.size):
        if n_on_by_interval[k] > n_agents:
            n_agents = n_on_by_interval[k]
    n_agents = max(n_agents, 1)
    load = np.zeros(n_agents, np.int64)
    rem = np.full((n_agents, conc), np.inf)
    slot_chat = np.full((n_agents, conc), -1, np.int64)
    last_t = np.zeros(n_agents)
    since = np.zeros(n_agents)
    next_done = np.full(n_agents, np.inf)
    return load, rem, slot_chat, last_t, since, next_done


@numba.njit(cache=True, inline="always")
def _accrue(k, dt, busy_on, held_on, n_on, o_busy_s, o_held_s, o_on_s):
    """``dt`` seconds pass in interval ``k``: busy agent-, held chat- and on-duty
    agent-seconds."""
    o_busy_s[k] += busy_on * dt
    o_held_s[k] += held_on * dt
    o_on_s[k] += n_on * dt


@numba.njit(cache=True, inline="always")
def _first_done(next_done):
    """The agent that closes a chat first and when (-1 and ``inf`` if none holds a chat)."""
    a_min = -1
    t_done = np.inf
    for a in range(next_done.size):
        if next_done[a] < t_done:
            t_done = next_done[a]
            a_min = a
    return a_min, t_done


@numba.njit(cache=True, inline="always")
def _next_interval(k, n_on, n_on_by_interval, load):
    """Interval ``k + 1`` begins: its agents on duty (after the day the last interval's agents
    stay until the queue is empty), and how many of them hold chats and how many chats.
    Returns ``(k + 1, n_on, busy_on, held_on)``."""
    k += 1
    if k < n_on_by_interval.size:
        n_on = n_on_by_interval[k]
    busy_on, held_on = _on_duty_now(load, n_on)
    return k, n_on, busy_on, held_on


@numba.njit(cache=True, inline="always")
def _on_duty_now(load, n_on):
    """On-duty agents holding at least one chat, and the chats they hold."""
    busy_on = 0
    held_on = 0
    for a in range(n_on):
        held_on += load[a]
        if load[a] > 0:
            busy_on += 1
    return busy_on, held_on


@numba.njit(cache=True)
def _run_day(
    arrival_t, interval_of, work, abandon_t, silent, n_on_by_interval, interval_s, conc,
    speed_by_load, balanced, answer_within_s, silent_work,
    o_in_time, o_answered, o_abandoned, o_unanswered, o_wait_sum, o_busy_s, o_held_s, o_on_s,
    c_start, c_end, c_agent,
):
    """One replication: serve ``arrival_t`` (sorted), adding counts into the ``o_*`` arrays.

    Per-chat inputs: ``interval_of`` (the column its counts go to), ``work`` (seconds at
    single-chat speed), ``abandon_t`` (time the chat's patience runs out, ``inf`` without
    patience) and ``silent`` (abandons without closing).
    Per-chat outputs (filled in, NaN / -1 where the chat never reached an agent): ``c_start``
    (taken by an agent), ``c_end`` (closed) and ``c_agent`` (the agent that took it).
    """
    n, n_int = arrival_t.size, n_on_by_interval.size
    day_end = n_int * interval_s
    load, rem, slot_chat, last_t, since, next_done = _agents_idle(n_on_by_interval, conc)
    queue = np.empty(max(n, 1), np.int64)  # FIFO ring buffer (never holds more than n)
    q_head, q_len, t, i = 0, 0, 0.0, 0
    k = 0  # current interval (n_int after the day)
    n_on = n_on_by_interval[0] if n_int > 0 else 0
    busy_on, held_on = 0, 0  # on-duty agents holding >= 1 chat, chats they hold

    while True:
        # ---- next event: completion, arrival or interval boundary
        a_min, t_done = _first_done(next_done)
        t_arr = arrival_t[i] if i < n else np.inf
        t_bound = (k + 1) * interval_s if k < n_int else np.inf
        t_next = min(t_done, t_arr, t_bound)
        if t_next == np.inf:
            break
        if k >= n_int and i >= n and q_len == 0 and t_done == np.inf:
            break
        # ---- time passes: occupancy of the on-duty agents in interval k
        if k < n_int:
            _accrue(k, t_next - t, busy_on, held_on, n_on, o_busy_s, o_held_s, o_on_s)
        t = t_next

        if t_done <= t_arr and t_done <= t_bound:
            # ---- a completion at agent a
            a = a_min
            _close_chat(a, t, rem, slot_chat, last_t, load, since, speed_by_load, conc, c_end)
            if a < n_on:
                held_on -= 1
                busy_on -= 1 if load[a] == 0 else 0
            if balanced and q_len == 0 and a < n_on:
                busy_on += _pull_from_busiest(a, t, n_on, rem, slot_chat, last_t, load, since,
                                              next_done, speed_by_load, conc)
            next_done[a] = _next_done(t, a, rem, slot_chat, load, speed_by_load, conc)
        elif t_arr <= t_bound:
            # ---- an arrival joins the queue
            queue[(q_head + q_len) % n] = i
            q_len += 1
            i += 1
        else:
            # ---- an interval boundary: agents come on or go off duty
            k, n_on, busy_on, held_on = _next_interval(k, n_on, n_on_by_interval, load)

        # ---- dispatch queued chats to free slots (least-loaded on-duty agent first)
        while q_len > 0:
            best = _least_loaded(n_on, load, since, conc)
            if best < 0:
                break
            c = queue[q_head]
            q_head = (q_head + 1) % n
            q_len -= 1
            ki = interval_of[c]
            w = work[c]
            if abandon_t[c] < t:
                o_abandoned[ki] += 1
                if not silent[c]:
                    continue  # left the queue visibly: no slot used
                w = silent_work  # left silently: the agent finds out after silent_work
            else:
                o_answered[ki] += 1
                wait = t - arrival_t[c]
                o_wait_sum[ki] += wait
                if wait <= answer_within_s:
                    o_in_time[ki] += 1
            busy_on += _assign(best, c, w, t, rem, slot_chat, last_t, load, since, next_done,
                               speed_by_load, conc, c_start, c_agent)
            held_on += 1

        if k >= n_int and n_on == 0:
            break  # the day is over and nobody is left to answer
    _count_left(queue, q_head, q_len, n, abandon_t, max(t, day_end), interval_of, o_abandoned,
                o_unanswered)
    return 0


# ----------------------------------------------------------------------------- inputs
def _positive(value: Any, name: str, *, allow_zero: bool = False) -> float:
    arr = as_array(value, name)
    ok = arr.ndim == 0 and np.isfinite(arr) and (arr >= 0 if allow_zero else arr > 0)
    if not ok:
        expected = ">= 0" if allow_zero else "> 0"
        raise InputError(f"parameter '{name}' has {value!r}; expected one finite number {expected}")
    return float(arr)


def _whole(value: Any, name: str, low: int) -> int:
    arr = as_array(value, name)
    if arr.ndim != 0 or not np.isfinite(arr) or arr != np.round(arr) or arr < low:
        raise InputError(f"parameter '{name}' has {value!r}; expected a whole number >= {low}")
    return int(arr)


def _per_interval(value: Any, name: str, size: int | None, *, integer: bool) -> np.ndarray:
    arr = as_array(value, name)
    if arr.ndim != 1 or (size is not None and arr.size != size) or arr.size == 0:
        shape = "as many values as 'arrivals'" if size is not None else "at least one value"
        raise InputError(
            f"parameter '{name}' has shape {arr.shape}; expected a 1-D array with {shape} "
            f"({size if size is not None else 'one per interval'})"
        )
    bad = ~np.isfinite(arr) | (arr < 0)
    if integer:
        bad |= np.isfinite(arr) & (arr != np.round(arr))
    if bad.any():
        where = np.flatnonzero(bad)
        what = "a whole number >= 0" if integer else "a finite number >= 0"
        raise InputError(
            f"parameter '{name}' element {int(where[0])} has {arr[where[0]]!r}; expected {what}"
            + (f" ({where.size - 1} more bad values)" if where.size > 1 else "")
        )
    return arr


@dataclass(frozen=True)
class _Setup:
    arrivals: np.ndarray
    agents: np.ndarray
    interval_s: float
    aht_s: float
    answer_within_s: float
    concurrency: int
    speed_by_load: np.ndarray
    handle_time_cv: float | None
    handle_times_s: np.ndarray | None
    patience_s: float | None
    silent_abandon_share: float
    silent_abandon_s: float
    routing: int
    replications: int
    seed: int


def _setup(arrivals, agents, *, interval_s, aht_s, answer_within_s, concurrency,
           aht_increase_per_extra_chat, handle_time_cv, handle_times_s, patience_s,
           silent_abandon_share, silent_abandon_s, routing, replications, seed) -> _Setup:
    arr = _per_interval(arrivals, "arrivals", None, integer=False)
    ag = _per_interval(agents, "agents", arr.size, integer=True).astype(np.int64)
    conc = _whole(concurrency, "concurrency", 1)
    r = _positive(aht_increase_per_extra_chat, "aht_increase_per_extra_chat", allow_zero=True)
    j = np.arange(conc + 1, dtype=float)
    speed = np.where(j > 0, 1.0 / (1.0 + r * np.maximum(j - 1.0, 0.0)), 0.0)
    cv = None
    if handle_time_cv is not None:
        cv = _positive(handle_time_cv, "handle_time_cv")
    sample = None
    if handle_times_s is not None:
        if cv is not None:
            raise InputError(
                "parameters 'handle_time_cv' and 'handle_times_s' are both given; expected one: "
                "a log-normal spread or the shop's own handle times to resample"
            )
        sample = as_array(handle_times_s, "handle_times_s").ravel()
        if sample.size == 0 or not np.all(np.isfinite(sample)) or np.any(sample < 0) \
                or sample.sum() <= 0:
            raise InputError(
                f"parameter 'handle_times_s' has {sample.size} values (min "
                f"{np.min(sample) if sample.size else float('nan')!r}); expected handle times in "
                "seconds, finite, >= 0 and not all zero"
            )
    pat = None if patience_s is None else _positive(patience_s, "patience_s")
    share = _positive(silent_abandon_share, "silent_abandon_share", allow_zero=True)
    if share > 1:
        raise InputError(
            f"parameter 'silent_abandon_share' has {silent_abandon_share!r}; expected a share 0..1"
        )
    if routing not in ROUTINGS:
        raise InputError(f"parameter 'routing' has {routing!r}; expected one of {list(ROUTINGS)}")
    return _Setup(
        arrivals=arr, agents=ag, interval_s=_positive(interval_s, "interval_s"),
        aht_s=_positive(aht_s, "aht_s"),
        answer_within_s=_positive(answer_within_s, "answer_within_s", allow_zero=True),
        concurrency=conc, speed_by_load=speed, handle_time_cv=cv, handle_times_s=sample,
        patience_s=pat, silent_abandon_share=share,
        silent_abandon_s=_positive(silent_abandon_s, "silent_abandon_s", allow_zero=True),
        routing=ROUTINGS.index(routing), replications=_whole(replications, "replications", 1),
        seed=_whole(seed, "seed", 0),
    )


def _draw_work(s: _Setup, rng: np.random.Generator, n: int) -> np.ndarray:
    """Work per chat by inversion of one uniform each: every handle-time option turns the same
    uniforms into work, so runs that differ only in the distribution are paired (the i-th
    chat's work has the same rank), which makes their comparison sharp."""
    u = rng.random(n)
    if s.handle_times_s is not None:
        sample = np.sort(s.handle_times_s) * (s.aht_s / s.handle_times_s.mean())
        return sample[np.minimum((u * sample.size).astype(np.int64), sample.size - 1)]
    if s.handle_time_cv is None:
        return -s.aht_s * np.log1p(-u)
    sigma2 = np.log1p(s.handle_time_cv**2)  # log-normal with mean aht_s and the given CV
    return np.exp(np.log(s.aht_s) - sigma2 / 2.0 + np.sqrt(sigma2) * special.ndtri(u))


# ----------------------------------------------------------------------------- results
_COUNTS = ("chats", "in_time", "answered", "abandoned", "unanswered", "wait_sum_s",
           "busy_agent_s", "held_chat_s", "on_duty_agent_s")


@dataclass(frozen=True)
class SimulationResult:
    """Raw counts of every replication: arrays of shape ``(replications, intervals)``.

    ``chats`` arrived in the interval, of them ``in_time`` answered within the threshold,
    ``answered``, ``abandoned`` (visibly or silently) and ``unanswered`` (still waiting when
    the day ended with nobody on duty); ``wait_sum_s`` the summed waits of the answered ones;
    ``busy_agent_s``, ``held_chat_s`` and ``on_duty_agent_s`` the on-duty agent-seconds with at
    least one chat, the chat-seconds held by on-duty agents and the on-duty agent-seconds
    spent in the interval.
    """

    chats: np.ndarray
    in_time: np.ndarray
    answered: np.ndarray
    abandoned: np.ndarray
    unanswered: np.ndarray
    wait_sum_s: np.ndarray
    busy_agent_s: np.ndarray
    held_chat_s: np.ndarray
    on_duty_agent_s: np.ndarray
    interval_s: float
    agents: np.ndarray

    @property
    def replications(self) -> int:
        return self.chats.shape[0]

    def share(self, numerator: str, mask: Any = None, denominator: str = "chats") -> tuple:
        """Pooled share ``sum(numerator) / sum(denominator)`` over the intervals in ``mask``
        (all by default) and every replication, with the replications' confidence interval.

        Returns ``(estimate, low, high)``; ``(nan, nan, nan)`` when the denominator is 0.
        """
        m = slice(None) if mask is None else np.asarray(mask)
        x = getattr(self, numerator)[:, m].sum(axis=1)
        y = getattr(self, denominator)[:, m].sum(axis=1)
        est, lo, hi = _ratio_ci(x[:, None], y[:, None])
        return float(est[0]), float(lo[0]), float(hi[0])


    def by_hour(self, start_h: Any) -> pd.DataFrame:
        """Service level per hour of day, pooled over each hour's intervals and the
        replications, with its confidence interval.

        Parameters
        ----------
        start_h
            Start of each interval as an hour of day (e.g. ``plan.cs.interval_start_h``).

        Returns
        -------
        pandas.DataFrame
            Indexed by ``hour``: ``chats`` (mean per replication), ``service_level``,
            ``service_level_low``, ``service_level_high`` (1 where no chat arrived) and
            ``abandoned_share``.
        """
        h = as_array(start_h, "start_h").ravel()
        if h.size != self.chats.shape[1] or not np.all(np.isfinite(h)):
            raise InputError(f"parameter 'start_h' has {h.size} values; expected one finite "
                             f"hour per interval ({self.chats.shape[1]})")
        hour = np.floor(h).astype(np.int64)
        hours = np.unique(hour)
        onehot = (hour[:, None] == hours[None, :]).astype(float)  # intervals x hours
        x, y = self.in_time @ onehot, self.chats @ onehot
        sl, lo, hi = _share_ci(x, y)
        ab = _ratio_ci(self.abandoned @ onehot, y)[0]
        none = y.sum(axis=0) == 0
        return pd.DataFrame({
            "chats": y.mean(axis=0),
            "service_level": np.where(none, 1.0, sl),
            "service_level_low": np.where(none, 1.0, np.clip(lo, 0.0, 1.0)),
            "service_level_high": np.where(none, 1.0, np.clip(hi, 0.0, 1.0)),
            "abandoned_share": np.where(none, 0.0, ab),
        }, index=pd.Index(hours, name="hour"))


def _share_ci(x: np.ndarray, y: np.ndarray):
    """:func:`_ratio_ci` for a share of chats (``x <= y``).  When every replication gives the
    same share at 0 or 1 the replications' interval has no width, yet a share seen 30 times
    out of 30 may well be below 1: the far end is then the exact (Clopper-Pearson) binomial
    bound on the pooled chats, ``(alpha / 2) ** (1 / n)`` from 1 (or from 0)."""
    p, lo, hi = _ratio_ci(x, y)
    n = y.sum(axis=0)
    edge = (0.5 - CONFIDENCE / 2.0) ** (1.0 / np.where(n > 0, n, 1.0))
    flat = (hi - lo == 0) & (n > 0)  # NaN-safe: NaN bounds (one replication) stay NaN
    lo = np.where(flat & (p >= 1.0), edge, lo)
    hi = np.where(flat & (p <= 0.0), 1.0 - edge, hi)
    return p, lo, hi


def _ratio_ci(x: np.ndarray, y: np.ndarray):
    """Ratio estimator ``sum x / sum y`` per column over the replications (rows), with the
    Student-t interval from the linearised ratio (``x - p y``); NaN where ``sum y == 0``."""
    reps = x.shape[0]
    sx, sy = x.sum(axis=0), y.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(sy > 0, sx / np.where(sy > 0, sy, 1.0), np.nan)
        if reps < 2:
            return p, np.full_like(p, np.nan), np.full_like(p, np.nan)
        resid = x - p * y
        se = np.sqrt((resid**2).sum(axis=0) / (reps * (reps - 1))) / (sy / reps)
    half = special.stdtrit(reps - 1, 0.5 + CONFIDENCE / 2.0) * se
    return p, p - half, p + half


def simulate(
    arrivals: Any,
    agents: Any,
    *,
    interval_s: float,
    aht_s: float,
    answer_within_s: float,
    concurrency: int = 1,
    aht_increase_per_extra_chat: float = 0.0,
    handle_time_cv: float | None = None,
    handle_times_s: Any = None,
    patience_s: float | None = None,
    silent_abandon_share: float = 0.0,
    silent_abandon_s: float = 0.0,
    routing: str = "least_loaded",
    replications: int = 30,
    seed: int = 0,
    initial_queue: int = 0,
    availability_share: float = 1.0,
) -> SimulationResult:
    """Simulate the day ``replications`` times and return the raw counts.

    Parameters are those of :func:`simulate_day`.  The random draws (arrivals, work, patience)
    depend on ``seed``, ``arrivals`` and the handle-time options only, never on ``agents``, so
    two staffings simulated with the same seed face the same customers (common random numbers).
    """
    s = _setup(
        arrivals, agents, interval_s=interval_s, aht_s=aht_s, answer_within_s=answer_within_s,
        concurrency=concurrency, aht_increase_per_extra_chat=aht_increase_per_extra_chat,
        handle_time_cv=handle_time_cv, handle_times_s=handle_times_s, patience_s=patience_s,
        silent_abandon_share=silent_abandon_share, silent_abandon_s=silent_abandon_s,
        routing=routing, replications=replications, seed=seed,
    )
    backlog = _whole(initial_queue, "initial_queue", 0)
    share = _positive(availability_share, "availability_share")
    if share > 1:
        raise InputError(f"parameter 'availability_share' has {availability_share!r}; expected "
                         "a share 0 < x <= 1 of the agents on duty available to the queue")
    # agents available: agents x share on average.  Each interval of each replication has the
    # whole part and one more with probability the fraction (rounding to the nearest agent
    # would lose the share in small teams: 2 agents at 0.75 would stay 2)
    expected = s.agents * share
    whole = np.floor(expected + 1e-9)
    fraction = np.maximum(expected - whole, 0.0)
    n_int = s.arrivals.size
    # one extra column collects the overnight backlog's counts (dropped from the result)
    out = {name: np.zeros((s.replications, n_int + 1)) for name in _COUNTS}
    counts_int = np.zeros((s.replications, n_int), np.int64)
    starts = np.arange(n_int) * s.interval_s
    # independent streams per replication and per quantity, the backlog's drawn after the
    # day's: the day's customers are the same whatever the agents, backlog or availability
    streams = np.random.SeedSequence(s.seed).spawn(s.replications)
    for rep in range(s.replications):
        g_arr, g_work, g_pat, g_silent, g_avail = (np.random.default_rng(x)
                                                   for x in streams[rep].spawn(5))
        available = (whole + (g_avail.random(n_int) < fraction)).astype(np.int64)
        counts = g_arr.poisson(s.arrivals)
        m = int(counts.sum())
        n = m + backlog
        t = np.concatenate([np.zeros(backlog), np.sort(
            np.repeat(starts, counts) + g_arr.uniform(0.0, s.interval_s, m))])
        interval_of = np.concatenate([np.full(backlog, n_int, np.int64), np.minimum(
            (t[backlog:] / s.interval_s).astype(np.int64), n_int - 1)])
        day_work = _draw_work(s, g_work, m)
        work = np.concatenate([_draw_work(s, g_work, backlog), day_work])
        if s.patience_s is None:
            abandon_t = np.full(n, np.inf)
        else:
            pat = g_pat.exponential(s.patience_s, m)
            abandon_t = t + np.concatenate([g_pat.exponential(s.patience_s, backlog), pat])
        u = g_silent.random(m)
        silent = np.concatenate([g_silent.random(backlog), u]) < s.silent_abandon_share
        counts_int[rep] = counts
        _run_day(
            t, interval_of, work, abandon_t, silent, available, s.interval_s, s.concurrency,
            s.speed_by_load, s.routing == _BALANCED, s.answer_within_s, s.silent_abandon_s,
            out["in_time"][rep], out["answered"][rep], out["abandoned"][rep],
            out["unanswered"][rep], out["wait_sum_s"][rep], out["busy_agent_s"][rep],
            out["held_chat_s"][rep], out["on_duty_agent_s"][rep],
            np.full(n, np.nan), np.full(n, np.nan), np.full(n, -1, np.int64),
        )
    out = {name: v[:, :n_int] for name, v in out.items()}
    out["chats"] = counts_int.astype(float)
    return SimulationResult(**out, interval_s=s.interval_s, agents=s.agents)


def summarize(result: SimulationResult) -> pd.DataFrame:
    """One row per interval from the raw counts (the table :func:`simulate_day` returns)."""
    r = result
    sl, lo, hi = _share_ci(r.in_time, r.chats)
    none = r.chats.sum(axis=0) == 0
    # zero traffic: service level 1, nobody waits (the queueing module's convention)
    sl, lo, hi = (np.where(none, 1.0, v) for v in (sl, lo, hi))
    ab, ab_lo, ab_hi = _share_ci(r.abandoned, r.chats)
    ab, ab_lo, ab_hi = (np.where(none, 0.0, v) for v in (ab, ab_lo, ab_hi))
    ans = r.answered.sum(axis=0)
    on = r.on_duty_agent_s.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        asa = np.where(ans > 0, r.wait_sum_s.sum(axis=0) / np.where(ans > 0, ans, 1.0),
                       np.where(none, 0.0, np.nan))
        occ = np.where(on > 0, r.busy_agent_s.sum(axis=0) / np.where(on > 0, on, 1.0), 0.0)
        held = np.where(on > 0, r.held_chat_s.sum(axis=0) / np.where(on > 0, on, 1.0), 0.0)
    return pd.DataFrame({
        "interval": np.arange(r.chats.shape[1]),
        "agents": r.agents,
        "chats": r.chats.mean(axis=0),
        "service_level": sl,
        "service_level_low": np.clip(lo, 0.0, 1.0),
        "service_level_high": np.clip(hi, 0.0, 1.0),
        "asa_s": asa,
        "abandoned_share": ab,
        "abandoned_share_low": np.clip(ab_lo, 0.0, 1.0),
        "abandoned_share_high": np.clip(ab_hi, 0.0, 1.0),
        "unanswered_share": np.where(none, 0.0, r.unanswered.sum(axis=0)
                                     / np.maximum(r.chats.sum(axis=0), 1.0)),
        "occupancy": occ,
        "mean_chats_held": held,
    })


def simulate_day(
    arrivals: Any,
    agents: Any,
    *,
    interval_s: float,
    aht_s: float,
    answer_within_s: float,
    concurrency: int = 1,
    aht_increase_per_extra_chat: float = 0.0,
    handle_time_cv: float | None = None,
    patience_s: float | None = None,
    replications: int = 30,
    seed: int = 0,
    handle_times_s: Any = None,
    silent_abandon_share: float = 0.0,
    silent_abandon_s: float = 0.0,
    routing: str = "least_loaded",
    initial_queue: int = 0,
    availability_share: float = 1.0,
) -> pd.DataFrame:
    """Simulate a day of one chat queue and summarise it per interval.

    Parameters
    ----------
    arrivals
        Expected chats per interval (1-D, >= 0).
    agents
        Agents on duty per interval (whole numbers, same length as ``arrivals``).
    interval_s
        Length of an interval, seconds.
    aht_s
        Mean work per chat: its handle time when the agent holds only that chat, seconds.
    answer_within_s
        Service-level threshold, seconds.
    concurrency
        Chats one agent holds at once.
    aht_increase_per_extra_chat
        Relative increase of each open chat's handle time per extra open chat (0.2: +20 %).
    handle_time_cv
        None: exponential work; a number: log-normal work with this coefficient of variation.
    patience_s
        Mean (exponential) patience of a waiting chat, seconds; None: nobody abandons.
    replications
        Independent simulated days (>= 1; the confidence interval needs >= 2).
    seed
        Seed of the random generator (same seed, same result).
    handle_times_s
        The shop's own handle times, resampled (rescaled to mean ``aht_s``) instead of a
        parametric distribution.
    silent_abandon_share
        Share of abandoning chats that leave without closing the chat (0..1).
    silent_abandon_s
        Work an agent spends on a silently abandoned chat before closing it, seconds.
    routing
        ``"least_loaded"`` (chats never move) or ``"balanced"`` (the analytic chain's even
        spread).
    initial_queue
        Chats already waiting when the day starts (e.g. those left overnight while customer
        service was closed): served first, counted in no interval's figures, but their work
        delays everyone after them.
    availability_share
        Share of the agents on duty actually available to the queue (0 < x <= 1): each
        interval of each replication has ``agents x share`` available agents on average (the
        whole part, plus one more with probability the fraction: 2 agents at 0.75 are 2 in
        half the intervals, 1 in the other half).

    Returns
    -------
    pandas.DataFrame
        One row per interval: ``interval, agents, chats`` (mean per replication),
        ``service_level`` (answered within ``answer_within_s`` / arrived, abandoned chats
        counting as late), ``service_level_low`` / ``service_level_high`` (95 % confidence
        interval over the replications; for a share of 1 or 0 in every replication, the exact
        binomial bound on the pooled chats), ``asa_s`` (mean wait of answered chats),
        ``abandoned_share`` (with ``_low`` / ``_high``), ``unanswered_share``, ``occupancy``
        (share of on-duty agent time holding at least one chat) and ``mean_chats_held`` (mean
        chats held per on-duty agent).  Intervals are those of *arrival* for the chat figures,
        of *time* for occupancy.
    """
    res = simulate(
        arrivals, agents, interval_s=interval_s, aht_s=aht_s, answer_within_s=answer_within_s,
        concurrency=concurrency, aht_increase_per_extra_chat=aht_increase_per_extra_chat,
        handle_time_cv=handle_time_cv, handle_times_s=handle_times_s, patience_s=patience_s,
        silent_abandon_share=silent_abandon_share, silent_abandon_s=silent_abandon_s,
        routing=routing, replications=replications, seed=seed, initial_queue=initial_queue,
        availability_share=availability_share,
    )
    return summarize(res)


def serve_chats(
    arrival_s: Any,
    work_s: Any,
    agents: Any,
    *,
    interval_s: float | None = None,
    concurrency: int = 1,
    aht_increase_per_extra_chat: float = 0.0,
    patience_s: Any = None,
    routing: str = "least_loaded",
) -> pd.DataFrame:
    """Serve given chats (one run, no randomness): who took each chat, and when.

    The same event loop as :func:`simulate`, for callers that bring their own arrivals and
    work (lessons, tests comparing teams on identical days).

    Parameters
    ----------
    arrival_s
        Arrival times, seconds (any order; served in time order).
    work_s
        Work of each chat, seconds at single-chat speed (same length).
    agents
        Agents on duty: one whole number for the whole run, or one per interval of
        ``interval_s`` starting at time 0 (the last interval's agents stay until every chat
        is served).
    interval_s
        Interval length when ``agents`` is an array (seconds).
    concurrency, aht_increase_per_extra_chat, routing
        As for :func:`simulate_day`.
    patience_s
        Each chat's patience, seconds (an array; None: nobody abandons); a chat still waiting
        after it leaves visibly.

    Returns
    -------
    pandas.DataFrame
        One row per chat in time order: ``arrival_s, start_s, end_s, wait_s`` (NaN for a
        chat that abandoned or was never answered), ``agent`` (-1 for those) and
        ``abandoned``.
    """
    arrival = as_array(arrival_s, "arrival_s").ravel()
    order = np.argsort(arrival, kind="stable")
    arrival = arrival[order]
    n = arrival.size
    if n and (not np.all(np.isfinite(arrival)) or arrival[0] < 0):
        raise InputError("parameter 'arrival_s' has a negative or non-finite time; expected "
                         "seconds >= 0")
    work = as_array(work_s, "work_s").ravel()
    if work.shape != (n,) or not np.all(np.isfinite(work)) or np.any(work < 0):
        raise InputError(f"parameter 'work_s' has shape {work.shape}; expected ({n},) finite "
                         "seconds >= 0, one per chat")
    work = work[order]
    ag = as_array(agents, "agents")
    if ag.ndim == 0:
        ag = np.array([_whole(agents, "agents", 1)], dtype=np.int64)
        span = float(arrival[-1]) + 1.0 if n else 1.0
    else:
        if interval_s is None:
            raise InputError("parameter 'interval_s' is missing; expected the interval length "
                             "in seconds when 'agents' gives one value per interval")
        span = _positive(interval_s, "interval_s")
        ag = _per_interval(ag, "agents", None, integer=True).astype(np.int64)
        if n and arrival[-1] >= span * ag.size:
            raise InputError(
                f"parameter 'arrival_s' has a chat at {arrival[-1]:g} s, after the last of the "
                f"{ag.size} intervals of {span:g} s; expected arrivals inside the intervals"
            )
    conc = _whole(concurrency, "concurrency", 1)
    r = _positive(aht_increase_per_extra_chat, "aht_increase_per_extra_chat", allow_zero=True)
    j = np.arange(conc + 1, dtype=float)
    speed = np.where(j > 0, 1.0 / (1.0 + r * np.maximum(j - 1.0, 0.0)), 0.0)
    if routing not in ROUTINGS:
        raise InputError(f"parameter 'routing' has {routing!r}; expected one of {list(ROUTINGS)}")
    if patience_s is None:
        abandon_t = np.full(n, np.inf)
    else:
        pat = as_array(patience_s, "patience_s").ravel()
        if pat.shape != (n,) or np.any(np.isnan(pat)) or np.any(pat < 0):
            raise InputError(f"parameter 'patience_s' has shape {pat.shape}; expected ({n},) "
                             "seconds >= 0, one per chat")
        abandon_t = arrival + pat[order]
    m = ag.size
    counts = [np.zeros(m) for _ in range(8)]
    start = np.full(n, np.nan)
    end = np.full(n, np.nan)
    agent = np.full(n, -1, np.int64)
    interval_of = np.minimum((arrival / span).astype(np.int64), ag.size - 1)
    _run_day(arrival, interval_of, work, abandon_t, np.zeros(n, dtype=bool), ag, span, conc,
             speed,
             routing == "balanced", 0.0, 0.0, *counts, start, end, agent)
    gone = (agent < 0) & (abandon_t < np.inf)
    return pd.DataFrame({
        "arrival_s": arrival,
        "start_s": start,
        "end_s": end,
        "wait_s": start - arrival,
        "agent": agent,
        "abandoned": gone,
    })


# ----------------------------------------------------------------------------- staffing
def _misses(day: pd.DataFrame, goal: float) -> np.ndarray:
    """Intervals with chats whose simulated service level is below ``goal``."""
    return (day["service_level"].to_numpy() < goal) & (day["chats"].to_numpy() > 0)


def staff_to_target(
    arrivals: Any,
    agents_start: Any,
    *,
    interval_s: float,
    aht_s: float,
    answer_within_s: float,
    sl_target: float,
    concurrency: int = 1,
    aht_increase_per_extra_chat: float = 0.0,
    handle_time_cv: float | None = None,
    patience_s: float | None = None,
    replications: int = 30,
    seed: int = 0,
    max_rounds: int = 60,
    **options: Any,
) -> pd.DataFrame:
    """Agents per interval so that the simulated day meets ``sl_target`` in every interval.

    Starts from ``agents_start`` (the analytic answer) and, round by round, simulates the day
    (same seed every round: the same customers) and adds agents to every interval whose
    simulated service level is below the target: one, then 2, 4, ... while the interval keeps
    missing (a deep overnight backlog needs many).  Queues carry over, so an agent added at
    21:00 also helps 21:30: added agents that turn out not to be needed (the doubling
    overshoots, or a later interval only missed because of an earlier one's queue) are then
    taken back by bisection, all intervals at once, as long as each interval and the next
    still meet the target and the whole day does.  The result is never below
    ``agents_start`` and is deterministic for a given seed; about ``2 log2(most added)``
    simulations.

    Parameters
    ----------
    arrivals, agents_start
        Expected chats and the starting agents per interval (the analytic staffing).
    sl_target
        Required service level per interval, 0 <= target < 1.
    max_rounds
        Most simulations of the day; an InputError says which intervals still miss the
        target after that (e.g. when patience is so short that abandonment alone misses it).
    options
        Further keywords of :func:`simulate_day` (``handle_times_s``, ``silent_abandon_share``,
        ``silent_abandon_s``, ``routing``, ``initial_queue``, ``availability_share``).
    interval_s, aht_s, answer_within_s, concurrency, aht_increase_per_extra_chat,
    handle_time_cv, patience_s, replications, seed
        As for :func:`simulate_day`.

    Returns
    -------
    pandas.DataFrame
        The :func:`simulate_day` table at the final staffing, plus ``agents_start`` and
        ``added`` (agents added per interval) and ``rounds`` (simulations run, in ``attrs``).
    """
    goal = _check_sl_target(sl_target, answer_within_s)
    rounds_max = _whole(max_rounds, "max_rounds", 1)
    start = _per_interval(agents_start, "agents_start", None, integer=True).astype(np.int64)
    kw = dict(interval_s=interval_s, aht_s=aht_s, answer_within_s=answer_within_s,
              concurrency=concurrency, aht_increase_per_extra_chat=aht_increase_per_extra_chat,
              handle_time_cv=handle_time_cv, patience_s=patience_s, replications=replications,
              seed=seed, **options)
    runs = _DayRuns(arrivals, kw, goal, rounds_max)
    agents, day = _add_until_met(runs, start.copy(), goal)
    agents, day = _trim_added(runs, agents, start, day, goal)
    day.insert(2, "agents_start", start)
    day.insert(3, "added", agents - start)
    day.attrs["rounds"] = runs.rounds
    return day


def _check_sl_target(sl_target: Any, answer_within_s: Any) -> float:
    """The service-level target of :func:`staff_to_target` as a float, checked."""
    target = as_array(sl_target, "sl_target")
    if target.ndim != 0 or not np.isfinite(target) or not 0 <= target < 1:
        raise InputError(
            f"parameter 'sl_target' has {sl_target!r}; expected one share 0 <= target < 1 (a "
            "100 % service level cannot be staffed: some chat always waits)"
        )
    if float(target) > 0 and as_array(answer_within_s, "answer_within_s") <= 0:
        raise InputError(
            f"parameter 'answer_within_s' has {answer_within_s!r} with a positive sl_target "
            f"{float(target):g}; expected a threshold > 0 seconds"
        )
    return float(target)


class _DayRuns:
    """Simulations of one day at given staffings, at most ``rounds_max`` of them; ``day`` is
    the last staffing the add phase accepted (its misses name the intervals when the rounds
    run out)."""

    def __init__(self, arrivals: Any, kw: dict[str, Any], goal: float, rounds_max: int):
        self.arrivals, self.kw, self.goal, self.rounds_max = arrivals, kw, goal, rounds_max
        self.rounds = 0
        self.day: pd.DataFrame | None = None

    def run(self, staff: np.ndarray) -> pd.DataFrame:
        if self.rounds == self.rounds_max:
            where = np.flatnonzero(_misses(self.day, self.goal))
            raise InputError(
                f"the simulated day still misses sl_target {self.goal:g} in intervals "
                f"{where[:10].tolist()} after {self.rounds_max} simulations (max_rounds); check "
                "patience_s against answer_within_s, or raise max_rounds"
            )
        self.rounds += 1
        return simulate_day(self.arrivals, staff, **self.kw)

    def accept(self, staff: np.ndarray) -> pd.DataFrame:
        self.day = self.run(staff)
        return self.day


def _add_until_met(runs: _DayRuns, agents: np.ndarray,
                   goal: float) -> tuple[np.ndarray, pd.DataFrame]:
    """Add one agent to every interval that misses ``goal``, doubling while it keeps missing;
    the staffing that meets it and its day."""
    day = runs.accept(agents)
    step = np.ones(agents.size, np.int64)
    miss = _misses(day, goal)
    while miss.any():
        agents = agents + np.where(miss, step, 0)
        step = np.where(miss, step * 2, 1)
        day = runs.accept(agents)
        miss = _misses(day, goal)
    return agents, day


def _trim_added(runs: _DayRuns, agents: np.ndarray, start: np.ndarray, day: pd.DataFrame,
                goal: float) -> tuple[np.ndarray, pd.DataFrame]:
    """Take back added agents an interval no longer needs.

    An interval may have got agents it no longer needs (a doubled jump, or a miss that came
    only from the queue an earlier interval left and that interval's own agents have since
    cleared).  Bisect, for all intervals at once, how many of the added agents can go while
    that interval and the next still meet the target; keep the trimmed staffing only if the
    whole day still meets it (else the untrimmed one, which does)."""
    lo = np.zeros(agents.size, np.int64)  # added agents that can go
    hi = agents - start
    while (hi > lo).any():
        open_ = hi > lo
        take = np.where(open_, (lo + hi + 1) // 2, lo)
        bad = _misses(runs.run(agents - take), goal)
        ok = ~bad & ~np.append(bad[1:], False)
        lo = np.where(open_ & ok, take, lo)
        hi = np.where(open_ & ~ok, take - 1, hi)
    if lo.any():
        trimmed = runs.run(agents - lo)
        if not _misses(trimmed, goal).any():
            agents, day = agents - lo, trimmed
    return agents, day
