"""The sample shop, its calibration tables and the real Tianchi example in data/examples."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ecomanalysis import config
from ecomanalysis.catalog import load_stages
from ecomanalysis.errors import InputError
from ecomanalysis.intake import (
    generate_sample_shop,
    load_calibration,
    read_chats,
    read_orders,
    sample_shop_paths,
    write_sample_shop,
)
from ecomanalysis.intake import make_examples as MX
from ecomanalysis.intake.sample import EVENTS, Calibration, stage_anchors

EXAMPLES = config.EXAMPLES_DIR


@pytest.fixture(scope="module")
def shop():
    return generate_sample_shop(days=365, seed=7)


def test_deterministic_with_the_seed():
    a = generate_sample_shop(days=40, seed=3)
    b = generate_sample_shop(days=40, seed=3)
    c = generate_sample_shop(days=40, seed=4)
    pd.testing.assert_frame_equal(a.orders, b.orders)
    pd.testing.assert_frame_equal(a.chats, b.chats)
    assert not a.orders["order_time"].equals(c.orders["order_time"])


def test_stage_means_fall_in_the_stage_ranges(shop):
    st = load_stages().set_index("stage_id")
    d = shop.daily[shop.daily["event"] == ""]
    by = d.groupby("stage_id")[["orders_paid", "visitors"]].mean()
    for sid in (3, 4):
        lo, hi = st.loc[sid, "daily_orders_min"], st.loc[sid, "daily_orders_max"]
        assert lo <= by.loc[sid, "orders_paid"] <= hi, (sid, by.loc[sid, "orders_paid"])
        lo, hi = st.loc[sid, "daily_visitors_min"], st.loc[sid, "daily_visitors_max"]
        assert lo <= by.loc[sid, "visitors"] <= hi, (sid, by.loc[sid, "visitors"])
    assert by.loc[1, "orders_paid"] < 10  # stage 1: a handful a day
    # the last week reaches stage 5's level (500-800 a day) on the eve of the first birthday
    assert shop.daily["expected_orders"].iloc[-7:].mean() == pytest.approx(
        st.loc[5, "daily_orders_min"], rel=0.15)


def test_event_days(shop):
    cal = Calibration.from_table(load_calibration())
    d = shop.daily.set_index("date")
    d11 = pd.Timestamp("2025-11-11")
    base = d.loc[d11 - pd.Timedelta(days=27): d11 - pd.Timedelta(days=6), "orders_paid"].mean()
    ratio = d.loc[d11, "orders_paid"] / base
    measured = load_calibration().set_index(["parameter", "key"]).loc[("event_ratio", "double11:+0")]
    assert measured["low"] * 0.85 <= ratio <= measured["high"] * 1.15
    assert d.loc[d11, "event"] == "double11" and d.loc[pd.Timestamp("2025-06-18"), "event"] == "618"
    assert cal.event_ratio["618"] == {0: 3.0}  # the assumption replaces the measured 618 rows
    # Double 11's midnight rush
    o = shop.orders[(shop.orders["order_time"].dt.normalize() == d11)]
    assert (o["order_time"].dt.hour == 0).mean() > 0.12


def test_hour_and_week_shapes_follow_the_calibration(shop):
    cal = Calibration.from_table(load_calibration())
    paid = shop.orders[shop.orders["status"] == "paid"]
    not_event = ~paid["order_time"].dt.strftime("%m-%d").isin(
        [f"{m:02d}-{d:02d}" for m, d in EVENTS.values()])
    hours = np.bincount(paid.loc[not_event, "order_time"].dt.hour, minlength=24)
    assert np.abs(hours / hours.sum() - cal.hour_buy).max() < 0.006
    assert cal.hour_buy.argmax() == 21
    chat_hours = np.bincount(shop.chats["start_time"].dt.hour, minlength=24)
    assert chat_hours.argmax() == cal.hour_pv.argmax() == 21


def test_chats_volume_channels_and_agents(shop):
    d = shop.daily
    cal = Calibration.from_table(load_calibration())
    assert d["presale_chats"].sum() == pytest.approx(d["visitors"].sum() * cal.scalar("inquiry_rate"),
                                                     rel=0.02)
    assert d["aftersale_contacts"].sum() == pytest.approx(
        d["orders_paid"].sum() * cal.scalar("after_sale_rate"), rel=0.05)
    c = shop.chats
    stage = d.set_index("date")["stage_id"].reindex(c["start_time"].dt.normalize()).to_numpy()
    assert set(c.loc[stage == 1, "agent"]) == {"owner"}
    assert all(a.startswith("cs") for a in c.loc[(stage == 2) | (stage == 3), "agent"])
    late = c[stage >= 4]
    assert all(late.loc[late["channel"] == "pre_sale", "agent"].str.startswith("pre"))
    assert all(late.loc[late["channel"] == "after_sale", "agent"].str.startswith("post"))
    assert c["duration_s"].mean() == pytest.approx(
        (cal.keyed["handle_s_mean"]["pre_sale"] * (c["channel"] == "pre_sale").mean()
         + cal.keyed["handle_s_mean"]["after_sale"] * (c["channel"] == "after_sale").mean()),
        rel=0.03)


def test_round_trip_through_the_intake(tmp_path):
    paths = write_sample_shop(tmp_path, days=60, seed=11)
    shop = generate_sample_shop(days=60, seed=11)
    o = read_orders(paths["orders"])
    assert o.report.preset == "generic"
    assert o.report.rows_kept == (shop.orders["status"] == "paid").sum()
    assert {d["value"] for d in o.report.dropped} == {"unpaid", "cancelled"}
    got = o.daily().set_index("date")["orders"]
    want = shop.daily.set_index("date")["orders_paid"]
    assert (got == want.reindex(got.index)).all() and got.sum() == want.sum()
    c = read_chats(paths["chats"])
    assert len(c) == len(shop.chats)
    conc = c.agent_concurrency()
    assert (conc["max_concurrent"] >= 1).all() and (conc["mean_concurrent"] >= 1).all()


def test_bundled_sample_shop_is_seed_7_and_small():
    paths = sample_shop_paths()
    for p in paths.values():
        assert p.exists(), f"{p} missing: run ecomanalysis sample --out data/shops/sample"
        assert p.stat().st_size < 5e6
    shop = generate_sample_shop(days=365, seed=7)
    bundled = pd.read_csv(paths["orders"])
    assert len(bundled) == len(shop.orders)
    assert bundled["order_id"].iloc[-1] == shop.orders["order_id"].iloc[-1]
    assert (bundled["order_time"] == shop.orders["order_time"].dt.strftime("%Y-%m-%d %H:%M:%S")).all()
    chats = pd.read_csv(paths["chats"])
    assert len(chats) == len(shop.chats)
    assert (chats["agent"] == shop.chats["agent"]).all()


def test_bad_sample_arguments():
    with pytest.raises(InputError, match="--days 0"):
        generate_sample_shop(days=0)
    with pytest.raises(InputError, match="--start 'soon'"):
        generate_sample_shop(days=5, start="soon")


# --------------------------------------------------------------------------- calibration tables
def test_calibration_rows_carry_unit_source_and_range():
    cal = load_calibration()
    assert cal["unit"].notna().all() and cal["source"].notna().all() and cal["how"].notna().all()
    a = cal[cal["table"] == "assumption"]
    assert (a["source"] == "assumption").all()
    assert ((a["low"] <= a["value"]) & (a["value"] <= a["high"])).all()
    for param in ("hour_share_buy", "hour_share_pv"):
        assert cal.loc[cal["parameter"] == param, "value"].sum() == pytest.approx(1.0, abs=1e-4)
    wd = cal[cal["parameter"] == "weekday_factor"]
    assert len(wd) == 7 and wd["value"].mean() == pytest.approx(1.0, abs=1e-3)


def test_stage_anchors_follow_stages_csv():
    cal = Calibration.from_table(load_calibration())
    a = stage_anchors(load_stages(), cal).set_index("stage_id")
    assert list(a.index) == [1, 3, 4, 5]  # stage 2 has no figures: interpolated
    assert a.loc[3, "orders_per_day"] == pytest.approx(np.sqrt(80 * 150))
    assert a.loc[4, "visitors_per_day"] == pytest.approx(np.sqrt(6000 * 10000))
    assert a.loc[5, "day"] == 365 and a.loc[5, "orders_per_day"] == 500
    conv4 = a.loc[4, "orders_per_day"] / a.loc[4, "visitors_per_day"]
    assert a.loc[5, "visitors_per_day"] == pytest.approx(500 / conv4)


def test_tianchi_daily_example():
    d = pd.read_csv(EXAMPLES / MX.DAILY_FILE, parse_dates=["date"])
    assert list(d.columns) == ["date", "purchases", "items"]
    assert d["date"].iloc[0] == pd.Timestamp("2012-07-02")
    assert d["date"].iloc[-1] == pd.Timestamp("2015-02-05")
    assert (d["date"].diff().dropna() == pd.Timedelta(days=1)).all()
    s = d.set_index("date")["purchases"]
    assert s.sum() == 29_971
    assert s.nlargest(5).index.strftime("%m-%d").isin(["11-11", "12-12"]).all()
    cal = load_calibration().set_index(["parameter", "key"])
    d11 = cal.loc[("event_ratio", "double11:+0")]
    assert (round(d11["low"], 1), round(d11["high"], 1)) == (6.3, 9.2)


def test_tianchi_intake_profile_matches_the_example():
    raw = config.REAL_DATA_DIR / MX.TIANCHI_FILE
    if not raw.exists():
        pytest.skip("real data not available")
    o = read_orders(raw, time_col="day")
    d = o.daily()
    example = pd.read_csv(EXAMPLES / MX.DAILY_FILE)
    assert d["orders"].tolist() == example["purchases"].tolist()
    top = o.peak_days(3)
    assert top["date"].dt.strftime("%Y-%m-%d").tolist() == ["2014-11-11", "2013-11-11", "2014-12-12"]


def test_make_examples_reproduces_the_committed_files(tmp_path):
    if not (config.REAL_DATA_DIR / MX.TIANCHI_FILE).exists():
        pytest.skip("real data not available")
    assert MX.main(["--out", str(tmp_path)]) == 0
    for name in (MX.DAILY_FILE, MX.MEASURED_FILE):
        assert (tmp_path / name).read_text(encoding="utf-8") == (EXAMPLES / name).read_text(
            encoding="utf-8"), f"{name} differs: rerun python -m ecomanalysis.intake.make_examples"
