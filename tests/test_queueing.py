"""Tests of ecomanalysis.queueing: published values, exactness, conventions, properties."""

from __future__ import annotations

from decimal import Decimal, getcontext
from functools import lru_cache

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, special
from scipy.linalg import expm

from ecomanalysis import queueing as q
from ecomanalysis.errors import InputError

PROPS = settings(max_examples=20, deadline=None)
PROFILE = [300, 360, 450]  # seconds per chat at 1, 2, 3 parallel chats


# ----------------------------------------------------------------------------- published values
# 100 contacts per 30 min, AHT 180 s -> 10 Erlangs; answer within 20 s.
def test_worked_example_service_levels():
    sl = q.service_level(10.0, [11, 12, 13, 14], 180, 20)
    np.testing.assert_allclose(sl, [0.3896, 0.6402, 0.7956, 0.8884], atol=5e-5)
    assert q.erlang_c(10.0, 11) == pytest.approx(0.6821, abs=5e-5)
    assert q.asa_s(10.0, 14, 180) == pytest.approx(7.84, abs=5e-3)
    assert q.occupancy(10.0, 14) == pytest.approx(0.7143, abs=5e-5)


def test_worked_example_required_agents():
    df = q.required_agents(100, 180, 1800, sl_target=0.8, answer_within_s=20,
                           max_occupancy=0.85, shrinkage=0.3)
    assert list(df.columns) == ["traffic_erlangs", "agents", "staffed", "service_level",
                                "asa_s", "occupancy", "waiting_probability"]
    row = df.iloc[0]
    assert (row.traffic_erlangs, row.agents, row.staffed) == (10.0, 14, 20)
    assert row.service_level == pytest.approx(0.8884, abs=5e-5)
    assert row.asa_s == pytest.approx(7.84, abs=5e-3)


def test_worked_example_occupancy_cap_binds():
    df = q.required_agents(100, 180, 1800, sl_target=0.8, answer_within_s=19.8,
                           max_occupancy=0.7, shrinkage=0.3)
    assert (df.agents[0], df.staffed[0]) == (15, 22)
    assert df.occupancy[0] == pytest.approx(10 / 15)
    # without the cap the service level alone needs 14
    assert q.required_agents(100, 180, 1800, answer_within_s=19.8).agents[0] == 14


def test_staffed_is_exact():
    assert 21 / (1 - 0.3) > 30  # the float trap
    assert q.staffed_from_agents(21, 0.3) == 30
    np.testing.assert_array_equal(
        q.staffed_from_agents([0, 1, 7, 14, 21, 22], [0.3, 0.3, 0.3, 0.3, 0.3, 0.0]),
        [0, 2, 10, 20, 30, 22],
    )
    assert q.staffed_from_agents(9, 0.1) == 10
    assert q.staffed_from_agents(10, 1 / 3) == 15


# ----------------------------------------------------------------------------- exactness
@lru_cache(maxsize=8)
def _b_reference(traffic: float, n_max: int) -> list[Decimal]:
    """Erlang B by the recursion in 60-digit decimals."""
    getcontext().prec = 60
    a = Decimal(repr(traffic))
    b = Decimal(1)
    out = [b]
    for k in range(1, n_max + 1):
        b = a * b / (k + a * b)
        out.append(b)
    return out


@pytest.mark.parametrize("traffic", [0.3, 10.0, 266.7, 20000.0])
def test_erlang_b_exact(traffic):
    n_max = int(traffic * 1.05) + 20
    ref = _b_reference(traffic, n_max)
    n = np.arange(max(0, int(traffic * 0.9)), n_max + 1)
    got = q.erlang_b(traffic, n)
    want = np.array([float(ref[k]) for k in n])
    np.testing.assert_allclose(got, want, rtol=1e-13, atol=0)


def test_erlang_c_exact_at_20000_erlangs():
    a = 20000.0
    ref = _b_reference(a, 21020)  # the same list as test_erlang_b_exact[20000.0]
    n = [20001, 20100, 20200, 20400]
    want = [float(k * ref[k] / (k - Decimal(a) * (1 - ref[k]))) for k in n]
    np.testing.assert_allclose(q.erlang_c(a, n), want, rtol=1e-12)
    sl = q.service_level(a, 20100, 180, 20)
    assert 0 < sl < 1


