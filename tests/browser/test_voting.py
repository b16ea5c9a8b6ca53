"""A participant votes on ten statements with the keyboard alone, and compares a pair."""

from typing import Any

import pytest

from puente.accounts.models import User
from puente.dialogues.demo import DEMO_DIALOGUE
from puente.dialogues.models import (
    Comparison,
    Dialogue,
    Participation,
    Phase,
    Statement,
    Vote,
    VoteChange,
)
from puente.partnerships.demo import DEMO_PASSWORD
from tests.browser.conftest import axe_violations
from tests.browser.test_content_security_policy import RECORD_VIOLATIONS
from tests.dialogues.factories import DialogueFactory

PARTICIPANT_EMAIL = "participant@demo.puente.example"
N_STATEMENTS = 10
# The key pressed for each statement, in turn: agree, disagree, pass.
KEYS = "adpaadpdaa"
CHOICE_OF_KEY = {"a": 1, "d": -1, "p": 0}


def _log_in(tab: Any, email: str) -> None:
    tab.goto("/accounts/login/")
    tab.locator("#id_login").fill(email)
    tab.locator("#id_password").fill(DEMO_PASSWORD)
    tab.locator("main form button[type=submit]").first.click()
    tab.wait_for_load_state()


def _dialogue_with_statements() -> tuple[Dialogue, User]:
    # A dialogue of its own in the demo partnership: the demo's dialogues have statements and
    # votes already, and this journey counts from the first statement to the last.
    demo = Dialogue.objects.select_related("partnership").get(slug=DEMO_DIALOGUE["slug"])
    dialogue = DialogueFactory(
        partnership=demo.partnership,
        title="Keyboard voting",
        slug="keyboard-voting",
        participation=Dialogue.Audience.SIGNED_IN,
        phase=demo.phase,
    )
    person = User.objects.get(email=PARTICIPANT_EMAIL)
    Participation.objects.get_or_create(dialogue=dialogue, person=person)
    Statement.objects.bulk_create(
        Statement(
            dialogue=dialogue,
            text=f"Statement {number}: the Alliance should fund shared digital skills.",
            kind=Statement.Kind.PROPOSAL,
            language="en",
        )
        for number in range(1, N_STATEMENTS + 1)
    )
    return dialogue, person


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_participant_votes_on_ten_statements_by_keyboard(page, axe, live_server, language):
    dialogue, person = _dialogue_with_statements()
    # The page speaks the participant's own language (the profile wins over the cookie).
    User.objects.filter(pk=person.pk).update(preferred_language=language)
    # The script and htmx run under the Content-Security-Policy without a violation.
    page.add_init_script(RECORD_VIOLATIONS)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.context.add_cookies(
        [{"name": "puente_language", "value": language, "url": live_server.url}]
    )
    _log_in(page, PARTICIPANT_EMAIL)
    page.goto(dialogue.get_absolute_url())
    assert axe_violations(axe, page) == []

    vote_url = f"{dialogue.get_absolute_url()}vote/"
    page.locator(f"main a[href='{vote_url}']").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(vote_url)
    assert page.locator("html").get_attribute("lang") == language
    # Every vote goes through htmx: the page itself is never reloaded.
    reloads: list[str] = []
    page.on("framenavigated", lambda frame: reloads.append(frame.url))
    assert page.locator("#vote-card progress").get_attribute("value") == "0"
    assert axe_violations(axe, page) == []

    shown: list[str] = []
    for number, key in enumerate(KEYS, start=1):
        shown.append(page.locator("#vote-card-heading").inner_text())
        page.keyboard.press(key)
        # htmx swaps in the next card; its progress counts the vote just cast.
        page.wait_for_selector(f"#vote-card progress[value='{number}']")
        # The new card has the focus, so the next key press works at once.
        page.wait_for_function("() => document.activeElement.id === 'vote-card-heading'")

    # Each statement came once, and the card now says all are done.
    assert len(set(shown)) == N_STATEMENTS
    assert reloads == []
    assert page.evaluate("window.__cspViolations") == []
    assert errors == []
    assert page.locator("#vote-card button[data-shortcut]").count() == 0
    assert axe_violations(axe, page) == []
    votes = dict(
        Vote.objects.filter(participant=person, dialogue=dialogue).values_list(
            "statement__text", "choice"
        )
    )
    assert votes == {text: CHOICE_OF_KEY[key] for text, key in zip(shown, KEYS, strict=True)}
    assert VoteChange.objects.filter(participant=person).count() == N_STATEMENTS

    # Typing a shortcut letter into a field votes nothing.
    page.goto(f"{dialogue.get_absolute_url()}my-votes/")
    assert axe_violations(axe, page) == []
    page.locator("#site-search-q").focus()
    page.keyboard.press("d")
    assert VoteChange.objects.filter(participant=person).count() == N_STATEMENTS


PAIR_SHOWN = (
    "Array.from(document.querySelectorAll('#compare-card input[type=hidden][name=first], "
    "#compare-card input[type=hidden][name=second]'), input => input.value).join(',')"
)


def _pair_shown(tab: Any) -> str:
    return str(tab.evaluate(PAIR_SHOWN))


def test_a_participant_compares_a_pair_by_keyboard(page, axe, live_server):
    dialogue, person = _dialogue_with_statements()
    Dialogue.objects.filter(pk=dialogue.pk).update(phase=Phase.PRIORITISE)
    _log_in(page, PARTICIPANT_EMAIL)

    page.goto(f"{dialogue.get_absolute_url()}compare/")
    assert axe_violations(axe, page) == []
    for _answer in range(3):
        pair = _pair_shown(page)
        page.keyboard.press("1")
        # htmx swaps in the next pair: no pair comes twice.
        page.wait_for_function("previous => (" + PAIR_SHOWN + ") !== previous", arg=pair)
    assert Comparison.objects.filter(participant=person).count() == 3
    assert axe_violations(axe, page) == []
