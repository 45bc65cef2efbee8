"""The policy and the decision: take the exam as planned, or delay it — and until when.

The rule comes from common advice to students aiming at competitive specialties: sit
Step 2 CK only once practice scores are *consistently* at the threshold (240), and the
trend says the exam-day score will be there too. Every number here is a :class:`Policy`
setting; :func:`decide` is pure (no clock, no files) so every case can be tested.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tracker.errors import PolicyError
from tracker.log import SCORE_MAX, SCORE_MIN, Entry, chronological
from tracker.trend import (
    BayesianTrend,
    LinearTrend,
    NoTrend,
    Projection,
    SlopePrior,
    fit_trend,
)

if TYPE_CHECKING:
    from tracker.calibration import Catalog

TAKE_NOW = "take_now"
DELAY = "delay"
INSUFFICIENT_DATA = "insufficient_data"
MODELS = {
    "ols": "ordinary least squares",
    "bayes": "straight line with a learning-rate prior",
}
DEFAULT_MODEL = "bayes"


@dataclass(frozen=True, slots=True)
class Policy:
    """The settings behind the verdict. Scores are points; durations are days."""

    threshold: int = 240  # "consistently 240+" before sitting the exam
    window: int = 3  # how many of the most recent scores must reach the threshold
    target: int = 245  # competitive score for the specialty
    passing: int = 214  # Step 2 CK passing score; below it is a fail
    level: float = 0.95  # coverage of the confidence and prediction intervals
    release_lag_days: int = 28  # exam day to score release
    longest_delay_days: int = 180  # the longest delay the policy considers
    eras_date: dt.date | None = None  # when residency applications open, if known
    default_pace_days: int = 7  # gap between assessments when it cannot be measured
    program_filter: int = 230  # a common cut-off programs filter applications by
    reassess_below: int = 210  # a first score under this calls for rethinking the plan
    model: str = DEFAULT_MODEL  # "ols" or "bayes", see MODELS
    prior: SlopePrior = SlopePrior()  # noqa: RUF009 (frozen, so one shared default is safe)
    calibrate_rule: bool = False  # judge consistency on calibrated scores, not raw ones

    def __post_init__(self) -> None:
        if self.model not in MODELS:
            raise PolicyError(
                f"model {self.model!r} is not one of {', '.join(sorted(MODELS))}"
            )
        if self.prior.weight < 0 or self.prior.sd <= 0 or self.prior.noise_sd <= 0:
            raise PolicyError("the learning-rate prior needs weight ≥ 0 and positive SDs")
        half_life = self.prior.half_life_days
        if half_life is not None and half_life <= 0:
            raise PolicyError(f"recency half-life {half_life} days must be positive")
        for name in ("threshold", "target", "passing", "program_filter", "reassess_below"):
            value = getattr(self, name)
            if not SCORE_MIN <= value <= SCORE_MAX:
                raise PolicyError(
                    f"{name} {value} is outside the score scale {SCORE_MIN}–{SCORE_MAX}"
                )
        if self.window < 1:
            raise PolicyError(f"window {self.window} must be at least 1")
        if not 0.0 < self.level < 1.0:
            raise PolicyError(f"level {self.level} must lie strictly between 0 and 1")
        for name in ("release_lag_days", "longest_delay_days", "default_pace_days"):
            if getattr(self, name) < (1 if name == "default_pace_days" else 0):
                raise PolicyError(f"{name} {getattr(self, name)} is out of range")


@dataclass(frozen=True, slots=True)
class Reason:
    """One line of the verdict's explanation.

    ``met`` is True or False for a rule of the verdict, None for information.
    """

    rule: str
    met: bool | None
    text: str


@dataclass(frozen=True, slots=True)
class Verdict:
    """What :func:`decide` concludes, with everything needed to explain it."""

    verdict: str  # TAKE_NOW, DELAY or INSUFFICIENT_DATA
    exam_date: dt.date
    today: dt.date
    policy: Policy
    entries: tuple[Entry, ...]  # chronological
    trend_scores: tuple[float, ...]  # what the trend was fitted to: calibrated or raw
    recent_scores: tuple[int, ...]  # the last `window` scores, oldest first
    consistent: bool
    trend: LinearTrend | BayesianTrend | NoTrend
    projection: Projection | None  # None when no trend can be fitted
    projected_score: float | None  # the projection, or the recent mean standing in
    decisive_score: float | None  # what the rule compares: the lower of model and own line
    own_line: LinearTrend | None  # the student's own least-squares line, beside a prior
    suggested_date: dt.date | None
    score_release_date: dt.date | None  # when the score of the planned sitting arrives
    reasons: tuple[Reason, ...] = field(default=())

    @property
    def calibrated(self) -> bool:
        """Whether calibration changed any score the trend was fitted to."""
        return any(
            raw.score != fitted
            for raw, fitted in zip(self.entries, self.trend_scores, strict=True)
        )

    @property
    def n_scores(self) -> int:
        return len(self.entries)

    @property
    def scores_missing(self) -> int:
        """How many more results the rule needs before it can judge at all."""
        return max(self.policy.window - self.n_scores, 0)

    @property
    def prediction_interval(self) -> tuple[float, float] | None:
        """Where one exam-day score may land, at the policy's level (points)."""
        if self.projection is None:
            return None
        return self.projection.conf_int(obs=True, alpha=1.0 - self.policy.level)

    @property
    def confidence_interval(self) -> tuple[float, float] | None:
        """Where the trend is on exam day, at the policy's level (points)."""
        if self.projection is None:
            return None
        return self.projection.conf_int(obs=False, alpha=1.0 - self.policy.level)

    @property
    def p_threshold(self) -> float | None:
        return (
            None
            if self.projection is None
            else self.projection.prob_at_least(self.policy.threshold)
        )

    @property
    def p_target(self) -> float | None:
        return (
            None
            if self.projection is None
            else self.projection.prob_at_least(self.policy.target)
        )

    @property
    def p_fail(self) -> float | None:
        return (
            None
            if self.projection is None
            else self.projection.prob_below(self.policy.passing)
        )

    @property
    def slope_per_week(self) -> float | None:
        return None if isinstance(self.trend, NoTrend) else self.trend.slope_per_week

    @property
    def planned_sitting(self) -> dt.date:
        """The sitting in view: the suggested date when delaying, else the exam date."""
        return self.suggested_date or self.exam_date

    @property
    def release_date(self) -> dt.date:
        """When the score of :attr:`planned_sitting` would arrive."""
        return self.planned_sitting + dt.timedelta(days=self.policy.release_lag_days)

    @property
    def days_to_release(self) -> int:
        return (self.release_date - self.today).days

    @property
    def days_to_exam(self) -> int:
        return (self.exam_date - self.today).days

    @property
    def misses_eras(self) -> bool | None:
        """Whether the planned sitting's score arrives after ERAS opens; None if unset."""
        if self.policy.eras_date is None:
            return None
        return self.release_date > self.policy.eras_date

    def as_dict(self) -> dict[str, object]:
        """The ``--json`` contract (keys and meanings are relied on by other tools)."""
        projection = None
        if self.projection is not None:
            projection = {
                "score": _points(self.projection.predicted_mean),
                "confidence_interval": [_points(v) for v in self.confidence_interval],
                "prediction_interval": [_points(v) for v in self.prediction_interval],
                "p_threshold": _probability(self.p_threshold),
                "p_target": _probability(self.p_target),
                "p_fail": _probability(self.p_fail),
                "extrapolated": self.projection.extrapolated,
            }
        slope = self.slope_per_week
        return {
            "verdict": self.verdict,
            "exam_date": self.exam_date.isoformat(),
            "today": self.today.isoformat(),
            "n_scores": self.n_scores,
            "policy": {
                "threshold": self.policy.threshold,
                "window": self.policy.window,
                "target": self.policy.target,
                "passing": self.policy.passing,
                "level": self.policy.level,
            },
            "recent_scores": list(self.recent_scores),
            "consistent": self.consistent,
            "projection": projection,
            "slope_per_week": None if slope is None else round(slope, 3),
            "suggested_date": _iso(self.suggested_date),
            "decisive_score": None
            if self.decisive_score is None
            else _points(self.decisive_score),
            "eras_date": _iso(self.policy.eras_date),
            "score_release_date": _iso(self.score_release_date),
            "reasons": [reason.text for reason in self.reasons],
            "model": self.policy.model,
            "calibrated": self.calibrated,
        }


