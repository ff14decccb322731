"""The content-keyed cache: round trip, hits counted, corrupt and stale entries rebuilt, concurrent
writers, `cache clear`; the shop's exports and the peak forecast served from it, also across
report kernels."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest

from ecomanalysis import cache, shop
from ecomanalysis.cli import main


@pytest.fixture(autouse=True)
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(folder))
    monkeypatch.delenv(cache.CACHE_SWITCH_ENV, raising=False)
    cache.STATS.clear()
    shop._read_files_cached.cache_clear()
    yield folder
    shop._read_files_cached.cache_clear()


def tables():
    idx = pd.date_range("2026-01-01", periods=5, freq="D", name="date")
    return {"s": pd.Series([1.0, 2, 3, 4, 5], index=idx, name="orders"),
            "f": pd.DataFrame({"a": [1, 2], "b": ["x", None]}),
            "arr": np.arange(24, dtype=float) / 276}


def test_round_trip_and_hit_counter():
    key = cache.make_key("t", 1)
    assert cache.get("t", key) is None and cache.STATS[("miss", "t")] == 1
    assert cache.put("t", key, tables(), {"model": "m", "messages": ["a"]})
    got = cache.get("t", key)
    assert cache.hits("t") == 1
    pd.testing.assert_series_equal(got["s"], tables()["s"], check_freq=False)
    pd.testing.assert_frame_equal(got["f"], tables()["f"])
    np.testing.assert_array_equal(got["arr"], tables()["arr"])
    assert got["model"] == "m" and got["messages"] == ["a"]
    assert cache.make_key("t", 1) != cache.make_key("t", 2)


def test_plain_values_beside_tables_round_trip_and_odd_values_are_not_cached():
    calls = []

    def compute():
        calls.append(1)
        return {"daily": tables()["s"], "reports": {"orders": {"rows": 3, "dropped": []}},
                "handle": (180.5, 42), "time_of_day": True, "concurrency": float("nan")}

    first = cache.cached_shop_files([None], {"tz": "Asia/Shanghai"}, compute)
    second = cache.cached_shop_files([None], {"tz": "Asia/Shanghai"}, compute)
    assert len(calls) == 1 and cache.hits("intake") == 1
    assert second["reports"] == first["reports"] and second["time_of_day"] is True
    assert list(second["handle"]) == [180.5, 42] and second["concurrency"] != second["concurrency"]
    odd = cache.cached_shop_files([None], {"x": 1}, lambda: {"obj": object()})
    assert "obj" in odd and cache.STATS[("write", "intake")] == 1, "not cacheable: computed, not stored"


@pytest.mark.parametrize("damage", ["flip", "truncate", "manifest", "format"])
def test_corrupt_or_stale_entry_is_ignored_and_rebuilt(cache_dir, damage):
    key = cache.make_key("t", damage)
    calls = []

    def compute():
        calls.append(1)
        return {"s": tables()["s"]}

    def run():
        return cache.memo("t", key, compute, lambda d: (d, {}), lambda e: {"s": e["s"]})

    run()
    entry = next(cache_dir.glob(f"t/*/{key}"))
    parquet = entry / "t0.parquet"
    if damage == "flip":
        data = bytearray(parquet.read_bytes())
        data[len(data) // 2] ^= 0xFF
        parquet.write_bytes(bytes(data))
    elif damage == "truncate":
        parquet.write_bytes(parquet.read_bytes()[:20])
    elif damage == "manifest":
        (entry / "manifest.json").write_text("{not json")
    else:  # an entry of an older format
        m = json.loads((entry / "manifest.json").read_text())
        m["format"] = 0
        (entry / "manifest.json").write_text(json.dumps(m))
    out = run()
    assert len(calls) == 2, "a damaged entry is recomputed"
    assert cache.STATS[("corrupt", "t")] == 1
    pd.testing.assert_series_equal(out["s"], tables()["s"])
    run()
    assert len(calls) == 2 and cache.hits("t") == 1, "the rebuilt entry serves the next call"


def test_concurrent_writers_leave_one_sound_entry(cache_dir):
    key = cache.make_key("race")
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: cache.put("race", key, tables()), range(16)))
    assert results.count(True) >= 1
    assert cache.get("race", key) is not None
    leftovers = [p for p in cache_dir.rglob("*") if p.name.startswith((".tmp-", ".trash-"))]
    assert not leftovers


def test_cache_off_and_clear_command(cache_dir, monkeypatch, capsys):
    key = cache.make_key("c")
    assert cache.put("c", key, tables())
    assert main(["cache", "info"]) == 0 and "c " in capsys.readouterr().out
    assert main(["cache", "clear"]) == 0
    assert "removed 1 cache entries" in capsys.readouterr().out
    assert cache.get("c", key) is None and not list(cache_dir.rglob("manifest.json"))
    monkeypatch.setenv(cache.CACHE_SWITCH_ENV, "off")
    assert not cache.put("c", key, tables()) and not cache_dir.joinpath("c").exists()


def test_shop_exports_and_peak_forecast_come_from_the_cache():
    from ecomanalysis.forecast.peak import peak_plan

    first = peak_plan(None, event="double11")
    assert cache.STATS[("write", "intake")] == 1 and cache.STATS[("write", "forecast")] == 1
    shop._read_files_cached.cache_clear()  # a new process: only the disk cache remains
    second = peak_plan(None, event="double11")
    assert cache.hits("intake") == 1 and cache.hits("forecast") == 1
    assert cache.STATS[("write", "forecast")] == 1, "no second fit"
    assert first.summary() == second.summary()
    pd.testing.assert_frame_equal(first.forecast, second.forecast, check_freq=False)
    pd.testing.assert_frame_equal(first.temps, second.temps)
    # a scenario (another order level) scales the same fit: no new fit
    from ecomanalysis import catalog

    days = int(catalog.load_standards().set_index("standard_id").at["recent_days_for_level", "value"])
    level = float(first.history.iloc[-days:].median())
    scenario = peak_plan(None, event="double11", orders_per_day=2 * level)
    assert cache.STATS[("write", "forecast")] == 1 and cache.hits("forecast") == 2
    assert scenario.peak_orders == pytest.approx(2 * first.peak_orders, rel=1e-9)


def test_rosters_come_from_the_cache_with_the_same_shifts_and_a_new_scenario_solves_again():
    from ecomanalysis.plan import make_plan
    from ecomanalysis.roster.shop import shop_rosters

    plan = make_plan(None, lang="en")
    first = shop_rosters(plan, seed=0, people=2, diagnose=False)  # shortfalls round-trip too
    assert cache.STATS[("write", "roster")] == 3 and cache.hits("roster") == 0
    # the same shop planned again (as a new report kernel would): equal inputs, the same key
    second = shop_rosters(make_plan(None, lang="en"), seed=0, people=2, diagnose=False)
    assert cache.hits("roster") == 3 and cache.STATS[("write", "roster")] == 3, "no second solve"
    for unit, r in first.rosters.items():
        again = second.rosters[unit]
        pd.testing.assert_frame_equal(r.assignments, again.assignments)
        pd.testing.assert_frame_equal(r.coverage, again.coverage)
        pd.testing.assert_frame_equal(r.shortfalls, again.shortfalls)
        assert (r.status, r.paid_hours, r.cost_wage_hours) == (again.status, again.paid_hours,
                                                               again.cost_wage_hours)
    assert first.rosters["presale"].status.startswith("short:")
    shop_rosters(plan, seed=1, people=2, diagnose=False)  # another seed is another roster
    assert cache.STATS[("write", "roster")] == 6
    scenario = shop_rosters(make_plan(None, orders_per_day=2 * plan.orders_per_day, lang="en"),
                            seed=0, people=2, diagnose=False)
    changed = [u for u, req in scenario.requirements.items() if not req.equals(first.requirements[u])]
    # pre-sale and the warehouse double; after-sale stays at the one agent per open interval
    assert changed == ["presale", "warehouse"]
    assert cache.STATS[("write", "roster")] == 8 and cache.hits("roster") == 4, \
        "a changed requirement is a new entry, an unchanged one a hit"


def test_changed_export_is_a_new_entry(tmp_path):
    sample = shop.load_sample_shop()
    orders = sample.file_path("orders")
    copy = tmp_path / "orders.csv"
    copy.write_bytes(orders.read_bytes())
    k1 = cache.shop_files_key((str(copy), None), None)
    assert k1 == cache.shop_files_key((str(orders), None), None), "same bytes, same key"
    copy.write_bytes(orders.read_bytes() + b"\n")
    assert cache.shop_files_key((str(copy), None), None) != k1
    assert cache.shop_files_key((str(orders), None), "taobao") != k1, "intake options are in the key"


SHOP_NB_PARAMS = 'shop_file: str = ""  # a shop profile\norders_per_day: float = 0.0  # scenario [0, 100000]'
SHOP_NB_BODY = '''from ecomanalysis.report import record
from ecomanalysis.shop import load_shop, shop_files
files = shop_files(load_shop(shop_file))
record("history_days", len(files["daily_orders"]))
record("scenario", orders_per_day)
'''


def shop_notebook(folder: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "ecomanalysis", "display_name": "Python (ecomanalysis)",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(SHOP_NB_PARAMS, metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell(SHOP_NB_BODY)]
    path = folder / "shop_files.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.mark.notebook
def test_second_report_of_a_shop_reads_its_exports_from_the_cache(tmp_path, monkeypatch):
    from ecomanalysis.report import run_notebook

    log = tmp_path / "cache.log"
    monkeypatch.setenv(cache.CACHE_LOG_ENV, str(log))
    nb = shop_notebook(tmp_path)
    params = {"shop_file": str(shop.sample_shop_path())}
    r1 = run_notebook(nb, {**params, "orders_per_day": 100.0}, reports_dir=tmp_path / "r", update_index=False)
    r2 = run_notebook(nb, {**params, "orders_per_day": 200.0}, reports_dir=tmp_path / "r", update_index=False)
    assert r1.ok and r2.ok, (r1.error, r2.error)
    events = [line.split()[:2] for line in log.read_text().splitlines()
              if line.split()[1] == "intake"]  # (the reference tables are cached too)
    assert events == [["miss", "intake"], ["write", "intake"], ["hit", "intake"]]
    assert r1.metrics["history_days"]["value"] == r2.metrics["history_days"]["value"] > 300


def test_reference_tables_and_the_country_calendar_come_from_the_cache(tmp_path):
    from ecomanalysis import catalog, config
    from ecomanalysis.errors import InputError
    from ecomanalysis.forecast import events

    first = catalog._load_validated("standards", config.DATA_DIR / "standards.csv")
    catalog._load_cached.cache_clear()
    catalog.load_table("standards")
    catalog._load_cached.cache_clear()  # a new kernel: only the disk cache remains
    again = catalog.load_table("standards")
    assert cache.hits("catalog") == 1 and cache.STATS[("write", "catalog")] == 1
    pd.testing.assert_frame_equal(first, again)
    # a table that fails its schema is never stored: its error comes on every load
    bad = tmp_path / "data"
    bad.mkdir()
    text = (config.DATA_DIR / "standards.csv").read_text(encoding="utf-8").splitlines()
    row = text[1].split(",")
    row[1] = "many"
    (bad / "standards.csv").write_text("\n".join([text[0], ",".join(row), *text[2:]]) + "\n",
                                       encoding="utf-8")
    for _ in range(2):
        catalog._load_cached.cache_clear()
        with pytest.raises(InputError, match="standards.csv row 2"):
            catalog.load_table("standards", data_dir=bad)
    assert cache.STATS[("write", "catalog")] == 1

    built = events._build_country_events("CN", str(config.DATA_DIR))
    for _ in range(2):
        events._country_events.cache_clear()
        cal = events.country_events("CN")
    assert cache.STATS[("write", "events")] == 1 and cache.hits("events") == 1
    pd.testing.assert_frame_equal(built, cal)


def test_the_simulated_check_of_a_plan_comes_from_the_cache():
    from ecomanalysis.plan import make_plan

    first = make_plan(None, lang="en", peak=False)
    again = make_plan(None, lang="en", peak=False)
    assert cache.STATS[("write", "simcheck")] == 1 and cache.hits("simcheck") == 1
    pd.testing.assert_frame_equal(first.cs, again.cs)
    assert {"cs_handle_time_cv", "cs_patience_s", "presale_aht_s"} <= again.std._used
    make_plan(None, lang="en", peak=False, cs_handle_time_cv=2.0)  # another spread: simulated anew
    assert cache.STATS[("write", "simcheck")] == 2
