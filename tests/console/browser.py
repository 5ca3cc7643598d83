"""Headless Chromium for console tests: Debian's ``chromium`` (installed by
scripts/system-deps.sh) driven by Playwright, never a downloaded browser.

Screenshots of the main pages are written to ``docs/screenshots/`` (the README shows
them) or to ``$IRIS_SCREENSHOTS_DIR``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support import ROOT, require_chromium

VIEWPORT = {"width": 1280, "height": 860}


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A Chromium browser; each test opens its own contexts (one per signed-in user)."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the test's own database
    # calls are ordinary synchronous ones, which Django would otherwise refuse here.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    executable = require_chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        try:
            yield launched
        finally:
            launched.close()


def screenshot(page: Any, name: str) -> Path:
    folder = Path(os.environ.get("IRIS_SCREENSHOTS_DIR") or ROOT / "docs" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


def sign_in(browser: Any, server_url: str, username: str, password: str) -> Any:
    """A new browser context signed in through the login form; returns its page."""
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    page = context.new_page()
    page.goto(f"{server_url}/console/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{server_url}/console/")
    return page
