"""`ecomanalysis init`: export -> commented shop YAML with every detected choice; the template;
the shop YAML's intake options; shared input/output options; forecast inputs; and (notebook
tests) the two commands from a platform export to report.html with no hand edits."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from ecomanalysis import shop as S
from ecomanalysis.cli import main
from tests.test_intake_exports import make_orders, write_export

pytest.importorskip("duckdb")


def run(args, capsys):
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_init_from_gbk_taobao_export(tmp_path, rng, capsys):
    orders = make_orders(rng, n_orders=400, days=60)
    (tmp_path / "exports").mkdir()
    exp = write_export(tmp_path / "exports" / "订单报表.csv", "taobao", orders)
    out = tmp_path / "shop.yaml"
    code, text, err = run(["init", exp, "-o", out, "--lang", "en"], capsys)
    assert code == 0, err
    assert "preset taobao (detected)" in text and "40 empty rows skipped" in text
    assert "next: ecomanalysis report --shop" in text
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["files"] == {"orders": "exports/订单报表.csv", "preset": "taobao",
                             "time_column": "订单创建时间", "time_zone": "Asia/Shanghai",
                             "keep_all": False, "dedupe": False, "measure_standards": True}
    assert data["platform"] == "taobao" and data["team"] == {}
    shop = S.load_shop(out)
    daily = S.shop_files(shop)["daily_orders"]
    assert daily.sum() == (orders["outcome"] == 0).sum()
    flags = S.shop_flags(shop, "en")
    assert any("40 empty rows skipped" in f for f in flags)
    assert any("unpaid rows left out" in f for f in flags)
    zh = S.shop_flags(shop, "zh")  # the reason in Chinese too, not "剔除 12 行unpaid订单"
    assert any("行未付款订单（订单状态 = 等待买家付款）" in f for f in zh), zh
    assert not any("unpaid" in f or "cancelled" in f for f in zh), zh


def test_init_finds_an_unnamed_time_column_and_dedupes(tmp_path, capsys):
    # like the Tianchi trade history: no preset names the time column, dates without times
    days = pd.date_range("2014-01-01", periods=120, freq="D")
    rows = ["user_id,auction_id,buy_mount,day"] + [
        f"{100 + i},{i % 7},{1 + i % 3},{d:%Y%m%d}" for i, d in enumerate(days.repeat(3))]
    p = tmp_path / "trade.csv"
    p.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "t.yaml"
    code, text, err = run(["init", p, "-o", out, "--lang", "en"], capsys)
    assert code == 0, err
    assert "order time column 'day'" in text
    assert "dates without times of day" in text
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["files"]["time_column"] == "day" and data["platform"] == "other"
    # a platform without a home market: the country comes from China's time zone, so the
    # plan has a shopping calendar (Double 11) instead of no peak
    assert data["country"] == "CN" and "FILL IN" in out.read_text(encoding="utf-8")
    shop = S.load_shop(out)
    assert S.shop_files(shop)["daily_orders"].sum() == 360
    assert "hour_orders" not in S.shop_files(shop)
    assert shop.event_calendar() == ["CN"]


def test_a_shop_without_a_calendar_is_told_so_in_its_language():
    from ecomanalysis.plan import make_plan

    shop = S.parse_shop({"name": "x", "platform": "other", "daily_orders": 40, "team": {"owner": 1}})
    zh = make_plan(shop, lang="zh", as_of="2026-12-01", simulate=False)
    en = make_plan(shop, lang="en", as_of="2026-12-01", simulate=False)
    assert zh.peak is None and en.peak is None
    assert "无法做大促预案:店铺没有大促日历" in " ".join(zh.flags)
    assert not any(c.isascii() and c.isalpha() for f in zh.flags if "日历" in f
                   for c in f.replace("CN", "")), zh.flags
    assert any(f.startswith("No peak plan: the shop has no shopping calendar") for f in en.flags)


def test_init_detects_the_zone_of_dst_offsets(tmp_path, rng, capsys):
    orders = make_orders(rng, n_orders=300, start="2018-01-01", days=200, tz="America/Sao_Paulo")
    exp = write_export(tmp_path / "orders_export.csv", "shopify", orders)
    out = tmp_path / "s.yaml"
    code, text, err = run(["init", exp, "-o", out, "--lang", "en"], capsys)
    assert code == 0, err
    assert "time zone America/Sao_Paulo (the only candidate" in text
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["files"]["time_zone"] == "America/Sao_Paulo" and data["platform"] == "shopify"
    # the zone's country has its own shopping calendar: Brazil's, not Shopify's US/EU one
    # (the Sao Paulo shop's next peak was Prime Day)
    assert data["country"] == "BR" and S.load_shop(out).event_calendar() == ["BR"]
    daily = S.shop_files(S.load_shop(out))["daily_orders"]
    local = orders.loc[orders["outcome"] == 0, "time"].dt.tz_localize(None).dt.normalize()
    assert (daily[daily > 0] == local.value_counts().sort_index().astype(float)).all()


def test_init_with_qianniu_chats_and_cs_report(tmp_path, rng, capsys):
    exp = write_export(tmp_path / "tb.csv", "taobao", make_orders(rng, n_orders=200, days=30))
    start = pd.Timestamp("2024-10-02 10:00")
    rows = ["接待开始时间,接待结束时间,接待客服,会话类型"] + [
        f"{start + pd.Timedelta(minutes=10 * i):%Y-%m-%d %H:%M:%S},"
        f"{start + pd.Timedelta(minutes=10 * i, seconds=240):%Y-%m-%d %H:%M:%S},小美,售前"
        for i in range(40)] + [",,,"] * 5
    (tmp_path / "接待记录.csv").write_bytes(("\r\n".join(rows) + "\r\n").encode("gbk"))
    rep = ["日期,客服,接待人数,询单人数,询单转化率,平均响应时长"] + [
        f"2024-10-{d:02d},小美,30,12,50%,15秒" for d in range(1, 9)]
    (tmp_path / "客服绩效.csv").write_text("\n".join(rep) + "\n", encoding="utf-8")
    out = tmp_path / "s.yaml"
    code, text, err = run(["init", exp, "--chats", tmp_path / "接待记录.csv", "--cs-daily",
                           tmp_path / "客服绩效.csv", "-o", out, "--lang", "en"], capsys)
    assert code == 0, err
    assert "接待记录.csv: 40 chat sessions (preset qianniu)" in text
    assert "客服绩效.csv: CS performance report, 8 days, 12 inquiring customers per day" in text
    shop = S.load_shop(out)
    assert shop.files.chats == "接待记录.csv" and shop.files.cs_daily == "客服绩效.csv"
    m = S.measured_standards(shop)
    assert m["presale_aht_s"]["value"] == pytest.approx(240.0)
    assert m["inquiry_order_conversion"]["value"] == pytest.approx(0.5)


def test_init_template_without_export(tmp_path, capsys):
    out = tmp_path / "new.yaml"
    code, text, _ = run(["init", "-o", out, "--name", "新店"], capsys)
    assert code == 0 and "ecomanalysis report --shop" in text
    shop = S.load_shop(out)
    assert shop.name == "新店" and shop.daily_orders == 100 and shop.files.orders is None


def test_init_errors_exit_2_and_leave_nothing(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("订单编号,订单创建时间\n1,2024-11-11 10:00:00\n2,tomorrow\n", encoding="utf-8")
    out = tmp_path / "bad.yaml"
    code, _, err = run(["init", bad, "-o", out], capsys)
    assert code == 2
    assert "bad.csv row 3: column '订单创建时间' has 'tomorrow'" in err and "expected" in err
    assert not out.exists() and list(tmp_path.iterdir()) == [bad]
    code, _, err = run(["init", "-o", out, "--platform", "shopee"], capsys)
    assert code == 2 and "--platform 'shopee': expected one of" in err and not out.exists()
    out.write_text("name: x\n", encoding="utf-8")
    code, _, err = run(["init", "-o", out], capsys)
    assert code == 2 and "exists" in err and out.read_text(encoding="utf-8") == "name: x\n"


# --------------------------------------------------------------------------- the shop YAML
def write(tmp_path, text: str) -> Path:
    p = tmp_path / "shop.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def test_shop_yaml_intake_options_globs_and_platforms(tmp_path, rng):
    (tmp_path / "ex").mkdir()
    a, b, c = (make_orders(rng, n_orders=60, start=s, days=28)
               for s in ("2024-09-01", "2024-10-01", "2024-10-01"))
    write_export(tmp_path / "ex" / "tb_2024-09.csv", "taobao", a)
    write_export(tmp_path / "ex" / "tb_2024-10.csv", "taobao", b)
    # a JD export renamed by hand: the YAML names its columns
    lines = ["单号;时间(北京)"] + [f"{r.id};{r.time:%d/%m/%Y %H:%M}" for r in c.itertuples()]
    (tmp_path / "ex" / "jd.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    p = write(tmp_path, """\
