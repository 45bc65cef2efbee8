"""A finished :class:`~tracker.plan.Plan` in words a tired student trusts.

No arithmetic happens here beyond formatting: every number is already in the plan.
Each :class:`Reason` is one line; ``met`` is True or False for a rule of the verdict
and None for information.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tracker.exams import PERCENT
from tracker.plan import ErasStatus, NoDateCause, Outcome, Plan
from tracker.settings import MODELS
from tracker.trend import NoTrend

TEN_YEARS_DAYS = 3650
ANY_PRACTICE_EXAM = "another practice exam"  # any source, when no catalog form is left
# The models in a student's words (the settings table names the methods).
MODEL_WORDS = {
    "bayes": "a straight line that starts from how students usually improve",
    "bend": "a learning curve whose gains shrink as your scores rise",
    "ols": "a straight line through your scores alone",
}


@dataclass(frozen=True, slots=True)
class Reason:
    rule: str
    met: bool | None
    text: str


def headline(plan: Plan, *, date_set: bool = True) -> tuple[str, str]:
    """The verdict's word and one line on what to do, for every screen alike. With no
    exam date set (``date_set`` False) the line says so and for which day it judged."""
    word, exam, when = plan.outcome.headline, plan.exam_date, _in_days(plan)
    if not date_set and plan.outcome != Outcome.TAKEN:
        return word, f"no exam date is set; for a sitting on {exam} ({when}): " + (
            _unset_date_words(plan)
        )
    match plan.outcome:
        case Outcome.TAKE_NOW:
            return word, f"sit as planned on {exam} ({when})"
        case Outcome.ON_TRACK:
            return word, f"keep {exam} ({when}); ready by {plan.ready_by} at the earliest"
        case Outcome.DELAY if plan.short_by_calendar:
            moved = (plan.suggested_date - exam).days
            return word, (
                f"move the exam from {exam} to about {plan.suggested_date} "
                f"({count(moved, 'day')} later), or keep it {_short_words(plan)} "
                f"(projected {points(plan.forecast.decisive_score, plan.policy.threshold)})"
            )
        case Outcome.DELAY if plan.suggested_date is not None:
            return word, f"move the exam from {exam} to about {plan.suggested_date}"
        case Outcome.DELAY if plan.readiness.no_date == NoDateCause.NO_TREND:
            return word, f"move the exam from {exam}; no date yet: log results on more days"
        case Outcome.DELAY:
            return word, f"move the exam from {exam}; no date yet: change how you study"
        case Outcome.INSUFFICIENT_DATA:
            missing = plan.policy.window - len(plan.readings)
            return word, f"log {count(missing, 'more result')} (exam planned for {exam})"
    result = plan.result
    if result.projected is None:
        return word, f"{result.score} on {result.date}"
    low, high = result.prediction_interval
    where = "inside" if result.inside else "outside"
    return word, (
        f"{result.score} on {result.date}; the tracker projected "
        f"{points(result.projected)}, {where} its {plan.policy.level:.0%} interval "
        f"({points(low)}–{points(high)})"
    )


def _unset_date_words(plan: Plan) -> str:
    """What the verdict means for a day the student did not choose."""
    match plan.outcome:
        case Outcome.TAKE_NOW:
            return "ready to sit then; enter your planned date"
        case Outcome.ON_TRACK:
            return f"ready by {plan.ready_by} at the earliest; enter your planned date"
        case Outcome.DELAY if plan.suggested_date is not None:
            return f"not ready by then (about {plan.suggested_date} at the earliest)"
        case Outcome.DELAY:
            return "not ready by then; see below"
    missing = plan.policy.window - len(plan.readings)
    return f"log {count(missing, 'more result')}"


def _in_days(plan: Plan) -> str:
    days = plan.deadlines.days_to_exam
    return "today" if days == 0 else f"in {count(days, 'day')}"


def explain(plan: Plan) -> tuple[Reason, ...]:
    """The reasons behind the plan, in the order a student reads them."""
    if plan.outcome == Outcome.TAKEN:
        steps: Sequence[Callable[[Plan], list[Reason]]] = (_result, _forms, _eras)
    else:
        steps = (
            _consistency, _projection, _decisive_line, _chances, _trend, _cautions,
            _forms, _readiness, _deadlines, _eligibility, _eras, _advice,
        )  # fmt: skip
    return tuple(reason for step in steps for reason in step(plan))


# --- the rule and the projection ----------------------------------------------------------


def _last(n: int) -> str:
    return "the last score" if n == 1 else f"the last {n} scores"


def _consistency(plan: Plan) -> list[Reason]:
    policy, rule = plan.policy, plan.rule
    last = _last(policy.window)
    need = f"{last} must {'be' if policy.window == 1 else 'all be'} {policy.threshold}+"
    if not rule.enough:
        n = len(plan.readings)
        missing = policy.window - n
        return [
            Reason(
                "consistency",
                False,
                f"Not enough data: {count(n, 'score')} logged; {need}. Log {missing} more.",
            )
        ]
    recent = points_list(rule.recent_scores)
    if rule.consistent:
        verb = "is" if policy.window == 1 else "are all"
        text = f"Consistent: {last} ({recent}) {verb} {policy.threshold} or higher."
        return [Reason("consistency", True, text)]
    short = [s for s in rule.recent_scores if s < policy.threshold]
    verb = "is" if len(short) == 1 else "are"
    text = (
        f"Not yet consistent: {need}; {points_list(short)} {verb} below (last: {recent})."
    )
    return [Reason("consistency", False, text)]


def _projection(plan: Plan) -> list[Reason]:
    policy, forecast = plan.policy, plan.forecast
    if forecast.decided_by is None:
        return [Reason("projection", None, f"No projection yet: {forecast.trend.reason}.")]
    reaches = forecast.decisive_score >= policy.threshold
    side = f"{'at or above' if reaches else 'below'} {policy.threshold}"
    if forecast.decided_by == "recent_mean":
        text = (
            f"No trend can be fitted ({forecast.trend.reason}); the mean of the last "
            f"{count(policy.window, 'score')}, {score(forecast.decisive_score)}, stands "
            f"in for the projection: {side}."
        )
        return [Reason("projection", reaches, text)]
    low, high = plan.interval(obs=True)
    projected = points(forecast.projected_score, policy.threshold)
    text = (
        f"Projected exam-day score {projected} on {plan.exam_date} "
        f"({policy.level:.0%} prediction interval {points(low)}–{points(high)})"
    )
    if _lines_differ(plan):  # the sentence on the two lines says what counts
        return [Reason("projection", None, f"{text}.")]
    model_reaches = forecast.projected_score >= policy.threshold
    model_side = f"{'at or above' if model_reaches else 'below'} {policy.threshold}"
    return [Reason("projection", model_reaches, f"{text}: {model_side}.")]


def _lines_differ(plan: Plan) -> bool:
    return plan.forecast.lines_disagree


def _line_words(plan: Plan) -> dict[str, str]:
    """Each fitted line and its exam-day projection, in words, by its name in the plan."""
    forecast, threshold, exam = plan.forecast, plan.policy.threshold, plan.policy.exam

    def projects(line) -> str:
        return points(exam.on_scale(line.project(plan.exam_date).predicted_mean), threshold)

    trend, words = forecast.trend, {}
    if forecast.prior_line is None:
        words["model"] = (
            f"the line that starts from how students usually improve "
            f"({signed(trend.slope_per_week)} points a week) projects {projects(trend)}"
        )
    else:
        words["model"] = (
            f"the learning curve ({signed(trend.slope_per_week)} points a week now"
            f"{_levelling(trend)}) projects {projects(trend)}"
        )
        words["prior_line"] = (
            f"a straight line that starts from how students usually improve "
            f"({signed(forecast.prior_line.slope_per_week)} points a week) projects "
            f"{projects(forecast.prior_line)}"
        )
    words["own_line"] = (
        f"your own scores alone ({signed(forecast.own_line.slope_per_week)} points "
        f"a week) project {projects(forecast.own_line)}"
    )
    return words


def _levelling(trend) -> str:
    ceiling = getattr(trend, "ceiling", None)
    return "" if ceiling is None else f", levelling off near {score(round(ceiling))}"


def _decisive_line(plan: Plan) -> list[Reason]:
    """One sentence, when the lines disagree: their slopes, and which one counts."""
    if not _lines_differ(plan):
        return []
    forecast, threshold = plan.forecast, plan.policy.threshold
    words = _line_words(plan)
    deciding = words.pop(forecast.decided_by)
    listed = "; ".join([*words.values(), deciding])  # the one that counts comes last
    reaches = forecast.decisive_score >= threshold
    side = f"{'at or above' if reaches else 'below'} {threshold}"
    if forecast.prior_line is None:
        text = (
            f"Two lines were fitted: {listed}. The lower one counts, since what "
            f"students usually do may make the verdict more careful, never less: {side}."
        )
    else:
        text = (
            f"Three lines were fitted: {listed}. The lowest counts, since how students "
            f"usually learn may make the verdict more careful, never less: {side}."
        )
    return [Reason("decisive_line", reaches, text[0].upper() + text[1:])]


def _chances(plan: Plan) -> list[Reason]:
    if plan.projection is None:
        return []
    policy = plan.policy
    text = (
        f"Chance on exam day of {policy.threshold}+: "
        f"{percent(plan.chance_at_least(policy.threshold))}; of the {policy.target} "
        f"target: {percent(plan.chance_at_least(policy.target))}; of failing (under "
        f"{plan.passing}): {percent(plan.chance_of_failing)}."
    )
    decided_by = plan.forecast.decided_by
    if decided_by in _DECIDING_WORDS and _lines_differ(plan):
        deciding = plan.chance_at_least(policy.threshold, deciding=True)
        text += (
            f" By {_DECIDING_WORDS[decided_by]}, which decides: {percent(deciding)} of "
            f"{policy.threshold}+."
        )
    return [Reason("chances", None, text)]


_DECIDING_WORDS = {"own_line": "your own line", "prior_line": "the straight line"}


def _trend(plan: Plan) -> list[Reason]:
    """The model's line in one sentence (when the two lines differ, the sentence on
    both gives their slopes instead)."""
    trend = plan.forecast.trend
    if isinstance(trend, NoTrend) or _lines_differ(plan):
        return []
    direction = "rising" if trend.slope > 0 else "falling" if trend.slope < 0 else "flat"
    weekly = f"{signed(trend.slope_per_week)} points a week"
    if trend.model == "bend":  # a curve's slope changes: say which day's it is
        weekly += " at your last assessment,"
    text = (
        f"Trend: {direction}, {weekly} over {trend.span_days / 7.0:.0f} weeks "
        f"({count(trend.n, 'assessment')}; "
        f"{MODEL_WORDS.get(trend.model, MODELS.get(trend.model, trend.model))}"
        f"{_levelling(trend)})."
    )
    return [Reason("trend", None, text)]


def _cautions(plan: Plan) -> list[Reason]:
    forecast, reasons = plan.forecast, []
    trend, projection = forecast.trend, forecast.projection
    if projection is not None and projection.extrapolated:
        ahead = projection.x - trend.last_day
        reasons.append(
            Reason(
                "extrapolation",
                None,
                f"Caution: the exam is {ahead:.0f} days after your last assessment, "
                f"longer than your scores span ({trend.span_days:.0f} days); the "
                "projection stretches the trend beyond the data.",
            )
        )
    if projection is not None and trend.perfect_fit:
        width = (
            "the intervals have zero width"
            if projection.se_obs == 0.0
            else "the intervals show only the forms' offset uncertainty"
        )
        reasons.append(
            Reason(
                "perfect_fit",
                None,
                "Every score lies exactly on the trend line, so no uncertainty could be "
                f"estimated: {width}. Log more results before trusting them.",
            )
        )
    if forecast.clipped:
        exam = plan.policy.exam
        reasons.append(
            Reason(
                "clipped",
                None,
                f"The trend runs past the ends of the {exam.name} scale "
                f"({exam.scale_words}); the numbers shown stop at its ends.",
            )
        )
    return reasons


def _forms(plan: Plan) -> list[Reason]:
    """Conversions, calibration that crossed the threshold, and unknown forms."""
    reasons = []
    threshold = plan.policy.threshold
    converted = [r for r in plan.readings if r.scale == PERCENT]
    if converted:
        words = "; ".join(
            f"{r.name} on {r.entry.date}: {r.seen} ≈ {score(r.points)}"
            + (" (outside the table: extrapolated)" if r.extrapolated else "")
            for r in converted
        )
        reasons.append(
            Reason(
                "conversion", None, f"Percent-correct scores on the exam's scale: {words}."
            )
        )
    crossed = [
        f"{r.name} on {r.entry.date} ({score(r.points)} → {score(r.calibrated)})"
        for r in plan.readings
        if (r.points >= threshold) != (r.calibrated >= threshold)
    ]
    if crossed:
        use = (
            "the rule and the trend"
            if plan.policy.calibrate_rule
            else "the trend (the consistency rule still uses the scores you saw)"
        )
        reasons.append(
            Reason(
                "calibration",
                None,
                f"Calibration for differences between forms moved "
                f"{count(len(crossed), 'score')} across {threshold} for {use}: "
                f"{'; '.join(crossed)}.",
            )
        )
    unknown = sorted({r.entry.assessment for r in plan.uncalibrated})
    if unknown:
        reasons.append(
            Reason(
                "uncalibrated",
                None,
                f"Not calibrated (not in the catalog of forms, used as logged): "
                f"{', '.join(unknown)}.",
            )
        )
    return reasons


# --- when, and what it costs --------------------------------------------------------------


def _readiness(plan: Plan) -> list[Reason]:
    if plan.outcome not in (Outcome.ON_TRACK, Outcome.DELAY):
        return []
    readiness, threshold = plan.readiness, plan.policy.threshold
    if readiness.no_date is not None:
        return [Reason("ready_by", False, _no_date_words(plan))]
    if readiness.trend_date is None:
        trend = f"No trend could be checked ({plan.forecast.trend.reason})."
    elif readiness.trend_date <= plan.today:
        trend = f"The trend is already at {threshold}+."
    else:
        trend = f"The trend reaches {threshold} on {readiness.trend_date}."
    if plan.short_by_calendar:
        return [Reason("ready_by", False, _calendar_words(plan))]
    missing = plan.rule.missing
    need, when = _evidence_words(plan) if missing else ("", "")
    if plan.outcome == Outcome.ON_TRACK:
        if missing:
            keep = f"if {need} {'comes' if missing == 1 else 'come'} in by {when}"
        else:
            keep = f"if {_last(plan.policy.window)} stay at {threshold}+"
        text = (
            f"On track: keep {plan.exam_date} {keep}. {trend} Ready by "
            f"{readiness.ready_by} at the earliest."
        )
        return [Reason("ready_by", True, text)]
    last = _last(plan.policy.window)
    evidence = (
        f"The rule needs {need}, by {when}."
        if missing
        else f"{last[0].upper()}{last[1:]} "
        f"{'is' if plan.policy.window == 1 else 'are'} at {threshold}+."
    )
    text = (
        f"Readiness cannot be shown by {plan.exam_date}. {evidence} {trend} Move the "
        f"exam to about {plan.suggested_date}."
    )
    return [Reason("ready_by", False, text)]


def counted_practice(plan: Plan) -> list[tuple[dt.date, str]]:
    """The practice exams the rule counts on, in order: (day, name) from the plan,
    then any more it needs past the exam day (when the days before it cannot hold
    them)."""
    practice, missing = plan.practice, plan.rule.missing
    planned = [
        (slot.date, slot.form.name if slot.form else ANY_PRACTICE_EXAM)
        for slot in practice.slots[:missing]
    ]
    beyond = [
        (practice.day_after_exam(n), ANY_PRACTICE_EXAM)
        for n in range(len(planned) + 1, missing + 1)
    ]
    return planned + beyond


def _evidence_words(plan: Plan) -> tuple[str, str]:
    """What the rule still needs ("2 more scores of 240+") and when they can come in
    ("2026-12-25 (UWSA 3 on 2026-12-11 and NBME 16 on 2026-12-25, at your pace of one
    every 11 days)"), from the practice plan."""
    rule, threshold = plan.rule, plan.policy.threshold
    need = (
        f"one more score of {threshold}+"
        if rule.missing == 1
        else f"{rule.missing} more scores of {threshold}+"
    )
    counted = counted_practice(plan)
    named = [(day, name) for day, name in counted if name != ANY_PRACTICE_EXAM]
    if not named:
        which = f"practice exams on {_and([str(day) for day, _ in counted])}"
        if len(counted) == 1:
            which = f"a practice exam on {counted[0][0]}"
    else:
        which = _and(
            [f"{name} on {day}" if name != ANY_PRACTICE_EXAM else f"a practice exam on "
             f"{day}" for day, name in counted]
        )  # fmt: skip
    days = [plan.readings[-1].entry.date] if plan.readings else []
    days += [day for day, _ in counted]
    closer = any((b - a).days < plan.rule.pace_days for a, b in itertools.pairwise(days))
    pace = _pace_words(plan) + (", closer in the final three weeks" if closer else "")
    return need, f"{counted[-1][0]} ({which}, {pace})"


