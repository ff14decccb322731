"""Workload model: reference tables, standards, drivers, queues per interval, warehouse."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ecomanalysis import catalog, staffing, workload
from ecomanalysis.errors import InputError


@pytest.fixture(scope="module")
def std():
    return workload.resolve_standards()


# --------------------------------------------------------------------------- reference tables
def test_every_role_has_a_driver_or_is_explicitly_fixed():
    roles = catalog.load_roles()
    rm = workload.load_role_models().set_index("role_id")
    assert set(rm.index) == set(roles["role_id"])
    assert rm["model"].isin(workload.ROLE_MODELS).all()
    st = catalog.load_standards().set_index("standard_id")
    driven = set(workload.role_hours(workload.drivers([10], workload.resolve_standards()),
                                     workload.resolve_standards()).columns)
    for role, r in rm.iterrows():
        if r["model"] in ("queue", "workload"):
            assert role in driven, f"{role} has no workload formula"
        elif r["model"] == "fixed":
            assert f"appears_at_orders_{role}" in st.index, f"fixed role {role} has no threshold"
        elif r["model"] == "span":
            assert catalog.split_list(r["supervises"])
            spans = st[st["category"] == "span"]["role_ids"].map(catalog.split_list)
            assert any(role in ids for ids in spans), f"{role} has no span standard"
        elif r["model"] == "covered":
            targets = catalog.split_list(r["covered_by"])
            assert targets and all(rm.at[t, "model"] in workload.STAFFED_MODELS for t in targets)
        else:
            assert r["model"] == "outside" and isinstance(r["note_en"], str)


def test_every_standard_has_unit_and_source(std):
    t = catalog.load_standards()
    assert t["unit"].str.strip().str.len().gt(0).all()
    src = t["source"].str.strip()
    assert src.str.len().gt(10).all()
    assumption = src.str.startswith("assumption:")
    # published rows name where the figure comes from
    published = t[~assumption]
    assert published["source"].str.contains(
        r"seed 00|issue 5|36Kr|JD|NBS|Labour Law|Labour Contract Law|State Council|MOHRSS|benchmark",
        regex=True).all()
    assert ((t["low"] <= t["value"]) & (t["value"] <= t["high"])).all()
    # the figures the issue quotes
    s = t.set_index("standard_id")
    assert s.at["return_rate_womens_apparel", "low"] == 0.5 and s.at["return_rate_womens_apparel", "high"] == 0.6
    assert "36Kr" in s.at["return_rate_womens_apparel", "source"]
    assert s.at["cs_answer_within_s", "value"] == 30 and s.at["cs_service_level_target", "value"] == 0.8
    assert (s.at["packing_orders_per_hour", "low"], s.at["packing_orders_per_hour", "high"]) == (25, 30)
    assert (s.at["aftersale_aht_s", "low"], s.at["aftersale_aht_s", "high"]) == (210, 330)
    assert "68,340" in s.at["wage_visual_design_tier2_cny_month", "source"]
    for sid in ("presale_inquiry_rate", "inquiry_order_conversion", "presale_concurrency",
                "aftersale_contacts_per_order"):
        assert s.at[sid, "source"].startswith("assumption:"), sid
        assert s.at[sid, "high"] >= 2 * s.at[sid, "low"], f"{sid}: expected a wide range"


def test_wage_bands_cover_every_group_and_tier():
    w = workload.wage_table()
    rm = workload.load_role_models()
    groups = set(rm.loc[rm["model"].isin(workload.STAFFED_MODELS) & (rm["role_id"] != "owner"), "group_id"])
    for g in groups:
        tiers = set(w.loc[w["group_id"] == g, "city_tier"])
        assert tiers == set(workload.CITY_TIERS), g
    cs = w[w["group_id"] == "customer_service"].set_index("city_tier")["value"]
    assert cs["tier1"] > cs["tier2"] > cs["tier3"]


def test_every_model_standard_is_used(tmp_path):
    """No dead rows: every standard of the model's categories is read by the model."""
    from ecomanalysis.shop import load_shop

    shop = load_shop(_shop_with_files(tmp_path))
    std = staffing.standards(shop)
    std._used.clear()
    staffing.requirements([0, 250], std=std)
    staffing.labour_cost(None, std=std, req=staffing.requirements([250], std=std))
    workload.series_drivers(pd.Series([1.0, 2.0], index=pd.date_range("2024-01-01", periods=2)), std)
    staffing.standards(shop)  # reads recent_days_for_level
    t = std.table
    needed = set(t.index[t["category"].isin(workload.MODEL_CATEGORIES)])
    needed -= {f"return_rate_{c}" for c in workload.categories() if c != std.category}
    needed -= {i for i in needed if i.startswith("wage_") and f"_{std.city_tier}_" not in i}
    needed -= {"recent_days_for_level"}  # read in staffing.standards on a fresh object
    assert needed <= std._used, sorted(needed - std._used)


