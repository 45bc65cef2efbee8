"""The verdict, its reasons, the key figures and the interactive chart."""

from __future__ import annotations

import dataclasses

import pandas as pd
import streamlit as st

from dashboard_sections.common import literal
from tracker import chart_data
from tracker.assess import (
    Assessment,
)
from tracker.chart_data import BAND_EXPLANATION
from tracker.plan import Outcome
from tracker.reasons import MODEL_WORDS, headline, percent

# Streamlit's own icon font: emoji would need fonts a machine may not have.
REASON_ICONS = {
    True: ":green[:material/check_circle:]",
    False: ":red[:material/cancel:]",
    None: ":gray[:material/info:]",
}
BANNERS = {
    Outcome.TAKE_NOW: st.success,
    Outcome.ON_TRACK: st.info,
    Outcome.DELAY: st.warning,
    Outcome.INSUFFICIENT_DATA: st.info,
    Outcome.TAKEN: st.success,
}


# --- the verdict ------------------------------------------------------------------------


def verdict_banner(assessment: Assessment, slot) -> None:
    plan = assessment.plan
    word, detail = headline(plan, date_set=not assessment.exam_date_assumed)
    with slot.container(key="verdict_banner"):
        BANNERS[plan.outcome](f"## {word}\n{literal(detail[0].upper() + detail[1:])}.")


def verdict_reasons(assessment: Assessment) -> None:
    with st.container(key="verdict_reasons"):
        for reason in assessment.reasons:
            st.markdown(f"{REASON_ICONS[reason.met]} {literal(reason.text)}")
        for warning in assessment.warnings:
            st.warning(literal(warning))


def result_figures(assessment: Assessment) -> None:
    """After the exam: the result beside what the tracker projected before it."""
    plan = assessment.plan
    result = plan.result
    columns = st.columns(4)
    columns[0].metric("Your result", result.score)
    columns[0].caption(f"sat on {result.date}")
    if result.projected is None:
        columns[1].metric("Projected", "—")
        return
    low, high = result.prediction_interval
    columns[1].metric("Projected", f"{result.projected:.0f}")
    columns[1].caption(f"on {result.as_of}, the last practice day")
    columns[2].metric("Result − projection", f"{result.error:+.0f}")
    columns[3].metric(
        f"Inside the {plan.policy.level:.0%} interval", "yes" if result.inside else "no"
    )
    columns[3].caption(f"{low:.0f}–{high:.0f}")


def key_figures(assessment: Assessment) -> None:
    plan, policy = assessment.plan, assessment.plan.policy
    if plan.result is not None:
        result_figures(assessment)
        return
    first, second = st.columns(4), st.columns(4)
    if plan.projection is not None:
        low, high = plan.interval(obs=True)
        first[0].metric("Projected exam-day score", f"{plan.forecast.projected_score:.0f}")
        first[0].caption(f"{policy.level:.0%} interval {low:.0f}–{high:.0f}")
        first[1].metric(
            f"Chance of {policy.threshold}+",
            percent(plan.chance_at_least(policy.threshold)),
        )
        first[2].metric(
            f"Chance of {policy.target}+", percent(plan.chance_at_least(policy.target))
        )
        first[3].metric(
            f"Chance of failing (<{plan.passing})", percent(plan.chance_of_failing)
        )
        second[0].metric("Points per week", f"{plan.forecast.trend.slope_per_week:+.1f}")
        if plan.forecast.own_line_decides and plan.forecast.lines_disagree:
            # The verdict follows the student's own line here: say its numbers too.
            deciding = percent(plan.chance_at_least(policy.threshold, deciding=True))
            first[0].caption(
                f"your own line, which decides: {plan.forecast.decisive_score:.0f}"
            )
            first[1].caption(f"by your own line: {deciding}")
            second[0].caption(
                f"your own line: {plan.forecast.own_line.slope_per_week:+.1f}"
            )
    else:
        first[0].metric("Projected exam-day score", "—")
        first[0].caption(literal(getattr(plan.forecast.trend, "reason", "")))
    second[1].metric("Days to the exam", plan.deadlines.days_to_exam)
    if plan.deadlines.decide_by is not None:
        second[2].metric("Move it free until", str(plan.deadlines.decide_by))
    if plan.release_date is not None:
        second[3].metric("Score released about", str(plan.release_date))
        second[3].caption(f"sitting on {plan.sitting}")
    if plan.eras is not None:
        days = plan.eras.days_before_eras
        when = (
            f"{days} days before it opens"
            if days > 0
            else "the day it opens"
            if days == 0
            else f"{-days} days after it opens"
        )
        st.caption(f"ERAS opens {plan.eras.date}: the score arrives {when}.")


def model_caption(assessment: Assessment) -> None:
    """The trend in plain words, and what the chart's shaded ranges mean (said once)."""
    plan = assessment.plan
    corrected = "scores corrected for each form" if plan.calibrated else "your scores"
    model = MODEL_WORDS.get(plan.policy.model, plan.policy.model)
    level = f"{plan.policy.level:.0%}"
    st.caption(
        f"Trend: {model}, fitted to {corrected}. " + BAND_EXPLANATION.format(level=level)
    )


# --- the chart and the plan to the exam day -----------------------------------------------


@dataclasses.dataclass(frozen=True)
class ChartView:
    """The interactive chart's data and Vega-Lite spec (see tracker.chart_data)."""

    frame: pd.DataFrame
    spec: dict


def chart_view(assessment: Assessment) -> ChartView:
    frame = chart_data.chart_frame(assessment)
    return ChartView(frame, chart_data.chart_spec(assessment, frame))


def chart_section(assessment: Assessment, view: ChartView) -> None:
    """The chart, interactive; the PNG is drawn only when it is downloaded."""
    with st.container(key="chart"):
        st.vega_lite_chart(view.frame, view.spec, width="stretch", key="chart_view")
    st.download_button(
        "Download the chart (PNG)",
        data=lambda: chart_png(assessment),
        file_name="step-score-chart.png",
        mime="image/png",
        key="download_chart",
        on_click="ignore",
    )


def chart_png(assessment: Assessment) -> bytes:
    """The chart as a PNG, drawn when it is downloaded: matplotlib is imported then,
    not on the page's first run (bench/results/page.md)."""
    from tracker import chart

    return chart.to_png(chart.draw(assessment))