def _b_jagerman(traffic: float, servers: float) -> float:
    """1 / B(A, x) = A * int_0^inf exp(-A y) (1 + y)**x dy (Jagerman 1974), by quadrature."""
    val, _ = integrate.quad(lambda y: np.exp(-traffic * y + servers * np.log1p(y)), 0, np.inf,
                            epsabs=0, epsrel=1e-13, limit=200)
    return 1.0 / (traffic * val)


@pytest.mark.parametrize(
    ("traffic", "servers"),
    [(0.5, 0.25), (2.0, 1.5), (10.0, 12.5), (10.0, 9.3), (45.0, 50.7), (266.7, 280.3),
     (900.0, 930.6)],
)
def test_erlang_b_fractional_matches_integral(traffic, servers):
    assert float(q.erlang_b(traffic, servers)) == pytest.approx(
        _b_jagerman(traffic, servers), rel=1e-10
    )


def test_erlang_b_fractional_is_continuous_and_monotone():
    x = np.linspace(5, 15, 2001)
    b = q.erlang_b(10.0, x)
    assert np.all(np.diff(b) < 0)
    # continuous at the integers from both sides (both branches of the continued fraction)
    for a in (10.0, 300.0):
        for n in (12.0, 320.0):
            near = q.erlang_b(a, [n - 1e-9, n, n + 1e-9])
            np.testing.assert_allclose(near, near[1], rtol=1e-7)


def test_fractional_required_agents():
    rng = np.random.default_rng(7)
    vol = rng.integers(1, 400, 200)
    aht = rng.uniform(180, 600, 200)
    whole = q.required_agents(vol, aht, 900, max_occupancy=0.85)
    frac = q.required_agents(vol, aht, 900, max_occupancy=0.85, fractional=True, shrinkage=0.3)
    assert frac.agents.dtype == float
    assert np.all(frac.agents <= whole.agents) and np.all(frac.agents > whole.agents - 1)
    assert np.all(frac.service_level >= 0.8) and np.all(frac.occupancy <= 0.85)
    np.testing.assert_allclose(frac.staffed, frac.agents / 0.7)
    # just below the answer some target fails
    a = frac.traffic_erlangs.to_numpy()
    x = frac.agents.to_numpy() - 1e-6
    fails = (q.service_level(a, x, aht, 20) < 0.8) | (a / x > 0.85)
    assert fails.all()
    one = q.required_agents(100, 180, 1800, fractional=True)
    assert 13 < one.agents[0] < 14  # 13 agents give 79.56 %, 14 give 88.84 %
    assert one.service_level[0] == pytest.approx(0.8, abs=1e-8)


# ----------------------------------------------------------------------------- conventions
def test_zero_volume_convention():
    df = q.required_agents([0, 100, 0], 180, 1800, patience_s=300, shrinkage=0.3)
    zero = df.iloc[[0, 2]]
    assert (zero.agents == 0).all() and (zero.staffed == 0).all()
    assert (zero.service_level == 1.0).all() and (zero.asa_s == 0).all()
    assert (zero.occupancy == 0).all() and (zero.waiting_probability == 0).all()
    assert (zero.abandon_probability == 0).all()
    assert df.agents[1] > 0
    m = q.queue_metrics(0.0, 5, 180, 20)
    assert (m.service_level, m.asa_s, m.occupancy, m.waiting_probability) == (1, 0, 0, 0)


def test_overload_convention():
    a = np.array([10.0, 10.0, 10.0, 10.5, 1e4])
    n = np.array([10, 9, 0, 10, 9999])
    with np.errstate(all="raise"):  # no warnings either
        c = q.erlang_c(a, n)
        sl = q.service_level(a, n, 180, 20)
        asa = q.asa_s(a, n, 180)
        occ = q.occupancy(a, n)
    np.testing.assert_array_equal(c, 1.0)
    np.testing.assert_array_equal(sl, 0.0)
    assert np.all(np.isinf(asa))
    np.testing.assert_array_equal(occ, 1.0)
    chat = q.chat_metrics(10.0, 2, 180, 20, concurrency=3)  # 6 slots < 10 Erlangs
    assert (chat.waiting_probability, chat.service_level) == (1.0, 0.0)
    assert np.isinf(chat.asa_s)


