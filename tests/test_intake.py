"""ecomanalysis.intake: readers, encodings, presets, timestamps, validation, aggregation."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from ecomanalysis.errors import InputError
from ecomanalysis.intake import parse_freq, parse_map, read_orders
from ecomanalysis.intake import readers as R
from ecomanalysis.intake import timestamps as T

NOW = dt.datetime(2026, 1, 1)

GENERIC = (
    "order_id,order_time,amount,status\n"
    "1,2024-11-11 00:05:00,10.5,paid\n"
    "2,2024-11-11 00:10:00,20,paid\n"
    "3,2024-11-11 00:20:00,30,cancelled\n"
    "4,2024-11-11 01:00:00,40,paid\n"
    "5,2024-11-12 23:59:59,50,unpaid\n"
    "6,2024-11-12 12:00:00,60,paid\n"
)

TAOBAO_ROWS = [
    ("订单编号", "订单创建时间", "订单付款时间", "买家实际支付金额", "订单状态", "退款状态"),
    ("3301", "2024/11/11 20:15", "2024/11/11 20:16", "99.00", "交易成功", "没有申请退款"),
    ("3302", "2024/11/11 20:20", "", "59.00", "等待买家付款", ""),
    ("3303", "2024/11/11 21:05", "2024/11/11 21:06", "1,299.00", "交易关闭", "退款成功"),
    ("3304", "2024/11/12 09:00", "2024/11/12 09:01", "15.50", "卖家已发货，等待买家确认", ""),
]


def taobao_text() -> str:
    return "".join(",".join(f'"{c}"' if "," in c else c for c in row) + "\n" for row in TAOBAO_ROWS)


def write(tmp_path, name, text, encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def read(path, **kw):
    kw.setdefault("now", NOW)
    return read_orders(path, **kw)


# --------------------------------------------------------------------------- readers
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_taobao_export_in_every_encoding(tmp_path, encoding):
    p = write(tmp_path, "订单报表.csv", taobao_text(), encoding)
    o = read(p)
    assert o.report.preset == "taobao" and o.report.preset_auto
    assert o.report.columns["order_time"] == "订单创建时间"
    assert o.report.rows_read == 4 and o.report.rows_kept == 2
    dropped = {d["value"]: d["rows"] for d in o.report.dropped}
    assert dropped == {"等待买家付款": 1, "交易关闭": 1}
    a = o.arrivals("1h")
    assert len(a) == 48  # two whole days
    assert a.loc[a["interval_start"] == pd.Timestamp("2024-11-11 20:00", tz="Asia/Shanghai"),
                 "arrivals"].item() == 1
    assert a["arrivals"].sum() == 2
    label = {"gbk": "GBK", "gb18030": "GBK", "utf-16": "utf-16"}.get(encoding, encoding)
    assert label in o.report.source[0]


def test_gbk_is_detected_not_decoded_as_latin(tmp_path):
    p = write(tmp_path, "t.csv", taobao_text(), "gbk")
    assert R.detect_encoding(p) == "gb18030"
    assert R.detect_encoding(write(tmp_path, "u.csv", taobao_text())) == "utf-8"


def test_mixed_utf8_and_gbk_lines_are_refused_with_lines_and_offsets(tmp_path):
    head = taobao_text().encode("utf-8")
    tail = "3305,2024/11/12 10:00,10.00,交易成功,\n".encode("gbk")
    p = tmp_path / "mixed.csv"
    p.write_bytes(head + tail)
    with pytest.raises(InputError, match="mixes encodings") as err:
        read(p)
    msg = str(err.value)
    assert "line 1 (byte offset 0) is UTF-8" in msg
    assert f"line 6 (byte offset {len(head)}) is GBK" in msg


def test_bytes_valid_in_no_encoding_are_refused_with_offset(tmp_path):
    body = b"order_id,order_time\n1,2024-11-11 10:00:00\n2,2024-11-11 10:\xff\xfe:00\n"
    p = tmp_path / "bad.csv"
    p.write_bytes(body)
    with pytest.raises(InputError, match=r"line 3 \(byte offset 58\).*neither UTF-8 nor GBK"):
        read(p)


def test_gbk_after_a_long_ascii_start_is_transcoded(tmp_path, monkeypatch):
    monkeypatch.setattr(R, "SNIFF_BYTES", 64)  # the sniffed head is pure ASCII
    text = "order_id,order_time,status\n" + "".join(
        f"{i},2024-11-11 10:{i:02d}:00,paid\n" for i in range(30)
    ) + "99,2024-11-11 11:00:00,交易成功\n"
    p = write(tmp_path, "late.csv", text, "gbk")
    o = read(p)
    assert o.report.rows_kept == 31
    assert "GBK" in o.report.source[0]


def test_title_rows_and_other_delimiters(tmp_path):
    text = "2024年11月 订单报表\n\n" + taobao_text().replace(",", "\t").replace('"1\t299.00"', "1299")
    p = write(tmp_path, "title.tsv", text)
    o = read(p)
    assert o.report.rows_read == 4
    assert any("header on line 3" in n for n in o.report.source)
    assert "'\\t'" in o.report.source[1]


def test_xlsx_header_found_under_a_title_row(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["淘宝订单导出 2024-11"])
    ws.append([])
    ws.append(["订单编号", "下单时间", "买家实际支付金额", "订单状态"])
    ws.append(["A1", dt.datetime(2024, 11, 11, 20, 15), 10.0, "交易成功"])
    ws.append(["A2", dt.datetime(2024, 11, 11, 20, 40), 12.5, "交易关闭"])
    ws.append(["A3", dt.datetime(2024, 11, 11, 21, 5), 8.0, "交易成功"])
    p = tmp_path / "orders.xlsx"
    wb.save(p)
    o = read(p)
    assert o.report.preset == "taobao"
    assert o.report.rows_read == 3 and o.report.rows_kept == 2
    a = o.arrivals("1h")
    assert a.set_index("interval_start")["arrivals"].loc[
        pd.Timestamp("2024-11-11 20:00", tz="Asia/Shanghai")] == 1
    assert "header on row 3" in o.report.source


def test_xlsx_row_numbers_in_errors_are_sheet_rows(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Orders"])
    ws.append(["order_id", "order_time", "amount"])
    ws.append(["1", "2024-11-11 10:00:00", 5])
    ws.append(["2", "2024-11-11 10:05:00", -5])
    p = tmp_path / "neg.xlsx"
    wb.save(p)
    with pytest.raises(InputError, match=r"row 4 -5\.0"):
        read(p)


def test_parquet(tmp_path):
    df = pd.DataFrame({
        "order_id": ["a", "b", "c"],
        "order_time": pd.to_datetime(["2024-11-11 10:00", "2024-11-11 10:20", "2024-11-11 11:00"]),
        "amount": [1.0, 2.0, 3.0],
        "status": ["paid", "paid", "pending"],
    })
    p = tmp_path / "orders.parquet"
    df.to_parquet(p)
    o = read(p)
    assert o.report.rows_kept == 2
    assert o.arrivals("30min")["arrivals"].sum() == 2


def test_missing_and_empty_files(tmp_path):
    (tmp_path / "orders.csv").write_text(GENERIC)
    with pytest.raises(InputError, match="no such file; did you mean orders.csv"):
        read(tmp_path / "order.csv")
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(InputError, match="empty.csv is empty"):
        read(tmp_path / "empty.csv")
    (tmp_path / "header.csv").write_text("order_id,order_time,amount\n")
    with pytest.raises(InputError, match="header but no data rows"):
        read(tmp_path / "header.csv")
    (tmp_path / "blank.csv").write_text("\n\n  \n")
    with pytest.raises(InputError, match="only blank lines"):
        read(tmp_path / "blank.csv")


def test_ragged_row_names_its_line(tmp_path):
    p = write(tmp_path, "r.csv", "order_id,order_time,amount\n1,2024-11-11 10:00:00,3\n2,2024-11-11\n")
    with pytest.raises(InputError, match="line 3: expected 3 fields like the header, found 2"):
        read(p)


# --------------------------------------------------------------------------- presets
def test_shopify_line_items_cancelled_and_pending(tmp_path):
    text = (
        "Name,Email,Financial Status,Paid at,Total,Created at,Lineitem name,Cancelled at\n"
        "#1001,a@x,paid,2024-11-11 08:15:00 -0400,50.00,2024-11-11 08:15:00 -0400,Hat,\n"
        "#1001,a@x,,,,2024-11-11 08:15:00 -0400,Scarf,\n"
        "#1002,b@x,pending,,20.00,2024-11-11 09:00:00 -0400,Hat,\n"
        "#1003,c@x,voided,,20.00,2024-11-11 09:30:00 -0400,Hat,2024-11-11 10:00:00 -0400\n"
        "#1004,d@x,paid,,30.00,2024-11-12 07:59:00 -0500,Cap,\n"
    )
    o = read(write(tmp_path, "orders_export.csv", text))
    assert o.report.preset == "shopify"
    assert o.report.merged["rows"] == 1 and o.report.merged["order_ids"] == 1
    assert o.report.rows_kept == 2
    reasons = {(d["column"], d["value"]): d["rows"] for d in o.report.dropped}
    assert reasons == {("Financial Status", "pending"): 1, ("Financial Status", "voided"): 1}
    times = sorted(o.times())
    # -0400 08:15 is 20:15 in Beijing; -0500 07:59 on the 12th is 20:59
    assert times == [pd.Timestamp("2024-11-11 20:15"), pd.Timestamp("2024-11-12 20:59")]


def test_user_mapping_and_time_col(tmp_path):
    text = "单号,时间点,金额\nx1,2024-11-11 10:00:00,5\nx2,2024-11-11 10:10:00,6\n"
    p = write(tmp_path, "m.csv", text)
    o = read(p, mapping=parse_map(["order_id=单号", "amount=金额"]), time_col="时间点")
    assert o.report.columns == {"order_id": "单号", "order_time": "时间点", "amount": "金额"}
    assert o.report.rows_kept == 2
    with pytest.raises(InputError, match="unknown field 'ordertime'.*did you mean 'order_time'"):
        read(p, mapping={"ordertime": "时间点"})
    with pytest.raises(InputError, match="no column '时间' .*columns found: 单号, 时间点, 金额"):
        read(p, time_col="时间")
    with pytest.raises(InputError, match="--preset 'taobo': unknown preset.*did you mean 'taobao'"):
        read(p, preset="taobo", time_col="时间点")
    with pytest.raises(InputError, match="expected FIELD=COLUMN"):
        parse_map(["order_time"])


def test_no_timestamp_column_lists_columns_presets_and_candidates(tmp_path):
    p = write(tmp_path, "nt.csv", "id,day,value\n1,20141111,3\n2,20141112,4\n")
    with pytest.raises(InputError) as err:
        read(p)
    msg = str(err.value)
    assert "no timestamp column found; columns found: id, day, value" in msg
    assert "preset taobao looks for 订单创建时间 or 下单时间" in msg
    assert "preset shopify looks for Created at" in msg
    assert "preset generic looks for order_time" in msg and "matches its order_id" in msg
    assert "columns holding dates: day" in msg
    assert "--time-col" in msg


# --------------------------------------------------------------------------- timestamps
@pytest.mark.parametrize(
    "value, expected",
    [
        ("2024-11-11 20:15:00", "2024-11-11 20:15:00"),
        ("2024/11/11 20:15", "2024-11-11 20:15:00"),
        ("2024-11-11T20:15:00.250", "2024-11-11 20:15:00.250000"),
        ("2024-11-11T12:15:00Z", "2024-11-11 20:15:00"),
        ("2024-11-11T20:15:00+08:00", "2024-11-11 20:15:00"),
        ("2024-11-11 07:15:00 -0500", "2024-11-11 20:15:00"),
        ("2024年11月11日 20:15", "2024-11-11 20:15:00"),
        ("20241111", "2024-11-11 00:00:00"),
        ("20241111201500", "2024-11-11 20:15:00"),
        ("1731327300", "2024-11-11 20:15:00"),
        ("1731327300000", "2024-11-11 20:15:00"),
        ("11/13/2024 8:15 PM", "2024-11-13 20:15:00"),
    ],
)
def test_time_layouts(tmp_path, value, expected):
    p = write(tmp_path, "t.csv", f"order_time\n{value}\n")
    assert str(read(p).times()[0]) == expected


def test_dayfirst_and_monthfirst_inferred_when_the_data_settle_it(tmp_path):
    day = write(tmp_path, "d.csv", "order_time\n11/02/2017 10:56\n25/02/2017 10:56\n")
    o = read(day)
    assert "dayfirst (inferred from the data)" in o.report.time_format
    assert [t.month for t in o.times()] == [2, 2]
    month = write(tmp_path, "m.csv", "order_time\n11/2/2017 10:56\n11/25/2017 10:56\n")
    o = read(month)
    assert "monthfirst" in o.report.time_format
    assert [t.month for t in o.times()] == [11, 11]


def test_ambiguous_day_month_needs_a_flag(tmp_path):
    p = write(tmp_path, "a.csv", "order_time\n11/2/2017 10:56\n3/4/2017 09:00\n")
    with pytest.raises(InputError, match="--dayfirst .*--monthfirst"):
        read(p)
    assert [t.month for t in read(p, order="dayfirst").times()] == [2, 4]
    assert [t.month for t in read(p, order="monthfirst").times()] == [11, 3]


def test_day_month_first_mixed_is_refused(tmp_path):
    p = write(tmp_path, "x.csv", "order_time\n25/2/2017 10:56\n2/25/2017 10:56\n")
    with pytest.raises(InputError, match="day-first and month-first dates are mixed"):
        read(p)


def test_unparseable_date_names_row_and_value(tmp_path):
    text = GENERIC.replace("2024-11-11 01:00:00", "2024-13-01 01:00:00")
    with pytest.raises(InputError) as err:
        read(write(tmp_path, "u.csv", text))
    assert err.value.problems[0].startswith("u.csv row 5: column 'order_time' has '2024-13-01 01:00:00'")
    assert "expected e.g. 2024-11-11 20:15:00" in err.value.problems[0]


def test_empty_time_and_unknown_layout(tmp_path):
    with pytest.raises(InputError, match="row 3: column 'order_time' is empty"):
        read(write(tmp_path, "e.csv", "order_id,order_time\n1,2024-11-11 10:00:00\n2,\n"))
    with pytest.raises(InputError, match="row 2: column 'order_time' has 'next tuesday'"):
        read(write(tmp_path, "n.csv", "order_id,order_time\n1,next tuesday\n"))


def test_times_with_and_without_zone_are_refused(tmp_path):
    text = "order_time\n2024-11-11 10:00:00\n2024-11-11 10:00:00+08:00\n"
    with pytest.raises(InputError, match="mixes times with no time zone and with a UTC offset"):
        read(write(tmp_path, "z.csv", text))


def test_tz_option(tmp_path):
    p = write(tmp_path, "tz.csv", "order_time\n2024-11-11T12:00:00Z\n")
    assert str(read(p, tz="Europe/London").times()[0]) == "2024-11-11 12:00:00"
    a = read(p, tz="America/New_York").arrivals("1D")
    assert str(a["interval_start"].iloc[0]) == "2024-11-11 00:00:00-05:00"
    with pytest.raises(InputError, match="^--time-zone .*not a time zone name.*Asia/Shanghai"):
        read(p, tz="Asia/Shanghia")


def test_infer_format_reports_first_unknown_value():
    with pytest.raises(InputError, match="row 3: column 't' has 'soon'"):
        T.infer_format(["2024-11-11 10:00", "soon"], column="t")
    f = T.infer_format(["2024-11-11 10:00", "2024-11-11 10:00:05", "2024-11-12 11:00:07"])
    assert f.formats == ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M")


# --------------------------------------------------------------------------- validation
def test_future_dates_are_refused(tmp_path):
    text = GENERIC.replace("2024-11-12 12:00:00", "2027-01-01 12:00:00")
    with pytest.raises(InputError, match=r"1 rows have times in the future .* row 7 2027-01-01 12:00:00"):
        read(write(tmp_path, "f.csv", text))
    # the same file read with a later "now" is fine
    assert read(write(tmp_path, "f2.csv", text), now=dt.datetime(2030, 1, 1)).report.rows_kept == 4


def test_negative_and_non_numeric_amounts(tmp_path):
    text = GENERIC.replace(",20,paid", ",-20,paid")
    with pytest.raises(InputError, match=r"negative amount in column 'amount', e.g. row 3 -20\.0"):
        read(write(tmp_path, "n.csv", text))
    text = GENERIC.replace(",20,paid", ",twenty,paid")
    with pytest.raises(InputError, match=r"not a number, e.g. row 3 'twenty'"):
        read(write(tmp_path, "t.csv", text))
    # thousands separators and currency signs are fine
    text = GENERIC.replace(",20,paid", ',"¥1,200.50",paid')
    assert read(write(tmp_path, "ok.csv", text)).report.rows_kept == 4


def test_negative_amount_on_a_dropped_row_is_ignored(tmp_path):
    text = GENERIC.replace(",30,cancelled", ",-30,cancelled")
    assert read(write(tmp_path, "c.csv", text)).report.rows_kept == 4


def test_duplicate_order_ids_reported_then_deduplicated(tmp_path):
    text = GENERIC + "2,2024-11-12 13:00:00,20,paid\n4,2024-11-12 14:00:00,40,paid\n4,2024-11-12 15:00:00,40,paid\n"
    p = write(tmp_path, "d.csv", text)
    with pytest.raises(InputError) as err:
        read(p)
    msg = str(err.value)
    assert "2 order ids in column 'order_id' appear more than once (3 extra rows)" in msg
    assert "'2' on row 3, row 8" in msg and "'4' on row 5, row 9, row 10" in msg
    assert "--dedupe" in msg
    o = read(p, dedupe=True)
    assert o.report.merged == {
        "reason": "repeated order ids removed (--dedupe kept the first row of each)",
        "rows": 3, "order_ids": 2,
    }
    assert o.report.rows_kept == 4  # the 4 paid originals; the repeats are gone
    assert sorted(o.times().dt.hour) == [0, 0, 1, 12]


def test_excel_text_wrappers_on_ids_do_not_hide_duplicates(tmp_path):
    text = 'order_id,order_time\n="1001",2024-11-11 10:00:00\n1001\t,2024-11-11 11:00:00\n'
    with pytest.raises(InputError, match="'1001' on row 2, row 3"):
        read(write(tmp_path, "x.csv", text))


def test_keep_all_keeps_cancelled_and_unpaid(tmp_path):
    o = read(write(tmp_path, "k.csv", GENERIC), keep_all=True)
    assert o.report.rows_kept == 6 and o.report.dropped == []


def test_everything_dropped_is_an_error(tmp_path):
    text = "order_id,order_time,status\n1,2024-11-11 10:00:00,cancelled\n"
    with pytest.raises(InputError, match="all 1 rows were dropped .*--keep-all"):
        read(write(tmp_path, "all.csv", text))


def test_typed_fast_path_and_text_path_agree(tmp_path, rng):
    n = 3000
    t = pd.Timestamp("2024-03-01") + pd.to_timedelta(rng.integers(0, 30 * 86400, n), unit="s")
    df = pd.DataFrame({"order_id": np.arange(n), "order_time": t.strftime("%Y-%m-%d %H:%M:%S"),
                       "amount": rng.uniform(1, 100, n).round(2), "status": "paid"})
    fast = tmp_path / "fast.csv"
    df.to_csv(fast, index=False)
    slow = tmp_path / "slow.csv"  # surrounding spaces force the text path
    df.assign(order_time=" " + df["order_time"]).to_csv(slow, index=False)
    a, b = read(fast).arrivals("15min"), read(slow).arrivals("15min")
    pd.testing.assert_frame_equal(a, b)
    expected = pd.Series(1, index=t).resample("15min").size()
    got = a.set_index("interval_start")["arrivals"]
    got.index = got.index.tz_localize(None)
    assert (got.reindex(expected.index) == expected).all()
    assert got.sum() == n


# --------------------------------------------------------------------------- aggregation
def test_arrivals_zero_filled_over_whole_days(tmp_path):
    o = read(write(tmp_path, "g.csv", GENERIC))
    a = o.arrivals("15min")
    assert len(a) == 2 * 96
    assert a["interval_start"].iloc[0] == pd.Timestamp("2024-11-11 00:00", tz="Asia/Shanghai")
    assert a["arrivals"].iloc[:5].tolist() == [2, 0, 0, 0, 1]
    assert a["arrivals"].sum() == 4
    d = o.daily()
    assert d["orders"].tolist() == [3, 1]
    assert parse_freq("1D") == 86400 and parse_freq("30min") == 1800 and parse_freq("h") == 3600
    for bad in ("7min", "abc", "0min"):
        with pytest.raises(InputError, match="--freq"):
            parse_freq(bad)


def test_hour_weekday_shares_and_peak_days(tmp_path):
    # 40 days, 10 orders a day at 09:xx, one peak day of 100 orders at 21:xx
    days = pd.date_range("2024-10-01", periods=40, freq="D")
    rows = [(d + pd.Timedelta(hours=9, minutes=i)) for d in days for i in range(10)]
    peak = pd.Timestamp("2024-11-05")
    rows += [peak + pd.Timedelta(hours=21, seconds=i) for i in range(90)]
    df = pd.DataFrame({"order_id": range(len(rows)), "order_time": rows})
    p = tmp_path / "p.csv"
    df.to_csv(p, index=False)
    prof = read(p).profile(top=3)
    h = prof["hour_shares"].set_index("hour")["share"]
    assert h[9] == pytest.approx(400 / 490) and h[21] == pytest.approx(90 / 490)
    assert h.sum() == pytest.approx(1.0)
    w = prof["weekday_shares"]
    assert w["share"].sum() == pytest.approx(1.0)
    assert w.loc[w["weekday"] == peak.weekday(), "index"].item() > 1.5
    top = prof["peak_days"].iloc[0]
    assert top["date"] == peak and top["orders"] == 100
    assert top["ratio_to_mean"] == pytest.approx(100 / (490 / 40))
    assert top["ratio_to_baseline"] == pytest.approx(10.0)  # days D-27..D-6 hold 10 a day
    assert np.isnan(prof["peak_days"]["ratio_to_baseline"]).sum() >= 0
    assert prof["days"] == 40


def test_find_header_row_and_unique_names():
    rows = [["订单报表"], [""], ["订单编号", "下单时间", "备注", "备注", ""], ["1", "x", "", "", ""]]
    assert R.find_header_row(rows, {"订单编号", "下单时间"}) == 2
    assert R.find_header_row([["title"], ["a", "b", "c"], ["1", "2", "3"]], set()) == 1
    assert R.unique_names(["a", "备注", "备注", "", " b "]) == ["a", "备注", "备注_2", "column4", "b"]


def test_dates_without_time_of_day_have_no_hour_shares(tmp_path):
    p = write(tmp_path, "d.csv", "day,n\n20141110,1\n20141111,2\n20141111,3\n")
    prof = read(p, time_col="day").profile()
    assert prof["has_time_of_day"] is False and prof["hour_shares"] is None
    assert prof["peak_days"]["orders"].tolist() == [2, 1]
    assert read(write(tmp_path, "t.csv", GENERIC)).profile()["has_time_of_day"] is True


def test_hour_weekday_grid(tmp_path):
    # Mon 2024-11-11 .. Sun 2024-11-24: two of each weekday; Mondays at 09:xx, one Friday 21:xx
    text = "order_time\n2024-11-11 09:00:00\n2024-11-11 09:30:00\n2024-11-18 09:10:00\n" \
           "2024-11-15 21:00:00\n2024-11-24 10:00:00\n"
    o = read(write(tmp_path, "hw.csv", text))
    counts = o.hour_weekday(per_day=False)
    assert counts.shape == (7, 24) and counts.to_numpy().sum() == 5
    assert counts.loc[0, 9] == 3 and counts.loc[4, 21] == 1 and counts.loc[6, 10] == 1
    mean = o.hour_weekday()
    assert mean.loc[0, 9] == 1.5 and mean.loc[4, 21] == 0.5
