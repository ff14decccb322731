"""Calibrate the customer-service simulation from a shop's own chat export.

A chat export has one row per session: when the customer opened it (``start``), when it was
closed (``end``) and the agent who took it (``agent``; empty when nobody did: the customer
left first).  Exports that also record when an agent first took the chat (``answer``) allow the
waiting-time measures.  :func:`calibrate` measures, each as a plain estimator:

arrivals per interval
    sessions opened per interval (abandoned ones included: they are demand).
handle time and its spread, per concurrency level
    handle time = ``end - answer`` (or ``end - start`` without ``answer``).  For each session the
    *load* of its agent -- sessions that agent held at once, this one included -- is measured
    from the export itself: at the session's start (an integer, the table per level) and as the
    time-weighted mean over its life.  The handle times are fitted to the simulation's model
    ``handle = work (1 + r (load - 1))`` by least squares on the mean load: ``aht_s`` (the work,
    i.e. the handle time with one chat open) and ``r`` (``aht_increase_per_extra_chat``); the
    handle-time CV is the CV of the work ``handle / (1 + r (load - 1))``.
concurrency actually used
    per agent the most sessions held at once and the time-weighted mean while busy; the
    queue's ``concurrency`` is the median over agents of their maximum.
abandonment and patience
    abandoned share = sessions without an agent / sessions.  Patience (exponential, as in
    Erlang A and the simulation) by maximum likelihood with censoring: abandonments / total
    waiting time of everyone (answered customers' waits are censored patience).  Needs
    ``answer``.  Silent abandonment (customers who leave without closing the chat) cannot be
    told from an export and is not measured.
availability
    The share of on-duty agents actually available to the queue.  Whenever a customer is
    waiting, every available agent must be at its concurrency limit (else it would have
    taken the chat), so over the time someone waits, ``available = agents at their limit``;
    the share is that time-weighted count over the on-duty agents.  On duty comes from a roster
    (``on_duty``: agent, start, end) or, without one, from each agent's span per day from its
    first session's start to its last session's end.  Needs ``answer``.

Times may be datetimes or seconds.  Everything is array work on sorted event lists (no loops
over sessions or intervals).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ecomanalysis.errors import InputError

__all__ = ["Calibration", "calibrate"]

REQUIRED = ("start", "end", "agent")
QUEUES = ("presale", "aftersale")
#: Search range and precision of the slowdown per extra chat (numerical settings of the fit; the
#: standard's own range is 0-0.5, the search allows far more so it never clips a measurement).
MAX_SLOWDOWN = 3.0
SLOWDOWN_TOL = 1e-4


@dataclass(frozen=True)
class Calibration:
    """What a chat export says about the queue (see the module notes for each estimator).

    ``nan`` marks a figure the export cannot give (``notes`` says why).
    """

    sessions: int
    interval_s: float
    arrivals: pd.DataFrame
    aht_s: float
    aht_increase_per_extra_chat: float
    handle_time_cv: float
    handle_by_concurrency: pd.DataFrame
    concurrency: int
    mean_chats_held: float
    agents: pd.DataFrame
    abandoned_share: float
    patience_s: float
    availability_share: float
    notes: list[str] = field(default_factory=list)

    def simulation_kwargs(self) -> dict[str, Any]:
        """Keywords for :func:`ecomanalysis.simulate.simulate_day` measured here (NaNs left out;
        ``patience_s`` only when someone abandoned)."""
        kw: dict[str, Any] = {
            "aht_s": self.aht_s,
            "concurrency": self.concurrency,
            "aht_increase_per_extra_chat": self.aht_increase_per_extra_chat,
            "handle_time_cv": self.handle_time_cv,
            "patience_s": self.patience_s,
        }
        return {k: v for k, v in kw.items() if not (isinstance(v, float) and np.isnan(v))}

    def standard_overrides(self, kind: str) -> dict[str, float]:
        """The measured figures under the ids of ``data/standards.csv`` for queue ``kind``
        (``presale`` or ``aftersale``), to replace the defaults: ``{kind}_aht_s``,
        ``{kind}_concurrency``, ``chat_aht_increase_per_extra_chat``, ``cs_handle_time_cv``,
        ``cs_availability_share`` and ``cs_patience_s`` (NaNs left out)."""
        if kind not in QUEUES:
            raise InputError(f"parameter 'kind' has {kind!r}; expected one of {list(QUEUES)}")
        out = {
            f"{kind}_aht_s": self.aht_s,
            f"{kind}_concurrency": float(self.concurrency),
            "chat_aht_increase_per_extra_chat": self.aht_increase_per_extra_chat,
            "cs_handle_time_cv": self.handle_time_cv,
            "cs_availability_share": self.availability_share,
            "cs_patience_s": self.patience_s,
        }
        return {k: float(v) for k, v in out.items() if not np.isnan(v)}

    def table(self) -> pd.DataFrame:
        """The measured figures, one row each: ``parameter, value, unit, measured_from``."""
        rows = [
            ("sessions", self.sessions, "sessions", "rows of the export"),
            ("aht_s", self.aht_s, "s", "handle time with one chat open (fit on the load)"),
            ("aht_increase_per_extra_chat", self.aht_increase_per_extra_chat, "fraction",
             "slope of handle time on the agent's load / aht_s"),
            ("handle_time_cv", self.handle_time_cv, "sd / mean", "CV of the work per chat"),
            ("concurrency", self.concurrency, "chats", "median over agents of the most held"),
            ("mean_chats_held", self.mean_chats_held, "chats",
             "time-weighted mean held while busy"),
            ("abandoned_share", self.abandoned_share, "fraction", "sessions without an agent"),
            ("patience_s", self.patience_s, "s", "abandonments / total waiting time"),
            ("availability_share", self.availability_share, "fraction",
             "agents at their limit while customers wait / agents on duty"),
        ]
        return pd.DataFrame(rows, columns=["parameter", "value", "unit", "measured_from"])


# ----------------------------------------------------------------------------- inputs
def _seconds(values: pd.Series, name: str, origin) -> np.ndarray:
    """Times as float seconds (datetimes: since ``origin``)."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return (values - origin).dt.total_seconds().to_numpy(dtype=float)
    try:
        return values.to_numpy(dtype=float)
    except (TypeError, ValueError):
        raise InputError(
            f"chat export column '{name}' has {values.iloc[0]!r}; expected date-times or "
            "seconds"
        ) from None


