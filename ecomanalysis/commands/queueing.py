"""CLI: ``erlang`` (agents for a queue of calls or chats, :mod:`ecomanalysis.queueing`).

Examples::

    ecomanalysis erlang --volume 100 --aht 180 --interval 1800 --sl 0.8 --within 20
    ecomanalysis erlang --volume 100 --aht 180 --shrinkage 0.3 --max-occupancy 0.85
    ecomanalysis erlang --volume 100 --aht 300 --concurrency 3 --aht-by-concurrency 300,360,450
    ecomanalysis erlang --volume 100 --aht 180 --patience 300 --max-abandon 0.05
    ecomanalysis erlang --csv intervals.csv --interval 900 -o agents.csv

One interval prints a table of the answer with the service level two agents either side of
it; ``--csv FILE`` sizes every row of a file with columns ``interval_start, volume, aht_s``.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from ecomanalysis.commands._options import add_lang
from ecomanalysis.errors import InputError, where
from ecomanalysis.i18n import N_, translator

#: Defaults of the targets (the common contact-centre 80/20 rule).
DEFAULT_INTERVAL_S = 1800.0
DEFAULT_SL = 0.8
DEFAULT_WITHIN_S = 20.0
#: Rows either side of the answer in the single-interval table.
TABLE_SPAN = 2
#: Columns of --csv input.
CSV_COLUMNS = ("interval_start", "volume", "aht_s")
#: Most bad cells listed for one file before the rest is summarised.
MAX_PROBLEMS = 10
#: Option that sets each parameter of ecomanalysis.queueing.required_agents (for messages).
OPTION_OF = {
    "volume": "--volume",
    "aht_s": "--aht",
    "interval_s": "--interval",
    "sl_target": "--sl",
    "answer_within_s": "--within",
    "max_occupancy": "--max-occupancy",
    "shrinkage": "--shrinkage",
    "asa_target_s": "--asa",
    "concurrency": "--concurrency",
    "aht_by_concurrency": "--aht-by-concurrency",
    "patience_s": "--patience",
    "max_abandon": "--max-abandon",
    "fractional": "--fractional",
}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "erlang",
        help="agents needed for a queue of calls or chats (Erlang C / A, chat concurrency)",
        description="Smallest number of agents that answers --sl of the contacts within --within "
                    "seconds (and meets the other targets given), by Erlang C; Erlang A with "
                    "--patience (abandonment); a chat model with --concurrency. 'staffed' adds "
                    "the shrinkage: ceil(agents / (1 - shrinkage)).",
    )
    src = p.add_argument_group("what to size (one interval, or a CSV of intervals)")
    src.add_argument("--volume", type=float, metavar="N",
                     help="contacts (calls, chats) arriving in the interval")
    src.add_argument("--aht", type=float, metavar="S",
                     help="average handling time, seconds (chats: with one chat open)")
    src.add_argument("--csv", metavar="FILE",
                     help=f"size every row of FILE (columns {', '.join(CSV_COLUMNS)})")
    src.add_argument("--interval", type=float, metavar="S",
                     help=f"interval length in seconds (default {DEFAULT_INTERVAL_S:g}; with "
                          "--csv: the step of interval_start)")
    tg = p.add_argument_group("targets")
    tg.add_argument("--sl", type=float, default=DEFAULT_SL,
                    help=f"service level target, share answered in time (default {DEFAULT_SL})")
    tg.add_argument("--within", type=float, default=DEFAULT_WITHIN_S, metavar="S",
                    help=f"answer within this many seconds (default {DEFAULT_WITHIN_S:g})")
    tg.add_argument("--asa", type=float, metavar="S", help="maximum average speed of answer")
    tg.add_argument("--max-occupancy", type=float, default=1.0, metavar="X",
                    help="maximum agent occupancy, e.g. 0.85 (default 1: no cap)")
    tg.add_argument("--shrinkage", type=float, default=0.0, metavar="X",
                    help="share of paid time not on contacts (breaks, training), e.g. 0.3")
    md = p.add_argument_group("model")
    md.add_argument("--concurrency", type=int, default=1, metavar="C",
                    help="chats one agent handles at once (default 1)")
    md.add_argument("--aht-by-concurrency", metavar="S1,S2,..",
                    help="seconds per chat at 1, 2, .. C parallel chats, e.g. 300,360,450 "
                         "(scaled so the first equals --aht / the aht_s column)")
    md.add_argument("--patience", type=float, metavar="S",
                    help="mean patience before abandoning, seconds (Erlang A)")
    md.add_argument("--max-abandon", type=float, metavar="X",
                    help="maximum share abandoning, e.g. 0.05 (needs --patience)")
    md.add_argument("--fractional", action="store_true",
                    help="Erlang C only: fractional agents (no rounding)")
    p.add_argument("-o", "--output", metavar="OUT.csv",
                   help="with --csv: write the result here (default: stdout)")
    add_lang(p, default="en")
    p.set_defaults(func=erlang_cmd)


# ----------------------------------------------------------------------------- parsing
def _profile(text: str | None) -> list[float] | None:
    if text is None:
        return None
    parts = [x.strip() for x in text.split(",")]
    try:
        values = [float(x) for x in parts]
    except ValueError:
        raise InputError(
            f"--aht-by-concurrency has {text!r}; expected seconds per chat separated by commas, "
            "e.g. 300,360,450"
        ) from None
    return values


def _options_message(exc: InputError) -> InputError:
    """Reword ``parameter 'aht_s'`` as ``option --aht`` for the command line."""

    def fix(line: str) -> str:
        line = re.sub(
            r"parameter '(\w+)'(?: element \d+)?",
            lambda m: f"option {OPTION_OF.get(m.group(1), m.group(1))}",
            line,
        )
        return re.sub(r"'(\w+)'", lambda m: OPTION_OF.get(m.group(1), m.group(0)), line)

    problems = [fix(line) for line in exc.problems]
    return InputError("\n".join(problems), problems)


def _targets(args) -> dict:
    kw = dict(
        sl_target=args.sl, answer_within_s=args.within, asa_target_s=args.asa,
        max_occupancy=args.max_occupancy, shrinkage=args.shrinkage,
        concurrency=args.concurrency, aht_by_concurrency=_profile(args.aht_by_concurrency),
        patience_s=args.patience, max_abandon=args.max_abandon, fractional=args.fractional,
    )
    return kw


def _model_name(kw: dict, lang: str = "en") -> str:
    _ = translator(lang)
    if kw["concurrency"] > 1:
        name = _("chat model, up to {n} chats per agent", n=kw["concurrency"])
        if kw["aht_by_concurrency"]:
            name += _(" (AHT profile {seconds} s)",
                      seconds=", ".join(f"{x:g}" for x in kw["aht_by_concurrency"]))
        if kw["patience_s"]:
            name += _(", mean patience {s} s", s=f"{kw['patience_s']:g}")
        return name
    if kw["patience_s"]:
        return _("Erlang A, mean patience {s} s", s=f"{kw['patience_s']:g}")
    return _("Erlang C")


#: Columns of the single-interval table: (header msgid, width).
TABLE_HEADERS = (("agents", N_("Agents"), 8), ("staffed", N_("Staffed"), 8),
                 ("service_level", N_("Service level"), 13), ("asa_s", N_("ASA (s)"), 8),
                 ("occupancy", N_("Occupancy"), 9), ("p_wait", N_("P(wait)"), 7),
                 ("abandon", N_("Abandon"), 7))


def _cell(text: str, width: int) -> str:
    """``text`` right-aligned in ``width`` terminal columns (a CJK character takes two)."""
    import unicodedata

    shown = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return " " * max(width - shown, 0) + text


# ----------------------------------------------------------------------------- one interval
def _single(args, kw: dict) -> int:
    import numpy as np

    from ecomanalysis import queueing

    missing = [o for o, v in (("--volume", args.volume), ("--aht", args.aht)) if v is None]
    if missing:
        raise InputError(
            f"missing {' and '.join(missing)}; expected e.g. --volume 100 --aht 180 "
            "(contacts per interval, seconds), or --csv FILE"
        )
    if args.output:
        raise InputError("-o/--output applies to --csv; one interval is printed")
    interval = DEFAULT_INTERVAL_S if args.interval is None else args.interval
    try:
        res = queueing.required_agents(args.volume, args.aht, interval, **kw).iloc[0]
    except InputError as exc:
        raise _options_message(exc) from None
    agents = res["agents"]
    metric_kw = {k: kw[k] for k in ("concurrency", "aht_by_concurrency", "patience_s")}
    if args.fractional:
        rows = np.array([agents])
    else:
        rows = np.arange(max(int(agents) - TABLE_SPAN, 0), int(agents) + TABLE_SPAN + 1)
    m = queueing.queue_metrics(res["traffic_erlangs"], rows, args.aht, args.within, **metric_kw)
    staffed = (rows / (1 - args.shrinkage) if args.fractional
               else queueing.staffed_from_agents(rows, args.shrinkage))

    _ = translator(args.lang)
    print(_("{model}: {volume} contacts in {interval} s, AHT {aht} s -> traffic {traffic} Erlangs",
            model=_model_name(kw, args.lang), volume=f"{args.volume:g}", interval=f"{interval:g}",
            aht=f"{args.aht:g}", traffic=f"{res['traffic_erlangs']:.2f}"))
    targets = [_("{sl} answered within {s} s", sl=exact_percent(args.sl), s=f"{args.within:g}")]
    if args.asa is not None:
        targets.append(_("ASA <= {s} s", s=f"{args.asa:g}"))
    if args.max_occupancy < 1:
        targets.append(_("occupancy <= {x}", x=exact_percent(args.max_occupancy)))
    if args.max_abandon is not None:
        targets.append(_("abandon <= {x}", x=f"{args.max_abandon:.1%}"))
    targets.append(_("shrinkage {x}", x=exact_percent(args.shrinkage)))
    print(_("targets: {list}", list=_(", ").join(targets)))
    print()
    abandon = kw["patience_s"] is not None
    cols = [c for c in TABLE_HEADERS if abandon or c[0] != "abandon"]
    print("  " + "  ".join(_cell(_(msgid), width) for _c, msgid, width in cols))
    fmt_n = "{:.2f}" if args.fractional else "{:d}"
    for i, n in enumerate(rows):
        mark = ">" if n == agents else " "
        cells = [fmt_n.format(n if args.fractional else int(n)),
                 fmt_n.format(staffed[i] if args.fractional else int(staffed[i])),
                 f"{m.service_level[i]:.1%}", f"{m.asa_s[i]:.1f}", f"{m.occupancy[i]:.1%}",
                 f"{m.waiting_probability[i]:.1%}"]
        if abandon:
            cells.append(f"{m.abandon_probability[i]:.1%}")
        print(f"{mark} " + "  ".join(_cell(c, w) for c, (_c, _m, w) in zip(cells, cols, strict=True)))
    print()
    if args.fractional:
        print(_("required: {agents} agents, {staffed} staffed", agents=f"{agents:.2f}",
                staffed=f"{res['staffed']:.2f}"))
    else:
        print(_("required: {agents} agents, {staffed} staffed", agents=int(agents),
                staffed=int(res["staffed"]))
              + _(" (ceil({agents} / (1 - {shrinkage})))", agents=int(agents),
                  shrinkage=f"{args.shrinkage:g}"))
    return 0


# ----------------------------------------------------------------------------- a CSV
def read_intervals(path: Path):
    """Read and validate a CSV of intervals; every bad cell is reported with file/row/column."""
    import numpy as np
    import pandas as pd

    if not path.exists():
        raise InputError(f"{path}: file not found; expected a CSV with columns "
                         f"{', '.join(CSV_COLUMNS)}")
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{path.name}: not UTF-8 text; expected a UTF-8 CSV "
                         "(save it from Excel as 'CSV UTF-8')") from None
    except pd.errors.EmptyDataError:
        raise InputError(f"{path.name}: the file is empty; expected a header "
                         f"{','.join(CSV_COLUMNS)} and one row per interval") from None
    except pd.errors.ParserError as exc:
        raise InputError(f"{path.name}: not a readable CSV ({exc})") from None
    df.columns = [str(c).strip() for c in df.columns]
    missing = [c for c in CSV_COLUMNS if c not in df.columns]
    if missing:
        raise InputError(
            f"{path.name}: missing column(s) {', '.join(repr(c) for c in missing)}; found "
            f"{', '.join(repr(c) for c in df.columns)}; expected {', '.join(CSV_COLUMNS)}"
        )
    if df.empty:
        raise InputError(f"{path.name}: no rows; expected one row per interval")
    problems = []
    values = {}
    from ecomanalysis.bounds import bound

    vmax, amax = bound("volume_per_interval").high, bound("aht_s").high
    for col, low, strict, high, what in (
            ("volume", 0.0, False, vmax, f"a number >= 0 and <= {vmax:,.0f} (contacts)"),
            ("aht_s", 0.0, True, amax, f"a number > 0 and <= {amax:,.0f} (seconds)")):
        raw = df[col].str.strip()
        num = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
        bad = ~np.isfinite(num) | ((num <= low) if strict else (num < low)) | (num > high)
        for i in np.flatnonzero(bad):
            problems.append(f"{where(path, int(i) + 2, col)} has {df[col].iloc[i]!r}; "
                            f"expected {what}")
        values[col] = num
    starts = df["interval_start"].str.strip()
    for i in np.flatnonzero((starts == "").to_numpy()):
        problems.append(f"{where(path, int(i) + 2, 'interval_start')} is empty; expected the "
                        "start of the interval, e.g. 2024-11-11 21:00")
    if problems:
        shown = sorted(problems, key=lambda s: int(re.search(r"row (\d+)", s).group(1)))
        if len(shown) > MAX_PROBLEMS:
            shown = shown[:MAX_PROBLEMS] + [f"{path.name}: {len(problems) - MAX_PROBLEMS} more "
                                            "bad cells"]
        raise InputError("\n".join(shown), shown)
    return pd.DataFrame({"interval_start": starts, "volume": values["volume"],
                         "aht_s": values["aht_s"]})


def _interval_from_starts(path: Path, starts) -> float:
    """The common step of ``interval_start`` in seconds, or an InputError asking for --interval."""
    import pandas as pd

    t = pd.to_datetime(starts, errors="coerce", format="mixed")
    if len(t) < 2 or t.isna().any():
        raise InputError(f"{path.name}: cannot tell the interval length from interval_start; "
                         "give it with --interval SECONDS (e.g. --interval 900)")
    steps = pd.Series(t).diff().dropna().dt.total_seconds()
    step = float(steps.mode().iloc[0])
    if step <= 0:
        raise InputError(f"{path.name}: interval_start is not increasing; sort the rows or give "
                         "--interval SECONDS")
    return step


def _csv(args, kw: dict) -> int:
    import pandas as pd

    from ecomanalysis import queueing
    from ecomanalysis._io import write_csv

    if args.volume is not None or args.aht is not None:
        raise InputError("--csv takes volume and aht_s from the file; drop --volume/--aht")
    path = Path(args.csv)
    out = Path(args.output) if args.output else None
    if out is not None and out.is_dir():
        raise InputError(f"-o {args.output}: is a folder; expected a file name ending in .csv")
    df = read_intervals(path)
    if args.interval is None:
        interval = _interval_from_starts(path, df["interval_start"])
        _ = translator(args.lang)
        print(_("{file}: interval {s} s (the step of interval_start)",
                                    file=path.name, s=f"{interval:g}"), file=sys.stderr)
    else:
        interval = args.interval
    try:
        res = queueing.required_agents(df["volume"].to_numpy(), df["aht_s"].to_numpy(),
                                       interval, **kw)
    except InputError as exc:
        raise _options_message(exc) from None
    table = pd.concat([df, res.reset_index(drop=True)], axis=1)
    peak = int(table["agents"].to_numpy().argmax())
    _ = translator(args.lang)
    print(_("{model}: sized {n} intervals; peak {agents} agents ({staffed} staffed) at {start}",
            model=_model_name(kw, args.lang), n=len(table),
            agents=f"{table['agents'].iloc[peak]:g}", staffed=f"{table['staffed'].iloc[peak]:g}",
            start=table["interval_start"].iloc[peak]), file=sys.stderr)
    if out is not None:
        write_csv(out, table)
        print(_("wrote {out}", out=out), file=sys.stderr)
    else:
        table.to_csv(sys.stdout, index=False)
    return 0


def _bounds(args) -> None:
    """Sane ranges of data/input_bounds.csv, before any work (NaN and inf refused too)."""
    from ecomanalysis.bounds import check_all

    items = [("volume_per_interval", args.volume, "--volume"), ("aht_s", args.aht, "--aht"),
             ("interval_s", args.interval, "--interval"), ("wait_s", args.within, "--within"),
             ("wait_s", args.asa, "--asa"), ("wait_s", args.patience, "--patience"),
             ("concurrency", args.concurrency, "--concurrency")]
    items += [("aht_s", x, f"--aht-by-concurrency element {i + 1}")
              for i, x in enumerate(_profile(args.aht_by_concurrency) or [])]
    check_all(items)


def erlang_cmd(args) -> int:
    _bounds(args)
    kw = _targets(args)
    if args.csv:
        return _csv(args, kw)
    return _single(args, kw)


def exact_percent(x: float) -> str:
    """A share as a percentage with the decimals it needs (0.8 -> 80%, 0.999 -> 99.9%, never
    a target of 0.999 shown as 100%)."""
    for d in range(4):
        if abs(round(x * 100, d) - x * 100) < 1e-9:
            return f"{x:.{d}%}"
    return f"{x:.3%}"
