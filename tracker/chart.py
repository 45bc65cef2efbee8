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

from tracker.trend import NoTrend
from tracker.verdict import Verdict

# Marker and colour per assessment family, so NBME forms and UWSAs read apart.
FAMILY_STYLE = {
    "NBME": {"marker": "o", "color": "#1f4e79", "label": "NBME"},
    "UWSA": {"marker": "s", "color": "#c55a11", "label": "UWSA"},
    "Other": {"marker": "^", "color": "#5b5b5b", "label": "Other"},
}
THRESHOLD_COLOR = "#2e7d32"
TARGET_COLOR = "#6a1b9a"
PASSING_COLOR = "#c62828"
BAND_COLOR = "#1f77b4"


def draw(verdict: Verdict, *, width_in: float = 10.0, height_in: float = 5.0) -> Figure:
    """The scores, trend, bands, policy lines, today and the exam day, as a Figure."""
    figure = Figure(figsize=(width_in, height_in))
    # Fixed margins with the legend to the right: a layout engine would cost more time
    # than the rest of the drawing on every dashboard rerun.
    figure.subplots_adjust(left=0.07, right=0.76, top=0.92, bottom=0.11)
    axes = figure.add_subplot()
    policy = verdict.policy
    trend = verdict.trend

    if not isinstance(trend, NoTrend):
        _draw_trend(axes, verdict, trend)

    for family, style in FAMILY_STYLE.items():
        points = [entry for entry in verdict.entries if entry.family == family]
        if points:
            axes.scatter(
                [entry.date for entry in points],
                [entry.score for entry in points],
                marker=style["marker"],
                color=style["color"],
                label=style["label"],
                s=46,
                zorder=5,
                edgecolor="white",
                linewidth=0.8,
            )
    _draw_calibrated(axes, verdict)

    axes.axhline(
        policy.threshold,
        color=THRESHOLD_COLOR,
        linewidth=1.4,
        label=f"{policy.threshold} threshold",
    )
    if policy.target != policy.threshold:
        axes.axhline(
            policy.target,
            color=TARGET_COLOR,
            linewidth=1.0,
            linestyle="--",
            label=f"{policy.target} target",
        )
    axes.axhline(
        policy.passing,
        color=PASSING_COLOR,
        linewidth=1.0,
        linestyle=":",
        label=f"{policy.passing} passing",
    )
    axes.axvline(verdict.today, color="#777777", linewidth=1.0, linestyle="-.", gid="today")
    axes.axvline(
        verdict.exam_date, color="#222222", linewidth=1.2, linestyle="--", gid="exam"
    )
    _label_day(axes, verdict.today, "today")
    _label_day(axes, verdict.exam_date, "exam")
    if verdict.suggested_date is not None and verdict.suggested_date != verdict.exam_date:
        axes.axvline(
            verdict.suggested_date,
            color=THRESHOLD_COLOR,
            linewidth=1.0,
            linestyle=":",
            gid="suggested",
        )
        _label_day(axes, verdict.suggested_date, "suggested")

    axes.set_xlabel("Date")
    axes.set_ylabel("Score (three-digit scale)")
    axes.set_title(_title(verdict), loc="left", fontsize=11)
    locator = AutoDateLocator()
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    axes.grid(True, alpha=0.25)
    axes.set_ylim(*_y_limits(verdict))
    if not verdict.entries:
        axes.text(
            0.5,
            0.5,
            "No scores logged yet",
            transform=axes.transAxes,
            ha="center",
            va="center",
            fontsize=13,
            color="#555555",
        )
    axes.set_xlim(*_x_limits(verdict))
    axes.legend(
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        borderaxespad=0,
        fontsize=8,
        frameon=False,
    )
    return figure


