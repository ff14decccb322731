"""The ``ecomanalysis`` command line.

Each area of the package registers its sub-commands from a module in
:mod:`ecomanalysis.commands` that defines ``register(subparsers)``; every handler takes the
parsed ``argparse.Namespace`` and returns an exit status.  Heavy imports happen inside the
handlers so ``ecomanalysis --help`` stays fast.

Exit status: 0 success, 1 a run that completed with failures (e.g. a batch with a failed shop)
or an unexpected error (a bug: one line, ``--debug`` shows the traceback), 2 bad input
(:class:`ecomanalysis.errors.InputError`) with one line per problem on stderr.  A full disk, a
read-only or forbidden folder and a folder where a file is expected (or the reverse) are bad
input too: :func:`os_error_message` says which path and what to do.
"""

from __future__ import annotations

import argparse
import errno
import importlib
import os
import sys
import traceback
import warnings
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
    "teaching",
    "cache",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ecomanalysis",
        description="Data-driven staffing for e-commerce shops (电商岗位与人员配置分析).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--debug", action="store_true",
                        help="show the traceback of an unexpected error (anywhere on the line)")
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


#: errno -> what went wrong and what to do, for the OS errors that are the user's to fix.
OS_ERRORS = {
    errno.ENOSPC: "the disk is full; free some space or write to another folder",
    errno.EDQUOT: "the disk quota is used up; free some space or write to another folder",
    errno.EROFS: "the file system is read-only; expected a folder you can write to",
    errno.EACCES: "permission denied; expected a file you can read or a folder you can write to",
    errno.EPERM: "operation not permitted; expected a file you can read or a folder you can write to",
    errno.EISDIR: "is a folder; expected a file",
    errno.ENOTDIR: "a part of the path is a file; expected a folder",
    errno.EEXIST: "already exists (as a file); expected a folder or a new name",
    errno.ENOENT: "not found; expected an existing file or folder",
    errno.ENAMETOOLONG: "the name is too long; expected a shorter path",
    errno.ENOTEMPTY: "is a folder that is not empty; expected a new name",
}
#: Text of errors raised by libraries (DuckDB, zmq...) that do not set errno.
OS_ERROR_TEXTS = {
    "No space left on device": errno.ENOSPC,
    "Read-only file system": errno.EROFS,
    "Permission denied": errno.EACCES,
    "Disk quota exceeded": errno.EDQUOT,
}
#: Errors of a write that the atomic writers (ecomanalysis._io) undo completely.
WRITE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM}
DEBUG_ENV = "ECOMANALYSIS_DEBUG"


def os_error_message(exc: BaseException) -> str | None:
    """One line for an OS error the user can fix (disk full, read-only...), else None."""
    code = getattr(exc, "errno", None) if isinstance(exc, OSError) else None
    if code not in OS_ERRORS:
        text = str(exc)
        code = next((c for t, c in OS_ERROR_TEXTS.items() if t in text), None)
        if code is None:
            return None
    path = getattr(exc, "filename", None)
    where = f"{os.fsdecode(path)}: " if path else ""
    done = " (nothing was written)" if code in WRITE_ERRORS else ""
    return f"{where}{OS_ERRORS[code]}{done}"


def _short_warning(message, category, filename, lineno, line=None) -> str:
    return f"warning: {message}\n"


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv or os.environ.get(DEBUG_ENV, "") not in ("", "0")
    argv = [a for a in argv if a != "--debug"]
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    saved_format = warnings.formatwarning
    if not debug:  # a warning is one line, not a line of source code
        warnings.formatwarning = _short_warning
    try:
        return int(args.func(args) or 0)
    except InputError as exc:
        for line in exc.problems:
            print(f"error: {line}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # a reader that went away (| head) is not an error
        return 0
    except Exception as exc:
        if debug:
            traceback.print_exc()
        msg = os_error_message(exc)
        if msg is not None:
            print(f"error: {msg}", file=sys.stderr)
            return 2
        text = str(exc).strip().splitlines()
        text = text[0][:300] if text else ""
        print(f"error: unexpected {type(exc).__name__}{': ' + text if text else ''}", file=sys.stderr)
        if not debug:
            print(f"this is a bug, not your input; run again with --debug (or {DEBUG_ENV}=1) for "
                  "the traceback and report it", file=sys.stderr)
        return 1
    finally:
        warnings.formatwarning = saved_format


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
