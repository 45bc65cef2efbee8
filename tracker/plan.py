"""The decision as plain data: keep the planned date, move it, or sit now — and when.

The question is always about the *planned* exam date. :func:`make_plan` works out every
number a student needs — whether the rule is met, the projection, the earliest day
readiness could be shown (``ready_by``), the suggested date, the sitting in view and
its score release, the last fee-free day to move the exam, the eligibility period and
ERAS — and returns them in a :class:`Plan`. It is pure (no clock, no files, no words):
:mod:`tracker.reasons` turns a finished plan into sentences.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import itertools
import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from tracker.errors import PolicyError, SettingsError
from tracker.exams import STEP2_CK, ExamProfile, Form, Reading
from tracker.schedule import REST_DAYS, PracticePlan, plan_practice
from tracker.settings import SETTINGS_BY_NAME
from tracker.trend import (
    BayesianTrend,
    Curve,
    LinearTrend,
    NoTrend,
    Projection,
    SlopePrior,
    fit_trend,
    form_weights,
)

DEFAULT_PACE_DAYS = 7  # the gap between assessments when it cannot be measured
ERAS_ROOM_DAYS = 90  # a score this long before ERAS leaves time to decide (3 months)
PLANNING_HORIZON_DAYS = 1096  # three years: no exam is planned further ahead
LINES_DIFFER_POINTS = 3.0  # closer than this, the prior's line and the student's agree


class Outcome(enum.StrEnum):
    """The answer about the planned date; ``headline`` is its word on every screen."""

    TAKE_NOW = "take_now"
    ON_TRACK = "on_track"
    DELAY = "delay"
    INSUFFICIENT_DATA = "insufficient_data"
    TAKEN = "taken"

    @property
    def headline(self) -> str:
        return _HEADLINES[self]


_HEADLINES = {
    Outcome.TAKE_NOW: "TAKE NOW",
    Outcome.ON_TRACK: "ON TRACK",
    Outcome.DELAY: "DELAY",
    Outcome.INSUFFICIENT_DATA: "NOT ENOUGH DATA",
    Outcome.TAKEN: "EXAM TAKEN",
}


class ErasStatus(enum.StrEnum):
    ON_TIME = "on_time"  # the score arrives at least ERAS_ROOM_DAYS before ERAS opens
    TIGHT = "tight"  # it arrives by the day ERAS opens, with less room
    MISSES = "misses"  # it arrives after: the application moves to the next cycle


class NoDateCause(enum.StrEnum):
    NOT_RISING = "not_rising"  # a flat or falling line never reaches the threshold
    LEVELLING_OFF = "levelling_off"  # a rising curve levels off below the threshold
    TOO_SLOW = "too_slow"  # it reaches it only beyond the longest delay considered
    NO_TREND = "no_trend"  # no line can be fitted and the recent scores are below


@dataclass(frozen=True, slots=True)
class Policy:
    """The settings behind the plan, resolved for one exam. Points and days.

    ``threshold`` and ``target`` of None take the exam's defaults.
    """

    exam: ExamProfile = STEP2_CK
    threshold: int | None = None
    window: int = 3
    target: int | None = None
    level: float = 0.95
    model: str = "bayes"
    prior_weight: float = 1.0
    recency_half_life_days: float | None = None
    calibrate_rule: bool = False
    eras_date: dt.date | None = None
    eligibility_end: dt.date | None = None
    longest_delay_days: int = 180
    pace_days: int | None = None  # None: the student's own pace, measured
    min_gap_days: int = 3  # the closest two practice exams may come in the final weeks
    default_pace_days: int = DEFAULT_PACE_DAYS
    curve: Curve | None = None  # how learning slows, for model "bend"; None: the exam's

    def __post_init__(self) -> None:
        for name in ("threshold", "target"):
            if getattr(self, name) is None:
                object.__setattr__(self, name, getattr(self.exam, name))
        for field in dataclasses.fields(self):
            if field.name in SETTINGS_BY_NAME and field.name != "exam":
                try:
                    SETTINGS_BY_NAME[field.name].check(getattr(self, field.name))
                except SettingsError as error:
                    raise PolicyError(str(error)) from None
        for name in ("threshold", "target"):
            value = getattr(self, name)
            if not self.exam.scale_low <= value <= self.exam.scale_high:
                raise PolicyError(
                    f"{name} {value} is outside the {self.exam.name} scale "
                    f"{self.exam.scale_words}"
                )
        if not 1 <= self.default_pace_days <= 90:
            raise PolicyError(f"default pace {self.default_pace_days} days is out of range")

    @property
    def passing(self) -> int:
        """The exam's passing standard in force now; a plan's own, by its exam date,
        is :attr:`Plan.passing`."""
        return self.exam.passing

    @property
    def release_lag_days(self) -> int:
        return self.exam.release_lag_days

    @property
    def learning_curve(self) -> Curve:
        return self.curve or self.exam.curve

    @property
    def prior(self) -> SlopePrior:
        return dataclasses.replace(
            self.exam.prior,
            weight=self.prior_weight,
            half_life_days=self.recency_half_life_days,
        )


@dataclass(frozen=True, slots=True)
class Eras:
    date: dt.date
    score_release_date: dt.date
    days_before_eras: int  # negative: the score arrives after ERAS opens
    status: ErasStatus


@dataclass(frozen=True, slots=True)
class Rule:
    """The "consistently at the threshold" rule, judged on the last ``window`` scores."""

    recent: tuple[Reading, ...]  # oldest first
    recent_scores: tuple[float, ...]  # what the rule compares, exam points
    enough: bool  # at least ``window`` scores
    consistent: bool
    missing: int  # qualifying scores still needed
    pace_days: int  # the gap between practice exams: the setting, else the student's
    pace_measured: bool  # measured from the log (not the setting, not the default)


@dataclass(frozen=True, slots=True)
class Forecast:
    """The exam-day projection and the line that decides. Points on the exam's scale."""

    trend: LinearTrend | BayesianTrend | NoTrend
    own_line: LinearTrend | None  # the student's own least-squares line, beside a prior
    projection: Projection | None  # the model's, on the exam day: the best estimate
    projected_score: float | None  # its mean, or the recent mean standing in
    decisive_score: float | None  # what the rule compares: the lowest of the lines
    decided_by: str | None  # "model", "own_line", "prior_line" or "recent_mean"
    clipped: bool  # a number ran past the scale's end and was held at it
    # The deciding line's exam day: its own mean with the model's spread.
    decisive_projection: Projection | None = None
    # The lines tell different stories: on two sides of the threshold, or
    # LINES_DIFFER_POINTS or more apart on the exam day.
    lines_disagree: bool = False
    # Beside a curve, the straight line with the learning-rate prior: a curve may make
    # the verdict more careful than that line, never less.
    prior_line: BayesianTrend | None = None

    @property
    def own_line_decides(self) -> bool:
        return self.decided_by == "own_line"

    @property
    def lines(self) -> tuple[LinearTrend | BayesianTrend, ...]:
        """Every line fitted, the model's first (none without a trend)."""
        if isinstance(self.trend, NoTrend):
            return ()
        beside = (self.own_line, self.prior_line)
        return (self.trend, *(line for line in beside if line is not None))