def test_probabilities_bounded_and_finite_everywhere():
    a = np.array([0.0, 1e-9, 0.5, 10.0, 10.0, 500.0, 2000.0])
    n = np.array([0, 1, 1, 11, 40, 400, 2100])
    for m in (q.queue_metrics(a, n, 180, 20), q.erlang_a(a, n, 180, 120, 20),
              q.chat_metrics(a, n, 180, 20, concurrency=2, aht_by_concurrency=[180, 240])):
        for name in ("waiting_probability", "service_level", "occupancy", "abandon_probability"):
            v = getattr(m, name)
            assert np.all((v >= 0) & (v <= 1)), name
        assert not np.any(np.isnan(m.asa_s))


def test_erlang_a_stable_when_overloaded():
    m = q.erlang_a(10.0, [5, 8, 10], 180, 300, 20)
    assert np.all(np.isfinite(m.asa_s))
    assert np.all(np.diff(m.abandon_probability) < 0)
    assert m.abandon_probability[0] > 0.4  # half the capacity: about half abandon
    # flow balance: carried load = A (1 - P_ab) = occupancy * N
    np.testing.assert_allclose(m.occupancy * [5, 8, 10], 10 * (1 - m.abandon_probability))


def test_series_index_and_broadcast():
    idx = pd.date_range("2024-11-11", periods=3, freq="15min")
    df = q.required_agents(pd.Series([0, 50, 120], index=idx), 240, 900)
    assert df.index.equals(idx)
    assert df.agents.tolist() == [0, 17, 37]  # SL at 16 / 36 agents: 0.690 / 0.721
    assert q.service_level(10.0, np.array([[11], [12]]), 180, [20, 30]).shape == (2, 2)


def test_input_errors_name_the_parameter():
    cases = [
        (dict(volume=-1), "volume"),
        (dict(aht_s=0), "aht_s"),
        (dict(interval_s=np.nan), "interval_s"),
        (dict(shrinkage=1.0), "shrinkage"),
        (dict(sl_target=1.2), "sl_target"),
        (dict(max_occupancy=0), "max_occupancy"),
        (dict(concurrency=0), "concurrency"),
        (dict(concurrency=3, aht_by_concurrency=[300, 360]), "aht_by_concurrency"),
        (dict(max_abandon=0.05), "max_abandon"),
        (dict(patience_s=300, fractional=True), "fractional"),
        (dict(volume="many"), "volume"),
        (dict(max_chats_held=0, concurrency=2), "max_chats_held"),
        (dict(sl_target=1.0), "sl_target"),
        (dict(sl_target=0.8, answer_within_s=0), "answer_within_s"),
        (dict(sl_target=[0.8, 1.0]), "sl_target"),
    ]
    for kwargs, name in cases:
        args = dict(volume=100, aht_s=180, interval_s=1800) | kwargs
        with pytest.raises(InputError) as err:
            q.required_agents(args.pop("volume"), args.pop("aht_s"), args.pop("interval_s"),
                              **args)
        assert f"'{name}'" in str(err.value), str(err.value)
    with pytest.raises(InputError, match=r"'aht_s' element 1 has -3\.0"):
        q.required_agents([10, 10], [180, -3], 900)


# ----------------------------------------------------------------------------- brute force
def _brute_chain(traffic, agents, aht, t, patience, g):
    """Stationary distribution by products; the tagged contact's chance of being answered
    within ``t`` by a matrix exponential per state (no abandonment: a gamma distribution)."""
    lam = traffic / aht
    c = len(g) - 1
    slots = agents * c
    theta = 0.0 if patience is None else 1.0 / patience
    big_r = agents * g[c] / aht
    k_max = 160 if theta else 4000

    def death(k):
        if k <= slots:
            qq, r = divmod(k, agents)
            return (r * g[min(qq + 1, c)] + (agents - r) * g[qq]) / aht
        return big_r + (k - slots) * theta

    logp = np.cumsum([0.0] + [np.log(lam / death(k)) for k in range(1, k_max)])
    p = np.exp(logp - logp.max())
    p /= p.sum()
    assert p[-1] < 1e-25  # truncation is harmless
    m = np.arange(k_max - slots)  # contacts ahead of an arrival in state slots + m
    answered = big_r / (big_r + (m + 1) * theta)
    harmonic = np.cumsum(1.0 / (big_r + (m + 1) * theta))
    if theta == 0:
        in_time = special.gammainc(m + 1, big_r * t)  # Erlang(m + 1, R) wait <= t
    else:
        in_time = np.zeros(m.size)
        for ahead in m[p[slots:] > 1e-30]:
            # states: ahead..0 contacts in front, then answered (ahead+1), abandoned (ahead+2)
            gen = np.zeros((ahead + 3, ahead + 3))
            for row, front in enumerate(range(ahead, -1, -1)):
                gen[row, row + 1] = big_r + front * theta
                gen[row, ahead + 2] = theta
                gen[row, row] = -gen[row].sum()
            in_time[ahead] = expm(gen * t)[0, ahead + 1]
    pq = p[slots:]
    p_ab = np.sum(pq * (1 - answered))
    return dict(waiting_probability=pq.sum(), service_level=p[:slots].sum() + np.sum(pq * in_time),
                abandon_probability=p_ab, asa_s=np.sum(pq * answered * harmonic) / (1 - p_ab),
                # agents holding >= 1 chat (min(k, N) under the even spread), chats held
                occupancy=np.sum(p * np.minimum(np.arange(k_max), agents)) / agents,
                mean_chats_held=np.sum(p * np.minimum(np.arange(k_max), slots)) / agents)


