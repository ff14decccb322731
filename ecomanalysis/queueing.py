"""Queueing models for staffing customer service: Erlang B, C, A and chat concurrency.

Pure, vectorised numpy: every function accepts scalars, numpy arrays or pandas Series, broadcasts
them, and never loops over intervals in Python (the loops below run over *agent counts* or
*states of a chain*, each step an array operation across all intervals at once).

Notation (units in names): ``traffic`` is the offered load in Erlangs
(``volume * aht_s / interval_s``), ``agents`` the productive agents (servers), ``aht_s`` the
average handling time in seconds, ``answer_within_s`` the service-level threshold in seconds,
``patience_s`` the mean time a waiting customer is willing to wait before abandoning.

Models
------
Erlang B / C (M/M/N)
    ``B(A, 0) = 1`` and ``B(A, k) = A B(A, k-1) / (k + A B(A, k-1))``: every step is a ratio of
    positive numbers in [0, 1], so rounding errors shrink rather than grow and the result is
    exact to ~1e-14 (relative) at 20,000 Erlangs (tests compare with 60-digit decimals).
    Fractional server counts use the gamma-function extension
    ``B(A, x) = A**x e**-A / Gamma(x + 1, A)``: evaluated in closed form for the fractional part
    ``f`` of ``x`` only, after which the same recursion (which the extension also satisfies)
    steps up to ``x``.  Erlang C: ``C = N B / (N - A (1 - B))`` for ``N > A``.
Erlang A (M/M/N+M)
    Customers abandon after an exponential patience with mean ``patience_s``.  Solved exactly as
    a birth-death chain (see :func:`erlang_a`); an abandoned contact counts as *not* answered in
    time.
Chat concurrency
    Each agent holds up to ``concurrency`` chats; an agent holding ``j`` chats completes them at
    total rate ``j / aht_j`` (``aht_j`` from ``aht_by_concurrency``).  Birth-death chain with a
    state-dependent service rate, chats spread evenly over agents, FIFO queue when every slot is
    busy (see :func:`chat_metrics`).  The naive alternative, Erlang C with
    ``aht / concurrency`` (:func:`naive_concurrency_aht_s`), is kept for comparison only.
What the models assume, checked
    Exponential handle times, chats spread evenly, each interval in steady state: the
    simulated day in :mod:`ecomanalysis.simulate` drops each assumption and
    ``required_agents(..., method="simulate")`` staffs to the simulated day.

Conventions (each tested)
-------------------------
* zero traffic: waiting probability 0, service level 1, ASA 0, occupancy 0 (and 0 agents in
  :func:`required_agents`);
* Erlang C with ``traffic >= agents`` (an unstable queue): waiting probability exactly 1, service
  level 0, ASA ``inf``, occupancy 1; no exception, never a probability above 1.  (With
  abandonment the queue is stable at any load, so Erlang A has no such case.)
* occupancy is what users mean by it: the share of time an agent holds at least one contact
  (for chats: one chat is enough, however many slots are free); ``mean_chats_held`` (chats held
  per agent) is reported beside it, and :func:`required_agents` caps each separately
  (``max_occupancy``, ``max_chats_held``).  With one contact per agent both are ``A / N``;
* a 100 % service level, or a positive one within 0 s, is refused (InputError): some contact
  always waits, so no number of agents meets it.

References
----------
* A. K. Erlang (1917); D. L. Jagerman, "Some properties of the Erlang loss function",
  Bell System Technical Journal 53 (1974) -- the recursion and its continuous extension.
* A. Mandelbaum and S. Zeltyn, "The M/M/n+G queue: summary of performance measures",
  Technion (2004, rev. 2009) -- density of the offered wait ``f_V(v) = lambda pi_(N-1)
  exp(lambda H(v) - N mu v)``, ``H(v) = int_0^v P(patience > u) du``, used in :func:`erlang_a`.
* CCmath, "Erlang Chat" -- concurrency as a state-dependent service rate.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from scipy import special

from ecomanalysis.arrays import as_array
from ecomanalysis.errors import InputError

__all__ = [
    "QueueMetrics",
    "asa_s",
    "chat_metrics",
    "erlang_a",
    "erlang_b",
    "erlang_c",
    "linear_aht_profile",
    "naive_concurrency_aht_s",
    "occupancy",
    "queue_metrics",
    "required_agents",
    "service_level",
    "staffed_from_agents",
]

# ----------------------------------------------------------------------------- numerics
# These are numerical tolerances of the algorithms, not modelling assumptions.

#: A term of a chain sum is dropped once it, and a geometric bound on everything after it, is
#: below this fraction of the sum so far: far below float64 resolution (2.2e-16).
#: Traffic below this is treated as none: a numerical floor (1e-9 Erlangs is one contact in
#: about 30 years of 1-second contacts), not a modelling assumption.
MIN_TRAFFIC_ERLANGS = 1e-9
_TAIL_RTOL = 1e-18
#: Running products of chain ratios are rescaled by this factor before they could overflow.
_BIG = 1e200
_LOG_BIG = float(np.log(_BIG))
#: Below this traffic B(A, f) for 0 < f < 1 comes from scipy's incomplete gamma function; above
#: it from a continued fraction (scipy's Q(f + 1, A) underflows for A > ~700; the fraction
#: converges in a handful of terms once A is large).
_CF_MIN_TRAFFIC = 30.0
#: The chain loops test convergence and rescale every this many steps (the running products
#: can grow by at most ``ratio**8`` in between, far from overflowing ``_BIG``).
_CHECK_EVERY = 8
#: Most terms of that continued fraction (it converges to 1e-16 for A >= 30 in fewer).
_CF_TERMS = 60
#: Starting point of the Erlang A search: Erlang C's answer minus this times sqrt(A theta aht)
#: (a search heuristic fitted on 80/20 targets; it changes speed, never the answer).
_ERLANG_A_GAP = 0.47
#: Fractional agents (``required_agents(..., fractional=True)``) are found to this many agents.
_FRACTIONAL_TOL = 1e-9
#: Shrinkage is read as a decimal fraction whose denominator is at most this (0.3 -> 3/10).
_SHRINKAGE_MAX_DENOMINATOR = 10**6


class QueueMetrics(NamedTuple):
    """Performance of a queue at given agents; every field is an array of the broadcast shape.

    Attributes
    ----------
    waiting_probability
        Probability that an arriving contact finds every agent (every chat slot) busy.
    service_level
        Probability that a contact is answered within ``answer_within_s`` (abandoned contacts
        count as not answered in time).
    asa_s
        Average speed of answer: mean wait of answered contacts, zero waits included, seconds.
    occupancy
        Occupancy as users mean it: the share of time an agent is busy, i.e. holds at least
        one contact (one chat is enough).  With one contact per agent this is ``A / N``.
    abandon_probability
        Probability that a contact abandons (0 without abandonment).
    mean_chats_held
        Mean contacts (chats) an agent holds at once, over all agents; ``concurrency`` times
        the share of chat slots in use.  Equal to ``occupancy`` with one contact per agent.
    """

    waiting_probability: np.ndarray
    service_level: np.ndarray
    asa_s: np.ndarray
    occupancy: np.ndarray
    abandon_probability: np.ndarray
    mean_chats_held: np.ndarray


# ----------------------------------------------------------------------------- validation
def _check(
    arr: np.ndarray,
    name: str,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
    integer: bool = False,
) -> None:
    """Raise InputError naming the parameter, the bad values (positions) and the valid range."""
    bad = ~np.isfinite(arr)
    if low is not None:
        bad |= (arr <= low) if low_open else (arr < low)
    if high is not None:
        bad |= (arr >= high) if high_open else (arr > high)
    if integer:
        bad |= np.isfinite(arr) & (arr != np.round(arr))
    if not bad.any():
        return
    parts = []
    if low is not None:
        parts.append(f"{'>' if low_open else '>='} {low:g}")
    if high is not None:
        parts.append(f"{'<' if high_open else '<='} {high:g}")
    expected = ("an integer " if integer else "a finite number ") + " and ".join(parts)
    if arr.ndim == 0:
        problems = [f"parameter '{name}' has {arr.item()!r}; expected {expected}"]
    else:
        where = np.argwhere(bad)
        problems = [
            f"parameter '{name}' element {tuple(int(i) for i in idx) if arr.ndim > 1 else int(idx[0])}"
            f" has {arr[tuple(idx)].item()!r}; expected {expected}"
            for idx in where[:5]
        ]
        if len(where) > 5:
            problems.append(f"parameter '{name}': {len(where) - 5} more bad values")
    raise InputError("\n".join(problems), problems)


def _check_traffic(a: np.ndarray) -> None:
    """Refuse a load no shop has before any search allocates for it (data/input_bounds.csv)."""
    from ecomanalysis.bounds import bound

    high = bound("traffic_erlangs").high
    bad = np.flatnonzero(~(a <= high))
    if bad.size:
        at = "" if a.size == 1 else f" (element {int(bad[0])})"
        raise InputError(
            f"volume x aht_s / interval_s is {a[bad[0]]:.4g} Erlangs{at}; expected at most "
            f"{high:,.0f} agents busy at once (traffic_erlangs in data/input_bounds.csv)"
        )


def _index_of(*values: Any) -> pd.Index | None:
    for v in values:
        if isinstance(v, pd.Series):
            return v.index
    return None


def _profile(concurrency: int, aht_by_concurrency: Any) -> np.ndarray:
    """Per-agent completion rate when holding j = 0..c chats, in units of 1 / aht_s.

    ``g[j] = j * aht_1 / aht_j`` (``aht_1 = aht_s``): an agent with ``j`` chats finishes
    ``j / aht_j`` chats per second.  ``aht_by_concurrency`` is a *profile*: it is scaled so its
    first value equals each interval's ``aht_s`` (pass ``aht_s`` equal to its first value to use
    the seconds as given).
    """
    from ecomanalysis.bounds import bound

    c = np.asarray(concurrency)
    c_max = int(bound("concurrency").high)
    if c.ndim != 0 or not np.isfinite(c) or c != int(c) or not 1 <= int(c) <= c_max:
        raise InputError(
            f"parameter 'concurrency' has {concurrency!r}; expected an integer >= 1 and <= "
            f"{c_max} (chats one agent handles at once)"
        )
    c = int(c)
    if aht_by_concurrency is None:
        return np.arange(c + 1, dtype=float)
    prof = as_array(aht_by_concurrency, "aht_by_concurrency").ravel()
    if prof.size != c:
        raise InputError(
            f"parameter 'aht_by_concurrency' has {prof.size} values {list(prof)}; expected "
            f"{c} (one handling time in seconds per number of parallel chats 1..{c})"
        )
    _check(prof, "aht_by_concurrency", low=0.0, low_open=True)
    j = np.arange(1, c + 1, dtype=float)
    return np.concatenate([[0.0], j * prof[0] / prof])


def linear_aht_profile(
    aht_s: float, concurrency: int, increase_per_extra_chat: float
) -> list[float] | None:
    """Handle time per chat with 1, 2, ... ``concurrency`` chats open, rising linearly.

    ``aht_s * (1 + increase_per_extra_chat * j)`` for ``j = 0 .. concurrency - 1``: the
    ``aht_by_concurrency`` argument of :func:`chat_metrics` and :func:`required_agents`.
    None for a single chat (no profile needed).
    """
    if concurrency <= 1:
        return None
    return [aht_s * (1 + increase_per_extra_chat * j) for j in range(concurrency)]


def naive_concurrency_aht_s(
    aht_s: Any, concurrency: int = 1, aht_by_concurrency: Any = None
) -> np.ndarray:
    """The rule-of-thumb effective AHT ``aht_c / c`` that turns chats into an Erlang C problem.

    ``aht_c`` is the handling time at full concurrency (``aht_s`` scaled by the profile
    ``aht_by_concurrency``, as in :func:`chat_metrics`).  Provided so notebooks and tests can
    show how far this shortcut is from the chat chain; do not staff with it.
    """
    g = _profile(concurrency, aht_by_concurrency)
    c = g.size - 1
    # g[c] = c * aht_1 / aht_c  ->  aht_c / c = aht_1 / g[c]
    return as_array(aht_s, "aht_s") / g[c]


# ----------------------------------------------------------------------------- Erlang B / C
def _b_recursion(
    traffic: np.ndarray, b0: np.ndarray, start: np.ndarray, steps: np.ndarray,
    presorted: bool = False,
):
    """Step ``B(A, start + k) = A B / (start + k + A B)`` for k = 1..steps (1-D arrays).

    Intervals are sorted by ``steps`` (descending; ``presorted`` says they already are) so
    that step ``k`` only touches the leading slice of those that still need it: total work is
    the sum of the steps, not ``n * max(steps)``.
    """
    out = np.array(b0, dtype=float, copy=True)
    steps = steps.astype(np.int64)
    if steps.size == 0 or steps.max(initial=0) <= 0:
        return out
    if presorted:
        a, s, b, k_desc = traffic, start, out, steps
    else:
        order = _desc_order(steps)
        a, s, b, k_desc = traffic[order], start[order], out[order], steps[order]
    kmax = int(k_desc[0])
    # counts[k-1] = number of intervals with steps >= k
    counts = np.searchsorted(-k_desc, -np.arange(1, kmax + 1), side="right")
    ab = np.empty_like(b)
    den = np.empty_like(b)
    has_start = bool(np.any(s))
    for k in range(1, kmax + 1):
        m = counts[k - 1]
        np.multiply(a[:m], b[:m], out=ab[:m])
        if has_start:
            np.add(ab[:m], s[:m], out=den[:m])
            den[:m] += k
        else:
            np.add(ab[:m], k, out=den[:m])
        np.divide(ab[:m], den[:m], out=b[:m])
    if not presorted:
        out[order] = b
    return out


def _b_fractional_start(traffic: np.ndarray, f: np.ndarray) -> np.ndarray:
    """Gamma-extended ``B(A, f) = A**f e**-A / Gamma(f + 1, A)`` for 0 <= f < 1 (1-D arrays)."""
    out = np.ones_like(traffic)
    need = f > 0
    if not need.any():
        return out
    a = traffic[need]
    s = f[need] + 1.0
    b = np.zeros_like(a)
    small = a < _CF_MIN_TRAFFIC
    pos = small & (a > 0)
    if pos.any():
        a_s, s_s = a[pos], s[pos]
        log_num = (s_s - 1.0) * np.log(a_s) - a_s - special.gammaln(s_s)
        b[pos] = np.exp(log_num) / special.gammaincc(s_s, a_s)
    big = ~small
    if big.any():
        # e**x x**-s Gamma(s, x) = 1/(x+1-s- 1(1-s)/(x+3-s- 2(2-s)/(x+5-s- ...)))  (modified
        # Lentz), and 1/B(A, f) = A * e**A A**-(f+1) Gamma(f+1, A).
        x, sb = a[big], s[big]
        tiny = 1e-300
        bb = x + 1.0 - sb
        c = np.full_like(x, 1.0 / tiny)
        d = 1.0 / bb
        h = d.copy()
        for i in range(1, _CF_TERMS + 1):
            an = -i * (i - sb)
            bb = bb + 2.0
            d = an * d + bb
            d = np.where(np.abs(d) < tiny, tiny, d)
            c = bb + an / c
            c = np.where(np.abs(c) < tiny, tiny, c)
            d = 1.0 / d
            delta = d * c
            h = h * delta
            if np.all(np.abs(delta - 1.0) < 4e-16):
                break
        b[big] = 1.0 / (x * h)
    out[need] = b
    return out


def erlang_b(traffic: Any, servers: Any) -> np.ndarray:
    """Erlang B blocking probability of an M/M/N/N loss system.

    Parameters
    ----------
    traffic
        Offered load in Erlangs (>= 0).
    servers
        Number of servers (>= 0); fractional values use the gamma-function extension.

    Returns
    -------
    numpy.ndarray
        ``B(traffic, servers)`` in [0, 1], broadcast shape (a 0-d array for scalars).
    """
    a = as_array(traffic, "traffic")
    n = as_array(servers, "servers")
    _check(a, "traffic", low=0.0)
    _check(n, "servers", low=0.0)
    a, n = np.broadcast_arrays(a, n)
    shape = a.shape
    a, n = a.ravel(), n.ravel()
    whole = np.floor(n)
    frac = n - whole
    b0 = _b_fractional_start(a, frac)
    return _b_recursion(a, b0, frac, whole).reshape(shape)


def _erlang_c_from_b(a: np.ndarray, n: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``C = N B / (N - A (1 - B))`` where ``N > A``; 1 where ``N <= A``; 0 where ``A == 0``."""
    with np.errstate(divide="ignore", invalid="ignore"):
        c = n * b / (n - a * (1.0 - b))
    c = np.where(n > a, c, 1.0)
    c = np.where(a == 0, 0.0, c)
    return np.clip(c, 0.0, 1.0)


