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
    DEFAULT_TZ,
    add_input_options,
    add_lang,
    add_out_dir,
    add_output_file,
    read_export,
    read_options,
)
from ecomanalysis.errors import InputError
from ecomanalysis.i18n import N_, translator
from ecomanalysis.intake.presets import detect_zone

#: The terminal text of ``profile`` and ``arrivals`` (msgids of the message catalogs).
PROFILE_TEXT = {
    "detected": N_("detected"),
    "given": N_("given"),
    "head": N_("{names}: preset {preset} ({how}); {source}"),
    "time": N_("time column {column!r}: {fmt}; time zone {tz}"),
    "rows": N_("rows read {read:,}; kept {kept:,}; dropped {dropped:,}"),
    "range": N_("range {first} .. {last} ({days} days); mean {mean:.1f} orders per day"),
    "no_hours": N_("hour of day: not in the data (the times are dates without a time of day)"),
    "hours": N_("hour of day (share of orders):"),
    "peak_hour": N_("  peak {hour:02d}:00, {x:.2f}x the mean hour"),
    "platforms": N_("platforms (orders, share, peak hour):"),
    "platform_line": N_("{hour}:00 ({x}x the mean hour)"),
    "weekdays": N_("weekday (share of orders; index = mean day on that weekday / mean day):"),
    "peaks": N_("peak days (orders; x the mean day; x the mean of days D-27..D-6):"),
    "summary": N_("{file}: read {read:,} rows, kept {kept:,}"),
    "dropped": N_("; dropped {what}"),
    "wrote": N_("wrote {out} ({n:,} intervals)"),
    "wrote_file": N_("wrote {out}"),
    "hour": N_("{hour:02d}h"),
}
#: Chat channels the intake normalises to (ecomanalysis.intake.chats) in words.
CHANNELS = {"pre_sale": N_("pre-sale"), "after_sale": N_("after-sale")}
#: Weekday names (Monday first) and their short forms in peak-day lines.
WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))


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
    add_lang(p, default="en")
    p.set_defaults(func=sample_cmd)
    _register_init(sub)


def _read(args):
    from ecomanalysis.intake import parse_map, read_chats, read_order_files

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
        return read_chats(args.file, args.preset, mapping, args.time_col, args.tz or DEFAULT_TZ,
                          args.order)
    return read_export(Path(args.file), args)


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
    """The profile/arrivals terminal text in ``lang`` (:data:`PROFILE_TEXT`)."""
    _ = translator(lang if lang in ("zh", "en") else "en")
    return {k: _(v) for k, v in PROFILE_TEXT.items()}


