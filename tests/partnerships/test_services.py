import threading
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction

from puente.accounts.services import personal_data_export
from puente.notifications.models import Kind, Notification
from puente.partnerships.models import (
    FacilitatorInvitation,
    Partnership,
    PartnershipJoinRequest,
    PartnershipMember,
)
from puente.partnerships.services import (
    account_deletion_check,
    facilitator_invitation_accept,
    facilitator_invitation_create,
    facilitator_invitation_decline,
    facilitator_invitation_revoke,
    join_request_approve,
    join_request_create,
    join_request_decline,
    join_request_withdraw,
    partnership_create,
    partnership_facilitator_remove,
    partnership_member_add,
    partnership_member_remove,
    partnership_update,
    partnerships_left_without_facilitator,
)
from puente.stakeholders.models import Membership
from tests.accounts.factories import AdminFactory, UserFactory
from tests.core.name_cases import COPIES, INVISIBLE, ORIGINAL
from tests.partnerships.conftest import make_join_world
from tests.partnerships.factories import FacilitatorInvitationFactory, PartnershipFactory
from tests.stakeholders.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _fields(error):
    return set(error.value.message_dict)


class TestPartnershipCreate:
    def test_admin_opens_a_partnership_with_members_and_facilitators(self):
        admin = AdminFactory()
        facilitator = UserFactory()
        organisations = OrganisationFactory.create_batch(2)

        partnership = partnership_create(
            actor=admin,
            title="  EU-LAC Digital Alliance ",
            description="Launched in March 2023.",
            regions=["EU", "LAC", "EU"],
            visibility=Partnership.Visibility.MEMBERS,
            organisations=[*organisations, organisations[0]],
            facilitators=[facilitator],
        )

        partnership.refresh_from_db()
        assert partnership.title == "EU-LAC Digital Alliance"
        assert partnership.slug == "eu-lac-digital-alliance"
        assert partnership.regions == ["EU", "LAC"]
        assert partnership.visibility == Partnership.Visibility.MEMBERS
        assert partnership.created_by == admin
        assert set(partnership.organisations.all()) == set(organisations)
        assert list(partnership.facilitators.all()) == [facilitator]

    def test_a_title_that_slugifies_to_new_gets_another_slug(self):
        partnership = partnership_create(actor=AdminFactory(), title="New")

        assert partnership.slug != "new"
        assert partnership.slug.startswith("new-")

    @pytest.mark.parametrize("is_staff", [False, True])
    def test_people_who_are_not_platform_admins_may_not_open_one(self, is_staff):
        person = UserFactory(is_staff=is_staff)

        with pytest.raises(PermissionDenied):
            partnership_create(actor=person, title="Not allowed")

        assert not Partnership.objects.exists()

    @pytest.mark.parametrize(
        ("kwargs", "field"),
        [
            ({"regions": ["EU", "ATLANTIS"]}, "regions"),
            ({"regions": "EU"}, "regions"),
            ({"regions": [1, 2]}, "regions"),
            ({"title": "   "}, "title"),
            ({"title": "x" * 201}, "title"),
            ({"visibility": "secret"}, "visibility"),
        ],
    )
    def test_bad_input_names_the_field_and_writes_nothing(self, kwargs, field):
        organisation = OrganisationFactory()
        arguments = {"title": "BELLA", "organisations": [organisation], **kwargs}

        with pytest.raises(ValidationError) as error:
            partnership_create(actor=AdminFactory(), **arguments)

        assert field in _fields(error)
        assert not Partnership.objects.exists()
        assert not PartnershipMember.objects.exists()

    def test_a_taken_title_is_refused_and_nothing_is_written(self):
        PartnershipFactory(title="BELLA")

        with pytest.raises(ValidationError) as error:
            partnership_create(
                actor=AdminFactory(), title="BELLA", organisations=[OrganisationFactory()]
            )

        assert "title" in _fields(error)
        assert Partnership.objects.count() == 1
        assert not PartnershipMember.objects.exists()


