"""``tracker``: log practice scores and ask whether to sit the exam, from the terminal.

A thin shell: each command parses its flags, calls the core and prints what it returns.
The commands live in :mod:`tracker.commands`, one module a group; this module builds the
parser from them and runs one. Problems the user can fix arrive as
:class:`TrackerError` and become one line, ``tracker: error: ...``, with exit status 2.
The settings flags are built from the one table in :mod:`tracker.settings`; their
defaults come from ``settings.json`` beside the log (the dashboard's and ``tracker
set``'s), then the table. Heavy modules are imported only by the commands that need
them, so ``tracker verdict`` starts quickly.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from tracker.commands import (
    cohort,
    entries,
    facts,
    fixes,
    schedule,
    settings,
    study,
    verdict,
)
from tracker.commands.common import PROG, SharedFlags, parse_day, shown

EXIT_USAGE = 2
COMMAND_GROUPS = (entries, verdict, settings, facts, fixes, schedule, study, cohort)


class _Parser(argparse.ArgumentParser):
    """argparse that reports every problem as one line: ``tracker: error: ...``."""

    def error(self, message: str) -> None:  # type: ignore[override]
        hint = f" (see '{self.prog} --help')"
        self.exit(EXIT_USAGE, f"{PROG}: error: {shown(message)}{hint}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Track practice scores and decide about the planned exam date: "
        "take it, keep it, or move it. 'tracker exams' lists the exams it knows.",
    )
    from tracker import __version__

    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for group in COMMAND_GROUPS:
        group.register(commands, _shared_flags())
    return parser


def _shared_flags() -> SharedFlags:
    dated = argparse.ArgumentParser(add_help=False)
    dated.add_argument(
        "--today",
        type=parse_day,
        metavar="YYYY-MM-DD",
        help="count dates from this day instead of the real date",
    )
    common = argparse.ArgumentParser(add_help=False, parents=[dated])
    common.add_argument(
        "--log",
        type=Path,
        metavar="PATH",
        help="the score log (default: $TRACKER_LOG, else data/scores.csv)",
    )
    catalog = argparse.ArgumentParser(add_help=False)
    catalog.add_argument(
        "--catalog",
        type=Path,
        metavar="PATH",
        help="the catalog of practice forms (default: the exam's catalog file beside "
        "the log, else the shipped one in data/)",
    )
    return SharedFlags(log=[common, catalog], catalog=catalog, dated=dated)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return the exit status."""
    from tracker.errors import TrackerError

    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")  # a plain-ASCII terminal still works
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exit_:  # --help, or a usage error already printed as one line
        return int(exit_.code or 0)
    try:
        args.run(args)
    except TrackerError as error:
        print(f"{PROG}: error: {shown(str(error))}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader (head, less) stopped early: not an error. Point stdout at
        # /dev/null so Python's own flush at exit does not complain either.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


if __name__ == "__main__":
    sys.exit(main())