@pytest.mark.parametrize(
    ("traffic", "agents", "aht", "t", "patience", "concurrency", "profile"),
    [
        (10.0, 12, 180, 20, 300, 1, None),
        (10.0, 9, 180, 20, 120, 1, None),  # overloaded: only abandonment keeps it stable
        (10.0, 14, 180, 60, 50, 1, None),
        (16.7, 9, 300, 20, None, 3, PROFILE),
        (16.7, 8, 300, 20, 200, 3, PROFILE),
        (16.7, 6, 300, 30, 100, 3, PROFILE),
        (5.0, 3, 240, 15, None, 2, None),
    ],
)
def test_chain_matches_brute_force(traffic, agents, aht, t, patience, concurrency, profile):
    want = _brute_chain(traffic, agents, aht, t, patience,
                        q._profile(concurrency, profile))
    got = q.chat_metrics(traffic, agents, aht, t, concurrency=concurrency,
                         aht_by_concurrency=profile, patience_s=patience)
    for name, value in want.items():
        assert float(getattr(got, name)) == pytest.approx(value, rel=1e-9, abs=1e-12), name


# ----------------------------------------------------------------------------- model limits
def test_erlang_a_tends_to_erlang_c():
    c = q.queue_metrics(10.0, 14, 180, 20)
    gaps = []
    for patience in (1e2, 1e3, 1e4, 1e5, 1e6):
        a = q.erlang_a(10.0, 14, 180, patience, 20)
        gaps.append([abs(a.service_level - c.service_level),
                     abs(a.waiting_probability - c.waiting_probability),
                     abs(a.asa_s - c.asa_s), a.abandon_probability])
    gaps = np.array(gaps, dtype=float)
    assert np.all(np.diff(gaps, axis=0) < 0)  # every gap shrinks as patience grows
    assert gaps[-1, 0] < 2e-5 and gaps[-1, 1] < 2e-5 and gaps[-1, 3] < 1e-5
    # and required agents agree with Erlang C once patience is long
    vol = np.array([20, 100, 300])
    np.testing.assert_array_equal(
        q.required_agents(vol, 180, 1800, patience_s=1e7).agents,
        q.required_agents(vol, 180, 1800).agents,
    )


def test_chain_with_concurrency_one_equals_erlang_c():
    a = np.array([0.5, 10.0, 10.0, 80.0, 266.7])
    n = np.array([1.0, 11.0, 14.0, 90.0, 290.0])
    aht, t = np.full(5, 180.0), np.full(5, 20.0)
    erlang = q._metrics(a, n, aht, t, np.zeros(5), np.arange(2.0))
    chain = q._metrics(a, n, aht, t, np.zeros(5), np.arange(2.0), force_chain=True)
    for name in ("waiting_probability", "service_level", "asa_s", "occupancy"):
        np.testing.assert_allclose(getattr(chain, name), getattr(erlang, name), rtol=1e-12)
    # the chat loop itself, at concurrency 1, sums Erlang B's states
    log_l, busy, busy_agents = q._lower_chat(a, n.astype(np.int64), np.arange(2.0))
    b = q.erlang_b(a, n - 1)
    np.testing.assert_allclose(log_l, -np.log(b), rtol=1e-12)
    np.testing.assert_allclose(busy, a * (1 - b), rtol=1e-12)
    np.testing.assert_allclose(busy_agents, a * (1 - b), rtol=1e-12)  # one chat per agent
    # public API: concurrency 1 (with a one-value profile) is Erlang C
    vol = np.array([5, 100, 350])
    np.testing.assert_array_equal(
        q.required_agents(vol, 300, 900, concurrency=1, aht_by_concurrency=[300]).agents,
        q.required_agents(vol, 300, 900).agents,
    )


