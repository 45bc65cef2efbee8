"""A finished :class:`~tracker.study.Study` in words: the verdict's lines on the
baseline and the Q-bank, the plan's weekly review, and the pieces both shells show.

No arithmetic here beyond formatting: every number is already in the study.
"""

from __future__ import annotations

from collections.abc import Mapping

from tracker.areas import AreaStanding, AreaValue
from tracker.qbank import QbankProgress
from tracker.reasons import Reason, count, score, signed
from tracker.study import Baseline, Study, StudyFact
from tracker.tags import IssueCount

NOT_IN_PROJECTION = (
    "Q-bank numbers do not change the projection: no published study gives their "
    "weight for Step 2 CK."
)


def study_reasons(study: Study) -> tuple[Reason, ...]:
    """The verdict's lines from the study plan, after the plan's own reasons."""
    reasons = []
    baseline = study.baseline
    if baseline is not None and baseline.missing:
        reasons.append(Reason("baseline", None, missing_baseline_words(baseline)))
    if baseline is not None and baseline.in_plausible_band:
        reasons.append(Reason("baseline_band", None, plausible_band_words(baseline)))
    if study.qbank is not None:
        reasons.append(Reason("qbank", None, qbank_words(study.qbank, study.facts)))
    return tuple(reasons)


def _span(fact: StudyFact) -> str:
    return f"{fact.low:g}–{fact.high:g} {fact.unit}"


def missing_baseline_words(baseline: Baseline) -> str:
    advice = (
        f"the advice is a baseline self-assessment {_span(baseline.advised)} before the "
        "exam, to show weak areas and test-taking problems while there is time to work "
        "on them"
    )
    if baseline.first_date is None:
        return (
            f"No baseline yet, and the exam is {count(baseline.days_before_exam, 'day')} "
            f"away: {advice}. Take one now and log its score report's areas "
            "('tracker area')."
        )
    return (
        f"Your first practice score ({baseline.first_date}) came "
        f"{count(baseline.days_before_exam, 'day')} before the exam: {advice}. Log its "
        "score report's areas ('tracker area') so the plan can name the weakest."
    )


def plausible_band_words(baseline: Baseline) -> str:
    band, target, months = baseline.band, baseline.target, baseline.months
    return (
        f"Your first score, {score(baseline.first_score)}, lies in {band.low:g}–"
        f"{band.high:g}: from there, {target.low:g}–{target.high:g} is a hard but "
        f"realistic aim over {_span(months)} of disciplined study."
    )


def qbank_words(progress: QbankProgress, facts: Mapping[str, StudyFact]) -> str:
    """One sentence on the bank: where it stands, the pace, the first pass, passes."""
    start = (
        f"{progress.bank}: {progress.done:,} of {progress.total:,} questions "
        f"({progress.done / progress.total:.0%}), {progress.percent_correct:g}% correct"
    )
    if progress.correct_per_week is not None:
        start += f" ({signed(progress.correct_per_week)} points a week)"
    if progress.passes_started > 1:
        start += f", pass {progress.passes_started}"
    return f"{start}. {_first_pass_words(progress, facts)} {NOT_IN_PROJECTION}"


def _first_pass_words(progress: QbankProgress, facts: Mapping[str, StudyFact]) -> str:
    passes, more = facts.get("qbank_passes"), facts.get("qbank_passes_if_time")
    advice = ""
    if passes is not None and more is not None:
        advice = (
            f" (the advice: at least {passes.low:g} full "
            f"pass{'' if passes.low == 1 else 'es'}, "
            f"{more.low:g}–{more.high:g} if time allows)"
        )
    if progress.pace_per_day is None:
        return (
            "Log your progress on another day to see your pace and when the first "
            "pass ends."
        )
    pace = f"At your pace of {progress.pace_per_day:.0f} questions a day"
    fit = ""
    if progress.passes_by_exam is not None:
        fit = f"; {progress.passes_by_exam:.1f} passes by the exam{advice}"
    if progress.first_pass_done_on is not None:
        return f"First pass done by {progress.first_pass_done_on}{fit}."
    if progress.pace_per_day <= 0:
        return "No questions answered between your reports: the first pass is not moving."
    when = (
        f"about {progress.first_pass_by}"
        if progress.first_pass_by is not None
        else "in more than ten years"
    )
    if progress.first_pass_in_time is False:
        need = ""
        if progress.needed_per_day is not None:
            need = f"; finishing it before the exam takes {progress.needed_per_day:,} a day"
        return (
            f"{pace} the first pass ends {when}, not before the exam "
            f"({progress.exam_date}){need}."
        )
    return f"{pace} the first pass ends {when}{fit}."


def weekly_review_line(study: Study) -> str:
    """The plan's weekly review of weak areas, named from the area log."""
    hours = study.facts.get("weak_area_hours_per_week")
    each_week = f"Each week, {_span(hours)}" if hours else "Each week, some time"
    if not study.areas.areas:
        return (
            f"{each_week} on weak areas: log your score reports' areas ('tracker area') "
            "and the plan names the weakest."
        )
    if not study.weakest:
        return (
            f"{each_week} on weak areas: none is below your own overall on its latest "
            "report, so spread the review."
        )
    return f"{each_week} on your weakest areas: {'; '.join(study.weakest)}."


# --- pieces for tables ----------------------------------------------------------------


def value_words(value: AreaValue) -> str:
    """A cell: ``58% (−8)`` for a percent against its reference, or the band."""
    if value.percent is None:
        return value.band
    if value.difference is None:
        return f"{value.percent:g}%"
    return f"{value.percent:g}% ({signed(value.difference)})"


def change_words(standing: AreaStanding) -> str:
    """Since the previous report: ``lower → same``, ``+6 points``, or ``first report``."""
    previous = standing.previous
    if previous is None:
        return "first report"
    words = []
    if standing.change_steps:
        words.append(f"{previous.standing} → {standing.latest.standing}")
    if standing.change_points is not None:
        words.append(f"{signed(standing.change_points)} points")
    return ", ".join(words) or "no change"


def issue_words(issue: IssueCount, practice_exams: int) -> str:
    """``timing: 3 of 9 practice exams (2 of the last 3)``."""
    return (
        f"{issue.issue}: {issue.exams} of {count(practice_exams, 'practice exam')} "
        f"({issue.recent} of the last {issue.recent_of})"
    )