def erlang_c(traffic: Any, agents: Any) -> np.ndarray:
    """Erlang C probability that a contact waits (M/M/N).

    Parameters
    ----------
    traffic
        Offered load in Erlangs (>= 0).
    agents
        Productive agents (>= 0); fractional values use the gamma-function extension.

    Returns
    -------
    numpy.ndarray
        Waiting probability in [0, 1]: exactly 1 where ``traffic >= agents > 0`` or
        ``agents == 0 < traffic``, 0 where ``traffic == 0``.
    """
    a = as_array(traffic, "traffic")
    n = as_array(agents, "agents")
    a, n = np.broadcast_arrays(a, n)
    b = erlang_b(a, n)
    return _erlang_c_from_b(a, n, b)


def _sl_c(a, n, c, aht, t):
    with np.errstate(over="ignore", invalid="ignore"):
        sl = 1.0 - c * np.exp(-(n - a) * t / aht)
    sl = np.where(n > a, sl, 0.0)
    sl = np.where(a == 0, 1.0, sl)
    return np.clip(sl, 0.0, 1.0)


def _asa_c(a, n, c, aht):
    with np.errstate(divide="ignore", invalid="ignore"):
        w = c * aht / (n - a)
    w = np.where(n > a, w, np.inf)
    return np.where(a == 0, 0.0, w)


def _occ_c(a, n):
    with np.errstate(divide="ignore", invalid="ignore"):
        o = np.where(n > 0, a / n, 1.0)
    o = np.where(a == 0, 0.0, o)
    return np.minimum(o, 1.0)