def _origin(df: pd.DataFrame):
    if pd.api.types.is_datetime64_any_dtype(df["start"]):
        return df["start"].min().floor("D")
    return 0.0


def _prepare(sessions: pd.DataFrame, channel: str | None):
    if hasattr(sessions, "frame") and not isinstance(sessions, pd.DataFrame):
        sessions = sessions.frame()  # a ChatSessions from read_chats
    if not isinstance(sessions, pd.DataFrame):
        raise InputError(f"chat export has type {type(sessions).__name__}; expected a DataFrame "
                         "with columns start, end, agent (or read_chats' sessions)")
    missing = [c for c in REQUIRED if c not in sessions.columns]
    if missing:
        raise InputError(
            f"chat export has no column {', '.join(repr(c) for c in missing)}; columns found: "
            f"{', '.join(map(str, sessions.columns))}; expected start, end, agent (and "
            "optionally answer, channel)"
        )
    df = sessions
    if channel is not None:
        if "channel" not in df.columns:
            raise InputError(f"parameter 'channel' is {channel!r} but the chat export has no "
                             "'channel' column")
        df = df[df["channel"] == channel]
        if df.empty:
            raise InputError(f"parameter 'channel' is {channel!r}; the export has channels "
                             f"{sorted(map(str, sessions['channel'].dropna().unique()))}")
    df = df.reset_index(drop=True)
    if df.empty:
        raise InputError("chat export has no sessions; expected one row per session")
    origin = _origin(df)
    t = {c: _seconds(df[c], c, origin) for c in ("start", "end")}
    # an answer column with no value at all is an export without answer times (read_chats'
    # sessions always carry the column, empty when the export has none)
    has_answer = "answer" in df.columns and bool(df["answer"].notna().any())
    if has_answer:
        t["answer"] = _seconds(df["answer"], "answer", origin)
    agent = df["agent"].astype("string").str.strip()
    taken = agent.notna().to_numpy() & (agent.fillna("") != "").to_numpy()
    problems = []
    for name, bad in (
        ("start", ~np.isfinite(t["start"])),
        ("end", ~np.isfinite(t["end"])),
        ("end", np.isfinite(t["end"]) & (t["end"] < t["start"])),
    ):
        for i in np.flatnonzero(bad)[:5]:
            what = "is empty or not a time" if not np.isfinite(t[name][i]) else \
                "is before the session's start"
            problems.append(f"chat export row {i + 1}: column '{name}' {what} "
                            f"({df[name].iloc[i]!r})")
    if has_answer:
        a = t["answer"]
        bad = taken & (~np.isfinite(a) | (a < t["start"]) | (a > t["end"]))
        for i in np.flatnonzero(bad)[:5]:
            problems.append(f"chat export row {i + 1}: column 'answer' has {df['answer'].iloc[i]!r}; "
                            "expected a time between the session's start and end for a session "
                            "an agent took")
    if problems:
        raise InputError("\n".join(problems), problems)
    return df, origin, t, taken, agent, has_answer


