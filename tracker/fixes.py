"""Fixing mistakes in the log: find entry N as listed, edit it, and say what changed.

Entries are numbered as ``tracker list`` numbers them: 1 is the first row of the file.
A listing carries the log's :func:`~tracker.log.content_id`; given back, it proves
the log has not changed since, so entry N is still the row the student saw. The
writes themselves are :func:`tracker.assess.amend`, :func:`tracker.log.delete_entry`
and :func:`tracker.log.undo_last_change`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tracker import log
from tracker.errors import LogWriteError
from tracker.log import Entry

FIELDS = ("date", "assessment", "score", "notes", "issues")


@dataclass(frozen=True, slots=True)
class Found:
    """Entry ``number`` (1-based, file order) of the log, as read now."""

    number: int
    entry: Entry
    count: int  # rows in the log

    @property
    def index(self) -> int:
        return self.number - 1


def find_entry(
    path: str | os.PathLike[str], number: int, *, listing: str | None = None
) -> Found:
    """Entry ``number`` of the log at ``path``; refused when it does not exist, or when
    ``listing`` is given and the log is no longer the one that listing showed."""
    path = Path(path)
    raw = log.read_raw(path)
    if listing is not None and log.content_id(raw) != listing.strip().lower():
        raise LogWriteError(
            f"{path} changed since listing {listing} (it is now "
            f"{log.content_id(raw)}); run 'tracker list' again and check the numbers"
        )
    entries = log.parse_log(raw, source=str(path))
    if not 1 <= number <= len(entries):
        raise LogWriteError(
            f"{path}: there is no entry {number} (the log has {len(entries)}; "
            "'tracker list' numbers them)"
        )
    return Found(number, entries[number - 1], len(entries))


def edited(
    old: Entry,
    *,
    today: dt.date,
    date: dt.date | str | None = None,
    assessment: str | None = None,
    score: int | str | None = None,
    notes: str | None = None,
    issues: Sequence[str] | None = None,
) -> Entry:
    """``old`` with the given fields replaced, checked like a new entry; ``issues``
    replaces the test-taking tags (``()`` clears them)."""
    return log.make_entry(
        old.date if date is None else date,
        old.assessment if assessment is None else assessment,
        old.score if score is None else score,
        old.notes if notes is None else notes,
        today=today,
        issues=old.issues if issues is None else issues,
    )


def changed_fields(old: Entry, new: Entry) -> tuple[str, ...]:
    """The names of the fields that differ, in column order."""
    return tuple(name for name in FIELDS if getattr(old, name) != getattr(new, name))


@dataclass(frozen=True, slots=True)
class Change:
    """One row's difference between two versions of the log (numbers are 1-based)."""

    kind: str  # "changed", "added" or "removed"
    number: int  # in the version after the change ("removed": in the one before)
    old: Entry | None
    new: Entry | None


def entry_changes(before: Sequence[Entry], after: Sequence[Entry]) -> tuple[Change, ...]:
    """What turns ``before`` into ``after``, row by row."""
    changes: list[Change] = []
    matcher = difflib.SequenceMatcher(a=list(before), b=list(after), autojunk=False)
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag == "equal":
            continue
        paired = min(a1 - a0, b1 - b0) if tag == "replace" else 0
        for i in range(paired):
            changes.append(Change("changed", b0 + i + 1, before[a0 + i], after[b0 + i]))
        for i in range(a0 + paired, a1):
            changes.append(Change("removed", i + 1, before[i], None))
        for i in range(b0 + paired, b1):
            changes.append(Change("added", i + 1, None, after[i]))
    return tuple(changes)


def describe(entry: Entry) -> str:
    """One entry in a line: ``2026-09-24 NBME 11: 227 (weak in renal)``."""
    notes = " ".join(entry.notes.split())
    tags = f" [{', '.join(entry.issues)}]" if entry.issues else ""
    return f"{entry.date} {entry.assessment}: {entry.score}{tags}" + (
        f" ({notes})" if notes else ""
    )


def field_change_words(name: str, old: Entry, new: Entry) -> str:
    """``score 239 → 238``; notes in quotes, on one line; tags as a list."""
    before, after = getattr(old, name), getattr(new, name)
    if name == "notes":
        before, after = f'"{" ".join(before.split())}"', f'"{" ".join(after.split())}"'
    if name == "issues":
        before, after = (", ".join(tags) or "(none)" for tags in (before, after))
    return f"{name} {before} → {after}"


def change_words(change: Change) -> str:
    """One row's change in a line: ``entry 7 (2026-11-07 NBME 14): score 238 → 239``."""
    if change.kind == "changed":
        fields = "; ".join(
            field_change_words(name, change.old, change.new)
            for name in changed_fields(change.old, change.new)
        )
        return (
            f"entry {change.number} ({change.old.date} {change.old.assessment}): {fields}"
        )
    if change.kind == "added":
        return f"entry {change.number} is back: {describe(change.new)}"
    return f"entry {change.number} is gone: {describe(change.old)}"


def undo_words(before: Sequence[Entry], after: Sequence[Entry]) -> tuple[str, ...]:
    """What an undo put back, one line a row (or that only the layout differed)."""
    changes = entry_changes(before, after)
    if not changes:
        return ("(the entries are the same; only the file's layout differs)",)
    return tuple(change_words(change) for change in changes)