def decide(
    entries: Sequence[Entry],
    exam_date: dt.date,
    *,
    today: dt.date,
    policy: Policy = Policy(),
    catalog: Catalog | None = None,
) -> Verdict:
    """Apply the policy to the log and the planned exam date, as of ``today``.

    With a ``catalog`` the trend is fitted to calibrated scores; the consistency rule
    keeps the scores the student saw unless ``policy.calibrate_rule`` is set.
    """
    ordered = tuple(chronological(entries))
    _check_dates(ordered, exam_date, today, policy)
    raw_scores = [entry.score for entry in ordered]
    trend_scores = (
        catalog.calibrated_scores(ordered) if catalog else [float(s) for s in raw_scores]
    )
    scores = trend_scores if (catalog and policy.calibrate_rule) else raw_scores
    recent = tuple(scores[-policy.window :])
    enough = len(scores) >= policy.window
    consistent = enough and all(score >= policy.threshold for score in recent)

    trend = fit_trend(
        ordered,
        scores=trend_scores if catalog else None,
        model=policy.model,
        prior=policy.prior,
    )
    projection = None if isinstance(trend, NoTrend) else trend.project(exam_date)
    if projection is not None:
        projected_score: float | None = projection.predicted_mean
    elif enough:
        projected_score = statistics.fmean(recent)  # stands in when no line can be fitted
    else:
        projected_score = None

    # A prior says how students usually learn, not how this one is doing: it may make
    # the verdict more careful, never less. So the student's own line (plain least
    # squares on the same scores) is fitted too, and the lower projection decides.
    own_line = None
    if policy.model != "ols" and not isinstance(trend, NoTrend):
        own_line = fit_trend(ordered, scores=trend_scores if catalog else None, model="ols")
    decisive_score = projected_score
    if own_line is not None:
        decisive_score = min(projected_score, own_line.project(exam_date).predicted_mean)

    if not enough:
        verdict = INSUFFICIENT_DATA
    elif consistent and decisive_score >= policy.threshold:
        verdict = TAKE_NOW
    else:
        verdict = DELAY

    explain = _Explanation(ordered, exam_date, today, policy, trend, projection, own_line)
    explain.consistency(recent, consistent, enough)
    explain.projection_rule(projected_score, enough, recent)
    explain.own_line_check(projected_score, decisive_score)
    explain.calibration(raw_scores, trend_scores)
    suggested_date = None
    if verdict == DELAY:
        suggested_date = explain.suggested_date(scores)
    sitting = exam_date if verdict == TAKE_NOW else suggested_date
    release = None if sitting is None else sitting + dt.timedelta(policy.release_lag_days)
    explain.eras(sitting, release, verdict)
    explain.advice(projected_score, raw_scores)

    return Verdict(
        verdict=verdict,
        exam_date=exam_date,
        today=today,
        policy=policy,
        entries=ordered,
        trend_scores=tuple(trend_scores),
        recent_scores=recent,
        consistent=consistent,
        trend=trend,
        projection=projection,
        projected_score=projected_score,
        decisive_score=decisive_score,
        own_line=own_line,
        suggested_date=suggested_date,
        score_release_date=release,
        reasons=tuple(explain.reasons),
    )


