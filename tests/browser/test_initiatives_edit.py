"""Initiatives in the browser: a facilitator adds an initiative, a commitment, a milestone and a
place with the keyboard; axe finds nothing on the forms, with and without errors."""

from decimal import Decimal
from typing import Any

from puente.initiatives.models import Initiative, Place, TransactionType
from puente.partnerships.demo import DEMO_PASSWORD
from tests.browser.conftest import axe_violations

FACILITATOR_EMAIL = "facilitator@demo.puente.example"
PARTNERSHIP = "/partnerships/eu-lac-digital-alliance/"


def _log_in(tab: Any, email: str) -> None:
    tab.goto("/accounts/login/")
    tab.locator("#id_login").fill(email)
    tab.locator("#id_password").fill(DEMO_PASSWORD)
    tab.locator("main form button[type=submit]").first.click()
    tab.wait_for_load_state()


def _submit(tab: Any) -> None:
    """Focus the form's submit button and press Enter, as a keyboard user does."""
    tab.locator("main form button[type=submit]").first.focus()
    with tab.expect_navigation():
        tab.keyboard.press("Enter")


def test_a_facilitator_builds_an_initiative_with_the_keyboard(page, axe):
    _log_in(page, FACILITATOR_EMAIL)
    new = f"{PARTNERSHIP}initiatives/new/"
    page.goto(new)
    assert axe_violations(axe, page) == []

    page.locator("#id_title").fill("Caribbean fibre ring")
    page.locator("#id_iati_identifier").fill("XI-IATI-EC_INTPA-CARIB-RING")
    page.locator("#id_planned_start").fill("2025-01-01")
    page.locator("#id_planned_end").fill("2028-12-31")
    page.locator("#id_themes_0").check()
    page.locator("#id_sector_1_code").fill("22040")
    page.locator("#id_sector_1_percentage").fill("70")
    page.locator("#id_country_1_code").select_option("JM")
    page.locator("#id_country_1_percentage").fill("100")
    page.locator("#id_participant_1_organisation").select_option(index=1)
    page.locator("#id_participant_1_role").select_option("2")
    # The shares do not add up: the form comes back with the service's message on the field.
    _submit(page)
    assert page.locator("#id_sector_1_percentage_error").is_visible()
    assert axe_violations(axe, page) == []
    assert not Initiative.objects.filter(title="Caribbean fibre ring").exists()

    page.locator("#id_sector_1_percentage").fill("100")
    _submit(page)
    initiative = Initiative.objects.get(title="Caribbean fibre ring")
    assert page.url.endswith(initiative.get_absolute_url())
    base = initiative.get_absolute_url()

    page.goto(f"{base}transactions/new/")
    assert axe_violations(axe, page) == []
    page.locator("#id_type").select_option(TransactionType.COMMITMENT)
    page.locator("#id_date").fill("2025-02-01")
    page.locator("#id_value").fill("12000000")
    page.locator("#id_currency").fill("EUR")
    page.locator("#id_value_date").fill("2025-02-01")
    page.locator("#id_provider").select_option(index=1)
    _submit(page)
    assert page.url.endswith(base)

    page.goto(f"{base}milestones/new/")
    assert axe_violations(axe, page) == []
    page.locator("#id_title").fill("First landing station")
    page.locator("#id_planned_date").fill("2026-06-30")
    _submit(page)
    assert page.url.endswith(base)

    page.goto(f"{base}places/new/")
    assert axe_violations(axe, page) == []
    page.locator("#id_name").fill("Kingston landing station")
    page.locator("#id_kind").select_option(Place.Kind.LANDING_STATION)
    page.locator("#id_geometry_text").fill('{"type": "LineString", "coordinates": [[1, 2]]}')
    _submit(page)
    assert page.locator("#id_geometry_text_error").is_visible()
    assert axe_violations(axe, page) == []
    page.locator("#id_geometry_text").fill("")
    page.locator("#id_latitude").fill("17.97")
    page.locator("#id_longitude").fill("-76.79")
    _submit(page)
    assert page.url.endswith(base)

    transaction = initiative.transactions.get()
    assert (transaction.type, transaction.value) == (TransactionType.COMMITMENT, Decimal(12000000))
    assert initiative.milestones.get().title == "First landing station"
    assert initiative.places.get().geometry == {"type": "Point", "coordinates": [-76.79, 17.97]}

    page.goto(f"{PARTNERSHIP}pledges/")
    assert axe_violations(axe, page) == []
    page.goto("/initiatives/exchange-rates/")
    assert axe_violations(axe, page) == []
