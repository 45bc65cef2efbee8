"""Weak areas, Q-bank progress and test-taking problems: the study plan's section."""

from __future__ import annotations

import streamlit as st

from dashboard_sections.common import literal
from tracker.assess import Assessment
from tracker.study_chart import HEAT_REPORTS, heat_frame, heat_spec
from tracker.study_words import issue_words, qbank_words


def study_section(assessment: Assessment) -> None:
    """The heat table of areas × reports, the Q-bank's progress and the tags (the
    weekly review naming the weakest areas is in the plan's section)."""
    study = assessment.study
    if study is None:
        return
    with st.container(key="study"):
        st.subheader("Weak areas and the Q-bank")
        ranking = study.areas
        if ranking.areas:
            frame = heat_frame(ranking)
            with st.container(key="area_heat"):
                st.vega_lite_chart(
                    frame, heat_spec(frame), width="stretch", key="area_heat_chart"
                )
            shown = min(len(ranking.reports), HEAT_REPORTS)
            st.caption(
                f"Weakest first by the latest report; the last {shown} of "
                f"{len(ranking.reports)} reports. A percent is compared with the "
                "report's overall: 5 points or more below is lower, 5 or more above "
                "higher."
            )
        else:
            st.caption(
                "Log a score report's areas with 'tracker area' (for example "
                'tracker area --source "NBME 13" --area Cardiology --band lower).'
            )
        if study.issues:
            st.markdown(
                "**Test-taking problems:** "
                + literal(
                    "; ".join(issue_words(i, study.practice_exams) for i in study.issues)
                )
            )
        _qbank(study)


def _qbank(study) -> None:
    progress = study.qbank
    if progress is None:
        st.caption("Log your Q-bank progress with 'tracker qbank --done N --correct P'.")
        return
    with st.container(key="qbank"):
        st.progress(
            min(progress.done / progress.total, 1.0),
            text=literal(
                f"{progress.bank}: {progress.done:,} of {progress.total:,} questions"
            ),
        )
        st.caption(literal(qbank_words(progress, study.facts)))
