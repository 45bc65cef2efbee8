"""The dashboard on a phone (390×844) and a desktop (1400×900), in Debian's Chromium.

A real Streamlit server on loopback reads a log built from today's date (the
dashboard uses the real date). The checks are what a phone user meets first: no
sideways scrolling, the verdict in view without scrolling, a chart that fits the
screen. Both screenshots are saved in the test's folder, and copied to the folder
named by ``$TRACKER_SCREENSHOTS`` when it is set, to be looked at.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

import icalendar
import pytest
from browser import CHROMIUM, CHROMIUM_ARGS, dashboard, require_chromium

HEADER = "date,assessment,score,notes\n"
# The example student's nine results (data/example_scores.csv), as days before today.
ROWS = [
    (86, "NBME 9", 224), (75, "NBME 10", 229), (63, "NBME 11", 227), (51, "NBME 12", 233),
    (40, "UWSA 1", 241), (28, "NBME 13", 236), (19, "NBME 14", 239), (12, "UWSA 2", 244),
    (5, "NBME 15", 242),
]  # fmt: skip
EXAM_IN_DAYS = 50
EXAMPLE_DAY = dt.date(2026, 11, 26)  # the day the example files were written for
REPO = Path(__file__).resolve().parent.parent


def _shifted(name: str) -> str:
    """A shipped example file (data/example_*.csv) moved so that its day is today."""
    shift = dt.date.today() - EXAMPLE_DAY
    header, *rows = (REPO / "data" / name).read_text().splitlines(keepends=True)
    return header + "".join(
        (dt.date.fromisoformat(row[:10]) + shift).isoformat() + row[10:] for row in rows
    )


@pytest.fixture
def server(tmp_path):
    """``streamlit run dashboard.py`` on the example student's log; stopped afterwards."""
    require_chromium()
    log_path = tmp_path / "data" / "scores.csv"
    log_path.parent.mkdir()
    today = dt.date.today()
    log_path.write_text(
        HEADER
        + "".join(
            # The last row's note a spreadsheet would take for a formula.
            f"{today - dt.timedelta(days=d)},{name},{score},"
            f"{'-3 from last time' if d == ROWS[-1][0] else ''}\n"
            for d, name, score in ROWS
        )
    )
    # The example student's score reports and Q-bank, for the study section.
    (log_path.parent / "areas.csv").write_text(_shifted("example_areas.csv"))
    (log_path.parent / "qbank.csv").write_text(_shifted("example_qbank.csv"))
    exam = today + dt.timedelta(days=EXAM_IN_DAYS)
    (log_path.parent / "settings.json").write_text(json.dumps({"exam_date": str(exam)}))
    with dashboard(log_path, tmp_path) as (url, _):
        yield url


def _open(playwright, tmp_path, url, width, height):
    from playwright.sync_api import expect

    context = playwright.chromium.launch_persistent_context(
        str(tmp_path / f"profile-{width}"),
        executable_path=str(CHROMIUM),
        headless=True,
        args=CHROMIUM_ARGS,
        viewport={"width": width, "height": height},
    )
    page = context.new_page()
    page.goto(url)
    # The example student, 50 days out: one more 240+ score needed → ON TRACK.
    expect(page.locator(".st-key-verdict_banner")).to_contain_text(
        "ON TRACK", timeout=30_000
    )
    chart = page.locator(".st-key-chart canvas, .st-key-chart svg").first
    expect(chart).to_be_visible(timeout=30_000)
    expect(page.locator(".st-key-plan")).to_contain_text("Your plan to the exam day")
    page.wait_for_timeout(500)  # let the chart settle at its final width
    return context, page


def _screenshot(page, tmp_path, name: str, width: int) -> Path:
    """The whole page: Streamlit scrolls inside its main element, not the document,
    so the window is made as tall as that element's content first."""
    path = tmp_path / name
    height = page.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": width, "height": height})
    page.wait_for_timeout(500)
    page.screenshot(path=path, full_page=True)
    shots = os.environ.get("TRACKER_SCREENSHOTS")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(shots) / name)
    return path


def _layout(page) -> dict[str, float]:
    """Widths and the banner's place, measured in the page itself (CSS pixels)."""
    return page.evaluate(
        """() => {
            const box = (selector) => document.querySelector(selector)
                .getBoundingClientRect();
            const chart = box('.st-key-chart');
            const drawn = box('.st-key-chart canvas, .st-key-chart svg');
            const banner = box('.st-key-verdict_banner');
            const main = document.querySelector('[data-testid=stMain]');
            return {
                scrollWidth: document.scrollingElement.scrollWidth,
                mainScrollWidth: main.scrollWidth,
                mainWidth: main.clientWidth,
                innerWidth: window.innerWidth,
                innerHeight: window.innerHeight,
                chartLeft: chart.left, chartRight: chart.right,
                drawnLeft: drawn.left, drawnRight: drawn.right,
                bannerTop: banner.top, bannerBottom: banner.bottom,
            };
        }"""
    )


