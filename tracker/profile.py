"""Who the student is, and what that makes of a score: target, bands, matched peers.

The applicant profile (specialty, who one applies as, visa, Step 1) picks the target
from a ladder, each rung with its source: the seed article's figures for IMGs aiming at
interventional radiology (245; 250 with a visa to offset; 250–255 after a low numeric
Step 1; a Step 1 fail as the red flag it is), NRMP's matched applicants for the other
profiles in IR and DR, and the exam's own default otherwise. A target the student set
wins, and says what the profile would have suggested.

Then a score (a projection or the real result) is placed: its band for the profile
(for an IMG in IR: under the common ERAS filter of 230, low under 235, borderline to
245, competitive, and 250+ offsetting IMG status and visa) and its place among the
specialty's matched applicants. Pure: numbers only; :mod:`tracker.profile_words` says
them.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from dataclasses import dataclass
from typing import Any

from tracker import facts
from tracker.exams import STEP2_CK, ExamProfile


class Specialty(enum.StrEnum):
    IR = "ir"
    DR = "dr"
    OTHER = "other"


class Applicant(enum.StrEnum):
    US_MD = "us-md"
    US_DO = "us-do"
    US_IMG = "us-img"  # a US citizen at a medical school abroad
    NON_US_IMG = "non-us-img"


SPECIALTY_NAMES = {
    Specialty.IR: "interventional radiology",
    Specialty.DR: "diagnostic radiology",
}
APPLICANT_WORDS = {
    Applicant.US_MD: "a US MD senior or graduate",
    Applicant.US_DO: "a US DO senior or graduate",
    Applicant.US_IMG: "a US citizen IMG",
    Applicant.NON_US_IMG: "a non-US citizen IMG",
}


@dataclass(frozen=True, slots=True)
class ApplicantProfile:
    """The student as an applicant; None where not given."""

    specialty: Specialty | None = None
    specialty_name: str | None = None  # for OTHER, as typed
    applicant: Applicant | None = None
    visa: bool = False  # needs a visa (J-1 or H-1B) to train in the US
    step1: str | int | None = None  # "pass", "fail", or a three-digit score

    @classmethod
    def from_settings(cls, settings: Any) -> ApplicantProfile:
        """The profile rows of :class:`tracker.settings.Settings`."""
        return cls(
            specialty=Specialty(settings.specialty) if settings.specialty else None,
            specialty_name=settings.specialty_name,
            applicant=Applicant(settings.applicant) if settings.applicant else None,
            visa=settings.visa,
            step1=settings.step1,
        )

    @property
    def is_img(self) -> bool:
        return self.applicant in (Applicant.US_IMG, Applicant.NON_US_IMG)

    @property
    def step1_failed(self) -> bool:
        return self.step1 == "fail"

    @property
    def step1_score(self) -> int | None:
        return self.step1 if isinstance(self.step1, int) else None

    @property
    def specialty_words(self) -> str:
        """The specialty in words ("interventional radiology", or the name typed)."""
        if self.specialty is None:
            return "no specialty set"
        if self.specialty == Specialty.OTHER:
            return self.specialty_name or "another specialty"
        return SPECIALTY_NAMES[self.specialty]


# --- the target ladder --------------------------------------------------------------------


class Rung(enum.StrEnum):
    """How the target was chosen (the JSON's ``policy.target_basis``)."""

    SETTING = "setting"  # the student's own --target
    EXAM_DEFAULT = "exam_default"  # no sourced figure for this profile
    IMG_COMPETITIVE = "img_competitive"  # seed: 245 for an IMG in IR
    IMG_VISA = "img_visa"  # seed: 250 offsets IMG status and visa needs
    LOW_STEP1 = "low_step1"  # seed: 250–255 after a numeric and low Step 1
    STEP1_FAIL = "step1_fail"  # seed: a Step 1 fail needs an outstanding Step 2 CK
    MATCHED_Q1 = "matched_q1"  # NRMP: three in four matched applicants scored this+


@dataclass(frozen=True, slots=True)
class Target:
    """The competitive score aimed for (points) and where it comes from."""

    score: int
    rung: Rung
    source: str
    low_step1_below: int | None = None  # the line under which Step 1 counts as low
    range_low: int | None = None  # LOW_STEP1 and STEP1_FAIL: the seed's 250–255
    matched: facts.MatchedScores | None = None  # MATCHED_Q1: the figures used
    suggested: Target | None = None  # SETTING: what the profile would have given

    @property
    def red_flag(self) -> bool:
        return self.rung == Rung.STEP1_FAIL or (
            self.suggested is not None and self.suggested.red_flag
        )


def choose_target(
    profile: ApplicantProfile, exam: ExamProfile, chosen: int | None, day: dt.date
) -> Target:
    """The target for ``profile`` on ``exam`` as of ``day``; ``chosen`` (the student's
    own setting, points) wins when given."""
    suggested = profile_target(profile, exam, day)
    if chosen is None:
        return suggested
    return Target(chosen, Rung.SETTING, "your own setting", suggested=suggested)


def profile_target(profile: ApplicantProfile, exam: ExamProfile, day: dt.date) -> Target:
    """The ladder. The sourced figures are Step 2 CK points: another exam, no
    specialty or an unnamed one keep the exam's own default."""
    if exam.key != STEP2_CK.key or profile.specialty in (None, Specialty.OTHER):
        return Target(exam.target, Rung.EXAM_DEFAULT, exam.defaults_note)
    if profile.specialty == Specialty.IR and profile.is_img:
        return _img_in_ir(profile)
    matched = facts.matched_for(profile.specialty.value, day)
    if matched is None:  # no figures for the specialty in data/facts/matched.csv
        return Target(exam.target, Rung.EXAM_DEFAULT, exam.defaults_note)
    return Target(matched.q1, Rung.MATCHED_Q1, matched.source, matched=matched)


def _img_in_ir(profile: ApplicantProfile) -> Target:
    """The seed's ladder; the highest rung that applies wins."""
    advice = facts.advice_figures()
    low, high = advice["ir_low_step1_low"], advice["ir_low_step1_high"]
    low_line = advice["step1_low_below"].score
    if profile.step1_failed:
        # Only an outstanding Step 2 CK answers a fail: the top of the seed's range.
        return Target(high.score, Rung.STEP1_FAIL, high.source, range_low=low.score)
    score = profile.step1_score
    if score is not None and score < low_line:
        # Two handicaps at once (a low Step 1 and a visa): the top of the range.
        aim = high.score if profile.visa else low.score
        return Target(
            aim, Rung.LOW_STEP1, low.source, low_step1_below=low_line, range_low=low.score
        )
    if profile.visa:
        offsets = advice["ir_img_offsets"]
        return Target(offsets.score, Rung.IMG_VISA, offsets.source)
    competitive = advice["ir_img_competitive"]
    return Target(competitive.score, Rung.IMG_COMPETITIVE, competitive.source)


# --- where a score stands -----------------------------------------------------------------


class Band(enum.StrEnum):
    """A score's band for the profile, lowest first within each family."""

    FAIL = "fail"  # under the passing standard of the sitting's day
    FILTERED = "filtered"  # under a common ERAS filter (230)
    LOW = "low"  # seed, IMG in IR: under 235
    BORDERLINE = "borderline"  # seed: 235 up to the target
    COMPETITIVE = "competitive"  # at or above the target
    OFFSETS = "offsets"  # seed: 250+, offsets IMG status and visa needs
    BELOW_MATCHED = "below_matched"  # NRMP: under the matched applicants' Q1
    LOWER_HALF = "lower_half"  # Q1 to the median
    UPPER_HALF = "upper_half"  # the median to Q3
    TOP_QUARTER = "top_quarter"  # Q3 or more
    BELOW_TARGET = "below_target"  # no sourced bands: between the filter and the target
    AT_TARGET = "at_target"


@dataclass(frozen=True, slots=True)
class BandEdge:
    band: Band
    lowest: float  # points: the band starts here (−inf for the lowest)


@dataclass(frozen=True, slots=True)
class Matched:
    """A score among the specialty's matched applicants (NRMP quartiles, points)."""

    figures: facts.MatchedScores
    band: Band  # one of BELOW_MATCHED … TOP_QUARTER


@dataclass(frozen=True, slots=True)
class Standing:
    """One score (points) for the profile: its band, percentile and matched place."""

    score: float
    of: str  # "projection" or "result"
    band: Band
    bands: tuple[BandEdge, ...]
    percentile: facts.Percentile | None  # None: no table for the exam
    matched: Matched | None  # None: no NRMP figures for the specialty


def band_edges(
    profile: ApplicantProfile, exam: ExamProfile, target: Target, passing: int, day: dt.date
) -> tuple[BandEdge, ...]:
    """The bands a score is read in, lowest first: the seed's fixed ones for an IMG in
    IR on Step 2 CK (the target may sit above them), the matched quartiles for IR and
    DR, and the target's otherwise."""
    edges = [BandEdge(Band.FAIL, -math.inf), BandEdge(Band.FILTERED, passing)]
    seed_ladder = exam.key == STEP2_CK.key and profile.specialty == Specialty.IR
    matched = _matched(profile, exam, day)
    if seed_ladder and profile.is_img:
        advice = facts.advice_figures()
        edges += [
            BandEdge(Band.LOW, advice["ir_filter"].score),
            BandEdge(Band.BORDERLINE, advice["ir_low"].score),
            BandEdge(Band.COMPETITIVE, advice["ir_img_competitive"].score),
            BandEdge(Band.OFFSETS, advice["ir_img_offsets"].score),
        ]
    elif matched is not None:
        edges += [
            BandEdge(Band.BELOW_MATCHED, exam.program_filter),
            BandEdge(Band.LOWER_HALF, matched.q1),
            BandEdge(Band.UPPER_HALF, matched.median),
            BandEdge(Band.TOP_QUARTER, matched.q3),
        ]
    else:
        edges += [
            BandEdge(Band.BELOW_TARGET, exam.program_filter),
            BandEdge(Band.AT_TARGET, target.score),
        ]
    return _rising(edges)


def _rising(edges: list[BandEdge]) -> tuple[BandEdge, ...]:
    """Bands in order of their start; one squeezed out by a higher start is dropped
    (a target of 230 leaves no room for BELOW_TARGET, say)."""
    kept: list[BandEdge] = []
    for edge in edges:
        while kept and kept[-1].lowest >= edge.lowest:
            kept.pop()
        kept.append(edge)
    return tuple(kept)


def band_of(score: float, edges: tuple[BandEdge, ...]) -> Band:
    """The band ``score`` (points) falls in: the last one starting at or below it."""
    return [edge for edge in edges if edge.lowest <= score][-1].band


def _matched(
    profile: ApplicantProfile, exam: ExamProfile, day: dt.date
) -> facts.MatchedScores | None:
    if exam.key != STEP2_CK.key or profile.specialty in (None, Specialty.OTHER):
        return None
    return facts.matched_for(profile.specialty.value, day)


def matched_band(score: float, figures: facts.MatchedScores) -> Band:
    edges = (
        BandEdge(Band.BELOW_MATCHED, -math.inf),
        BandEdge(Band.LOWER_HALF, figures.q1),
        BandEdge(Band.UPPER_HALF, figures.median),
        BandEdge(Band.TOP_QUARTER, figures.q3),
    )
    return band_of(score, edges)


def standing(
    score: float,
    of: str,
    *,
    profile: ApplicantProfile,
    exam: ExamProfile,
    target: Target,
    sitting: dt.date,
    today: dt.date,
) -> Standing:
    """Where ``score`` (points) stands for a sitting on ``sitting``: the passing line
    and percentile table of that day, NRMP's figures as of ``today``."""
    edges = band_edges(profile, exam, target, exam.passing_on(sitting), today)
    table = facts.percentile_table(exam.key, sitting)
    figures = _matched(profile, exam, today)
    return Standing(
        score=score,
        of=of,
        band=band_of(score, edges),
        bands=edges,
        percentile=None if table is None else facts.percentile_of(score, table),
        matched=None if figures is None else Matched(figures, matched_band(score, figures)),
    )