def _shop_with_files(tmp_path):
    """A shop with a week of orders and chats (both channels)."""
    t = pd.date_range("2024-03-01 10:00", periods=7 * 24, freq="h")
    pd.DataFrame({"order_id": [f"o{i}" for i in range(len(t))], "order_time": t.astype(str),
                  "amount": 99.0, "status": "paid"}).to_csv(tmp_path / "orders.csv", index=False)
    pd.DataFrame({"session_id": [f"s{i}" for i in range(len(t))], "start_time": t.astype(str),
                  "duration_s": 200, "agent": "a1",
                  "channel": np.where(np.arange(len(t)) % 4, "pre_sale", "after_sale")}).to_csv(
        tmp_path / "chats.csv", index=False)
    path = tmp_path / "shop.yaml"
    path.write_text("name: files\nfiles: {orders: orders.csv, chats: chats.csv}\n", encoding="utf-8")
    return path


# --------------------------------------------------------------------------- standards and overrides
def test_check_overrides_messages():
    assert workload.check_overrides({"presale_aht_s": "200"}) == {"presale_aht_s": 200.0}
    cases = {
        "presale_ahts": "unknown standard 'presale_ahts' (did you mean 'presale_aht_s'?)",
        "conversion_rate": "expected a rate between 0 and 1",
        "presale_concurrency": "expected a whole number >= 1",
        "packing_orders_per_hour": "expected a number >= 0",
        "cs_open_hour": "expected an hour of day between 0 and 24",
    }
    values = {"presale_ahts": 1, "conversion_rate": 1.2, "presale_concurrency": 2.5,
              "packing_orders_per_hour": -1, "cs_open_hour": 25}
    with pytest.raises(InputError) as exc:
        workload.check_overrides(values, where="--set")
    assert len(exc.value.problems) == len(cases)
    for key, text in cases.items():
        assert any(p.startswith(f"--set {key}") and text in p for p in exc.value.problems), key
    with pytest.raises(InputError, match="expected a number"):
        workload.check_overrides({"presale_aht_s": "fast"})
    with pytest.raises(InputError, match="expected a number"):
        workload.check_overrides({"presale_aht_s": True})


def test_inconsistent_standards_are_rejected(std):
    with pytest.raises(InputError, match="cs_open_hour"):
        std.with_overrides(cs_open_hour=20, cs_close_hour=18)
    with pytest.raises(InputError, match="shipping_cutoff_hour"):
        std.with_overrides(shipping_cutoff_hour=19)
    with pytest.raises(InputError, match="planning_interval_s"):
        std.with_overrides(planning_interval_s=1000)
    with pytest.raises(InputError, match="category"):
        workload.resolve_standards(category="shoes")
    with pytest.raises(InputError, match="city_tier"):
        workload.resolve_standards(city_tier="tier9")


def test_with_overrides_marks_overridden(std):
    s2 = std.with_overrides(presale_aht_s=200)
    assert s2["presale_aht_s"] == 200 and std["presale_aht_s"] == 240
    assert s2.overridden == {"presale_aht_s"}


# --------------------------------------------------------------------------- drivers
def test_drivers_values(std):
    d = workload.drivers([0, 250], std).iloc[1]
    assert d["visitors"] == pytest.approx(250 / 0.045)
    assert d["presale_chats"] == pytest.approx(250 / 0.045 * 0.05)
    assert d["returns"] == pytest.approx(25.0)  # general category, 10 %
    assert d["aftersale_contacts"] == pytest.approx(250 * 0.1 + 25 * 0.5)
    assert d["revenue_cny"] == pytest.approx(25000)
    assert d["skus"] == pytest.approx(125) and d["listings_per_month"] == pytest.approx(18.75)
    zero = workload.drivers([0], std).iloc[0]
    assert (zero[list(workload.DRIVER_COLUMNS)] == 0).all()


def test_category_changes_returns():
    apparel = workload.drivers([100], workload.resolve_standards(category="womens_apparel"))
    beauty = workload.drivers([100], workload.resolve_standards(category="beauty"))
    assert apparel["returns"].iloc[0] == pytest.approx(55) and beauty["returns"].iloc[0] == pytest.approx(3)


def test_negative_orders_rejected(std):
    with pytest.raises(InputError, match=">= 0"):
        workload.drivers([10, -1], std)
    with pytest.raises(InputError):
        workload.drivers([np.nan], std)
    with pytest.raises(InputError, match="'abc'"):
        workload.drivers("abc", std)


