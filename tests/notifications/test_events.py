"""Each event notifies the right people, never the person who caused it."""

from typing import Any

import pytest
from django.core import mail
from django.utils import translation

from puente.agenda.services import agenda_draft_create, agenda_publish
from puente.dialogues.models import Phase
from puente.dialogues.services import comment_create, dialogue_phase_move, statement_hide
from puente.dialogues.services.invitations import invitation_create as dialogue_invitation_create
from puente.notifications.models import Kind, Notification
from puente.notifications.selectors import notification_text
from puente.partnerships.services import (
    facilitator_invitation_create,
    partnership_create,
    partnership_member_add,
    partnership_member_remove,
)
from puente.stakeholders.models import Membership
from puente.stakeholders.services import (
    invitation_create,
    membership_approve,
    membership_decline,
    membership_request,
    organisation_verify,
)
from tests.accounts.factories import AdminFactory, UserFactory
from tests.agenda.conftest import agenda_world  # noqa: F401  # shared fixtures
from tests.dialogues.conftest import World, world  # noqa: F401  # shared fixtures
from tests.dialogues.factories import CommentFactory, ParticipationFactory, StatementFactory
from tests.partnerships.factories import PartnershipFactory
from tests.stakeholders.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _told(kind: Kind) -> set[int]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True))


def _organisation_with_admins(n_admins: int = 2) -> tuple[Any, list[Any]]:
    organisation = OrganisationFactory(name="CEPAL")
    admins = [UserFactory() for _i in range(n_admins)]
    for admin in admins:
        MembershipFactory(person=admin, organisation=organisation, role=Membership.Role.ADMIN)
    MembershipFactory(organisation=organisation)  # a plain member: not told
    MembershipFactory(organisation=organisation, status=Membership.Status.PENDING)
    gone = UserFactory(is_active=False)  # a deactivated admin: not told
    MembershipFactory(person=gone, organisation=organisation, role=Membership.Role.ADMIN)
    return organisation, admins


def test_a_request_to_join_tells_the_organisations_active_admins() -> None:
    organisation, admins = _organisation_with_admins()
    applicant = UserFactory(name="Ana Applicant")
    membership_request(person=applicant, organisation=organisation)
    assert _told(Kind.MEMBERSHIP_REQUESTED) == {admin.pk for admin in admins}
    notification = Notification.objects.filter(kind=Kind.MEMBERSHIP_REQUESTED).first()
    assert notification is not None
    assert notification_text(notification) == "Ana Applicant asks to join CEPAL."
    assert notification.url == f"/organisations/{organisation.slug}/members/"


def test_approving_and_declining_tell_the_applicant_not_the_admin() -> None:
    organisation, (admin, _other) = _organisation_with_admins()
    ana, ben = UserFactory(), UserFactory()
    approved = membership_request(person=ana, organisation=organisation)
    declined = membership_request(person=ben, organisation=organisation)
    membership_approve(actor=admin, membership=approved)
    membership_decline(actor=admin, membership=declined)
    assert _told(Kind.MEMBERSHIP_DECIDED) == {ana.pk, ben.pk}
    texts = {
        n.recipient_id: notification_text(n)
        for n in Notification.objects.filter(kind=Kind.MEMBERSHIP_DECIDED)
    }
    assert texts == {
        ana.pk: "Your request to join CEPAL was approved.",
        ben.pk: "Your request to join CEPAL was declined.",
    }


def test_verifying_tells_the_admins_only_when_it_becomes_verified() -> None:
    organisation, admins = _organisation_with_admins()
    platform_admin = AdminFactory()
    organisation_verify(actor=platform_admin, organisation=organisation, is_verified=True)
    organisation_verify(actor=platform_admin, organisation=organisation, is_verified=True)
    organisation_verify(actor=platform_admin, organisation=organisation, is_verified=False)
    assert Notification.objects.filter(kind=Kind.ORGANISATION_VERIFIED).count() == len(admins)


