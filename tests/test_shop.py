"""ShopProfile: the bundled sample, YAML validation messages, files relative to the YAML."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
import pytest

from ecomanalysis import shop as S
from ecomanalysis.errors import InputError


def write(tmp_path, text: str, name: str = "shop.yaml"):
    p = tmp_path / name
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


def problems(tmp_path, text: str) -> list[str]:
    with pytest.raises(InputError) as exc:
        S.load_shop(write(tmp_path, text))
    return exc.value.problems


def test_sample_shop_loads():
    shop = S.load_sample_shop()
    assert shop.category == "womens_apparel"
    assert shop.city_tier == "tier2"
    assert shop.stated_orders_per_day() is None  # the level comes from its order file
    assert shop.file_path("orders").exists() and shop.file_path("chats").exists()
    over = shop.standard_overrides()
    assert over["conversion_rate"] == 0.045
    assert over["average_order_value_cny"] == 120
    assert (over["cs_open_hour"], over["cs_close_hour"]) == (9.0, 24.0)
    assert shop.team["warehouse_keeper"] == 2


def test_sample_shop_level_from_files():
    shop = S.load_sample_shop()
    orders, basis = S.current_orders_per_day(shop, 28)
    daily = S.shop_files(shop)["daily_orders"]
    assert orders == pytest.approx(float(daily.iloc[-28:].median()))
    assert 200 < orders < 800 and "median" in basis
    assert daily.iloc[-28:].max() > 2 * orders  # a peak day (Double 12) in the window ...
    rates = S.measured_rates(shop, 28)  # ... does not move the level
    assert rates["presale_per_order"] > 0 and rates["aftersale_per_order"] > 0


def test_minimal_profile_defaults(tmp_path):
    shop = S.load_shop(write(tmp_path, "name: tiny\ndaily_orders: 12\n"))
    assert (shop.platform, shop.category, shop.city_tier) == ("taobao", "general", "tier2")
    assert shop.stated_orders_per_day() == 12
    assert shop.standard_overrides() == {}


def test_orders_from_visitors_or_given_conversion(tmp_path):
    shop = S.load_shop(write(tmp_path, "name: a\ndaily_visitors: 2000\ndaily_orders: 90\n"))
    assert shop.standard_overrides()["conversion_rate"] == pytest.approx(0.045)
    msgs = problems(tmp_path, "name: a\ndaily_visitors: 2000\nconversion: 0.04\ndaily_orders: 200\n")
    assert any("give two of the three" in m for m in msgs)


def test_unknown_key_names_key_and_allowed(tmp_path):
    msgs = problems(tmp_path, "name: a\ncolour: red\n")
    assert len(msgs) == 1
    assert "unknown key 'colour'" in msgs[0] and "city_tier" in msgs[0] and "shop.yaml" in msgs[0]


def test_choices_and_ranges(tmp_path):
    msgs = problems(tmp_path, """\
        name: a
        city_tier: tier4
        conversion: 1.5
        daily_orders: -5
        category: womens_aparel
        """)
    text = "\n".join(msgs)
    assert "key 'city_tier' has 'tier4'; expected one of 'tier1', 'tier2' or 'tier3'" in text
    assert "key 'conversion' has 1.5; expected a rate between 0 and 1" in text
    assert "key 'daily_orders' has -5; expected a number >= 0" in text
    assert "did you mean 'womens_apparel'?" in text and "beauty" in text
    assert len(msgs) == 4


def test_yaml_type_error(tmp_path):
    msgs = problems(tmp_path, "name: a\ndaily_orders: lots\nteam: {owner: two}\nstandards: [1, 2]\n")
    text = "\n".join(msgs)
    assert "key 'daily_orders' has 'lots'; expected a number" in text
    assert "key 'team.owner' has 'two'; expected a whole number" in text
    assert "key 'standards'" in text


def test_boolean_is_not_a_number(tmp_path):
    msgs = problems(tmp_path, "name: a\ndaily_orders: true\n")
    assert "expected a number" in msgs[0]


def test_unknown_role_and_standard(tmp_path):
    msgs = problems(tmp_path, """\
        name: a
        team: {warehouse_keper: 1}
        standards: {presale_aht: 3, cs_shrinkage: 1.4, presale_concurrency: 2.5}
        """)
    text = "\n".join(msgs)
    assert "key 'team.warehouse_keper' is not a role (did you mean 'warehouse_keeper'?)" in text
    assert "key 'standards.presale_aht': unknown standard" in text and "presale_aht_s" in text
    assert "key 'standards.cs_shrinkage' has 1.4; expected a rate between 0 and 1" in text
    assert "key 'standards.presale_concurrency' has 2.5; expected a whole number" in text


def test_opening_hours(tmp_path):
    shop = S.load_shop(write(tmp_path, "name: a\nopening_hours: '08:30-22:00'\n"))
    assert shop.open_close_hours == (8.5, 22.0)
    msgs = problems(tmp_path, "name: a\nopening_hours: '22:00-08:00'\n")
    assert "key 'opening_hours'" in msgs[0] and "09:00-24:00" in msgs[0]
    msgs = problems(tmp_path, "name: a\nopening_hours: nine to five\n")
    assert "HH:MM-HH:MM" in msgs[0]


def test_yaml_syntax_error_has_line(tmp_path):
    msgs = problems(tmp_path, "name: a\ndaily_orders: [1, 2\n")
    assert msgs[0].startswith("shop.yaml line 3")
    assert "not valid YAML" in msgs[0]


def test_top_level_must_be_mapping_and_file_exists(tmp_path):
    assert "mapping" in problems(tmp_path, "- a\n- b\n")[0]
    assert "empty" in problems(tmp_path, "")[0]
    assert "name" in problems(tmp_path, "daily_orders: 3\n")[0]
    with pytest.raises(InputError, match="not found"):
        S.load_shop(tmp_path / "absent.yaml")


def test_yaml_is_loaded_safely(tmp_path):
    msgs = problems(tmp_path, "name: !!python/object/apply:os.system ['echo hi']\n")
    assert "not valid YAML" in msgs[0]


def test_missing_file_is_named(tmp_path):
    msgs = problems(tmp_path, "name: a\nfiles: {orders: nope.csv}\n")
    assert "key 'files.orders' is 'nope.csv'" in msgs[0]


def _files(tmp_path, days: int = 35, orders_per_day: int = 20):
    rng = np.random.default_rng(5)
    dates = pd.date_range("2024-03-01", periods=days, freq="D")
    rows, chats = [], []
    for d in dates:
        for _ in range(orders_per_day):
            h = int(rng.choice([10, 14, 21]))
            t = d + pd.Timedelta(hours=h, minutes=int(rng.integers(60)))
            rows.append((f"o{len(rows)}", t.strftime("%Y-%m-%d %H:%M:%S"), 99.0, "paid"))
        for i in range(30):
            t = d + pd.Timedelta(hours=20, minutes=i)
            chats.append((f"s{len(chats)}", t.strftime("%Y-%m-%d %H:%M:%S"), 200, "a1", "pre_sale"))
        for i in range(4):
            t = d + pd.Timedelta(hours=11, minutes=i)
            chats.append((f"s{len(chats)}", t.strftime("%Y-%m-%d %H:%M:%S"), 300, "a2", "after_sale"))
    sub = tmp_path / "exports"
    sub.mkdir()
    pd.DataFrame(rows, columns=["order_id", "order_time", "amount", "status"]).to_csv(
        sub / "orders.csv", index=False)
    pd.DataFrame(chats, columns=["session_id", "start_time", "duration_s", "agent", "channel"]).to_csv(
        sub / "chats.csv", index=False)
    return write(tmp_path, "name: with files\nfiles: {orders: exports/orders.csv, chats: exports/chats.csv}\n")


def test_files_relative_to_yaml(tmp_path):
    pytest.importorskip("duckdb")
    path = _files(tmp_path)
    shop = S.load_shop(path)
    assert shop.file_path("orders") == (tmp_path / "exports" / "orders.csv").resolve()
    orders, basis = S.current_orders_per_day(shop, 28)
    assert orders == pytest.approx(20.0)
    assert "median" in basis
    assert basis.startswith("orders file")
    shares = S.measured_hour_shares(shop)
    assert shares["presale"][20] == pytest.approx(1.0)
    assert shares["aftersale"][11] == pytest.approx(1.0)
    assert shares["orders"][[10, 14, 21]].sum() == pytest.approx(1.0)
    rates = S.measured_rates(shop, 28)
    assert rates["presale_per_order"] == pytest.approx(1.5)
    assert rates["aftersale_per_order"] == pytest.approx(0.2)
