"""The applicant profile: its widgets at the top of the sidebar, and on the page the
target with its reason, where the projection or the result stands, and the next step
after the result. Words and numbers come from the core (tracker.profile_words)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import streamlit as st

from dashboard_sections.common import literal
from dashboard_sections.settings_bar import _mark_changed
from tracker.assess import Assessment, suggested_target
from tracker.errors import TrackerError
from tracker.next_step import NextStep
from tracker.profile_words import (
    BAND_WORDS,
    STEP_WORDS,
    band_range,
    next_step_sentence,
    percentile_words,
    profile_words,
    retake_sentence,
    target_sentence,
)
from tracker.settings import SETTINGS_BY_NAME, Settings

NOT_SET = "(not set)"
SPECIALTY_LABELS = {
    None: NOT_SET,
    "ir": "Interventional radiology",
    "dr": "Diagnostic radiology",
    "other": "Another specialty",
}
APPLICANT_LABELS = {
    None: NOT_SET,
    "us-md": "US MD school",
    "us-do": "US DO school",
    "us-img": "US citizen, school abroad (IMG)",
    "non-us-img": "Non-US citizen, school abroad (IMG)",
}
STEP1_KINDS = {None: "Not given", "pass": "Pass", "fail": "Fail", "score": "A score"}
# Streamlit's own icon font, as the verdict's reasons use it.
NEXT_STEP_ICONS = {
    NextStep.APPLY: ":green[:material/send:]",
    NextStep.APPLY_BROADER: ":blue[:material/alt_route:]",
    NextStep.CONSIDER_DELAY: ":orange[:material/schedule:]",
    NextStep.RETAKE: ":red[:material/replay:]",
}


def _select(bar, name: str, value, labels: dict):
    options = list(labels)
    return bar.selectbox(
        SETTINGS_BY_NAME[name].label,
        options=options,
        index=options.index(value) if value in options else 0,
        format_func=labels.get,
        key=f"profile_{name}",
        help=SETTINGS_BY_NAME[name].help,
        on_change=_mark_changed,
    )


def profile_sidebar(saved: Settings) -> dict[str, object]:
    """The profile's widgets; returns the values they hold (None where not set)."""
    bar = st.sidebar
    bar.header("Your profile")
    values: dict[str, object] = {"specialty": _select(bar, "specialty", saved.specialty,
                                                      SPECIALTY_LABELS)}  # fmt: skip
    name = None
    if values["specialty"] == "other":
        typed = bar.text_input(
            SETTINGS_BY_NAME["specialty_name"].label,
            value=saved.specialty_name or "",
            max_chars=None,
            key="profile_specialty_name",
            on_change=_mark_changed,
        )
        name = typed if typed.strip() else None  # checked by the settings table
    values["specialty_name"] = (
        name if values["specialty"] == "other" else (saved.specialty_name)
    )
    values["applicant"] = _select(bar, "applicant", saved.applicant, APPLICANT_LABELS)
    values["visa"] = bar.checkbox(
        SETTINGS_BY_NAME["visa"].label,
        value=saved.visa,
        key="profile_visa",
        help=SETTINGS_BY_NAME["visa"].help,
        on_change=_mark_changed,
    )
    values["step1"] = _step1(bar, saved.step1)
    return values


def _step1(bar, saved: str | int | None) -> str | int | None:
    kind = "score" if isinstance(saved, int) else saved
    options = list(STEP1_KINDS)
    chosen = bar.selectbox(
        SETTINGS_BY_NAME["step1"].label,
        options=options,
        index=options.index(kind),
        format_func=STEP1_KINDS.get,
        key="profile_step1",
        help=SETTINGS_BY_NAME["step1"].help,
        on_change=_mark_changed,
    )
    if chosen != "score":
        return chosen
    return int(
        bar.number_input(
            "Step 1 score",
            min_value=1,
            max_value=300,
            value=saved if isinstance(saved, int) else 230,
            step=1,
            key="profile_step1_score",
            on_change=_mark_changed,
        )
    )


def profile_target(saved: Settings, values: dict[str, object]) -> int | None:
    """The target the profile in the widgets suggests (points), or None while the
    widgets hold a value the settings refuse (the error is shown further on)."""
    try:
        chosen = dataclasses.replace(saved, **values)
    except TrackerError:
        return None
    return suggested_target(chosen, dt.date.today())


def profile_section(assessment: Assessment) -> None:
    """Target and its reason, the standing, and after the result the next step."""
    view = assessment.outlook
    if view is None:
        return
    exam = assessment.profile
    with st.container(key="profile"):
        st.subheader("Your target and where you stand")
        st.caption(literal(f"Your profile: {profile_words(view.applicant)}."))
        columns = st.columns(3)
        columns[0].metric("Target", view.target.score)
        shown = view.result or view.projection
        if shown is not None:
            what = "Your result" if shown.of == "result" else "Projected"
            words = BAND_WORDS[shown.band]
            columns[1].metric(f"{what}: standing", words[0].upper() + words[1:])
            columns[1].caption(literal(band_range(shown)))
            if shown.percentile is not None:
                columns[2].metric("Percentile", percentile_words(shown.percentile))
        st.markdown(literal(target_sentence(view.target, view.applicant, exam)))
        decision = view.next_step
        if decision is not None:
            with st.container(key="next_step", border=True):
                st.markdown(f"{NEXT_STEP_ICONS[decision.step]} **Next step: "
                            f"{STEP_WORDS[decision.step]}**")  # fmt: skip
                st.markdown(literal(next_step_sentence(decision, view.applicant)))
                if decision.step == NextStep.RETAKE:
                    st.markdown(literal(retake_sentence(decision, exam)))