class TestPartnershipUpdate:
    def test_facilitator_changes_title_description_regions_and_visibility(self):
        facilitator = UserFactory()
        partnership = PartnershipFactory(facilitators=[facilitator], slug="old-slug")

        partnership_update(
            actor=facilitator,
            partnership=partnership,
            title=" Copernicus LAC ",
            description="Centres in Panama and Chile.",
            regions=["LAC"],
            visibility=Partnership.Visibility.MEMBERS,
        )

        partnership.refresh_from_db()
        assert partnership.title == "Copernicus LAC"
        assert partnership.description == "Centres in Panama and Chile."
        assert partnership.regions == ["LAC"]
        assert partnership.visibility == Partnership.Visibility.MEMBERS
        assert partnership.slug == "old-slug"

    def test_platform_admin_may_edit_without_facilitating(self):
        partnership = PartnershipFactory()

        partnership_update(actor=AdminFactory(), partnership=partnership, description="New.")

        partnership.refresh_from_db()
        assert partnership.description == "New."

    def test_a_stranger_may_not_edit(self):
        partnership = PartnershipFactory(description="Before.")

        with pytest.raises(PermissionDenied):
            partnership_update(actor=UserFactory(), partnership=partnership, description="After.")

        partnership.refresh_from_db()
        assert partnership.description == "Before."

    @pytest.mark.parametrize(
        ("fields", "field"),
        [
            ({"regions": ["EU", "MARS"]}, "regions"),
            ({"regions": None}, "regions"),
            ({"title": ""}, "title"),
            ({"visibility": "hidden"}, "visibility"),
        ],
    )
    def test_bad_input_names_the_field_and_leaves_the_partnership_unchanged(self, fields, field):
        facilitator = UserFactory()
        partnership = PartnershipFactory(
            title="BELLA", description="Before.", facilitators=[facilitator]
        )

        with pytest.raises(ValidationError) as error:
            partnership_update(
                actor=facilitator, partnership=partnership, description="After.", **fields
            )

        assert field in _fields(error)
        assert partnership.description == "Before."
        assert partnership.title == "BELLA"
        partnership.refresh_from_db()
        assert partnership.description == "Before."

    @pytest.mark.parametrize("field", ["slug", "created_by"])
    def test_takes_no_argument_outside_the_settings(self, field):
        facilitator = UserFactory()
        partnership = PartnershipFactory(facilitators=[facilitator])

        outside: dict[str, Any] = {field: None}
        with pytest.raises(TypeError, match=field):
            partnership_update(actor=facilitator, partnership=partnership, **outside)

    def test_a_title_taken_by_another_partnership_is_refused(self):
        facilitator = UserFactory()
        PartnershipFactory(title="Taken")
        partnership = PartnershipFactory(title="Mine", facilitators=[facilitator])

        with pytest.raises(ValidationError) as error:
            partnership_update(actor=facilitator, partnership=partnership, title="Taken")

        assert "title" in _fields(error)
        partnership.refresh_from_db()
        assert partnership.title == "Mine"


class TestMemberAddAndRemove:
    def test_facilitator_adds_then_removes_an_organisation(self):
        facilitator = UserFactory()
        partnership = PartnershipFactory(facilitators=[facilitator])
        organisation = OrganisationFactory()

        member = partnership_member_add(
            actor=facilitator, partnership=partnership, organisation=organisation
        )
        assert member.organisation == organisation
        assert list(partnership.organisations.all()) == [organisation]

        partnership_member_remove(
            actor=facilitator, partnership=partnership, organisation=organisation
        )
        assert not partnership.organisations.exists()

    def test_an_organisation_cannot_join_twice(self):
        facilitator = UserFactory()
        organisation = OrganisationFactory()
        partnership = PartnershipFactory(facilitators=[facilitator], organisations=[organisation])

        with pytest.raises(ValidationError) as error:
            partnership_member_add(
                actor=facilitator, partnership=partnership, organisation=organisation
            )

        assert _fields(error) == {"organisation"}
        assert PartnershipMember.objects.count() == 1

    def test_removing_an_organisation_that_is_not_a_member_is_refused(self):
        facilitator = UserFactory()
        partnership = PartnershipFactory(facilitators=[facilitator])

        with pytest.raises(ValidationError) as error:
            partnership_member_remove(
                actor=facilitator, partnership=partnership, organisation=OrganisationFactory()
            )

        assert _fields(error) == {"organisation"}

    def test_facilitator_of_another_partnership_may_not_add_or_remove(self):
        outsider = UserFactory()
        PartnershipFactory(facilitators=[outsider])
        organisation = OrganisationFactory()
        partnership = PartnershipFactory(organisations=[organisation])

        with pytest.raises(PermissionDenied):
            partnership_member_add(
                actor=outsider, partnership=partnership, organisation=OrganisationFactory()
            )
        with pytest.raises(PermissionDenied):
            partnership_member_remove(
                actor=outsider, partnership=partnership, organisation=organisation
            )

        assert list(partnership.organisations.all()) == [organisation]