@dataclass(frozen=True, slots=True)
class Readiness:
    """When readiness could be shown; ``ready_by`` None with ``no_date`` saying why.

    ``evidence_date`` is the day of the last practice exam the rule still needs, from
    the practice plan (today when none is missing); past the exam day when the plan
    cannot fit them before it."""

    evidence_date: dt.date
    trend_date: dt.date | None
    ready_by: dt.date | None
    no_date: NoDateCause | None
    slowest_slope_per_week: float | None  # points a week, of the line that decides
    days_to_threshold: int | None  # from today, for TOO_SLOW
    ceiling: float | None = None  # points, where the curve levels off (LEVELLING_OFF)


@dataclass(frozen=True, slots=True)
class Deadlines:
    """The dates that make the choice real."""

    decide_by: dt.date | None  # last fee-free day to move the exam; None when passed
    days_to_exam: int
    fee_now: str | None  # what moving the exam costs today, in words; None: free
    rules_known: bool  # whether the exam's rescheduling rules are known
    eligibility_end: dt.date | None


@dataclass(frozen=True, slots=True)
class Result:
    """The real exam result against the projection made the day of the last practice."""

    date: dt.date
    score: int
    as_of: dt.date | None  # the last practice day before the result
    projected: float | None
    prediction_interval: tuple[float, float] | None
    inside: bool | None

    @property
    def error(self) -> float | None:
        return None if self.projected is None else self.score - self.projected