# ----------------------------------------------------------------------------- the agents' load
def _load_profile(agent_codes: np.ndarray, s: np.ndarray, e: np.ndarray):
    """Per session: the agent's load at its start and its time-weighted mean load over it.

    Every agent's sessions become +1 / -1 events on one time axis (agents laid end to end with a
    gap, so the step function of each agent's load is one cumulative sum); the integral of the
    load is piecewise linear and continuous, so a session's mean load is an interpolation.
    Also returns the event table (time, level after, agent) for the concurrency figures.
    """
    span = float(max(e.max() - s.min(), 1.0)) + 1.0
    base = s.min()
    shift = agent_codes * 2.0 * span  # agent k lives on [2 k span, 2 k span + span)
    ss = s - base + shift
    ee = e - base + shift
    n = s.size
    tt = np.concatenate([ss, ee])
    delta = np.concatenate([np.ones(n), -np.ones(n)])
    order = np.lexsort((delta, tt))  # at a tie an end comes before a start
    tt, delta = tt[order], delta[order]
    level = np.cumsum(delta)
    integral = np.concatenate([[0.0], np.cumsum(level[:-1] * np.diff(tt))])
    at_start = level[np.searchsorted(tt, ss, side="right") - 1]
    life = ee - ss
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_load = np.where(life > 0, (np.interp(ee, tt, integral) - np.interp(ss, tt, integral))
                             / np.where(life > 0, life, 1.0), at_start)
    who = np.concatenate([agent_codes, agent_codes])[order]

    def work(rate: float) -> np.ndarray:
        """Each session's work at slowdown ``rate``: the integral of its speed
        ``1 / (1 + rate (load - 1))`` over its life (exact: the load is a step function)."""
        speed = 1.0 / (1.0 + rate * np.maximum(level[:-1] - 1.0, 0.0))
        done = np.concatenate([[0.0], np.cumsum(speed * np.diff(tt))])
        return np.interp(ee, tt, done) - np.interp(ss, tt, done)

    real_t = tt - np.floor(tt / (2.0 * span)) * 2.0 * span + base
    return at_start, mean_load, work, (real_t, level, who)


def _fit_handle(handle: np.ndarray, work) -> tuple[float, float]:
    """The slowdown ``r`` that makes the work per chat least variable on the log scale (work
    does not depend on how many chats the agent had open; handle times do), then ``aht_s`` =
    the mean work.  Log scale: handle times are skewed (log-normal-like), so a few long chats do
    not drive the fit.  Returns ``aht_s, r``."""
    from scipy.optimize import minimize_scalar

    pos = handle > 0
    if pos.sum() < 2:
        return float(handle.mean()), 0.0

    def spread(rate: float) -> float:
        return float(np.var(np.log(work(rate)[pos])))

    best = minimize_scalar(spread, bounds=(0.0, MAX_SLOWDOWN), method="bounded",
                           options={"xatol": SLOWDOWN_TOL})
    rate = float(best.x) if spread(best.x) < spread(0.0) else 0.0
    return float(work(rate).mean()), rate


# ----------------------------------------------------------------------------- availability
def _step_sum(times: np.ndarray, deltas: np.ndarray):
    order = np.argsort(times, kind="stable")
    return times[order], np.cumsum(deltas[order])


def _availability(t_wait_from, t_wait_to, cap_times, cap_deltas, duty_from, duty_to):
    """Time-weighted (agents at their limit) / (agents on duty) while someone waits."""
    grid = np.unique(np.concatenate([t_wait_from, t_wait_to, cap_times, duty_from, duty_to]))
    if grid.size < 2:
        return np.nan

    def level(times, deltas):
        tt, lv = _step_sum(times, deltas)
        idx = np.searchsorted(tt, grid[:-1], side="right") - 1
        return np.where(idx >= 0, lv[np.maximum(idx, 0)], 0.0)

    waiting = level(np.concatenate([t_wait_from, t_wait_to]),
                    np.concatenate([np.ones(t_wait_from.size), -np.ones(t_wait_to.size)]))
    at_cap = level(cap_times, cap_deltas)
    on_duty = level(np.concatenate([duty_from, duty_to]),
                    np.concatenate([np.ones(duty_from.size), -np.ones(duty_to.size)]))
    dt = np.diff(grid)
    w = (waiting > 0) & (on_duty > 0)
    if not w.any():
        return np.nan
    return float(np.sum(np.minimum(at_cap, on_duty)[w] * dt[w]) / np.sum(on_duty[w] * dt[w]))


