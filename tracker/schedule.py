"""The practice exams left, placed on days before the exam: solved, not walked.

Pure and numbers-only (words are in :mod:`tracker.schedule_text`). The forms not yet
taken are placed on days from the first one the student's pace allows to three days
before the exam (no practice exam in the last two days), at least one pace apart,
and in the final three weeks at least the minimum gap apart (the seed: full-length
practice in the final 2–3 weeks, so the pace may tighten there). The choice is an
optimisation with three goals, in this order of weight:

1. plan as many practice exams as the days allow;
2. when not all fit, keep the newest, most predictive forms: a form's rank is how
   close to the exam its usual window lies (``weeks_before`` in the catalog), so the
   oldest forms give way first, never the newest;
3. place each form as near its usual window as possible (a preference with a cost of
   one per day outside it, not a wall), older forms early, the newest last.

The forms keep their calendar order (by usual window: older forms first, the newest
last), so the optimum is found exactly by dynamic programming over days
(:func:`solve`), light enough to run on every verdict; the tests check it against
``scipy.optimize.milp`` on the same costs and constraints. The verdict counts
on these days: the scores the rule still needs are the next planned practice exams.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from dataclasses import dataclass

from tracker.exams import Form

DAYS_PER_WEEK = 7
REST_DAYS = 2  # no practice exam in the last two days before the exam
FINAL_WEEKS = 3  # the final weeks, where the full-lengths go and the pace may tighten
BASELINE_WEEKS = (13, 17)  # the seed: a baseline self-assessment 3–4 months out


class Placement(enum.StrEnum):
    """Where a planned day sits against the form's usual window."""

    IN_WINDOW = "in_window"
    BEFORE_WINDOW = "before_window"  # its window is crowded by newer forms
    AFTER_WINDOW = "after_window"  # its window has passed, or was crowded
    ANY_DAY = "any_day"  # the form has no usual window
    EXTRA = "extra"  # no catalog form left: any practice exam, to count for the rule


@dataclass(frozen=True, slots=True)
class Slot:
    """One practice exam on one day. ``form`` None: any practice exam (not a catalog
    form); ``window`` the form's usual first and last day, if it has one."""

    date: dt.date
    form: Form | None
    window: tuple[dt.date, dt.date] | None
    placement: Placement


@dataclass(frozen=True, slots=True)
class PracticePlan:
    """The practice exams to the exam day. Days and dates."""

    exam_date: dt.date
    first_day: dt.date  # the first day the pace allows (before the final weeks)
    earliest_day: dt.date  # the first day any practice exam may be planned
    last_day: dt.date  # the last day a practice exam may be taken
    final_start: dt.date  # the first day of the final weeks
    pace_days: int
    final_gap_days: int  # the gap allowed in the final weeks
    slots: tuple[Slot, ...]
    left_out: tuple[Form, ...]  # forms no day was left for, oldest first

    def day_of(self, n: int) -> dt.date | None:
        """The day of the ``n``-th practice exam from now (1-based), if planned."""
        return self.slots[n - 1].date if 1 <= n <= len(self.slots) else None

    def day_after_exam(self, n: int) -> dt.date:
        """The day of the ``n``-th practice exam from now if the exam were moved: the
        planned ones, then one every final gap after the last (or from the earliest
        day, when none fits)."""
        if n <= len(self.slots):
            return self.slots[n - 1].date
        if not self.slots:  # none fits: the first could come on the earliest day
            return self.earliest_day + dt.timedelta(days=(n - 1) * self.final_gap_days)
        extra = n - len(self.slots)
        return self.slots[-1].date + dt.timedelta(days=extra * self.final_gap_days)


def is_final_form(form: Form) -> bool:
    """Whether a form is meant for the final weeks (its usual window reaches them)."""
    return form.weeks_before is not None and form.weeks_before[0] < FINAL_WEEKS


def usual_window(form: Form, exam_date: dt.date) -> tuple[dt.date, dt.date] | None:
    """The days students usually take ``form``, from its ``weeks_before`` (lo, hi)."""
    if form.weeks_before is None:
        return None
    low, high = form.weeks_before
    return (
        exam_date - dt.timedelta(weeks=high),
        exam_date - dt.timedelta(weeks=low),
    )