def service_level(traffic: Any, agents: Any, aht_s: Any, answer_within_s: Any = 20.0) -> np.ndarray:
    """Erlang C service level: probability of answer within ``answer_within_s`` seconds.

    ``SL = 1 - C exp(-(N - A) t / aht)``; 0 where ``traffic >= agents``, 1 where traffic is 0.

    Parameters
    ----------
    traffic
        Offered load in Erlangs.
    agents
        Productive agents (fractional allowed).
    aht_s
        Average handling time, seconds.
    answer_within_s
        Service-level threshold, seconds.
    """
    a, n, aht, t = np.broadcast_arrays(
        as_array(traffic, "traffic"),
        as_array(agents, "agents"),
        as_array(aht_s, "aht_s"),
        as_array(answer_within_s, "answer_within_s"),
    )
    _check(aht, "aht_s", low=0.0, low_open=True)
    _check(t, "answer_within_s", low=0.0)
    return _sl_c(a, n, erlang_c(a, n), aht, t)


def asa_s(traffic: Any, agents: Any, aht_s: Any) -> np.ndarray:
    """Erlang C average speed of answer ``C aht / (N - A)`` in seconds (inf where unstable).

    Parameters
    ----------
    traffic
        Offered load in Erlangs.
    agents
        Productive agents (fractional allowed).
    aht_s
        Average handling time, seconds.
    """
    a, n, aht = np.broadcast_arrays(
        as_array(traffic, "traffic"), as_array(agents, "agents"), as_array(aht_s, "aht_s")
    )
    _check(aht, "aht_s", low=0.0, low_open=True)
    return _asa_c(a, n, erlang_c(a, n), aht)


def occupancy(traffic: Any, agents: Any) -> np.ndarray:
    """Erlang C agent occupancy ``A / N``, capped at 1 (0 where traffic is 0).

    Parameters
    ----------
    traffic
        Offered load in Erlangs.
    agents
        Productive agents.
    """
    a, n = np.broadcast_arrays(as_array(traffic, "traffic"), as_array(agents, "agents"))
    _check(a, "traffic", low=0.0)
    _check(n, "agents", low=0.0)
    return _occ_c(a, n)


# ----------------------------------------------------------------------------- the chain
class _Chain(NamedTuple):
    """Parameters of the birth-death chain for a 1-D batch of intervals (rates per second)."""

    lam: np.ndarray  # arrival rate
    agents: np.ndarray  # integer agents N >= 1
    aht: np.ndarray  # single-chat AHT (seconds); per-agent rates are g[j] / aht
    t: np.ndarray  # answer_within_s
    theta: np.ndarray  # abandonment rate 1 / patience (0: no abandonment)
    g: np.ndarray  # per-agent completion-rate profile, g[0] = 0, length concurrency + 1


def _desc_order(n: np.ndarray) -> np.ndarray:
    """Indices sorting non-negative integers ``n`` in descending order (radix sort if small)."""
    key_type = np.int16 if n.size and n.max() < np.iinfo(np.int16).max else np.int64
    return np.argsort((-n).astype(key_type), kind="stable")


def _lower_chat(a: np.ndarray, n: np.ndarray, g: np.ndarray):
    """Sum over the states below ``S = N c`` (not every slot busy), chat profile ``g``.

    States ``k = 0..S-1`` with ``p(S-1) = 1`` and ``p(k-1) / p(k) = d_k / A`` where ``A = lam aht``
    and ``d_k`` (in units of 1/aht) is the completion rate with ``k`` chats spread evenly over
    ``N`` agents: ``k = qN + r`` gives ``r`` agents with ``q+1`` chats and ``N - r`` with ``q``,
    ``d_k = N g[q] + r (g[q+1] - g[q])``.  ``d_0 = 0``, so the sum ends exactly at state 0.

    Summed downwards, block ``q`` by block, ``r = N-1 .. 0`` inside a block.  The intervals are
    sorted by ``N`` so that at offset ``r`` exactly a leading slice of them (those with
    ``N > r``) takes a step: array slices, no masks.  The loop stops early once every interval's
    term, and a geometric bound on all its remaining terms, is below ``_TAIL_RTOL`` of its sum
    (valid when ``g`` is non-decreasing, so that ``d_k`` falls with ``k``).

    Returns ``log L`` (``L = sum p``), the mean busy slots and the mean busy agents (holding at
    least one chat, ``min(k, N)`` under the even spread) over these states.  The agents are
    summed as ``N L - sum_(k<N) (N - k) p(k)``: only the states below ``N`` (block ``q = 0``
    and the state ``N - 1`` that ends block ``q = 1``) add to the deficit.
    """
    c = g.size - 1
    slope = np.diff(g)
    monotone = bool(np.all(slope >= 0))
    order = _desc_order(n)
    ns = n[order].astype(np.int64)
    nf = ns.astype(float)
    inv_a = 1.0 / a[order]
    nmax = int(ns[0])
    # counts[r] = number of intervals with N > r (a leading slice, N sorted descending)
    counts = np.searchsorted(-ns, -np.arange(nmax), side="left")
    size = ns.size
    p = np.ones(size)
    total = np.ones(size)
    busy = nf * c - 1.0
    deficit = np.full(size, 1.0 if c == 1 else 0.0)  # state S-1 = N-1 when c == 1
    scale = np.zeros(size)
    done = np.zeros(size, dtype=bool)
    for q in range(c - 1, -1, -1):
        alpha = nf * g[q] * inv_a  # N g[q] / A
        beta = slope[q] * inv_a
        k_base = q * nf - 1.0  # state after the step is k - 1 = qN + r - 1
        for r in range(nmax - 1, -1, -1):
            m = counts[r]
            ratio = alpha[:m] + r * beta[:m]
            pm = p[:m]
            pm *= ratio
            total[:m] += pm
            busy[:m] += (k_base[:m] + r) * pm
            if q == 0:  # state r - 1 < N
                deficit[:m] += (nf[:m] - (r - 1.0)) * pm
            elif q == 1 and r == 0:  # state N - 1
                deficit[:m] += pm
            if r % _CHECK_EVERY == 0:
                over = pm > _BIG
                if over.any():
                    pm[over] /= _BIG
                    total[:m][over] /= _BIG
                    busy[:m][over] /= _BIG
                    deficit[:m][over] /= _BIG
                    scale[:m][over] += 1.0
                if monotone:
                    # ratio (this step's) bounds every later ratio: geometric tail bound
                    done[:m] = (pm == 0.0) | (
                        (ratio < 1.0) & (pm * ratio < _TAIL_RTOL * total[:m] * (1.0 - ratio))
                    )
                    if done.all():
                        break
        else:
            continue
        break
    log_l = np.empty(size)
    mean_busy = np.empty(size)
    mean_agents = np.empty(size)
    log_l[order] = np.log(total) + scale * _LOG_BIG
    mean_busy[order] = busy / total
    mean_agents[order] = nf - deficit / total
    return log_l, mean_busy, mean_agents


def _lower(ch: _Chain):
    """``log L``, mean busy slots and mean busy agents over the states with a free slot
    (``p(S-1) = 1``)."""
    a = ch.lam * ch.aht
    if ch.g.size == 2:  # one chat per agent: the states below N are Erlang's loss system
        # sum_{k<N} p_k / p_(N-1) = 1 / B(A, N-1); mean busy there = A (1 - B(A, N-1)).
        n1 = (ch.agents - 1).astype(float)
        b = _b_recursion(a, np.ones_like(a), np.zeros_like(a), n1)
        with np.errstate(divide="ignore"):
            busy = a * (1.0 - b)
            return -np.log(b), busy, busy
    return _lower_chat(a, ch.agents, ch.g)


def _upper(ch: _Chain):
    """Sums over the states with every slot busy, ``p(S-1) = 1``, plus the tagged-contact sums.

    With ``R`` the completion rate when all ``S`` slots are busy and ``m`` contacts queued,
    ``p(S+m) = (lam / R) prod_{j=1..m} lam / (R + j theta)``.

    Returns ``log U`` (``U = sum_m p(S+m)``); as ratios to ``U``: ``late = sum_{m>=1} p(S+m) w**m``
    (``w = exp(-theta t)``), ``served = sum_{m>=1} p(S+m)`` and ``asa = (R / lam) sum_{m>=1}
    p(S+m) H_(m-1)`` with ``H_(m-1) = sum_{j=1..m} 1 / (R + j theta)`` (``theta = 0``: closed
    forms); a mask of unstable intervals (``theta = 0`` and ``lam >= R``); and ``R``.
    """
    lam, theta = ch.lam, ch.theta
    c = ch.g.size - 1
    big_r = ch.agents * ch.g[c] / ch.aht
    size = lam.size
    log_u = np.empty(size)
    late = np.empty(size)
    served = np.empty(size)
    asa = np.empty(size)
    unstable = np.zeros(size, dtype=bool)

    nop = theta == 0
    if nop.any():  # geometric: p(S+m) = rho**(m+1)
        rho = lam[nop] / big_r[nop]
        unstable[nop] = rho >= 1.0
        with np.errstate(divide="ignore", invalid="ignore"):
            log_u[nop] = np.log(rho) - np.log1p(-rho)
            late[nop] = rho  # (rho**2 / (1 - rho)) / (rho / (1 - rho)), w = 1
            served[nop] = rho
            # sum_m rho**(m+1) (m+1) / R, over U
            asa[nop] = 1.0 / (big_r[nop] * (1.0 - rho))
    sel = np.flatnonzero(~nop)
    if sel.size:
        # Truncated chain: states S+m for m = 0, 1, ... until the term, and a geometric bound
        # on the whole rest (the ratios lam / (R + m theta) only fall as m grows), is below
        # _TAIL_RTOL (1e-18) of the queue mass: the neglected tail is invisible in float64.
        lam_a, th_a, r_a = lam[sel], theta[sel], big_r[sel]
        w = np.exp(-th_a * ch.t[sel])
        p0 = lam_a / r_a
        p = p0.copy()
        tot = p0.copy()
        s_late = np.zeros_like(p)
        s_asa = np.zeros_like(p)
        pw = p0.copy()
        h = np.zeros_like(p)
        scale = np.zeros_like(p)
        den = r_a.copy()
        idx = np.arange(sel.size)
        while idx.size:
            for _ in range(_CHECK_EVERY):
                den += th_a  # R + m theta
                inv = 1.0 / den
                ratio = lam_a * inv
                p *= ratio
                pw *= ratio * w
                h += inv
                tot += p
                s_late += pw
                s_asa += p * h
            over = p > _BIG
            if over.any():
                for arr in (p, pw, p0, tot, s_late, s_asa):
                    arr[over] /= _BIG
                scale[over] += 1.0
            nxt = lam_a / (den + th_a)
            done = (nxt < 1.0) & (p * nxt < _TAIL_RTOL * tot * (1.0 - nxt))
            n_done = int(np.count_nonzero(done))
            if n_done and 2 * n_done >= idx.size:
                fin = sel[idx[done]]
                td = tot[done]
                log_u[fin] = np.log(td) + scale[done] * _LOG_BIG
                late[fin] = s_late[done] / td
                served[fin] = (td - p0[done]) / td
                asa[fin] = (r_a[done] / lam_a[done]) * s_asa[done] / td
                keep = ~done
                idx, lam_a, th_a, r_a, w, den = (
                    idx[keep], lam_a[keep], th_a[keep], r_a[keep], w[keep], den[keep]
                )
                p, pw, p0, tot, h, scale = p[keep], pw[keep], p0[keep], tot[keep], h[keep], scale[keep]
                s_late, s_asa = s_late[keep], s_asa[keep]
    return log_u, late, served, asa, unstable, big_r


