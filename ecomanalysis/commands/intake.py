"""CLI: ``arrivals``, ``profile`` and ``sample`` (shop data intake, :mod:`ecomanalysis.intake`).

Examples::

    ecomanalysis arrivals 订单报表.csv --freq 15min -o arrivals.csv
    ecomanalysis arrivals orders.xlsx --map order_time=下单时间 --monthfirst
    ecomanalysis profile orders.csv --top 5 -o profile.json
    ecomanalysis arrivals chats.csv --chats --freq 30min
    ecomanalysis sample --days 365 --seed 7 --out data/shops/sample
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ecomanalysis.errors import InputError

DEFAULT_TZ = "Asia/Shanghai"  # same as ecomanalysis.intake.timestamps.DEFAULT_TZ (kept light)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE", help="order export: .csv (UTF-8/GBK), .xlsx or .parquet")
    p.add_argument("--preset", help="column preset: generic, taobao, shopify (chats: generic, zh); "
                                    "detected when omitted")
    p.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN",
                   help="which column holds a field, e.g. --map order_time=下单时间 (repeatable)")
    p.add_argument("--time-col", metavar="COLUMN",
                   help="the column holding the order time (with --chats: the session start)")
    p.add_argument("--tz", default=DEFAULT_TZ,
                   help=f"time zone of times without one, and of the output (default {DEFAULT_TZ})")
    order = p.add_mutually_exclusive_group()
    order.add_argument("--dayfirst", dest="order", action="store_const", const="dayfirst",
                       help="dates like 11/2/2017 are day first (11 February)")
    order.add_argument("--monthfirst", dest="order", action="store_const", const="monthfirst",
                       help="dates like 11/2/2017 are month first (2 November)")
    p.add_argument("--dedupe", action="store_true",
                   help="keep the first row of each repeated order id instead of refusing the file")
    p.add_argument("--keep-all", action="store_true",
                   help="keep cancelled and unpaid orders (dropped by default)")
    p.add_argument("--chats", action="store_true",
                   help="FILE is a chat/session export (start, end or duration, agent, channel)")


def register(sub) -> None:
    p = sub.add_parser(
        "arrivals",
        help="orders (or chats) per interval from a shop export",
        description="Count orders per interval (empty intervals as 0) from an order export; with "
                    "--chats, chat sessions and their mean handle time per channel.",
    )
    _common(p)
    p.add_argument("--freq", default="15min", help="interval: 15min, 30min, 1h, 1D (default 15min)")
    p.add_argument("-o", "--output", metavar="OUT.csv", help="write CSV here (default: stdout)")
    p.set_defaults(func=arrivals_cmd)

    p = sub.add_parser(
        "profile",
        help="hour and weekday shares, peak days and what was dropped",
        description="Profile a shop export: rows read and dropped (and why), hour-of-day and "
                    "weekday shares, the busiest days with their peak-to-mean ratios.",
    )
    _common(p)
    p.add_argument("--top", type=int, default=10, help="peak days to list (default 10)")
    p.add_argument("-o", "--output", metavar="OUT.json", help="also write the profile as JSON")
    p.set_defaults(func=profile_cmd)

    p = sub.add_parser(
        "sample",
        help="write the deterministic sample shop (orders.csv, chats.csv)",
        description="Generate a year of orders and chat sessions of a shop growing through the "
                    "five stages of seed 002 (calibration: data/examples/README.md).",
    )
    p.add_argument("--days", type=int, default=365, help="days from launch (default 365)")
    p.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    p.add_argument("--start", default="2025-01-01", help="launch date (default 2025-01-01)")
    p.add_argument("--out", required=True, metavar="DIR", help="folder for orders.csv and chats.csv")
    p.set_defaults(func=sample_cmd)


def _read(args):
    from ecomanalysis.intake import parse_map, read_chats, read_orders

    mapping = parse_map(args.map)
    if args.chats:
        if args.dedupe or args.keep_all:
            raise InputError("--dedupe and --keep-all apply to order exports, not --chats")
        return read_chats(args.file, args.preset, mapping, args.time_col, args.tz, args.order)
    return read_orders(args.file, args.preset, mapping, args.time_col, args.tz, args.order,
                       dedupe=args.dedupe, keep_all=args.keep_all)


def _emit(write) -> None:
    """Run ``write()`` on stdout; a reader that went away (``| head``) is not an error."""
    import os

    try:
        write()
        sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _check_output(path: str | None, suffix: str) -> Path | None:
    if path is None:
        return None
    out = Path(path)
    if out.is_dir():
        raise InputError(f"-o {path}: is a folder; expected a file name ending in {suffix}")
    return out


def _summary(report) -> str:
    text = f"{Path(report.file).name}: read {report.rows_read:,} rows, kept {report.rows_kept:,}"
    lines = report.drop_lines()
    return text + (f"; dropped {'; '.join(lines)}" if lines else "")


def arrivals_cmd(args) -> int:
    from ecomanalysis._io import write_csv
    from ecomanalysis.intake import parse_freq

    parse_freq(args.freq)  # refuse a bad interval before reading a large file
    out = _check_output(args.output, ".csv")
    data = _read(args)
    try:
        table = data.arrivals(args.freq)
        print(_summary(data.report), file=sys.stderr)
    finally:
        data.close()
    if out is None:
        _emit(lambda: table.to_csv(sys.stdout, index=False))
    else:
        write_csv(out, table)
        print(f"wrote {out} ({len(table):,} intervals)", file=sys.stderr)
    return 0


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def format_profile(profile: dict) -> str:
    """The order profile as text for the terminal."""
    r = profile["report"]
    how = "detected" if r["preset_detected"] else "given"
    lines = [
        f"{Path(r['file']).name}: preset {r['preset']} ({how}); "
        f"{', '.join(r['source'])}",
        f"time column {r['columns']['order_time']!r}: {r['time_format']}; time zone {r['tz']}",
        f"rows read {r['rows_read']:,}; kept {r['rows_kept']:,}; dropped {r['rows_dropped']:,}",
    ]
    for d in r["dropped"]:
        lines.append(f"  {d['rows']:>10,}  {d['reason']} ({d['column']} = {d['value']})")
    if r["merged"]:
        lines.append(f"  {r['merged']['rows']:>10,}  {r['merged']['reason']}")
    lines.append(
        f"range {r['first_time']} .. {r['last_time']} ({profile['days']} days); "
        f"mean {profile['mean_orders_per_day']:.1f} orders per day"
    )
    h = profile["hour_shares"]
    if h is None:
        lines.append("hour of day: not in the data (the times are dates without a time of day)")
    else:
        lines.append("hour of day (share of orders):")
        for start in range(0, 24, 6):
            chunk = h.iloc[start : start + 6]
            lines.append("  " + "  ".join(f"{int(x):02d}h {_pct(s):>6}" for x, s in
                                          zip(chunk["hour"], chunk["share"], strict=True)))
        peak_hour = h.loc[h["share"].idxmax()]
        lines.append(
            f"  peak {int(peak_hour['hour']):02d}:00, {peak_hour['share'] * 24:.2f}x the mean hour"
        )
    lines.append("weekday (share of orders; index = mean day on that weekday / mean day):")
    for _, w in profile["weekday_shares"].iterrows():
        lines.append(f"  {w['name_en']} {w['name_zh']}  {_pct(w['share']):>6}  {w['index']:.2f}")
    lines.append("peak days (orders; x the mean day; x the mean of days D-27..D-6):")
    for _, p in profile["peak_days"].iterrows():
        base = "" if p["ratio_to_baseline"] != p["ratio_to_baseline"] else f"{p['ratio_to_baseline']:.1f}x"
        lines.append(
            f"  {p['date']:%Y-%m-%d} {p['date']:%a}  {int(p['orders']):>8,}  "
            f"{p['ratio_to_mean']:5.1f}x  {base}"
        )
    return "\n".join(lines)


def format_chat_profile(summary: dict) -> str:
    r = summary["report"]
    lines = [f"{Path(r['file']).name}: preset {r['preset']}; {r['rows_read']:,} sessions, "
             f"{r['first_time']} .. {r['last_time']}"]
    lines.append("channel: sessions, mean handle time")
    for _, c in summary["channels"].iterrows():
        lines.append(f"  {c['channel']:<12} {int(c['sessions']):>9,}  {c['mean_handle_s']:.0f} s")
    lines.append("agent: sessions, max concurrent, time-weighted mean concurrent while busy")
    for _, a in summary["agents"].iterrows():
        lines.append(f"  {a['agent']:<12} {int(a['sessions']):>9,}  {int(a['max_concurrent']):>3}  "
                     f"{a['mean_concurrent']:.2f}")
    return "\n".join(lines)


def _jsonable(profile: dict) -> dict:
    out = {}
    for k, v in profile.items():
        if hasattr(v, "to_dict"):
            v = v.astype({c: str for c in v.columns if str(v[c].dtype).startswith("datetime")})
            out[k] = v.to_dict(orient="records")
        else:
            out[k] = v
    return out


def profile_cmd(args) -> int:
    from ecomanalysis._io import write_json
    from ecomanalysis.bounds import check

    check("top", args.top, "--top", integer=True)
    out = _check_output(args.output, ".json")
    data = _read(args)
    try:
        if args.chats:
            from ecomanalysis.intake.chats import summary

            prof = summary(data)
            text = format_chat_profile(prof)
        else:
            prof = data.profile(args.top)
            text = format_profile(prof)
    finally:
        data.close()
    _emit(lambda: print(text))
    if out is not None:
        write_json(out, _jsonable(prof))
        print(f"wrote {out}", file=sys.stderr)
    return 0


def sample_cmd(args) -> int:
    import os

    from ecomanalysis.bounds import check_all, date_problems
    from ecomanalysis.intake import write_sample_shop

    check_all([("days", args.days, "--days"), ("seed", args.seed, "--seed")], integer=True)
    if bad := date_problems([args.start], "--start", rows=[None]):
        raise InputError(bad[0])
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {args.out}: is a file; expected a folder")
    created = not out.exists()
    try:
        paths = write_sample_shop(out, args.days, args.seed, args.start)
    except BaseException:  # disk full, read-only, Ctrl-C: no half-written sample shop stays
        if created:
            import shutil

            shutil.rmtree(out, ignore_errors=True)
        raise
    for path in paths.values():
        print(f"wrote {path} ({os.path.getsize(path) / 1e6:.1f} MB)")
    return 0
