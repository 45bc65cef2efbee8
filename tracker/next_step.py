"""After the result: apply this cycle, apply with a broader list, consider delaying the
match year, or retake — as the seed article frames it ("receive your score, decide
whether to apply this cycle or delay").

:func:`decide` takes finished numbers (the result, the passing standard of its day,
the target, where the score arrives against ERAS) and returns a :class:`Decision`;
:mod:`tracker.profile_words` says it. The rules, in order:

1. under the passing standard: **retake**, with the exam's retake rules (sourced);
2. at or above the target: **apply this cycle**;
3. from the borderline line (IR: the seed's 235; otherwise the exam's common program
   filter) up to the target: **apply with a broader list** and a parallel path —
   unless an IMG's borderline score would still be pending when ERAS opens
   (programs may not interview an IMG without a known score): then **consider
   delaying the match year**;
4. under the borderline line: **consider delaying the match year** (or apply very
   broadly with a strong backup).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from tracker import facts
from tracker.exams import ExamProfile
from tracker.plan import Eras, ErasStatus
from tracker.profile import ApplicantProfile, Specialty, Target


class NextStep(enum.StrEnum):
    APPLY = "apply_this_cycle"
    APPLY_BROADER = "apply_with_broader_list"
    CONSIDER_DELAY = "consider_delaying_match_year"
    RETAKE = "retake"


class ParallelPath(enum.StrEnum):
    """The seed's plans beside the first choice."""

    DR_ESIR = "dr_with_esir"  # diagnostic radiology with Early Specialization in IR
    RESEARCH_YEAR = "research_year"  # a 1–2 year research fellowship, IR-focused for IR
    OTHER_SPECIALTIES = "other_specialties"  # a backup where the profile is competitive


@dataclass(frozen=True, slots=True)
class Decision:
    """The next step after the real result. Scores are points."""

    step: NextStep
    score: int
    passing: int  # the standard in force on the result's day
    target: Target
    borderline_from: int  # a passed score under this is low for the profile
    eras: Eras | None  # where the score arrives against ERAS (None: no ERAS date)
    parallel_paths: tuple[ParallelPath, ...]
    retakes: facts.RetakeRules | None  # RETAKE: the rules, when the tracker knows them
    img: bool  # the applicant is an IMG (a pending score weighs more)

    @property
    def pending_at_eras(self) -> bool:
        """Whether programs reviewing when ERAS opens would see "score pending"."""
        return self.eras is not None and self.eras.status == ErasStatus.MISSES


def borderline_line(profile: ApplicantProfile, exam: ExamProfile) -> int:
    """The lowest score (points) read as borderline rather than low: the seed's 235 in
    IR on Step 2 CK, else the exam's common program filter."""
    if profile.specialty == Specialty.IR and exam.key == "step2-ck":
        return facts.advice_figures()["ir_low"].score
    return exam.program_filter


def parallel_paths(profile: ApplicantProfile) -> tuple[ParallelPath, ...]:
    """The seed's parallel paths: DR with ESIR only makes sense when aiming at IR."""
    paths = (ParallelPath.RESEARCH_YEAR, ParallelPath.OTHER_SPECIALTIES)
    return (ParallelPath.DR_ESIR, *paths) if profile.specialty == Specialty.IR else paths


def decide(
    score: int,
    *,
    passing: int,
    target: Target,
    profile: ApplicantProfile,
    exam: ExamProfile,
    eras: Eras | None,
) -> Decision:
    """The next step for a real result of ``score`` points (rules in the module doc)."""
    line = borderline_line(profile, exam)
    pending = eras is not None and eras.status == ErasStatus.MISSES
    if score < passing:
        step = NextStep.RETAKE
    elif score >= target.score:
        step = NextStep.APPLY
    elif score >= line and not (pending and profile.is_img):
        step = NextStep.APPLY_BROADER
    else:
        step = NextStep.CONSIDER_DELAY
    return Decision(
        step=step,
        score=score,
        passing=passing,
        target=target,
        borderline_from=line,
        eras=eras,
        parallel_paths=() if step == NextStep.APPLY else parallel_paths(profile),
        retakes=exam.retakes if step == NextStep.RETAKE else None,
        img=profile.is_img,
    )