# ----------------------------------------------------------------------------- calibrate
def calibrate(
    sessions: Any,
    *,
    interval_s: float = 1800.0,
    channel: str | None = None,
    on_duty: pd.DataFrame | None = None,
) -> Calibration:
    """Measure the simulation's parameters from a chat export (see the module notes).

    Parameters
    ----------
    sessions
        DataFrame with ``start``, ``end``, ``agent`` (empty: nobody took it) and optionally
        ``answer`` (an agent first took it) and ``channel``; or the sessions from
        :func:`ecomanalysis.intake.read_chats`.
    interval_s
        Interval of the arrivals table, seconds.
    channel
        Calibrate one channel (queue) only.
    on_duty
        Roster: ``agent, start, end`` per shift (same time kind as the sessions); default: each
        agent's span per day from its sessions.

    Returns
    -------
    Calibration

    Raises
    ------
    InputError
        Missing columns, times that are not times, sessions ending before they start, answer
        times outside their session, no answered session.
    """
    if not (isinstance(interval_s, int | float) and np.isfinite(interval_s) and interval_s > 0):
        raise InputError(f"parameter 'interval_s' has {interval_s!r}; expected seconds > 0")
    df, origin, t, taken, agent, has_answer = _prepare(sessions, channel)
    notes: list[str] = []
    start, end = t["start"], t["end"]
    arrivals = _arrivals(start, taken, interval_s, origin)
    if not taken.any():
        raise InputError("chat export has no session with an agent; expected at least one "
                         "answered session to measure handle times")
    # handle times and the agents' load
    s_srv = t["answer"][taken] if has_answer else start[taken]
    e_srv = end[taken]
    handle = e_srv - s_srv
    codes, names = pd.factorize(agent[taken], sort=True)
    at_start, mean_load, work_at, events = _load_profile(codes, s_srv, e_srv)
    aht, rate = _fit_handle(handle, work_at)
    work = work_at(rate)
    cv = float(work.std(ddof=1) / work.mean()) if work.size > 1 and work.mean() > 0 else np.nan
    agents, concurrency, held = _agent_concurrency(codes, names, handle, events)

    # abandonment, patience and availability
    abandoned_share = float((~taken).mean())
    patience = availability = np.nan
    if has_answer:
        patience = _patience(t, taken, notes)
        d_from, d_to = _on_duty_spans(on_duty, origin, codes, s_srv, e_srv, notes)
        availability = _availability(start, np.where(taken, t["answer"], end),
                                     *_at_limit(events, concurrency), d_from, d_to)
        if np.isnan(availability):
            notes.append("no customer ever waited while agents were on duty: availability "
                         "cannot be measured")
    else:
        notes.append("no 'answer' column: waits are unknown, so patience and availability are "
                     "not measured and handle time is end - start")
    return Calibration(
        sessions=len(df), interval_s=float(interval_s), arrivals=arrivals, aht_s=aht,
        aht_increase_per_extra_chat=rate, handle_time_cv=cv,
        handle_by_concurrency=_handle_by_level(at_start, handle),
        concurrency=concurrency, mean_chats_held=held, agents=agents,
        abandoned_share=abandoned_share, patience_s=float(patience),
        availability_share=float(availability), notes=notes,
    )


def _arrivals(start: np.ndarray, taken: np.ndarray, interval_s: float, origin) -> pd.DataFrame:
    """Chats and abandoned chats per interval (abandoned sessions are demand too)."""
    k = np.floor(start / interval_s).astype(np.int64)
    k0 = k.min()
    counts = np.bincount(k - k0)
    abandoned = np.bincount(k - k0, weights=(~taken).astype(float), minlength=counts.size)
    starts = (k0 + np.arange(counts.size)) * interval_s
    if isinstance(origin, pd.Timestamp):
        interval_start = origin + pd.to_timedelta(starts, unit="s")
    else:
        interval_start = starts
    return pd.DataFrame({"interval_start": interval_start, "chats": counts,
                         "abandoned": abandoned.astype(np.int64)})