def _chain_metrics(ch: _Chain) -> QueueMetrics:
    """Exact metrics of the chain for a 1-D batch with ``lam > 0`` and ``agents >= 1``.

    With ``pi`` normalised over all states (``Z = L + U``):

    * waiting probability ``P_w = U / (L + U)`` (PASTA: arrivals see time averages);
    * abandonment ``P_ab = (theta / lam) E[queue] = P_w - (R / lam) P(S+1 and above)``
      (flow balance ``lam p(S+m) = (R + (m+1) theta) p(S+m+1)`` summed over m);
    * answered within ``t``: ``SL = 1 - P_ab - P(answered after t)`` where
      ``P(answered after t) = int_t^inf e**(-theta v) f_V(v) dv`` for the offered wait ``V`` with
      density ``f_V(v) = lam pi(S-1) exp(lam H(v) - R v)``, ``H(v) = (1 - e**(-theta v)) / theta``
      (Mandelbaum & Zeltyn).  The substitution ``u = (lam/theta) e**(-theta v)`` turns it into an
      incomplete gamma function whose series is, term by term, the chain:
      ``P(answered after t) = (R/lam) exp(x (1 - w) - R t) sum_{m>=1} pi(S+m) w**m`` with
      ``x = lam / theta``, ``w = e**(-theta t)``; for ``theta -> 0`` it is Erlang C's
      ``P_w e**(-(R - lam) t)``.  So an abandoned contact is never "answered in time";
    * ASA over answered contacts: a contact finding ``m`` queued is answered with probability
      ``R / (R + (m+1) theta)`` after ``sum_{j=1..m+1} 1 / (R + j theta)`` on average;
    * occupancy: agents holding at least one chat / ``N`` (``min(k, N)`` in the states with a
      free slot, ``N`` above); mean chats held: busy slots / ``N``.
    """
    log_l, mean_busy_low, mean_agents_low = _lower(ch)
    log_u, late_r, served_r, asa_r, unstable, big_r = _upper(ch)
    c = ch.g.size - 1
    slots = ch.agents * c
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        p_wait = special.expit(log_u - log_l)
        p_wait = np.where(np.isnan(p_wait), 1.0, p_wait)  # both infinite: overload
        p_ab = np.where(ch.theta > 0, p_wait * (1.0 - (big_r / ch.lam) * served_r), 0.0)
        p_ab = np.clip(p_ab, 0.0, 1.0)
        # x (1 - w) = lam (1 - e**(-theta t)) / theta  ->  lam t as theta -> 0
        safe_theta = np.where(ch.theta > 0, ch.theta, 1.0)
        x_1w = np.where(
            ch.theta > 0, ch.lam * -np.expm1(-ch.theta * ch.t) / safe_theta, ch.lam * ch.t
        )
        log_late = np.log(big_r / ch.lam) + x_1w - big_r * ch.t + np.log(late_r) + np.log(p_wait)
        late = np.exp(log_late)
        late = np.where(np.isnan(late), 0.0, late)
        sl = np.clip(1.0 - p_ab - late, 0.0, 1.0)
        answered = 1.0 - p_ab
        asa = np.where(answered > 0, asa_r * p_wait / answered, np.inf)
        held = (mean_busy_low * (1.0 - p_wait) + slots * p_wait) / ch.agents
        occ = (mean_agents_low * (1.0 - p_wait) + ch.agents * p_wait) / ch.agents
    occ = np.clip(occ, 0.0, 1.0)
    held = np.clip(held, 0.0, float(c))
    # Unstable (theta = 0, lam >= R): everyone waits, the wait grows without bound.
    p_wait = np.where(unstable, 1.0, p_wait)
    sl = np.where(unstable, 0.0, sl)
    asa = np.where(unstable, np.inf, asa)
    occ = np.where(unstable, 1.0, occ)
    held = np.where(unstable, float(c), held)
    return QueueMetrics(p_wait, sl, asa, occ, p_ab, held)


def _metrics(a, n, aht, t, theta, g, force_chain=False) -> QueueMetrics:
    """Metrics for broadcast 1-D arrays, dispatching Erlang C (closed form) or the chain.

    ``force_chain`` sends Erlang C cases through the chain too (tests compare the two).
    """
    size = a.size
    pw = np.zeros(size)
    sl = np.ones(size)
    asa = np.zeros(size)
    occ = np.zeros(size)
    pab = np.zeros(size)
    held = np.zeros(size)
    if g.size == 2 and not force_chain:  # one contact per agent, no abandonment: Erlang C
        ec = (theta == 0) & (a > 0)
    else:
        ec = np.zeros(size, dtype=bool)
    if ec.any():
        b = erlang_b(a[ec], n[ec])
        cw = _erlang_c_from_b(a[ec], n[ec], b)
        pw[ec] = cw
        sl[ec] = _sl_c(a[ec], n[ec], cw, aht[ec], t[ec])
        asa[ec] = _asa_c(a[ec], n[ec], cw, aht[ec])
        occ[ec] = _occ_c(a[ec], n[ec])
        held[ec] = occ[ec]
    rest = (a > 0) & ~ec
    nobody = rest & (n < 1)
    if nobody.any():  # nobody to answer: every contact waits (and abandons, if it can)
        pw[nobody] = 1.0
        sl[nobody] = 0.0
        asa[nobody] = np.inf
        occ[nobody] = 1.0
        held[nobody] = float(g.size - 1)
        pab[nobody] = np.where(theta[nobody] > 0, 1.0, 0.0)
    rest &= n >= 1
    if rest.any():
        ch = _Chain(a[rest] / aht[rest], n[rest].astype(np.int64), aht[rest], t[rest],
                    theta[rest], g)
        m = _chain_metrics(ch)
        pw[rest], sl[rest], asa[rest], occ[rest], pab[rest], held[rest] = m
    return QueueMetrics(pw, sl, asa, occ, pab, held)


def _prepare(traffic, agents, aht_s, answer_within_s, patience_s, integer_agents):
    arrays = [
        as_array(traffic, "traffic"),
        as_array(agents, "agents"),
        as_array(aht_s, "aht_s"),
        as_array(answer_within_s, "answer_within_s"),
        as_array(np.inf if patience_s is None else patience_s, "patience_s"),
    ]
    a, n, aht, t, pat = np.broadcast_arrays(*arrays)
    _check(a, "traffic", low=0.0)
    # traffic below the numerical floor is none (1e-300 Erlangs would overflow 1 / traffic)
    a = np.where(a < MIN_TRAFFIC_ERLANGS, 0.0, a)
    _check(n, "agents", low=0.0, integer=integer_agents)
    _check(aht, "aht_s", low=0.0, low_open=True)
    _check(t, "answer_within_s", low=0.0)
    if patience_s is not None:
        _check(pat, "patience_s", low=0.0, low_open=True)
    shape = a.shape
    theta = np.where(np.isinf(pat), 0.0, 1.0 / pat)
    return shape, a.ravel(), n.ravel(), aht.ravel(), t.ravel(), theta.ravel()


def _reshape(m: QueueMetrics, shape) -> QueueMetrics:
    return QueueMetrics(*(np.reshape(v, shape) for v in m))