class TestFacilitatorInvitations:
    def test_a_facilitator_invites_by_e_mail_and_the_message_leaves_on_commit(
        self, mailoutbox, django_capture_on_commit_callbacks
    ):
        facilitator = UserFactory(name="Fiona")
        partnership = PartnershipFactory(title="Copernicus LAC", facilitators=[facilitator])

        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            invitation = facilitator_invitation_create(
                actor=facilitator,
                partnership=partnership,
                email=" Ana@Example.org ",
                base_url="https://puente.example",
            )
        assert mailoutbox == []
        for callback in callbacks:
            callback()

        assert invitation.email == "ana@example.org"
        assert invitation.invited_by == facilitator
        [message] = mailoutbox
        assert message.to == ["ana@example.org"]
        assert "Copernicus LAC" in message.subject
        assert f"https://puente.example/partnerships/invitations/{invitation.token}/" in (
            message.body
        )
        assert list(partnership.facilitators.all()) == [facilitator]

    @pytest.mark.parametrize("address", ["taken@example.org", "free@example.org"])
    def test_the_invitation_is_the_same_whether_or_not_an_account_exists(self, address):
        facilitator = UserFactory()
        UserFactory(email="taken@example.org")
        partnership = PartnershipFactory(facilitators=[facilitator])

        invitation = facilitator_invitation_create(
            actor=facilitator, partnership=partnership, email=address
        )

        assert invitation.is_open

    def test_one_open_invitation_per_address(self):
        facilitator = UserFactory()
        partnership = PartnershipFactory(facilitators=[facilitator])
        facilitator_invitation_create(
            actor=facilitator, partnership=partnership, email="ana@example.org"
        )

        with pytest.raises(ValidationError) as error:
            facilitator_invitation_create(
                actor=facilitator, partnership=partnership, email="ANA@example.org"
            )

        assert _fields(error) == {"email"}
        assert partnership.facilitator_invitations.count() == 1

    def test_the_database_keeps_one_open_invitation_per_address(self):
        partnership = PartnershipFactory()
        FacilitatorInvitationFactory(partnership=partnership, email="ana@example.org")

        with pytest.raises(IntegrityError), transaction.atomic():
            FacilitatorInvitationFactory(partnership=partnership, email="ana@example.org")

    def test_a_declined_invitation_may_be_sent_again(self):
        facilitator, person = UserFactory(), UserFactory(email="ana@example.org")
        partnership = PartnershipFactory(facilitators=[facilitator])
        first = facilitator_invitation_create(
            actor=facilitator, partnership=partnership, email="ana@example.org"
        )
        facilitator_invitation_decline(person=person, invitation=first)

        again = facilitator_invitation_create(
            actor=facilitator, partnership=partnership, email="ana@example.org"
        )

        assert again.is_open

    def test_a_bad_address_is_refused(self):
        facilitator = UserFactory()
        partnership = PartnershipFactory(facilitators=[facilitator])

        with pytest.raises(ValidationError) as error:
            facilitator_invitation_create(
                actor=facilitator, partnership=partnership, email="not an address"
            )

        assert _fields(error) == {"email"}

    def test_accepting_makes_the_person_a_facilitator_once(self):
        facilitator, person = UserFactory(), UserFactory(email="ana@example.org")
        partnership = PartnershipFactory(facilitators=[facilitator])
        invitation = FacilitatorInvitationFactory(partnership=partnership, email="Ana@example.org")

        assert facilitator_invitation_accept(person=person, invitation=invitation) == partnership

        assert set(partnership.facilitators.all()) == {facilitator, person}
        invitation.refresh_from_db()
        assert invitation.accepted_at is not None
        with pytest.raises(ValidationError) as error:
            facilitator_invitation_accept(person=person, invitation=invitation)
        assert _fields(error) == {"invitation"}

    def test_someone_already_facilitating_may_accept_without_a_trace(self):
        facilitator = UserFactory(email="fiona@example.org")
        partnership = PartnershipFactory(facilitators=[facilitator])
        invitation = FacilitatorInvitationFactory(
            partnership=partnership, email="fiona@example.org"
        )

        facilitator_invitation_accept(person=facilitator, invitation=invitation)

        assert list(partnership.facilitators.all()) == [facilitator]

    @pytest.mark.parametrize("answer", ["accept", "decline"])
    def test_only_the_addressee_answers(self, answer):
        partnership = PartnershipFactory(facilitators=[UserFactory()])
        invitation = FacilitatorInvitationFactory(partnership=partnership, email="ana@example.org")
        service = (
            facilitator_invitation_accept if answer == "accept" else facilitator_invitation_decline
        )

        with pytest.raises(PermissionDenied):
            service(person=UserFactory(email="eve@example.org"), invitation=invitation)

        invitation.refresh_from_db()
        assert invitation.is_open
        assert partnership.facilitators.count() == 1

    def test_a_declined_invitation_cannot_be_accepted(self):
        person = UserFactory(email="ana@example.org")
        invitation = FacilitatorInvitationFactory(email="ana@example.org")
        facilitator_invitation_decline(person=person, invitation=invitation)

        with pytest.raises(ValidationError):
            facilitator_invitation_accept(person=person, invitation=invitation)

        assert not invitation.partnership.facilitators.exists()

    def test_a_withdrawn_invitation_cannot_be_accepted(self):
        facilitator, person = UserFactory(), UserFactory(email="ana@example.org")
        partnership = PartnershipFactory(facilitators=[facilitator])
        invitation = FacilitatorInvitationFactory(partnership=partnership, email="ana@example.org")

        facilitator_invitation_revoke(actor=facilitator, invitation=invitation)

        assert not FacilitatorInvitation.objects.filter(pk=invitation.pk).exists()
        with pytest.raises(ValidationError):
            facilitator_invitation_accept(person=person, invitation=invitation)
        assert list(partnership.facilitators.all()) == [facilitator]

    def test_an_answered_invitation_cannot_be_withdrawn(self):
        facilitator, person = UserFactory(), UserFactory(email="ana@example.org")
        partnership = PartnershipFactory(facilitators=[facilitator])
        invitation = FacilitatorInvitationFactory(partnership=partnership, email="ana@example.org")
        facilitator_invitation_accept(person=person, invitation=invitation)

        with pytest.raises(ValidationError):
            facilitator_invitation_revoke(actor=facilitator, invitation=invitation)

    def test_a_removed_colleague_stops_facilitating(self):
        facilitator, colleague = UserFactory(), UserFactory()
        partnership = PartnershipFactory(facilitators=[facilitator, colleague])

        partnership_facilitator_remove(actor=facilitator, partnership=partnership, person=colleague)

        assert list(partnership.facilitators.all()) == [facilitator]

    def test_the_last_facilitator_stays(self):
        facilitator = UserFactory()
        partnership = PartnershipFactory(facilitators=[facilitator])

        with pytest.raises(ValidationError) as error:
            partnership_facilitator_remove(
                actor=facilitator, partnership=partnership, person=facilitator
            )

        assert _fields(error) == {"person"}
        assert list(partnership.facilitators.all()) == [facilitator]

    def test_a_platform_admin_may_remove_the_last_facilitator(self):
        facilitator = UserFactory()
        partnership = PartnershipFactory(facilitators=[facilitator])

        partnership_facilitator_remove(
            actor=AdminFactory(), partnership=partnership, person=facilitator
        )

        assert not partnership.facilitators.exists()

    def test_removing_someone_who_does_not_facilitate_is_refused(self):
        facilitator = UserFactory()
        partnership = PartnershipFactory(facilitators=[facilitator])

        with pytest.raises(ValidationError) as error:
            partnership_facilitator_remove(
                actor=facilitator, partnership=partnership, person=UserFactory()
            )

        assert _fields(error) == {"person"}

    @pytest.mark.parametrize("action", ["invite", "revoke", "remove"])
    def test_a_member_of_a_member_organisation_may_not_change_facilitators(self, action):
        facilitator, person = UserFactory(), UserFactory()
        organisation = OrganisationFactory()
        MembershipFactory(person=person, organisation=organisation)
        partnership = PartnershipFactory(facilitators=[facilitator], organisations=[organisation])
        invitation = FacilitatorInvitationFactory(partnership=partnership)

        attempts: dict[str, Callable[..., object]] = {
            "invite": partial(
                facilitator_invitation_create, partnership=partnership, email="x@example.org"
            ),
            "revoke": partial(facilitator_invitation_revoke, invitation=invitation),
            "remove": partial(
                partnership_facilitator_remove, partnership=partnership, person=facilitator
            ),
        }

        with pytest.raises(PermissionDenied):
            attempts[action](actor=person)

        assert list(partnership.facilitators.all()) == [facilitator]
        assert list(partnership.facilitator_invitations.all()) == [invitation]


