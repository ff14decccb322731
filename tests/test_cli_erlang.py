"""``ecomanalysis erlang``: one interval printed as a table, a CSV of intervals sized to a file."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ecomanalysis import queueing
from ecomanalysis.cli import main


def _rows(out: str) -> dict[int, list[str]]:
    """Table rows by agent count (the marked row keeps its '>' as the first field)."""
    rows = {}
    for line in out.splitlines():
        parts = line.replace(">", " > ").split()
        if parts and parts[0] == ">":
            parts = parts[1:] + [">"]
        if parts and parts[0].isdigit():
            rows[int(parts[0])] = parts[1:]
    return rows


def test_worked_example_table(capsys):
    code = main(["erlang", "--volume", "100", "--aht", "180", "--interval", "1800", "--sl", "0.8",
                 "--within", "20", "--shrinkage", "0.3", "--max-occupancy", "0.85"])
    out = capsys.readouterr().out
    assert code == 0
    assert "traffic 10.00 Erlangs" in out
    rows = _rows(out)
    assert sorted(rows) == [12, 13, 14, 15, 16]  # agents - 2 .. agents + 2
    assert [rows[n][1] for n in (12, 13, 14, 15)] == ["64.0%", "79.6%", "88.8%", "94.1%"]
    assert rows[14][0] == "20" and rows[14][-1] == ">"  # staffed, marked as the answer
    assert rows[14][2] == "7.8" and rows[14][3] == "71.4%"  # ASA, occupancy
    assert "required: 14 agents, 20 staffed" in out


def test_occupancy_cap_example(capsys):
    assert main(["erlang", "--volume", "100", "--aht", "180", "--within", "19.8",
                 "--max-occupancy", "0.7", "--shrinkage", "0.3"]) == 0
    assert "required: 15 agents, 22 staffed" in capsys.readouterr().out


def test_erlang_a_and_chat_tables(capsys):
    assert main(["erlang", "--volume", "100", "--aht", "180", "--patience", "300",
                 "--max-abandon", "0.05"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Erlang A, mean patience 300 s")
    assert "abandon" in out and "required: 13 agents" in out
    assert main(["erlang", "--volume", "100", "--aht", "300", "--concurrency", "3",
                 "--aht-by-concurrency", "300,360,450"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("chat model, up to 3 chats per agent")
    rows = _rows(out)
    assert rows[8][1] == "0.0%" and rows[8][2] == "inf"  # 8 agents cannot keep up
    assert "required: 10 agents" in out


def test_fractional(capsys):
    assert main(["erlang", "--volume", "100", "--aht", "180", "--fractional"]) == 0
    assert "required: 13.04 agents, 13.04 staffed" in capsys.readouterr().out


def _intervals(tmp_path, rows, name="intervals.csv"):
    p = tmp_path / name
    pd.DataFrame(rows, columns=["interval_start", "volume", "aht_s"]).to_csv(p, index=False)
    return p


def test_csv_to_file(tmp_path, capsys):
    starts = pd.date_range("2024-11-11 20:00", periods=4, freq="15min").strftime("%Y-%m-%d %H:%M")
    p = _intervals(tmp_path, list(zip(starts, [0, 40, 120, 80], [200, 240, 240, 300],
                                      strict=True)))
    out = tmp_path / "sub" / "agents.csv"
    assert main(["erlang", "--csv", str(p), "--shrinkage", "0.3", "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "interval 900 s" in err and f"wrote {out}" in err
    assert "peak 37 agents (53 staffed) at 2024-11-11 20:30" in err
    df = pd.read_csv(out)
    assert list(df.columns) == ["interval_start", "volume", "aht_s", "traffic_erlangs", "agents",
                                "staffed", "service_level", "asa_s", "occupancy",
                                "waiting_probability"]
    want = queueing.required_agents([0, 40, 120, 80], [200, 240, 240, 300], 900, shrinkage=0.3)
    np.testing.assert_array_equal(df["agents"], want["agents"])
    np.testing.assert_array_equal(df["staffed"], want["staffed"])
    assert df["agents"].iloc[0] == 0 and df["service_level"].iloc[0] == 1.0
    assert [f.name for f in out.parent.iterdir()] == ["agents.csv"]  # no temp file left


def test_csv_to_stdout_with_interval_option(tmp_path, capsys):
    p = _intervals(tmp_path, [["a", 100, 180], ["b", 50, 180]])  # starts that are not times
    assert main(["erlang", "--csv", str(p), "--interval", "1800", "--patience", "300"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].endswith("waiting_probability,abandon_probability")
    assert lines[1].startswith("a,100.0,180.0,10.0,13,13,")


def test_csv_errors_name_file_row_column_value(tmp_path, capsys):
    p = _intervals(tmp_path, [["2024-11-11 20:00", 10, 180], ["2024-11-11 20:15", "12x", 180],
                              ["2024-11-11 20:30", 5, -30], ["", 7, 180]], name="bad.csv")
    assert main(["erlang", "--csv", str(p), "--interval", "900"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "error: bad.csv row 3: column 'volume' has '12x'; expected a number >= 0 and <= 1,000,000 (contacts)",
        "error: bad.csv row 4: column 'aht_s' has '-30'; expected a number > 0 and <= 86,400 (seconds)",
        "error: bad.csv row 5: column 'interval_start' is empty; expected the start of the "
        "interval, e.g. 2024-11-11 21:00",
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("interval_start,volume\n2024-11-11 20:00,5\n",
         "missing column(s) 'aht_s'; found 'interval_start', 'volume'"),
        ("", "the file is empty"),
        ("interval_start,volume,aht_s\n", "no rows"),
        ("interval_start,volume,aht_s\nx,5,180\ny,6,180\n", "cannot tell the interval length"),
    ],
)
def test_csv_file_level_errors(tmp_path, capsys, content, message):
    p = tmp_path / "f.csv"
    p.write_text(content, encoding="utf-8")
    assert main(["erlang", "--csv", str(p)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: f.csv") and message in err


def test_bad_options(tmp_path, capsys):
    cases = [
        (["--volume", "100", "--aht", "0"], "error: option --aht has 0.0; expected"),
        (["--volume", "100", "--aht", "180", "--shrinkage", "1.2"], "option --shrinkage has 1.2"),
        (["--volume", "100", "--aht", "180", "--aht-by-concurrency", "300,x"],
         "--aht-by-concurrency has '300,x'"),
        (["--volume", "100", "--aht", "180", "--concurrency", "3", "--aht-by-concurrency", "1,2"],
         "option --aht-by-concurrency has 2 values"),
        (["--volume", "100", "--aht", "180", "--max-abandon", "0.05"],
         "option --max-abandon has 0.05 but --patience is not given"),
        (["--aht", "180"], "missing --volume"),
        (["--csv", str(tmp_path / "nope.csv")], "nope.csv: file not found"),
        (["--volume", "1", "--aht", "1", "-o", "x.csv"], "-o/--output applies to --csv"),
    ]
    for argv, message in cases:
        assert main(["erlang", *argv]) == 2, argv
        assert message in capsys.readouterr().err, argv


@pytest.mark.parametrize("sl, shown", [("0.999", "99.9% answered"), ("0.8", "80% answered"),
                                       ("0.855", "85.5% answered")])
def test_targets_are_shown_as_given(capsys, sl, shown):
    """A target of 0.999 was printed as '100% answered' (the refused target)."""
    assert main(["erlang", "--volume", "100", "--aht", "240", "--sl", sl, "--lang", "en"]) == 0
    assert f"targets: {shown} within 20 s" in capsys.readouterr().out