def _summary(report, lang: str | None = "en") -> str:
    from ecomanalysis.commands._text import drop_lines

    t = _texts(lang)
    text = t["summary"].format(file=Path(report.file).name, read=report.rows_read,
                               kept=report.rows_kept)
    lines = drop_lines(report, lang or "en")
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
    from ecomanalysis.commands._text import drop_reason, merge_line, time_format

    lang = lang if lang in ("zh", "en") else "en"
    _ = translator(lang)
    t = _texts(lang)
    r = profile["report"]
    how = t["detected"] if r["preset_detected"] else t["given"]
    names = " + ".join(Path(f).name for f in str(r["file"]).split(" + "))
    source = _(", ").join(_source_notes(r["source"], lang))
    lines = [
        t["head"].format(names=names, preset=r["preset"], how=how, source=source),
        t["time"].format(column=r["columns"]["order_time"],
                         fmt=time_format(r["time_format"], lang), tz=r["tz"]),
        t["rows"].format(read=r["rows_read"], kept=r["rows_kept"], dropped=r["rows_dropped"]),
    ]
    for d in r["dropped"]:
        value = _("(any value)") if d["value"] == "(any value)" else d["value"]
        lines.append(f"  {d['rows']:>10,}  {drop_reason(d['reason'], lang)} "
                     f"({d['column']} = {value})")
    if r["merged"]:
        lines.append(f"  {r['merged']['rows']:>10,}  "
                     + merge_line(r["merged"], lang).split(" ", 1)[1])
    if r.get("empty_rows"):
        lines.append(f"  {r['empty_rows']:>10,}  " + _("empty rows skipped"))
    lines.append(t["range"].format(first=r["first_time"], last=r["last_time"], days=profile["days"],
                                   mean=profile["mean_orders_per_day"]))
    h = profile["hour_shares"]
    if h is None:
        lines.append(t["no_hours"])
    else:
        lines.append(t["hours"])
        for start in range(0, 24, 6):
            chunk = h.iloc[start : start + 6]
            lines.append("  " + "  ".join(f"{t['hour'].format(hour=int(x))} {_pct(s):>6}" for x, s in
                                          zip(chunk["hour"], chunk["share"], strict=True)))
        peak_hour = h.loc[h["share"].idxmax()]
        lines.append(t["peak_hour"].format(hour=int(peak_hour["hour"]), x=peak_hour["share"] * 24))
    pl = profile.get("platforms")
    if pl is not None:
        lines.append(t["platforms"])
        for _i, p in pl.iterrows():
            hours = p[[f"h{h:02d}" for h in range(24)]].to_numpy(dtype=float)
            peak = t["platform_line"].format(hour=f"{int(hours.argmax()):02d}",
                                             x=f"{hours.max() * 24:.2f}")
            lines.append(f"  {p['platform']:<12} {int(p['orders']):>9,}  {_pct(p['share']):>6}  "
                         f"{peak}")
    lines.append(t["weekdays"])
    for _i, w in profile["weekday_shares"].iterrows():
        day = _(WEEKDAYS[int(w["weekday"])]) if "weekday" in w else w[f"name_{lang}"]
        lines.append(f"  {day}  {_pct(w['share']):>6}  {w['index']:.2f}")
    lines.append(t["peaks"])
    for _i, p in profile["peak_days"].iterrows():
        base = "" if p["ratio_to_baseline"] != p["ratio_to_baseline"] else f"{p['ratio_to_baseline']:.1f}x"
        lines.append(
            f"  {p['date']:%Y-%m-%d} {_(WEEKDAYS[p['date'].weekday()])}  {int(p['orders']):>8,}  "
            f"{p['ratio_to_mean']:5.1f}x  {base}"
        )
    return "\n".join(lines)


def _source_notes(notes, lang: str) -> list[str]:
    """The reader's notes (``encoding utf-8``; several files: ``a.csv: encoding ...``)."""
    from ecomanalysis.commands._text import source_note

    out = []
    for note in notes:
        head, sep, rest = note.partition(": ")
        if sep and "," in rest:  # one file of several: "tb.csv: encoding gbk, delimiter ','"
            _ = translator(lang)
            out.append(head + sep + _(", ").join(
                source_note(n, lang) for n in rest.split(", ")))
        else:
            out.append(source_note(note, lang))
    return out


def format_chat_profile(summary: dict, lang: str = "en") -> str:
    _ = translator(lang)
    r = summary["report"]
    lines = [_("{file}: preset {preset}; {n} sessions, {first} .. {last}",
               file=Path(r["file"]).name, preset=r["preset"], n=f"{r['rows_read']:,}",
               first=r["first_time"], last=r["last_time"])]
    lines.append(_("channel: sessions, mean handle time"))
    for _i, c in summary["channels"].iterrows():
        channel = _(CHANNELS[c["channel"]]) if c["channel"] in CHANNELS else c["channel"]
        lines.append(f"  {channel:<12} {int(c['sessions']):>9,}  "
                     + _("{s} s", s=f"{c['mean_handle_s']:.0f}"))
    lines.append(_("agent: sessions, max concurrent, time-weighted mean concurrent while busy"))
    for _i, a in summary["agents"].iterrows():
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
            text = format_chat_profile(prof, args.lang)
        else:
            prof = data.profile(args.top)
            text = format_profile(prof, args.lang)
    finally:
        data.close()
    _emit(lambda: print(text))
    if out is not None:
        write_json(out, _jsonable(prof))
        print(_texts(args.lang)["wrote_file"].format(out=out), file=sys.stderr)
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
    _ = translator(args.lang)
    for path in paths.values():
        print(_("wrote {out} ({mb} MB)", out=path, mb=f"{os.path.getsize(path) / 1e6:.1f}"))
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


#: What ``init`` prints around its findings (msgids).
INIT_TEXT = {"found": N_("found"), "assumed": N_("assumed"), "next": N_("next"),
             "fill": N_("fill in"), "wrote": N_("wrote"),
             "template_next": N_("fill in daily_orders (or daily_visitors and conversion) and "
                                 "team, then:")}

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


