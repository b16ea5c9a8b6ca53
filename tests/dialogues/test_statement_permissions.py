"""Who may add, comment on, flag, see, edit and moderate statements: role x action x phase."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from puente.dialogues.models import Comment, Dialogue, Flag, Phase, Statement
from puente.dialogues.permissions import (
    can_add_statement,
    can_comment,
    can_edit_statement,
    can_flag,
    can_manage_invitations,
    can_moderate,
    can_seed,
    can_view_statement,
)
from tests.dialogues.conftest import ROLES, World
from tests.dialogues.factories import CommentFactory, StatementFactory, VoteFactory

pytestmark = pytest.mark.django_db

ALL = frozenset(ROLES)
MEMBER = frozenset({"member"})
MANAGERS = frozenset({"facilitator", "admin"})
NOBODY: frozenset[str] = frozenset()
OPEN_PHASES = frozenset({Phase.CONTRIBUTE, Phase.DELIBERATE, Phase.PRIORITISE})

# Written out as the specification: action -> phase -> the roles allowed in world.dialogue
# (open to the members of the partnership's organisations, "member" wrote the statement).
TABLE: dict[str, dict[Phase, frozenset[str]]] = {
    "moderate": dict.fromkeys(Phase, MANAGERS),
    "seed": {phase: MANAGERS if phase in OPEN_PHASES else NOBODY for phase in Phase},
    "add statement": {phase: MEMBER if phase == Phase.CONTRIBUTE else NOBODY for phase in Phase},
    "comment": {
        phase: MEMBER if phase in {Phase.CONTRIBUTE, Phase.DELIBERATE} else NOBODY
        for phase in Phase
    },
    "flag": {phase: MEMBER if phase in OPEN_PHASES else NOBODY for phase in Phase},
    "manage invitations": dict.fromkeys(Phase, MANAGERS),
    "view published": dict.fromkeys(Phase, ALL),
    "view pending": dict.fromkeys(Phase, MEMBER | MANAGERS),
    "view hidden": dict.fromkeys(Phase, MEMBER | MANAGERS),
    "view merged": dict.fromkeys(Phase, MEMBER | MANAGERS),
    "edit pending": {
        phase: MANAGERS | (MEMBER if phase == Phase.CONTRIBUTE else NOBODY) for phase in Phase
    },
    "edit published without votes": {
        phase: MANAGERS | (MEMBER if phase == Phase.CONTRIBUTE else NOBODY) for phase in Phase
    },
    "edit published with votes": dict.fromkeys(Phase, MANAGERS),
    "edit hidden": dict.fromkeys(Phase, MANAGERS),
}


def _statement(world: World, status: str, *, voted: bool = False) -> Statement:
    survivor = None
    if status == Statement.Status.MERGED:
        survivor = StatementFactory(dialogue=world.dialogue)
    statement = StatementFactory(
        dialogue=world.dialogue,
        author=world.person("member"),
        status=status,
        merged_into=survivor,
    )
    if voted:
        VoteFactory(statement=statement)
    return statement


PREDICATES = {
    "moderate": lambda world, user: can_moderate(user, world.dialogue),
    "seed": lambda world, user: can_seed(user, world.dialogue),
    "add statement": lambda world, user: can_add_statement(user, world.dialogue),
    "comment": lambda world, user: can_comment(user, world.dialogue),
    "flag": lambda world, user: can_flag(user, world.dialogue),
    "manage invitations": lambda world, user: can_manage_invitations(user, world.dialogue),
    "view published": lambda world, user: can_view_statement(user, _statement(world, "published")),
    "view pending": lambda world, user: can_view_statement(user, _statement(world, "pending")),
    "view hidden": lambda world, user: can_view_statement(user, _statement(world, "hidden")),
    "view merged": lambda world, user: can_view_statement(user, _statement(world, "merged")),
    "edit pending": lambda world, user: can_edit_statement(user, _statement(world, "pending")),
    "edit published without votes": lambda world, user: can_edit_statement(
        user, _statement(world, "published")
    ),
    "edit published with votes": lambda world, user: can_edit_statement(
        user, _statement(world, "published", voted=True)
    ),
    "edit hidden": lambda world, user: can_edit_statement(user, _statement(world, "hidden")),
}


def _in_phase(world: World, phase: Phase) -> None:
    Dialogue.objects.filter(pk=world.dialogue.pk).update(phase=phase)
    world.dialogue.refresh_from_db()


@pytest.mark.parametrize("action", sorted(TABLE))
@pytest.mark.parametrize("phase", list(Phase))
@pytest.mark.parametrize("role", ROLES)
def test_statement_predicates_allow_exactly_the_table(world, role, phase, action):
    _in_phase(world, phase)
    user = world.person(role) or AnonymousUser()
    assert PREDICATES[action](world, user) is (role in TABLE[action][phase])


@pytest.mark.parametrize("role", ROLES)
def test_nobody_outside_a_members_only_partnership_sees_its_statements(world, role):
    statement = StatementFactory(dialogue=world.hidden_dialogue)
    user = world.person(role) or AnonymousUser()
    assert can_view_statement(user, statement) is (role in {"member", "facilitator", "admin"})


def test_another_participant_may_not_edit_a_statement_they_did_not_write(world):
    statement = StatementFactory(dialogue=world.dialogue, status="pending")
    assert not can_edit_statement(world.person("member"), statement)


# The same table, enforced by the pages: status code and what changed in the database.


def _page(name: str, dialogue: Dialogue, **kwargs: object) -> str:
    return reverse(
        f"dialogues:{name}",
        kwargs={"partnership_slug": dialogue.partnership.slug, "slug": dialogue.slug, **kwargs},
    )


def _expected_status(role: str, allowed: bool) -> set[int]:
    if allowed:
        return {200, 302}
    return {302} if role == "visitor" else {403}


@pytest.mark.parametrize("phase", list(Phase))
@pytest.mark.parametrize("role", ROLES)
def test_the_add_page_opens_for_exactly_who_may_add_or_seed(world, client_as, role, phase):
    _in_phase(world, phase)
    allowed = role in TABLE["add statement"][phase] | TABLE["seed"][phase]
    response = client_as(world.person(role)).get(_page("statement-create", world.dialogue))
    assert response.status_code in _expected_status(role, allowed)


@pytest.mark.parametrize("phase", list(Phase))
@pytest.mark.parametrize("role", ROLES)
def test_the_comment_page_takes_comments_from_exactly_the_table(world, client_as, role, phase):
    statement = StatementFactory(dialogue=world.dialogue)
    _in_phase(world, phase)
    allowed = role in TABLE["comment"][phase]
    response = client_as(world.person(role)).post(
        _page("comment-create", world.dialogue, pk=statement.pk), {"text": "Agreed"}
    )
    assert response.status_code in _expected_status(role, allowed)
    assert Comment.objects.exists() is allowed


@pytest.mark.parametrize("phase", list(Phase))
@pytest.mark.parametrize("role", ROLES)
def test_the_flag_page_takes_flags_from_exactly_the_table(world, client_as, role, phase):
    statement = StatementFactory(dialogue=world.dialogue)
    _in_phase(world, phase)
    allowed = role in TABLE["flag"][phase]
    response = client_as(world.person(role)).post(
        _page("statement-flag", world.dialogue, pk=statement.pk), {"reason": "spam"}
    )
    assert response.status_code in _expected_status(role, allowed)
    assert Flag.objects.exists() is allowed


@pytest.mark.parametrize("role", ROLES)
def test_the_moderation_pages_open_for_exactly_the_moderators(world, client_as, role):
    statement = StatementFactory(dialogue=world.dialogue)
    hidden = CommentFactory(statement=statement, is_hidden=True, moderation_reason="Rude")
    allowed = role in TABLE["moderate"][Phase.CONTRIBUTE]
    client = client_as(world.person(role))
    for name, kwargs in (
        ("moderation-queue", {}),
        ("statement-hide", {"pk": statement.pk}),
        ("statement-merge", {"pk": statement.pk}),
        ("comment-restore", {"pk": hidden.pk}),
        ("invitation-list", {}),
    ):
        response = client.get(_page(name, world.dialogue, **kwargs))
        assert response.status_code in _expected_status(role, allowed), name
