"""A real Streamlit server on loopback, driven in Debian's Chromium by Playwright."""

from __future__ import annotations

import datetime as dt
import json
import socket
from pathlib import Path

import pytest
from browser import CHROMIUM, CHROMIUM_ARGS, dashboard, require_chromium

HEADER = "date,assessment,score,notes\n"


def _listening_addresses(port: int) -> set[str]:
    """Local IPv4 addresses with a listening TCP socket on ``port``, from /proc."""
    addresses = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address_hex, port_hex = local.split(":")
        if state == "0A" and int(port_hex, 16) == port:  # 0A: LISTEN
            addresses.add(socket.inet_ntoa(bytes.fromhex(address_hex)[::-1]))
    return addresses


@pytest.fixture
def server(tmp_path):
    """``streamlit run dashboard.py`` against a temporary log; stopped afterwards."""
    log_path = tmp_path / "data" / "scores.csv"
    log_path.parent.mkdir()
    with dashboard(log_path, tmp_path) as (url, port):
        yield url, port, log_path


def test_server_listens_on_loopback_only(server):
    _, port, _ = server
    assert _listening_addresses(port) == {"127.0.0.1"}


def test_log_a_result_in_the_browser(server, tmp_path):
    require_chromium()
    from playwright.sync_api import expect, sync_playwright

    url, _, log_path = server
    today = dt.date.today()
    exam_day = today + dt.timedelta(days=60)
    earlier = [(today - dt.timedelta(days=d)).isoformat() for d in (21, 11)]
    log_path.write_text(HEADER + f"{earlier[0]},NBME 12,241,\n{earlier[1]},NBME 13,243,\n")

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1300, "height": 2200},
        )
        try:
            page = context.new_page()
            page.goto(url)
            banner = page.locator(".st-key-verdict_banner")
            expect(banner).to_contain_text("NOT ENOUGH DATA", timeout=30_000)

            page.locator(".st-key-log_score input").fill("246")
            page.locator(".st-key-log_notes input").fill("felt ready")
            page.locator(".st-key-log_submit button").click()

            expect(banner).not_to_contain_text("NOT ENOUGH DATA", timeout=30_000)
            # 241, 243, 246 (NBME forms, no offsets) all reach 240 and rise. No date is
            # set: the banner says so, and judges a sitting 60 days ahead.
            expect(banner).to_contain_text("TAKE NOW")
            expect(banner).to_contain_text(
                f"No exam date is set; for a sitting on {exam_day} (in 60 days): ready "
                "to sit then; enter your planned date."
            )
            expect(page.get_by_text(f"Logged {today} NBME 9: 246")).to_be_visible()
            # The date typed in the box applies on Enter, with no click elsewhere.
            planned = today + dt.timedelta(days=45)
            box = page.locator(".st-key-exam_date input")
            box.fill(planned.isoformat())
            box.press("Enter")
            expect(banner).to_contain_text(
                f"Sit as planned on {planned} (in 45 days).", timeout=30_000
            )

            # Once the page has settled: the exam and its date sit on the main page,
            # right under the banner (positions in the page, not the scrolled view).
            exam, exam_date = (
                page.locator(".st-key-exam"),
                page.locator(".st-key-exam_date"),
            )
            expect(exam).to_be_visible()
            expect(exam_date).to_be_visible()
            top = "(element) => element.getBoundingClientRect().top + window.scrollY"
            assert banner.evaluate(top) < exam.evaluate(top)
            assert page.locator("[data-testid=stSidebar] .st-key-exam").count() == 0
            # The interactive chart (Vega-Lite draws on a canvas) is on the page.
            chart = page.locator(".st-key-chart canvas, .st-key-chart svg").first
            expect(chart).to_be_visible(timeout=30_000)
            page.screenshot(path=tmp_path / "dashboard.png", full_page=True)
        finally:
            context.close()

    settings = json.loads(log_path.with_name("settings.json").read_text())
    assert settings["exams"]["step2-ck"]["exam_date"] == planned.isoformat()
    assert log_path.read_text().splitlines()[1:] == [
        f"{earlier[0]},NBME 12,241,",
        f"{earlier[1]},NBME 13,243,",
        f"{today},NBME 9,246,felt ready",
    ]
    assert (tmp_path / "dashboard.png").stat().st_size > 20_000
