"""The ``arrivals``, ``profile`` and ``sample`` commands: outputs, and exit status 2 with no output
file left behind for every kind of bad input."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from ecomanalysis.cli import main

GOOD = (
    "order_id,order_time,amount,status\n"
    "1,2024-11-11 00:05:00,10.5,paid\n"
    "2,2024-11-11 00:10:00,20,paid\n"
    "3,2024-11-11 00:20:00,30,cancelled\n"
    "4,2024-11-11 01:00:00,40,paid\n"
)


def write(tmp_path, name, data: bytes | str):
    p = tmp_path / name
    p.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return p


def test_arrivals_to_file_and_stdout(tmp_path, capsys):
    src = write(tmp_path, "o.csv", GOOD)
    out = tmp_path / "a.csv"
    assert main(["arrivals", str(src), "--freq", "30min", "-o", str(out)]) == 0
    a = pd.read_csv(out)
    assert list(a.columns) == ["interval_start", "arrivals"]
    assert len(a) == 48 and a["arrivals"].iloc[:3].tolist() == [2, 0, 1]
    assert a["interval_start"].iloc[0] == "2024-11-11 00:00:00+08:00"
    err = capsys.readouterr().err
    assert "read 4 rows, kept 3; dropped 1 cancelled (status = cancelled)" in err
    assert main(["arrivals", str(src), "--freq", "1D"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "interval_start,arrivals", "2024-11-11 00:00:00+08:00,3"]


def test_arrivals_options(tmp_path, capsys):
    src = write(tmp_path, "o.csv", "单号,下单时间\nA,11/2/2017 10:56\nB,3/4/2017 11:00\n")
    assert main(["arrivals", str(src), "--map", "order_id=单号", "--dayfirst", "--freq", "1D"]) == 0
    days = capsys.readouterr().out.splitlines()[1:]
    assert days[0] == "2017-02-11 00:00:00+08:00,1" and days[-1] == "2017-04-03 00:00:00+08:00,1"
    assert main(["arrivals", str(src), "--monthfirst", "--freq", "1D", "--tz", "UTC"]) == 0
    assert capsys.readouterr().out.splitlines()[1] == "2017-03-04 00:00:00+00:00,1"
    src = write(tmp_path, "k.csv", GOOD)
    assert main(["arrivals", str(src), "--keep-all", "--freq", "1D"]) == 0
    assert capsys.readouterr().out.splitlines()[1].endswith(",4")


def test_profile_text_and_json(tmp_path, capsys):
    src = write(tmp_path, "o.csv", GOOD)
    out = tmp_path / "p.json"
    assert main(["profile", str(src), "--top", "2", "-o", str(out)]) == 0
    text = capsys.readouterr().out
    assert "rows read 4; kept 3; dropped 1" in text
    assert "1  cancelled (status = cancelled)" in text
    assert "peak days" in text and "2024-11-11 Mon" in text
    prof = json.loads(out.read_text(encoding="utf-8"))
    assert prof["report"]["rows_kept"] == 3
    assert prof["peak_days"][0]["orders"] == 3
    assert sum(h["share"] for h in prof["hour_shares"]) == pytest.approx(1.0)


def test_chats_commands(tmp_path, capsys):
    src = write(tmp_path, "c.csv", "start_time,duration_s,agent,channel\n"
                                   "2024-11-11 10:00:00,60,A,售前\n2024-11-11 10:00:30,60,A,售后\n")
    assert main(["arrivals", str(src), "--chats", "--freq", "1h"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "interval_start,channel,arrivals,mean_handle_s"
    assert "2024-11-11 10:00:00+08:00,pre_sale,1,60.0" in out
    assert main(["profile", str(src), "--chats"]) == 0
    text = capsys.readouterr().out
    assert "A " in text and "  2  1.33" in text  # 2 at most; 120 s of chats over 90 s busy


def test_sample_command(tmp_path, capsys):
    assert main(["sample", "--days", "20", "--seed", "5", "--out", str(tmp_path / "s")]) == 0
    orders = pd.read_csv(tmp_path / "s" / "orders.csv")
    chats = pd.read_csv(tmp_path / "s" / "chats.csv")
    assert list(orders.columns) == ["order_id", "order_time", "amount", "status"]
    assert list(chats.columns) == ["start_time", "duration_s", "agent", "channel"]
    assert "orders.csv" in capsys.readouterr().out


BAD = {
    "empty file": ("o.csv", b"", "o.csv is empty"),
    "header only": ("o.csv", b"order_id,order_time\n", "header but no data rows"),
    "no timestamp column": ("o.csv", b"id,value\n1,2\n", "no timestamp column found; columns found: id, value"),
    "unparseable date": ("o.csv", GOOD.replace("2024-11-11 01:00:00", "2024-11-31 01:00:00").encode(),
                         "o.csv row 5: column 'order_time' has '2024-11-31 01:00:00'"),
    "mixing encodings": ("o.csv", "order_id,order_time,status\n1,2024-11-11 10:00:00,交易成功\n".encode()
                         + "2,2024-11-11 11:00:00,交易成功\n".encode("gbk"), "mixes encodings: line 2"),
    "negative amount": ("o.csv", GOOD.replace(",20,", ",-20,").encode(), "negative amount"),
    "duplicate ids": ("o.csv", (GOOD + "2,2024-11-11 02:00:00,20,paid\n").encode(),
                      "'2' on row 3, row 6"),
    "future dates": ("o.csv", GOOD.replace("2024-11-11 01:00:00", "2099-01-01 01:00:00").encode(),
                     "times in the future"),
    "ambiguous day/month": ("o.csv", b"order_time\n1/2/2024 10:00\n", "--dayfirst"),
    "bad freq": ("o.csv", GOOD.encode(), "--freq '7min'"),
}


CASES = [(cmd, case) for cmd in ("arrivals", "profile") for case in BAD
         if not (cmd == "profile" and case == "bad freq")]  # profile has no --freq


@pytest.mark.parametrize("command, case", CASES, ids=[f"{c}-{k.replace(' ', '_')}" for c, k in CASES])
def test_bad_input_exits_2_without_output(tmp_path, capsys, command, case):
    name, data, message = BAD[case]
    src = write(tmp_path, name, data)
    out = tmp_path / ("out.csv" if command == "arrivals" else "out.json")
    args = [command, str(src), "-o", str(out)]
    if case == "bad freq":
        args += ["--freq", "7min"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err
    assert not out.exists()
    assert not list(tmp_path.glob(".out*")), "temporary output left behind"


def test_missing_file_and_dedupe_flag(tmp_path, capsys):
    out = tmp_path / "a.csv"
    assert main(["arrivals", str(tmp_path / "nope.csv"), "-o", str(out)]) == 2
    assert "nope.csv: no such file" in capsys.readouterr().err and not out.exists()
    src = write(tmp_path, "d.csv", GOOD + "2,2024-11-11 02:00:00,20,paid\n")
    assert main(["arrivals", str(src), "--dedupe", "--freq", "1D", "-o", str(out)]) == 0
    assert pd.read_csv(out)["arrivals"].tolist() == [3]
    assert "1 repeated order ids removed" in capsys.readouterr().err