class TestPartnershipsLeftWithoutFacilitator:
    def test_names_only_the_partnerships_the_person_facilitates_alone(self):
        person = UserFactory()
        alone = PartnershipFactory(title="Alone", facilitators=[person])
        PartnershipFactory(title="Shared", facilitators=[person, UserFactory()])
        PartnershipFactory(title="Not theirs", facilitators=[UserFactory()])

        assert partnerships_left_without_facilitator(person=person) == [alone]

    def test_the_check_speaks_to_the_person_and_to_an_admin(self):
        person = UserFactory(email="ana@example.org")
        PartnershipFactory(title="Copernicus LAC", facilitators=[person])

        [block] = account_deletion_check(person=person)

        assert block.to_person.startswith("You are the only facilitator of Copernicus LAC:")
        assert block.to_admin == "ana@example.org is the only facilitator of Copernicus LAC."


class TestTitles:
    @pytest.mark.parametrize("copy", [*COPIES, *INVISIBLE])
    def test_create_refuses_copies_and_invisible_titles(self, copy):
        PartnershipFactory(title=ORIGINAL)

        with pytest.raises(ValidationError) as error:
            partnership_create(actor=AdminFactory(), title=copy)

        assert "title" in _fields(error)
        assert Partnership.objects.count() == 1

    @pytest.mark.parametrize("copy", [*COPIES, *INVISIBLE])
    def test_update_refuses_copies_and_invisible_titles(self, copy):
        PartnershipFactory(title=ORIGINAL)
        facilitator = UserFactory()
        partnership = PartnershipFactory(title="Mine", facilitators=[facilitator])

        with pytest.raises(ValidationError) as error:
            partnership_update(actor=facilitator, partnership=partnership, title=copy)

        assert "title" in _fields(error)
        partnership.refresh_from_db()
        assert partnership.title == "Mine"

    def test_a_hidden_title_is_refused_in_the_words_of_any_other_refusal(self):
        facilitator = UserFactory()
        partnership = PartnershipFactory(title="Mine", facilitators=[facilitator])
        PartnershipFactory(title="Hidden Alliance", visibility=Partnership.Visibility.MEMBERS)
        PartnershipFactory(title="Open Alliance")

        messages = {}
        for title in ("Hidden Alliance", "hidden alliance", "\u041epen Alliance"):
            with pytest.raises(ValidationError) as error:
                partnership_update(actor=facilitator, partnership=partnership, title=title)
            messages[title] = error.value.message_dict["title"]

        # The clash with a title the facilitator cannot see reads exactly like a look-alike of
        # a public title, and never says that anything exists.
        assert messages["Hidden Alliance"] == messages["\u041epen Alliance"]
        assert messages["hidden alliance"] == messages["\u041epen Alliance"]
        assert "exist" not in " ".join(messages["Hidden Alliance"]).lower()

    def test_a_visible_title_may_say_that_it_exists(self):
        facilitator = UserFactory()
        partnership = PartnershipFactory(title="Mine", facilitators=[facilitator])
        PartnershipFactory(title="Open Alliance")

        with pytest.raises(ValidationError) as error:
            partnership_update(actor=facilitator, partnership=partnership, title="OPEN ALLIANCE")

        assert error.value.message_dict["title"] == [
            "A partnership with this title already exists."
        ]

    def test_titles_are_stored_normalised(self):
        partnership = partnership_create(actor=AdminFactory(), title=" \uff22ELLA   II ")

        assert Partnership.objects.get(pk=partnership.pk).title == "BELLA II"