def calendar_order(forms: Sequence[Form]) -> list[Form]:
    """Forms in the order they are best taken: forms without a usual window first
    (oldest, catalog order), then by window, earliest first. The reverse is their rank:
    the last is the newest, kept when not every form fits."""
    unwindowed = [f for f in forms if f.weeks_before is None]
    windowed = sorted(
        (f for f in forms if f.weeks_before is not None),
        key=lambda f: (-f.weeks_before[1], -f.weeks_before[0]),
    )
    return unwindowed + windowed


def plan_practice(
    forms_left: Sequence[Form],
    *,
    exam_date: dt.date,
    today: dt.date,
    last_practice: dt.date | None,
    pace_days: int,
    min_gap_days: int,
    extra: int = 0,
) -> PracticePlan:
    """Days for the forms left (and ``extra`` practice exams from any source, placed
    first, when the rule needs more scores than forms remain). Days and dates."""
    if pace_days < 1 or min_gap_days < 1:
        raise ValueError("the pace and the minimum gap are whole numbers of days from 1")
    final_gap = min(pace_days, min_gap_days)
    final_start = exam_date - dt.timedelta(weeks=FINAL_WEEKS)
    last_day = exam_date - dt.timedelta(days=REST_DAYS + 1)
    first_day = today
    if last_practice is not None:
        first_day = max(today, last_practice + dt.timedelta(days=pace_days))
    earliest = today
    if last_practice is not None:  # in the final weeks the next may come sooner
        earliest = max(today, last_practice + dt.timedelta(days=final_gap))
    days = [earliest + dt.timedelta(days=k) for k in range((last_day - earliest).days + 1)]
    timing = _Timing(days, exam_date, first_day, final_start, pace_days, final_gap)
    forms = calendar_order(forms_left)
    # Any-source exams have no usual time: try them at each place among the forms
    # (the order is otherwise fixed) and keep the cheapest; on a tie the latest place,
    # so the catalog's (calibrated) forms come first.
    places = range(len(forms), -1, -1) if extra else [len(forms)]
    tries = [timing.solve([*forms[:at], *([None] * extra), *forms[at:]]) for at in places]
    ordered, chosen = min(tries, key=lambda found: found[2])[:2]
    slots = tuple(
        _slot(ordered[k], days[d], exam_date) for k, d in enumerate(chosen) if d is not None
    )
    left = tuple(ordered[k] for k, d in enumerate(chosen) if d is None and ordered[k])
    return PracticePlan(
        exam_date=exam_date,
        first_day=first_day,
        earliest_day=earliest,
        last_day=last_day,
        final_start=final_start,
        pace_days=pace_days,
        final_gap_days=final_gap,
        slots=slots,
        left_out=left,
    )


@dataclass(frozen=True)
class _Timing:
    """The days a plan may use and the gaps between them."""

    days: Sequence[dt.date]
    exam_date: dt.date
    first_day: dt.date  # the pace's first day (forms not meant for the final weeks)
    final_start: dt.date
    pace_days: int
    final_gap: int

    def solve(
        self, ordered: Sequence[Form | None]
    ) -> tuple[Sequence[Form | None], list[int | None], float]:
        """The items in this order, the day index of each (None: left out), the cost.
        Only the forms meant for the final weeks (and any-source exams the rule needs)
        may come closer together there; older forms keep the pace wherever they land."""
        final_days = [day >= self.final_start for day in self.days]
        paced = [day >= self.first_day for day in self.days]
        tight = [self.final_gap if final else self.pace_days for final in final_days]
        steady = [self.pace_days] * len(self.days)
        tightens = [item is None or is_final_form(item) for item in ordered]
        gaps = [tight if t else steady for t in tightens]
        allowed = [
            [p or (t and f) for p, f in zip(paced, final_days, strict=True)]
            for t in tightens
        ]
        costs = timing_costs(ordered, self.days, self.exam_date)
        leave = leave_out_costs(costs, _ranks(ordered))
        chosen, total = solve(costs, gaps, allowed, leave)
        return ordered, chosen, total


def _ranks(ordered: Sequence[Form | None]) -> list[int]:
    """How much each item is worth keeping: any-source exams 0, then the catalog forms
    1, 2, … in calendar order (the newest highest)."""
    ranks, rank = [], 0
    for item in ordered:
        if item is not None:
            rank += 1
        ranks.append(0 if item is None else rank)
    return ranks


