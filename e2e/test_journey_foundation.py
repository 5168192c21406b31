"""The foundation journey in a real browser: log in, find the process map, walk the standards
catalogue through the harmonized structure, switch language and log out.

Assertions rely on data (codes, edition labels), URLs, ids and data-* attributes only, never on
UI wording, so they hold in Spanish and English alike.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Locator, Page, expect

from e2e.conftest import go_to_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# "9.2" but not "9.2.1": the number must not continue with another level.
REQ_9_2 = re.compile(r"(^|\s)9\.2(?![.\d])")
OPERATIONAL_PROCESSES = [f"M01.0{n}" for n in range(1, 7)]


def path_of(page: Page) -> str:
    return re.sub(r"^https?://[^/]+", "", page.url)


def log_in(page: Page, username: str) -> None:
    page.goto("/cuenta/ingresar/")
    page.locator("main input[name='username']").fill(username)
    page.locator("main input[name='password']").fill(settings.SIG_DEMO_PASSWORD)
    page.locator("main form button[type='submit']").click()


def header_logout_button(page: Page) -> Locator:
    return page.locator("header form[action='/cuenta/salir/'] button[type='submit']")


def follow_twin(page: Page, edition_label: str) -> None:
    """Click the harmonized twin of the current requirement that is 9.2 of `edition_label`."""
    twins = page.locator("#hs-twins")
    expect(twins).to_be_visible()
    link = twins.locator(f"a[data-edition='{edition_label}']").filter(has_text=REQ_9_2).first
    expect(link).to_be_visible()
    href = link.get_attribute("href")
    assert href and re.fullmatch(r"/normas/requisitos/\d+/", href), href
    link.click()
    expect(page).to_have_url(re.compile(re.escape(href) + "$"))
    expect_requirement_9_2_of(page, edition_label)


def expect_requirement_9_2_of(page: Page, edition_label: str) -> None:
    expect(page.locator("main h1")).to_contain_text(REQ_9_2)
    expect(page.locator("main")).to_contain_text(edition_label)


def screenshot(page: Page, shots_dir: Path, name: str) -> None:
    """Desktop and tablet (1024x768) captures, for a human to look at; not asserted."""
    page.screenshot(path=str(shots_dir / f"{name}.png"), full_page=True)
    desktop = page.viewport_size
    page.set_viewport_size({"width": 1024, "height": 768})
    page.screenshot(path=str(shots_dir / f"{name}-tablet.png"), full_page=True)
    if desktop:
        page.set_viewport_size(desktop)


def test_it_takes_the_coordinator_from_login_through_processes_and_harmonized_standards_to_logout(
    page: Page, shots_dir: Path
) -> None:
    # Log in as the SIG coordinator: the dashboard opens.
    log_in(page, "cmg")
    expect(page).to_have_url(re.compile(r"/$"))
    expect(header_logout_button(page)).to_be_visible()
    expect(page.locator("main h1")).to_be_visible()
    screenshot(page, shots_dir, "dashboard")

    # Navigation → process map: M01 with its six operational processes.
    go_to_menu(page, "processes")
    expect(page).to_have_url(re.compile(r"/organizacion/procesos/$"))
    main = page.locator("main")
    expect(main.get_by_text("M01", exact=True)).to_be_visible()
    for code in OPERATIONAL_PROCESSES:
        expect(main.get_by_text(code, exact=True)).to_be_visible()
    screenshot(page, shots_dir, "process-map")

    # Navigation → Standards → ISO 37001:2016 → requirement 9.2.
    go_to_menu(page, "standards")
    expect(page).to_have_url(re.compile(r"/normas/$"))
    main.locator("a[href^='/normas/ediciones/']").filter(has_text="ISO 37001:2016").first.click()
    expect(page).to_have_url(re.compile(r"/normas/ediciones/\d+/$"))
    expect(page.locator("main h1")).to_contain_text("ISO 37001:2016")
    main.locator("a[href^='/normas/requisitos/']").filter(has_text=REQ_9_2).first.click()
    expect(page).to_have_url(re.compile(r"/normas/requisitos/\d+/$"))
    expect_requirement_9_2_of(page, "ISO 37001:2016")

    # Harmonized twins: the same clause in ISO 9001:2015, then in ISO/IEC 27001 (current edition).
    follow_twin(page, "ISO 9001:2015")
    expect(page.locator("#hs-twins a[data-edition='ISO 37001:2016']").filter(has_text=REQ_9_2)).to_have_count(1)
    follow_twin(page, "ISO/IEC 27001:2022")

    # Switch the interface to English with the header's language form.
    expect(page.locator("html")).to_have_attribute("lang", "es-PE")
    page.locator("details.usermenu summary").click()  # the account menu holds it
    page.locator("#language-select").select_option("en")
    page.locator("form:has(#language-select) button[type='submit']").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect_requirement_9_2_of(page, "ISO/IEC 27001:2022")  # the language form returns to the same page

    # Log out from the header: back on the login page, and the dashboard is closed again.
    header_logout_button(page).click()
    expect(page).to_have_url(re.compile(r"/cuenta/ingresar/$"))
    expect(page.locator("main input[name='username']")).to_be_visible()
    expect(header_logout_button(page)).to_have_count(0)
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/cuenta/ingresar/\?next=/$"))


def test_it_lets_a_keyboard_user_log_in_without_a_mouse(page: Page) -> None:
    page.goto("/cuenta/ingresar/")
    username = page.locator("main input[name='username']")
    expect(username).to_be_visible()

    def focused_name() -> Any:
        return page.evaluate("document.activeElement && document.activeElement.getAttribute('name')")

    for _ in range(20):  # Tab through the header (skip link, brand, language form) to the login form
        if focused_name() == "username":
            break
        page.keyboard.press("Tab")
    assert focused_name() == "username", "the username field cannot be reached with Tab"
    page.keyboard.type("cmg")
    page.keyboard.press("Tab")
    assert focused_name() == "password", "Tab from the username does not reach the password"
    page.keyboard.type(settings.SIG_DEMO_PASSWORD)
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/$"))
    expect(header_logout_button(page)).to_be_visible()