def test_invitations_notify_an_existing_account_without_a_second_mail(
    world: World,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    organisation, (admin, _other) = _organisation_with_admins()
    known = UserFactory(email="known@example.org")
    facilitator = world.person("facilitator")
    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(actor=admin, organisation=organisation, email="Known@example.org")
        invitation_create(actor=admin, organisation=organisation, email="nobody@example.org")
        facilitator_invitation_create(
            actor=facilitator, partnership=world.partnership, email="known@example.org"
        )
        dialogue_invitation_create(
            actor=facilitator, dialogue=world.dialogue, email="known@example.org"
        )
    assert (
        list(
            Notification.objects.filter(kind=Kind.INVITATION).values_list("recipient_id", flat=True)
        )
        == [known.pk] * 3
    )
    # The invitation mails only: the notifications do not mail the same news again.
    assert sorted(message.to[0] for message in mail.outbox) == [
        "known@example.org",
        "known@example.org",
        "known@example.org",
        "nobody@example.org",
    ]


def test_adding_and_removing_an_organisation_tells_its_admins() -> None:
    organisation, admins = _organisation_with_admins()
    facilitator = UserFactory()
    partnership = PartnershipFactory(title="EU-LAC Digital Alliance", facilitators=[facilitator])
    partnership_member_add(actor=facilitator, partnership=partnership, organisation=organisation)
    partnership_member_remove(actor=facilitator, partnership=partnership, organisation=organisation)
    rows = Notification.objects.filter(kind=Kind.ORGANISATION_PARTNERSHIP)
    assert {n.recipient_id for n in rows} == {admin.pk for admin in admins}
    assert {notification_text(n) for n in rows} == {
        "CEPAL was added to the partnership EU-LAC Digital Alliance.",
        "CEPAL was removed from the partnership EU-LAC Digital Alliance.",
    }


def test_a_new_partnership_tells_the_admins_of_its_first_members() -> None:
    organisation, admins = _organisation_with_admins()
    partnership_create(actor=AdminFactory(), title="BELLA Alliance", organisations=[organisation])
    assert _told(Kind.ORGANISATION_PARTNERSHIP) == {admin.pk for admin in admins}


def test_a_phase_change_tells_the_participants_not_the_facilitator(
    world: World,  # noqa: F811
) -> None:
    facilitator = world.person("facilitator")
    participants = [ParticipationFactory(dialogue=world.dialogue).person for _i in range(3)]
    ParticipationFactory(dialogue=world.dialogue, person=facilitator)
    ParticipationFactory(dialogue=world.open_dialogue)  # another dialogue's: not told
    dialogue_phase_move(actor=facilitator, dialogue=world.dialogue, phase=Phase.DELIBERATE)
    assert _told(Kind.DIALOGUE_PHASE) == {person.pk for person in participants}
    # The same phase again is no change.
    dialogue_phase_move(actor=facilitator, dialogue=world.dialogue, phase=Phase.DELIBERATE)
    assert Notification.objects.filter(kind=Kind.DIALOGUE_PHASE).count() == 3


def test_a_comment_tells_the_statements_author_and_a_reply_the_comments_author(
    world: World,  # noqa: F811
) -> None:
    member = world.person("member")
    statement = StatementFactory(dialogue=world.dialogue)
    comment = CommentFactory(statement=statement)
    comment_create(author=member, statement=statement, text="I agree.", language="en")
    comment_create(author=member, statement=statement, text="Why?", language="en", parent=comment)
    assert _told(Kind.REPLY) == {statement.author.pk, comment.author.pk}
    # Replying to your own statement tells nobody.
    own = StatementFactory(dialogue=world.dialogue, author=member)
    comment_create(author=member, statement=own, text="More.", language="en")
    assert Notification.objects.filter(kind=Kind.REPLY).count() == 2


def test_hiding_a_statement_tells_its_author_with_the_reason(
    world: World,  # noqa: F811
) -> None:
    statement = StatementFactory(dialogue=world.dialogue)
    statement_hide(actor=world.person("facilitator"), statement=statement, reason="Off topic")
    (notification,) = Notification.objects.filter(kind=Kind.STATEMENT_MODERATED)
    assert notification.recipient_id == statement.author.pk
    assert "Off topic" in notification_text(notification)


def test_publishing_an_agenda_tells_the_people_and_asks_the_admins_to_endorse(
    agenda_world: Any,  # noqa: F811
) -> None:
    facilitator = agenda_world.person("facilitator")
    member = agenda_world.person("member")
    participant = ParticipationFactory(dialogue=agenda_world.dialogue).person
    draft = agenda_draft_create(actor=facilitator, dialogue=agenda_world.dialogue, n_items=3)
    agenda_publish(actor=facilitator, version=draft)

    assert {member.pk, participant.pk} <= _told(Kind.AGENDA_PUBLISHED)
    assert agenda_world.org_admin.pk not in _told(Kind.AGENDA_PUBLISHED)
    assert agenda_world.person("outsider").pk not in _told(Kind.AGENDA_PUBLISHED)
    assert facilitator.pk not in _told(Kind.AGENDA_PUBLISHED)
    assert _told(Kind.ENDORSEMENT_REQUEST) == {agenda_world.org_admin.pk}


def test_an_event_mails_in_the_recipients_language_whatever_the_actors(
    django_capture_on_commit_callbacks: Any,
) -> None:
    organisation, _admins = _organisation_with_admins(n_admins=0)
    admin = UserFactory(preferred_language="pt-br")
    MembershipFactory(person=admin, organisation=organisation, role=Membership.Role.ADMIN)
    applicant = UserFactory(name="Ana", preferred_language="fr")
    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        membership_request(person=applicant, organisation=organisation)
    (message,) = mail.outbox
    assert message.to == [admin.email]
    (notification,) = Notification.objects.filter(recipient=admin)
    with translation.override("pt-br"):
        expected = notification_text(notification)
    assert expected != "Ana asks to join CEPAL."
    assert expected in message.body