@dataclass(frozen=True, slots=True)
class Plan:
    """Everything the decision rests on, as finished numbers."""

    outcome: Outcome
    exam_date: dt.date
    today: dt.date
    policy: Policy
    readings: tuple[Reading, ...]  # the practice rows used, chronological
    trend_scores: tuple[float, ...]  # what the trend was fitted to
    rule: Rule
    forecast: Forecast
    readiness: Readiness
    suggested_date: dt.date | None  # set for DELAY only
    sitting: dt.date | None  # the sitting in view: the suggested date when delaying
    release_date: dt.date | None
    deadlines: Deadlines
    eras: Eras | None
    result: Result | None = None
    practice: PracticePlan | None = None  # the practice exams to the exam day

    @property
    def needed_scores(self) -> int:
        """Scores at the threshold the rule still needs."""
        return self.rule.missing

    @property
    def forms_left(self) -> int:
        """Practice exams the plan fits before the exam day."""
        return 0 if self.practice is None else len(self.practice.slots)

    @property
    def short_by_calendar(self) -> bool:
        """DELAY only because the days before the exam cannot hold the scores the rule
        needs, while the line that decides is at the threshold on the exam day."""
        return (
            self.outcome == Outcome.DELAY
            and self.needed_scores > self.forms_left
            and self.readiness.trend_date is not None
            and self.readiness.trend_date <= self.exam_date
        )

    @property
    def ready_by(self) -> dt.date | None:
        if self.outcome in (Outcome.ON_TRACK, Outcome.DELAY):
            return self.readiness.ready_by
        return None

    @property
    def projection(self) -> Projection | None:
        return self.forecast.projection

    def interval(self, *, obs: bool) -> tuple[float, float] | None:
        """Prediction (``obs``) or confidence interval on the exam day, on the scale."""
        if self.projection is None:
            return None
        low, high = self.projection.conf_int(obs=obs, alpha=1.0 - self.policy.level)
        return self.policy.exam.on_scale(low), self.policy.exam.on_scale(high)

    def chance_at_least(self, score: float, *, deciding: bool = False) -> float | None:
        """Chance of ``score`` or more on the exam day: by the model (the best
        estimate) or, with ``deciding``, by the line that decides."""
        projection = self.forecast.decisive_projection if deciding else self.projection
        return None if projection is None else projection.prob_at_least(score)

    @property
    def passing(self) -> int:
        """The passing standard in force on the exam date (points)."""
        return self.policy.exam.passing_on(self.exam_date)

    @property
    def chance_of_failing(self) -> float | None:
        if self.projection is None:
            return None
        return self.projection.prob_below(self.passing)

    @property
    def calibrated(self) -> bool:
        """Whether calibration or conversion changed any score the trend used."""
        return any(r.calibrated != r.entry.score for r in self.readings)

    @property
    def uncalibrated(self) -> tuple[Reading, ...]:
        """Practice rows whose form the catalog does not know."""
        return tuple(r for r in self.readings if r.form is None)


