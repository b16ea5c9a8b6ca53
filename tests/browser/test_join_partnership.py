"""An organisation admin asks to join a partnership and a facilitator approves, in a browser.

Every page on the way passes axe, in English and in Spanish, on a wide and a narrow screen.
"""

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from puente.accounts.models import User
from puente.partnerships.demo import DEMO_PASSWORD
from puente.partnerships.models import Partnership, PartnershipJoinRequest
from puente.stakeholders.models import Organisation
from tests.browser.conftest import axe_violations
from tests.partnerships.factories import PartnershipFactory

ORG_ADMIN_EMAIL = "orgadmin@demo.puente.example"
FACILITATOR_EMAIL = "facilitator@demo.puente.example"


def _log_in(tab: Any, email: str) -> None:
    tab.goto("/accounts/login/")
    tab.locator("#id_login").fill(email)
    tab.locator("#id_password").fill(DEMO_PASSWORD)
    tab.locator("main form button[type=submit]").first.click()
    tab.wait_for_load_state()


def _check(axe: Any, tab: Any, language: str) -> None:
    assert tab.locator("html").get_attribute("lang") == language
    assert axe_violations(axe, tab) == []


@pytest.mark.parametrize("width", [1366, 375])
@pytest.mark.parametrize("language", ["en", "es"])
def test_an_organisation_admin_asks_to_join_and_a_facilitator_approves(
    page, browser, axe, live_server, language, width
):
    User.objects.filter(email__in=[ORG_ADMIN_EMAIL, FACILITATOR_EMAIL]).update(
        preferred_language=language
    )
    organisation = Organisation.objects.get(memberships__person__email=ORG_ADMIN_EMAIL)
    partnership = PartnershipFactory(
        title="Andean Open Data Commons",
        slug="andean-open-data-commons",
        facilitators=[User.objects.get(email=FACILITATOR_EMAIL)],
    )
    hidden = Partnership.objects.get(slug="copernicus-lac-working-group")
    Partnership.objects.filter(pk=hidden.pk).update(is_discoverable=True)
    page.set_viewport_size({"width": width, "height": 900})
    page.context.add_cookies(
        [{"name": "puente_language", "value": language, "url": live_server.url}]
    )

    # A visitor finds the discoverable members-only partnership: its title, and a way in.
    page.goto(hidden.get_absolute_url())
    assert page.locator("h1").inner_text().strip() == hidden.title
    assert "Panama" not in page.content()
    _check(axe, page, language)

    # The organisation admin asks, from the partnership's page, with the keyboard.
    _log_in(page, ORG_ADMIN_EMAIL)
    page.goto(partnership.get_absolute_url())
    _check(axe, page, language)
    page.locator("#join-organisation").select_option(str(organisation.pk))
    page.locator("#join-message").fill("We map deforestation with open satellite data.")
    page.locator("#join-message").press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    join_request = PartnershipJoinRequest.objects.get(
        partnership=partnership, organisation=organisation
    )
    assert join_request.is_pending
    withdraw = reverse(
        "partnerships:join-request-withdraw",
        kwargs={"slug": partnership.slug, "pk": join_request.pk},
    )
    expect(page.locator(f"a[href='{withdraw}']")).to_be_visible()
    _check(axe, page, language)
    page.goto(reverse("partnerships:partnership-take-part", kwargs={"slug": partnership.slug}))
    _check(axe, page, language)
    page.goto(withdraw)
    _check(axe, page, language)

    # A facilitator sees the request waiting on their home page and approves it.
    context = browser.new_context(
        base_url=live_server.url,
        locale="en-GB",
        reduced_motion="reduce",
        viewport={"width": width, "height": 900},
    )
    tab = context.new_page()
    _log_in(tab, FACILITATOR_EMAIL)
    requests_url = reverse("partnerships:join-request-list", kwargs={"slug": partnership.slug})
    tab.goto("/")
    expect(tab.locator(f"#person-home-heading ~ div a[href='{requests_url}']")).to_be_visible()
    _check(axe, tab, language)
    tab.goto(
        reverse(
            "partnerships:join-request-decline",
            kwargs={"slug": partnership.slug, "pk": join_request.pk},
        )
    )
    _check(axe, tab, language)
    tab.goto(requests_url)
    assert "We map deforestation" in tab.content()
    _check(axe, tab, language)
    approve = tab.locator(f"form[action$='/join-requests/{join_request.pk}/approve/'] button")
    approve.focus()
    with tab.expect_navigation():
        tab.keyboard.press("Enter")
    _check(axe, tab, language)
    context.close()

    join_request.refresh_from_db()
    assert join_request.status == PartnershipJoinRequest.Status.APPROVED
    assert partnership.organisations.filter(pk=organisation.pk).exists()