def _notified(person, kind):
    return list(
        Notification.objects.filter(recipient=person, kind=kind).values_list("params", flat=True)
    )


class TestJoinRequestCreate:
    def test_an_admin_asks_for_their_organisation_and_the_facilitators_are_told(self, join_world):
        admin = join_world.person("outsider_admin")
        join_world.pending.delete()
        other_facilitator = UserFactory()
        join_world.partnership.facilitators.add(other_facilitator)

        join_request = join_request_create(
            actor=admin,
            partnership=join_world.partnership,
            organisation=join_world.outsider,
            message="  We run the regional observatory.  ",
        )

        join_request.refresh_from_db()
        assert join_request.status == PartnershipJoinRequest.Status.PENDING
        assert join_request.requested_by == admin
        assert join_request.message == "We run the regional observatory."
        expected = {
            "organisation": "Observatorio Digital",
            "partnership": "EU-LAC Digital Alliance",
        }
        for facilitator in (join_world.person("facilitator"), other_facilitator):
            assert _notified(facilitator, Kind.PARTNERSHIP_REQUESTED) == [expected]
        assert not Notification.objects.filter(recipient=admin).exists()
        notification = Notification.objects.filter(kind=Kind.PARTNERSHIP_REQUESTED)[0]
        assert notification.url == "/partnerships/eu-lac-digital-alliance/join-requests/"
        assert (
            notification.message == "%(organisation)s asks to join the partnership %(partnership)s."
        )

    @pytest.mark.parametrize("role", ["person", "member_admin", "facilitator", "platform_admin"])
    def test_only_an_admin_of_the_organisation_may_ask_for_it(self, join_world, role):
        join_world.pending.delete()

        with pytest.raises(ValidationError) as error:
            join_request_create(
                actor=join_world.person(role),
                partnership=join_world.partnership,
                organisation=join_world.outsider,
            )

        assert _fields(error) == {"organisation"}
        assert not PartnershipJoinRequest.objects.exists()

    def test_a_member_organisation_may_not_ask(self, join_world):
        with pytest.raises(ValidationError) as error:
            join_request_create(
                actor=join_world.person("member_admin"),
                partnership=join_world.partnership,
                organisation=join_world.member_organisation,
            )

        assert _fields(error) == {"organisation"}
        assert PartnershipJoinRequest.objects.count() == 1

    def test_an_organisation_asks_only_once_while_its_request_waits(self, join_world):
        with pytest.raises(ValidationError) as error:
            join_request_create(
                actor=join_world.person("outsider_admin"),
                partnership=join_world.partnership,
                organisation=join_world.outsider,
            )

        assert _fields(error) == {"organisation"}
        assert PartnershipJoinRequest.objects.count() == 1
        assert not Notification.objects.exists()

    def test_after_a_decision_the_organisation_may_ask_again(self, join_world):
        join_request_decline(
            actor=join_world.person("facilitator"), join_request=join_world.pending, reason="Later."
        )

        join_request_create(
            actor=join_world.person("outsider_admin"),
            partnership=join_world.partnership,
            organisation=join_world.outsider,
        )

        assert PartnershipJoinRequest.objects.filter(status="pending").count() == 1

    def test_the_database_keeps_one_pending_request_per_organisation(self, join_world):
        with pytest.raises(IntegrityError), transaction.atomic():
            PartnershipJoinRequest.objects.create(
                partnership=join_world.partnership, organisation=join_world.outsider
            )

    def test_a_message_longer_than_1000_characters_is_refused(self, join_world):
        join_world.pending.delete()

        with pytest.raises(ValidationError) as error:
            join_request_create(
                actor=join_world.person("outsider_admin"),
                partnership=join_world.partnership,
                organisation=join_world.outsider,
                message="x" * 1001,
            )

        assert _fields(error) == {"message"}
        assert not PartnershipJoinRequest.objects.exists()

    @pytest.mark.parametrize(("is_discoverable", "allowed"), [(False, False), (True, True)])
    def test_a_hidden_partnership_takes_requests_only_when_discoverable(
        self, join_world, is_discoverable, allowed
    ):
        join_world.pending.delete()
        Partnership.objects.filter(pk=join_world.partnership.pk).update(
            visibility=Partnership.Visibility.MEMBERS, is_discoverable=is_discoverable
        )
        join_world.partnership.refresh_from_db()
        ask = partial(
            join_request_create,
            actor=join_world.person("outsider_admin"),
            partnership=join_world.partnership,
            organisation=join_world.outsider,
        )

        if allowed:
            ask()
        else:
            with pytest.raises(PermissionDenied):
                ask()

        assert PartnershipJoinRequest.objects.exists() is allowed