def make_plan(
    readings: Sequence[Reading],
    exam_date: dt.date,
    *,
    today: dt.date,
    policy: Policy = Policy(),
    forms_left: Sequence[Form] = (),
) -> Plan:
    """The plan for sitting on ``exam_date``, as of ``today``, from practice readings;
    ``forms_left`` are the catalog's practice forms not yet taken, to be planned."""
    ordered = tuple(sorted(readings, key=lambda r: r.entry.date))
    check_dates(ordered, exam_date, today, policy)
    trend_scores = tuple(r.calibrated for r in ordered)
    rule = judge_rule(ordered, today, policy)
    practice = plan_for_rule(forms_left, ordered, exam_date, today, rule, policy)
    forecast = project(ordered, trend_scores, exam_date, rule, policy)
    evidence = evidence_day(rule, practice, today)
    readiness = find_ready_by(forecast, rule, evidence, today, policy)
    fits = rule.missing <= len(practice.slots)  # the evidence can be in before the exam
    outcome = choose_outcome(rule, forecast, readiness, exam_date, policy, fits=fits)
    suggested = suggest_date(readiness, rule) if outcome == Outcome.DELAY else None
    sitting = suggested if outcome == Outcome.DELAY else exam_date
    release = _release(sitting, policy)
    return Plan(
        outcome=outcome,
        exam_date=exam_date,
        today=today,
        policy=policy,
        readings=ordered,
        trend_scores=trend_scores,
        rule=rule,
        forecast=forecast,
        readiness=readiness,
        suggested_date=suggested,
        sitting=sitting,
        release_date=release,
        deadlines=deadlines(exam_date, today, policy),
        eras=place_eras(release, policy),
        practice=practice,
    )


def plan_for_rule(
    forms_left: Sequence[Form],
    readings: Sequence[Reading],
    exam_date: dt.date,
    today: dt.date,
    rule: Rule,
    policy: Policy,
) -> PracticePlan:
    """The practice exams to the exam day: the catalog's forms left, and, when they
    cannot hold the scores the rule still needs, practice exams from any source on the
    days they leave free."""
    plan = functools.partial(
        plan_practice,
        forms_left,
        exam_date=exam_date,
        today=today,
        last_practice=readings[-1].entry.date if readings else None,
        pace_days=rule.pace_days,
        min_gap_days=policy.min_gap_days,
    )
    practice = plan()
    short = rule.missing - len(practice.slots)
    return plan(extra=short) if short > 0 else practice


def evidence_day(rule: Rule, practice: PracticePlan, today: dt.date) -> dt.date:
    """The day of the last practice exam the rule still needs: the plan's, or past the
    exam day at the final gap when the plan cannot fit them; today if none is missing."""
    if rule.missing == 0:
        return today
    return practice.day_after_exam(rule.missing)


def suggest_date(readiness: Readiness, rule: Rule) -> dt.date | None:
    """The exam day to move to: when the trend is there, and after the last practice
    exam the rule counts on, with the rest days between (never on a practice day)."""
    if readiness.ready_by is None:
        return None
    if rule.missing == 0:
        return readiness.ready_by
    after_practice = readiness.evidence_date + dt.timedelta(days=REST_DAYS + 1)
    return max(readiness.ready_by, after_practice)


def check_dates(
    readings: Sequence[Reading], exam_date: dt.date, today: dt.date, policy: Policy
) -> None:
    """Refuse an exam date the plan cannot be about."""
    if exam_date < today:
        raise PolicyError(f"exam date {exam_date} is before today ({today})")
    if (exam_date - today).days > PLANNING_HORIZON_DAYS:
        raise PolicyError(
            f"exam date {exam_date} is more than three years after today ({today})"
        )
    if readings and exam_date < readings[-1].entry.date:
        last = readings[-1].entry.date
        raise PolicyError(f"exam date {exam_date} is before the last assessment ({last})")
    for words, day in (
        ("ERAS date", policy.eras_date),
        ("eligibility end", policy.eligibility_end),
    ):
        if day is not None and (day - today).days > PLANNING_HORIZON_DAYS:
            raise PolicyError(
                f"{words} {day} is more than three years after today ({today})"
            )
    if policy.eras_date is not None and policy.eras_date < today:
        raise PolicyError(f"ERAS date {policy.eras_date} is before today ({today})")


