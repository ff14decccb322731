"""One set of input options and one set of output options for every command that reads or writes
files, with the same names and meanings everywhere.

Input (an export): ``--preset``, ``--map FIELD=COLUMN``, ``--time-col``, ``--time-zone`` (old
``--tz``), ``--dayfirst``/``--monthfirst``, ``--dedupe``, ``--keep-all``, ``--sheet``,
``--columns`` (a file without a header row).
Output: ``-o/--output FILE`` for a file, ``--out-dir DIR`` for a folder, ``--lang zh|en`` on every
command that prints text.  Old spellings (``--out`` for a file or a folder, ``--tz``) keep working
and print a deprecation note on stderr.
"""

from __future__ import annotations

import argparse
import sys

from ecomanalysis.i18n import N_

#: What a command says when it converts times with UTC offsets to the zone they match.
TZ_NOTE = N_("{file}: times converted to {zone}, the zone matching their UTC offsets "
             "({offsets}); give --time-zone to choose another")
DEFAULT_TZ = "Asia/Shanghai"  # = ecomanalysis.intake.timestamps.DEFAULT_TZ (kept light for --help)
LANGS = ("zh", "en")


class Deprecated(argparse.Action):
    """Store into ``dest`` like the new option, with a note naming the new spelling."""

    def __init__(self, option_strings, dest, new: str = "", **kw):
        self.new = new
        super().__init__(option_strings, dest, **kw)

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"note: {option_string} is deprecated; use {self.new}", file=sys.stderr)
        setattr(namespace, self.dest, values)


def add_input_options(p: argparse.ArgumentParser, orders: bool = True) -> None:
    """The options that say how to read an export."""
    g = p.add_argument_group("reading the export")
    g.add_argument("--preset", help="column preset: generic, taobao, jd, pinduoduo, douyin, "
                                    "kuaishou, shopify, woocommerce (chats: generic, zh, qianniu); "
                                    "detected when omitted")
    g.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN",
                   help="which column holds a field, e.g. --map order_time=下单时间 (repeatable)")
    g.add_argument("--time-col", metavar="COLUMN",
                   help="the column holding the order time (chats: the session start)")
    g.add_argument("--time-zone", dest="tz", default=None, metavar="ZONE",
                   help=f"time zone of times written without one, and of the output (default "
                        f"{DEFAULT_TZ}; times written with UTC offsets: the zone they match)")
    g.add_argument("--tz", dest="tz", action=Deprecated, new="--time-zone", help=argparse.SUPPRESS)
    order = g.add_mutually_exclusive_group()
    order.add_argument("--dayfirst", dest="order", action="store_const", const="dayfirst",
                       help="dates like 11/2/2017 are day first (11 February)")
    order.add_argument("--monthfirst", dest="order", action="store_const", const="monthfirst",
                       help="dates like 11/2/2017 are month first (2 November)")
    g.add_argument("--sheet", help="Excel: the sheet to read (default: the first with a time "
                                   "column)")
    g.add_argument("--columns", metavar="A,B,C", type=lambda s: [c.strip() for c in s.split(",")],
                   help="the file has no header row: these are its column names")
    if orders:
        g.add_argument("--dedupe", action="store_true",
                       help="keep the first row of each repeated order id instead of refusing")
        g.add_argument("--keep-all", action="store_true",
                       help="keep cancelled and unpaid orders (dropped by default)")


def add_output_file(p: argparse.ArgumentParser, what: str = "OUT.csv", old_out: bool = False,
                    help: str | None = None) -> None:
    """``-o/--output FILE``; with ``old_out`` the former ``--out`` spelling too (deprecated)."""
    p.add_argument("-o", "--output", metavar=what, help=help or f"write {what} here")
    if old_out:
        p.add_argument("--out", dest="output", action=Deprecated, new="-o/--output",
                       help=argparse.SUPPRESS)


def add_out_dir(p: argparse.ArgumentParser, help: str, required: bool = False,
                old_out: bool = False) -> None:
    """``--out-dir DIR``; with ``old_out`` the former ``--out`` spelling too (deprecated)."""
    p.add_argument("--out-dir", dest="out_dir", metavar="DIR", help=help,
                   required=required and not old_out)
    if old_out:
        p.add_argument("--out", dest="out_dir", action=Deprecated, new="--out-dir",
                       help=argparse.SUPPRESS)


def add_lang(p: argparse.ArgumentParser, default: str | None = "zh",
             help: str | None = None) -> None:
    """``--lang zh|en``: the language of everything the command prints (names, prose, table
    headers and units); files it writes keep their column names."""
    p.add_argument("--lang", choices=LANGS, default=default,
                   help=help or f"language of what is printed: names, text, table headers "
                                f"(default {default})")


def read_options(args) -> dict:
    """The input options of ``args`` as keyword arguments of ``read_orders``."""
    from ecomanalysis.intake import parse_map

    return {"preset": args.preset, "mapping": parse_map(args.map), "time_col": args.time_col,
            "tz": args.tz or DEFAULT_TZ, "order": args.order, "sheet": args.sheet, "names": args.columns,
            **({"dedupe": args.dedupe, "keep_all": args.keep_all}
               if hasattr(args, "dedupe") else {})}


def read_export(path, args, notes: list[str] | None = None):
    """``read_orders(path)`` with the input options of ``args``; without ``--time-zone``, times
    written with UTC offsets (a Shopify export from Sao Paulo) are converted to the zone whose
    offsets they match (as ``init`` writes it), not to the default zone, with a note in
    ``notes`` (else on stderr)."""
    from ecomanalysis.i18n import translator
    from ecomanalysis.intake import read_orders
    from ecomanalysis.intake.presets import detect_zone

    opts = read_options(args)
    ev = read_orders(path, **opts)
    offsets = ev.report.offsets
    if args.tz is None and offsets:
        zone = detect_zone(offsets)
        if zone and zone != opts["tz"]:
            ev.close()
            ev = read_orders(path, **{**opts, "tz": zone})
            _ = translator(getattr(args, "lang", None) or "en")
            note = _(TZ_NOTE, file=getattr(path, "name", path), zone=zone,
                     offsets=", ".join(o["offset"] for o in offsets))
            if notes is None:
                print(note, file=sys.stderr)
            else:
                notes.append(note)
    return ev
