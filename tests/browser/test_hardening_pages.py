"""The pages the hardening added: accessible, under the policy, usable from the keyboard."""

from typing import Any

import pytest
from playwright.sync_api import expect

from puente.partnerships.demo import DEMO_PASSWORD
from puente.partnerships.models import FacilitatorInvitation
from tests.browser.conftest import axe_violations

ALLIANCE = "/partnerships/eu-lac-digital-alliance/"


def _log_in(tab: Any, email: str) -> None:
    tab.goto("/accounts/login/")
    tab.locator("#id_login").fill(email)
    tab.locator("#id_password").fill(DEMO_PASSWORD)
    tab.locator("main form button[type=submit]").first.click()
    tab.wait_for_load_state()


def _tab_to(tab: Any, selector: str) -> None:
    """Press Tab until the element matching selector has the focus, as a keyboard user would."""
    target = tab.locator(selector)
    for _ in range(80):
        tab.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    pytest.fail(f"{selector} cannot be reached with the Tab key")


@pytest.mark.parametrize(
    "path",
    ["/me/tokens/", "/me/delete/", ALLIANCE + "facilitators/invite/", ALLIANCE],
)
def test_the_facilitators_new_pages_pass_axe_in_spanish(page, axe, path):
    _log_in(page, "facilitator@demo.puente.example")
    page.goto(path)
    assert page.locator("html").get_attribute("lang") == "es"
    assert axe_violations(axe, page) == []


def test_the_delete_page_tells_the_only_facilitator_what_to_do(page):
    _log_in(page, "facilitator@demo.puente.example")
    page.goto("/me/delete/")
    expect(page.locator("main")).to_contain_text("Copernicus")


def test_a_keyboard_user_creates_a_token_then_revokes_it(page, axe):
    _log_in(page, "participant@demo.puente.example")
    page.goto("/me/tokens/")
    _tab_to(page, "main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    token = page.get_by_test_id("new-token").inner_text()
    assert len(token) >= 32
    assert axe_violations(axe, page) == []

    _tab_to(page, "main table a.btn-outline-danger")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert axe_violations(axe, page) == []
    _tab_to(page, "main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("main")).not_to_contain_text(token[:8])


def test_a_keyboard_user_invites_a_co_facilitator_by_e_mail(page):
    _log_in(page, "facilitator@demo.puente.example")
    page.goto(ALLIANCE + "facilitators/invite/")
    _tab_to(page, "main input[type=email]")
    page.keyboard.type("new.facilitator@example.org")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert FacilitatorInvitation.objects.filter(email="new.facilitator@example.org").exists()
    page.goto(ALLIANCE)
    expect(page.locator("main")).to_contain_text("new.facilitator@example.org")