class TestJoinRequestApprove:
    @pytest.mark.parametrize("role", ["facilitator", "platform_admin"])
    def test_approving_adds_the_member_and_tells_the_organisation_admins(self, join_world, role):
        second_admin = UserFactory()
        MembershipFactory(
            person=second_admin, organisation=join_world.outsider, role=Membership.Role.ADMIN
        )
        plain_member = UserFactory()
        MembershipFactory(person=plain_member, organisation=join_world.outsider)
        actor = join_world.person(role)

        join_request = join_request_approve(actor=actor, join_request=join_world.pending)

        join_request.refresh_from_db()
        assert join_request.status == PartnershipJoinRequest.Status.APPROVED
        assert join_request.decided_by == actor
        assert join_request.decided_at is not None
        assert join_world.partnership.organisations.filter(pk=join_world.outsider.pk).exists()
        for admin in (join_world.person("outsider_admin"), second_admin):
            assert len(_notified(admin, Kind.PARTNERSHIP_DECIDED)) == 1
        assert not Notification.objects.filter(recipient=plain_member).exists()

    @pytest.mark.parametrize("role", ["person", "outsider_admin", "member_admin"])
    def test_only_facilitators_and_platform_admins_approve(self, join_world, role):
        with pytest.raises(PermissionDenied):
            join_request_approve(actor=join_world.person(role), join_request=join_world.pending)

        join_world.pending.refresh_from_db()
        assert join_world.pending.is_pending
        assert not join_world.partnership.organisations.filter(pk=join_world.outsider.pk).exists()

    def test_a_failed_approval_writes_nothing(self, join_world):
        # The organisation joined another way meanwhile: adding it again fails.
        PartnershipMember.objects.create(
            partnership=join_world.partnership, organisation=join_world.outsider
        )

        with pytest.raises(ValidationError) as error:
            join_request_approve(
                actor=join_world.person("facilitator"), join_request=join_world.pending
            )

        assert _fields(error) == {"organisation"}
        join_world.pending.refresh_from_db()
        assert join_world.pending.is_pending
        assert join_world.pending.decided_by is None
        assert not Notification.objects.exists()

    def test_a_decided_request_cannot_be_approved(self, join_world):
        facilitator = join_world.person("facilitator")
        join_request_decline(actor=facilitator, join_request=join_world.pending, reason="No.")

        with pytest.raises(ValidationError) as error:
            join_request_approve(actor=facilitator, join_request=join_world.pending)

        assert _fields(error) == {"join_request"}
        assert not join_world.partnership.organisations.filter(pk=join_world.outsider.pk).exists()


