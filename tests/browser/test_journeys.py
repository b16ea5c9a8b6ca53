"""What people do in a real browser: browse, sign up, join, approve, switch language."""

import re
from typing import Any

from django.core import mail
from playwright.sync_api import expect

from puente.partnerships.demo import DEMO_PASSWORD
from puente.stakeholders.models import Membership, Organisation

ORG_ADMIN_EMAIL = "orgadmin@demo.puente.example"


def _log_in(tab: Any, email: str, password: str) -> None:
    tab.goto("/accounts/login/")
    tab.locator("#id_login").fill(email)
    tab.locator("#id_password").fill(password)
    tab.locator("main form button[type=submit]").first.click()
    tab.wait_for_load_state()


def test_a_visitor_filters_the_directory_to_lac_academia_and_opens_an_organisation(page):
    page.goto("/")
    page.get_by_role("link", name="Directory", exact=True).click()
    page.get_by_label("Latin America and the Caribbean").check()
    page.get_by_label("Academia and research").check()
    page.get_by_role("button", name="Show organisations").click()

    expected = Organisation.objects.filter(region="LAC", stakeholder_type="academia")
    assert expected.count() >= 2
    results = page.locator("#organisation-results h3 a")
    # htmx swaps the results in place: wait until the swap for both filters has landed.
    expect(results).to_have_count(expected.count())
    assert sorted(results.all_inner_texts()) == sorted(o.name for o in expected)
    assert "region=LAC" in page.url
    assert "type=academia" in page.url

    first = expected.order_by("name").first()
    assert first is not None
    page.get_by_role("link", name=first.name).first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().strip().startswith(first.name)
    assert page.url.endswith(first.get_absolute_url())


def test_a_person_signs_up_verifies_asks_to_join_and_the_org_admin_approves(page, browser):
    organisation = Organisation.objects.get(memberships__person__email=ORG_ADMIN_EMAIL)
    mail.outbox.clear()

    page.goto("/accounts/signup/")
    page.locator("#id_email").fill("newcomer@example.org")
    page.locator("#id_password1").fill("a-long-and-unusual-passphrase")
    page.locator("#id_password2").fill("a-long-and-unusual-passphrase")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()

    assert len(mail.outbox) == 1
    link = re.search(r"http://[^\s]+/accounts/confirm-email/[^\s]+", str(mail.outbox[0].body))
    assert link is not None, mail.outbox[0].body
    page.goto(link.group(0))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()

    page.goto(organisation.get_absolute_url())
    page.get_by_role("button", name="Request to join").click()
    page.wait_for_load_state()
    membership = Membership.objects.get(
        person__email="newcomer@example.org", organisation=organisation
    )
    assert membership.status == Membership.Status.PENDING

    admin_context = browser.new_context(base_url=page.url.split("/organisations")[0])
    admin_tab = admin_context.new_page()
    _log_in(admin_tab, ORG_ADMIN_EMAIL, DEMO_PASSWORD)
    admin_tab.goto(organisation.get_absolute_url() + "members/")
    # The org admin reads Portuguese: find the button by its form, not by its English label.
    approve = admin_tab.locator(f"form[action$='/members/{membership.pk}/approve/'] button")
    assert "newcomer" in approve.inner_text()
    approve.click()
    admin_tab.wait_for_load_state()
    admin_context.close()

    membership.refresh_from_db()
    assert membership.status == Membership.Status.ACTIVE


def _choose_language(tab: Any, name: str) -> None:
    """Open the header's language menu and pick the language by its own name."""
    tab.locator("header details.header-menu summary").first.click()
    with tab.expect_navigation():
        tab.get_by_role("button", name=name, exact=True).click()


def test_switching_to_spanish_turns_the_interface_spanish_and_is_remembered(page):
    page.goto("/organisations/")
    _choose_language(page, "Español")

    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_role("link", name="Directorio", exact=True).is_visible()
    assert page.locator("h1").inner_text().strip() != "Directory of organisations"

    page.goto("/partnerships/")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_role("link", name="Iniciar sesión").is_visible()


def test_switching_to_brazilian_portuguese_is_not_european_portuguese(page):
    page.goto("/organisations/")
    _choose_language(page, "Português (Brasil)")

    assert page.locator("html").get_attribute("lang") == "pt-br"
    assert page.get_by_role("link", name="Entrar", exact=True).is_visible()
    assert page.locator("header details.header-menu summary [lang]").first.inner_text() == (
        "Português (Brasil)"
    )

    page.goto("/partnerships/")
    assert page.locator("html").get_attribute("lang") == "pt-br"
    _choose_language(page, "Português (Portugal)")
    assert page.locator("html").get_attribute("lang") == "pt"
    assert page.get_by_role("link", name="Iniciar sessão", exact=True).is_visible()


def test_a_keyboard_user_skips_to_the_content_and_searches(page):
    page.goto("/organisations/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"#main$"))
    page.wait_for_function("document.activeElement && document.activeElement.id === 'main'")

    page.locator("#id_q").focus()
    page.keyboard.type("ECLAC")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=ECLAC"))
    assert "q=ECLAC" in page.url
    names = page.locator("#organisation-results h3 a").all_inner_texts()
    assert names
    assert all("ECLAC" in name or "Economic Commission" in name for name in names)
