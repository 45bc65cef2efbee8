"""The profile's finished numbers in words: the target and its source, where a score
stands, the next step after the result, and the sitting against ERAS.

No arithmetic beyond formatting: every number is already in the :class:`Outlook`. The
lines are :class:`tracker.reasons.Reason` objects, appended after the plan's own.
"""

from __future__ import annotations

from tracker import facts
from tracker.eras_timing import ErasWindow, WindowPosition
from tracker.exams import ExamProfile
from tracker.next_step import Decision, NextStep, ParallelPath
from tracker.outlook import Outlook
from tracker.plan import ErasStatus
from tracker.profile import (
    APPLICANT_WORDS,
    ApplicantProfile,
    Band,
    Rung,
    Specialty,
    Standing,
    Target,
)
from tracker.reasons import Reason, count

STEP_WORDS = {
    NextStep.APPLY: "apply this cycle",
    NextStep.APPLY_BROADER: "apply this cycle with a broader list",
    NextStep.CONSIDER_DELAY: "consider delaying the match year",
    NextStep.RETAKE: "retake the exam",
}
PATH_WORDS = {
    ParallelPath.DR_ESIR: "diagnostic radiology with Early Specialization in IR (ESIR)",
    ParallelPath.RESEARCH_YEAR: "a research year",
    ParallelPath.OTHER_SPECIALTIES: "other specialties where your profile is competitive",
}
BAND_WORDS = {
    Band.FAIL: "under the passing standard",
    Band.FILTERED: "under the filter many programs set in ERAS",
    Band.LOW: "low for IR",
    Band.BORDERLINE: "borderline for IR",
    Band.COMPETITIVE: "competitive for IR",
    Band.OFFSETS: "enough to help offset IMG status and visa needs",
    Band.BELOW_MATCHED: "under the first quartile of matched applicants",
    Band.LOWER_HALF: "in the lower half of matched applicants",
    Band.UPPER_HALF: "in the upper half of matched applicants",
    Band.TOP_QUARTER: "in the top quarter of matched applicants",
    Band.BELOW_TARGET: "above common program filters but under the target",
    Band.AT_TARGET: "at or above the target",
}
WINDOW_WORDS = {
    WindowPosition.EARLY: "earlier than the advised 3–6 months before ERAS opens: the "
    "score is in early, with all the time advised to decide",
    WindowPosition.INSIDE: "inside the advised 3–6 months before ERAS opens: time to "
    "receive the score and decide whether to apply this cycle",
    WindowPosition.LATE: "later than the advised 3–6 months before ERAS opens: little "
    "time to decide whether to apply this cycle",
    WindowPosition.AFTER: 'on or after the day ERAS opens: programs would see "score '
    'pending"',
}


def citation(source: str) -> str:
    """A source's name: its text before the first ": " (the rest restates the figure)."""
    return source.split(": ", 1)[0]


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def profile_words(profile: ApplicantProfile) -> str:
    """ "a non-US citizen IMG in interventional radiology, needing a visa; Step 1: pass"."""
    who = APPLICANT_WORDS[profile.applicant] if profile.applicant else "an applicant"
    words = f"{who} in {profile.specialty_words}"
    if profile.specialty is None:
        words = f"{who}, no specialty set"
    if profile.visa:
        words += ", needing a visa"
    if profile.step1 is not None:
        words += f"; Step 1: {profile.step1}"
    return words


# --- the target ---------------------------------------------------------------------------


def target_sentence(target: Target, profile: ApplicantProfile, exam: ExamProfile) -> str:
    """The target and its reason, naming its source (``policy.target_reason``)."""
    if target.rung == Rung.SETTING:
        suggested = target.suggested
        return (
            f"Target {target.score}: your own setting (--target, or the sidebar), which "
            f"wins; your profile would suggest {suggested.score}. "
            + _ladder_words(suggested, profile, exam)
        )
    return f"Target {target.score}: " + _ladder_words(target, profile, exam)