name: multi
platform: jd
category: mother_baby
files:
  orders:
    - {path: "ex/tb_*.csv", platform: taobao}
    - {path: ex/jd.csv, platform: jd, time_column: 时间(北京), date_order: dayfirst}
  time_zone: Asia/Shanghai
""")
    shop = S.load_shop(p)
    assert shop.category == "general" and shop.category_given == "mother_baby"
    files = S.shop_files(shop)
    kept = int((a["outcome"] == 0).sum() + (b["outcome"] == 0).sum())
    pl = files["platforms"].set_index("platform")
    assert pl.loc["taobao", "orders"] == kept and pl.loc["jd", "orders"] == 60
    flags = S.shop_flags(shop, "en")
    assert flags[0].startswith("category 'mother_baby' has no standards of its own")
    assert any(f.startswith("orders from 2 platforms merged: taobao") for f in flags)
    zh = S.shop_flags(shop, "zh")
    assert zh[0].startswith("类目“mother_baby”没有专门的标准")


def test_profile_of_a_shop_shows_each_platform(tmp_path, rng, capsys):
    a, b = make_orders(rng, n_orders=80), make_orders(rng, n_orders=40)
    write_export(tmp_path / "tb.csv", "taobao", a)
    write_export(tmp_path / "dy.csv", "douyin", b)
    p = write(tmp_path, "name: two\nfiles:\n  orders: [tb.csv, {path: dy.csv, platform: douyin}]\n")
    code, text, err = run(["profile", "--shop", p, "-o", tmp_path / "p.json"], capsys)
    assert code == 0, err
    n_tb, n_dy = int((a["outcome"] == 0).sum()), int((b["outcome"] == 0).sum())
    assert "douyin" in text and "platforms (orders, share, peak hour):" in text
    assert f"kept {n_tb + n_dy:,}" in text, text
    assert "80  empty rows skipped" in text
    import json

    prof = json.loads((tmp_path / "p.json").read_text(encoding="utf-8"))
    assert {r["platform"]: r["orders"] for r in prof["platforms"]} == {"taobao": n_tb, "douyin": n_dy}


def test_shop_yaml_errors_name_the_key(tmp_path):
    p = write(tmp_path, "name: a\nplatform: shopee\ncategory: womens_aparel\nfiles:\n"
                        "  orders: nothing_*.csv\n  time_zone: Asia/Shangai\n  preset: taobo\n")
    with pytest.raises(S.InputError) as exc:
        S.load_shop(p)
    text = "\n".join(exc.value.problems)
    assert "key 'platform' has 'shopee'" in text and "woocommerce" in text
    assert "did you mean 'womens_apparel'?" in text
    assert "key 'files.orders' is 'nothing_*.csv', a pattern no file matches" in text
    assert "key 'files.time_zone'" in text and "Asia/Shanghai" in text
    assert "key 'files.preset' has 'taobo' (did you mean 'taobao'?)" in text


def test_every_platform_accepted(tmp_path):
    for platform in S.PLATFORMS:
        assert S.load_shop(write(tmp_path, f"name: a\nplatform: {platform}\n")).platform == platform


def test_measured_standards_replace_defaults_and_say_so(tmp_path, rng):
    orders = make_orders(rng, n_orders=300, days=30)
    write_export(tmp_path / "o.csv", "taobao", orders)
    start = pd.Timestamp("2024-10-02 10:00")
    rows = ["会话开始时间,会话结束时间,接待客服,会话类型"]
    for i in range(80):  # one session at a time, 300 s pre-sale and 200 s after-sale
        t = start + pd.Timedelta(minutes=10 * i)
        kind, length = ("售前", 300) if i % 2 else ("售后", 200)
        rows.append(f"{t:%Y-%m-%d %H:%M:%S},{t + pd.Timedelta(seconds=length):%Y-%m-%d %H:%M:%S},"
                    f"小美,{kind}")
    (tmp_path / "qn.csv").write_bytes(("\r\n".join(rows) + "\r\n").encode("gbk"))
    report = ["日期,客服,接待人数,询单人数,询单转化率,平均响应时长"] + [
        f"2024-10-{d:02d},小美,50,20,40%,18秒" for d in range(1, 11)]
    (tmp_path / "cs.csv").write_text("\n".join(report) + "\n", encoding="utf-8")
    text = ("name: m\nfiles:\n  orders: o.csv\n  chats: qn.csv\n  cs_daily: cs.csv\n"
            "  measure_standards: true\n")
    shop = S.load_shop(write(tmp_path, text))
    m = S.measured_standards(shop)
    assert m["presale_aht_s"]["value"] == pytest.approx(300.0)   # concurrency 1: no correction
    assert m["aftersale_aht_s"]["value"] == pytest.approx(200.0)
    assert m["inquiry_order_conversion"]["value"] == pytest.approx(0.4)
    assert shop.standard_overrides()["presale_aht_s"] == pytest.approx(300.0)
    flags = S.shop_flags(shop, "en")
    assert any(f.startswith("presale_aht_s measured from 40 chat sessions: 300 s") for f in flags)
    # one chat at a time on a quiet export says nothing of the limit agents work to: kept
    assert "presale_concurrency" not in m and shop.standard_overrides().get("presale_concurrency") is None
    assert any(f.startswith("presale_concurrency: in 40 chat sessions agents held at most 1 chats")
               and "the standard 3 is kept" in f for f in flags), flags
    assert any(f.startswith("presale_concurrency：40 个聊天会话中客服同时最多接待 1 个会话")
               and "仍用标准值 3" in f for f in S.shop_flags(shop, "zh"))
    assert any("mean response time measured from the shop's 客服绩效 report: 18 s" in f for f in flags)
    # the profile's own standards win; without measure_standards nothing is replaced
    shop2 = S.load_shop(write(tmp_path, text + "standards: {presale_aht_s: 250}\n"))
    assert shop2.standard_overrides()["presale_aht_s"] == 250
    shop3 = S.load_shop(write(tmp_path, text.replace("true", "false")))
    assert S.measured_standards(shop3) == {}


# --------------------------------------------------------------------------- options, forecast
def test_old_spellings_work_with_a_note(tmp_path, capsys):
    code, _, err = run(["staff", "--orders", "100", "--out", tmp_path / "s.csv"], capsys)
    assert code == 0 and (tmp_path / "s.csv").exists()
    assert "note: --out is deprecated; use -o/--output" in err
    code, _, err = run(["staff", "--orders", "100", "-o", tmp_path / "t.csv"], capsys)
    assert code == 0 and (tmp_path / "t.csv").exists() and "deprecated" not in err
    src = tmp_path / "o.csv"
    src.write_text("order_id,order_time\n1,2024-11-11 10:00:00\n", encoding="utf-8")
    code, _, err = run(["arrivals", src, "--tz", "UTC", "--freq", "1D", "-o", tmp_path / "a.csv"],
                       capsys)
    assert code == 0 and "note: --tz is deprecated; use --time-zone" in err
    code, _, err = run(["sample", "--days", "3", "--out", tmp_path / "smp"], capsys)
    assert code == 0 and "note: --out is deprecated; use --out-dir" in err
    assert (tmp_path / "smp" / "orders.csv").exists()


def test_profile_and_arrivals_text_in_chinese(tmp_path, rng, capsys):
    exp = write_export(tmp_path / "tb.csv", "taobao", make_orders(rng, n_orders=50))
    code, text, _ = run(["profile", exp, "--lang", "zh"], capsys)
    assert code == 0 and "读取 50 行；保留" in text and "40  个空行已跳过" in text
    code, _, err = run(["arrivals", exp, "--lang", "zh", "-o", tmp_path / "a.csv"], capsys)
    assert code == 0 and "tb.csv：读取 50 行" in err and "已写入" in err


def test_forecast_reads_arrivals_output_at_any_frequency(tmp_path, rng, capsys):
    orders = make_orders(rng, n_orders=2000, start="2018-01-01", days=120, tz="America/Sao_Paulo")
    exp = write_export(tmp_path / "s.csv", "shopify", orders)
    kept = orders.loc[orders["outcome"] == 0, "time"].dt.tz_localize(None).dt.normalize()
    for freq in ("15min", "1h", "1D"):
        arr = tmp_path / f"a_{freq}.csv"
        code, _, err = run(["arrivals", exp, "--time-zone", "America/Sao_Paulo", "--freq", freq,
                            "-o", arr], capsys)
        assert code == 0, err
        fc = tmp_path / f"f_{freq}.csv"
        code, _, err = run(["forecast", arr, "--horizon", "7", "--events", "none", "-o", fc], capsys)
        assert code == 0, err
        assert "read as arrivals output (interval_start, arrivals)" in err
        assert f"summed to {kept.nunique()} days" in err or "summed to 120 days" in err
    # an order export with DST offsets forecasts too, and says so
    code, _, err = run(["forecast", exp, "--time-zone", "America/Sao_Paulo", "--horizon", "7",
                        "--events", "none", "-o", tmp_path / "f.csv"], capsys)
    assert code == 0 and "read as an order export (preset shopify)" in err
    # a count file forced into one-row-one-order is refused
    code, _, err = run(["forecast", tmp_path / "a_1D.csv", "--map", "order_time=interval_start"],
                       capsys)
    assert code == 2 and "not one order per row" in err


def test_forecast_daily_series_with_offsets(tmp_path, capsys):
    dates = pd.date_range("2024-01-01", periods=90, freq="D")
    lines = ["date,value"] + [f"{d:%Y-%m-%d} 00:00:00{'-02:00' if d.month < 3 else '-03:00'},{5 + d.day % 4}"
                              for d in dates]
    p = tmp_path / "d.csv"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, _, err = run(["forecast", p, "--horizon", "5", "--events", "none", "-o", tmp_path / "f.csv"],
                       capsys)
    assert code == 0, err
    assert "read as a daily series (date, value); UTC offsets dropped" in err


# --------------------------------------------------------------------------- file -> report
def _two_commands(tmp_path: Path, export: Path, capsys) -> Path:
    out = tmp_path / "shop.yaml"
    code, _, err = run(["init", export, "-o", out], capsys)
    assert code == 0, err
    code, text, err = run(["report", "--shop", out, "--out-dir", tmp_path / "reports"], capsys)
    assert code == 0, text + err
    html = Path(next(line for line in text.splitlines() if line.endswith("report.html")))
    assert html.exists()
    return html


@pytest.mark.notebook
def test_gbk_taobao_export_to_report_in_two_commands(tmp_path, rng, capsys):
    orders = make_orders(rng, n_orders=3000, start="2024-09-01", days=75)
    exp = write_export(tmp_path / "订单报表.csv", "taobao", orders, empty_rows=500)
    html = _two_commands(tmp_path, exp, capsys)
    assert "订单报表" in html.read_text(encoding="utf-8")


@pytest.mark.notebook
def test_shopify_dst_export_to_report_in_two_commands(tmp_path, rng, capsys):
    orders = make_orders(rng, n_orders=3000, start="2018-01-01", days=90, tz="America/Sao_Paulo")
    exp = write_export(tmp_path / "orders_export.csv", "shopify", orders)
    html = _two_commands(tmp_path, exp, capsys)
    assert html.stat().st_size > 10_000
    assert yaml.safe_load((tmp_path / "shop.yaml").read_text(encoding="utf-8"))["files"][
        "time_zone"] == "America/Sao_Paulo"


def test_init_refuses_a_headerless_export_without_columns(tmp_path, capsys):
    exp = tmp_path / "noheader.csv"
    exp.write_text("".join(f"{i},2024-09-{1 + i % 28:02d} 1{i % 10}:00:00,20,paid\n"
                           for i in range(60)), encoding="utf-8")
    out = tmp_path / "shop.yaml"
    code, _text, err = run(["init", exp, "-o", out], capsys)
    assert code == 2 and "first row is an order, not a header" in err and "--columns" in err
    assert not out.exists()
    code, text, err = run(["init", exp, "-o", out, "--columns", "order_id,order_time,amount,status",
                           "--lang", "en"], capsys)
    assert code == 0, err
    assert "60 orders kept" in text or "kept 60" in text or "60 rows" in text, text


def test_commands_without_time_zone_use_the_zone_the_offsets_match(tmp_path, rng, capsys):
    # a Shopify export from Sao Paulo (daylight saving: -02:00 and -03:00): its days are Sao
    # Paulo days, not Shanghai days, unless --time-zone says otherwise
    orders = make_orders(rng, n_orders=300, start="2017-12-01", days=120, tz="America/Sao_Paulo")
    exp = write_export(tmp_path / "orders_export.csv", "shopify", orders)
    out = tmp_path / "daily.csv"
    code, _text, err = run(["arrivals", exp, "--freq", "1D", "-o", out], capsys)
    assert code == 0, err
    assert "times converted to America/Sao_Paulo" in err
    got = pd.read_csv(out)
    kept = orders.loc[orders["outcome"] == 0, "time"]
    want = kept.dt.tz_localize(None).dt.floor("D").value_counts().sort_index()
    assert got["interval_start"].iloc[0] == f"{want.index[0]:%Y-%m-%d} 00:00:00-02:00"
    assert got["arrivals"].sum() == len(kept)
    assert got.loc[got["arrivals"] > 0, "arrivals"].tolist() == want.tolist()
    out = tmp_path / "daily_cn.csv"
    code, _text, err = run(["arrivals", exp, "--freq", "1D", "--time-zone", "Asia/Shanghai",
                            "-o", out], capsys)
    assert code == 0, err
    assert "times converted" not in err
    assert pd.read_csv(out)["interval_start"].iloc[0].endswith("+08:00")
    shop = tmp_path / "shop.yaml"
    code, text, err = run(["init", exp, "--time-zone", "UTC", "-o", shop], capsys)
    assert code == 0, err
    assert yaml.safe_load(shop.read_text(encoding="utf-8"))["files"]["time_zone"] == "UTC"


@pytest.mark.notebook
@pytest.mark.parametrize("platform", ["jd", "pinduoduo", "douyin", "kuaishou", "woocommerce"])
def test_each_other_platform_export_to_report_in_two_commands(tmp_path, rng, capsys, platform):
    # the platform's header, status words (closed and unpaid rows), encoding (GBK for JD and
    # Kuaishou), CRLF and trailing empty rows, as tests.test_intake_exports writes them
    orders = make_orders(rng, n_orders=1500, start="2024-09-01", days=60)
    exp = write_export(tmp_path / f"{platform}_orders.csv", platform, orders, empty_rows=300)
    html = _two_commands(tmp_path, exp, capsys)
    assert html.stat().st_size > 10_000
    data = yaml.safe_load((tmp_path / "shop.yaml").read_text(encoding="utf-8"))
    assert data["platform"] == platform and data["files"]["preset"] == platform



def test_init_does_not_take_eight_digit_ids_for_dates(tmp_path, capsys):
    # like the Tianchi trade history: category ids of 8 digits (50014866) beside the real
    # yyyymmdd dates, in columns whose names say nothing about time
    days = pd.date_range("2014-01-01", periods=90, freq="D")
    rows = [f"{7000 + i},{50014866 + 7 * i},{d:%Y%m%d}"
            for i, d in enumerate(days.repeat(3))]
    exp = tmp_path / "trades.csv"
    exp.write_text("uid,cat,d\n" + "\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "shop.yaml"
    code, text, err = run(["init", exp, "-o", out, "--lang", "en"], capsys)
    assert code == 0, err
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["files"]["time_column"] == "d"
    assert "other date columns" not in text, text


def test_shop_without_a_time_column_is_told_the_yaml_key_not_a_flag(tmp_path, capsys):
    # staff/report/peak take no --time-col: the hint names the shop YAML's own key
    (tmp_path / "o.csv").write_text("nr,wann\n1,2024-09-01 10:00\n2,2024-09-02 11:00\n",
                                    encoding="utf-8")
    shop = tmp_path / "myshop.yaml"
    shop.write_text("name: n\nplatform: other\ncategory: general\ncity_tier: tier2\n"
                    "files:\n  orders: o.csv\n", encoding="utf-8")
    code, _text, err = run(["staff", "--shop", shop], capsys)
    assert code == 2
    assert "o.csv: no timestamp column found" in err
    assert "time_column: COLUMN under files: in myshop.yaml" in err
    assert "--time-col" not in err


@pytest.mark.parametrize("platform, tz, known, country", [
    ("shopify", "America/Sao_Paulo", True, "BR"),   # offsets in the export: Brazil's calendar
    ("shopify", "America/New_York", True, None),    # the US is Shopify's own (global) market
    ("shopify", "Asia/Shanghai", False, None),      # the default zone of times without offsets
    ("taobao", "America/Sao_Paulo", True, None),    # a Taobao shop sells on China's calendar
    ("other", "Asia/Shanghai", False, "CN"),        # no market: the zone's country
    ("other", "UTC", False, "# country: CN"),       # nothing tells: a hint to fill in
])
def test_the_country_line_follows_the_zone_only_where_it_should(platform, tz, known, country):
    from ecomanalysis.commands.intake import _country_line

    line = _country_line(platform, tz, known)
    if country is None:
        assert line == ""
    elif country.startswith("#"):
        assert line.startswith(country)
    else:
        assert yaml.safe_load(line) == {"country": country}


def test_a_time_zone_aware_parquet_is_not_said_to_have_no_offset(tmp_path, capsys):
    df = pd.DataFrame({"order_id": range(50), "amount": 1.0, "order_time": pd.date_range(
        "2024-01-01", periods=50, freq="7h", tz="America/Sao_Paulo")})
    df.to_parquet(tmp_path / "o.parquet")
    code, text, err = run(["init", tmp_path / "o.parquet", "-o", tmp_path / "s.yaml", "--lang", "en"],
                          capsys)
    assert code == 0, err
    assert "(times carry UTC offsets)" in text and "times have no offset" not in text