def erlang_a(
    traffic: Any, agents: Any, aht_s: Any, patience_s: Any, answer_within_s: Any = 20.0
) -> QueueMetrics:
    """Erlang A (M/M/N+M): Erlang C plus abandonment after exponential patience.

    The birth-death chain on the number ``k`` of contacts in the system has arrival rate
    ``lam = traffic / aht_s`` and departure rate ``min(k, N) / aht_s + max(k - N, 0) / patience_s``.
    Its stationary distribution is summed exactly (states below ``N`` through the Erlang B
    recursion, queued states term by term until the rest is below 1e-18 of the sum), then
    waiting, abandonment, service level and ASA follow in closed form (see
    :func:`_chain_metrics`).  Service level is ``P(answered within t)``: an abandoned contact is
    never answered in time, even if it abandoned before ``t``.

    Parameters
    ----------
    traffic
        Offered load in Erlangs.
    agents
        Productive agents (integers >= 0).
    aht_s
        Average handling time, seconds.
    patience_s
        Mean patience before abandoning, seconds (``inf`` gives Erlang C).
    answer_within_s
        Service-level threshold, seconds.

    Returns
    -------
    QueueMetrics
        Arrays of the broadcast shape; ``abandon_probability`` included.
    """
    shape, a, n, aht, t, theta = _prepare(traffic, agents, aht_s, answer_within_s, patience_s, True)
    return _reshape(_metrics(a, n, aht, t, theta, np.arange(2.0)), shape)


def chat_metrics(
    traffic: Any,
    agents: Any,
    aht_s: Any,
    answer_within_s: Any = 20.0,
    *,
    concurrency: int = 1,
    aht_by_concurrency: Any = None,
    patience_s: Any = None,
) -> QueueMetrics:
    """Chat queue where each agent handles up to ``concurrency`` chats at once.

    Birth-death chain on the number ``k`` of chats in the system with arrival rate
    ``lam = traffic / aht_s``.  Assumptions: chats are spread as evenly as possible over the
    ``N`` agents (the router gives a new chat to the least-loaded agent), so with ``k = qN + r``
    chats in service ``r`` agents hold ``q + 1`` and ``N - r`` hold ``q``; an agent holding ``j``
    chats completes them at total rate ``j / aht_j`` with ``aht_j = aht_s *
    aht_by_concurrency[j-1] / aht_by_concurrency[0]`` (default: ``aht_s`` at every level, i.e.
    slots of an M/M/(N c)); once all ``S = N c`` slots are busy, further chats queue FIFO and the
    completion rate stays ``R = N c / aht_c``.  With ``patience_s`` queued chats also abandon.

    Waiting time: a chat finding ``m`` queued waits for ``m + 1`` completions at rate ``R``, so
    ``P(W > t) = P_w exp(-(R - lam) t)`` as in Erlang C (with abandonment, the Erlang A
    formulas with ``R`` in place of ``N / aht``).  ``occupancy`` is the share of time an agent
    holds at least one chat (what users mean by busy); ``mean_chats_held`` the mean chats an
    agent holds (``concurrency`` times the share of chat slots in use).

    Parameters
    ----------
    traffic
        Offered load in Erlangs, ``volume * aht_s / interval_s``.
    agents
        Productive agents (integers >= 0).
    aht_s
        Handling time of a chat when the agent holds only that chat, seconds.
    answer_within_s
        Service-level threshold, seconds.
    concurrency
        Maximum parallel chats per agent.
    aht_by_concurrency
        Handling time per chat at 1..concurrency parallel chats, e.g. ``[300, 360, 450]``; used
        as a profile scaled to ``aht_s`` (see above).
    patience_s
        Mean patience of queued chats, seconds (None: nobody abandons).

    Returns
    -------
    QueueMetrics
    """
    g = _profile(concurrency, aht_by_concurrency)
    shape, a, n, aht, t, theta = _prepare(traffic, agents, aht_s, answer_within_s, patience_s, True)
    return _reshape(_metrics(a, n, aht, t, theta, g), shape)


def queue_metrics(
    traffic: Any,
    agents: Any,
    aht_s: Any,
    answer_within_s: Any = 20.0,
    *,
    concurrency: int = 1,
    aht_by_concurrency: Any = None,
    patience_s: Any = None,
) -> QueueMetrics:
    """Metrics of whichever model the options select (the one :func:`required_agents` uses).

    Erlang C when ``concurrency == 1`` and ``patience_s`` is None (fractional agents allowed),
    Erlang A with ``patience_s``, the chat chain with ``concurrency > 1``.  Parameters as in
    :func:`chat_metrics`.
    """
    g = _profile(concurrency, aht_by_concurrency)
    simple = g.size == 2 and patience_s is None
    shape, a, n, aht, t, theta = _prepare(
        traffic, agents, aht_s, answer_within_s, patience_s, not simple
    )
    return _reshape(_metrics(a, n, aht, t, theta, g), shape)