def _ladder_words(target: Target, profile: ApplicantProfile, exam: ExamProfile) -> str:
    source = f"(source: {citation(target.source)})"
    match target.rung:
        case Rung.IMG_COMPETITIVE:
            return (
                f"for an IMG aiming at interventional radiology, {target.score} or more is "
                f"competitive at a meaningful number of programs {source}."
            )
        case Rung.IMG_VISA:
            return (
                f"for an IMG in interventional radiology who needs a visa, "
                f"{target.score} or more helps offset IMG status and visa needs {source}."
            )
        case Rung.LOW_STEP1:
            return (
                f"a numeric Step 1 of {profile.step1} is low by the tracker's own line "
                f"({target.low_step1_below}, about the mean of first-time takers from US "
                "and Canadian schools in 2016–2018, USMLE Score Interpretation "
                f"Guidelines); for IR the advice is then {target.range_low}–255 to "
                f"compensate {source}; the tracker aims at {target.score}"
                + (" because a visa need comes on top." if profile.visa else ".")
            )
        case Rung.STEP1_FAIL:
            return (
                "a Step 1 fail is the major red flag for IR; only an outstanding Step 2 "
                f"CK answers it, so the tracker aims at the top of the advised "
                f"{target.range_low}–{target.score} {source}."
            )
        case Rung.MATCHED_Q1:
            return _matched_words(target, profile)
    return _default_words(target, profile, exam)


def _matched_words(target: Target, profile: ApplicantProfile) -> str:
    m = target.matched
    text = (
        f"three in four US MD seniors who matched in {profile.specialty_words} scored "
        f"{m.q1} or more (median {m.median}, third quartile {m.q3}; "
        f"{citation(m.source).split(',')[0]})."
    )
    if profile.applicant not in (None, "us-md"):
        text += " The tracker holds no figures for other applicants from the same report."
    if profile.applicant is None:
        text += " Set --applicant for your own ladder."
    return text


def _default_words(target: Target, profile: ApplicantProfile, exam: ExamProfile) -> str:
    if exam.key != "step2-ck" and profile.specialty is not None:
        why = (
            f"the figures the tracker holds for specialties are Step 2 CK points, so "
            f"{exam.name}'s default stands"
        )
    elif profile.specialty == Specialty.OTHER:
        why = (
            f"the tracker holds no sourced figure for {profile.specialty_words}, so the "
            "exam's default stands (set --target to your specialty's, for example from "
            "NRMP Charting Outcomes in the Match)"
        )
    else:
        why = "the exam's default, with no specialty set (--specialty, --applicant)"
    return f"{why}. {exam.defaults_note}"


# --- where a score stands -----------------------------------------------------------------


def percentile_words(placed: facts.Percentile) -> str:
    if placed.rank is None:
        low, high = placed.bounds
        side = (
            f"under the {ordinal(round(high))}"
            if low == 0
            else (f"above the {ordinal(round(low))}")
        )
        return f"{side} percentile"
    return f"about the {ordinal(round(placed.rank))} percentile"


def band_range(standing: Standing) -> str:
    """The band's own points: "235–244", "250+"."""
    edges = standing.bands
    index = [edge.band for edge in edges].index(standing.band)
    low = edges[index].lowest
    if index + 1 < len(edges):
        high = edges[index + 1].lowest - 1
        return f"under {high + 1:.0f}" if index == 0 else f"{low:.0f}–{high:.0f}"
    return f"{low:.0f}+"


def standing_sentence(standing: Standing, profile: ApplicantProfile) -> str:
    what = "projected exam-day score" if standing.of == "projection" else "result"
    text = (
        f"Where your {what} of {standing.score:.0f} stands: "
        f"{BAND_WORDS[standing.band]} ({band_range(standing)})"
    )
    if standing.percentile is not None:
        table = standing.percentile.table
        text += (
            f"; {percentile_words(standing.percentile)} of first-time takers "
            f"({citation(table.source)}, table in force from "
            f"{facts.dated(table.holds_from)})"
        )
    if standing.matched is not None:
        m = standing.matched
        text += (
            f"; among US MD seniors matched in {profile.specialty_words} "
            f"(first quartile {m.figures.q1}, median {m.figures.median}, third quartile "
            f"{m.figures.q3}), {BAND_WORDS[m.band].removesuffix(' of matched applicants')}"
        )
    return text + "."


# --- after the result ---------------------------------------------------------------------


