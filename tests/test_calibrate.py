"""ecomanalysis.intake.calibrate: known parameters come back out of a synthetic chat log.

The log is made by the simulation's own event loop (:func:`ecomanalysis.simulate.serve_chats`):
Poisson arrivals over four busy days, log-normal work (mean 300 s, CV 1.2), 3 chats per agent at
+20 % per extra chat, exponential patience (mean 180 s), and 6 of the 8 agents on the roster
available to the queue (75 %).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ecomanalysis.errors import InputError
from ecomanalysis.intake.calibrate import calibrate
from tests.chatlog import INTERVAL_S, N_INT, served_chats

DAY0 = pd.Timestamp("2026-11-11")
TRUE = dict(aht_s=300.0, cv=1.2, rate=0.2, concurrency=3, patience_s=180.0, available=6,
            on_duty=8)


def _log(seed: int) -> tuple[pd.DataFrame, np.ndarray]:
    res, patience, counts, _busy = served_chats(
        seed, aht_s=TRUE["aht_s"], cv=TRUE["cv"], patience_s=TRUE["patience_s"],
        available=TRUE["available"], concurrency=TRUE["concurrency"], slowdown=TRUE["rate"])
    taken = res["agent"].to_numpy() >= 0
    end = np.where(taken, res["end_s"], res["arrival_s"] + patience)
    when = lambda s: DAY0 + pd.to_timedelta(s, unit="s")  # noqa: E731
    log = pd.DataFrame({
        "start": when(res["arrival_s"]),
        "answer": when(res["start_s"]),  # NaT where nobody took the chat
        "end": when(end),
        "agent": np.where(taken, "agent" + res["agent"].astype(str), None),
        "channel": "presale",
    })
    return log, counts


def _roster():
    return pd.DataFrame({"agent": [f"agent{i}" for i in range(TRUE["on_duty"])],
                         "start": DAY0, "end": DAY0 + pd.Timedelta(seconds=N_INT * INTERVAL_S)})


@pytest.mark.parametrize("seed", [1, 2])
def test_recovers_known_parameters(seed):
    log, counts = _log(seed)
    cal = calibrate(log, interval_s=INTERVAL_S, on_duty=_roster())
    # stated tolerances (about 9,000 chats; seeds 1-8 all stay inside): handle time with one
    # chat 8 %, slowdown per extra chat 0.07, CV 0.1, patience 12 %, availability 0.01,
    # concurrency and counts exact
    assert cal.aht_s == pytest.approx(TRUE["aht_s"], rel=0.08)
    assert cal.aht_increase_per_extra_chat == pytest.approx(TRUE["rate"], abs=0.07)
    assert cal.handle_time_cv == pytest.approx(TRUE["cv"], abs=0.1)
    assert cal.concurrency == TRUE["concurrency"]
    assert cal.patience_s == pytest.approx(TRUE["patience_s"], rel=0.12)
    assert cal.availability_share == pytest.approx(TRUE["available"] / TRUE["on_duty"], abs=0.01)
    np.testing.assert_array_equal(cal.arrivals["chats"], counts)
    assert cal.arrivals["interval_start"].iloc[1] == DAY0 + pd.Timedelta(minutes=30)
    assert cal.abandoned_share == pytest.approx(log["agent"].isna().mean())
    assert cal.arrivals["abandoned"].sum() == log["agent"].isna().sum()
    # per level: more chats open, longer each
    lv = cal.handle_by_concurrency.set_index("concurrency")
    assert list(lv.index) == [1, 2, 3] and lv["mean_handle_s"].is_monotonic_increasing
    assert (cal.agents["max_concurrent"] == 3).all() and len(cal.agents) == TRUE["available"]
    assert 1.0 < cal.mean_chats_held < 3.0
    kw = cal.simulation_kwargs()
    assert set(kw) == {"aht_s", "concurrency", "aht_increase_per_extra_chat", "handle_time_cv",
                       "patience_s"}
    assert list(cal.table()["parameter"])[:2] == ["sessions", "aht_s"]


def test_without_a_roster_the_agents_seen_are_the_agents_on_duty():
    log, _ = _log(1)
    cal = calibrate(log, interval_s=INTERVAL_S)
    assert cal.availability_share == pytest.approx(1.0, abs=0.02)  # only 6 agents ever seen
    assert any("no roster" in n for n in cal.notes)


def test_without_answer_times_waits_are_not_measured():
    log, _ = _log(1)
    cal = calibrate(log.drop(columns="answer"), channel="presale")
    assert np.isnan(cal.patience_s) and np.isnan(cal.availability_share)
    assert any("no 'answer' column" in n for n in cal.notes)
    assert "patience_s" not in cal.simulation_kwargs()
    # handle time is end - start then: the waits are in it
    assert cal.aht_s > calibrate(log).aht_s


def test_an_empty_answer_column_is_no_answer_column():
    """read_chats' sessions always carry an 'answer' column, empty when the export has no
    answer times (the sample shop's): that is an export without answer times, not one whose
    every answered session has a bad answer time."""
    log, _ = _log(1)
    for empty in (None, pd.NaT):
        cal = calibrate(log.assign(answer=empty), channel="presale")
        want = calibrate(log.drop(columns="answer"), channel="presale")
        assert cal.aht_s == want.aht_s and np.isnan(cal.patience_s)
        assert any("no 'answer' column" in n for n in cal.notes)


def test_the_sample_shops_export_calibrates():
    from ecomanalysis.intake import read_chats
    from ecomanalysis.shop import load_sample_shop

    chats = read_chats(load_sample_shop().file_path("chats"))
    try:
        assert not chats.has_answer()
        cal = calibrate(chats, channel="pre_sale")
    finally:
        chats.close()
    assert cal.sessions > 90_000 and cal.aht_s == pytest.approx(241, abs=5)
    assert np.isnan(cal.availability_share)


def test_seconds_work_as_times():
    cal = calibrate(pd.DataFrame({"start": [0.0, 10.0, 20.0], "end": [100.0, 50.0, 60.0],
                                  "agent": ["a", "a", "b"]}), interval_s=15)
    assert cal.arrivals["chats"].tolist() == [2, 1]  # [0, 15) and [15, 30)
    assert cal.agents.set_index("agent")["max_concurrent"].to_dict() == {"a": 2, "b": 1}
    # agent a: 0-10 one chat, 10-50 two, 50-100 one -> 140 s of chats in 100 s busy
    assert cal.agents.set_index("agent").loc["a", "mean_concurrent"] == pytest.approx(1.4)


@pytest.mark.parametrize(
    ("frame", "match"),
    [
        (pd.DataFrame({"start": [0.0], "end": [1.0]}), "'agent'"),
        (pd.DataFrame({"start": [0.0, 5.0], "end": [1.0, 2.0], "agent": ["a", "a"]}),
         "row 2: column 'end' is before"),
        (pd.DataFrame({"start": [0.0], "end": [10.0], "answer": [20.0], "agent": ["a"]}),
         "column 'answer'"),
        (pd.DataFrame({"start": [0.0], "end": [10.0], "agent": [None]}), "no session with an agent"),
        (pd.DataFrame({"start": ["x"], "end": [10.0], "agent": ["a"]}), "column 'start'"),
    ],
)
def test_bad_exports_are_named(frame, match):
    with pytest.raises(InputError, match=match):
        calibrate(frame)


def test_unknown_channel_is_named():
    log, _ = _log(1)
    with pytest.raises(InputError, match="'channel' is 'aftersale'.*presale"):
        calibrate(log, channel="aftersale")


def test_measured_figures_replace_the_standards():
    from ecomanalysis import workload

    log, _ = _log(1)
    cal = calibrate(log, on_duty=_roster())
    over = cal.standard_overrides("presale")
    assert set(over) == {"presale_aht_s", "presale_concurrency",
                         "chat_aht_increase_per_extra_chat", "cs_handle_time_cv",
                         "cs_availability_share", "cs_patience_s"}
    assert workload.check_overrides(over) == over  # known ids, values in range
    std = workload.resolve_standards(over)
    assert std["presale_aht_s"] == cal.aht_s and std["cs_availability_share"] == 0.75
    # without answer times the unmeasured ones stay out (the defaults remain)
    assert std["cs_patience_s"] == cal.patience_s
    assert not {"cs_availability_share", "cs_patience_s"} & set(
        calibrate(log.drop(columns="answer")).standard_overrides("aftersale"))
    with pytest.raises(InputError, match="'kind'"):
        cal.standard_overrides("warehouse")
