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

from ecomanalysis.commands._options import (
    add_input_options,
    add_lang,
    add_out_dir,
    add_output_file,
    read_options,
)
from ecomanalysis.errors import InputError


def _common(p: argparse.ArgumentParser, optional_file: bool = False) -> None:
    p.add_argument("file", metavar="FILE", nargs="?" if optional_file else None,
                   help="order export: .csv (UTF-8/GBK), .xlsx or .parquet")
    add_input_options(p)
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
    add_output_file(p, "OUT.csv", help="write CSV here (default: stdout)")
    add_lang(p, default="en")
    p.set_defaults(func=arrivals_cmd)

    p = sub.add_parser(
        "profile",
        help="hour and weekday shares, peak days and what was dropped",
        description="Profile a shop export: rows read and dropped (and why), hour-of-day and "
                    "weekday shares, the busiest days with their peak-to-mean ratios.",
    )
    _common(p, optional_file=True)
    p.add_argument("--top", type=int, default=10, help="peak days to list (default 10)")
    p.add_argument("--shop", metavar="FILE.yaml",
                   help="profile the order exports of a shop YAML (with its intake options; "
                        "several platforms: each one's share and hour shape) instead of FILE")
    add_output_file(p, "OUT.json", help="also write the profile as JSON")
    add_lang(p, default="en")
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
    add_out_dir(p, "folder for orders.csv and chats.csv", old_out=True)
    p.set_defaults(func=sample_cmd)
    _register_init(sub)


def _read(args):
    from ecomanalysis.intake import parse_map, read_chats, read_order_files, read_orders

    if getattr(args, "shop", None):
        from ecomanalysis.shop import load_shop

        if args.file or args.chats:
            raise InputError("--shop reads the shop's own order files; give either FILE or --shop")
        shop = load_shop(args.shop)
        entries = shop.order_entries()
        if not entries:
            raise InputError(f"{args.shop}: no files.orders to profile; expected an order export")
        return read_order_files(entries, tz=shop.time_zone)
    if not args.file:
        raise InputError("FILE is missing; give an order export (or --shop FILE.yaml)")

    mapping = parse_map(args.map)
    if args.chats:
        if args.dedupe or args.keep_all:
            raise InputError("--dedupe and --keep-all apply to order exports, not --chats")
        return read_chats(args.file, args.preset, mapping, args.time_col, args.tz, args.order)
    return read_orders(args.file, **read_options(args))


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


def _texts(lang: str | None) -> dict[str, str]:
    """The profile/arrivals terminal text in ``lang`` (data/intake_presets.yaml: profile_text)."""
    from ecomanalysis.intake.presets import _table

    lang = lang if lang in ("zh", "en") else "en"
    return {k: v[lang] for k, v in _table()["profile_text"].items()}


def _summary(report, lang: str | None = "en") -> str:
    t = _texts(lang)
    text = t["summary"].format(file=Path(report.file).name, read=report.rows_read,
                               kept=report.rows_kept)
    lines = report.drop_lines()
    return text + (t["dropped"].format(what="; ".join(lines)) if lines else "")


