"""ecomanalysis.teaching.sim: the simulated day agrees with the queueing formulas."""

from __future__ import annotations

import numpy as np
import pytest

from ecomanalysis import queueing
from ecomanalysis.errors import InputError
from ecomanalysis.teaching.sim import day_arrivals_s, simulate_chats, wait_by_hour


def _poisson_stream(rng, traffic, aht_s, n):
    return np.cumsum(rng.exponential(aht_s / traffic, n))


def test_single_chat_agents_match_erlang_c(rng):
    arrivals = _poisson_stream(rng, 1.0, 240, 6000)
    chats = simulate_chats(arrivals, 240, 2, rng=rng)
    waited = (chats["wait_s"] > 1e-9).mean()
    assert waited == pytest.approx(float(queueing.erlang_c(1.0, 2)), abs=0.04)
    within = (chats["wait_s"] <= 30).mean()
    assert within == pytest.approx(float(queueing.service_level(1.0, 2, 240, 30)), abs=0.04)


def test_concurrency_matches_the_chat_model(rng):
    arrivals = _poisson_stream(rng, 1.0, 240, 6000)
    chats = simulate_chats(arrivals, 240, 1, concurrency=3, aht_increase_per_extra_chat=0.2, rng=rng)
    m = queueing.chat_metrics(1.0, 1, 240, 30, concurrency=3, aht_by_concurrency=[240, 288, 336])
    assert (chats["wait_s"] > 1e-9).mean() == pytest.approx(float(m.waiting_probability), abs=0.05)
    assert (chats["wait_s"] <= 30).mean() == pytest.approx(float(m.service_level), abs=0.05)
    # never more than 3 chats open per agent
    starts = chats["start_s"].to_numpy()
    ends = chats["end_s"].to_numpy()
    for t in starts[::200]:
        assert ((starts <= t) & (ends > t)).sum() <= 3


def test_fifo_and_times_are_consistent(rng):
    arrivals = _poisson_stream(rng, 0.9, 240, 500)
    chats = simulate_chats(arrivals, 240, 1, rng=rng)
    assert (chats["wait_s"] >= -1e-9).all()
    assert (chats["end_s"] > chats["start_s"]).all()
    assert np.all(np.diff(chats["start_s"]) >= -1e-9)  # first come, first served
    # one agent, one chat at a time: busy periods never overlap
    assert np.all(chats["start_s"].to_numpy()[1:] >= chats["end_s"].to_numpy()[:-1] - 1e-6)


def test_more_agents_never_wait_longer_on_the_same_day(rng):
    shares = np.full(24, 1 / 24)
    arrivals = day_arrivals_s(400, shares, rng)
    work = rng.exponential(240, arrivals.size)
    waits = [simulate_chats(arrivals, 240, n, work_s=work)["wait_s"].mean() for n in (1, 2, 3)]
    assert waits[0] > waits[1] >= waits[2]


def test_day_arrivals_follow_the_hour_shares(rng):
    shares = np.zeros(24)
    shares[[9, 21]] = [0.25, 0.75]
    arrivals = day_arrivals_s(4000, shares, rng)
    hours = (arrivals // 3600).astype(int)
    assert set(hours) == {9, 21}
    assert (hours == 21).mean() == pytest.approx(0.75, abs=0.03)
    assert np.all(np.diff(arrivals) >= 0)
    same = day_arrivals_s(4000, shares, np.random.default_rng(20261123))
    again = day_arrivals_s(4000, shares, np.random.default_rng(20261123))
    assert np.array_equal(same, again)


def test_wait_by_hour_has_every_hour(rng):
    shares = np.zeros(24)
    shares[21] = 1.0
    chats = simulate_chats(day_arrivals_s(50, shares, rng), 240, 1, rng=rng)
    table = wait_by_hour(chats, 30)
    assert list(table.index) == list(range(24))
    assert table.loc[21, "chats"] == len(chats) and table.loc[3, "chats"] == 0
    assert np.isnan(table.loc[3, "mean_wait_s"])
    assert 0 <= table.loc[21, "service_level"] <= 1


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"agents": 0}, "agents"),
        ({"agents": 1, "concurrency": 0}, "concurrency"),
        ({"agents": 1, "aht_s": 0}, "aht_s"),
        ({"agents": 1, "work_s": [1.0]}, "work_s"),
        ({"agents": 1, "rng": None}, "rng"),
    ],
)
def test_bad_arguments_name_the_parameter(kwargs, match):
    args = {"arrival_s": [1.0, 2.0], "aht_s": 240, "rng": np.random.default_rng(1)} | kwargs
    with pytest.raises(InputError, match=match):
        simulate_chats(**args)


def test_bad_hour_shares():
    with pytest.raises(InputError, match="24"):
        day_arrivals_s(10, [0.5, 0.5], np.random.default_rng(1))
