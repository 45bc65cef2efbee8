"""The chart is a Figure built from a verdict: check what it draws, then that it saves."""

from __future__ import annotations

import datetime as dt

import matplotlib.dates as mdates
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure

from tracker.chart import draw
from tracker.log import Entry
from tracker.verdict import Policy, decide

from conftest import TODAY, entries_from

EXAM = TODAY + dt.timedelta(days=30)


def _verdict(entries, policy=None):
    return decide(entries, EXAM, today=TODAY, policy=policy or Policy())


def _log():
    start = TODAY - dt.timedelta(days=40)
    entries = entries_from([(0, 228), (10, 233), (20, 236), (30, 241)], start=start)
    return [*entries, Entry(start + dt.timedelta(days=38), "UWSA 2", 245)]


def test_draws_scores_by_family_trend_bands_and_policy_lines():
    figure = draw(_verdict(_log()))
    assert isinstance(figure, Figure)
    [axes] = figure.axes
    labels = [text.get_text() for text in axes.get_legend().get_texts()]
    for expected in (
        "NBME",
        "UWSA",
        "trend (with learning prior)",
        "your own trend (no prior)",
        "240 threshold",
        "245 target",
        "214 passing",
        "95% credible band (trend)",
        "95% predictive band (one sitting)",
    ):
        assert expected in labels
    assert any(label.startswith("exam day: ") for label in labels)

    scatter = {c.get_label(): c for c in axes.collections if isinstance(c, PathCollection)}
    assert (
        len(scatter["NBME"].get_offsets()) == 4 and len(scatter["UWSA"].get_offsets()) == 1
    )

    y_levels = {
        line.get_ydata()[0]
        for line in axes.get_lines()
        if line.get_label() in {"240 threshold", "245 target", "214 passing"}
    }
    assert y_levels == {240, 245, 214}
    vertical = {
        line.get_gid(): mdates.date2num(line.get_xdata()[0]) for line in axes.get_lines()
    }
    assert vertical["today"] == mdates.date2num(TODAY)
    assert vertical["exam"] == mdates.date2num(EXAM)
    assert axes.get_title(loc="left").startswith("Verdict: ")


def test_prediction_band_reaches_the_exam_day_and_contains_the_confidence_band():
    figure = draw(_verdict(_log(), Policy(model="ols")))
    [axes] = figure.axes
    bands = {c.get_label(): c for c in axes.collections if c.get_label().startswith("95%")}
    prediction = bands["95% prediction band (one sitting)"].get_paths()[0].vertices
    confidence = bands["95% confidence band (trend)"].get_paths()[0].vertices
    assert mdates.num2date(prediction[:, 0].max()).date() >= EXAM
    assert prediction[:, 1].max() >= confidence[:, 1].max()
    assert prediction[:, 1].min() <= confidence[:, 1].min()


def test_empty_log_still_draws_the_policy_lines(tmp_path):
    figure = draw(_verdict([]))
    [axes] = figure.axes
    assert "No scores logged yet" in [text.get_text() for text in axes.texts]
    out = tmp_path / "empty.png"
    figure.savefig(out)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_saves_a_png(tmp_path):
    out = tmp_path / "chart.png"
    draw(_verdict(_log())).savefig(out, dpi=80)
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000


def test_calibrated_scores_are_drawn_beside_the_raw_ones():
    from tracker.calibration import SHIPPED_CATALOG, load_catalog

    verdict = decide(
        _log(),
        EXAM,
        today=TODAY,
        policy=Policy(model="ols"),
        catalog=load_catalog(SHIPPED_CATALOG),
    )
    [axes] = draw(verdict).axes
    [hollow] = [c for c in axes.collections if c.get_label() == "calibrated score"]
    # Only the UWSA 2 moved (245 - 5 = 240); NBME forms have offset 0.
    assert hollow.get_offsets()[:, 1].tolist() == [240.0]
    labels = [text.get_text() for text in axes.get_legend().get_texts()]
    assert "trend" in labels and "your own trend (no prior)" not in labels
