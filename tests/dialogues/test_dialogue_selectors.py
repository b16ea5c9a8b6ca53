"""Which dialogues wait for a person's votes; what the home and take-part pages show of them."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from puente.accounts.models import User
from puente.dialogues.models import Dialogue, Phase
from puente.dialogues.permissions import can_do, can_moderate
from puente.dialogues.phases import Action
from puente.dialogues.selectors import dialogue_get, dialogue_open_for_votes_list
from puente.partnerships.models import Partnership
from tests.accounts.factories import UserFactory
from tests.dialogues.factories import DialogueFactory, DialogueInvitationFactory
from tests.partnerships.factories import PartnershipFactory
from tests.stakeholders.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    person = UserFactory(email="vera@example.org")
    EmailAddress.objects.create(user=person, email="Vera@example.org", verified=True)
    organisation = OrganisationFactory()
    MembershipFactory(person=person, organisation=organisation)
    PartnershipFactory(slug="mine", organisations=[organisation])
    return person


def _titles(person):
    return {dialogue.title for dialogue, _phase in dialogue_open_for_votes_list(person=person)}


def test_dialogues_open_for_votes_are_those_the_person_may_vote_in(person):
    mine = Partnership.objects.get(slug="mine")
    other = PartnershipFactory()
    hidden = PartnershipFactory(visibility=Partnership.Visibility.MEMBERS)
    members = Dialogue.Audience.MEMBERS
    dialogues = [
        DialogueFactory(title="Members, mine", partnership=mine, participation=members),
        DialogueFactory(title="Members, other", partnership=other, participation=members),
        DialogueFactory(
            title="Anyone",
            partnership=other,
            participation=Dialogue.Audience.SIGNED_IN,
            phase=Phase.DELIBERATE,
        ),
        DialogueFactory(
            title="Hidden",
            partnership=hidden,
            participation=Dialogue.Audience.SIGNED_IN,
        ),
        DialogueFactory(
            title="Invited",
            partnership=other,
            participation=Dialogue.Audience.INVITED,
            phase=Phase.PRIORITISE,
        ),
        DialogueFactory(
            title="Not invited", partnership=other, participation=Dialogue.Audience.INVITED
        ),
        DialogueFactory(title="Closed", partnership=mine, phase=Phase.CLOSED),
        DialogueFactory(
            title="Closed by its date",
            partnership=mine,
            phase_set_at=timezone.now() - timedelta(days=2),
            closes_at=timezone.now() - timedelta(days=1),
        ),
    ]
    DialogueInvitationFactory(dialogue=dialogues[4], email="vera@EXAMPLE.org")

    found = _titles(person)

    assert found == {"Members, mine", "Anyone", "Invited"}
    # The same answer as the permission rules, dialogue by dialogue.
    assert found == {d.title for d in dialogues if can_do(person, d, Action.VOTE)}


def test_the_list_costs_a_fixed_number_of_queries(person, django_assert_max_num_queries):
    mine = Partnership.objects.get(slug="mine")
    DialogueFactory.create_batch(30, partnership=mine)

    with django_assert_max_num_queries(1):
        found = dialogue_open_for_votes_list(person=person, limit=10)

    assert len(found) == 10


def test_the_home_page_lists_dialogues_waiting_for_votes(client, person):
    dialogue = DialogueFactory(
        title="Priorities 2027", partnership=Partnership.objects.get(slug="mine")
    )
    client.force_login(person)

    response = client.get(reverse("home"))

    assert "Priorities 2027" in response.text
    assert dialogue.get_absolute_url() in response.text


def test_the_home_costs_the_same_queries_with_more_dialogues(client, person):
    mine = Partnership.objects.get(slug="mine")
    DialogueFactory(partnership=mine)
    client.force_login(person)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("home"))

    DialogueFactory.create_batch(15, partnership=mine)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("home"))

    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_take_part_page_lists_open_dialogues_only(client):
    partnership = PartnershipFactory()
    DialogueFactory(title="Open talk", partnership=partnership)
    DialogueFactory(title="Finished talk", partnership=partnership, phase=Phase.CLOSED)

    response = client.get(
        reverse("partnerships:partnership-take-part", kwargs={"slug": partnership.slug})
    )

    assert response.status_code == 200
    assert "dialogues/_partnership_take_part.html" in [t.name for t in response.templates]
    assert "Open talk" in response.text
    assert "Finished talk" not in response.text


@pytest.mark.parametrize(("role", "moderates"), [("facilitator", True), ("member", False)])
def test_reading_a_dialogue_tells_whether_the_viewer_facilitates_it(
    world, role, moderates, django_assert_num_queries
):
    person = User.objects.get(pk=world.person(role).pk)  # a fresh object: nothing known yet
    dialogue = dialogue_get(
        partnership_slug=world.dialogue.partnership.slug,
        slug=world.dialogue.slug,
        viewer=person,
        with_facilitation=True,
    )

    # Moderation is offered from what the read found: no query of its own.
    with django_assert_num_queries(0):
        assert can_moderate(person, dialogue) is moderates
