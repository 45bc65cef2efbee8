"""The trajectory chart: a matplotlib Figure drawn from a :class:`Verdict`.

Pure: data in, Figure out. Nothing is shown or saved here; the shells do that. The
Figure is built without pyplot, so no global state or GUI backend is involved.
"""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure

from tracker import chart_data
from tracker.assess import Assessment
from tracker.chart_data import x_limits as _x_limits
from tracker.chart_data import y_limits as _y_limits
from tracker.plan import Plan
from tracker.reasons import headline
from tracker.trend import NoTrend

# Markers and colours given to form families in turn, so families read apart.
FAMILY_MARKERS = ("o", "s", "D", "v", "P", "X")
FAMILY_COLORS = ("#1f4e79", "#c55a11", "#2e7d32", "#6a1b9a", "#00838f", "#8d6e63")
OTHER_STYLE = {"marker": "^", "color": "#5b5b5b"}
RESULT_STYLE = {"marker": "*", "color": "#b71c1c"}
THRESHOLD_COLOR = "#2e7d32"
TARGET_COLOR = "#6a1b9a"
PASSING_COLOR = "#c62828"
BAND_COLOR = "#1f77b4"


def draw(
    assessment: Assessment, *, width_in: float = 10.0, height_in: float = 5.0
) -> Figure:
    """The scores, trend, bands, policy lines, today and the exam day, as a Figure."""
    plan = assessment.plan
    figure = Figure(figsize=(width_in, height_in))
    # Fixed margins with the legend to the right: a layout engine would cost more time
    # than the rest of the drawing on every dashboard rerun.
    figure.subplots_adjust(left=0.07, right=0.76, top=0.92, bottom=0.11)
    axes = figure.add_subplot()
    if not isinstance(plan.forecast.trend, NoTrend):
        _draw_trend(axes, plan, plan.forecast.trend)
    _draw_scores(axes, assessment)
    _draw_calibrated(axes, plan)
    _draw_policy_lines(axes, plan)
    _draw_days(axes, assessment)
    axes.set_xlabel("Date")
    axes.set_ylabel(f"Score ({plan.policy.exam.name} scale)")
    axes.set_title(title(plan), loc="left", fontsize=11)
    locator = AutoDateLocator()
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    axes.grid(True, alpha=0.25)
    axes.set_ylim(*_y_limits(assessment))
    if not assessment.readings:
        axes.text(
            0.5, 0.5, "No scores logged yet", transform=axes.transAxes, ha="center",
            va="center", fontsize=13, color="#555555",
        )  # fmt: skip
    axes.set_xlim(*_x_limits(assessment))
    axes.legend(
        loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0, fontsize=8,
        frameon=False,
    )  # fmt: skip
    return figure


def family_styles(families: list[str]) -> dict[str, dict[str, str]]:
    """A marker and colour for each form family, in the order first seen."""
    styles = {}
    for i, family in enumerate(f for f in families if f not in ("Other", "Exam")):
        styles.setdefault(
            family,
            {
                "marker": FAMILY_MARKERS[i % len(FAMILY_MARKERS)],
                "color": FAMILY_COLORS[i % len(FAMILY_COLORS)],
            },
        )
    return styles | {"Other": OTHER_STYLE, "Exam": RESULT_STYLE}


def _draw_scores(axes, assessment: Assessment) -> None:
    """Each row at its score on the exam's scale (percent forms converted)."""
    readings = assessment.readings
    styles = family_styles(list(dict.fromkeys(r.family for r in readings)))
    for family, style in styles.items():
        points = [r for r in readings if r.family == family]
        if not points:
            continue
        label = f"{assessment.profile.name} result" if family == "Exam" else family
        axes.scatter(
            [r.entry.date for r in points],
            [r.points for r in points],
            marker=style["marker"],
            color=style["color"],
            label=label,
            s=110 if family == "Exam" else 46,
            zorder=6,
            edgecolor="white",
            linewidth=0.8,
        )


def _draw_policy_lines(axes, plan: Plan) -> None:
    policy = plan.policy
    axes.axhline(
        policy.threshold, color=THRESHOLD_COLOR, linewidth=1.4,
        label=f"{policy.threshold} threshold",
    )  # fmt: skip
    if policy.target != policy.threshold:
        axes.axhline(
            policy.target, color=TARGET_COLOR, linewidth=1.0, linestyle="--",
            label=f"{policy.target} target",
        )  # fmt: skip
    axes.axhline(
        plan.passing, color=PASSING_COLOR, linewidth=1.0, linestyle=":",
        label=f"{plan.passing} passing",
    )  # fmt: skip