def next_step_sentence(decision: Decision, profile: ApplicantProfile) -> str:
    head = f"Next step: {STEP_WORDS[decision.step]}."
    score, target = decision.score, decision.target.score
    match decision.step:
        case NextStep.RETAKE:
            why = (
                f"{score} is under the passing standard of {decision.passing} for a "
                "sitting on that day. A fail weighs heavily, for IR most of all: "
                "reassess the specialty plan with your advisors."
            )
        case NextStep.APPLY:
            why = f"{score} reaches your target of {target}."
        case NextStep.APPLY_BROADER:
            why = (
                f"{score} is under your target of {target} but not low (at least "
                f"{decision.borderline_from}). Widen the list (programs that interview "
                "IMGs and sponsor visas, where that applies) and keep a parallel path."
            )
        case _ if decision.pending_at_eras and score >= decision.borderline_from:
            why = (
                f"{score} is borderline (under your target of {target}), and programs "
                f"would see it as pending when ERAS opens ({decision.eras.date}); they "
                "may not interview an IMG without a known score. A strong application "
                "next cycle usually beats a weak one now."
            )
        case _:
            why = (
                f"{score} is under {decision.borderline_from}, low for your target of "
                f"{target}: use a year for research and US clinical experience, or apply "
                "very broadly with a strong backup."
            )
    text = f"{head} {why}"
    if decision.parallel_paths:
        paths = [PATH_WORDS[p] for p in decision.parallel_paths]
        text += f" Parallel paths: {', '.join(paths[:-1])} or {paths[-1]}."
    return text + _eras_words(decision)


def _eras_words(decision: Decision) -> str:
    eras = decision.eras
    if eras is None or decision.step == NextStep.RETAKE:
        return ""
    if eras.status == ErasStatus.MISSES:
        if decision.step == NextStep.CONSIDER_DELAY and decision.pending_at_eras:
            return ""  # said above
        return (
            f" The score arrives after ERAS opens ({eras.date}): programs reviewing "
            'before then see "score pending".'
        )
    days = count(eras.days_before_eras, "day")
    return f" The score arrives {days} before ERAS opens ({eras.date})."


def retake_sentence(decision: Decision, exam: ExamProfile) -> str:
    rules = decision.retakes
    if rules is None:
        return (
            f"The tracker does not know {exam.name}'s retake rules: check the attempt "
            "limits and waiting periods before booking."
        )
    return (
        f"Retake rules for {exam.name}: at most {rules.max_attempts} attempts in all, "
        f"and at most {rules.per_12_months} within 12 months; a "
        f"{ordinal(rules.per_12_months + 1)} or later attempt comes at least "
        f"{rules.months_after_first} months after the first and "
        f"{rules.months_after_last} months after the most recent. A passed exam cannot "
        f"be retaken (source: {citation(rules.source)}; in force from "
        f"{facts.dated(rules.holds_from)})."
    )


def window_sentence(window: ErasWindow) -> str:
    return (
        f"Timing: sitting on {window.sitting} is {WINDOW_WORDS[window.position]} "
        f"({window.opens} to {window.closes}, for ERAS on {window.eras_date})."
    )


WINDOW_MET = {
    WindowPosition.EARLY: None,
    WindowPosition.INSIDE: True,
    WindowPosition.LATE: False,
    WindowPosition.AFTER: False,
}


def profile_reasons(view: Outlook, exam: ExamProfile) -> tuple[Reason, ...]:
    """The profile's lines, in the order a student reads them."""
    profile = view.applicant
    reasons = [Reason("target", None, target_sentence(view.target, profile, exam))]
    for standing in (view.projection, view.result):
        if standing is not None:
            reasons.append(Reason("standing", None, standing_sentence(standing, profile)))
    if view.next_step is not None:
        decision = view.next_step
        # Advice, not a rule of the verdict: no mark of met or not.
        reasons.append(Reason("next_step", None, next_step_sentence(decision, profile)))
        if decision.step == NextStep.RETAKE:
            reasons.append(Reason("retake", None, retake_sentence(decision, exam)))
    if view.window is not None:
        text = window_sentence(view.window)
        reasons.append(Reason("eras_window", WINDOW_MET[view.window.position], text))
    return tuple(reasons)