def test_chat_with_constant_aht_is_erlang_c_on_slots():
    # c chats per agent at unchanged AHT = an M/M/(N c) queue
    a = np.array([3.0, 16.7, 120.0])
    n = np.array([2, 7, 45])
    chat = q.chat_metrics(a, n, 300, 20, concurrency=3)
    slots = q.queue_metrics(a, 3 * n, 300, 20)
    for name in ("waiting_probability", "service_level", "asa_s"):
        np.testing.assert_allclose(getattr(chat, name), getattr(slots, name), rtol=1e-11)
    # chats held per agent = 3 x the slots' occupancy; an agent is busy more often than a slot
    np.testing.assert_allclose(chat.mean_chats_held, 3 * slots.occupancy, rtol=1e-11)
    assert np.all(chat.occupancy > slots.occupancy)


def test_naive_concurrency_division_is_off():
    """100 chats / 30 min, 300 s alone, 360 s at two, 450 s at three parallel chats."""
    kw = dict(concurrency=3, aht_by_concurrency=PROFILE)
    chain = q.required_agents(100, 300, 1800, **kw)
    assert chain.agents[0] == 10
    assert chain.service_level[0] == pytest.approx(0.8905, abs=5e-5)
    # naive 1: AHT at full concurrency / 3 = 150 s in Erlang C -> 12 agents, 20 % too many
    assert float(q.naive_concurrency_aht_s(300, **kw)) == 150.0
    assert q.required_agents(100, 150, 1800).agents[0] == 12
    assert float(q.chat_metrics(100 * 300 / 1800, 12, 300, 20, **kw).service_level) > 0.99
    # naive 2: single-chat AHT / 3 = 100 s -> 8 agents, which cannot keep up at all:
    # 8 agents x 3 chats / 450 s = 0.053 chats/s < 100 / 1800 = 0.056 arriving
    assert q.required_agents(100, 100, 1800).agents[0] == 8
    at8 = q.chat_metrics(100 * 300 / 1800, 8, 300, 20, **kw)
    assert (at8.service_level, at8.waiting_probability) == (0.0, 1.0)
    # with a constant AHT the naive M/M/N (AHT / c) over-staffs the M/M/Nc chain by one
    assert q.required_agents(100, 300, 1800, concurrency=3).agents[0] == 7
    assert q.required_agents(100, 100, 1800).agents[0] == 8


# ----------------------------------------------------------------------------- properties
traffic_st = st.floats(0.05, 300.0)
aht_st = st.floats(30.0, 900.0)
within_st = st.floats(0.5, 120.0)  # 0 s with a positive target is refused


@PROPS
@given(traffic=traffic_st, aht=aht_st, within=within_st, patience=st.floats(20.0, 1800.0))
def test_service_level_never_falls_with_agents(traffic, aht, within, patience):
    n = np.arange(max(1, int(traffic / 2)), int(traffic * 1.6) + 12)
    for m in (q.queue_metrics(traffic, n, aht, within),
              q.erlang_a(traffic, n, aht, patience, within),
              q.chat_metrics(traffic, n, aht, within, concurrency=3, aht_by_concurrency=PROFILE)):
        # in deep overload (service level ~1e-15) float noise of ~1e-12 is tolerated
        assert np.all(np.diff(m.service_level) >= -1e-10)
        assert np.all(np.diff(m.waiting_probability) <= 1e-10)
        assert not np.isnan(m.service_level).any()


def _ok(m, sl, occ_cap, asa_cap=None, ab_cap=None):
    good = (m.service_level >= sl) & (m.occupancy <= occ_cap) & np.isfinite(m.asa_s)
    if asa_cap is not None:
        good &= m.asa_s <= asa_cap
    if ab_cap is not None:
        good &= m.abandon_probability <= ab_cap
    return good


