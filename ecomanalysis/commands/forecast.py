"""CLI: ``forecast`` (daily volume with events) and ``peak`` (staffing plan of a promotion peak),
:mod:`ecomanalysis.forecast`.

Examples::

    ecomanalysis forecast daily.csv --horizon 90 -o forecast.csv
    ecomanalysis forecast data/examples/tianchi_mum_baby_daily.csv --column purchases --backtest
    ecomanalysis forecast 订单报表.csv --events cn --events campaigns.csv
    ecomanalysis forecast daily.csv --events none
    ecomanalysis peak                                   # the sample shop's next Double 11
    ecomanalysis peak --shop myshop.yaml --event sale_618 --year 2027 -o plan.csv

FILE is one of (and the command says which it read):

- a daily series CSV: a ``date`` column and a value column (``value``, the only other column, or
  the one named by ``--column``);
- the output of ``ecomanalysis arrivals`` at any frequency (``interval_start``, ``arrivals``):
  the counts are summed to days on the wall-clock date written (UTC offsets, e.g. of daylight
  saving time, are kept as written, so days never shift);
- an order export in any intake preset, read with the same input options as ``arrivals``
  (``--preset``, ``--map``, ``--time-col``, ``--time-zone`` ...): its orders per day.

A file of counts (a date or interval column and a count column) is never read as one order per
row: ``--map order_time=...`` or ``--time-col`` on such a file is refused.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path

from ecomanalysis.commands._options import (
    add_input_options,
    add_lang,
    add_output_file,
    read_export,
)
from ecomanalysis.errors import InputError
from ecomanalysis.i18n import N_, translator

#: Same defaults as ecomanalysis.forecast (kept here so --help stays fast).
DEFAULT_HORIZON_DAYS = 90
DEFAULT_LEVEL = 0.8
DEFAULT_BT_HORIZON_DAYS = 60
DEFAULT_BT_STEP_DAYS = 30
DEFAULT_TZ = "Asia/Shanghai"
#: Decimals written for forecast, lower and upper.
FLOAT_FORMAT = "%.2f"
#: Event groups always shown by --backtest (others appear when the backtest has them).
BACKTEST_GROUPS = ("all days", "non-event days", "event days", "double11")
#: Backtest groups in words (msgids); event ids of the calendar stay as they are.
GROUP_NAMES = {"all days": N_("all days"), "non-event days": N_("non-event days"),
               "event days": N_("event days"), "double11": N_("double11")}


def register(sub) -> None:
    p = sub.add_parser(
        "forecast",
        help="daily volume forecast with Double 11, 618, Spring Festival... and a backtest",
        description="Forecast a daily volume (orders, chats) with weekly and yearly seasonality "
                    "and an event calendar (Double 11, 618, Double 12, 3-8, Spring Festival, "
                    "pre-sales, your own campaigns), with prediction intervals. Output columns: "
                    "date, forecast, lower, upper, event.",
    )
    p.add_argument("file", metavar="FILE",
                   help="daily series CSV (date, value) or an order export (.csv, .xlsx, .parquet)")
    p.add_argument("--horizon", type=int, default=DEFAULT_HORIZON_DAYS, metavar="DAYS",
                   help=f"days to forecast (default {DEFAULT_HORIZON_DAYS})")
    p.add_argument("--events", action="append", metavar="cn|none|FILE",
                   help="event calendar: cn (default), none, or a CSV of events/campaigns "
                        "(repeatable: --events cn --events campaigns.csv adds yours to cn)")
    p.add_argument("--country", action="append", metavar="CODE",
                   help="where the shop sells (repeatable): ISO 3166 code such as CN, US, BR, "
                        "SG; adds that market's shopping events and the country's public "
                        "holidays (replaces the default cn calendar)")
    p.add_argument("--method", choices=("auto", "sarimax"), default="auto",
                   help="auto (default): candidates chosen by the series' own backtest, "
                        "calibrated intervals; sarimax: the single state-space model")
    p.add_argument("--column", metavar="NAME",
                   help="value column of a daily series (default: value, or the only column "
                        "besides date)")
    p.add_argument("--level", type=float, default=DEFAULT_LEVEL,
                   help=f"coverage of the lower..upper interval (default {DEFAULT_LEVEL})")
    p.add_argument("--gaps", choices=("zero", "error"), default="zero",
                   help="missing days: fill with 0 and say so (default) or refuse")
    p.add_argument("--duplicates", choices=("sum", "error"), default="sum",
                   help="repeated dates: add them up and say so (default) or refuse")
    p.add_argument("--backtest", action="store_true",
                   help="print the rolling-origin WAPE/MAPE of the model and of the seasonal "
                        "naive baseline (overall, event days, Double 11); the forecast is then "
                        "written only with -o")
    p.add_argument("--bt-horizon", type=int, default=DEFAULT_BT_HORIZON_DAYS, metavar="DAYS",
                   help=f"backtest: days forecast from each origin (default "
                        f"{DEFAULT_BT_HORIZON_DAYS})")
    p.add_argument("--bt-step", type=int, default=DEFAULT_BT_STEP_DAYS, metavar="DAYS",
                   help=f"backtest: days between origins (default {DEFAULT_BT_STEP_DAYS})")
    p.add_argument("--quiet", action="store_true",
                   help="backtest: no progress (origins done) on stderr")
    add_input_options(p)
    add_output_file(p, "OUT.csv", help="write the forecast CSV here (default: stdout)")
    add_lang(p, default="en")
    p.set_defaults(func=forecast_cmd)
    _register_peak(sub)


def _header(path: Path) -> list[str] | None:
    """Column names of a CSV file (UTF-8, UTF-8 with BOM or GBK), or None if it is not a
    readable CSV."""
    import pandas as pd

    if path.suffix.lower() not in (".csv", ".txt", ""):
        return None
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return [str(c).strip() for c in pd.read_csv(path, nrows=0, encoding=enc).columns]
        except UnicodeDecodeError:
            continue
        except (pd.errors.ParserError, pd.errors.EmptyDataError):
            return None
    return None


#: Columns that hold a count per date or interval (a series, never one order per row).
COUNT_COLUMNS = ("value", "arrivals", "orders", "count", "chats", "sessions")
#: The time column of ``ecomanalysis arrivals`` output.
INTERVAL_COLUMN = "interval_start"
_OFFSET = r"\s*(?:Z|[+-]\d{2}:?\d{2})$"


def _wall_clock(values):
    """Times as written (``2025-03-01 00:00:00-03:00``) -> naive wall-clock datetimes: the UTC
    offset is dropped, so a change of offset (daylight saving) never shifts a day."""
    import pandas as pd

    text = values.astype(str).str.strip().str.replace(_OFFSET, "", regex=True)
    return pd.to_datetime(text, errors="coerce", format="mixed")


def _count_column(cols: list[str], column: str | None, time_col: str,
                  preferred: tuple[str, ...]) -> str | None:
    """The value column: the one named, else the first of ``preferred`` present, else the only
    other column."""
    others = [c for c in cols if c != time_col]
    if column:
        return column if column in others else None
    for c in preferred:
        if c in others:
            return c
    return others[0] if len(others) == 1 else None


def _refuse_order_reading(path: Path, cols: list[str], args) -> None:
    """A count file with --map/--time-col would be read as one order per row: refuse."""
    forced = bool(args.time_col) or any(m.split("=", 1)[0].strip() == "order_time"
                                        for m in args.map)
    counts = [c for c in cols if c in COUNT_COLUMNS]
    if forced and counts and (INTERVAL_COLUMN in cols or "date" in cols):
        raise InputError(
            f"{path.name}: columns {', '.join(cols)} hold a count per "
            f"{'interval' if INTERVAL_COLUMN in cols else 'day'} (column {counts[0]!r}), not one "
            "order per row; drop --map/--time-col and the counts are summed per day"
        )


def read_daily(args) -> tuple[object, str, list[str]]:
    """The daily series of FILE: (data for prepare_series, value column, notes)."""
    import pandas as pd

    _ = translator(getattr(args, "lang", "en"))

    path = Path(args.file)
    if not path.exists():
        raise InputError(f"{args.file}: file not found; expected a daily series CSV "
                         "(date, value), arrivals output (interval_start, arrivals) or an order "
                         "export")
    cols = _header(path)
    if cols is not None:
        _refuse_order_reading(path, cols, args)
    if cols is not None and "date" in cols and not args.time_col:
        others = [c for c in cols if c != "date"]
        column = _count_column(cols, args.column, "date", ("value",))
        if column is None:
            raise InputError(f"{path.name}: columns {', '.join(cols)}; expected date and value, "
                             "or name the value column with --column "
                             f"(one of {', '.join(others) or 'none'})")
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig",
                         usecols=["date", column])
        with_offset = df["date"].str.contains(_OFFSET, regex=True)
        if with_offset.any():
            df["date"] = df["date"].str.replace(_OFFSET, "", regex=True)
        return df, column, [_("{file}: read as a daily series (date, {column})", file=path.name,
                              column=column)
                            + (_("; UTC offsets dropped, dates kept as written")
                               if with_offset.any() else "")]
    if cols is not None and INTERVAL_COLUMN in cols and not args.time_col:
        column = _count_column(cols, args.column, INTERVAL_COLUMN, ("arrivals", "value"))
        if column is None:
            raise InputError(f"{path.name}: columns {', '.join(cols)}; expected interval_start "
                             "and arrivals (the output of `ecomanalysis arrivals`), or name the "
                             "count column with --column")
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig",
                         usecols=[INTERVAL_COLUMN, column])
        ts = _wall_clock(df[INTERVAL_COLUMN])
        bad = ts.isna() & (df[INTERVAL_COLUMN].str.strip() != "")
        values = pd.to_numeric(df[column].replace("", "0"), errors="coerce")
        problems = [f"{path.name} row {i + 2}: column '{INTERVAL_COLUMN}' has "
                    f"{df[INTERVAL_COLUMN][i]!r}; expected a time like 2025-11-11 20:15:00+08:00"
                    for i in bad[bad].index[:5]]
        problems += [f"{path.name} row {i + 2}: column {column!r} has {df[column][i]!r}; expected "
                     "a count" for i in values[values.isna()].index[:5]]
        if problems:
            raise InputError("\n".join(problems), problems)
        keep = ts.notna()
        day = ts[keep].dt.normalize()
        daily = values[keep].groupby(day.to_numpy()).sum()
        per_day = keep.sum() / max(len(daily), 1)
        step = ts[keep].sort_values().diff().median()
        data = pd.DataFrame({"date": daily.index.strftime("%Y-%m-%d"), column: daily.to_numpy()})
        return data, column, [
            _("{file}: read as arrivals output ({time}, {column}) at {step} intervals ({n} per "
              "day), summed to {days} days", file=path.name, time=INTERVAL_COLUMN, column=column,
              step=_step_text(step, args.lang if hasattr(args, "lang") else "en"),
              n=f"{per_day:.0f}", days=len(daily))]
    if args.column:
        raise InputError(f"{path.name}: --column applies to a daily series (date) or arrivals "
                         f"output (interval_start); this file has "
                         f"{', '.join(cols or ['no CSV header'])}")
    tz_notes: list[str] = []
    orders = read_export(path, args, tz_notes)
    try:
        daily = orders.daily()
        r = orders.report
        note = _("{file}: read as an order export (preset {preset}); time column {column!r}; "
                 "{kept} orders kept of {read} rows, counted per day", file=path.name,
                 preset=r.preset, column=r.columns["order_time"], kept=f"{r.rows_kept:,}",
                 read=f"{r.rows_read:,}")
        from ecomanalysis.commands._text import drop_lines

        dropped = drop_lines(r, getattr(args, "lang", "en"))
        if dropped:
            note += f" ({'; '.join(dropped)})"
    finally:
        orders.close()
    return daily, "orders", [note, *tz_notes]


def _step_text(step, lang: str = "en") -> str:
    import pandas as pd

    _ = translator(lang)
    if step is None or pd.isna(step):
        return _("one")
    minutes = step / pd.Timedelta(minutes=1)
    return (_("{n}-minute", n=f"{minutes:g}") if minutes < 60
            else _("{n}-hour", n=f"{minutes / 60:g}"))


def _check_output(path: str | None) -> Path | None:
    if path is None:
        return None
    out = Path(path)
    if out.is_dir():
        raise InputError(f"-o {path}: is a folder; expected a file name ending in .csv")
    _probe_writable(out, f"-o {path}")
    return out


def _probe_writable(out: Path, where: str) -> None:
    """Refuse an output whose folder cannot take a file, before any work (a read-only or
    missing folder); the real write is atomic and still reports a full disk."""
    import tempfile

    folder = out.parent.resolve()
    while not folder.is_dir() and folder != folder.parent:  # the writer makes missing folders
        folder = folder.parent
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".probe-"):
            pass
    except OSError as exc:
        raise InputError(f"{where}: cannot write in {folder} ({(exc.strerror or '').lower()}); "
                         "expected a writable folder") from exc


def format_backtest(result, lang: str = "en") -> str:
    """The backtest table as text: WAPE and MAPE of model and baseline per group of days."""
    from ecomanalysis.commands.queueing import _cell

    _ = translator(lang)
    m = result.metrics.set_index("group")
    groups = [g for g in BACKTEST_GROUPS if g in m.index]
    groups += [g for g in m.index if g not in groups]
    heads = [(_("group"), -18), (_("days"), 6), (_("WAPE model"), 10), (_("baseline"), 8),
             (_("MAPE model"), 10), (_("baseline"), 8), (_("coverage"), 8)]

    def row(cells) -> str:
        return "  ".join(_cell(c, w) if w > 0 else _left(c, -w)
                         for c, (_h, w) in zip(cells, heads, strict=True))

    lines = [
        _("rolling-origin backtest: {n} origins {first} .. {last}, {days} days ahead, {s} s",
          n=len(result.origins), first=f"{result.origins[0]:%Y-%m-%d}",
          last=f"{result.origins[-1]:%Y-%m-%d}",
          days=int(result.forecasts["lead_days"].max()), s=f"{result.runtime_s:.1f}"),
        row([h for h, _w in heads]),
    ]
    for g in groups:
        r = m.loc[g]
        lines.append(row([_(GROUP_NAMES[g]) if g in GROUP_NAMES else g, f"{int(r['n_days'])}",
                          f"{r['model_wape']:.1%}", f"{r['baseline_wape']:.1%}",
                          f"{r['model_mape']:.1%}", f"{r['baseline_mape']:.1%}",
                          f"{r['coverage']:.1%}"]))
    missing = [g for g in BACKTEST_GROUPS if g not in m.index]
    if missing:
        lines.append(_("(no backtest days in: {list})",
                       list=_(", ").join(_(GROUP_NAMES[g]) for g in missing)))
    lines.append(_("baseline = seasonal naive (same weekday of the last week); coverage = share "
                   "of actual days inside the model's interval"))
    return "\n".join(lines)


def _left(text: str, width: int) -> str:
    """``text`` left-aligned in ``width`` terminal columns (a CJK character takes two)."""
    import unicodedata

    shown = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(width - shown, 0)


@contextmanager
def _origin_progress(quiet: bool):
    """A ``progress(done, total)`` callback drawing ``backtest: origin n of m`` on stderr."""
    if quiet:
        yield None
        return
    from tqdm import tqdm

    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, file=sys.stderr, dynamic_ncols=True, mininterval=0,
                       bar_format="backtest: origin {n_fmt} of {total_fmt} [{elapsed}<{remaining}]")
        bar.update(done - bar.n)

    try:
        yield progress
    finally:
        if bar is not None:
            bar.close()


def _calendar(args, default) -> list:
    """Events sources from --country (each upper-cased) then --events, else ``default``."""
    from ecomanalysis.forecast.events import calendar_for

    if not args.country and not args.events:
        return list(default)
    return calendar_for(args.country or [], args.events or [])


def forecast_cmd(args) -> int:
    from ecomanalysis._io import write_csv
    from ecomanalysis.bounds import check_all
    from ecomanalysis.forecast import backtest, fit_forecast
    from ecomanalysis.forecast.model import WEEKLY_MIN_DAYS, YEARLY_MIN_DAYS

    check_all([("horizon_days", args.horizon, "--horizon"),
               ("horizon_days", args.bt_horizon, "--bt-horizon"),
               ("horizon_days", args.bt_step, "--bt-step")], integer=True)
    out = _check_output(args.output)
    events = _calendar(args, ["cn"])
    data, column, notes = read_daily(args)
    name = Path(args.file).name
    kw = dict(level=args.level, fill_gaps=args.gaps, duplicates=args.duplicates,
              value_column=column, name=name, method=args.method)
    result = fit_forecast(data, args.horizon, events, **kw)
    from ecomanalysis.commands._text import library_message

    _ = translator(args.lang)
    for line in notes + result.messages:
        print(library_message(line, args.lang), file=sys.stderr)
    h = result.history
    print(_("{file}: {n} days {first} .. {last}; model {model}; forecast {horizon} days, "
            "interval {level}", file=name, n=len(h), first=f"{h.index[0]:%Y-%m-%d}",
            last=f"{h.index[-1]:%Y-%m-%d}", model=result.model, horizon=args.horizon,
            level=f"{args.level:.0%}"), file=sys.stderr)
    table = result.frame.assign(date=result.frame["date"].dt.strftime("%Y-%m-%d"))
    if args.backtest:
        n = len(h)
        min_train = YEARLY_MIN_DAYS if n > YEARLY_MIN_DAYS + args.bt_step else max(
            WEEKLY_MIN_DAYS, n // 2)
        if min_train != YEARLY_MIN_DAYS:
            print(_("backtest: {n} days of history; first training window {train} days (not "
                    "{full}), so early fits use the fallback models", n=n, train=min_train,
                    full=YEARLY_MIN_DAYS), file=sys.stderr)
        if args.bt_horizon < 1 or args.bt_step < 1:
            raise InputError(f"--bt-horizon {args.bt_horizon} / --bt-step {args.bt_step}: "
                             "expected numbers of days >= 1")
        with _origin_progress(args.quiet) as progress:
            bt = backtest(h, events, horizon_days=args.bt_horizon, step_days=args.bt_step,
                          min_train_days=min_train, level=args.level, name=name,
                          method=args.method, progress=progress)
        print(format_backtest(bt, args.lang))
    if out is not None:
        write_csv(out, table, float_format=FLOAT_FORMAT)
        print(_("wrote {out} ({n} days)", out=out, n=len(table)), file=sys.stderr)
    elif not args.backtest:
        try:
            table.to_csv(sys.stdout, index=False, float_format=FLOAT_FORMAT)
            sys.stdout.flush()
        except BrokenPipeError:  # | head
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


# --------------------------------------------------------------------------- peak
#: Columns of ``peak -o``: one row per unit of roles and day of the peak window.
PEAK_COLUMNS = ["date", "event", "orders", "unit", "required", "permanent", "temps",
                "need_hours", "overtime_hours", "temps_with_overtime"]


def _register_peak(sub) -> None:
    p = sub.add_parser(
        "peak",
        help="staffing plan of a promotion peak: temps, hire-by dates, overtime, service level",
        description="Plan a shop's staff around Double 11, 618, Double 12...: the forecast with "
                    "events, the team per role per day (staffing model), temporary staff beyond "
                    "the permanent team, the date to start hiring (ramp-up + recruitment lead), "
                    "overtime within the Labour Law limits versus temps with their cost, and the "
                    "chat service level with the permanent team alone.",
    )
    p.add_argument("--shop", metavar="FILE.yaml",
                   help="shop profile (default: the bundled sample shop)")
    p.add_argument("--event",
                   help="event_id of the calendar (default double11 when the calendar has it, "
                        "else its next peak; e.g. sale_618, double12, black_friday)")
    p.add_argument("--year", type=int, help="year of the event (default: the next one)")
    p.add_argument("--today", metavar="YYYY-MM-DD",
                   help="plan date (default: the day after the order history ends)")
    p.add_argument("--events", action="append", metavar="cn|FILE",
                   help="event calendar: a market (cn, global, br, sea) or a CSV of "
                        "events/campaigns (repeatable; default: the shop's country)")
    p.add_argument("--country", action="append", metavar="CODE",
                   help="where the shop sells (repeatable): ISO 3166 code such as CN, US, BR; "
                        "default: the shop's country (its YAML, else its platform's market)")
    p.add_argument("--permanent", choices=("auto", "team", "baseline"), default="auto",
                   help="permanent team: the larger of team and normal-day need (auto, "
                        "default), the shop's team, or the normal-day need")
    p.add_argument("--scenario", choices=("forecast", "lower", "upper"), default="forecast",
                   help="forecast column to size on (default: the median forecast)")
    p.add_argument("--orders", type=float, metavar="N",
                   help="a scenario's orders per day (default: the shop's own level); the "
                        "history is scaled to it, as in 'staff --orders' and the report")
    p.add_argument("--set", dest="sets", action="append", default=[], metavar="STANDARD=VALUE",
                   help="override a standard of data/standards.csv (repeatable), as in 'staff'")
    add_lang(p)
    p.add_argument("-o", "--output", metavar="OUT.csv",
                   help="write the plan per unit and day (columns: " + ", ".join(PEAK_COLUMNS)
                        + ")")
    p.set_defaults(func=peak_cmd)


def format_peak(plan) -> str:
    """The shop plan's peak as text: the roles that follow the day's orders (now, permanent,
    peak day, temps, hire-by), the cost of temps against overtime first, the service level."""
    from ecomanalysis.i18n import translator

    _ = translator(plan.lang)
    pk = plan.peak
    lines = [_("{shop}: {event} {year}, peak {date}: {orders} orders ({low}-{high}); "
               "normal day {normal}", shop=plan.shop.name, event=pk.event_name, year=pk.year,
               date=f"{pk.peak_date:%Y-%m-%d}", orders=f"{pk.peak_orders:,.0f}",
               low=f"{pk.peak_orders_lower:,.0f}", high=f"{pk.peak_orders_upper:,.0f}",
               normal=f"{plan.orders_per_day:,.0f}")]
    from ecomanalysis.render import QUEUES, frame, peak_table

    lines.append(frame(peak_table(plan), plan.lang).to_string(index=False))
    ot = pk.overtime_vs_temps
    if len(ot):
        lines.append(_("cost, temps only: {temps} CNY; overtime first: {ot} CNY (overtime "
                       "{hours} h)", temps=f"{ot['cost_temps_only_cny'].sum():,.0f}",
                       ot=f"{ot['cost_overtime_option_cny'].sum():,.0f}",
                       hours=f"{ot['overtime_hours'].sum():,.0f}"))
    for _i, r in pk.service.iterrows():
        lines.append(_("service level {queue} {date} {hour}: permanent team {perm} ({agents} of "
                       "{needed} agents needed), with temps {temps}; target {target}",
                       queue=_(QUEUES[r["queue"]]), date=f"{r['date']:%Y-%m-%d}", hour=f"{r['start_h']:05.2f}h",
                       perm=f"{r['sl_permanent']:.0%}", agents=r["agents_permanent"],
                       needed=r["agents_required"], temps=f"{r['sl_with_temps']:.0%}",
                       target=f"{r['sl_target']:.0%}"))
    return "\n".join(lines)


def peak_cmd(args) -> int:
    """The peak of the shop's plan (:func:`ecomanalysis.plan.make_plan`): the same figures as
    its report."""
    from ecomanalysis._io import write_csv
    from ecomanalysis.bounds import date_window
    from ecomanalysis.plan import make_plan

    first, last = date_window()
    if args.year is not None and not first.year <= args.year <= last.year:
        raise InputError(f"--year has {args.year}; expected a year from {first.year} to {last.year}")
    if args.permanent != "auto":
        raise InputError(f"--permanent {args.permanent}: the plan sizes the peak on the permanent "
                         "team (per role the larger of the team now and the normal-day need); "
                         "expected auto")
    from ecomanalysis.bounds import check_all
    from ecomanalysis.commands.staffing import parse_sets
    from ecomanalysis.workload import check_overrides

    check_all([("orders_per_day", args.orders, "--orders")])
    overrides = check_overrides(parse_sets(args.sets), where="--set")
    out = _check_output(args.output)
    from ecomanalysis.shop import load_sample_shop, load_shop

    shop = load_shop(args.shop) if args.shop else load_sample_shop()
    events = _calendar(args, shop.event_calendar() or ["none"])
    from ecomanalysis.forecast import load_events, next_peak

    table = load_events(events)
    event = args.event
    if event is None:
        event = "double11" if (table["event_id"] == "double11").any() else next_peak(
            shop, args.today, events=table).event_id
    elif not (table["event_id"] == event).any():  # named: it must be in the shop's calendar
        known = ", ".join(dict.fromkeys(table["event_id"]))
        raise InputError(f"--event {event!r} is not in the calendar ({', '.join(events)}); "
                         f"expected one of {known}")
    options = {"year": args.year, "today": args.today, "scenario": args.scenario,
               "events": events}
    plan = make_plan(shop, orders_per_day=args.orders, lang=args.lang, event=event,
                     simulate=False, peak_options=options, **overrides)
    if plan.peak is None:
        raise InputError(plan.peak_error)
    from ecomanalysis.commands._text import library_message

    for line in plan.peak.messages:
        print(library_message(line, args.lang), file=sys.stderr)
    for line in plan.flags:  # in the plan's language already
        print(line, file=sys.stderr)
    print(format_peak(plan))
    if out is not None:
        pk = plan.peak
        fc = pk.forecast.set_index("date")
        table = pk.units.assign(orders=pk.units["date"].map(fc[pk.scenario]),
                                event=pk.units["date"].map(fc["event"]))[PEAK_COLUMNS]
        table = table.assign(date=table["date"].dt.strftime("%Y-%m-%d"))
        write_csv(out, table, float_format=FLOAT_FORMAT)
        _ = translator(args.lang)
        print(_("wrote {out} ({n} rows)", out=out, n=len(table)),
              file=sys.stderr)
    return 0
