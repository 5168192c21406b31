"""The header in a real browser (issue 9 #18): the grouped main menu fits one line on a
1366 px laptop, collapses behind "Menú" on a tablet, and the account menu holds the person's
page, API tokens and the language switch."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from e2e.test_journey_documents import log_in

pytestmark = [pytest.mark.browser]


def _tops(page: Page, selector: str) -> list[float]:
    return [box["y"] for box in (el.bounding_box() for el in page.locator(selector).all()) if box]


def test_the_menu_fits_one_line_at_1366_and_collapses_on_a_tablet(page: Page, live_server: Any) -> None:
    log_in(page, "cmg")
    page.set_viewport_size({"width": 1366, "height": 800})
    header = page.locator("header.topbar")
    items = "nav.mainnav .menu > li"
    # One line: every top-level item and the account tools share the header's only row.
    tops = _tops(page, items) + _tops(page, ".usertools > *")
    assert len(tops) >= 7 and max(tops) - min(tops) < 12, tops
    box = header.bounding_box()
    assert box and box["height"] < 64
    expect(page.locator("[data-menu-button]")).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    # A group opens on click and shows its items; Escape closes it.
    planning = page.locator("li.navgroup[data-group='planning'] summary")
    planning.click()
    expect(page.locator("li.navgroup[data-group='planning'] a[data-nav='plans']")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("li.navgroup[data-group='planning'] a[data-nav='plans']")).to_be_hidden()

    # A tablet: the menu hides behind "Menú", the header stays one row and nothing scrolls sideways.
    page.set_viewport_size({"width": 820, "height": 1100})
    button = page.locator("[data-menu-button]")
    expect(button).to_be_visible()
    expect(page.locator(items).first).to_be_hidden()
    box = header.bounding_box()
    assert box and box["height"] < 64
    assert page.evaluate("document.documentElement.scrollWidth") <= 820
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(page.locator(items).first).to_be_visible()
    page.locator("li.navgroup[data-group='documents'] summary").click()
    link = page.locator("li.navgroup[data-group='documents'] a[data-nav='documents']")
    expect(link).to_be_visible()
    link_box = link.bounding_box()
    assert link_box and link_box["height"] >= 44  # a finger-sized target on a tablet
    link.click()
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator(items).first).to_be_hidden()  # a new page starts with the menu closed


def test_the_account_menu_holds_the_persons_page_tokens_and_language(page: Page, live_server: Any) -> None:
    log_in(page, "cmg")
    page.set_viewport_size({"width": 1366, "height": 800})
    account = page.locator("details.usermenu")
    expect(account.locator("summary")).to_have_text("Silvia")
    expect(page.locator("#language-select")).to_be_hidden()
    account.locator("summary").click()
    expect(account.locator("a.me")).to_have_text("Silvia Villanueva Gavidia")
    expect(account.locator("a[href='/cuenta/tokens/']")).to_be_visible()
    page.locator("#language-select").select_option("en")
    page.locator("form:has(#language-select) button[type='submit']").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("nav.mainnav li.navgroup[data-group='planning'] summary")).to_have_text("Planning")
    # Opening the main menu closes the account menu: one open at a time.
    page.locator("details.usermenu summary").click()
    expect(page.locator("#language-select")).to_be_visible()
    page.locator("li.navgroup[data-group='planning'] summary").click()
    expect(page.locator("#language-select")).to_be_hidden()
