"""Notifications in a real browser: the bell, the notifications page, the settings."""

import re
from typing import Any

from django.utils import translation
from playwright.sync_api import expect

from puente.notifications.models import Kind, Notification
from puente.notifications.selectors import notification_text
from puente.partnerships.demo import DEMO_PASSWORD
from puente.stakeholders.models import Membership, Organisation
from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser.conftest import axe_violations

ORG_ADMIN_EMAIL = "orgadmin@demo.puente.example"
WIDTHS = [1366, 375]


def _log_in(tab: Any, email: str, password: str) -> None:
    tab.goto("/accounts/login/")
    tab.locator("#id_login").fill(email)
    tab.locator("#id_password").fill(password)
    tab.locator("main form button[type=submit]").first.click()
    tab.wait_for_load_state()


def _unread_in_bell(tab: Any) -> int:
    label = tab.locator("a.notification-bell").get_attribute("aria-label") or ""
    found = re.search(r"\d+", label)
    return int(found.group(0)) if found else 0


def _no_axe_violations_at_both_widths(axe: Any, tab: Any) -> None:
    for width in WIDTHS:
        tab.set_viewport_size({"width": width, "height": 900})
        assert axe_violations(axe, tab) == [], (tab.url, width)


def test_an_applicant_asks_to_join_the_admin_sees_the_bell_and_approves_the_applicant_reads_it(
    page: Any, browser: Any, axe: Any
) -> None:
    organisation = Organisation.objects.get(memberships__person__email=ORG_ADMIN_EMAIL)
    UserFactory(email="applicant@example.org", name="Ana Applicant", preferred_language="en")

    _log_in(page, "applicant@example.org", PASSWORD)
    base_url = page.url.split("/", 3)[:3]
    page.goto(organisation.get_absolute_url())
    page.get_by_role("button", name="Request to join").click()
    page.wait_for_load_state()
    membership = Membership.objects.get(
        person__email="applicant@example.org", organisation=organisation
    )

    admin_context = browser.new_context(base_url="/".join(base_url), reduced_motion="reduce")
    admin_tab = admin_context.new_page()
    _log_in(admin_tab, ORG_ADMIN_EMAIL, DEMO_PASSWORD)
    assert _unread_in_bell(admin_tab) >= 1
    # By keyboard: the bell is a link in the tab order.
    admin_tab.locator("a.notification-bell").focus()
    admin_tab.keyboard.press("Enter")
    admin_tab.wait_for_url("**/notifications/")
    request = Notification.objects.get(
        recipient__email=ORG_ADMIN_EMAIL, kind=Kind.MEMBERSHIP_REQUESTED, actor__isnull=False
    )
    with translation.override(request.recipient.preferred_language or "en"):
        text = notification_text(request)
    assert "Ana Applicant" in text
    # Opening it marks it read and leads to the members page, where the admin approves.
    admin_tab.get_by_role("button", name=text).click()
    admin_tab.wait_for_load_state()
    assert admin_tab.url.endswith(organisation.get_absolute_url() + "members/")
    request.refresh_from_db()
    assert request.read_at is not None
    admin_tab.locator(f"form[action$='/members/{membership.pk}/approve/'] button").click()
    admin_tab.wait_for_load_state()
    admin_context.close()

    page.goto("/")
    bell = page.get_by_role("link", name="Notifications, 1 unread")
    expect(bell).to_be_visible()
    bell.click()
    page.wait_for_load_state()
    decided = f"Your request to join {organisation.name} was approved."
    expect(page.get_by_role("button", name=decided)).to_be_visible()
    _no_axe_violations_at_both_widths(axe, page)

    page.get_by_role("link", name="Choose which e-mails you get").click()
    page.wait_for_load_state()
    page.get_by_label("Someone replies to my statement or comment").select_option("weekly")
    page.get_by_role("button", name="Save settings").click()
    page.wait_for_load_state()
    expect(page.get_by_label("Someone replies to my statement or comment")).to_have_value("weekly")
    _no_axe_violations_at_both_widths(axe, page)

    # The header's language menu, opened and chosen from by keyboard.
    page.set_viewport_size({"width": 1366, "height": 900})
    page.locator("header details.header-menu summary").first.focus()
    page.keyboard.press("Enter")
    with page.expect_navigation():
        page.get_by_role("button", name="Español", exact=True).focus()
        page.keyboard.press("Enter")
    _no_axe_violations_at_both_widths(axe, page)
    page.goto("/notifications/")
    with translation.override("es"):
        decided_es = notification_text(
            Notification.objects.get(recipient__email="applicant@example.org")
        )
    assert decided_es != decided
    expect(page.get_by_role("button", name=decided_es)).to_be_visible()
    _no_axe_violations_at_both_widths(axe, page)

    page.get_by_role("button", name="Marcar todas como leídas").focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator(".notification-unread")).to_have_count(0)
    assert _unread_in_bell(page) == 0
    page.set_viewport_size({"width": 1366, "height": 900})  # the header's menu is open wide
    expect(page.get_by_role("link", name="Notificaciones", exact=True)).to_be_visible()