def arrivals_cmd(args) -> int:
    from ecomanalysis._io import write_csv
    from ecomanalysis.intake import parse_freq

    parse_freq(args.freq)  # refuse a bad interval before reading a large file
    out = _check_output(args.output, ".csv")
    data = _read(args)
    try:
        table = data.arrivals(args.freq)
        print(_summary(data.report, args.lang), file=sys.stderr)
    finally:
        data.close()
    if out is None:
        _emit(lambda: table.to_csv(sys.stdout, index=False))
    else:
        write_csv(out, table)
        print(_texts(args.lang)["wrote"].format(out=out, n=len(table)), file=sys.stderr)
    return 0


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def format_profile(profile: dict, lang: str | None = "en") -> str:
    """The order profile as text for the terminal, in ``lang`` (zh/en)."""
    t = _texts(lang)
    r = profile["report"]
    how = t["detected"] if r["preset_detected"] else t["given"]
    names = " + ".join(Path(f).name for f in str(r["file"]).split(" + "))
    lines = [
        t["head"].format(names=names, preset=r["preset"], how=how, source=", ".join(r["source"])),
        t["time"].format(column=r["columns"]["order_time"], fmt=r["time_format"], tz=r["tz"]),
        t["rows"].format(read=r["rows_read"], kept=r["rows_kept"], dropped=r["rows_dropped"]),
    ]
    for d in r["dropped"]:
        lines.append(f"  {d['rows']:>10,}  {d['reason']} ({d['column']} = {d['value']})")
    if r["merged"]:
        lines.append(f"  {r['merged']['rows']:>10,}  {r['merged']['reason']}")
    if r.get("empty_rows"):
        lines.append(f"  {r['empty_rows']:>10,}  {t['empty']}")
    lines.append(t["range"].format(first=r["first_time"], last=r["last_time"], days=profile["days"],
                                   mean=profile["mean_orders_per_day"]))
    h = profile["hour_shares"]
    if h is None:
        lines.append(t["no_hours"])
    else:
        lines.append(t["hours"])
        for start in range(0, 24, 6):
            chunk = h.iloc[start : start + 6]
            lines.append("  " + "  ".join(f"{int(x):02d}h {_pct(s):>6}" for x, s in
                                          zip(chunk["hour"], chunk["share"], strict=True)))
        peak_hour = h.loc[h["share"].idxmax()]
        lines.append(t["peak_hour"].format(hour=int(peak_hour["hour"]), x=peak_hour["share"] * 24))
    pl = profile.get("platforms")
    if pl is not None:
        lines.append(t["platforms"])
        for _, p in pl.iterrows():
            hours = p[[f"h{h:02d}" for h in range(24)]].to_numpy(dtype=float)
            lines.append(f"  {p['platform']:<12} {int(p['orders']):>9,}  {_pct(p['share']):>6}  "
                         f"{int(hours.argmax()):02d}:00 ({hours.max() * 24:.2f}x the mean hour)")
    lines.append(t["weekdays"])
    for _, w in profile["weekday_shares"].iterrows():
        lines.append(f"  {w['name_en']} {w['name_zh']}  {_pct(w['share']):>6}  {w['index']:.2f}")
    lines.append(t["peaks"])
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
            text = format_profile(prof, args.lang)
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

    if not args.out_dir:
        raise InputError("--out-dir DIR is missing; expected the folder for orders.csv and chats.csv")
    check_all([("days", args.days, "--days"), ("seed", args.seed, "--seed")], integer=True)
    if bad := date_problems([args.start], "--start", rows=[None]):
        raise InputError(bad[0])
    out = Path(args.out_dir)
    if out.exists() and not out.is_dir():
        raise InputError(f"--out-dir {args.out_dir}: is a file; expected a folder")
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


# --------------------------------------------------------------------------- init
def _register_init(sub) -> None:
    p = sub.add_parser(
        "init",
        help="write a shop YAML from an order export (or a template without one)",
        description="Read an order export, detect its platform preset, order-time column, date "
                    "order, time zone and status column, profile it, and write a commented shop "
                    "YAML with every choice written out; then `ecomanalysis report --shop "
                    "FILE.yaml` makes the report. Without EXPORT: a template for a shop with no "
                    "data yet.",
    )
    p.add_argument("file", metavar="EXPORT", nargs="?", help="order export (.csv, .xlsx, .parquet)")
    p.add_argument("--chats", dest="chat_file", metavar="CHAT_EXPORT",
                   help="chat/session export (千牛 接待记录 ...) to calibrate customer service")
    p.add_argument("--cs-daily", metavar="REPORT",
                   help="the 客服绩效 daily report (询单人数, 平均响应时长 ... per agent and day)")
    p.add_argument("--name", help="shop name (default: from the export's file name)")
    p.add_argument("--platform", help="platform (default: from the detected preset)")
    p.add_argument("--force", action="store_true", help="overwrite an existing YAML file")
    add_input_options(p)
    add_output_file(p, "my_shop.yaml", help="the shop YAML to write (default my_shop.yaml)")
    add_lang(p)
    p.set_defaults(func=init_cmd)


