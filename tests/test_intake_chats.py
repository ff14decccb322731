"""ecomanalysis.intake.chats: chat sessions -> arrivals, handle time, agent concurrency."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from ecomanalysis.errors import InputError
from ecomanalysis.intake import read_chats

NOW = dt.datetime(2026, 1, 1)

# agent A: [10:00:00, 10:00:10), [10:00:05, 10:00:15), [10:00:10, 10:00:20) -> 2 at most,
# 30 s of sessions over 20 s busy = 1.5; agent B: one 60 s session -> 1 and 1.0
CHATS = (
    "session_id,start_time,end_time,agent,channel\n"
    "c1,2024-11-11 10:00:00,2024-11-11 10:00:10,A,售前\n"
    "c2,2024-11-11 10:00:05,2024-11-11 10:00:15,A,pre-sale\n"
    "c3,2024-11-11 10:00:10,2024-11-11 10:00:20,A,售后\n"
    "c4,2024-11-11 10:40:00,2024-11-11 10:41:00,B,after_sale\n"
)


def write(tmp_path, name, text, encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def test_concurrency_per_agent(tmp_path):
    c = read_chats(write(tmp_path, "c.csv", CHATS), now=NOW)
    conc = c.agent_concurrency().set_index("agent")
    assert conc.loc["A", "sessions"] == 3 and conc.loc["A", "max_concurrent"] == 2
    assert conc.loc["A", "handle_s"] == 30 and conc.loc["A", "busy_s"] == 20
    assert conc.loc["A", "mean_concurrent"] == pytest.approx(1.5)
    assert conc.loc["B", "max_concurrent"] == 1 and conc.loc["B", "mean_concurrent"] == 1.0


def test_arrivals_and_handle_time_per_channel(tmp_path):
    c = read_chats(write(tmp_path, "c.csv", CHATS), now=NOW)
    assert c.channels() == ["after_sale", "pre_sale"]
    a = c.arrivals("30min")
    assert len(a) == 2 * 48  # one day, two channels
    at10 = a[a["interval_start"] == pd.Timestamp("2024-11-11 10:00", tz="Asia/Shanghai")]
    got = at10.set_index("channel")
    assert got.loc["pre_sale", "arrivals"] == 2 and got.loc["pre_sale", "mean_handle_s"] == 10
    assert got.loc["after_sale", "arrivals"] == 1 and got.loc["after_sale", "mean_handle_s"] == 10
    at1030 = a[a["interval_start"] == pd.Timestamp("2024-11-11 10:30", tz="Asia/Shanghai")]
    assert at1030.set_index("channel").loc["after_sale", "mean_handle_s"] == 60
    empty = a[a["arrivals"] == 0]
    assert empty["mean_handle_s"].isna().all()
    total = c.arrivals("1D", by_channel=False)
    assert total["arrivals"].tolist() == [4] and total["mean_handle_s"].iloc[0] == pytest.approx(22.5)


def test_duration_column_and_chinese_headers_in_gbk(tmp_path):
    text = (
        "会话编号,开始时间,会话时长,客服,类型\n"
        "1,2024/11/11 21:00,00:05:00,小王,售前\n"
        "2,2024/11/11 21:02,90,小王,售后\n"
        "3,2024/11/11 21:03,1:30,小李,售前\n"
    )
    c = read_chats(write(tmp_path, "会话.csv", text, "gbk"), now=NOW)
    assert c.report.preset == "zh"
    f = c.frame()
    assert f["handle_s"].tolist() == [300.0, 90.0, 90.0]
    assert f["channel"].tolist() == ["pre_sale", "after_sale", "pre_sale"]
    conc = c.agent_concurrency().set_index("agent")
    assert conc.loc["小王", "max_concurrent"] == 2
    assert conc.loc["小王", "busy_s"] == 300
    assert conc.loc["小王", "mean_concurrent"] == pytest.approx(390 / 300)


def test_unknown_channel_labels_kept_and_no_channel_column(tmp_path):
    text = "start_time,duration_s,agent,channel\n2024-11-11 10:00:00,60,A,VIP\n"
    assert read_chats(write(tmp_path, "v.csv", text), now=NOW).channels() == ["vip"]
    text = "start_time,duration_s\n2024-11-11 10:00:00,60\n"
    c = read_chats(write(tmp_path, "n.csv", text), now=NOW)
    assert c.channels() == ["other"]
    assert c.agent_concurrency().empty


def test_bad_chat_inputs(tmp_path):
    with pytest.raises(InputError, match="no session end or duration column"):
        read_chats(write(tmp_path, "a.csv", "start_time,agent\n2024-11-11 10:00:00,A\n"), now=NOW)
    text = "start_time,end_time\n2024-11-11 10:00:00,2024-11-11 09:59:00\n"
    with pytest.raises(InputError, match="row 2: column 'end_time' ends before the session starts"):
        read_chats(write(tmp_path, "b.csv", text), now=NOW)
    text = "start_time,duration_s\n2024-11-11 10:00:00,abc\n"
    with pytest.raises(InputError, match="row 2: column 'duration_s' is empty or not readable"):
        read_chats(write(tmp_path, "c.csv", text), now=NOW)
    text = "start_time,duration_s\n2030-11-11 10:00:00,5\n"
    with pytest.raises(InputError, match="sessions start in the future"):
        read_chats(write(tmp_path, "d.csv", text), now=NOW)
    with pytest.raises(InputError, match="no timestamp column found"):
        read_chats(write(tmp_path, "e.csv", "agent,duration_s\nA,5\n"), now=NOW)


def test_concurrency_matches_a_brute_force_count(tmp_path, rng):
    n = 300
    start = pd.Timestamp("2024-11-11 08:00") + pd.to_timedelta(rng.integers(0, 4 * 3600, n), unit="s")
    dur = rng.integers(0, 900, n)
    agent = rng.choice(["a", "b", "c"], n)
    df = pd.DataFrame({"start_time": start.strftime("%Y-%m-%d %H:%M:%S"), "duration_s": dur,
                       "agent": agent})
    p = tmp_path / "r.csv"
    df.to_csv(p, index=False)
    got = read_chats(p, now=NOW).agent_concurrency().set_index("agent")
    s = (start - pd.Timestamp("2024-11-11")).total_seconds().to_numpy().astype(int)
    e = s + dur
    for name in ["a", "b", "c"]:
        m = agent == name
        grid = np.arange(s[m].min(), e[m].max())
        open_at = ((s[m][:, None] <= grid) & (grid < e[m][:, None])).sum(axis=0)
        assert got.loc[name, "max_concurrent"] == open_at.max()
        assert got.loc[name, "busy_s"] == (open_at > 0).sum()
        assert got.loc[name, "mean_concurrent"] == pytest.approx(open_at.sum() / (open_at > 0).sum())


def test_big5_is_not_read_as_gbk(tmp_path):
    text = "start_time,duration_s,agent,channel\n2024-11-11 10:00:00,60,小王,售後\n" \
           "2024-11-11 10:05:00,30,陳經理,售前\n"
    p = write(tmp_path, "tw.csv", text, "big5")
    c = read_chats(p, now=NOW)
    assert "Big5" in c.report.source[0]
    f = c.frame()
    assert sorted(f["agent"]) == ["小王", "陳經理"]
    assert sorted(f["channel"]) == ["after_sale", "pre_sale"]