class TestJoinRequestDecline:
    def test_declining_keeps_the_reason_and_tells_the_organisation_admins(self, join_world):
        facilitator = join_world.person("facilitator")

        join_request_decline(
            actor=facilitator, join_request=join_world.pending, reason="  Not in our regions. "
        )

        join_world.pending.refresh_from_db()
        assert join_world.pending.status == PartnershipJoinRequest.Status.DECLINED
        assert join_world.pending.decision_reason == "Not in our regions."
        assert join_world.pending.decided_by == facilitator
        assert _notified(join_world.person("outsider_admin"), Kind.PARTNERSHIP_DECIDED) == [
            {
                "organisation": "Observatorio Digital",
                "partnership": "EU-LAC Digital Alliance",
                "reason": "Not in our regions.",
            }
        ]
        assert not join_world.partnership.organisations.filter(pk=join_world.outsider.pk).exists()

    @pytest.mark.parametrize("reason", ["", "   ", "x" * 1001])
    def test_a_reason_is_required(self, join_world, reason):
        with pytest.raises(ValidationError) as error:
            join_request_decline(
                actor=join_world.person("facilitator"),
                join_request=join_world.pending,
                reason=reason,
            )

        assert _fields(error) == {"reason"}
        join_world.pending.refresh_from_db()
        assert join_world.pending.is_pending
        assert not Notification.objects.exists()

    @pytest.mark.parametrize("role", ["person", "outsider_admin", "member_admin"])
    def test_only_facilitators_and_platform_admins_decline(self, join_world, role):
        with pytest.raises(PermissionDenied):
            join_request_decline(
                actor=join_world.person(role), join_request=join_world.pending, reason="No."
            )

        join_world.pending.refresh_from_db()
        assert join_world.pending.is_pending