def _check_dates(
    entries: Sequence[Entry], exam_date: dt.date, today: dt.date, policy: Policy
) -> None:
    if entries and entries[-1].date > today:
        raise PolicyError(
            f"the log has a score dated {entries[-1].date}, after today ({today})"
        )
    if entries and exam_date < entries[-1].date:
        raise PolicyError(
            f"exam date {exam_date} is before the last assessment ({entries[-1].date})"
        )
    if exam_date < today:
        raise PolicyError(f"exam date {exam_date} is before today ({today})")
    if policy.eras_date is not None and policy.eras_date < today:
        raise PolicyError(f"ERAS date {policy.eras_date} is before today ({today})")


def pace_days(entries: Sequence[Entry], default: int) -> int:
    """The student's own pace: the median gap (days) between assessment days.

    Several results logged on one day count as one day. With fewer than two days
    logged the pace cannot be measured and ``default`` stands in.
    """
    days = sorted({entry.date for entry in entries})
    gaps = [(later - earlier).days for earlier, later in itertools.pairwise(days)]
    if not gaps:
        return default
    return max(1, math.ceil(statistics.median(gaps)))


def trailing_run(scores: Sequence[int], threshold: int) -> int:
    """How many scores at the end of the log, counted back, reach ``threshold``."""
    run = 0
    for score in reversed(scores):
        if score < threshold:
            break
        run += 1
    return run