def _pace_words(plan: Plan) -> str:
    rule = plan.rule
    every = f"one every {count(rule.pace_days, 'day')}"
    if plan.policy.pace_days is not None:
        return f"at the pace you set, {every}"
    if rule.pace_measured:
        return f"at your pace of {every}"
    return f"at a default pace of {every} until yours can be measured"


def _calendar_words(plan: Plan) -> str:
    """DELAY only because the days before the exam cannot hold the scores the rule
    needs, while the projection is at the threshold: both choices, with their costs."""
    rule, policy = plan.rule, plan.policy
    fits = plan.forms_left
    counted = counted_practice(plan)
    moved = (plan.suggested_date - plan.exam_date).days
    fits_words = (
        "no practice exam fits"
        if fits == 0
        else f"only {count(fits, 'practice exam')} {'fits' if fits == 1 else 'fit'}"
    )
    return (
        f"The rule needs {rule.missing} more scores of {policy.threshold}+, but "
        f"{fits_words} before {plan.exam_date} with two rest days before it, while "
        f"the projection is at {policy.threshold}+. Two choices: keep {plan.exam_date} "
        f"and sit {_short_words(plan)}, or move the exam "
        f"{count(moved, 'day')} later, to about "
        f"{plan.suggested_date}, after the last one ({counted[-1][0]}); "
        f"{_move_cost(plan)}."
    )


