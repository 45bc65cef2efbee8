"""The plan as an iCalendar file: the exam day, the deadlines and the planned forms.

Pure: an :class:`~tracker.assess.Assessment` (with the practice plan its verdict counts
on) in, :class:`CalendarEvent` values and then the ``.ics`` bytes out (the ``icalendar``
library writes the format). Every event is a whole day. Each has a UID that stays
the same from one export to the next (exam and kind, or the form), so importing a
newer file moves the events instead of adding copies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from tracker.assess import Assessment
from tracker.exams import normalise_name
from tracker.plan import Outcome
from tracker.reasons import ANY_PRACTICE_EXAM, headline
from tracker.schedule_text import plan_text

PRODUCT_ID = "-//Step Score Tracker//tracker calendar//EN"
UID_DOMAIN = "step-score-tracker"


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    """One whole-day event."""

    day: dt.date
    title: str
    description: str
    key: str  # stable across exports: the UID is built from it


def calendar_events(assessment: Assessment) -> tuple[CalendarEvent, ...]:
    """The exam day, the last fee-free day to move it, the expected score release, the
    suggested date when delaying, and each planned form; in date order."""
    plan, exam = assessment.plan, assessment.profile
    word, detail = headline(plan)
    verdict = f"Verdict on {assessment.today}: {word}, {detail}."
    events = []
    if plan.outcome == Outcome.TAKEN:
        events.append(CalendarEvent(plan.exam_date, f"{exam.name} (sat)", verdict, "exam"))
    else:
        events.append(CalendarEvent(plan.exam_date, f"{exam.name} exam", verdict, "exam"))
    deadlines = plan.deadlines
    if deadlines.decide_by is not None and plan.outcome != Outcome.TAKEN:
        rules = exam.rescheduling
        events.append(
            CalendarEvent(
                deadlines.decide_by,
                f"Last day to move {exam.name} without a fee",
                f"After this day a move costs {rules.late_fee}. {verdict}",
                "decide-by",
            )
        )
    if plan.release_date is not None and plan.result is None:  # a logged result is in
        events.append(
            CalendarEvent(
                plan.release_date,
                f"{exam.name} score expected",
                f"About {exam.release_lag_days} days after sitting on {plan.sitting}.",
                "score-release",
            )
        )
    if plan.suggested_date is not None:
        events.append(
            CalendarEvent(
                plan.suggested_date,
                f"Suggested {exam.name} date (if you move it)",
                verdict,
                "suggested-date",
            )
        )
    events += [
        CalendarEvent(
            line.date,
            f"Practice exam: {line.assessment}",
            f"{line.assessment}: {line.why}. Log the score the day you see it: the "
            "verdict can change then.",
            _practice_key(line.assessment, n),
        )
        for n, line in enumerate(plan_text(assessment).planned, start=1)
    ]
    return tuple(sorted(events, key=lambda event: event.day))


def _practice_key(name: str, n: int) -> str:
    """A form keeps its UID from one export to the next; any-source exams, which have
    no name of their own, are numbered."""
    if name == ANY_PRACTICE_EXAM:
        return f"practice-other-{n}"
    return f"practice-{normalise_name(name)}"


def to_ics(events: Sequence[CalendarEvent], *, exam_key: str, made_on: dt.date) -> bytes:
    """The events as an iCalendar (RFC 5545) file. ``made_on`` stamps each event."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Exam plan")
    stamp = dt.datetime.combine(made_on, dt.time(), tzinfo=dt.UTC)
    for item in events:
        event = Event()
        event.add("uid", f"{exam_key}-{item.key}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", item.day)
        event.add("dtend", item.day + dt.timedelta(days=1))
        event.add("summary", item.title)
        event.add("description", item.description)
        event.add("transp", "TRANSPARENT")  # a reminder, not a busy block
        calendar.add_component(event)
    return calendar.to_ical()


def is_calendar(head: bytes) -> bool:
    """Whether a file's first bytes are an iCalendar file (to replace it safely)."""
    return head.lstrip(b"\xef\xbb\xbf \r\n\t").upper().startswith(b"BEGIN:VCALENDAR")