class TestJoinRequestWithdraw:
    def test_an_admin_of_the_organisation_withdraws_its_request(self, join_world):
        join_request_withdraw(
            actor=join_world.person("outsider_admin"), join_request=join_world.pending
        )

        join_world.pending.refresh_from_db()
        assert join_world.pending.status == PartnershipJoinRequest.Status.WITHDRAWN
        # The facilitators, who were told of the request, are told it no longer waits.
        (told,) = Notification.objects.all()
        assert told.recipient == join_world.person("facilitator")
        assert told.kind == Kind.PARTNERSHIP_REQUESTED
        assert told.message == (
            "%(organisation)s withdrew its request to join the partnership %(partnership)s."
        )
        assert told.url == f"/partnerships/{join_world.partnership.slug}/join-requests/"

    @pytest.mark.parametrize("role", ["person", "member_admin", "facilitator", "platform_admin"])
    def test_no_one_else_withdraws_it(self, join_world, role):
        with pytest.raises(PermissionDenied):
            join_request_withdraw(actor=join_world.person(role), join_request=join_world.pending)

        join_world.pending.refresh_from_db()
        assert join_world.pending.is_pending

    def test_a_withdrawn_request_cannot_be_approved(self, join_world):
        join_request_withdraw(
            actor=join_world.person("outsider_admin"), join_request=join_world.pending
        )

        with pytest.raises(ValidationError) as error:
            join_request_approve(
                actor=join_world.person("facilitator"), join_request=join_world.pending
            )

        assert _fields(error) == {"join_request"}


class TestPartnershipDiscoverable:
    def test_facilitators_make_a_partnership_discoverable(self, join_world):
        partnership_update(
            actor=join_world.person("facilitator"),
            partnership=join_world.partnership,
            is_discoverable=True,
        )

        join_world.partnership.refresh_from_db()
        assert join_world.partnership.is_discoverable

    def test_a_new_partnership_is_not_discoverable(self):
        partnership = partnership_create(actor=AdminFactory(), title="Copernicus LAC")

        assert partnership.is_discoverable is False


def test_the_personal_data_export_lists_the_join_requests_a_person_made(join_world):
    data = personal_data_export(person=join_world.person("outsider_admin"))

    assert data["partnership_join_requests"] == [
        {
            "partnership": "EU-LAC Digital Alliance",
            "organisation": "Observatorio Digital",
            "message": "We work on connectivity.",
            "status": "pending",
            "created_at": join_world.pending.created_at.isoformat(),
        }
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.timeout(120)
def test_a_withdrawal_during_an_approval_waits_and_then_finds_it_decided():
    world = make_join_world()
    outcome: dict[str, object] = {}
    errors: dict[str, list[str]] = {}

    def withdraw() -> None:
        try:
            join_request_withdraw(
                actor=world.person("outsider_admin"),
                join_request=PartnershipJoinRequest.objects.get(pk=world.pending.pk),
            )
            outcome["withdraw"] = "withdrawn"
        except ValidationError as error:
            errors.update(error.message_dict)
        finally:
            connection.close()

    with transaction.atomic():
        join_request_approve(actor=world.person("facilitator"), join_request=world.pending)
        other = threading.Thread(target=withdraw)
        other.start()
        other.join(timeout=1)
        # The withdrawal waits on the request row the approval locked.
        assert other.is_alive()
    other.join(timeout=20)

    world.pending.refresh_from_db()
    assert world.pending.status == PartnershipJoinRequest.Status.APPROVED
    assert outcome == {}
    assert set(errors) == {"join_request"}
