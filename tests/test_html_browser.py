"""The HTML report in a real browser: Playwright driving a headless Chromium.

Playwright's own browser downloads are not used (no network for them): the test launches
the system Chromium (Debian packages ``chromium`` and ``chromium-driver``) through
``executable_path``. Set ``ALIGNER_CHROMIUM`` to a browser binary to use another one. The
tests are skipped, with the reason, when Playwright or the binary is missing.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sample_review import sample_review

from aligner.io.html import render_html

sync_api = pytest.importorskip("playwright.sync_api",
                               reason="the playwright package is not installed "
                                      "(pip install -e '.[test]')")


def chromium_binary() -> str | None:
    """The browser to launch: $ALIGNER_CHROMIUM, else Debian's real binary (its
    /usr/bin/chromium is a wrapper script), else a chromium on PATH."""
    candidates = [os.environ.get("ALIGNER_CHROMIUM"), "/usr/lib/chromium/chromium",
                  shutil.which("chromium"), shutil.which("chromium-browser"),
                  shutil.which("google-chrome")]
    for candidate in candidates:
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


BINARY = chromium_binary()
# In CI (.ci/run installs the browser) a missing binary is a failure, not a skip.
pytestmark = pytest.mark.skipif(
    BINARY is None and not os.environ.get("CI"),
    reason="no Chromium binary: apt-get install chromium chromium-driver, "
           "or set ALIGNER_CHROMIUM to a browser binary")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        # --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
        launched = playwright.chromium.launch(executable_path=BINARY, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    review = sample_review()
    similarity = np.full((5, 4), 0.2, dtype=np.float32)
    for i, j in ((0, 0), (1, 1), (2, 1), (4, 3)):
        similarity[i, j] = 0.85
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(render_html(replace(review, similarity=similarity)), encoding="utf-8")
    return path


@pytest.fixture()
def page(browser: Any, report: Path) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    opened.goto(report.as_uri())
    yield opened
    context.close()
    assert errors == [], errors


def visible_rows(page: Any) -> list[str]:
    return [row.get_attribute("id") for row in page.locator("tr.bead").all()
            if row.is_visible()]


def test_rows_highlights_and_the_finding_on_hover_and_focus(page: Any, tmp_path: Path) -> None:
    assert page.locator("tr.bead").count() == 5
    assert page.evaluate("document.documentElement.className") == "js"
    mark = page.locator("mark.hl[data-f='f1']").first
    assert mark.inner_text() == "20 тыс."
    assert "sev-critical" in mark.get_attribute("class")
    tip = page.locator("#tip")
    assert not tip.is_visible()
    mark.hover()
    assert tip.is_visible()
    assert "the Russian says «20 тыс.»" in tip.inner_text()
    assert "check the figure" in tip.inner_text()
    # the same finding's span on the English side lights up with it
    assert "active" in page.locator("mark.hl[data-f='f1']").nth(1).get_attribute("class")
    page.screenshot(path=str(tmp_path / "hover.png"))
    page.mouse.move(1, 1)
    assert not tip.is_visible()
    page.locator("mark.hl.sev-major").first.focus()
    assert tip.is_visible() and "annoyances" in tip.inner_text()
    page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    assert (tmp_path / "report.png").stat().st_size > 10_000


def test_a_summary_entry_filters_the_table(page: Any) -> None:
    major = page.locator("button.filter[data-key='sev'][data-value='major']")
    major.click()
    assert major.get_attribute("aria-pressed") == "true"
    assert visible_rows(page) == ["bead-4"]
    assert "Showing 1 of 5 rows" in page.locator("#status").inner_text()
    page.locator("button.filter[data-key='row'][data-value='null']").click()
    assert visible_rows(page) == ["bead-2", "bead-3"]
    assert major.get_attribute("aria-pressed") == "false"
    page.keyboard.press("Escape")
    assert len(visible_rows(page)) == 5


def test_keys_move_to_the_next_and_previous_finding(page: Any) -> None:
    def focused() -> str:
        return str(page.evaluate("document.activeElement.getAttribute('data-f') || "
                                 "document.activeElement.id"))

    page.keyboard.press("j")
    assert focused() == "f0"
    page.keyboard.press("n")
    assert focused() == "f1"
    page.keyboard.press("j")
    assert focused() == "f2"
    page.keyboard.press("k")
    assert focused() == "f1"
    assert page.locator("#tip").is_visible()
    # with a filter on, the keys skip the hidden rows
    page.locator("button.filter[data-key='sev'][data-value='major']").click()
    page.keyboard.press("j")
    assert focused() == "f3"
    page.keyboard.press("j")
    assert focused() == "f4"  # a finding without spans: its list item takes the focus
    page.keyboard.press("j")
    assert focused() == "f3"  # round again


def test_without_javascript_everything_is_readable(browser: Any, report: Path) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(report.as_uri())
    assert len(visible_rows(page)) == 5
    assert page.locator("li.finding").count() == 5
    assert page.locator("li.finding").first.is_visible()
    assert not page.locator("#status").is_visible()  # it would only describe the filters
    context.close()


def test_print_layout_hides_the_controls_help(page: Any) -> None:
    page.emulate_media(media="print")
    assert not page.locator(".keys").is_visible()
    assert len(visible_rows(page)) == 5
    assert page.locator("svg.map").is_visible()