_INIT_TEXT = {
    "en": {
        "found": "found", "assumed": "assumed", "next": "next",
        "fill": "fill in", "wrote": "wrote",
        "template_next": "fill in daily_orders (or daily_visitors and conversion) and team, then:",
    },
    "zh": {
        "found": "识别到", "assumed": "假设", "next": "下一步",
        "fill": "请填写", "wrote": "已写入",
        "template_next": "填写 daily_orders（或 daily_visitors 与 conversion）和 team，然后运行：",
    },
}

#: Words in a column name that mark a time column, tried first when no preset names it.
_TIME_WORDS = ("time", "date", "day", "created", "时间", "日期", "日")


def _time_candidates(path: Path, opts: dict) -> list[str]:
    """Columns whose values look like times, names with time/date words first."""
    from ecomanalysis.intake import presets as P
    from ecomanalysis.intake import readers as R
    from ecomanalysis.intake import timestamps as T
    from ecomanalysis.intake._duck import connect
    from ecomanalysis.intake.orders import _sample

    con = connect(1)
    try:
        with R.open_source(path, con, P.known_columns("orders"), sheet=opts.get("sheet"),
                           names=opts.get("names")) as src:
            cols = [c for c in src.columns
                    if T.native_format(src.column_types[c]) is not None
                    or T.looks_like_time(_sample(con, src, c, 200))]
    finally:
        con.close()
    return sorted(cols, key=lambda c: not any(w in c.lower() for w in _TIME_WORDS))


def _detect_zone(offsets: list[dict]) -> str | None:
    """The first candidate zone whose UTC offset matches every offset seen, at its instants."""
    import datetime as dt
    import zoneinfo

    from ecomanalysis.intake.presets import time_zone_candidates

    def minutes(o: str) -> int:
        if o in ("Z", ""):
            return 0
        sign = -1 if o[0] == "-" else 1
        digits = o[1:].replace(":", "")
        return sign * (int(digits[:2]) * 60 + int(digits[2:4]))

    for name in time_zone_candidates():
        z = zoneinfo.ZoneInfo(name)
        ok = True
        for o in offsets:
            for t in (o["first_utc"], o["last_utc"]):
                at = dt.datetime.fromisoformat(t[:19]).replace(tzinfo=dt.UTC)
                if z.utcoffset(at.astimezone(z)) != dt.timedelta(minutes=minutes(o["offset"])):
                    ok = False
        if ok:
            return name
    return None


def _read_for_init(path: Path, opts: dict, assumed: list[str]):
    """read_orders with detection of what the export does not say; returns (events, opts)."""
    from ecomanalysis.intake import read_orders

    opts = dict(opts)
    for _ in range(3):
        try:
            ev = read_orders(path, **opts)
        except InputError as exc:
            text = str(exc)
            if "no timestamp column found" in text and not opts.get("time_col"):
                cands = _time_candidates(path, opts)
                if not cands:
                    raise
                opts["time_col"] = cands[0]
                assumed.append(f"order time column {cands[0]!r} (no preset names it; its values "
                               "are dates)" + (f"; other date columns: {', '.join(cands[1:])}"
                                               if len(cands) > 1 else ""))
                continue
            if "appear more than once" in text and not opts.get("dedupe"):
                opts["dedupe"] = True
                assumed.append("dedupe: true (order ids repeat: the first row of each is kept)")
                continue
            raise
        offsets = ev.report.offsets
        if offsets:
            zone = _detect_zone(offsets)
            if zone and zone != opts["tz"]:
                ev.close()
                assumed.append(f"time zone {zone} (the only candidate matching the UTC offsets "
                               f"{', '.join(o['offset'] for o in offsets)} at those dates)")
                opts["tz"] = zone
                continue
        return ev, opts
    return read_orders(path, **opts), opts


def _yaml_str(value) -> str:
    import json

    return json.dumps(str(value), ensure_ascii=False)


def _rel(path: Path, base: Path) -> str:
    import os

    return Path(os.path.relpath(path.resolve(), base.resolve())).as_posix()


