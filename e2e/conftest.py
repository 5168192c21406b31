"""Browser journeys: Playwright (sync API) driving Debian's Chromium against pytest-django's live server.

Chromium is looked up at $SIG_CHROMIUM (default /usr/bin/chromium). When it is missing the
browser tests are skipped locally with a reason, and fail under CI (CI=true), so a CI machine
without a browser can never pass silently. `playwright install` is never used.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("SIG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS_DIR = Path(os.environ.get("SIG_SHOTS_DIR", "/tmp/sig-shots"))
TIMEOUT_MS = 15_000


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the browser journeys last (after pytest-django's own ordering).

    They are transactional and empty the database when they finish; tests that reach the
    session's demo data without declaring `db` statically (e.g. through
    request.getfixturevalue) would otherwise run after them and find no data."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One Chromium per test module.

    The Playwright sync API keeps an event loop in this thread, and Django then refuses ORM calls
    here (fixtures, the transactional flush) unless DJANGO_ALLOW_ASYNC_UNSAFE is set. It is set
    only while the browser modules run (module scope, restored afterwards): set for the whole
    session it would leak into other tests, e.g. subprocesses running `check --deploy`."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        message = f"chromium not found at {CHROMIUM} (apt-get install -y --no-install-recommends chromium)"
        if _in_ci():
            pytest.fail(f"{message}; browser tests must run in CI", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                yield browser
            finally:
                browser.close()


@pytest.fixture
def demo_data(transactional_db: Any) -> None:
    """Transactional tests leave an empty database behind them: load the demo organisation
    (a no-op when the session's demo data is still there)."""
    from django.core.management import call_command

    call_command("load_demo", if_empty=True, verbosity=0)


@pytest.fixture
def page(browser: Any, live_server: Any, demo_data: None) -> Iterator[Any]:
    """A fresh Spanish (Peru) browser context on a desktop viewport, pointed at the live server."""
    context = browser.new_context(locale="es-PE", viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def shots_dir() -> Path:
    SHOTS_DIR.mkdir(parents=True, exist_ok=True)
    return SHOTS_DIR


def go_to_menu(page: Any, item: str) -> None:
    """Open the menu group holding the item `item` (its `nav` key) and follow it, as a user does
    with the grouped main menu (and its "Menú" button on narrow screens)."""
    link = page.locator(f"nav.mainnav a[data-nav='{item}']")
    button = page.locator("nav.mainnav [data-menu-button]")
    if button.is_visible() and not page.locator("nav.mainnav .menu").is_visible():
        button.click()
    group = page.locator("nav.mainnav li.navgroup", has=page.locator(f"a[data-nav='{item}']"))
    group.locator("summary").click()
    link.click()