def judge_rule(readings: Sequence[Reading], today: dt.date, policy: Policy) -> Rule:
    """The consistency rule and how many qualifying scores are still missing."""
    scores = [r.calibrated if policy.calibrate_rule else r.points for r in readings]
    recent = tuple(readings[-policy.window :]) if readings else ()
    recent_scores = tuple(scores[-policy.window :]) if scores else ()
    enough = len(scores) >= policy.window
    consistent = enough and all(s >= policy.threshold for s in recent_scores)
    missing = max(policy.window - trailing_run(scores, policy.threshold), 0)
    pace = pace_days([r.entry.date for r in readings])
    if policy.pace_days is not None:
        pace_days_, measured = policy.pace_days, False
    else:
        pace_days_ = pace if pace is not None else policy.default_pace_days
        measured = pace is not None
    return Rule(
        recent=recent,
        recent_scores=recent_scores,
        enough=enough,
        consistent=consistent,
        missing=missing,
        pace_days=pace_days_,
        pace_measured=measured,
    )


def pace_days(dates: Sequence[dt.date]) -> int | None:
    """The student's own pace: the median gap (days) between assessment days.

    Several results on one day count as one day; None when fewer than two days.
    """
    days = sorted(set(dates))
    gaps = [(later - earlier).days for earlier, later in itertools.pairwise(days)]
    return max(1, math.ceil(statistics.median(gaps))) if gaps else None


def trailing_run(scores: Sequence[float], threshold: float) -> int:
    """How many scores at the end of the log, counted back, reach ``threshold``."""
    run = 0
    for score in reversed(scores):
        if score < threshold:
            break
        run += 1
    return run


def project(
    readings: Sequence[Reading],
    trend_scores: Sequence[float],
    exam_date: dt.date,
    rule: Rule,
    policy: Policy,
) -> Forecast:
    """Fit the trend, project the exam day and pick the line that decides.

    A prior says how students usually learn, not how this one is doing: it may make the
    verdict more careful, never less. So the student's own least-squares line is fitted
    beside it and the line with the lower exam-day projection decides. A curve that
    levels off is a further assumption: beside it the straight line with the prior is
    fitted too, and the lowest of the three decides. Every line weighs each score by
    its form's offset uncertainty and carries that uncertainty into its intervals
    (:func:`tracker.trend.form_weights`, with the prior's noise guess as σ0).
    """
    exam = policy.exam
    dates = [r.entry.date for r in readings]
    uncertainty = [r.uncertainty for r in readings]
    forms = {
        "weights": form_weights(uncertainty, policy.prior.noise_sd),
        "offset_sd": uncertainty if any(uncertainty) else None,
        # Repeats of one form share its offset's error (an unknown name is its own).
        "offset_group": [r.form.name if r.form else i for i, r in enumerate(readings)],
    }
    trend = fit_trend(
        dates, trend_scores, model=policy.model, prior=policy.prior,
        curve=policy.learning_curve, **forms,
    )  # fmt: skip
    if isinstance(trend, NoTrend):
        if not rule.enough:
            return Forecast(trend, None, None, None, None, None, False)
        mean = statistics.fmean(rule.recent_scores)  # stands in for a projection
        return Forecast(trend, None, None, mean, mean, "recent_mean", False)
    projection = trend.project(exam_date)
    beside: dict[str, LinearTrend | BayesianTrend] = {}
    if policy.model != "ols":
        beside["own_line"] = fit_trend(dates, trend_scores, model="ols", **forms)
    if policy.model == "bend":
        beside["prior_line"] = fit_trend(
            dates, trend_scores, model="bayes", prior=policy.prior, **forms
        )
    means = {"model": projection.predicted_mean}
    means |= {name: line.project(exam_date).predicted_mean for name, line in beside.items()}
    # The lowest line decides, with the model's spread around it: the prior's noise
    # guess keeps a short or perfectly straight record from claiming a certainty (or,
    # with three scores, a vagueness) it has not earned.
    decided_by = min(means, key=means.get)  # the model's own on a tie: it comes first
    decisive = dataclasses.replace(projection, predicted_mean=means[decided_by])
    mean = projection.predicted_mean
    low, high = projection.conf_int(obs=True, alpha=1.0 - policy.level)
    clipped = any(exam.on_scale(v) != v for v in (mean, low, high))
    on_scale = [exam.on_scale(value) for value in means.values()]
    return Forecast(
        trend=trend,
        own_line=beside.get("own_line"),
        projection=projection,
        projected_score=exam.on_scale(mean),
        decisive_score=exam.on_scale(decisive.predicted_mean),
        decided_by=decided_by,
        clipped=clipped,
        decisive_projection=decisive,
        lines_disagree=len(on_scale) > 1
        and lines_disagree(*on_scale, threshold=policy.threshold),
        prior_line=beside.get("prior_line"),
    )


