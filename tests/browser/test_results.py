"""A visitor reads a dialogue's results: charts with tables, no violations, no script run."""

from typing import Any

import pytest

from puente.dialogues.models import Phase, VoteChange
from puente.dialogues.services import results_refresh
from puente.partnerships.models import Partnership
from tests.accounts.factories import UserFactory
from tests.browser.conftest import axe_violations
from tests.dialogues.factories import (
    DialogueFactory,
    ParticipationFactory,
    StatementFactory,
    VoteFactory,
)

TEXTS = [
    "Open satellite data for every municipality",
    '<script>alert("x")</script> shared cybersecurity drills',
    '"><img src=x onerror=alert(1)> digital skills for teachers',
    "Affordable connectivity along the BELLA cable",
    "One e-signature recognised on both sides of the Atlantic",
]


@pytest.fixture
def results_dialogue(demo_data: None) -> Any:
    """A deliberating dialogue of the demo alliance with votes from EU and LAC and results."""
    dialogue = DialogueFactory(
        partnership=Partnership.objects.get(slug="eu-lac-digital-alliance"),
        title="Results we share",
        slug="results-we-share",
        phase=Phase.DELIBERATE,
    )
    statements = [StatementFactory(dialogue=dialogue, text=text) for text in TEXTS]
    for index in range(12):
        person = UserFactory()
        ParticipationFactory(
            dialogue=dialogue,
            person=person,
            region="EU" if index % 2 else "LAC",
            stakeholder_type=["public", "academia", "civil"][index % 3],
        )
        for position, statement in enumerate(statements):
            choice = [1, 1, -1, 0][(index * (position + 1)) % 4]
            VoteFactory(statement=statement, participant=person, choice=choice)
            VoteChange.objects.create(
                dialogue=dialogue, statement=statement, participant=person, choice=choice
            )
    results_refresh(dialogue=dialogue)
    return dialogue


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_visitor_reads_the_results(page, axe, live_server, results_dialogue, language):
    page.context.add_cookies(
        [{"name": "puente_language", "value": language, "url": live_server.url}]
    )
    dialogs: list[str] = []

    def dismiss(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.goto(results_dialogue.get_absolute_url())
    assert axe_violations(axe, page) == []
    link = page.locator("main a[href$='/results/']")
    link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/results-we-share/results/")
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("#freshness").is_visible()
    assert page.locator("main figure svg").count() >= 3
    assert page.locator("main table").count() >= 5
    # User text shows as text, never as markup.
    assert page.get_by_text('<script>alert("x")</script> shared cybersecurity drills').first
    assert page.locator("main img").count() == 0
    assert page.locator("main script").count() == 0
    assert axe_violations(axe, page) == []
    assert dialogs == []
    assert page.locator("#region-heading").is_visible()
