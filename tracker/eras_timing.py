"""Where a sitting falls against the seed's timing: sit the exam 3–6 months before ERAS
opens, so the score is in hand, there is time to decide whether to apply this cycle,
and no program sees "score pending".

Months are calendar months (a day missing from the shorter month is its last day).
Pure: dates in, a :class:`ErasWindow` out.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
from dataclasses import dataclass

WINDOW_MONTHS = (6, 3)  # the seed: 3–6 months before ERAS opens


class WindowPosition(enum.StrEnum):
    EARLY = "early"  # more than 6 months before ERAS opens
    INSIDE = "inside"  # 3–6 months before
    LATE = "late"  # under 3 months before: little time to decide
    AFTER = "after"  # on or after the day ERAS opens


@dataclass(frozen=True, slots=True)
class ErasWindow:
    sitting: dt.date
    eras_date: dt.date
    opens: dt.date  # 6 months before ERAS opens
    closes: dt.date  # 3 months before
    position: WindowPosition


def months_before(day: dt.date, months: int) -> dt.date:
    """``day`` moved back ``months`` calendar months (the 31st becomes the month's
    last day where the month is shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def eras_window(sitting: dt.date | None, eras_date: dt.date | None) -> ErasWindow | None:
    """The sitting placed in the window before ERAS opens; None without both dates."""
    if sitting is None or eras_date is None:
        return None
    opens, closes = (months_before(eras_date, n) for n in WINDOW_MONTHS)
    if sitting >= eras_date:
        position = WindowPosition.AFTER
    elif sitting > closes:
        position = WindowPosition.LATE
    elif sitting >= opens:
        position = WindowPosition.INSIDE
    else:
        position = WindowPosition.EARLY
    return ErasWindow(sitting, eras_date, opens, closes, position)