def init_cmd(args) -> int:
    from ecomanalysis._io import write_text

    out = Path(args.output or "my_shop.yaml")
    if out.is_dir():
        raise InputError(f"-o {out}: is a folder; expected a file name ending in .yaml")
    if out.exists() and not args.force:
        raise InputError(f"-o {out}: exists; choose another name or add --force to overwrite it")
    t = _INIT_TEXT[args.lang]
    from ecomanalysis.shop import PLATFORMS

    if args.platform is not None and args.platform not in PLATFORMS:
        raise InputError(f"--platform {args.platform!r}: expected one of {', '.join(PLATFORMS)}")
    if args.file is None:
        text = _template(args)
        _check_yaml(text, out)
        write_text(out, text)
        print(f"{t['wrote']} {out}")
        print(f"{t['next']}: {t['template_next']} ecomanalysis report --shop {out}")
        return 0
    text, found, assumed = _init_from_export(args, out)
    _check_yaml(text, out)
    write_text(out, text)
    print(f"{t['wrote']} {out}")
    print(f"{t['found']}:")
    for line in found:
        print(f"  {line}")
    if assumed:
        print(f"{t['assumed']}:")
        for line in assumed:
            print(f"  {line}")
    print(f"{t['fill']}: team, city_tier, category ({out})")
    print(f"{t['next']}: ecomanalysis report --shop {out}")
    return 0


def _check_yaml(text: str, out: Path) -> None:
    """The YAML about to be written must load as a shop (else nothing is written)."""
    import yaml

    from ecomanalysis.shop import parse_shop

    parse_shop(yaml.safe_load(text), where=out.name, source_path=out)


def _template(args) -> str:
    name = args.name or "我的店铺"
    return f"""\
# A shop with no data yet (written by `ecomanalysis init`).  Fill in the traffic and the team,
# then: ecomanalysis report --shop THIS_FILE.yaml
name: {_yaml_str(name)}
platform: {args.platform or 'taobao'}   # taobao, tmall, jd, pinduoduo, douyin, kuaishou, shopify, woocommerce, other
category: general           # FILL IN: e.g. womens_apparel, apparel, electronics, beauty (others fall back to general)
city_tier: tier2            # FILL IN: tier1, tier2, tier3 (selects the wage bands)
# Traffic: give orders per day, or the visitors and the conversion (orders = visitors x conversion;
# the seed's funnel: 0.04-0.05)
daily_orders: 100           # FILL IN
# daily_visitors: 2500
# conversion: 0.04
average_order_value_cny: 120
opening_hours: "09:00-24:00"
team:                       # FILL IN: people per role today (`ecomanalysis roles` lists the role ids)
  owner: 1
# files:                    # add your exports later: `ecomanalysis init EXPORT` writes this block
#   orders: exports/orders.csv
standards: {{}}
"""