@pytest.mark.parametrize(
    ("width", "height", "name"),
    [(390, 844, "phone-390x844.png"), (1400, 900, "desktop-1400x900.png")],
    ids=["phone", "desktop"],
)
def test_the_dashboard_fits_the_screen(server, tmp_path, width, height, name):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context, page = _open(playwright, tmp_path, server, width, height)
        try:
            page.evaluate("window.scrollTo(0, 0)")
            layout = _layout(page)
            shot = _screenshot(page, tmp_path, name, width)
        finally:
            context.close()
    assert layout["innerWidth"] == width
    # No sideways scrolling: neither the document nor Streamlit's main scroller.
    assert layout["scrollWidth"] <= layout["innerWidth"], layout
    assert layout["mainScrollWidth"] <= layout["mainWidth"], layout
    # The verdict headline is on the first screen, whole.
    assert 0 <= layout["bannerTop"] < layout["bannerBottom"] <= height, layout
    # The chart, and what it draws, stay inside the screen.
    assert layout["chartLeft"] >= 0 and layout["chartRight"] <= width, layout
    assert layout["drawnLeft"] >= 0 and layout["drawnRight"] <= width, layout
    assert shot.stat().st_size > 20_000


def test_the_downloads_arrive_and_the_backup_is_the_log_itself(server, tmp_path):
    """The PNG and the calendar are drawn only on the click (not on every rerun); the
    backup is the log byte for byte, the spreadsheet copy defuses the note that starts
    with '-' (a spreadsheet would run it as a formula)."""
    from playwright.sync_api import sync_playwright

    keys = ("download_chart", "download_calendar", "download_backup", "download_log")
    with sync_playwright() as playwright:
        context, page = _open(playwright, tmp_path, server, 1400, 900)
        try:
            files = {}
            for key in keys:
                with page.expect_download(timeout=30_000) as download:
                    # the first button is the download itself (a help icon may follow)
                    page.locator(f".st-key-{key} button").first.click()
                files[key] = Path(download.value.path()).read_bytes()
        finally:
            context.close()
    assert files["download_chart"].startswith(b"\x89PNG\r\n\x1a\n")
    calendar = icalendar.Calendar.from_ical(files["download_calendar"])
    titles = [str(event["summary"]) for event in calendar.walk("VEVENT")]
    assert "Step 2 CK exam" in titles and "Practice exam: UWSA 3" in titles
    log_bytes = (tmp_path / "data" / "scores.csv").read_bytes()
    assert files["download_backup"] == log_bytes
    assert b",-3 from last time\n" in log_bytes
    assert files["download_log"] == log_bytes.replace(
        b",-3 from last time\n", b",'-3 from last time\n"
    )


def _study_layout(page) -> dict[str, float]:
    """The study section's heat table and Q-bank bar, measured in the page."""
    return page.evaluate(
        """() => {
            const box = (selector) => document.querySelector(selector)
                .getBoundingClientRect();
            const heat = box('.st-key-area_heat');
            // The chart itself: the largest canvas or svg (icons are svg too).
            const drawn = [...document.querySelectorAll(
                '.st-key-area_heat canvas, .st-key-area_heat svg')]
                .map((element) => element.getBoundingClientRect())
                .reduce((a, b) => (a.height >= b.height ? a : b));
            const qbank = box('.st-key-qbank');
            const main = document.querySelector('[data-testid=stMain]');
            return {
                mainScrollWidth: main.scrollWidth, mainWidth: main.clientWidth,
                heatLeft: heat.left, heatRight: heat.right,
                drawnLeft: drawn.left, drawnRight: drawn.right,
                drawnWidth: drawn.width, drawnHeight: drawn.height,
                qbankLeft: qbank.left, qbankRight: qbank.right,
            };
        }"""
    )


@pytest.mark.parametrize(
    ("width", "height", "name"),
    [(390, 844, "study-phone-390x844.png"), (1400, 900, "study-desktop-1400x900.png")],
    ids=["phone", "desktop"],
)
def test_the_study_section_fits_the_screen(server, tmp_path, width, height, name):
    """The heat table of areas × reports and the Q-bank bar stay inside the screen;
    the plan names the weakest areas (Renal and Surgery are "lower" on the example
    student's latest NBME report, data/example_areas.csv)."""
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        context, page = _open(playwright, tmp_path, server, width, height)
        try:
            expect(page.locator(".st-key-plan")).to_contain_text(
                "on your weakest areas: Renal, Urinary & Male Reproductive; Surgery."
            )
            study = page.locator(".st-key-study")
            heat = page.locator(".st-key-area_heat canvas, .st-key-area_heat svg").first
            expect(heat).to_be_visible(timeout=30_000)
            expect(page.locator(".st-key-qbank")).to_contain_text(
                "UWorld: 2,350 of 3,900 questions"
            )
            page.wait_for_timeout(500)  # let the chart settle at its final width
            layout = _study_layout(page)
            study.scroll_into_view_if_needed()
            shot = _screenshot(page, tmp_path, name, width)
        finally:
            context.close()
    assert layout["mainScrollWidth"] <= layout["mainWidth"], layout
    for edge in ("heat", "drawn", "qbank"):
        assert layout[f"{edge}Left"] >= 0 and layout[f"{edge}Right"] <= width, layout
    # Six areas at 30 pixels a row, with the report labels above: a readable table.
    assert layout["drawnHeight"] >= 6 * 30, layout
    assert layout["drawnWidth"] >= 0.8 * (layout["heatRight"] - layout["heatLeft"]), layout
    assert shot.stat().st_size > 20_000
