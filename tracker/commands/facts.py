"""The figures the tracker states, with their sources and dates: ``facts``."""

from __future__ import annotations

import argparse

from tracker.commands.common import SharedFlags, shown


def register(commands, flags: SharedFlags) -> None:
    """``facts``."""
    del flags  # reads only the shipped data/facts/ files
    facts = commands.add_parser(
        "facts",
        help="show every figure the tracker states, with its source and date",
        description="Show the facts in data/facts/: passing standards by exam date, "
        "the percentile table, score-release times, rescheduling fees, retake rules, "
        "matched applicants' scores and the advice's targets, each with its source "
        "and the day it holds from.",
    )
    facts.set_defaults(run=_run_facts)


def _run_facts(args: argparse.Namespace) -> None:
    from tracker.facts_table import facts_lines

    for line in facts_lines():
        print(shown(line))