@PROPS
@given(
    volume=st.lists(st.integers(0, 600), min_size=1, max_size=6),
    aht=aht_st,
    sl=st.floats(0.5, 0.99),
    within=within_st,
    occ_cap=st.floats(0.6, 1.0),
    model=st.sampled_from(["erlang_c", "erlang_a", "chat", "chat_a"]),
)
def test_required_agents_is_the_true_minimum(volume, aht, sl, within, occ_cap, model):
    kw = {
        "erlang_c": {},
        "erlang_a": {"patience_s": 180.0, "max_abandon": 0.05},
        "chat": {"concurrency": 3, "aht_by_concurrency": PROFILE},
        "chat_a": {"concurrency": 2, "aht_by_concurrency": [300, 420], "patience_s": 240.0},
    }[model]
    metric_kw = {k: v for k, v in kw.items() if k != "max_abandon"}
    df = q.required_agents(volume, aht, 900, sl_target=sl, answer_within_s=within,
                           max_occupancy=occ_cap, **kw)
    assert not df.isna().any().any()
    assert np.all(df.occupancy <= occ_cap)
    a, n = df.traffic_erlangs.to_numpy(), df.agents.to_numpy()
    pos = a > 0
    at = q.queue_metrics(a, n, aht, within, **metric_kw)
    below = q.queue_metrics(a, np.maximum(n - 1, 0), aht, within, **metric_kw)
    ab_cap = kw.get("max_abandon")
    assert np.all(_ok(at, sl, occ_cap, ab_cap=ab_cap)[pos])
    assert not np.any(_ok(below, sl, occ_cap, ab_cap=ab_cap)[pos])
    np.testing.assert_allclose(df.service_level, at.service_level, rtol=1e-12)


@settings(max_examples=12, deadline=None)
@given(
    volume=st.lists(st.integers(0, 400), min_size=2, max_size=8),
    aht=st.lists(st.floats(60.0, 600.0), min_size=8, max_size=8),
    model=st.sampled_from(["erlang_c", "erlang_a", "chat"]),
)
def test_vectorised_equals_scalar_loop(volume, aht, model):
    kw = {"erlang_c": {"asa_target_s": 30.0, "shrinkage": 0.25},
          "erlang_a": {"patience_s": 200.0},
          "chat": {"concurrency": 2, "aht_by_concurrency": [1.0, 1.3]}}[model]
    aht = np.array(aht[: len(volume)])
    together = q.required_agents(volume, aht, 900, **kw)
    alone = pd.concat(
        [q.required_agents(v, h, 900, **kw) for v, h in zip(volume, aht, strict=True)],
        ignore_index=True,
    )
    pd.testing.assert_frame_equal(together, alone, rtol=1e-12)


def test_asa_target():
    df = q.required_agents(100, 180, 1800, sl_target=0.5, asa_target_s=5.0)
    n = df.agents[0]
    assert q.asa_s(10.0, n, 180) <= 5.0 < q.asa_s(10.0, n - 1, 180)
    assert df.asa_s[0] <= 5.0


def test_large_traffic_search():
    df = q.required_agents([20000 * 1800 / 180], 180, 1800)  # 20,000 Erlangs
    n = df.agents[0]
    assert 20000 < n < 20100
    assert q.service_level(20000.0, n, 180, 20) >= 0.8 > q.service_level(20000.0, n - 1, 180, 20)


# ----------------------------------------------------------------------------- occupancy
def test_unreachable_targets_are_refused_with_a_message():
    """A 100 % service level used to return 44 agents; now it is refused, as is answering
    everyone in 0 s (the same target in disguise)."""
    with pytest.raises(InputError, match="100 % service level cannot be staffed"):
        q.required_agents(100, 180, 1800, sl_target=1.0)
    with pytest.raises(InputError, match="'answer_within_s' has 0"):
        q.required_agents(100, 180, 1800, sl_target=0.5, answer_within_s=0)
    # no target, no problem
    assert q.required_agents(100, 180, 1800, sl_target=0.0, answer_within_s=0).agents[0] == 11