def _short_words(plan: Plan) -> str:
    """ "with 1 of the 2 scores the rule needs", or "without the score …"."""
    fits, needed = plan.forms_left, plan.needed_scores
    if fits:
        return f"with {fits} of the {needed} scores the rule needs"
    if needed == 1:
        return "without the one more score the rule needs"
    return f"without the {needed} more scores the rule needs"


def _move_cost(plan: Plan) -> str:
    """What moving the exam costs today, in words."""
    deadlines, exam = plan.deadlines, plan.policy.exam
    if not deadlines.rules_known:
        return f"the tracker does not know what moving {exam.name} costs"
    if deadlines.fee_now is None:
        return f"moving is free until {deadlines.decide_by}"
    return f"moving now costs {deadlines.fee_now}"


def _and(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _no_date_words(plan: Plan) -> str:
    readiness, policy = plan.readiness, plan.policy
    if readiness.no_date == NoDateCause.NO_TREND:
        standing = plan.forecast.decisive_score
        below = (
            f"the mean of your last {count(policy.window, 'score')}, {score(standing)}, "
            f"is below {policy.threshold}"
            if standing is not None
            else "there are too few scores"
        )
        return (
            f"No date to suggest: no trend can be fitted yet "
            f"({plan.forecast.trend.reason}) and {below}. Log results on different "
            "days to see where your scores are heading."
        )
    slope = signed(readiness.slowest_slope_per_week)
    if readiness.no_date == NoDateCause.LEVELLING_OFF:
        return (
            f"No date to suggest: your scores are levelling off near "
            f"{score(round(readiness.ceiling))}, below {policy.threshold} (now "
            f"{slope} points a week), so waiting alone will not get you there. Change "
            "how you study — weak subjects, question review, tutoring — then reassess."
        )
    if readiness.no_date == NoDateCause.NOT_RISING:
        return (
            f"No date to suggest: your scores are not rising ({slope} points a week), so "
            "waiting alone will not raise them. Change how you study — weak subjects, "
            "question review, tutoring — then reassess."
        )
    days = readiness.days_to_threshold
    when = (
        f"on {plan.today + dt.timedelta(days=days)}"
        if days <= TEN_YEARS_DAYS
        else "in more than ten years"
    )
    return (
        f"No date to suggest: at {slope} points a week the trend reaches "
        f"{policy.threshold} only {when}, more than {policy.longest_delay_days} days away. "
        "Waiting alone is not enough: change how you study, then reassess."
    )


def _deadlines(plan: Plan) -> list[Reason]:
    if plan.outcome not in (Outcome.ON_TRACK, Outcome.DELAY):
        return []
    deadlines, exam = plan.deadlines, plan.policy.exam
    rules = exam.rescheduling
    if not deadlines.rules_known:
        text = (
            f"The tracker does not know {exam.name}'s rescheduling fees: check them "
            "before the exam gets close."
        )
        return [Reason("decide_by", None, text)]
    if deadlines.decide_by is None:
        text = (
            f"The last fee-free day to move the exam ({rules.free_days_before} days "
            f"before it) has passed: moving it now costs {deadlines.fee_now}."
        )
        return [Reason("decide_by", None, text)]
    text = (
        f"Decide by {deadlines.decide_by}: the last day to move the exam without a fee. "
        f"After it a move costs {rules.late_fee}; within {rules.last_fee_day} days of "
        f"the exam, {rules.last_minute_fee}."
    )
    reasons = [Reason("decide_by", None, text)]
    ready_by = plan.readiness.ready_by
    if ready_by is not None and ready_by > deadlines.decide_by:
        reasons.append(
            Reason(
                "decide_before_evidence",
                False,
                f"The evidence comes after that day ({ready_by}): you will have to "
                f"decide before it is in. Moving after {deadlines.decide_by} costs "
                f"{rules.late_fee}.",
            )
        )
    return reasons


def _eligibility(plan: Plan) -> list[Reason]:
    end = plan.deadlines.eligibility_end
    if end is None:
        return []
    if plan.exam_date > end:
        text = (
            f"Your exam date ({plan.exam_date}) is after your eligibility period ends "
            f"({end}): the exam cannot be held then without an extension."
        )
        return [Reason("eligibility", False, text)]
    if plan.suggested_date is not None and plan.suggested_date > end:
        text = (
            f"The suggested date ({plan.suggested_date}) is after your eligibility period "
            f"ends ({end}): moving there needs an extension or a new application."
        )
        return [Reason("eligibility", False, text)]
    return [Reason("eligibility", True, f"Your eligibility period runs until {end}.")]


def _eras(plan: Plan) -> list[Reason]:
    eras = plan.eras
    if eras is None:
        return []
    which = "the suggested date" if plan.outcome == Outcome.DELAY else "your exam date"
    start = (
        f"Sitting on {which} ({plan.sitting}), the score should arrive about "
        f"{eras.score_release_date}"
    )
    if plan.outcome == Outcome.TAKEN:
        start = (
            f"You sat the exam on {plan.sitting}; the score should arrive about "
            f"{eras.score_release_date}"
        )
    if eras.status == ErasStatus.ON_TIME:
        text = (
            f"{start}, {count(eras.days_before_eras, 'day')} before ERAS opens "
            f"({eras.date}): time to decide whether to apply this cycle."
        )
        return [Reason("eras", True, text)]
    if eras.status == ErasStatus.TIGHT:
        when = (
            f"{count(eras.days_before_eras, 'day')} before ERAS opens"
            if eras.days_before_eras
            else "the day ERAS opens"
        )
        text = (
            f"{start}, {when} ({eras.date}): in time, but with less than the three "
            "months advised to decide whether to apply this cycle."
        )
        return [Reason("eras", None, text)]
    consequence = {
        Outcome.DELAY: "this delay moves the application to the next cycle; for a field "
        "like IR a strong score next cycle usually beats a mediocre one now",
        Outcome.TAKEN: 'programs that review applications before then see "score pending"',
    }.get(
        plan.outcome,
        'programs would see "score pending": sit earlier if you can, or apply next cycle',
    )
    text = f"{start}, after ERAS opens ({eras.date}): {consequence}."
    return [Reason("eras", False, text)]


def _advice(plan: Plan) -> list[Reason]:
    policy, reasons = plan.policy, []
    if plan.readings and plan.readings[0].points < policy.exam.reassess_below:
        reasons.append(
            Reason(
                "reassess",
                None,
                f"Your first score was under {policy.exam.reassess_below}: plan for more "
                "time, consider tutoring, and weigh whether the specialty plan still fits.",
            )
        )
    projected = plan.forecast.decisive_score
    if projected is not None and projected < policy.exam.program_filter:
        reasons.append(
            Reason(
                "program_filter",
                None,
                f"A score under {policy.exam.program_filter} falls below a filter many "
                f"programs apply to {policy.exam.name}.",
            )
        )
    return reasons


def _result(plan: Plan) -> list[Reason]:
    result, exam = plan.result, plan.policy.exam
    start = f"Your {exam.name} result: {result.score} on {result.date}."
    if result.projected is None:
        text = f"{start} No projection to compare it with: {plan.forecast.trend.reason}."
        return [Reason("result", None, text)]
    low, high = result.prediction_interval
    where = "inside" if result.inside else "outside"
    error = result.error
    direction = "above" if error > 0 else "below" if error < 0 else "exactly at"
    text = (
        f"{start} On {result.as_of}, the day of your last practice score, the tracker "
        f"projected {points(result.projected)} ({plan.policy.level:.0%} prediction "
        f"interval {points(low)}–{points(high)}): the result fell {where} it, "
        + (
            "exactly at the projection."
            if error == 0
            else f"{score(abs(error))} points {direction} the projection."
        )
    )
    return [Reason("result", result.inside, text)]


# --- formatting ---------------------------------------------------------------------------


def count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def points(value: float, near: float | None = None) -> str:
    """A projection in whole points; one decimal where rounding would cross ``near``."""
    if near is not None and (round(value) >= near) != (value >= near):
        # Truncate towards the side the value is on: 239.96 is "239.9", not "240.0".
        tenths = math.floor(value * 10) if value < near else math.ceil(value * 10)
        return f"{tenths / 10:.1f}"
    return f"{value:.0f}"


def score(value: float) -> str:
    """A score as logged or converted: whole, or with the one decimal it has."""
    return f"{round(value, 1):g}"


def points_list(scores: Sequence[float]) -> str:
    return ", ".join(score(value) for value in scores)


def signed(value: float) -> str:
    return f"{value:+.1f}".replace("-", "−")


def percent(p: float) -> str:
    """A probability in words a student reads at a glance."""
    if p < 0.001:
        return "under 0.1%"
    if p > 0.999:
        return "over 99.9%"
    if p < 0.01 or p > 0.99:
        return f"{p:.1%}"
    return f"{p:.0%}"