def _handle_by_level(at_start: np.ndarray, handle: np.ndarray) -> pd.DataFrame:
    """Handle time by the agent's load when the chat was taken."""
    levels = pd.DataFrame({"level": at_start.astype(np.int64), "handle_s": handle})
    by_level = levels.groupby("level")["handle_s"].agg(["size", "mean", "std"]).reset_index()
    by_level.columns = ["concurrency", "chats", "mean_handle_s", "sd_handle_s"]
    by_level["cv"] = by_level["sd_handle_s"] / by_level["mean_handle_s"]
    return by_level


def _agent_concurrency(codes: np.ndarray, names, handle: np.ndarray,
                       events) -> tuple[pd.DataFrame, int, float]:
    """Per agent: sessions, handle and busy seconds, most and mean chats at once; the queue's
    concurrency (median of the agents' most) and mean chats held."""
    ev_t, ev_level, ev_who = events
    n_agents = len(names)
    max_c = np.zeros(n_agents)
    np.maximum.at(max_c, ev_who, ev_level)
    busy_s = np.bincount(ev_who[:-1], weights=np.where(ev_level[:-1] > 0, np.diff(ev_t), 0.0)
                         * (ev_who[:-1] == ev_who[1:]), minlength=n_agents)
    handle_sum = np.bincount(codes, weights=handle, minlength=n_agents)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_c = np.where(busy_s > 0, handle_sum / busy_s, np.nan)
    agents = pd.DataFrame({
        "agent": np.asarray(names, dtype=object),
        "sessions": np.bincount(codes, minlength=n_agents),
        "handle_s": handle_sum,
        "busy_s": busy_s,
        "max_concurrent": max_c.astype(np.int64),
        "mean_concurrent": mean_c,
    })
    concurrency = int(max(np.median(max_c), 1))
    held = float(handle_sum.sum() / busy_s.sum()) if busy_s.sum() > 0 else np.nan
    return agents, concurrency, held


def _patience(t: dict, taken: np.ndarray, notes: list[str]) -> float:
    """Mean patience: waiting exposure per abandoned chat (nan, with a note, when nobody
    abandoned)."""
    start, end = t["start"], t["end"]
    wait = np.where(taken, t["answer"] - start, end - start)
    exposure = float(wait.sum())
    n_ab = int((~taken).sum())
    if n_ab and exposure > 0:
        return exposure / n_ab
    if not n_ab:
        notes.append("nobody abandoned: patience cannot be measured (no abandonment)")
    return np.nan


def _at_limit(events, concurrency: int) -> tuple[np.ndarray, np.ndarray]:
    """Agents at their limit: +1 when an agent's load reaches the limit, -1 when it leaves it
    (times and steps)."""
    ev_t, ev_level, ev_who = events
    prev = np.concatenate([[0.0], ev_level[:-1]])
    prev[1:][ev_who[1:] != ev_who[:-1]] = 0.0
    up = (ev_level >= concurrency) & (prev < concurrency)
    down = (ev_level < concurrency) & (prev >= concurrency)
    cap_t = np.concatenate([ev_t[up], ev_t[down]])
    cap_d = np.concatenate([np.ones(up.sum()), -np.ones(down.sum())])
    return cap_t, cap_d


def _on_duty_spans(on_duty: pd.DataFrame | None, origin, codes: np.ndarray, s_srv: np.ndarray,
                   e_srv: np.ndarray, notes: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Shift starts and ends in seconds: the roster's, or each agent's first session start to
    last session end per day (with a note)."""
    if on_duty is not None:
        for c in ("agent", "start", "end"):
            if c not in on_duty.columns:
                raise InputError(f"parameter 'on_duty' has no column '{c}'; expected agent, "
                                 "start, end per shift")
        return (_seconds(on_duty["start"], "on_duty.start", origin),
                _seconds(on_duty["end"], "on_duty.end", origin))
    day = np.floor(s_srv / 86400.0)
    span = pd.DataFrame({"a": codes, "d": day, "s": s_srv, "e": e_srv}).groupby(
        ["a", "d"]).agg(s=("s", "min"), e=("e", "max"))
    notes.append("on duty taken as each agent's first session start to last session "
                 "end per day (no roster given)")
    return span["s"].to_numpy(), span["e"].to_numpy()
