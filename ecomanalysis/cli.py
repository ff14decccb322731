"""The ``ecomanalysis`` command line.

Each area of the package registers its sub-commands from a module in
:mod:`ecomanalysis.commands` that defines ``register(subparsers)``; every handler takes the
parsed ``argparse.Namespace`` and returns an exit status.  Heavy imports happen inside the
handlers so ``ecomanalysis --help`` stays fast.

Exit status: 0 success, 1 a run that completed with failures (e.g. a batch with a failed shop),
2 bad input (:class:`ecomanalysis.errors.InputError`), with one line per problem on stderr.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from ecomanalysis import __version__
from ecomanalysis.errors import InputError

#: Modules under ecomanalysis.commands, in the order their commands appear in --help.
COMMAND_MODULES = (
    "catalog",
    "queueing",
    "intake",
    "staffing",
    "forecast",
    "report",
    "roster",
    "teaching",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ecomanalysis",
        description="Data-driven staffing for e-commerce shops (电商岗位与人员配置分析).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"ecomanalysis.commands.{name}")
        except ModuleNotFoundError as exc:  # an area not built yet
            if exc.name == f"ecomanalysis.commands.{name}":
                continue
            raise
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except InputError as exc:
        for line in exc.problems:
            print(f"error: {line}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