def _draw_calibrated(axes, verdict: Verdict) -> None:
    """Hollow markers where calibration moved a score, joined to the score as seen."""
    moved = [
        (entry, fitted)
        for entry, fitted in zip(verdict.entries, verdict.trend_scores, strict=True)
        if fitted != entry.score
    ]
    if not moved:
        return
    for entry, fitted in moved:
        axes.plot(
            [entry.date, entry.date],
            [entry.score, fitted],
            color="#999999",
            linewidth=0.8,
            zorder=4,
        )
    axes.scatter(
        [entry.date for entry, _ in moved],
        [fitted for _, fitted in moved],
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


def _draw_trend(axes, verdict: Verdict, trend) -> None:
    level = verdict.policy.level
    last = max(verdict.exam_date, verdict.suggested_date or verdict.exam_date)
    end_day = trend.days_since_origin(last)
    x_days = np.linspace(0.0, max(end_day, trend.last_day), 200)
    # A prior's bands are Bayesian: credible and predictive, not confidence/prediction.
    of_trend, one_sitting = (
        ("credible", "predictive")
        if trend.model == "bayes"
        else ("confidence", "prediction")
    )
    bands = trend.bands(x_days, level)
    # datetime, not date: a date would drop the fraction of a day and draw steps.
    origin = dt.datetime.combine(trend.origin, dt.time())
    dates = [origin + dt.timedelta(days=float(x)) for x in x_days]
    axes.fill_between(
        dates,
        bands.obs_ci_lower,
        bands.obs_ci_upper,
        color=BAND_COLOR,
        alpha=0.10,
        linewidth=0,
        label=f"{level:.0%} {one_sitting} band (one sitting)",
    )
    axes.fill_between(
        dates,
        bands.mean_ci_lower,
        bands.mean_ci_upper,
        color=BAND_COLOR,
        alpha=0.25,
        linewidth=0,
        label=f"{level:.0%} {of_trend} band (trend)",
    )
    trend_label = "trend (with learning prior)" if trend.model == "bayes" else "trend"
    axes.plot(dates, bands.mean, color=BAND_COLOR, linewidth=1.6, label=trend_label)
    if verdict.own_line is not None:
        axes.plot(
            dates,
            verdict.own_line.predict(x_days),
            color="#555555",
            linewidth=1.0,
            linestyle="--",
            label="your own trend (no prior)",
        )
    projection = verdict.projection
    if projection is not None:
        low, high = verdict.prediction_interval
        axes.errorbar(
            [verdict.exam_date],
            [projection.predicted_mean],
            yerr=[[projection.predicted_mean - low], [high - projection.predicted_mean]],
            fmt="D",
            color="#222222",
            capsize=5,
            markersize=7,
            zorder=6,
            label=f"exam day: {projection.predicted_mean:.0f} ({low:.0f}–{high:.0f})",
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


def _title(verdict: Verdict) -> str:
    words = {
        "take_now": "TAKE NOW",
        "delay": "DELAY",
        "insufficient_data": "NOT ENOUGH DATA",
    }[verdict.verdict]
    title = f"Verdict: {words}"
    if verdict.suggested_date is not None:
        title += f" — suggested date {verdict.suggested_date}"
    return title


def _x_limits(verdict: Verdict) -> tuple[dt.date, dt.date]:
    """From the first score (or today) to a little past the exam or suggested day."""
    days = [verdict.today, verdict.exam_date] + [entry.date for entry in verdict.entries]
    if verdict.suggested_date is not None:
        days.append(verdict.suggested_date)
    first, last = min(days), max(days)
    margin = dt.timedelta(days=max(3, round((last - first).days * 0.04)))
    return first - margin, last + margin


def _y_limits(verdict: Verdict) -> tuple[float, float]:
    """Keep the policy lines and the scores in view without wasting the height."""
    policy = verdict.policy
    values = [policy.threshold, policy.target, policy.passing]
    values += [entry.score for entry in verdict.entries]
    if verdict.prediction_interval is not None:
        values += list(verdict.prediction_interval)
    low, high = min(values), max(values)
    return max(low - 8.0, 1.0), min(high + 8.0, 300.0)