def test_occupancy_is_the_share_of_time_an_agent_holds_a_chat():
    """200 pre-sale chats per 30 min at 240 s, 3 chats each, +20 % per extra chat: 14 agents
    meet 80 % in 30 s with a sixth of the chat slots free, but every agent holds at least one
    chat nearly all the time.  The cap now applies to that share."""
    prof = q.linear_aht_profile(240, 3, 0.2)
    kw = dict(sl_target=0.8, answer_within_s=30, concurrency=3, aht_by_concurrency=prof)
    free = q.required_agents(200, 240, 1800, **kw)
    assert free.agents[0] == 14
    assert free.mean_chats_held[0] / 3 == pytest.approx(0.84, abs=0.005)  # slot use
    assert free.occupancy[0] > 0.999  # busy with >= 1 chat
    capped = q.required_agents(200, 240, 1800, max_occupancy=0.85, **kw)
    assert capped.agents[0] > 14 and capped.occupancy[0] <= 0.85
    assert q.chat_metrics(26.667, capped.agents[0] - 1, 240, 30, concurrency=3,
                          aht_by_concurrency=prof).occupancy > 0.85  # the true minimum
    # the separate cap on chats held: 2 on average
    held = q.required_agents(200, 240, 1800, max_chats_held=2.0, **kw)
    assert held.mean_chats_held[0] <= 2.0 < free.mean_chats_held[0]
    assert q.chat_metrics(26.667, held.agents[0] - 1, 240, 30, concurrency=3,
                          aht_by_concurrency=prof).mean_chats_held > 2.0
    # one contact per agent: the two figures are one (A / N), and only chats show the second
    calls = q.queue_metrics(10.0, 14, 180, 20)
    assert calls.occupancy == calls.mean_chats_held == pytest.approx(10 / 14)
    assert "mean_chats_held" not in q.required_agents(100, 180, 1800).columns
    assert q.required_agents(100, 180, 1800, max_chats_held=0.7).agents[0] == 15


def test_busy_share_under_even_spread_by_brute_force():
    """occupancy = E[min(k, N)] / N over the chain's states, for several sizes and profiles."""
    for traffic, agents, conc, prof in [(3.0, 2, 2, None), (16.7, 9, 3, PROFILE),
                                        (30.0, 20, 3, PROFILE), (2.0, 4, 4, None)]:
        g = q._profile(conc, prof)
        want = _brute_chain(traffic, agents, 300, 20, None, g)
        got = q.chat_metrics(traffic, agents, 300, 20, concurrency=conc, aht_by_concurrency=prof)
        assert float(got.occupancy) == pytest.approx(want["occupancy"], rel=1e-9)
        assert float(got.mean_chats_held) == pytest.approx(want["mean_chats_held"], rel=1e-9)


# --------------------------------------------------------------------------- notebook helpers
def test_service_level_grid_matches_queue_metrics_cell_by_cell():
    traffic = np.array([0.5, 2.0, 4.0])
    agents = np.arange(1, 7)
    chat = dict(concurrency=2, aht_by_concurrency=[60.0, 80.0])
    grid = q.service_level_grid(traffic, agents, 60.0, 30.0, **chat)
    assert grid.shape == (6, 3)
    for i, n in enumerate(agents):
        for j, a in enumerate(traffic):
            assert grid[i, j] == pytest.approx(
                float(q.queue_metrics(a, n, 60.0, 30.0, **chat).service_level))
    assert (np.diff(grid, axis=0) >= -1e-12).all()  # more agents never serve worse


def test_shortcut_agents_and_comparison():
    target = dict(sl_target=0.8, answer_within_s=30, max_occupancy=0.85, shrinkage=0.3)
    chat = dict(concurrency=3, aht_by_concurrency=[60.0, 75.0, 90.0])
    volume = np.array([20.0, 60.0])
    out = q.shortcut_agents(volume, {"a": 30.0, "b": 20.0}, 1800, **target)
    for name, aht in (("a", 30.0), ("b", 20.0)):
        expect = q.required_agents(volume, aht, 1800, **target)["agents"].to_numpy()
        assert (out[name] == expect).all()
    assert (out["a"] >= out["b"]).all()  # a longer effective handle time asks for more
    cmp = q.shortcut_comparison(float(60.0 * 60 / 1800), 60.0, 60.0, {"a": 30.0}, 1800,
                                target=target, chat=chat)
    assert cmp["model"].tolist() == ["a"] and cmp["agents"].iloc[0] == out["a"][1]
    sl = q.queue_metrics(2.0, int(out["a"][1]), 60.0, 30, **chat).service_level
    assert cmp["service_level"].iloc[0] == pytest.approx(float(sl))