class _Explanation:
    """Collects the verdict's reasons, in the order a student reads them."""

    def __init__(
        self,
        entries: tuple[Entry, ...],
        exam_date: dt.date,
        today: dt.date,
        policy: Policy,
        trend: LinearTrend | BayesianTrend | NoTrend,
        projection: Projection | None,
        own_line: LinearTrend | None = None,
    ) -> None:
        self.own_line = own_line
        self.entries = entries
        self.exam_date = exam_date
        self.today = today
        self.policy = policy
        self.trend = trend
        self.projection = projection
        self.reasons: list[Reason] = []

    def add(self, rule: str, met: bool | None, text: str) -> None:
        self.reasons.append(Reason(rule, met, text))

    def consistency(self, recent: tuple[int, ...], consistent: bool, enough: bool) -> None:
        policy = self.policy
        need = f"the last {_count(policy.window, 'score')} must all be {policy.threshold}+"
        if not enough:
            missing = policy.window - len(self.entries)
            self.add(
                "consistency",
                False,
                f"Not enough data: {_count(len(self.entries), 'score')} logged; {need}. "
                f"Log {missing} more.",
            )
        elif consistent:
            self.add(
                "consistency",
                True,
                f"Consistent: the last {_count(policy.window, 'score')} "
                f"({_list(recent)}) are all {policy.threshold} or higher.",
            )
        else:
            short = [score for score in recent if score < policy.threshold]
            self.add(
                "consistency",
                False,
                f"Not yet consistent: {need}; {_list(short)} "
                f"{'is' if len(short) == 1 else 'are'} below (last: {_list(recent)}).",
            )

    def projection_rule(
        self, projected: float | None, enough: bool, recent: tuple[float, ...]
    ) -> None:
        policy, projection, trend = self.policy, self.projection, self.trend
        if projection is not None:
            low, high = projection.conf_int(obs=True, alpha=1.0 - policy.level)
            reaches = projected >= policy.threshold
            self.add(
                "projection",
                reaches,
                f"Projected exam-day score {projected:.0f} on {self.exam_date} "
                f"({policy.level:.0%} prediction interval {low:.0f}–{high:.0f}): "
                f"{'at or above' if reaches else 'below'} {policy.threshold}.",
            )
            self.add(
                "chances",
                None,
                f"Chance on exam day of {policy.threshold}+: "
                f"{format_percent(projection.prob_at_least(policy.threshold))}; of the "
                f"{policy.target} target: "
                f"{format_percent(projection.prob_at_least(policy.target))}; "
                f"of failing (under {policy.passing}): "
                f"{format_percent(projection.prob_below(policy.passing))}.",
            )
            self.add("trend", None, _trend_words(trend))
            if projection.extrapolated:
                ahead = projection.x - trend.last_day
                self.add(
                    "extrapolation",
                    None,
                    f"Caution: the exam is {ahead:.0f} days after your last assessment, "
                    f"longer than your scores span ({trend.span_days:.0f} days); "
                    "the projection stretches the trend beyond the data.",
                )
            if trend.perfect_fit:
                self.add(
                    "perfect_fit",
                    None,
                    "Every score lies exactly on the trend line, so no uncertainty "
                    "could be estimated: the intervals have zero width. "
                    "Log more results before trusting them.",
                )
        elif enough:
            mean = statistics.fmean(recent)
            reaches = mean >= policy.threshold
            self.add(
                "projection",
                reaches,
                f"No trend can be fitted ({trend.reason}); the mean of the last "
                f"{_count(policy.window, 'score')}, {mean:.0f}, stands in for the "
                f"projection: {'at or above' if reaches else 'below'} {policy.threshold}.",
            )
        else:
            self.add("projection", None, f"No projection yet: {trend.reason}.")

    def own_line_check(self, projected: float | None, decisive: float | None) -> None:
        """Say so when the student's own line, not the prior's, decides the verdict."""
        if self.own_line is None or projected is None or decisive == projected:
            return
        threshold = self.policy.threshold
        if decisive < threshold <= projected:
            self.add(
                "own_line",
                False,
                f"Without the learning-rate prior your own scores project {decisive:.0f} "
                f"({_signed(self.own_line.slope_per_week)} points a week): below "
                f"{threshold}. A prior may make the verdict more careful, never less, "
                "so the lower projection counts.",
            )

    def calibration(self, raw: list[int], fitted: list[float]) -> None:
        """Say which scores calibration moved across the threshold, if any."""
        threshold = self.policy.threshold
        crossed = [
            f"{entry.assessment} on {entry.date} ({score} → {value:g})"
            for entry, score, value in zip(self.entries, raw, fitted, strict=True)
            if (score >= threshold) != (value >= threshold)
        ]
        if not crossed:
            return
        use = (
            "the rule and the trend"
            if self.policy.calibrate_rule
            else "the trend (the consistency rule still uses the scores you saw)"
        )
        self.add(
            "calibration",
            None,
            f"Calibration for differences between forms moved "
            f"{_count(len(crossed), 'score')} across {threshold} for {use}: "
            f"{'; '.join(crossed)}.",
        )

    def suggested_date(self, scores: list[float]) -> dt.date | None:
        """The earliest day both the evidence and the trend could be in place."""
        policy, today = self.policy, self.today
        missing = max(policy.window - trailing_run(scores, policy.threshold), 0)
        pace = pace_days(self.entries, policy.default_pace_days)
        evidence_date = today + dt.timedelta(days=missing * pace)
        evidence_words = (
            f"{_count(missing, 'more score')} of {policy.threshold}+ at your pace of one "
            f"every {_count(pace, 'day')} ({evidence_date})"
            if missing
            else f"the last {_count(policy.window, 'score')} already at {policy.threshold}+"
        )

        trend = self.trend
        if isinstance(trend, NoTrend):
            self.add(
                "suggested_date",
                None,
                f"Suggested date: {evidence_date}, the earliest day with "
                f"{evidence_words}. No trend could be checked ({trend.reason}).",
            )
            return self._plan_check(evidence_date, missing)

        # Every line in play must reach the threshold: the model's and, beside a prior,
        # the student's own (waiting alone never raises a falling record).
        lines = [trend] if self.own_line is None else [self.own_line, trend]
        days_ahead = 0  # from today until every line reaches the threshold
        for line in lines:
            crossing = line.first_day_reaching(policy.threshold)
            if crossing is None:
                self.add(
                    "suggested_date",
                    False,
                    f"No date to suggest: your scores are not rising "
                    f"({_signed(line.slope_per_week)} points a week), so waiting alone "
                    "will not raise them. Change how you study — weak subjects, question "
                    "review, tutoring — then reassess.",
                )
                return None
            # Kept as a number of days: a nearly flat line may cross centuries away.
            ahead = math.ceil(crossing) - line.days_since_origin(today)
            days_ahead = max(days_ahead, ahead)
        if days_ahead > policy.longest_delay_days:
            slope = min(line.slope_per_week for line in lines)
            when = (
                f"on {today + dt.timedelta(days=days_ahead)}"
                if days_ahead <= 3650
                else "in more than ten years"
            )
            self.add(
                "suggested_date",
                False,
                f"No date to suggest: at {_signed(slope)} points a week "
                f"the trend reaches {policy.threshold} only {when}, more than "
                f"{policy.longest_delay_days} days away. Waiting alone is not enough: "
                "change how you study, then reassess.",
            )
            return None
        trend_date = today + dt.timedelta(days=days_ahead)
        suggested = max(evidence_date, trend_date)
        self.add(
            "suggested_date",
            None,
            f"Suggested date: {suggested}, the earliest day with {evidence_words} "
            f"and the trend at {policy.threshold}+ ({trend_date}).",
        )
        return self._plan_check(suggested, missing)

    def _plan_check(self, suggested: dt.date, missing: int) -> dt.date:
        if suggested <= self.exam_date and missing:
            self.add(
                "plan",
                None,
                f"That is on or before your exam date ({self.exam_date}): the plan can "
                f"still hold if {_next_scores(missing)} "
                f"{'is' if missing == 1 else 'are'} {self.policy.threshold} or higher.",
            )
        return suggested

    def eras(self, sitting: dt.date | None, release: dt.date | None, verdict: str) -> None:
        eras_date = self.policy.eras_date
        if eras_date is None or sitting is None or release is None:
            return
        which = "the exam date" if verdict == TAKE_NOW else "the suggested date"
        if release <= eras_date:
            self.add(
                "eras",
                True,
                f"Sitting on {which} ({sitting}), the score should arrive by about "
                f"{release}, "
                f"before ERAS opens ({eras_date}).",
            )
        else:
            consequence = (
                "this delay costs a match cycle"
                if verdict == DELAY
                else 'programs would see "score pending"; sit earlier if you can'
            )
            self.add(
                "eras",
                False,
                f"Sitting on {which} ({sitting}), the score would arrive about {release}, "
                f"after ERAS opens ({eras_date}): {consequence}.",
            )

    def advice(self, projected: float | None, scores: list[int]) -> None:
        policy = self.policy
        if scores and scores[0] < policy.reassess_below:
            self.add(
                "reassess",
                None,
                f"Your first score was under {policy.reassess_below}: plan for more time, "
                "consider tutoring, and weigh whether the specialty plan still fits.",
            )
        if projected is not None and projected < policy.program_filter:
            self.add(
                "program_filter",
                None,
                f"A score under {policy.program_filter} falls below a filter many "
                "programs apply to Step 2 CK.",
            )


def _trend_words(trend: LinearTrend | BayesianTrend) -> str:
    weeks = trend.span_days / 7.0
    direction = "rising" if trend.slope > 0 else "falling" if trend.slope < 0 else "flat"
    return (
        f"Trend: {direction}, {_signed(trend.slope_per_week)} points a week over "
        f"{weeks:.0f} weeks ({_count(trend.n, 'assessment')}; {MODELS[trend.model]})."
    )


def _next_scores(n: int) -> str:
    return "your next score" if n == 1 else f"your next {n} scores"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _list(scores: Sequence[float]) -> str:
    return ", ".join(f"{score:g}" for score in scores)


def _signed(value: float) -> str:
    return f"{value:+.1f}".replace("-", "−")


def format_percent(p: float) -> str:
    """A probability in words a student reads at a glance."""
    if p < 0.001:
        return "under 0.1%"
    if p > 0.999:
        return "over 99.9%"
    if p < 0.01 or p > 0.99:
        return f"{p:.1%}"
    return f"{p:.0%}"


def _points(value: float) -> float:
    return round(value, 2)


def _probability(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()