def _read_for_init(path: Path, opts: dict, assumed: list[str], lang: str = "en",
                   explicit_tz: bool = False):
    """read_orders with detection of what the export does not say (the time zone only when
    ``--time-zone`` was not given); returns (events, opts)."""
    from ecomanalysis.intake import read_orders

    _ = translator(lang)
    opts = dict(opts)
    for _attempt in range(3):
        try:
            ev = read_orders(path, **opts)
        except InputError as exc:
            text = str(exc)
            if "no timestamp column found" in text and not opts.get("time_col"):
                cands = _time_candidates(path, opts)
                if not cands:
                    raise
                opts["time_col"] = cands[0]
                assumed.append(_("order time column {column!r} (no preset names it; its values "
                                 "are dates)", column=cands[0])
                               + (_("; other date columns: {list}", list=", ".join(cands[1:]))
                                  if len(cands) > 1 else ""))
                continue
            if "appear more than once" in text and not opts.get("dedupe"):
                opts["dedupe"] = True
                assumed.append(_("dedupe: true (order ids repeat: the first row of each is kept)"))
                continue
            raise
        offsets = ev.report.offsets
        if offsets:
            zone = detect_zone(offsets)
            if zone and zone != opts["tz"] and not explicit_tz:
                ev.close()
                assumed.append(_("time zone {zone} (the only candidate matching the UTC offsets "
                                 "{offsets} at those dates)", zone=zone,
                                 offsets=", ".join(o["offset"] for o in offsets)))
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
    _ = translator(args.lang)
    t = {k: _(v) for k, v in INIT_TEXT.items()}
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
    print(f"{t['fill']}: " + _("team, city_tier, category ({out})", out=out))
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

    path = Path(args.file)
    opts = read_options(args)
    assumed: list[str] = []
    ev, opts = _read_for_init(path, opts, assumed, args.lang, explicit_tz=args.tz is not None)
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
    found = _orders_found(path, r, prof, timed, opts["tz"], preset, assumed, args.lang)
    order = None
    if "dayfirst" in r.time_format or "monthfirst" in r.time_format:
        order = "dayfirst" if "dayfirst" in r.time_format else "monthfirst"
        if "inferred" in r.time_format:
            _ = translator(args.lang)
            assumed.append(_("date order {order} (settled by the data)",
                                                 order=order))
    files = _other_files(args, opts, out.parent, found)
    text = _profile_yaml(args.name or path.stem, path, out, r, opts, platform, order, files,
                         zone_known=bool(r.offsets) or args.tz is not None)
    return text, found, assumed


def _orders_found(path: Path, r, prof: dict, timed: bool, tz: str, preset,
                  assumed: list[str], lang: str = "en") -> list[str]:
    """What the order export showed (preset, time column, zone, orders, drops, busiest days
    and hours); adds to ``assumed`` what the export could not settle."""
    from ecomanalysis.commands._text import drop_lines, time_format

    _ = translator(lang)
    found = [
        _("{file}: preset {preset} ({how}); {source}", file=path.name, preset=r.preset,
          how=_("detected") if r.preset_auto else _("given"),
          source=_(", ").join(_source_notes(r.source, lang))),
        _("order time column {column!r}: {fmt}", column=r.columns["order_time"],
          fmt=time_format(r.time_format, lang)),
        _("time zone {tz}", tz=tz) + (_(" (times carry UTC offsets)")
                                      if r.offsets or r.time_format == "timestamptz" else
                                      _(" (times have no offset: read as wall-clock time there)")),
        _("{kept} orders kept of {read} rows, {first} .. {last} ({days} days, {mean} orders per "
          "day)", kept=f"{r.rows_kept:,}", read=f"{r.rows_read:,}", first=r.first_time,
          last=r.last_time, days=prof["days"], mean=f"{prof['mean_orders_per_day']:.1f}"),
    ]
    if "status" in r.columns:
        found.append(_("status column {column!r}", column=r.columns["status"]))
    found += [f"  {line}" for line in drop_lines(r, lang)]
    peaks = prof["peak_days"]
    if len(peaks):
        found.append(_("busiest days: {list}", list=_(", ").join(
            f"{d:%Y-%m-%d} ({int(n):,})" for d, n in zip(peaks["date"], peaks["orders"], strict=True))))
    if timed:
        h = prof["hour_shares"]
        top = h.sort_values("share", ascending=False).head(3)
        found.append(_("busiest hours: {list}", list=_(", ").join(
            f"{int(x):02d}:00 {s:.1%}" for x, s in zip(top["hour"], top["share"], strict=True))))
    else:
        assumed.append(_("the export holds dates without times of day: the hour shape comes from "
                         "the standards"))
    if not preset.verified:
        assumed.append(_("the {preset} preset comes from second-hand sources ({source}...): check "
                         "the columns above", preset=r.preset, source=preset.source[:90]))
    return found


