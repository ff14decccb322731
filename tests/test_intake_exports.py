"""Platform exports as they come: one file per platform in its own format (GBK where the platform
writes GBK, CRLF, trailing empty rows, closed and unpaid orders, line items, DST offsets), and the
intake's handling of empty rows, lone far-away times, Excel sheets, headerless files, several
files per shop and the 客服绩效 report."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from ecomanalysis.errors import InputError
from ecomanalysis.intake import presets as P
from ecomanalysis.intake import read_cs_daily, read_order_files, read_orders

pytest.importorskip("duckdb")

NOW = dt.datetime(2030, 1, 1)

#: platform -> how its export looks: preset, encoding, header (field -> column), status values
#: (kept, cancelled, unpaid), whether rows are line items, time layout.
EXPORTS = {
    "taobao": dict(preset="taobao", encoding="gbk", line_items=False, fmt="%Y-%m-%d %H:%M:%S",
                   cols={"order_id": "订单编号", "order_time": "订单创建时间",
                         "amount": "买家实际支付金额", "status": "订单状态"},
                   status=("交易成功", "交易关闭", "等待买家付款"), extra={"收货地址": "浙江省杭州市"}),
    "jd": dict(preset="jd", encoding="gbk", line_items=True, fmt="%Y-%m-%d %H:%M:%S",
               cols={"order_id": "订单号", "order_time": "下单时间", "amount": "应付金额",
                     "status": "订单状态", "pay_time": "付款确认时间"},
               status=("等待出库", "已取消", "等待付款"), extra={"商品ID": "1953814331", "京东价": "758.00"}),
    "pinduoduo": dict(preset="pinduoduo", encoding="utf-8-sig", line_items=False,
                      fmt="%Y-%m-%d %H:%M:%S",
                      cols={"order_id": "订单号", "order_time": "订单成交时间",
                            "amount": "商家实收金额(元)", "status": "订单状态"},
                      status=("待发货", "已取消", "待支付"), extra={"商品": "纸尿裤", "售后状态": "无售后"}),
    "douyin": dict(preset="douyin", encoding="utf-8", line_items=True, fmt="%Y/%m/%d %H:%M:%S",
                   cols={"order_id": "主订单编号", "order_time": "订单提交时间",
                         "amount": "订单应付金额", "status": "订单状态"},
                   status=("已完成", "已关闭", "待支付"), extra={"子订单编号": "x", "选购商品": "奶瓶"}),
    "kuaishou": dict(preset="kuaishou", encoding="gbk", line_items=False, fmt="%Y-%m-%d %H:%M:%S",
                     cols={"order_id": "订单号", "order_time": "订单创建时间", "amount": "实付款",
                           "status": "订单状态"},
                     status=("交易成功", "已关闭", "待付款"), extra={"商品名称": "辅食机"}),
    "shopify": dict(preset="shopify", encoding="utf-8", line_items=True, fmt="%Y-%m-%d %H:%M:%S %z",
                    cols={"order_id": "Name", "order_time": "Created at", "amount": "Total",
                          "status": "Financial Status"},
                    status=("paid", "voided", "pending"), extra={"Lineitem name": "Baby bottle"}),
    "woocommerce": dict(preset="woocommerce", encoding="utf-8", line_items=True,
                        fmt="%Y-%m-%d %H:%M", cols={"order_id": "Order Number",
                                                   "order_time": "Order Date",
                                                   "amount": "Order Total Amount",
                                                   "status": "Order Status"},
                        status=("Completed", "Cancelled", "Pending payment"),
                        extra={"Item #": "1", "SKU": "B-1"}),
}
TZ_OF = {"shopify": "America/Sao_Paulo", "woocommerce": "America/New_York"}


def make_orders(rng, n_orders: int = 120, start="2024-10-01", days: int = 60, tz=None) -> pd.DataFrame:
    """Orders (id, time, amount, outcome 0 kept / 1 cancelled / 2 unpaid) spread over ``days``."""
    offs = np.sort(rng.integers(0, days * 86400, n_orders))
    times = pd.Timestamp(start) + pd.to_timedelta(offs, unit="s")
    if tz:
        times = times.tz_localize(tz, ambiguous=True, nonexistent="shift_forward")
    outcome = np.zeros(n_orders, dtype=int)
    outcome[5::11] = 1
    outcome[7::13] = 2
    return pd.DataFrame({"id": np.arange(10_000, 10_000 + n_orders), "time": times,
                         "amount": np.round(rng.uniform(20, 300, n_orders), 2), "outcome": outcome})


def write_export(path, platform: str, orders: pd.DataFrame, empty_rows: int = 40):
    """Write ``orders`` as ``platform`` exports them: its header, status words, encoding, CRLF
    line ends, a second row per order for line-item exports, then ``empty_rows`` rows of commas."""
    spec = EXPORTS[platform]
    cols = spec["cols"]
    header = list(cols.values()) + list(spec["extra"])
    lines = [",".join(header)]
    for r in orders.itertuples(index=False):
        oid = f"#{r.id}" if platform == "shopify" else str(r.id)
        row = {"order_id": oid, "order_time": r.time.strftime(spec["fmt"]),
               "amount": f"{r.amount:.2f}", "status": spec["status"][r.outcome],
               "pay_time": r.time.strftime(spec["fmt"])}
        cells = [row[f] for f in cols] + list(spec["extra"].values())
        lines.append(",".join(cells))
        if spec["line_items"]:  # a second item of the same order
            lines.append(",".join(cells))
    lines += ["," * (len(header) - 1)] * empty_rows
    text = "\r\n".join(lines) + "\r\n"
    path.write_bytes(text.encode(spec["encoding"]))
    return path


@pytest.mark.parametrize("platform", list(EXPORTS))
def test_each_platform_export_reads_with_its_preset(tmp_path, rng, platform):
    spec = EXPORTS[platform]
    tz = TZ_OF.get(platform)
    orders = make_orders(rng, tz=tz)
    path = write_export(tmp_path / f"{platform}.csv", platform, orders)
    ev = read_orders(path, tz=tz or "Asia/Shanghai", now=NOW)
    try:
        r = ev.report
        assert r.preset == spec["preset"] and r.preset_auto
        assert r.columns["order_time"] == spec["cols"]["order_time"]
        assert r.empty_rows == 40
        dropped = {d["reason"]: d["rows"] for d in r.dropped}
        assert dropped == {"cancelled": int((orders["outcome"] == 1).sum()),
                           "unpaid": int((orders["outcome"] == 2).sum())}
        if spec["line_items"]:  # the second row of every order merged into it
            assert r.merged["rows"] == len(orders)
        kept = int((orders["outcome"] == 0).sum())
        assert r.rows_kept == kept
        # the wall-clock times written are the times read (the export's own zone)
        times = ev.times()
        expected = orders.loc[orders["outcome"] == 0, "time"]
        if tz:
            expected = expected.dt.tz_localize(None)
        assert (times.dt.floor("min").to_numpy() == expected.dt.floor("min").to_numpy()).all()
        assert any("GBK" in s for s in r.source) == (spec["encoding"] == "gbk")
    finally:
        ev.close()


def test_closed_and_unpaid_counts_match_status_values(tmp_path, rng):
    orders = make_orders(rng, n_orders=200)
    ev = read_orders(write_export(tmp_path / "t.csv", "taobao", orders), now=NOW)
    d = {x["value"]: x["rows"] for x in ev.report.dropped}
    assert d == {"交易关闭": int((orders["outcome"] == 1).sum()),
                 "等待买家付款": int((orders["outcome"] == 2).sum())}
    ev.close()
    kept = read_orders(tmp_path / "t.csv", keep_all=True, now=NOW)
    assert kept.report.rows_kept == 200 and kept.report.empty_rows == 40
    kept.close()


def test_every_preset_platform_is_a_shop_platform():
    from ecomanalysis.shop import PLATFORMS

    platforms = {p for pre in P.load_presets("orders").values() for p in pre.platforms}
    assert platforms <= set(PLATFORMS)
    assert {"taobao", "tmall", "jd", "pinduoduo", "douyin", "kuaishou", "shopify", "woocommerce",
            "other"} <= set(PLATFORMS)
    for name, pre in P.load_presets("orders").items():
        assert pre.source, f"preset {name} has no source"
    for name, pre in P.load_presets("chats").items():
        if name == "qianniu":
            assert pre.source


# --------------------------------------------------------------------------- real exports
def test_only_empty_rows_after_data_are_counted_not_errors(tmp_path):
    text = "order_id,order_time,amount\r\n1,2024-11-11 10:00:00,5\r\n" + ",,\r\n" * 89_442
    p = tmp_path / "o.csv"
    p.write_bytes(text.encode())
    ev = read_orders(p, now=NOW)
    assert ev.report.rows_kept == 1 and ev.report.empty_rows == 89_442
    assert "89,442 empty rows skipped" in ev.report.drop_lines()
    ev.close()


def test_row_with_data_but_no_time_is_still_an_error(tmp_path):
    p = tmp_path / "o.csv"
    p.write_text("order_id,order_time,amount\n1,2024-11-11 10:00:00,5\n2,,7\n,,\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"o.csv row 3: column 'order_time' is empty"):
        read_orders(p, now=NOW)


def test_lone_1970_row_is_refused_with_its_row(tmp_path, rng):
    orders = make_orders(rng, n_orders=300)
    lines = ["order_id,order_time,amount"] + [
        f"{r.id},{r.time:%Y-%m-%d %H:%M:%S},{r.amount}" for r in orders.itertuples()]
    lines.insert(10, "1,1970-01-01 08:00:00,5")
    p = tmp_path / "o.csv"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_orders(p, now=NOW)
    msg = str(exc.value)
    # refused with its row, whichever check names it first (the lone far-away row, or the
    # date window of data/input_bounds.csv)
    assert "row 11" in msg and "1970-01-01 08:00:00" in msg and "order_time" in msg


def test_two_real_stretches_far_apart_are_kept(tmp_path, rng):
    a = make_orders(rng, n_orders=50, start="2022-01-01", days=20)
    b = make_orders(rng, n_orders=50, start="2024-01-01", days=20)
    b["id"] += 1000
    lines = ["order_id,order_time"] + [f"{r.id},{r.time:%Y-%m-%d %H:%M:%S}"
                                       for r in pd.concat([a, b]).itertuples()]
    p = tmp_path / "o.csv"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ev = read_orders(p, now=NOW)
    assert ev.report.rows_kept == 100
    ev.close()


def test_dst_offsets_are_converted_to_the_shop_zone(tmp_path):
    # Sao Paulo ran daylight saving (-02:00) until February 2019
    text = ("Name,Created at,Total\n"
            "#1,2018-01-10 12:00:00 -0200,5\n"   # summer: UTC-2
            "#2,2018-06-10 12:00:00 -0300,5\n")  # winter: UTC-3
    p = tmp_path / "s.csv"
    p.write_text(text, encoding="utf-8")
    ev = read_orders(p, tz="America/Sao_Paulo", now=NOW)
    assert list(ev.times().astype(str)) == ["2018-01-10 12:00:00", "2018-06-10 12:00:00"]
    assert {o["offset"] for o in ev.report.offsets} == {"-0200", "-0300"}
    ev.close()
    ev = read_orders(p, tz="Asia/Shanghai", now=NOW)  # UTC+8: 10 and 11 hours later
    assert list(ev.times().astype(str)) == ["2018-01-10 22:00:00", "2018-06-10 23:00:00"]
    ev.close()


def test_excel_sheet_picked_by_time_column_or_name(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "说明"
    ws.append(["本表由卖家中心导出"])
    ws2 = wb.create_sheet("订单")
    ws2.append(["订单编号", "订单创建时间", "订单状态"])
    ws2.append(["1", "2024-11-11 10:00:00", "交易成功"])
    ws2.append(["2", "2024-11-11 11:00:00", "交易关闭"])
    ws3 = wb.create_sheet("旧订单")
    ws3.append(["订单编号", "订单创建时间", "订单状态"])
    ws3.append(["9", "2024-10-01 10:00:00", "交易成功"])
    p = tmp_path / "o.xlsx"
    wb.save(p)
    ev = read_orders(p, now=NOW)
    assert ev.report.rows_kept == 1 and "sheet '订单'" in ev.report.source[0]
    ev.close()
    ev = read_orders(p, sheet="旧订单", now=NOW)
    assert str(ev.times()[0]) == "2024-10-01 10:00:00"
    ev.close()
    with pytest.raises(InputError, match=r"o.xlsx: no sheet '订单2'; sheets found: 说明, 订单, 旧订单"):
        read_orders(p, sheet="订单2", now=NOW)


def test_headerless_file_with_stated_columns(tmp_path):
    p = tmp_path / "h.csv"
    p.write_text("A1,2024-11-11 10:00:00,5\nA2,2024-11-11 12:00:00,6\n", encoding="utf-8")
    ev = read_orders(p, names=["order_id", "order_time", "amount"], now=NOW)
    assert ev.report.rows_kept == 2
    ev.close()
    bad = tmp_path / "b.csv"
    bad.write_text("A1,2024-11-11 10:00:00,5\nA2,,5\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"b.csv row 2: column 'order_time' is empty"):
        read_orders(bad, names=["order_id", "order_time", "amount"], now=NOW)
    with pytest.raises(InputError, match=r"3 fields, but 2 column names were given"):
        read_orders(p, names=["order_id", "order_time"], now=NOW)


def test_utf16_and_parquet_read(tmp_path):
    text = "order_id\torder_time\n1\t2024-11-11 10:00:00\n2\t2024-11-12 10:00:00\n"
    p = tmp_path / "u.csv"
    p.write_bytes(text.encode("utf-16"))
    ev = read_orders(p, now=NOW)
    assert ev.report.rows_kept == 2
    ev.close()
    pytest.importorskip("pyarrow")
    q = tmp_path / "o.parquet"
    pd.DataFrame({"order_id": [1, 2], "order_time": pd.to_datetime(
        ["2024-11-11 10:00", "2024-11-12 10:00"])}).to_parquet(q)
    ev = read_orders(q, now=NOW)
    assert ev.report.rows_kept == 2
    ev.close()


def test_several_files_one_per_platform_keep_the_platform(tmp_path, rng):
    a, b = make_orders(rng, n_orders=90), make_orders(rng, n_orders=30)
    tb = write_export(tmp_path / "tb.csv", "taobao", a)
    jd = write_export(tmp_path / "jd.csv", "jd", b)
    ev = read_order_files([{"path": tb, "platform": "taobao"}, {"path": jd}], now=NOW)
    try:
        prof = ev.profile()
        pl = prof["platforms"].set_index("platform")
        assert pl.loc["taobao", "orders"] == int((a["outcome"] == 0).sum())
        assert pl.loc["jd", "orders"] == int((b["outcome"] == 0).sum())  # platform of the preset
        assert ev.report.rows_kept == pl["orders"].sum()
        assert pl["share"].sum() == pytest.approx(1.0)
        assert pl.filter(regex=r"^h\d\d$").sum(axis=1).to_numpy() == pytest.approx([1.0, 1.0])
        assert ev.report.empty_rows == 80
        assert ev.report.preset == "taobao, jd"
    finally:
        ev.close()


# --------------------------------------------------------------------------- 客服绩效
def test_cs_daily_report_per_day(tmp_path):
    text = ("日期,客服,接待人数,询单人数,询单转化率,平均响应时长\r\n"
            "2025-11-01,小美,100,40,50%,20秒\r\n"
            "2025-11-01,小丽,60,20,35.0%,1分\r\n"
            "2025-11-02,小美,80,30,0.6,25\r\n"
            "汇总,,240,90,48%,25\r\n"
            ",,,,,\r\n")
    p = tmp_path / "客服绩效.csv"
    p.write_bytes(text.encode("gbk"))
    days = read_cs_daily(p)
    assert list(days["date"].dt.strftime("%Y-%m-%d")) == ["2025-11-01", "2025-11-02"]
    assert list(days["inquiries"]) == [60, 30]
    # conversion weighted by inquiries: (0.5*40 + 0.35*20) / 60
    assert days["inquiry_conversion"].iloc[0] == pytest.approx((0.5 * 40 + 0.35 * 20) / 60)
    # response weighted by customers received: (20*100 + 60*60) / 160
    assert days["avg_response_s"].iloc[0] == pytest.approx((20 * 100 + 60 * 60) / 160)
    bad = tmp_path / "bad.csv"
    bad.write_text("日期,客服,询单人数,平均响应时长\n2025-11-01,a,4,fast\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.csv row 2: column '平均响应时长' has 'fast'; expected seconds"):
        read_cs_daily(bad)


def test_jd_export_without_pay_time_is_detected_as_jd(tmp_path, rng):
    # a JD export whose columns match as many Taobao aliases as JD ones (订单号, 下单时间, 订单金额,
    # 订单状态): JD's own spellings settle it, so JD's 等待付款 (unpaid) rows are dropped
    spec = {**EXPORTS["jd"], "cols": {k: v for k, v in EXPORTS["jd"]["cols"].items()
                                      if k != "pay_time"}}
    spec["extra"] = {"订单金额": "758.00"}
    orders = make_orders(rng)
    EXPORTS["jd_no_pay"] = spec
    try:
        path = write_export(tmp_path / "jd.csv", "jd_no_pay", orders)
    finally:
        del EXPORTS["jd_no_pay"]
    ev = read_orders(path, now=NOW)
    try:
        assert ev.report.preset == "jd"
        dropped = {d["reason"]: d["rows"] for d in ev.report.dropped}
        assert dropped == {"cancelled": int((orders["outcome"] == 1).sum()),
                           "unpaid": int((orders["outcome"] == 2).sum())}
    finally:
        ev.close()


def test_headerless_file_without_stated_columns_is_refused_not_misread(tmp_path):
    # the first order would become the header: one order lost and a "column" named after a date
    path = tmp_path / "noheader.csv"
    path.write_text("1,2024-09-01 10:00:00,20.5,paid\n2,2024-09-01 11:00:00,30,paid\n"
                    "3,2024-09-02 12:00:00,15,paid\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"noheader.csv row 1: .*'2024-09-01 10:00:00'.*--columns"):
        read_orders(path, time_col="2024-09-01 10:00:00", now=NOW)
    ev = read_orders(path, names=["order_id", "order_time", "amount", "status"], now=NOW)
    try:
        assert ev.report.rows_kept == 3
    finally:
        ev.close()
