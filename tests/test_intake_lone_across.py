"""The lone far-away time check across the files of one source (one export per month or per
platform, globs): a file that is one stray row, or whose few times sit decades away from the
other files, is refused naming the file and its row; real separate stretches are kept."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from ecomanalysis.cli import main
from ecomanalysis.errors import InputError
from ecomanalysis.intake import presets as P
from ecomanalysis.intake import read_order_files

pytest.importorskip("duckdb")

NOW = dt.datetime(2030, 1, 1)


def monthly(path, start: str, n: int, first_id: int, rng):
    """An order export of ``n`` orders in the month from ``start``."""
    offs = np.sort(rng.integers(0, 28 * 86400, n))
    times = pd.Timestamp(start) + pd.to_timedelta(offs, unit="s")
    lines = ["order_id,order_time,amount"] + [
        f"{first_id + i},{t:%Y-%m-%d %H:%M:%S},{20 + i % 50}.00" for i, t in enumerate(times)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def stray(path, when: str, first_id: int = 90_000):
    path.write_text(f"order_id,order_time,amount\n{first_id},{when},5.00\n", encoding="utf-8")
    return path


@pytest.fixture
def two_months(tmp_path, rng):
    folder = tmp_path / "exports"
    folder.mkdir()
    return [monthly(folder / "2024-10.csv", "2024-10-01", 200, 1_000, rng),
            monthly(folder / "2024-11.csv", "2024-11-01", 250, 5_000, rng)]


def test_the_limits_come_from_the_presets_table():
    # the thresholds the check uses (data/intake_presets.yaml: intake_limits)
    assert P.intake_limit("lone_time_gap_days") == 365
    assert P.intake_limit("lone_time_max_rows") == 5


def test_a_file_of_one_row_decades_away_is_refused_naming_file_and_row(two_months):
    # 2003 is inside the date window of data/input_bounds.csv: only the cross-file check sees it
    bad = stray(two_months[0].parent / "2024-12.csv", "2003-05-01 10:00:00")
    with pytest.raises(InputError) as exc:
        read_order_files([{"path": p} for p in [*two_months, bad]], now=NOW)
    assert len(exc.value.problems) == 1
    msg = exc.value.problems[0]
    assert msg.startswith("2024-12.csv row 2: column 'order_time' has '2003-05-01 10:00:00'")
    assert "365 days away" in msg and "2024-10-01 .. 2024-11-" in msg


def test_each_file_alone_passes_the_check(two_months):
    bad = stray(two_months[0].parent / "2024-12.csv", "2003-05-01 10:00:00")
    for path in (*two_months, bad):  # one file: nothing to compare with
        read_order_files([{"path": path}], now=NOW).close()


def test_a_1970_row_in_a_third_file_is_refused_naming_file_and_row(two_months):
    bad = stray(two_months[0].parent / "zz_epoch.csv", "1970-01-01 08:00:00")
    with pytest.raises(InputError) as exc:
        read_order_files([{"path": p} for p in [*two_months, bad]], now=NOW)
    # refused with its file and row, whichever check names it first (the date window of
    # data/input_bounds.csv or the lone far-away time)
    msg = str(exc.value)
    assert msg.startswith("zz_epoch.csv") and "row 2" in msg
    assert "1970-01-01 08:00:00" in msg and "order_time" in msg


def test_stray_rows_in_a_file_of_real_rows_are_named_with_their_rows(two_months, rng):
    folder = two_months[0].parent
    dec = monthly(folder / "2024-12.csv", "2024-12-01", 40, 9_000, rng)
    lines = dec.read_text(encoding="utf-8").splitlines()
    lines.insert(3, "8999,2004-02-02 09:00:00,5.00")  # data row 3 of this file, line 4
    dec.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # alone, the file passes (1 row of 41 is above lone_time_max_share); among all 491 rows of
    # the source it is a stray value
    read_order_files([{"path": dec}], now=NOW).close()
    with pytest.raises(InputError, match=r"2024-12.csv row 4: column 'order_time' has "
                                         r"'2004-02-02 09:00:00'"):
        read_order_files([{"path": p} for p in [*two_months, dec]], now=NOW)


def test_two_real_years_in_separate_files_are_kept(tmp_path, rng):
    folder = tmp_path / "exports"
    folder.mkdir()
    a = monthly(folder / "2021-01.csv", "2021-01-01", 60, 1_000, rng)
    b = monthly(folder / "2024-01.csv", "2024-01-01", 80, 5_000, rng)
    ev = read_order_files([{"path": a}, {"path": b}], now=NOW)
    try:
        assert ev.report.rows_kept == 140
        assert ev.report.first_time.startswith("2021-01-")
        assert ev.report.last_time.startswith("2024-01-")
    finally:
        ev.close()


def test_a_small_far_file_above_the_row_limit_is_kept(two_months, rng):
    # 6 rows > lone_time_max_rows (5): a real (if short) stretch of history, not a stray value
    old = monthly(two_months[0].parent / "2019-03.csv", "2019-03-01", 6, 70_000, rng)
    ev = read_order_files([{"path": p} for p in [*two_months, old]], now=NOW)
    try:
        assert ev.report.rows_kept == 456
    finally:
        ev.close()


def _shop(tmp_path, orders: str) -> str:
    path = tmp_path / "shop.yaml"
    path.write_text(f"name: lone\nplatform: taobao\nfiles:\n  orders: {orders}\nteam: {{}}\n",
                    encoding="utf-8")
    return str(path)


def test_cli_profile_of_a_shop_glob_exits_2_naming_file_and_row(tmp_path, two_months, capsys):
    stray(two_months[0].parent / "2024-12.csv", "2003-05-01 10:00:00")
    shop = _shop(tmp_path, "exports/*.csv")
    out = tmp_path / "p.json"
    assert main(["profile", "--shop", shop, "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "error: 2024-12.csv row 2: column 'order_time' has '2003-05-01 10:00:00'" in err
    assert "Traceback" not in err and not out.exists()


def test_cli_staff_of_a_shop_glob_exits_2(tmp_path, two_months, capsys):
    stray(two_months[0].parent / "2024-12.csv", "2003-05-01 10:00:00")
    assert main(["staff", "--shop", _shop(tmp_path, "exports/*.csv")]) == 2
    err = capsys.readouterr().err
    assert "2024-12.csv row 2" in err and "Traceback" not in err


def test_cli_profile_of_two_years_in_a_glob_is_kept(tmp_path, rng, capsys):
    folder = tmp_path / "exports"
    folder.mkdir()
    monthly(folder / "2021-01.csv", "2021-01-01", 60, 1_000, rng)
    monthly(folder / "2024-01.csv", "2024-01-01", 80, 5_000, rng)
    assert main(["profile", "--shop", _shop(tmp_path, "exports/*.csv"), "--lang", "en"]) == 0
    assert "140" in capsys.readouterr().out