def test_series_lags_after_sale_and_returns(std):
    idx = pd.date_range("2024-11-01", periods=16)
    orders = pd.Series([100.0] * 5 + [400.0] + [100.0] * 10, index=idx)
    d = workload.series_drivers(orders, std)
    base = 100 * 0.1 + 100 * 0.1 * 0.5
    peak_contacts = 400 * 0.1 + 400 * 0.1 * 0.5
    lag = int(std["delivery_days"])
    assert d["aftersale_contacts"].iloc[5 + lag] == pytest.approx(peak_contacts)
    assert d["aftersale_contacts"].iloc[5] == pytest.approx(base)
    assert d["returns"].iloc[5 + int(std["return_lag_days"])] == pytest.approx(40)
    # shipments: orders paid after the cut-off ship the next day; the total is preserved
    assert d["shipments"].iloc[5] < 400 and d["shipments"].iloc[6] > 100
    assert d["shipments"].iloc[5] + d["shipments"].iloc[6] == pytest.approx(500)
    # steady series = steady level
    flat = workload.series_drivers(pd.Series([250.0] * 10, index=pd.date_range("2024-01-01", periods=10)), std)
    steady = workload.drivers([250], std).iloc[0]
    for c in workload.DRIVER_COLUMNS:
        assert np.allclose(flat[c], steady[c]), c


# --------------------------------------------------------------------------- intraday
@pytest.mark.parametrize("interval", [900, 1800, 3600, 7200])
def test_interval_shares_sum_to_one(std, interval):
    s = std.with_overrides(planning_interval_s=interval)
    for kind in ("orders", "presale", "aftersale"):
        shares = workload.interval_shares(s, kind)
        assert len(shares) == 86400 // interval
        assert shares.sum() == pytest.approx(1.0)


def test_queue_volumes_keep_every_chat(std):
    open_vol, backlog = workload.queue_volumes(np.array([100.0, 300.0]), std, "presale")
    assert np.allclose(open_vol.sum(axis=1) + backlog, [100, 300])
    mask = workload._open_mask(std)
    assert (open_vol[:, ~mask] == 0).all()
    assert mask.sum() == (24 - 9) * 2  # 09:00-24:00 in 30-minute intervals


def test_cs_intervals_meet_the_target(std):
    cs = workload.cs_intervals([250], std)
    busy = cs[cs["volume"] > 0]
    assert (busy["service_level"] >= std["cs_service_level_target"] - 1e-9).all()
    assert (busy["occupancy"] <= std["cs_max_occupancy"] + 1e-9).all()
    assert (cs.loc[~cs["open"], "agents"] == 0).all()
    # the first agent counts only while handling chats; extra agents count in full
    one = busy[(busy["agents"] == 1) & (busy["deferred"] == 0)]
    assert (one["hours"] <= 0.5 + 1e-9).all()
    assert cs["deferred"].sum() > 0


def test_concurrency_lowers_agents(std):
    solo = workload.cs_intervals([500], std.with_overrides(presale_concurrency=1))
    multi = workload.cs_intervals([500], std.with_overrides(presale_concurrency=3))
    p = lambda df: df.loc[df["queue"] == "presale", "agents"].sum()  # noqa: E731
    assert p(multi) < p(solo)


# --------------------------------------------------------------------------- warehouse
def test_warehouse_hours_from_throughput(std):
    d = workload.drivers([275], std)
    h = workload.role_hours(d, std)["warehouse_keeper"].iloc[0] / std["shop_open_days_per_month"]
    expected = (275 / 27.5 + 27.5 * 5 / 60) / (1 - 0.15)
    assert h == pytest.approx(expected)


def test_short_packing_window_needs_more_people(std):
    d = workload.drivers([275], std)
    # courier at 13:00 after a 9:00 start: 4 hours to pack the whole day's shipment, so the
    # packers on duty (each paid a full day) outweigh the hours of work
    short = std.with_overrides(shipping_cutoff_hour=12, courier_pickup_hour=13)
    h = workload.role_hours(d, short)["warehouse_keeper"].iloc[0] / std["shop_open_days_per_month"]
    assert h == pytest.approx(275 / 27.5 / 4 * 8)
    base = workload.role_hours(d, std)["warehouse_keeper"].iloc[0]
    assert h * std["shop_open_days_per_month"] > base


def test_dedicated_headcount_rule(std):
    fte = np.array([0.0, 0.49, 0.5, 1.0, 1.1, 1.11, 2.5])
    assert workload.dedicated_headcount(fte, std).tolist() == [0, 0, 1, 1, 1, 2, 3]


def test_fte_uses_role_shrinkage(std):
    cs = workload.fte_from_hours(np.array([100.0]), std, "presale_cs")[0]
    other = workload.fte_from_hours(np.array([100.0]), std, "designer")[0]
    assert cs == pytest.approx(100 / (8 * 21.75 * 0.7))
    assert other == pytest.approx(100 / (8 * 21.75 * 0.85))


def test_interval_labels_follow_the_planning_interval():
    half = workload.interval_labels(staffing.standards(planning_interval_s=1800))
    assert len(half) == 48 and half[:3] == ["00:00", "00:30", "01:00"] and half[-1] == "23:30"
    hour = workload.interval_labels(staffing.standards(planning_interval_s=3600))
    assert hour == [f"{h:02d}:00" for h in range(24)]
