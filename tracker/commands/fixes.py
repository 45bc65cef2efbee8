"""Fixing mistakes: ``edit``, ``delete``, ``undo``."""

from __future__ import annotations

import argparse
from pathlib import Path

from tracker.commands.common import (
    SharedFlags,
    add_setting_flags,
    log_path_of,
    settings_for,
    shown,
    today_of,
    warn,
)
from tracker.commands.entries import add_issue_flag


def _entry_number(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise argparse.ArgumentTypeError(
            f"entry number {text!r} is not a whole number from 1"
        )
    return int(text)


def register(commands, flags: SharedFlags) -> None:
    """``edit``, ``delete`` and ``undo``."""
    parents = flags.log
    listing = argparse.ArgumentParser(add_help=False)
    listing.add_argument(
        "number", type=_entry_number, metavar="N", help="the # in 'tracker list'"
    )
    listing.add_argument(
        "--listing",
        metavar="ID",
        help="the listing ID 'tracker list' printed: refuse if the log changed since",
    )
    edit = commands.add_parser(
        "edit",
        parents=[*parents, listing],
        help="correct entry N of the log",
        description="Correct entry N (as numbered by 'tracker list'): give only the "
        "fields to change. The previous log is kept as .bak; 'tracker undo' restores it.",
    )
    edit.add_argument("--date", metavar="YYYY-MM-DD", help="the day it was taken")
    edit.add_argument("--assessment", help="the form's name")
    edit.add_argument("--score", help="the score you saw: three-digit, or percent")
    edit.add_argument("--notes", help="new notes ('' to clear them)")
    add_issue_flag(edit)
    edit.add_argument(
        "--no-issues", action="store_true", help="clear the test-taking problems"
    )
    add_setting_flags(edit, ["exam"])
    edit.set_defaults(run=_run_edit)

    delete = commands.add_parser(
        "delete",
        parents=[*parents, listing],
        help="delete entry N of the log",
        description="Delete entry N (as numbered by 'tracker list'). The previous log "
        "is kept as .bak; 'tracker undo' restores it.",
    )
    delete.set_defaults(run=_run_delete)

    undo = commands.add_parser(
        "undo",
        parents=parents,
        help="put the log back as it was before the last change",
        description="Swap the log with its .bak: the log as it was before the last "
        "change (log, edit, delete) comes back. Run it again to redo the change. "
        "'undo areas' and 'undo qbank' do the same for the area and Q-bank logs.",
    )
    undo.add_argument(
        "which",
        nargs="?",
        choices=("scores", "areas", "qbank"),
        default="scores",
        help="which log: the scores (default), the areas or the Q-bank",
    )
    undo.set_defaults(run=_run_undo)


def _run_edit(args: argparse.Namespace) -> None:
    from tracker.assess import amend
    from tracker.errors import TrackerError
    from tracker.fixes import (
        changed_fields,
        describe,
        edited,
        field_change_words,
        find_entry,
    )

    given = {n: getattr(args, n) for n in ("date", "assessment", "score", "notes")}
    if args.issues and args.no_issues:
        raise TrackerError("give --issue or --no-issues, not both")
    given["issues"] = () if args.no_issues else args.issues
    if all(value is None for value in given.values()):
        raise TrackerError(
            "nothing to change: give --date, --assessment, --score, --notes, --issue "
            "or --no-issues"
        )
    path, today = log_path_of(args), today_of(args)
    found = find_entry(path, args.number, listing=args.listing)
    new = edited(found.entry, today=today, **given)
    fields = changed_fields(found.entry, new)
    if not fields:
        print(
            shown(f"Entry {found.number} already reads {describe(new)}; nothing written.")
        )
        return
    done = amend(
        path, found.index, new, settings_for(args), expected=found.entry, today=today,
        catalog_path=args.catalog,
    )  # fmt: skip
    for warning in done.warnings:
        warn(warning)
    old = found.entry
    what = "; ".join(field_change_words(name, old, new) for name in fields)
    print(shown(f"Changed entry {found.number} ({old.date} {old.assessment}): {what}."))
    _print_undo_hint(path)


def _print_undo_hint(path: Path) -> None:
    from tracker.log import backup_path

    print(shown(f"The previous log is kept as {backup_path(path).name}; "
                "'tracker undo' puts it back."))  # fmt: skip


def _run_delete(args: argparse.Namespace) -> None:
    from tracker.fixes import describe, find_entry
    from tracker.log import delete_entry

    path = log_path_of(args)
    found = find_entry(path, args.number, listing=args.listing)
    delete_entry(path, found.index, expected=found.entry, today=today_of(args))
    print(shown(f"Deleted entry {found.number}: {describe(found.entry)}."))
    _print_undo_hint(path)


def _run_undo(args: argparse.Namespace) -> None:
    from tracker.fixes import undo_words
    from tracker.log import backup_path, undo_last_change

    path = log_path_of(args)
    if args.which != "scores":
        from tracker.commands.study import undo_study_file

        undo_study_file(args.which, path)
        return
    undone = undo_last_change(path)
    print(shown(f"Put back {path} as it was before the last change:"))
    for line in undo_words(undone.before, undone.after):
        print(shown(f"  {line}"))
    n = len(undone.after)
    kept = backup_path(path).name
    print(shown(f"{n} result{'s' if n != 1 else ''} in the log now. The undone version "
                f"is kept as {kept}: 'tracker undo' again redoes it."))  # fmt: skip
