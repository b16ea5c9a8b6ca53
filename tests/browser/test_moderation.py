"""A facilitator hides a flagged statement with a reason and merges two, by keyboard alone."""

from typing import Any

import pytest

from puente.accounts.models import User
from puente.dialogues.demo import ACCELERATOR_DIALOGUE, DEMO_PARTNERSHIP
from puente.dialogues.models import Dialogue, Flag, Statement
from puente.partnerships.demo import DEMO_PASSWORD
from tests.accounts.factories import UserFactory
from tests.browser.conftest import axe_violations
from tests.dialogues.factories import ParticipationFactory, StatementFactory, VoteFactory

FACILITATOR_EMAIL = "facilitator@demo.puente.example"


def _log_in(tab: Any, email: str) -> None:
    tab.goto("/accounts/login/")
    tab.locator("#id_login").fill(email)
    tab.locator("#id_password").fill(DEMO_PASSWORD)
    tab.locator("main form button[type=submit]").first.click()
    tab.wait_for_load_state()


def _activate(tab: Any, selector: str) -> None:
    """Focus the element and press Enter, as a keyboard user does."""
    tab.locator(selector).first.focus()
    with tab.expect_navigation():
        tab.keyboard.press("Enter")


# The demo's dialogue that still takes statements (the other is in the prioritise phase).
@pytest.mark.parametrize("language", ["en", "es"])
def test_a_facilitator_hides_and_merges_statements_by_keyboard(page, axe, live_server, language):
    dialogue = Dialogue.objects.get(
        partnership__slug=DEMO_PARTNERSHIP, slug=ACCELERATOR_DIALOGUE["slug"]
    )
    flagged = StatementFactory(dialogue=dialogue, text="Buy our routers at a discount today")
    Flag.objects.create(statement=flagged, person=UserFactory(), reason="spam")
    duplicate = StatementFactory(
        dialogue=dialogue, text="Fibre for every rural school", status="pending"
    )
    survivor = StatementFactory(dialogue=dialogue, text="Connect every school in both regions")
    VoteFactory(statement=survivor)

    page.context.add_cookies(
        [{"name": "puente_language", "value": language, "url": live_server.url}]
    )
    _log_in(page, FACILITATOR_EMAIL)
    page.goto(dialogue.get_absolute_url())
    assert axe_violations(axe, page) == []

    queue = f"{dialogue.get_absolute_url()}statements/moderation/"
    _activate(page, f"main a[href='{queue}']")
    assert page.url.endswith(queue)
    assert axe_violations(axe, page) == []

    # Hide the flagged statement: the reason is required, then the author can read it.
    _activate(page, f"main a[href$='/statements/{flagged.pk}/hide/']")
    assert axe_violations(axe, page) == []
    _activate(page, "main form button[type=submit]")
    assert page.locator("#id_reason_error").is_visible()
    assert axe_violations(axe, page) == []
    page.locator("#id_reason").focus()
    page.keyboard.type("Advertising is not a statement about shared priorities.")
    _activate(page, "main form button[type=submit]")
    assert page.url.endswith(queue)
    flagged.refresh_from_db()
    assert flagged.status == Statement.Status.HIDDEN
    assert flagged.moderation_reason.startswith("Advertising")
    assert not Flag.objects.filter(resolved_at__isnull=True).exists()
    assert axe_violations(axe, page) == []

    # Merge the waiting duplicate: choose the survivor, confirm on the next step.
    _activate(page, f"main a[href$='/statements/{duplicate.pk}/merge/']")
    assert axe_violations(axe, page) == []
    page.locator(f"input[name=survivor][value='{survivor.pk}']").focus()
    page.keyboard.press("Space")
    _activate(page, "main form button[type=submit]")
    assert axe_violations(axe, page) == []
    duplicate.refresh_from_db()
    assert duplicate.status == Statement.Status.PENDING  # asked first, nothing merged yet
    _activate(page, "main form button.btn-danger")
    assert page.url.endswith(queue)
    merged = Statement.objects.get(pk=duplicate.pk)
    assert merged.status == Statement.Status.MERGED
    assert merged.merged_into == survivor
    assert axe_violations(axe, page) == []

    # The statement list and the survivor's page stay accessible too.
    page.goto(f"{dialogue.get_absolute_url()}statements/")
    assert axe_violations(axe, page) == []
    page.goto(survivor.get_absolute_url())
    assert axe_violations(axe, page) == []


def test_a_participant_adds_a_statement_watching_the_character_count(page, axe):
    dialogue = Dialogue.objects.get(
        partnership__slug=DEMO_PARTNERSHIP, slug=ACCELERATOR_DIALOGUE["slug"]
    )
    participant = User.objects.get(email="participant@demo.puente.example")
    ParticipationFactory(dialogue=dialogue, person=participant, country="FR", region="EU")
    _log_in(page, participant.email)
    page.goto(f"{dialogue.get_absolute_url()}statements/new/")
    assert axe_violations(axe, page) == []
    counter = page.locator("#id_text_count")
    assert counter.inner_text().startswith("0 ")
    page.locator("#id_text").focus()
    page.keyboard.type("Open satellite data for farmers")
    assert counter.inner_text().startswith("31 ")
    assert "id_text_count" in (page.locator("#id_text").get_attribute("aria-describedby") or "")
    _activate(page, "main form button[type=submit]")
    statement = Statement.objects.get(text="Open satellite data for farmers")
    assert page.url.endswith(statement.get_absolute_url())
    assert axe_violations(axe, page) == []