def _init_from_export(args, out: Path) -> tuple[str, list[str], list[str]]:
    from ecomanalysis.intake import presets as P
    from ecomanalysis.intake import read_chats

    path = Path(args.file)
    opts = read_options(args)
    assumed: list[str] = []
    ev, opts = _read_for_init(path, opts, assumed)
    try:
        r = ev.report
        prof = ev.profile(top=5)
        timed = ev.has_time_of_day()
    finally:
        ev.close()
    preset = P.load_presets("orders")[r.preset]
    platform = args.platform or (preset.platforms[0] if preset.platforms else "other")
    if platform == "generic":
        platform = "other"
    found = [
        f"{path.name}: preset {r.preset} ({'detected' if r.preset_auto else 'given'}); "
        f"{', '.join(r.source)}",
        f"order time column {r.columns['order_time']!r}: {r.time_format}",
        f"time zone {opts['tz']}" + (" (times carry UTC offsets)" if r.offsets else
                                     " (times have no offset: read as wall-clock time there)"),
        f"{r.rows_kept:,} orders kept of {r.rows_read:,} rows, {r.first_time} .. {r.last_time} "
        f"({prof['days']} days, {prof['mean_orders_per_day']:.1f} orders per day)",
    ]
    if "status" in r.columns:
        found.append(f"status column {r.columns['status']!r}")
    found += [f"  {line}" for line in r.drop_lines()]
    peaks = prof["peak_days"]
    if len(peaks):
        found.append("busiest days: " + ", ".join(
            f"{d:%Y-%m-%d} ({int(n):,})" for d, n in zip(peaks["date"], peaks["orders"], strict=True)))
    if timed:
        h = prof["hour_shares"]
        top = h.sort_values("share", ascending=False).head(3)
        found.append("busiest hours: " + ", ".join(
            f"{int(x):02d}:00 {s:.1%}" for x, s in zip(top["hour"], top["share"], strict=True)))
    else:
        assumed.append("the export holds dates without times of day: the hour shape comes from "
                       "the standards")
    if not preset.verified:
        assumed.append(f"the {r.preset} preset comes from second-hand sources ({preset.source[:90]}"
                       "...): check the columns above")
    order = None
    if "dayfirst" in r.time_format or "monthfirst" in r.time_format:
        order = "dayfirst" if "dayfirst" in r.time_format else "monthfirst"
        if "inferred" in r.time_format:
            assumed.append(f"date order {order} (settled by the data)")
    base = out.parent
    chats_line = cs_line = ""
    if args.chat_file:
        ch = read_chats(args.chat_file, None, None, None, opts["tz"], opts["order"])
        try:
            found.append(f"{Path(args.chat_file).name}: {ch.report.rows_kept:,} chat sessions "
                         f"(preset {ch.report.preset}), {ch.report.first_time} .. "
                         f"{ch.report.last_time}")
        finally:
            ch.close()
        chats_line = f"  chats: {_yaml_str(_rel(Path(args.chat_file), base))}\n"
    if args.cs_daily:
        from ecomanalysis.intake import read_cs_daily

        days = read_cs_daily(args.cs_daily, order=opts["order"])
        found.append(f"{Path(args.cs_daily).name}: 客服绩效 report, {len(days)} days, "
                     f"{days['inquiries'].median():.0f} 询单人数 per day (median)")
        cs_line = f"  cs_daily: {_yaml_str(_rel(Path(args.cs_daily), base))}\n"
    name = args.name or path.stem
    mapping = opts.get("mapping") or {}
    lines = [
        f"# Shop profile written by `ecomanalysis init {path.name}`: every choice the intake made",
        "# is written out below; change any of them and rerun the report.",
        "# Next: ecomanalysis report --shop " + out.name,
        f"name: {_yaml_str(name)}",
        f"platform: {platform}   # taobao, tmall, jd, pinduoduo, douyin, kuaishou, shopify, woocommerce, other",
        "category: general       # FILL IN: womens_apparel, apparel, electronics, beauty ... "
        "(others fall back to general)",
        "city_tier: tier2        # FILL IN: tier1, tier2, tier3 (selects the wage bands)",
        "opening_hours: \"09:00-24:00\"   # customer service hours",
        "# orders per day come from the export (median of the last weeks); set daily_orders to",
        "# plan for another level",
        "team: {}                # FILL IN: people per role today, e.g. {owner: 1, presale_cs: 2}",
        "files:                  # paths relative to this file",
        f"  orders: {_yaml_str(_rel(path, base))}",
        chats_line + cs_line + f"  preset: {r.preset}            # column preset "
        f"({'detected' if r.preset_auto else 'given'})",
        f"  time_column: {_yaml_str(r.columns['order_time'])}   # the order time",
        f"  time_zone: {opts['tz']}",
    ]
    if order:
        lines.append(f"  date_order: {order}")
    if mapping:
        lines.append("  map: {" + ", ".join(f"{k}: {_yaml_str(v)}" for k, v in mapping.items()) + "}")
    if opts.get("sheet"):
        lines.append(f"  sheet: {_yaml_str(opts['sheet'])}")
    if opts.get("names"):
        lines.append("  columns: [" + ", ".join(_yaml_str(c) for c in opts["names"]) + "]")
    lines += [
        f"  keep_all: {'true' if opts.get('keep_all') else 'false'}          "
        "# true keeps cancelled and unpaid orders",
        f"  dedupe: {'true' if opts.get('dedupe') else 'false'}            "
        "# true keeps the first row of a repeated order id",
        "  measure_standards: true  # handle times / inquiry conversion from your own records",
        "standards: {}           # overrides of data/standards.csv, e.g. presale_aht_s: 200",
        "",
    ]
    return "\n".join(line for line in lines if line != "") + "\n", found, assumed
