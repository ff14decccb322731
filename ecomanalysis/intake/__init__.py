"""A shop's own exports (orders, chats) -> clean events -> arrivals per interval.

Public API::

    from ecomanalysis.intake import read_orders, read_chats, generate_sample_shop

    orders = read_orders("订单报表.csv")           # preset, encoding, date layout detected
    orders.arrivals("15min")                        # interval_start, arrivals (zeros included)
    orders.profile()                                # hour/weekday shares, peak days, drops
    chats = read_chats("chats.csv")
    chats.arrivals("30min")                         # arrivals and mean handle time per channel
    chats.agent_concurrency()                       # max and time-weighted mean per agent
    read_order_files([{"path": "tb.csv", "platform": "taobao"}, {"path": "jd.xlsx"}])  # merged
    read_cs_daily("客服绩效.xlsx")                    # the CS performance report, per day

Modules: :mod:`.readers` (files, encodings, header row), :mod:`.presets` (column presets),
:mod:`.timestamps` (date layouts, time zones), :mod:`.aggregate` (DuckDB aggregations),
:mod:`.orders`, :mod:`.chats`, :mod:`.cs_daily` (the 客服绩效 report), :mod:`.sample` (the deterministic sample shop) and
:mod:`.make_examples` (rebuilds the real example and calibration tables in ``data/examples``).
"""

from ecomanalysis.intake.aggregate import parse_freq, peak_days
from ecomanalysis.intake.chats import ChatSessions, read_chats
from ecomanalysis.intake.cs_daily import read_cs_daily
from ecomanalysis.intake.orders import IntakeReport, OrderEvents, read_order_files, read_orders
from ecomanalysis.intake.presets import load_presets, parse_map
from ecomanalysis.intake.sample import (
    generate_sample_shop,
    load_calibration,
    sample_shop_paths,
    write_sample_shop,
)
from ecomanalysis.intake.timestamps import DEFAULT_TZ

__all__ = [
    "ChatSessions",
    "DEFAULT_TZ",
    "IntakeReport",
    "OrderEvents",
    "generate_sample_shop",
    "load_calibration",
    "load_presets",
    "parse_freq",
    "parse_map",
    "peak_days",
    "read_chats",
    "read_cs_daily",
    "read_order_files",
    "read_orders",
    "sample_shop_paths",
    "write_sample_shop",
]