def _draw_days(axes, assessment: Assessment) -> None:
    plan = assessment.plan
    axes.axvline(
        assessment.today, color="#777777", linewidth=1.0, linestyle="-.", gid="today"
    )
    _label_day(axes, assessment.today, "today")
    exam_label = "exam taken" if plan.result is not None else "exam"
    axes.axvline(plan.exam_date, color="#222222", linewidth=1.2, linestyle="--", gid="exam")
    _label_day(axes, plan.exam_date, exam_label)
    if plan.suggested_date is not None and plan.suggested_date != plan.exam_date:
        axes.axvline(
            plan.suggested_date, color=THRESHOLD_COLOR, linewidth=1.0, linestyle=":",
            gid="suggested",
        )  # fmt: skip
        _label_day(axes, plan.suggested_date, "suggested")


def _draw_calibrated(axes, plan: Plan) -> None:
    """Hollow markers where calibration moved a score, joined to the score as seen."""
    moved = [r for r in plan.readings if r.calibrated != r.points]
    if not moved:
        return
    for reading in moved:
        axes.plot(
            [reading.entry.date, reading.entry.date],
            [reading.points, reading.calibrated],
            color="#999999",
            linewidth=0.8,
            zorder=4,
        )
    axes.scatter(
        [r.entry.date for r in moved],
        [r.calibrated for r in moved],
        marker="o",
        facecolor="none",
        edgecolor="#333333",
        s=40,
        zorder=5,
        label="calibrated score",
    )


def to_png(figure: Figure, *, dpi: int = 110) -> bytes:
    """The figure as PNG bytes, for a download button or an image element."""
    buffer = io.BytesIO()
    # Light compression: the file is 7% larger and encodes in a fraction of the time,
    # which the dashboard pays on every change.
    figure.savefig(buffer, format="png", dpi=dpi, pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


def _draw_trend(axes, plan: Plan, trend) -> None:
    """The model's line with its bands; the student's own line, beside a prior, dashed."""
    level = plan.policy.level
    exam = plan.policy.exam
    last = max(plan.exam_date, plan.suggested_date or plan.exam_date)
    end_day = trend.days_since_origin(last)
    x_days = np.linspace(0.0, max(end_day, trend.last_day), 200)
    # A prior's bands are Bayesian: credible and predictive, not confidence/prediction.
    of_trend, one_sitting = (
        ("credible", "predictive") if trend.model != "ols" else ("confidence", "prediction")
    )
    bands = trend.bands(x_days, level)
    on_scale = np.vectorize(exam.on_scale, otypes=[float])
    # datetime, not date: a date would drop the fraction of a day and draw steps.
    origin = dt.datetime.combine(trend.origin, dt.time())
    dates = [origin + dt.timedelta(days=float(x)) for x in x_days]
    axes.fill_between(
        dates,
        on_scale(bands.obs_ci_lower),
        on_scale(bands.obs_ci_upper),
        color=BAND_COLOR,
        alpha=0.10,
        linewidth=0,
        label=f"{level:.0%} {one_sitting} band (one sitting)",
    )
    axes.fill_between(
        dates,
        on_scale(bands.mean_ci_lower),
        on_scale(bands.mean_ci_upper),
        color=BAND_COLOR,
        alpha=0.25,
        linewidth=0,
        label=f"{level:.0%} {of_trend} band (trend)",
    )
    model_name, own_name = chart_data.line_names(plan)
    axes.plot(
        dates, on_scale(bands.mean), color=BAND_COLOR, linewidth=1.6, label=model_name
    )
    own = plan.forecast.own_line
    if own is not None:
        # The same days: both lines count from the same first assessment.
        axes.plot(
            dates,
            on_scale(own.predict(x_days)),
            color="#555555",
            linewidth=1.0,
            linestyle="--",
            label=own_name,
        )
    if plan.projection is not None:
        mean = plan.forecast.projected_score
        low, high = plan.interval(obs=True)
        axes.errorbar(
            [plan.exam_date],
            [mean],
            yerr=[[mean - low], [high - mean]],
            fmt="D",
            color="#222222",
            capsize=5,
            markersize=7,
            zorder=6,
            label=f"exam day: {mean:.0f} ({low:.0f}–{high:.0f})",
        )


def _label_day(axes, day: dt.date, text: str) -> None:
    axes.annotate(
        text,
        xy=(day, 1.0),
        xycoords=("data", "axes fraction"),
        xytext=(3, -12),
        textcoords="offset points",
        fontsize=8,
        color="#333333",
    )


def title(plan: Plan) -> str:
    """The chart's title: the verdict's own headline, as the command prints it."""
    word, detail = headline(plan)
    return f"{word}: {detail}"