def timing_costs(
    ordered: Sequence[Form | None], days: Sequence[dt.date], exam_date: dt.date
) -> list[list[float]]:
    """Each item's cost on each day: the days outside its usual window, plus a tie-break
    under one day in all that sends ties to earlier days."""
    tie = 1.0 / ((len(days) + 1) * (len(ordered) + 1))
    rows = []
    for item in ordered:
        window = None if item is None else usual_window(item, exam_date)
        row = []
        for d, day in enumerate(days):
            outside = (
                0
                if window is None
                else max((window[0] - day).days, (day - window[1]).days, 0)
            )
            row.append(outside + d * tie)
        rows.append(row)
    return rows


def leave_out_costs(costs: Sequence[Sequence[float]], ranks: Sequence[int]) -> list[float]:
    """What leaving each item out costs, so that the goals come in order: one more item
    planned outweighs any choice of which (goal 1), keeping an item outweighs keeping
    every lower-ranked one together (goal 2), and both outweigh all placements
    together (goal 3)."""
    placements = sum(max(row, default=0.0) for row in costs) + 1.0
    one_more = 2.0 ** (max(ranks, default=0) + 1)
    return [placements * (one_more + 2.0**rank) for rank in ranks]


def solve(
    costs: Sequence[Sequence[float]],
    gaps: Sequence[Sequence[int]],
    allowed: Sequence[Sequence[bool]],
    leave: Sequence[float],
) -> tuple[list[int | None], float]:
    """The optimal day (index) of each item, in the items' order, or None for an item
    left out, and the least total. Planned days rise from item to item: item ``k`` may
    follow one at day ``p`` on day ``q`` when ``q − p ≥ gaps[k][q]`` and
    ``allowed[k][q]``. The total is the sum of ``costs[k][day]`` over planned items
    and ``leave[k]`` over the others.

    Dynamic programming over (item, last planned day), with running minima: O(items ×
    days)."""
    n_days, inf = len(costs[0]) if costs else 0, float("inf")
    start = 0.0  # least cost with nothing planned yet
    best = [inf] * n_days  # least cost with the last planned day at q
    steps = []  # per item: where each day's best came from, and the days it was skipped
    for item, row in enumerate(costs):
        before = _best_before(best, gaps[item], start)
        placed = [before[q][0] + row[q] if allowed[item][q] else inf for q in range(n_days)]
        skipped = [cost + leave[item] for cost in best]
        new_best = [min(a, b) for a, b in zip(placed, skipped, strict=True)]
        skip_days = {q for q in range(n_days) if skipped[q] <= placed[q]}
        steps.append(([before[q][1] for q in range(n_days)], skip_days))
        start, best = start + leave[item], new_best
    low = min(best, default=inf)
    last = best.index(low) if low < start else None
    chosen: list[int | None] = []
    for came_from, skip_days in reversed(steps):
        if last is None or last in skip_days:
            chosen.append(None)
        else:
            chosen.append(last)
            last = came_from[last]
    return chosen[::-1], min(low, start)


def _best_before(
    best: Sequence[float], gaps: Sequence[int], start: float
) -> list[tuple[float, int | None]]:
    """For each day q: the cheapest state to come from, the last planned day p with
    q − p ≥ gaps[q] (or nothing planned yet, as None), and its cost."""
    prefix: list[tuple[float, int | None]] = []
    low: tuple[float, int | None] = (start, None)
    for p, cost in enumerate(best):
        if cost < low[0]:
            low = (cost, p)
        prefix.append(low)
    return [
        prefix[q - gaps[q]] if q >= gaps[q] else (start, None) for q in range(len(gaps))
    ]


def _slot(item: Form | None, day: dt.date, exam_date: dt.date) -> Slot:
    if item is None:
        return Slot(day, None, None, Placement.EXTRA)
    window = usual_window(item, exam_date)
    if window is None:
        return Slot(day, item, None, Placement.ANY_DAY)
    if day < window[0]:
        return Slot(day, item, window, Placement.BEFORE_WINDOW)
    if day > window[1]:
        return Slot(day, item, window, Placement.AFTER_WINDOW)
    return Slot(day, item, window, Placement.IN_WINDOW)
