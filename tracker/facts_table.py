"""The facts of :mod:`tracker.facts` as lines of text, grouped, each with its source
and the day it holds from (for ``tracker facts``)."""

from __future__ import annotations

from tracker import facts


def facts_lines() -> list[str]:
    """Every fact, by kind; a figure that changed over time shows each row."""
    lines = ["Passing standard (the exam date picks the one in force):"]
    for row in facts.passing_standards():
        lines.append(f"  {row.exam}: {row.passing} {_since(row.holds_from)}")
        lines.append(f"    source: {row.source}")
    lines.append("Percentiles of first-time takers (score → percentile):")
    for table in facts.percentile_tables():
        points = ", ".join(f"{s}→{p:g}" for s, p in table.points)
        lines.append(f"  {table.exam}, {_since(table.holds_from)}: {points}")
        lines.append(f"    source: {table.source}")
    lines.append("Scores arrive after the exam:")
    for row in facts.release_lags():
        lines.append(f"  {row.exam}: {row.days} days, {_since(row.holds_from)}")
        lines.append(f"    source: {row.source}")
    lines.append("Moving the exam:")
    for row in facts.rescheduling_rules():
        lines.append(
            f"  {row.exam}: free {row.free_days_before}+ days before; then "
            f"{row.late_fee}; within {row.last_fee_day} days, {row.last_minute_fee}; "
            f"{_since(row.holds_from)}"
        )
        lines.append(f"    source: {row.source}")
    lines += _retakes_and_match()
    return lines


def _retakes_and_match() -> list[str]:
    lines = ["Retaking after a fail:"]
    for row in facts.retake_rules():
        lines.append(
            f"  {row.exam}: {row.max_attempts} attempts in all, {row.per_12_months} "
            f"within 12 months; a later one {row.months_after_first} months after the "
            f"first and {row.months_after_last} after the last; "
            f"{_since(row.holds_from)}"
        )
        lines.append(f"    source: {row.source}")
    lines.append("Step 2 CK of matched applicants (first quartile, median, third):")
    for row in facts.matched_scores():
        lines.append(
            f"  {row.specialty}, {row.applicant}: {row.q1}, {row.median}, {row.q3}; "
            f"{_since(row.holds_from)}"
        )
        lines.append(f"    source: {row.source}")
    lines.append("Targets and bands from the advice:")
    for row in facts.advice_figures().values():
        lines.append(f"  {row.name}: {row.score}, {_since(row.holds_from)}")
        lines.append(f"    source: {row.source}")
    lines.append("All in data/facts/; 'undated' marks a source that gives no day.")
    return lines


def _since(day) -> str:
    return "undated" if day is None else f"from {day.isoformat()}"
