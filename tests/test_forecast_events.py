"""ecomanalysis.forecast.events: Spring Festival dates, the event calendar, user campaigns."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ecomanalysis import config
from ecomanalysis.errors import InputError
from ecomanalysis.forecast import events as ev

TIANCHI_DAILY = config.EXAMPLES_DIR / "tianchi_mum_baby_daily.csv"


# --------------------------------------------------------------------------- Spring Festival
@pytest.mark.parametrize("day", ["2013-02-10", "2014-01-31", "2015-02-19", "2024-02-10",
                                 "2025-01-29", "2026-02-17"])
def test_known_spring_festival_dates(day):
    sf = ev.spring_festival_dates()
    d = pd.Timestamp(day)
    assert sf.loc[d.year] == d


def test_spring_festival_dates_are_lunar():
    sf = ev.spring_festival_dates((2012, 2035))
    assert list(sf.index) == list(range(2012, 2036))
    # the festival always falls between 21 January and 20 February
    md = sf.dt.month * 100 + sf.dt.day
    assert md.between(121, 220).all()
    # a lunar year has 12 months (353-355 days) or 13 (383-385 days)
    gaps = sf.diff().dt.days.dropna()
    assert gaps.isin([353, 354, 355, 383, 384, 385]).all()


# --------------------------------------------------------------------------- defaults
def test_default_calendar_values_and_sources():
    t = ev.load_events("cn").set_index("event_id")
    assert list(t.index) == ["double11", "double12", "sale_618", "womens_day_38",
                             "spring_festival", "nianhuo_jie"]
    d11 = t.loc["double11"]
    assert (d11["uplift"], d11["uplift_low"], d11["uplift_high"]) == (7.6, 6.3, 9.2)
    assert d11["month_day"] == "11-11" and d11["presale_days"] > 0
    assert t.loc["spring_festival", "rule"] == "spring_festival"
    assert t.loc["spring_festival", "uplift"] < 1  # a dip
    assert (t["unit"] == ev.UPLIFT_UNIT).all()
    assert (t["uplift_low"] <= t["uplift"]).all() and (t["uplift"] <= t["uplift_high"]).all()
    assert t["source"].str.len().gt(40).all()
    assert ev.load_events("none").empty


@pytest.mark.skipif(not TIANCHI_DAILY.exists(),
                    reason=f"{TIANCHI_DAILY.name} not in data/examples (built by "
                           "python -m ecomanalysis.intake.make_examples)")
def test_default_uplifts_match_the_tianchi_series():
    d = pd.read_csv(TIANCHI_DAILY, parse_dates=["date"]).set_index("date")["purchases"]
    t = ev.load_events("cn").set_index("event_id")
    for event_id, years in (("double11", (2012, 2013, 2014)), ("double12", (2012, 2013, 2014))):
        md = t.loc[event_id, "month_day"]
        r = ev.measure_uplift(d, [f"{y}-{md}" for y in years]).to_numpy()
        low, mid, high = t.loc[event_id, ["uplift_low", "uplift", "uplift_high"]]
        assert r.min() == pytest.approx(low, abs=0.05)
        assert np.median(r) == pytest.approx(mid, abs=0.05)
        assert r.max() == pytest.approx(high, abs=0.05)


def test_measure_uplift_on_a_made_up_series():
    s = pd.Series(10.0, index=pd.date_range("2024-09-01", "2024-12-31"))
    s["2024-11-11"] = 70.0
    s["2024-11-12"] = 30.0
    r = ev.measure_uplift(s, ["2024-11-11", "2024-09-05"])
    assert r.iloc[0] == pytest.approx(7.0)
    assert np.isnan(r.iloc[1])  # baseline before the series
    assert ev.measure_uplift(s, ["2024-11-11"], days_after=1).iloc[0] == pytest.approx(5.0)


# --------------------------------------------------------------------------- weights
def test_double11_core_and_presale_ramp():
    t = ev.load_events("cn")
    w = ev.event_matrix(t, pd.date_range("2024-10-15", "2024-11-15"))
    p = int(t.set_index("event_id").loc["double11", "presale_days"])
    assert w.loc["2024-11-11", "double11"] == 1.0
    assert w["double11"].sum() == 1.0
    first = pd.Timestamp("2024-11-11") - pd.Timedelta(days=p)
    assert w.loc[first, "double11_presale"] == pytest.approx(1 / p)
    assert w.loc["2024-11-10", "double11_presale"] == 1.0
    assert w.loc[first - pd.Timedelta(days=1), "double11_presale"] == 0.0
    assert w.loc["2024-11-11", "double11_presale"] == 0.0
    assert np.all(np.diff(w.loc[first:"2024-11-10", "double11_presale"]) > 0)


def test_spring_festival_triangle():
    t = ev.load_events("cn")
    row = t.set_index("event_id").loc["spring_festival"]
    b, a = int(row["days_before"]), int(row["days_after"])
    day = pd.Timestamp("2014-01-31")
    w = ev.event_matrix(t, pd.date_range("2013-12-01", "2014-03-31"))["spring_festival"]
    assert w[day] == 1.0
    assert w[day - pd.Timedelta(days=7)] == pytest.approx(1 - 7 / (b + 1))
    assert w[day + pd.Timedelta(days=3)] == pytest.approx(1 - 3 / (a + 1))
    assert w[day - pd.Timedelta(days=b + 1)] == 0.0
    assert w[day + pd.Timedelta(days=a + 1)] == 0.0
    assert (w > 0).sum() == b + a + 1


def test_days_outside_the_spring_festival_table_are_reported():
    lo, hi = ev.calendar_years()
    w = ev.event_matrix(ev.load_events("cn"), pd.date_range(f"{hi}-12-30", f"{hi + 1}-01-02"))
    assert f"{hi + 1}-01-01" in w.attrs["messages"][0]
    assert f"{lo}-{hi}" in w.attrs["messages"][0]


def test_dated_campaigns_share_an_id_and_labels_join():
    t = ev.load_events(pd.DataFrame({
        "event_id": ["anniv", "anniv", "flash"],
        "start": ["2024-03-01", "2025-03-01", "2024-03-02"],
        "end": ["2024-03-03", "", ""],
        "uplift": [2.0, 2.0, 1.5],
    }))
    w = ev.event_matrix(t, pd.date_range("2024-02-28", "2025-03-02"))
    assert list(w.columns) == ["anniv", "flash"]
    assert w["anniv"].sum() == 4  # 3 days in 2024, 1 in 2025
    labels = ev.event_labels(w)
    assert labels["2024-03-02"] == "anniv;flash"
    assert labels["2024-03-04"] == ""
    assert labels["2025-03-01"] == "anniv"


def test_later_source_overrides_an_event(tmp_path):
    p = tmp_path / "mine.csv"
    p.write_text("event_id,month_day,uplift,uplift_low,uplift_high\n"
                 "double11,11-11,3,2,4\nshop_day,05-20,1.8,,\n", encoding="utf-8")
    t = ev.load_events(["cn", p]).set_index("event_id")
    assert t.loc["double11", "uplift"] == 3.0 and t.loc["double11", "presale_days"] == 0
    assert t.loc["shop_day", "uplift_low"] == 1.8 == t.loc["shop_day", "uplift_high"]
    assert "spring_festival" in t.index and len(t) == 7


# --------------------------------------------------------------------------- bad tables
def test_unknown_column_names_it_and_the_allowed_ones(tmp_path):
    p = tmp_path / "campaigns.csv"
    p.write_text("event_id,start,uplift,colour\nsale,2024-05-01,2,red\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        ev.load_events(p)
    msg = str(exc.value)
    assert "'colour'" in msg and "campaigns.csv" in msg
    assert "allowed columns: event_id, name_zh" in msg and "presale_uplift_high" in msg


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ({"event_id": ["x"], "month_day": ["13-01"]}, "row 2: column 'month_day' has '13-01'"),
        ({"event_id": ["x"], "month_day": ["02-29"]}, "not 02-29"),
        ({"event_id": ["x"], "rule": ["lunar"], "month_day": ["01-01"]}, "column 'rule'"),
        ({"event_id": ["x"], "start": ["2024-13-01"]}, "column 'start' has '2024-13-01'"),
        ({"event_id": ["x"], "start": ["2024-05-02"], "end": ["2024-05-01"]},
         "on or after start"),
        ({"event_id": ["x"], "month_day": ["05-01"], "days_before": ["-1"]},
         "column 'days_before'"),
        ({"event_id": ["x"], "month_day": ["05-01"], "shape": ["round"]}, "flat | triangle"),
        ({"event_id": ["x"], "month_day": ["05-01"], "uplift": ["2"], "uplift_low": ["3"]},
         "a value <= uplift"),
        ({"event_id": ["x"], "month_day": ["05-01"], "uplift": ["-2"]}, "a positive number"),
        ({"event_id": ["x"], "month_day": ["05-01"], "uplift_high": ["3"]},
         "a value when uplift_low / uplift_high"),
        ({"event_id": ["x", "x"], "month_day": ["05-01", "06-01"]}, "an id used once"),
        ({"event_id": ["x_presale"], "month_day": ["05-01"]}, "does not end in '_presale'"),
        ({"event_id": [""], "month_day": ["05-01"]}, "non-empty id"),
        ({"event_id": ["x"], "month_day": ["05-01"], "unit": ["orders"]}, "x baseline day"),
    ],
)
def test_bad_rows_name_row_column_and_value(rows, expected):
    with pytest.raises(InputError, match=expected.replace("|", r"\|").replace("(", r"\(")):
        ev.load_events(pd.DataFrame(rows))


def test_every_problem_is_listed():
    with pytest.raises(InputError) as exc:
        ev.load_events(pd.DataFrame({"event_id": ["a", "b"], "month_day": ["99-99", "11-31"]}))
    assert len(exc.value.problems) == 2
    assert "row 2" in exc.value.problems[0] and "row 3" in exc.value.problems[1]


def test_missing_events_file(tmp_path):
    with pytest.raises(InputError, match="not found"):
        ev.load_events(tmp_path / "nope.csv")


# --------------------------------------------------------------------------- markets
@pytest.mark.parametrize(("market", "event", "day"), [
    ("global", "black_friday", "2024-11-29"), ("global", "cyber_monday", "2024-12-02"),
    ("global", "black_friday", "2025-11-28"), ("br", "black_friday_br", "2023-11-24"),
    ("br", "dia_das_maes", "2024-05-12"), ("sea", "sale_11_11", "2024-11-11"),
    ("cn", "nianhuo_jie", "2024-01-21"),  # 春节 2024-02-10 minus 20 days
])
def test_market_calendars_place_their_events(market, event, day):
    t = ev.load_events(market)
    w = ev.event_matrix(t, pd.date_range("2023-01-01", "2025-12-31"))
    assert w.loc[day, event] == 1.0
    assert (t["source"].str.len() > 30).all()
    assert (t["uplift_low"] <= t["uplift"]).all() and (t["uplift"] <= t["uplift_high"]).all()


def test_country_adds_public_holidays_and_leaves_covered_days_to_the_events():
    us = ev.load_events("US")
    ids = set(us["event_id"])
    assert {"black_friday", "cyber_monday", "ph_us_thanksgiving_day",
            "ph_us_independence_day"} <= ids
    assert "ph_us_christmas_day" not in ids  # inside the christmas event's core window
    cn = ev.load_events("CN")
    assert "ph_cn_national_day" in set(cn["event_id"])
    assert not cn["event_id"].str.contains("chinese_new_year").any()  # the spring_festival event
    w = ev.event_matrix(cn, pd.date_range("2024-09-25", "2024-10-10"))
    assert w.loc["2024-10-01", "ph_cn_national_day"] == 1.0
    br = ev.load_events("BR")
    assert "black_friday_br" in set(br["event_id"]) and "double11" not in set(br["event_id"])


def test_country_and_market_errors():
    with pytest.raises(InputError, match="country 'XX'"):
        ev.load_events("XX")
    with pytest.raises(InputError, match="lower case"):
        ev.load_events("Global")
    assert ev.calendar_for(["us", "BR"], "x.csv") == ["US", "BR", "x.csv"]
    with pytest.raises(InputError, match="ISO 3166"):
        ev.calendar_for(["USA"])


def test_nth_weekday_validation():
    with pytest.raises(InputError, match="11-thu-4"):
        ev.load_events(pd.DataFrame({"event_id": ["x"], "rule": ["nth_weekday"],
                                     "month_day": ["11-thursday-4"]}))
    with pytest.raises(InputError, match="offset_days"):
        ev.load_events(pd.DataFrame({"event_id": ["x"], "month_day": ["11-11"],
                                     "offset_days": ["1.5"]}))