# ----------------------------------------------------------------------------- staffing
def staffed_from_agents(agents: Any, shrinkage: Any) -> np.ndarray:
    """Scheduled heads ``ceil(agents / (1 - shrinkage))`` computed exactly.

    ``shrinkage`` is read as the decimal it was written as (0.3 -> 3/10, denominators up to
    10**6), and the division is done in integers, so 21 agents at 30 % shrinkage give exactly
    30 (a float division gives 30.000000000000004 and a naive ceiling 31).

    Parameters
    ----------
    agents
        Productive agents (non-negative integers).
    shrinkage
        Share of paid time not available for contacts, 0 <= shrinkage < 1.

    Returns
    -------
    numpy.ndarray of int64
    """
    n = as_array(agents, "agents")
    s = as_array(shrinkage, "shrinkage")
    _check(n, "agents", low=0.0, integer=True)
    _check(s, "shrinkage", low=0.0, high=1.0, high_open=True)
    n, s = np.broadcast_arrays(n, s)
    ni = n.astype(np.int64)
    out = np.empty(n.shape, dtype=np.int64)
    for value in np.unique(s):
        frac = Fraction(float(value)).limit_denominator(_SHRINKAGE_MAX_DENOMINATOR)
        num, den = frac.numerator, frac.denominator  # 1 - s = (den - num) / den
        mask = s == value
        out[mask] = -((-ni[mask] * den) // (den - num))
    return out


def _search_erlang_c(a, aht, t, sl_target, asa_target, max_occ):
    """Smallest integer N meeting every target under Erlang C, for 1-D arrays with ``a > 0``.

    Each interval starts at ``n0 = max(floor(A) + 1, smallest N with A / N <= max_occupancy)``:
    every smaller N is unstable or breaks the occupancy cap.  ``B(A, n0)`` comes from the
    recursion; then ``N -> N + 1`` (one more recursion step) only while an interval still fails
    the service level (or ASA) target.  Both improve with N, so the first N that meets them is
    the true minimum.  Returns ``(N, B(A, N))``.

    The intervals are sorted by ``n0`` (descending): the ones that need the most steps tend to
    come first, so each step works on a leading slice of arrays (no copying); an interval that
    is done but still inside the slice keeps stepping harmlessly (its first success is kept).
    """
    size = a.size
    with np.errstate(divide="ignore"):
        n = np.maximum(np.floor(a) + 1.0, np.floor(a / max_occ))
    for _ in range(3):  # floor(A / max_occ) may be one short after rounding; A / N falls with N
        n = np.where(a / n > max_occ, n + 1.0, n)
    order = _desc_order(n)
    a, aht, n, t = a[order], aht[order], n[order], t[order]
    st = sl_target[order]
    if asa_target is not None:
        asa_target = asa_target[order]
    b = _b_recursion(a, np.ones(size), np.zeros(size), n, presorted=True)
    decay = t / aht
    e = np.exp(-(n - a) * decay)  # updated by a constant factor per step
    f = np.exp(-decay)
    d = n - a
    res_n = np.empty(size)
    res_b = np.empty(size)
    found = np.zeros(size, dtype=bool)
    m = size  # intervals [m:] are all done
    while True:
        bb, nn, dd = b[:m], n[:m], d[:m]
        ab = a[:m] * bb
        cw = nn * bb / (dd + ab)
        ok = 1.0 - cw * e[:m] >= st[:m]  # the service level, as reported
        if asa_target is not None:
            ok &= cw * aht[:m] <= asa_target[:m] * dd
        new = ok & ~found[:m]
        if new.any():
            res_n[:m][new] = nn[new]
            res_b[:m][new] = bb[new]
            found[:m] |= new
            left = np.flatnonzero(~found[:m])
            if not left.size:
                break
            m = int(left[-1]) + 1
            bb, nn, dd, ab = bb[:m], nn[:m], dd[:m], ab[:m]
        nn += 1.0
        dd += 1.0
        np.divide(ab, nn + ab, out=bb)
        e[:m] *= f[:m]
    out_n = np.empty(size)
    out_b = np.empty(size)
    out_n[order] = res_n
    out_b[order] = res_b
    return out_n, out_b


def _search_fractional(a, aht, t, sl_target, asa_target, max_occ, n_int):
    """Smallest real N meeting every target; ``n_int`` is the integer answer.

    Through the gamma extension the service level and ASA are continuous and monotone in N, so
    their threshold is the root of ``h(N) = min(SL - target, (ASA target - ASA) / aht)``, found
    by the Illinois variant of regula falsi to ``_FRACTIONAL_TOL`` agents on a bracket whose
    lower end fails (``n_int - 1`` when it fails ``h``, else ``A``, where the queue is unstable)
    and whose upper end ``n_int`` passes.  The occupancy cap adds ``N >= A / max_occupancy``.
    The passing end of the bracket is returned.
    """

    def h(x, sel):
        aa, hh = a[sel], aht[sel]
        b = erlang_b(aa, x)
        cw = _erlang_c_from_b(aa, x, b)
        val = _sl_c(aa, x, cw, hh, t[sel]) - sl_target[sel]
        if asa_target is not None:
            with np.errstate(invalid="ignore"):
                slack = (asa_target[sel] - _asa_c(aa, x, cw, hh)) / hh
            val = np.minimum(val, np.maximum(np.nan_to_num(slack, neginf=-1.0), -1.0))
        return np.where(x > aa, val, -1.0)  # unstable: fails

    all_idx = np.arange(a.size)
    lo = np.maximum(a, n_int - 1.0)
    f_lo = h(lo, all_idx)
    below = f_lo >= 0  # the occupancy cap set n_int: the other targets hold lower down
    lo[below] = a[below]
    f_lo[below] = -1.0
    hi = n_int.astype(float)
    f_hi = h(hi, all_idx)
    side = np.zeros(a.size, dtype=np.int8)
    sel = np.flatnonzero(hi - lo > _FRACTIONAL_TOL)
    for _ in range(200):
        if not sel.size:
            break
        x0, x1, f0, f1 = lo[sel], hi[sel], f_lo[sel], f_hi[sel]
        x = (x0 * f1 - x1 * f0) / (f1 - f0)
        x = np.where(np.isfinite(x) & (x > x0) & (x < x1), x, 0.5 * (x0 + x1))
        fx = h(x, sel)
        up = fx >= 0  # x passes: new upper end
        hi[sel[up]], f_hi[sel[up]] = x[up], fx[up]
        lo[sel[~up]], f_lo[sel[~up]] = x[~up], fx[~up]
        # Illinois: halve the function value at an end that is kept twice in a row
        f_lo[sel[up & (side[sel] == 1)]] *= 0.5
        f_hi[sel[~up & (side[sel] == -1)]] *= 0.5
        side[sel] = np.where(up, 1, -1)
        sel = sel[hi[sel] - lo[sel] > _FRACTIONAL_TOL]
    x_occ = a / max_occ
    x_occ = np.where(a / x_occ > max_occ, np.nextafter(x_occ, np.inf), x_occ)
    return np.maximum(hi, x_occ)


def _search_chain(a, aht, t, theta, g, sl_target, asa_target, max_occ, max_abandon, guess,
                  max_held=None):
    """Smallest integer N meeting every target under the chain model (1-D arrays, ``a > 0``).

    Service level, ASA, abandonment and occupancy are monotone in N, so feasibility is a
    threshold in N: gallop from ``guess`` (up while failing, down while passing; steps 1, 2,
    4, ...) to a bracket ``(lo fails, hi passes)``, then bisect.  N = 0 never passes.
    Returns ``(N, QueueMetrics at N)``.
    """
    size = a.size
    store = [np.empty(size) for _ in QueueMetrics._fields]

    def ok(sel, n):
        m = _metrics(a[sel], n.astype(float), aht[sel], t[sel], theta[sel], g)
        good = (m.service_level >= sl_target[sel]) & (m.occupancy <= max_occ[sel])
        if max_held is not None:
            good &= m.mean_chats_held <= max_held[sel]
        good &= np.isfinite(m.asa_s)
        if asa_target is not None:
            good &= m.asa_s <= asa_target[sel]
        if max_abandon is not None:
            good &= m.abandon_probability <= max_abandon[sel]
        # the last passing evaluation of an interval is at its answer: keep its metrics
        for arr, val in zip(store, m, strict=True):
            arr[sel[good]] = val[good]
        return good

    n0 = np.maximum(guess.astype(np.int64), 1)
    good = ok(np.arange(size), n0)
    lo = np.where(good, 0, n0)
    hi = np.where(good, n0, -1)
    # gallop up while failing
    step = np.ones(size, dtype=np.int64)
    sel = np.flatnonzero(~good)
    while sel.size:
        cand = lo[sel] + step[sel]
        r = ok(sel, cand)
        hi[sel[r]] = cand[r]
        lo[sel[~r]] = cand[~r]
        step[sel[~r]] *= 2
        sel = sel[~r]
    # gallop down while passing (only the intervals that passed at the guess)
    step[:] = 1
    sel = np.flatnonzero(good & (n0 > 1))
    while sel.size:
        cand = hi[sel] - step[sel]
        low_end = cand <= 0
        lo[sel[low_end]] = 0
        sel, cand = sel[~low_end], cand[~low_end]
        if not sel.size:
            break
        r = ok(sel, cand)
        hi[sel[r]] = cand[r]
        lo[sel[~r]] = cand[~r]
        step[sel[r]] *= 2
        sel = sel[r]
    # bisect
    sel = np.flatnonzero(hi - lo > 1)
    while sel.size:
        mid = (lo[sel] + hi[sel]) // 2
        r = ok(sel, mid)
        hi[sel[r]] = mid[r]
        lo[sel[~r]] = mid[~r]
        sel = sel[hi[sel] - lo[sel] > 1]
    return hi.astype(float), QueueMetrics(*store)


def required_agents(
    volume: Any,
    aht_s: Any,
    interval_s: Any,
    *,
    sl_target: Any = 0.8,
    answer_within_s: Any = 20,
    asa_target_s: Any = None,
    max_occupancy: Any = 1.0,
    shrinkage: Any = 0.0,
    concurrency: int = 1,
    aht_by_concurrency: Any = None,
    patience_s: Any = None,
    max_abandon: Any = None,
    fractional: bool = False,
    max_chats_held: Any = None,
    method: str = "analytic",
    aht_increase_per_extra_chat: Any = None,
    handle_time_cv: Any = None,
    replications: int = 30,
    seed: int = 0,
) -> pd.DataFrame:
    """Smallest productive agents per interval that meet every target, and the heads to schedule.

    Model: Erlang C by default; Erlang A when ``patience_s`` is given; the chat chain when
    ``concurrency > 1`` (with abandonment too if ``patience_s`` is given).  The search is
    vectorised across intervals and finds the true minimum (Erlang C: starting at
    ``floor(A) + 1``; the others: gallop and bisect on the monotone targets).

    Parameters
    ----------
    volume
        Contacts arriving in the interval (>= 0).
    aht_s
        Average handling time, seconds (for chats: with a single chat open).
    interval_s
        Interval length, seconds.
    sl_target
        Required share answered within ``answer_within_s`` (0 <= x < 1: a 100 % service level
        is refused, some contact always waits).
    answer_within_s
        Service-level threshold, seconds (> 0 when ``sl_target`` is positive).
    asa_target_s
        Optional maximum average speed of answer, seconds.
    max_occupancy
        Maximum occupancy (0 < x <= 1): the share of time an agent holds at least one contact
        (for chats: at least one chat, however many slots are free); the cap can bind before
        the service level does.
    shrinkage
        Share of paid time unavailable (breaks, training...), 0 <= x < 1.
    concurrency
        Maximum parallel chats per agent (1: calls or one chat at a time).
    aht_by_concurrency
        Handling time per chat at 1..concurrency parallel chats, seconds, as a profile scaled
        to ``aht_s`` (see :func:`chat_metrics`).
    patience_s
        Mean patience before abandoning, seconds (switches to Erlang A / chat with abandonment).
    max_abandon
        Optional maximum abandonment probability; needs ``patience_s``.
    fractional
        Erlang C only: return the smallest real number of agents (gamma-function extension)
        and an unrounded ``staffed``.
    max_chats_held
        Optional maximum of the mean chats an agent holds at once (a cap separate from
        ``max_occupancy``; with one contact per agent the two are the same figure).
    method
        ``"analytic"`` (the models above, each interval in steady state) or ``"simulate"``:
        start from the analytic answer and add agents interval by interval until the
        simulated day (:func:`ecomanalysis.simulate.staff_to_target`, queues carried over
        between consecutive intervals) meets ``sl_target`` in every interval.  Needs one
        queue: 1-D ``volume`` in time order and scalar ``aht_s``, ``interval_s``,
        ``sl_target``, ``answer_within_s`` and ``patience_s``.  The simulation checks the
        service level only (the other targets hold at the analytic start and only improve as
        agents are added).
    aht_increase_per_extra_chat
        ``method="simulate"`` with ``concurrency > 1``: relative increase of each chat's handle
        time per extra open chat (the simulation's form of ``aht_by_concurrency``; give one or
        the other).
    handle_time_cv, replications, seed
        ``method="simulate"`` only: handle-time spread (None: exponential), simulated days and
        seed, as for :func:`ecomanalysis.simulate.simulate_day`.

    Returns
    -------
    pandas.DataFrame
        One row per (broadcast) interval, index taken from a Series input if any, columns
        ``traffic_erlangs, agents, staffed, service_level, asa_s, occupancy,
        waiting_probability`` (plus ``mean_chats_held`` when ``concurrency > 1`` and
        ``abandon_probability`` when ``patience_s`` is given).  Zero volume: 0 agents,
        service level 1, ASA 0, occupancy 0.  ``method="simulate"`` adds
        ``agents_analytic``, ``service_level_analytic`` and the simulated day's
        ``service_level_low``, ``service_level_high`` and ``abandoned_share``; there
        ``service_level``, ``asa_s``, ``occupancy`` and ``mean_chats_held`` are the simulated
        ones.
    """
    if method not in ("analytic", "simulate"):
        raise InputError(
            f"parameter 'method' has {method!r}; expected 'analytic' or 'simulate'"
        )
    if method == "simulate":
        return _required_agents_simulated(
            volume, aht_s, interval_s, sl_target=sl_target, answer_within_s=answer_within_s,
            asa_target_s=asa_target_s, max_occupancy=max_occupancy, shrinkage=shrinkage,
            concurrency=concurrency, aht_by_concurrency=aht_by_concurrency,
            patience_s=patience_s, max_abandon=max_abandon, fractional=fractional,
            max_chats_held=max_chats_held,
            aht_increase_per_extra_chat=aht_increase_per_extra_chat,
            handle_time_cv=handle_time_cv, replications=replications, seed=seed,
        )
    _refuse_simulation_options(aht_increase_per_extra_chat, handle_time_cv)
    index = _index_of(volume, aht_s, interval_s)
    g = _profile(concurrency, aht_by_concurrency)
    c = g.size - 1
    p = _analytic_params(volume, aht_s, interval_s, sl_target, answer_within_s, max_occupancy,
                         shrinkage, asa_target_s, patience_s, max_chats_held, max_abandon)
    erlang_c_model = c == 1 and patience_s is None
    if fractional and not erlang_c_model:
        raise InputError(
            "parameter 'fractional' is True but fractional agents are defined for Erlang C only "
            "(concurrency=1, no patience_s); use fractional=False"
        )
    a = p["volume"] * p["aht_s"] / p["interval_s"]
    _check_traffic(a)
    a = np.where(a < MIN_TRAFFIC_ERLANGS, 0.0, a)  # the numerical floor: none
    agents, (pw, sl, asa, occ, pab, held) = _solve_analytic(a, p, g, fractional)
    if fractional:
        staffed = agents / (1.0 - p["shrinkage"])
    else:
        staffed = staffed_from_agents(agents, p["shrinkage"])
    data = {
        "traffic_erlangs": a,
        "agents": agents if fractional else agents.astype(np.int64),
        "staffed": staffed,
        "service_level": sl,
        "asa_s": asa,
        "occupancy": occ,
        "waiting_probability": pw,
    }
    if c > 1:
        data["mean_chats_held"] = held
    if patience_s is not None:
        data["abandon_probability"] = pab
    if index is not None and len(index) != a.size:
        index = None
    return pd.DataFrame(data, index=index)


def _refuse_simulation_options(aht_increase_per_extra_chat: Any, handle_time_cv: Any) -> None:
    """The options of ``method='simulate'`` are refused with the analytic models."""
    for name, value in (("aht_increase_per_extra_chat", aht_increase_per_extra_chat),
                        ("handle_time_cv", handle_time_cv)):
        if value is not None:
            raise InputError(
                f"parameter '{name}' has {value!r} but method is 'analytic'; it applies to "
                "method='simulate' only (the analytic models assume exponential handle times "
                "and take aht_by_concurrency)"
            )


def _analytic_params(volume, aht_s, interval_s, sl_target, answer_within_s, max_occupancy,
                     shrinkage, asa_target_s, patience_s, max_chats_held,
                     max_abandon) -> dict[str, np.ndarray]:
    """The parameters of :func:`required_agents` broadcast to one flat float array each
    (optional ones only when given), checked."""
    names = ["volume", "aht_s", "interval_s", "sl_target", "answer_within_s", "max_occupancy",
             "shrinkage"]
    values = [volume, aht_s, interval_s, sl_target, answer_within_s, max_occupancy, shrinkage]
    if asa_target_s is not None:
        names.append("asa_target_s")
        values.append(asa_target_s)
    if patience_s is not None:
        names.append("patience_s")
        values.append(patience_s)
    if max_chats_held is not None:
        names.append("max_chats_held")
        values.append(max_chats_held)
    if max_abandon is not None:
        if patience_s is None:
            raise InputError(
                f"parameter 'max_abandon' has {max_abandon!r} but 'patience_s' is not given; "
                "abandonment needs a mean patience in seconds (e.g. patience_s=300)"
            )
        names.append("max_abandon")
        values.append(max_abandon)
    arrays = np.broadcast_arrays(*(as_array(v, k) for k, v in zip(names, values, strict=True)))
    p = {k: np.ravel(v).astype(float) for k, v in zip(names, arrays, strict=True)}
    _check(p["volume"], "volume", low=0.0)
    _check(p["aht_s"], "aht_s", low=0.0, low_open=True)
    _check(p["interval_s"], "interval_s", low=0.0, low_open=True)
    _check(p["sl_target"], "sl_target", low=0.0, high=1.0)
    _check(p["answer_within_s"], "answer_within_s", low=0.0)
    _refuse_unreachable(p["sl_target"], p["answer_within_s"])
    _check(p["max_occupancy"], "max_occupancy", low=0.0, high=1.0, low_open=True)
    _check(p["shrinkage"], "shrinkage", low=0.0, high=1.0, high_open=True)
    if asa_target_s is not None:
        _check(p["asa_target_s"], "asa_target_s", low=0.0, low_open=True)
    if patience_s is not None:
        _check(p["patience_s"], "patience_s", low=0.0, low_open=True)
    if max_abandon is not None:
        _check(p["max_abandon"], "max_abandon", low=0.0, high=1.0)
    if max_chats_held is not None:
        _check(p["max_chats_held"], "max_chats_held", low=0.0, low_open=True)
    return p


def _solve_analytic(a: np.ndarray, p: dict[str, np.ndarray], g: np.ndarray,
                    fractional: bool) -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
    """Agents and metrics ``(pw, sl, asa, occ, pab, held)`` of every interval: zero volume
    gives 0 agents, nobody waits, service level 1, ASA 0, occupancy 0; the others are searched
    with the model the parameters select."""
    c = g.size - 1
    erlang_c_model = c == 1 and "patience_s" not in p
    aht, within, target, occ_cap = p["aht_s"], p["answer_within_s"], p["sl_target"], \
        p["max_occupancy"]
    held_cap = p.get("max_chats_held")
    if erlang_c_model and held_cap is not None:  # one contact per agent: the same figure
        occ_cap = np.minimum(occ_cap, held_cap)
    size = a.size
    agents = np.zeros(size)
    metrics = (np.zeros(size), np.ones(size), np.zeros(size), np.zeros(size), np.zeros(size),
               np.zeros(size))
    sel = np.flatnonzero(a > 0)
    if not sel.size:
        return agents, metrics
    asa_t = p.get("asa_target_s")
    asa_sel = None if asa_t is None else asa_t[sel]
    if erlang_c_model:
        n_s, m = _solve_erlang_c(a[sel], aht[sel], within[sel], target[sel], asa_sel,
                                 occ_cap[sel], fractional)
    else:
        theta = 1.0 / p["patience_s"] if "patience_s" in p else np.zeros(size)
        max_ab = p.get("max_abandon")
        n_s, m = _solve_chain(a[sel], aht[sel], within[sel], theta[sel], g, target[sel],
                              asa_sel, occ_cap[sel], None if max_ab is None else max_ab[sel],
                              None if held_cap is None else held_cap[sel])
    agents[sel] = n_s
    for out, values in zip(metrics, m, strict=True):
        out[sel] = values
    return agents, metrics


def _solve_erlang_c(a_s, aht_s_s, t_s, target, asa_sel, occ_cap,
                    fractional: bool) -> tuple[np.ndarray, QueueMetrics]:
    """Erlang C: the smallest agents (whole or, ``fractional``, real) and their metrics."""
    n_s, b_s = _search_erlang_c(a_s, aht_s_s, t_s, target, asa_sel, occ_cap)
    if fractional:
        n_s = _search_fractional(a_s, aht_s_s, t_s, target, asa_sel, occ_cap, n_s)
        b_s = erlang_b(a_s, n_s)
    cw = _erlang_c_from_b(a_s, n_s, b_s)
    occ_s = _occ_c(a_s, n_s)
    return n_s, QueueMetrics(
        cw, _sl_c(a_s, n_s, cw, aht_s_s, t_s), _asa_c(a_s, n_s, cw, aht_s_s),
        occ_s, np.zeros(a_s.size), occ_s,
    )


def _solve_chain(a_s, aht_s_s, t_s, theta, g, target, asa_sel, occ_cap, max_ab,
                 held_cap) -> tuple[np.ndarray, QueueMetrics]:
    """Erlang A or the chat chain: an Erlang C starting point, then the bracketing search."""
    c = g.size - 1
    if c > 1:
        # Starting point: Erlang C on the chat slots at the full-concurrency AHT, per
        # agent, less one (agents with fewer chats open work faster, so this count is
        # usually one too many).  The bracketing search finds the exact minimum anyway.
        aht_c = aht_s_s * c / g[c]
        slots, _ = _search_erlang_c(
            a_s * c / g[c], aht_c, t_s, target, asa_sel, np.ones(a_s.size)
        )
        guess = np.ceil(slots / c) - 1.0
    else:
        guess, _ = _search_erlang_c(a_s, aht_s_s, t_s, target, asa_sel, occ_cap)
        # Abandonment lets Erlang A meet the targets with fewer agents than Erlang C; the
        # gap grows like sqrt(A theta / mu) (about half of it at 80/20 in trials).  Only
        # a starting point: the bracketing search below finds the exact minimum anyway.
        guess = guess - np.rint(_ERLANG_A_GAP * np.sqrt(a_s * theta * aht_s_s))
    return _search_chain(a_s, aht_s_s, t_s, theta, g, target, asa_sel, occ_cap, max_ab, guess,
                         held_cap)


def _refuse_unreachable(sl_target: np.ndarray, answer_within_s: np.ndarray) -> None:
    """A 100 % service level, or a positive one with a zero answer time, cannot be staffed
    (some contact always waits): refuse them instead of returning a huge agent count."""
    if np.any(sl_target >= 1.0):
        i = int(np.flatnonzero(sl_target >= 1.0)[0])
        raise InputError(
            f"parameter 'sl_target' has {float(sl_target[i]):g}; expected a share below 1 (a 100 % "
            "service level cannot be staffed: with random arrivals some contact always waits; "
            "use e.g. 0.8 or 0.95)"
        )
    bad = (answer_within_s <= 0) & (sl_target > 0)
    if np.any(bad):
        i = int(np.flatnonzero(bad)[0])
        raise InputError(
            f"parameter 'answer_within_s' has {float(answer_within_s[i]):g} with a positive "
            f"sl_target {float(sl_target[i]):g}; expected a threshold > 0 seconds (answering every contact "
            "with no wait at all is a 100 % target in disguise)"
        )


def _required_agents_simulated(volume, aht_s, interval_s, *, sl_target, answer_within_s,
                               asa_target_s, max_occupancy, shrinkage, concurrency,
                               aht_by_concurrency, patience_s, max_abandon, fractional,
                               max_chats_held, aht_increase_per_extra_chat, handle_time_cv,
                               replications, seed) -> pd.DataFrame:
    """``required_agents(..., method="simulate")``: the analytic answer, then agents added
    where the simulated day misses the service level (see :func:`required_agents`)."""
    from ecomanalysis import simulate  # the model layer's simulation (loads numba: lazily)

    if fractional:
        raise InputError("parameter 'fractional' is True but method='simulate' staffs whole "
                         "agents; use fractional=False")
    vol = as_array(volume, "volume")
    if vol.ndim != 1:
        raise InputError(
            f"parameter 'volume' has shape {vol.shape}; method='simulate' needs one queue's "
            "volumes as a 1-D array in time order (consecutive intervals of one day)"
        )
    scalars = {"aht_s": aht_s, "interval_s": interval_s, "sl_target": sl_target,
               "answer_within_s": answer_within_s, "shrinkage": shrinkage}
    if patience_s is not None:
        scalars["patience_s"] = patience_s
    for name, value in scalars.items():
        if np.ndim(as_array(value, name)) != 0:
            raise InputError(
                f"parameter '{name}' has {np.size(value)} values; method='simulate' needs one "
                "number for the whole day"
            )
    rate, aht_by_concurrency = _simulation_rate(aht_s, concurrency, aht_by_concurrency,
                                                aht_increase_per_extra_chat)
    analytic = required_agents(
        volume, aht_s, interval_s, sl_target=sl_target, answer_within_s=answer_within_s,
        asa_target_s=asa_target_s, max_occupancy=max_occupancy, shrinkage=shrinkage,
        concurrency=concurrency, aht_by_concurrency=aht_by_concurrency,
        patience_s=patience_s, max_abandon=max_abandon, max_chats_held=max_chats_held,
    )
    day = simulate.staff_to_target(
        vol, analytic["agents"].to_numpy(), interval_s=float(interval_s), aht_s=float(aht_s),
        answer_within_s=float(answer_within_s), sl_target=float(sl_target),
        concurrency=concurrency, aht_increase_per_extra_chat=rate,
        handle_time_cv=handle_time_cv, patience_s=patience_s, replications=replications,
        seed=seed,
    )
    return _simulated_frame(analytic, day, shrinkage)


def _simulation_rate(aht_s, concurrency: int, aht_by_concurrency,
                     aht_increase_per_extra_chat) -> tuple[float, Any]:
    """The simulation's handle-time increase per extra open chat and the matching
    ``aht_by_concurrency`` for the analytic start (one of the two may be given; a profile
    must rise by the same step per extra chat)."""
    rate = 0.0
    _profile(concurrency, aht_by_concurrency)  # validates both
    if aht_increase_per_extra_chat is not None:
        if aht_by_concurrency is not None:
            raise InputError(
                "parameters 'aht_by_concurrency' and 'aht_increase_per_extra_chat' are both "
                "given; expected one (method='simulate' uses the per-extra-chat increase)"
            )
        arr = as_array(aht_increase_per_extra_chat, "aht_increase_per_extra_chat")
        _check(arr, "aht_increase_per_extra_chat", low=0.0)
        rate = float(arr)
        aht_by_concurrency = linear_aht_profile(float(aht_s), concurrency, rate)
    elif aht_by_concurrency is not None:
        prof = as_array(aht_by_concurrency, "aht_by_concurrency").ravel()
        ratio = prof / prof[0] - 1.0
        j = np.arange(prof.size)
        if not np.allclose(ratio[1:], j[1:] * (ratio[1] if prof.size > 1 else 0.0)):
            raise InputError(
                f"parameter 'aht_by_concurrency' has {list(prof)}; method='simulate' needs a "
                "profile rising by the same step per extra chat (give "
                "aht_increase_per_extra_chat instead)"
            )
        rate = float(ratio[1]) if prof.size > 1 else 0.0
    return rate, aht_by_concurrency


def _simulated_frame(analytic: pd.DataFrame, day: pd.DataFrame, shrinkage) -> pd.DataFrame:
    """The analytic table with the simulated staffing and service figures in place (the
    analytic agents and service level kept as ``*_analytic``)."""
    out = analytic.copy()
    agents = day["agents"].to_numpy().astype(np.int64)
    out.insert(1, "agents_analytic", out["agents"].to_numpy())
    out.insert(len(out.columns), "service_level_analytic", out["service_level"].to_numpy())
    out["agents"] = agents
    out["staffed"] = staffed_from_agents(agents, float(shrinkage))
    for col in ("service_level", "asa_s", "occupancy"):
        out[col] = day[col].to_numpy()
    if "mean_chats_held" in out:
        out["mean_chats_held"] = day["mean_chats_held"].to_numpy()
    for col in ("service_level_low", "service_level_high", "abandoned_share"):
        out[col] = day[col].to_numpy()
    # the simulation measures these differently (abandoned_share); drop the analytic ones
    out = out.drop(columns=[c for c in ("waiting_probability", "abandon_probability")
                            if c in out])
    out.attrs["rounds"] = day.attrs["rounds"]
    return out


def overload_service_level(traffic: Any, agents: Any, aht_s: Any, answer_within_s: Any,
                           interval_s: Any, *, concurrency: int = 1,
                           aht_by_concurrency: Any = None) -> np.ndarray:
    """Share of an overloaded interval's contacts answered within ``answer_within_s``, for an
    interval that starts with no queue (a fluid approximation).

    When arrivals exceed what the agents can handle, the steady-state formulas give 0 (the
    queue grows for ever), but in a finite interval the first contacts are still answered in
    time: with arrival rate ``lam = traffic / aht_s`` and capacity ``mu = agents x
    concurrency / aht at full concurrency`` the queue grows at ``lam - mu``, a contact arriving
    at ``t`` waits ``(lam - mu) t / mu``, so those arriving before ``answer_within_s x mu /
    (lam - mu)`` are in time.  Returns NaN where the interval is not overloaded (use the
    steady-state service level there) and 0 where there is no agent.
    """
    traffic, agents, aht, t, interval = np.broadcast_arrays(
        *(np.asarray(x, dtype=float) for x in (traffic, agents, aht_s, answer_within_s, interval_s)))
    full_aht = aht * (np.asarray(aht_by_concurrency, dtype=float)[-1] / aht_by_concurrency[0]
                      if aht_by_concurrency is not None else 1.0)
    lam = traffic / aht
    mu = agents * concurrency / full_aht
    excess = lam - mu
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.clip(t * mu / excess / interval, 0.0, 1.0)
    return np.where(agents <= 0, 0.0, np.where(excess > 0, share, np.nan))


def service_level_grid(traffic: Any, agents: Any, aht_s: Any, answer_within_s: Any = 20.0,
                       **chat: Any) -> np.ndarray:
    """Service level for every pair of ``agents`` (rows) and interval ``traffic`` (columns),
    with the chat model's keyword arguments ``chat`` (``concurrency``, ``aht_by_concurrency``)."""
    a = np.asarray(traffic, dtype=float).ravel()
    n = np.asarray(agents).ravel()
    return queue_metrics(a[None, :], n[:, None], aht_s, answer_within_s, **chat).service_level


def shortcut_agents(volume: Any, naive_aht_s: dict[str, float], interval_s: Any,
                    **target: Any) -> dict[str, np.ndarray]:
    """Agents per interval when chats are sized as calls with an effective handle time: for each
    name in ``naive_aht_s``, Erlang C (:func:`required_agents`) at that handle time."""
    return {name: required_agents(volume, aht, interval_s, **target)["agents"].to_numpy()
            for name, aht in naive_aht_s.items()}


def shortcut_comparison(traffic: float, volume: float, aht_s: float,
                        naive_aht_s: dict[str, float], interval_s: float, *, target: dict,
                        chat: dict) -> pd.DataFrame:
    """One interval sized by each shortcut handle time of ``naive_aht_s`` (chats as calls,
    Erlang C): the agents each asks for and the service level the chat model (``chat``) gives
    those agents at ``traffic`` Erlangs. Columns ``model, agents, service_level``."""
    rows = []
    for name, n in shortcut_agents(volume, naive_aht_s, interval_s, **target).items():
        sl = queue_metrics(traffic, int(n[0]), aht_s, target["answer_within_s"], **chat)
        rows.append({"model": name, "agents": int(n[0]), "service_level": float(sl.service_level)})
    return pd.DataFrame(rows, columns=["model", "agents", "service_level"])