def lines_disagree(*projections: float, threshold: float) -> bool:
    """Whether exam-day projections (points) tell different stories: on either side of
    the threshold, or :data:`LINES_DIFFER_POINTS` or more apart."""
    sides = {value >= threshold for value in projections}
    return len(sides) > 1 or max(projections) - min(projections) >= LINES_DIFFER_POINTS


def find_ready_by(
    forecast: Forecast, rule: Rule, evidence: dt.date, today: dt.date, policy: Policy
) -> Readiness:
    """The earliest day both the evidence (the practice plan's day for the last score
    the rule needs) and the trend could be in place."""
    trend = forecast.trend
    if isinstance(trend, NoTrend):
        # No line to say when the scores get there: the recent mean stands in. At the
        # threshold, the evidence alone sets the day; below it, no day can be named.
        standing = forecast.decisive_score
        if standing is None:  # too few scores: the rule says so, not the readiness
            return Readiness(evidence, None, None, None, None, None)
        if standing < policy.threshold:
            return Readiness(evidence, None, None, NoDateCause.NO_TREND, None, None)
        return Readiness(evidence, None, evidence, None, None, None)
    lines = forecast.lines
    slowest = min(line.slope_per_week for line in lines)
    days_ahead = 0  # from today until every line in play reaches the threshold
    for line in lines:
        crossing = line.first_day_reaching(policy.threshold)
        if crossing is None:
            ceiling = getattr(line, "ceiling", None)
            if ceiling is not None:  # rising, but toward a level under the threshold
                cause = NoDateCause.LEVELLING_OFF
                return Readiness(evidence, None, None, cause, slowest, None, ceiling)
            return Readiness(evidence, None, None, NoDateCause.NOT_RISING, slowest, None)
        # Kept as a number of days: a nearly flat line may cross centuries away.
        days_ahead = max(days_ahead, math.ceil(crossing) - line.days_since_origin(today))
    if days_ahead > policy.longest_delay_days:
        return Readiness(evidence, None, None, NoDateCause.TOO_SLOW, slowest, days_ahead)
    trend_date = today + dt.timedelta(days=days_ahead)
    ready_by = max(evidence, trend_date)
    return Readiness(evidence, trend_date, ready_by, None, slowest, days_ahead)