def _other_files(args, opts: dict, base: Path, found: list[str]) -> str:
    """Read the chat export and the 客服绩效 report when given (adding what they showed to
    ``found``); their lines of the profile's ``files:`` block."""
    from ecomanalysis.intake import read_chats

    _ = translator(args.lang)
    chats_line = cs_line = ""
    if args.chat_file:
        ch = read_chats(args.chat_file, None, None, None, opts["tz"], opts["order"])
        try:
            found.append(_("{file}: {n} chat sessions (preset {preset}), {first} .. {last}",
                           file=Path(args.chat_file).name, n=f"{ch.report.rows_kept:,}",
                           preset=ch.report.preset, first=ch.report.first_time,
                           last=ch.report.last_time))
        finally:
            ch.close()
        chats_line = f"  chats: {_yaml_str(_rel(Path(args.chat_file), base))}\n"
    if args.cs_daily:
        from ecomanalysis.intake import read_cs_daily

        days = read_cs_daily(args.cs_daily, order=opts["order"])
        found.append(_("{file}: CS performance report, {days} days, {n} inquiring customers "
                       "per day (median)", file=Path(args.cs_daily).name,
                       days=len(days), n=f"{days['inquiries'].median():.0f}"))
        cs_line = f"  cs_daily: {_yaml_str(_rel(Path(args.cs_daily), base))}\n"
    return chats_line + cs_line


#: China's time zones (IANA ``zone.tab``: CN has Asia/Shanghai and Asia/Urumqi): a shop on a
#: platform without a home market (``platform: other``) whose times are Chinese gets CN's
#: calendar written in (marked FILL IN); other zones span several countries' calendars.
def tz_country(tz: str) -> str | None:
    """The country of an IANA time zone (``America/Sao_Paulo`` -> ``BR``) from the zone table
    the ``tzdata`` package ships (``zone.tab``); None for a zone it does not list (``UTC``)."""
    import importlib.resources

    try:
        text = importlib.resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(
            encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return None
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) >= 3 and not line.startswith("#") and parts[2] == tz:
            return parts[0]
    return None


def _country_line(platform: str, tz: str, zone_known: bool) -> str:
    """``country:`` for the shop's calendar: from the time zone where the platform has no
    market and the zone's country has a calendar (China's zone, the default for times without
    an offset, included), or where the platform's market spans countries and the zone, read
    from the export's offsets or given, lies in another market's country (a Shopify shop in Sao
    Paulo sells on Brazil's calendar, not the US/EU one); a commented hint where nothing tells;
    empty where the platform's own calendar applies (a Taobao shop is China's whatever the
    zone)."""
    from ecomanalysis.forecast.settings import market_of_country, markets
    from ecomanalysis.shop import ShopProfile

    own = ShopProfile(name="x", platform=platform, daily_orders=1).event_calendar()
    country = tz_country(tz)
    market = market_of_country(country) if country else None
    hint = "# FILL IN: the country whose shopping festivals and holidays apply (CN, US, BR ...)"
    line = f"country: {country}              {hint}; {country} from the time zone {tz}"
    if not own:
        return line if market else f"# country: CN            {hint}"
    spans = own[0] in set(markets()["market_id"])  # a market of several countries (Shopify)
    if spans and zone_known and market and market not in own:
        return line
    return ""


def _profile_yaml(name: str, path: Path, out: Path, r, opts: dict, platform: str,
                  order: str | None, files: str, zone_known: bool = False) -> str:
    """The shop profile ``init`` writes for an export: every choice the intake made."""
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
        _country_line(platform, opts["tz"], zone_known),
        "# orders per day come from the export (median of the last weeks); set daily_orders to",
        "# plan for another level",
        "team: {}                # FILL IN: people per role today, e.g. {owner: 1, presale_cs: 2}",
        "files:                  # paths relative to this file",
        f"  orders: {_yaml_str(_rel(path, out.parent))}",
        files + f"  preset: {r.preset}            # column preset "
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
    return "\n".join(line for line in lines if line != "") + "\n"
