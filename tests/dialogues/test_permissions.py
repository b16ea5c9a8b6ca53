"""Who may do what in which phase: one role x action x phase table, asked of the predicates,
the API and the pages."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from rest_framework.test import APIClient

from puente.dialogues.models import Dialogue, Participation, Phase
from puente.dialogues.permissions import (
    can_create_dialogue,
    can_do,
    can_edit_dialogue,
    can_move_phase,
    can_take_part,
    can_view_dialogue,
)
from puente.dialogues.phases import Action
from tests.dialogues.conftest import ROLES, World
from tests.stakeholders.factories import MembershipFactory

ALL = frozenset(ROLES)
SIGNED_IN = ALL - {"visitor"}
MANAGERS = frozenset({"facilitator", "admin"})

# Written out, not read from PHASE_ALLOWS: this is the specification the table must meet.
PHASE_OPENS: dict[Phase, frozenset[Action]] = {
    Phase.CONTRIBUTE: frozenset({Action.CONTRIBUTE, Action.COMMENT, Action.VOTE}),
    Phase.DELIBERATE: frozenset({Action.COMMENT, Action.VOTE, Action.SEE_RESULTS}),
    Phase.PRIORITISE: frozenset(
        {Action.VOTE, Action.COMPARE, Action.SEE_RESULTS, Action.DRAFT_AGENDA}
    ),
    Phase.CLOSED: frozenset({Action.SEE_RESULTS, Action.DRAFT_AGENDA}),
}


def _actors(audience: str) -> dict[Action, frozenset[str]]:
    """Return, for a dialogue open to the audience, the roles that may do each action."""
    taking_part = frozenset({"member"}) if audience == "members" else SIGNED_IN
    return {
        Action.CONTRIBUTE: taking_part,
        Action.COMMENT: taking_part,
        Action.VOTE: taking_part,
        Action.COMPARE: taking_part,
        Action.SEE_RESULTS: ALL,
        Action.DRAFT_AGENDA: MANAGERS,
    }


def _expected(audience: str, role: str, phase: Phase) -> set[Action]:
    actors = _actors(audience)
    return {action for action in PHASE_OPENS[phase] if role in actors[action]}


def _viewer(world: World, role: str):
    return world.person(role) or AnonymousUser()


def _dialogue(world: World, audience: str, phase: Phase) -> Dialogue:
    dialogue = world.dialogue if audience == "members" else world.open_dialogue
    Dialogue.objects.filter(pk=dialogue.pk).update(phase=phase)
    dialogue.refresh_from_db()
    return dialogue


AUDIENCES = ["members", "signed_in"]


@pytest.mark.django_db
@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("phase", list(Phase))
@pytest.mark.parametrize("role", ROLES)
def test_can_do_allows_exactly_the_table(world, role, phase, audience):
    dialogue = _dialogue(world, audience, phase)
    allowed = {action for action in Action if can_do(_viewer(world, role), dialogue, action)}
    assert allowed == _expected(audience, role, phase)


@pytest.mark.django_db
@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("phase", list(Phase))
@pytest.mark.parametrize("role", ROLES)
def test_the_api_reports_exactly_the_table(world, role, phase, audience):
    dialogue = _dialogue(world, audience, phase)
    client = APIClient()
    if world.person(role) is not None:
        client.force_authenticate(world.person(role))
    url = reverse(
        "api:dialogue-detail",
        kwargs={"slug": dialogue.partnership.slug, "dialogue_slug": dialogue.slug},
    )
    response = client.get(url)
    assert response.status_code == 200
    assert response.json()["phase"] == phase
    assert set(response.json()["allowed_actions"]) == _expected(audience, role, phase)


# role -> what each predicate answers about world.dialogue (members only) and its partnership
ALLOWED = {
    "view": ALL,
    "view members-only": frozenset({"member", "facilitator", "admin"}),
    "create": MANAGERS,
    "edit": MANAGERS,
    "move phase": MANAGERS,
    "take part (members)": frozenset({"member"}),
    "take part (signed in)": SIGNED_IN,
}

PREDICATES = {
    "view": lambda world, user: can_view_dialogue(user, world.dialogue),
    "view members-only": lambda world, user: can_view_dialogue(user, world.hidden_dialogue),
    "create": lambda world, user: can_create_dialogue(user, world.partnership),
    "edit": lambda world, user: can_edit_dialogue(user, world.dialogue),
    "move phase": lambda world, user: can_move_phase(user, world.dialogue),
    "take part (members)": lambda world, user: can_take_part(user, world.dialogue),
    "take part (signed in)": lambda world, user: can_take_part(user, world.open_dialogue),
}


@pytest.mark.django_db
@pytest.mark.parametrize("action", sorted(PREDICATES))
@pytest.mark.parametrize("role", ROLES)
def test_predicate_allows_exactly_the_roles_in_the_table(world, role, action):
    assert PREDICATES[action](world, _viewer(world, role)) is (role in ALLOWED[action])


@pytest.mark.django_db
def test_an_inactive_account_may_do_nothing(world):
    member = world.person("member")
    member.is_active = False
    member.save()
    assert not can_take_part(member, world.dialogue)
    assert not can_do(member, world.dialogue, Action.VOTE)


@pytest.mark.django_db
def test_a_pending_membership_does_not_let_a_person_take_part(world):
    pending = MembershipFactory(organisation=world.organisation, status="pending").person
    assert not can_take_part(pending, world.dialogue)


# The same table, enforced by the pages: status code and what changed in the database.


def _page(name: str, dialogue: Dialogue) -> str:
    return reverse(
        f"dialogues:{name}",
        kwargs={"partnership_slug": dialogue.partnership.slug, "slug": dialogue.slug},
    )


def _expected_status(role: str, allowed: frozenset[str]) -> set[int]:
    if role in allowed:
        return {200, 302}
    return {302} if role == "visitor" else {403}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_the_pages_let_exactly_the_managers_edit_and_move_the_phase(world, client_as, role):
    client = client_as(world.person(role))
    for name in ("dialogue-edit", "dialogue-phase-move"):
        response = client.get(_page(name, world.dialogue))
        assert response.status_code in _expected_status(role, MANAGERS), name
        if role == "visitor":
            assert response.url.startswith(reverse("account_login"))
    response = client.post(_page("dialogue-phase-move", world.dialogue), {"phase": "closed"})
    world.dialogue.refresh_from_db()
    assert (world.dialogue.phase == Phase.CLOSED) is (role in MANAGERS)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_the_create_page_lets_exactly_the_managers_open_a_dialogue(world, client_as, role):
    url = reverse("dialogues:dialogue-create", kwargs={"partnership_slug": world.partnership.slug})
    response = client_as(world.person(role)).post(
        url,
        {
            "title": "New one",
            "framing_question": "Why?",
            "languages": ["en"],
            "participation": "members",
        },
    )
    assert response.status_code in _expected_status(role, MANAGERS)
    assert Dialogue.objects.filter(title="New one").exists() is (role in MANAGERS)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_the_page_lets_exactly_the_members_take_part(world, client_as, role):
    person = world.person(role)
    response = client_as(person).post(
        _page("participation-set", world.dialogue), {"take_part_as": str(world.organisation.pk)}
    )
    assert response.status_code in _expected_status(role, frozenset({"member"}))
    assert Participation.objects.filter(dialogue=world.dialogue).exists() is (role == "member")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_members_only_dialogues_are_invisible_to_outsiders(world, client_as, role):
    response = client_as(world.person(role)).get(_page("dialogue-detail", world.hidden_dialogue))
    assert response.status_code == (200 if role in ALLOWED["view members-only"] else 404)
