"""Calendars per market: the shop's country, the platform default, ``--country``."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ecomanalysis.cli import main
from ecomanalysis.errors import InputError
from ecomanalysis.shop import load_sample_shop, parse_shop


@pytest.mark.parametrize(("data", "calendar"), [
    ({"name": "a"}, ["CN"]),                                     # taobao by default
    ({"name": "a", "platform": "jd"}, ["CN"]),
    ({"name": "a", "platform": "shopify"}, ["global"]),
    ({"name": "a", "platform": "woocommerce"}, ["global"]),
    ({"name": "a", "platform": "other"}, []),                    # never China by default
    ({"name": "a", "platform": "generic"}, []),
    ({"name": "a", "platform": "taobao", "country": ["cn", "SG"]}, ["CN", "SG"]),
    ({"name": "a", "platform": "shopify", "country": "BR"}, ["BR"]),
])
def test_shop_calendar(data, calendar):
    assert parse_shop(data).event_calendar() == calendar


def test_sample_shop_is_chinese():
    assert load_sample_shop().event_calendar() == ["CN"]


def test_bad_country():
    with pytest.raises(InputError, match="country"):
        parse_shop({"name": "a", "country": ["Brazil"]})


def test_cli_country_selects_the_calendar(tmp_path, rng, capsys):
    idx = pd.date_range("2024-06-01", periods=120)
    y = np.round(50 * np.exp(rng.normal(0, 0.1, 120)))
    p = tmp_path / "daily.csv"
    pd.DataFrame({"date": idx.strftime("%Y-%m-%d"), "value": y.astype(int)}).to_csv(
        p, index=False)
    out = tmp_path / "fc.csv"
    assert main(["forecast", str(p), "--horizon", "120", "--country", "BR", "-o",
                 str(out)]) == 0
    f = pd.read_csv(out, keep_default_na=False).set_index("date")
    assert f.loc["2024-11-29", "event"] == "black_friday_br"
    assert "double11" not in set(f["event"])
    assert f.loc["2024-11-29", "forecast"] > 2 * f.loc["2024-10-02", "forecast"]
    assert main(["forecast", str(p), "--country", "Brazil"]) == 2
    assert "ISO 3166" in capsys.readouterr().err


def test_cli_peak_takes_the_country_and_its_next_peak(capsys):
    assert main(["peak", "--country", "BR", "--today", "2026-09-01"]) == 0
    out = capsys.readouterr().out
    # no Double 11 in Brazil's calendar: the next peak of its calendar is planned
    assert "巴西黑色星期五 2026" in out and "高峰日 2026-11-27" in out
    assert main(["peak", "--country", "BR", "--event", "double11"]) == 2
    assert "black_friday_br" in capsys.readouterr().err