def choose_outcome(
    rule: Rule,
    forecast: Forecast,
    readiness: Readiness,
    exam_date: dt.date,
    policy: Policy,
    *,
    fits: bool = True,
) -> Outcome:
    """TAKE NOW, ON TRACK (ready by the exam day, with the practice exams the rule
    needs planned before it: ``fits``), DELAY, or NOT ENOUGH DATA."""
    if not rule.enough:
        return Outcome.INSUFFICIENT_DATA
    if rule.consistent and forecast.decisive_score >= policy.threshold:
        return Outcome.TAKE_NOW
    ready_by = readiness.ready_by
    if ready_by is not None and ready_by <= exam_date and fits:
        return Outcome.ON_TRACK
    return Outcome.DELAY


def _release(sitting: dt.date | None, policy: Policy) -> dt.date | None:
    if sitting is None:
        return None
    return sitting + dt.timedelta(days=policy.release_lag_days)


def deadlines(exam_date: dt.date, today: dt.date, policy: Policy) -> Deadlines:
    """The last fee-free day to move the exam, and what a move costs today."""
    rules = policy.exam.rescheduling
    days_to_exam = (exam_date - today).days
    if rules is None:
        return Deadlines(None, days_to_exam, None, False, policy.eligibility_end)
    decide_by = exam_date - dt.timedelta(days=rules.free_days_before)
    fee_now = None
    if days_to_exam <= rules.last_fee_day:
        fee_now = rules.last_minute_fee
    elif days_to_exam < rules.free_days_before:
        fee_now = rules.late_fee
    return Deadlines(
        decide_by=decide_by if decide_by >= today else None,
        days_to_exam=days_to_exam,
        fee_now=fee_now,
        rules_known=True,
        eligibility_end=policy.eligibility_end,
    )


def place_eras(release: dt.date | None, policy: Policy) -> Eras | None:
    """Where the sitting's score arrives against ERAS opening, if both are known."""
    if policy.eras_date is None or release is None:
        return None
    days_before = (policy.eras_date - release).days
    if days_before >= ERAS_ROOM_DAYS:
        status = ErasStatus.ON_TIME
    elif days_before >= 0:
        status = ErasStatus.TIGHT
    else:
        status = ErasStatus.MISSES
    return Eras(policy.eras_date, release, days_before, status)


def review_result(readings: Sequence[Reading], result: Reading, *, policy: Policy) -> Plan:
    """The plan as it stood on the last practice day before the real result, and how
    the projection did: outcome TAKEN, with :class:`Result`."""
    # Practice more than three years before the result says nothing about it, and no
    # plan reaches that far ahead.
    earliest = result.entry.date - dt.timedelta(days=PLANNING_HORIZON_DAYS)
    before = [r for r in readings if earliest <= r.entry.date < result.entry.date]
    as_of = max((r.entry.date for r in before), default=result.entry.date)
    # ERAS may have opened since the last practice day: place it after the fact.
    as_then = dataclasses.replace(policy, eras_date=None, eligibility_end=None)
    plan = make_plan(before, result.entry.date, today=as_of, policy=as_then)
    interval = plan.interval(obs=True)
    projected = plan.forecast.projected_score if plan.projection is not None else None
    inside = None
    if interval is not None:
        inside = interval[0] <= result.entry.score <= interval[1]
    outcome = Result(
        date=result.entry.date,
        score=result.entry.score,
        as_of=as_of if before else None,
        projected=projected,
        prediction_interval=interval,
        inside=inside,
    )
    release = _release(result.entry.date, policy)
    # The exam is behind: no day to move it, no fee, no eligibility left to count.
    after = Deadlines(None, plan.deadlines.days_to_exam, None, False, None)
    return dataclasses.replace(
        plan,
        policy=policy,
        deadlines=after,
        outcome=Outcome.TAKEN,
        suggested_date=None,
        sitting=result.entry.date,
        release_date=release,
        eras=place_eras(release, policy),
        result=outcome,
        practice=None,
    )
