"""Dialogues for invited people only, and the pre-moderation setting."""

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework.test import APIClient

from puente.dialogues.models import Dialogue, DialogueInvitation
from puente.dialogues.permissions import (
    can_take_part,
    can_take_part_as_individual,
    is_invited,
)
from puente.dialogues.services import dialogue_create, dialogue_update, participation_set
from tests.accounts.factories import UserFactory
from tests.dialogues.factories import DialogueFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def invited_dialogue(world) -> Dialogue:
    return DialogueFactory(
        partnership=world.partnership, slug="invited-only", participation=Dialogue.Audience.INVITED
    )


def _verified(person, email):
    EmailAddress.objects.create(user=person, email=email, verified=True, primary=False)


def test_only_a_verified_invited_address_lets_a_person_take_part(world, invited_dialogue):
    guest = UserFactory(name="Gina Guest")
    DialogueInvitation.objects.create(dialogue=invited_dialogue, email="Gina@Example.org")
    assert not can_take_part(guest, invited_dialogue)
    EmailAddress.objects.create(user=guest, email="gina@example.org", verified=False)
    assert not is_invited(guest, invited_dialogue)
    EmailAddress.objects.filter(user=guest).update(verified=True)
    assert is_invited(guest, invited_dialogue)
    assert can_take_part(guest, invited_dialogue)
    assert can_take_part_as_individual(guest, invited_dialogue)


@pytest.mark.parametrize("role", ["stranger", "outsider", "member"])
def test_people_not_invited_may_not_take_part_even_for_a_member_organisation(
    world, invited_dialogue, role
):
    person = world.person(role)
    assert not can_take_part(person, invited_dialogue)
    with pytest.raises(PermissionDenied):
        participation_set(person=person, dialogue=invited_dialogue, organisation=None)


def test_an_invited_member_takes_part_for_their_organisation(world, invited_dialogue):
    member = world.person("member")
    _verified(member, "mia@eclac.example")
    DialogueInvitation.objects.create(dialogue=invited_dialogue, email="mia@eclac.example")
    participation = participation_set(
        person=member, dialogue=invited_dialogue, organisation=world.organisation
    )
    assert participation.organisation == world.organisation
    assert participation.region == "LAC"


def test_invited_people_of_a_members_only_partnership_still_need_to_see_it(world):
    dialogue = DialogueFactory(
        partnership=world.members_only, participation=Dialogue.Audience.INVITED
    )
    stranger = world.person("stranger")
    _verified(stranger, "sam@example.net")
    DialogueInvitation.objects.create(dialogue=dialogue, email="sam@example.net")
    assert not can_take_part(stranger, dialogue)


def test_pre_moderation_is_set_at_creation_and_changed_later(world):
    facilitator = world.person("facilitator")
    dialogue = dialogue_create(
        actor=facilitator,
        partnership=world.partnership,
        title="Moderated",
        framing_question="What first?",
        languages=["en"],
        pre_moderation=True,
    )
    assert Dialogue.objects.get(pk=dialogue.pk).pre_moderation is True
    dialogue_update(actor=facilitator, dialogue=dialogue, pre_moderation=False)
    assert Dialogue.objects.get(pk=dialogue.pk).pre_moderation is False


def test_the_form_sets_pre_moderation_and_the_invited_audience(world, client_as):
    client = client_as(world.person("facilitator"))
    response = client.post(
        "/partnerships/eu-lac-digital-alliance/dialogues/new/",
        {
            "title": "By invitation",
            "framing_question": "Who should connect first?",
            "languages": ["en", "pt"],
            "participation": "invited",
            "pre_moderation": "on",
        },
    )
    assert response.status_code == 302
    dialogue = Dialogue.objects.get(title="By invitation")
    assert (dialogue.participation, dialogue.pre_moderation) == ("invited", True)


def test_the_api_reads_and_writes_pre_moderation(world):
    client = APIClient()
    client.force_authenticate(world.person("facilitator"))
    response = client.post(
        "/api/v1/partnerships/eu-lac-digital-alliance/dialogues/",
        {
            "title": "API moderated",
            "framing_question": "Which first?",
            "languages": ["en"],
            "pre_moderation": True,
            "participation": "invited",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["pre_moderation"], body["participation"]) == (True, "invited")
    slug = body["slug"]
    response = client.patch(
        f"/api/v1/partnerships/eu-lac-digital-alliance/dialogues/{slug}/",
        {"pre_moderation": "maybe"},
        format="json",
    )
    assert response.status_code == 400
    assert "pre_moderation" in str(response.json())
    assert Dialogue.objects.get(slug=slug).pre_moderation is True


def test_a_bad_language_leaves_pre_moderation_as_stored(world):
    facilitator = world.person("facilitator")
    dialogue = DialogueFactory(partnership=world.partnership, pre_moderation=False)
    with pytest.raises(ValidationError):
        dialogue_update(actor=facilitator, dialogue=dialogue, pre_moderation=True, languages=["xx"])
    assert Dialogue.objects.get(pk=dialogue.pk).pre_moderation is False
