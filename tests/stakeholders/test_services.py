import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from puente.core.choices import Region, StakeholderType
from puente.core.models import Theme
from puente.stakeholders.models import Invitation, Membership, Organisation
from puente.stakeholders.services import (
    account_deletion_check,
    invitation_accept,
    invitation_create,
    invitation_revoke,
    membership_approve,
    membership_decline,
    membership_remove,
    membership_request,
    membership_role_set,
    organisation_create,
    organisation_update,
    organisation_verify,
    organisations_left_without_admin,
)
from tests.accounts.factories import AdminFactory, UserFactory
from tests.core.image_files import gif_named_pdf, huge_png
from tests.core.name_cases import COPIES, INVISIBLE, ORIGINAL
from tests.stakeholders.conftest import png_upload
from tests.stakeholders.factories import (
    InvitationFactory,
    MembershipFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db


def _admin_of(organisation: Organisation):
    return MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).person


def _create(creator, **overrides):
    arguments = {
        "creator": creator,
        "name": "Red Universitaria",
        "stakeholder_type": StakeholderType.ACADEMIA,
        "country": "BR",
    }
    arguments.update(overrides)
    return organisation_create(**arguments)


# organisation_create


def test_organisation_create_makes_the_creator_its_active_admin():
    creator = UserFactory()
    themes = list(Theme.objects.filter(code__in=["ai", "connectivity"]))
    organisation = _create(creator, acronym=" RU ", themes=themes)
    assert organisation.slug == "ru"
    assert organisation.acronym == "RU"
    assert organisation.created_by == creator
    assert {theme.code for theme in organisation.themes.all()} == {"ai", "connectivity"}
    membership = Membership.objects.get(organisation=organisation)
    assert (membership.person, membership.role, membership.status) == (
        creator,
        Membership.Role.ADMIN,
        Membership.Status.ACTIVE,
    )


def test_organisation_create_works_out_the_region_from_the_country():
    assert _create(UserFactory(), country="BR").region == Region.LAC
    assert _create(UserFactory(), name="Other", country="FR").region == Region.EU
    assert _create(UserFactory(), name="Third", country="US").region == Region.OTHER


def test_organisation_create_never_takes_a_slug_that_a_page_path_uses():
    organisation = _create(UserFactory(), name="Mine")
    assert organisation.slug not in {"new", "mine", "invitations"}
    assert organisation.get_absolute_url() != "/organisations/mine/"


def test_organisation_create_refuses_an_inactive_account():
    creator = UserFactory(is_active=False)
    with pytest.raises(PermissionDenied):
        _create(creator)
    assert not Organisation.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"acronym": "x" * 31}, "acronym"),
        ({"stakeholder_type": "guild"}, "stakeholder_type"),
        ({"country": "XX"}, "country"),
        ({"region": "ASIA"}, "region"),
        ({"website": "not a url"}, "website"),
        ({"description": "x" * 5001}, "description"),
    ],
)
def test_organisation_create_rejects_bad_input_on_the_field_and_writes_nothing(overrides, field):
    with pytest.raises(ValidationError) as caught:
        _create(UserFactory(), themes=list(Theme.objects.all()), **overrides)
    assert field in caught.value.message_dict
    assert not Organisation.objects.exists()
    assert not Membership.objects.exists()


def test_organisation_create_rejects_a_name_already_registered():
    OrganisationFactory(name="Red Universitaria")
    with pytest.raises(ValidationError) as caught:
        _create(UserFactory())
    assert "name" in caught.value.message_dict
    assert Organisation.objects.count() == 1


def test_organisation_create_stores_a_valid_logo():
    organisation = _create(UserFactory(), logo=png_upload())
    assert organisation.logo.name.startswith("logos/")
    assert organisation.logo.storage.exists(organisation.logo.name)


def test_organisation_create_rejects_a_file_that_is_not_an_image():
    fake = SimpleUploadedFile("logo.png", b"<script>alert(1)</script>", content_type="image/png")
    with pytest.raises(ValidationError) as caught:
        _create(UserFactory(), logo=fake)
    assert "logo" in caught.value.message_dict
    assert not Organisation.objects.exists()


def test_organisation_create_rejects_a_logo_over_the_size_limit(settings):
    settings.PUENTE_LOGO_MAX_BYTES = 10
    with pytest.raises(ValidationError) as caught:
        _create(UserFactory(), logo=png_upload())
    assert "logo" in caught.value.message_dict


# organisation_update


def test_organisation_update_changes_the_profile_and_themes_but_not_the_slug():
    organisation = OrganisationFactory(slug="old")
    admin = _admin_of(organisation)
    organisation_update(
        actor=admin,
        organisation=organisation,
        name="New name",
        themes=Theme.objects.filter(code="ai"),
    )
    organisation.refresh_from_db()
    assert organisation.name == "New name"
    assert organisation.slug == "old"
    assert [theme.code for theme in organisation.themes.all()] == ["ai"]


@pytest.mark.parametrize("role", ["member", "stranger", "pending"])
def test_organisation_update_refuses_anyone_but_admins(role):
    organisation = OrganisationFactory(description="Before.")
    if role == "stranger":
        actor = UserFactory()
    else:
        status = Membership.Status.PENDING if role == "pending" else Membership.Status.ACTIVE
        actor = MembershipFactory(organisation=organisation, status=status).person
    with pytest.raises(PermissionDenied):
        organisation_update(actor=actor, organisation=organisation, description="After.")
    organisation.refresh_from_db()
    assert organisation.description == "Before."


def test_organisation_update_lets_a_platform_admin_edit_any_organisation():
    organisation = OrganisationFactory()
    organisation_update(actor=AdminFactory(), organisation=organisation, acronym="NEW")
    organisation.refresh_from_db()
    assert organisation.acronym == "NEW"


def test_organisation_update_takes_no_argument_outside_the_profile():
    organisation = OrganisationFactory()
    with pytest.raises(TypeError, match="is_verified"):
        organisation_update(
            actor=_admin_of(organisation),
            organisation=organisation,
            is_verified=True,  # type: ignore[call-arg]  # the claim under test
        )
    organisation.refresh_from_db()
    assert not organisation.is_verified


def test_organisation_update_with_bad_input_changes_neither_fields_nor_themes():
    organisation = OrganisationFactory(name="Kept", themes=list(Theme.objects.filter(code="ai")))
    with pytest.raises(ValidationError) as caught:
        organisation_update(
            actor=_admin_of(organisation),
            organisation=organisation,
            name="Changed",
            country="XX",
            themes=Theme.objects.filter(code="connectivity"),
        )
    assert "country" in caught.value.message_dict
    stored = Organisation.objects.get(pk=organisation.pk)
    assert stored.name == "Kept"
    assert [theme.code for theme in stored.themes.all()] == ["ai"]


def test_organisation_update_removes_the_old_logo_file_only_once_saved(
    django_capture_on_commit_callbacks,
):
    organisation = _create(UserFactory(), logo=png_upload())
    admin = Membership.objects.get(organisation=organisation).person
    old_name = organisation.logo.name
    storage = organisation.logo.storage
    with django_capture_on_commit_callbacks(execute=True):
        organisation_update(actor=admin, organisation=organisation, logo=None)
    organisation.refresh_from_db()
    assert organisation.logo.name == ""
    assert not storage.exists(old_name)


def test_organisation_update_keeps_the_logo_file_when_the_update_fails(
    django_capture_on_commit_callbacks,
):
    organisation = _create(UserFactory(), logo=png_upload())
    admin = Membership.objects.get(organisation=organisation).person
    old_name = organisation.logo.name
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        organisation_update(actor=admin, organisation=organisation, logo=None, country="XX")
    assert Organisation.objects.get(pk=organisation.pk).logo.name == old_name
    assert organisation.logo.storage.exists(old_name)


# organisation_verify


def test_organisation_verify_is_for_platform_admins_only():
    organisation = OrganisationFactory()
    with pytest.raises(PermissionDenied):
        organisation_verify(
            actor=_admin_of(organisation), organisation=organisation, is_verified=True
        )
    assert not Organisation.objects.get(pk=organisation.pk).is_verified
    organisation_verify(actor=AdminFactory(), organisation=organisation, is_verified=True)
    assert Organisation.objects.get(pk=organisation.pk).is_verified


# membership_request


def test_membership_request_creates_a_pending_member_request():
    organisation = OrganisationFactory()
    person = UserFactory()
    membership = membership_request(person=person, organisation=organisation)
    assert (membership.status, membership.role) == (
        Membership.Status.PENDING,
        Membership.Role.MEMBER,
    )


@pytest.mark.parametrize("status", [Membership.Status.PENDING, Membership.Status.ACTIVE])
def test_membership_request_twice_is_refused_on_the_organisation_field(status):
    existing = MembershipFactory(status=status)
    with pytest.raises(ValidationError) as caught:
        membership_request(person=existing.person, organisation=existing.organisation)
    assert "organisation" in caught.value.message_dict
    assert Membership.objects.count() == 1


def test_membership_request_refuses_an_inactive_account():
    with pytest.raises(PermissionDenied):
        membership_request(person=UserFactory(is_active=False), organisation=OrganisationFactory())
    assert not Membership.objects.exists()


# membership_approve / membership_decline


def test_membership_approve_activates_the_request():
    request = MembershipFactory(status=Membership.Status.PENDING)
    membership = membership_approve(actor=_admin_of(request.organisation), membership=request)
    assert membership.status == Membership.Status.ACTIVE
    assert membership.decided_at is not None


@pytest.mark.parametrize("service", [membership_approve, membership_decline])
def test_deciding_a_request_is_refused_to_plain_members_and_other_admins(service):
    request = MembershipFactory(status=Membership.Status.PENDING)
    for actor in (
        MembershipFactory(organisation=request.organisation).person,
        _admin_of(OrganisationFactory()),
        request.person,
    ):
        with pytest.raises(PermissionDenied):
            service(actor=actor, membership=request)
    request.refresh_from_db()
    assert request.status == Membership.Status.PENDING


@pytest.mark.parametrize("service", [membership_approve, membership_decline])
def test_deciding_a_request_twice_is_refused_on_the_membership_field(service):
    active = MembershipFactory()
    with pytest.raises(ValidationError) as caught:
        service(actor=_admin_of(active.organisation), membership=active)
    assert "membership" in caught.value.message_dict
    assert Membership.objects.filter(pk=active.pk, status=Membership.Status.ACTIVE).exists()


def test_membership_decline_deletes_the_request():
    request = MembershipFactory(status=Membership.Status.PENDING)
    membership_decline(actor=AdminFactory(), membership=request)
    assert not Membership.objects.filter(pk=request.pk).exists()


# membership_role_set


def test_membership_role_set_promotes_a_member():
    membership = MembershipFactory()
    membership_role_set(
        actor=_admin_of(membership.organisation), membership=membership, role="admin"
    )
    membership.refresh_from_db()
    assert membership.role == Membership.Role.ADMIN


def test_membership_role_set_refuses_to_demote_the_last_admin():
    organisation = OrganisationFactory()
    admin = MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN)
    with pytest.raises(ValidationError) as caught:
        membership_role_set(actor=admin.person, membership=admin, role="member")
    assert "role" in caught.value.message_dict
    admin.refresh_from_db()
    assert admin.role == Membership.Role.ADMIN


def test_membership_role_set_demotes_an_admin_when_another_remains():
    organisation = OrganisationFactory()
    first = MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN)
    MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN)
    membership_role_set(actor=first.person, membership=first, role="member")
    first.refresh_from_db()
    assert first.role == Membership.Role.MEMBER


@pytest.mark.parametrize("role", ["owner", "", "ADMIN"])
def test_membership_role_set_rejects_an_unknown_role(role):
    membership = MembershipFactory()
    with pytest.raises(ValidationError) as caught:
        membership_role_set(
            actor=_admin_of(membership.organisation), membership=membership, role=role
        )
    assert "role" in caught.value.message_dict


def test_membership_role_set_refuses_a_pending_request():
    request = MembershipFactory(status=Membership.Status.PENDING)
    with pytest.raises(ValidationError) as caught:
        membership_role_set(actor=AdminFactory(), membership=request, role="admin")
    assert "role" in caught.value.message_dict
    request.refresh_from_db()
    assert request.role == Membership.Role.MEMBER


def test_membership_role_set_is_refused_to_a_member():
    membership = MembershipFactory()
    other = MembershipFactory(organisation=membership.organisation)
    with pytest.raises(PermissionDenied):
        membership_role_set(actor=other.person, membership=membership, role="admin")


# membership_remove


def test_a_member_may_leave():
    membership = MembershipFactory()
    membership_remove(actor=membership.person, membership=membership)
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_an_admin_may_remove_a_member():
    membership = MembershipFactory()
    membership_remove(actor=_admin_of(membership.organisation), membership=membership)
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_a_member_may_not_remove_another_member():
    membership = MembershipFactory()
    other = MembershipFactory(organisation=membership.organisation)
    with pytest.raises(PermissionDenied):
        membership_remove(actor=other.person, membership=membership)
    assert Membership.objects.filter(pk=membership.pk).exists()


@pytest.mark.parametrize("actor", ["self", "platform admin"])
def test_the_last_admin_may_not_leave_nor_be_removed(actor):
    admin = MembershipFactory(role=Membership.Role.ADMIN)
    person = admin.person if actor == "self" else AdminFactory()
    with pytest.raises(ValidationError) as caught:
        membership_remove(actor=person, membership=admin)
    assert "membership" in caught.value.message_dict
    assert Membership.objects.filter(pk=admin.pk).exists()


def test_a_removed_membership_cannot_be_removed_twice():
    membership = MembershipFactory()
    stale = Membership.objects.get(pk=membership.pk)
    membership_remove(actor=membership.person, membership=membership)
    with pytest.raises(ValidationError) as caught:
        membership_remove(actor=stale.person, membership=stale)
    assert "membership" in caught.value.message_dict


# invitation_create


def test_invitation_create_stores_the_invitation_and_mails_it_after_commit(
    mailoutbox, django_capture_on_commit_callbacks
):
    organisation = OrganisationFactory(name="Agencia")
    admin = _admin_of(organisation)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        invitation = invitation_create(
            actor=admin,
            organisation=organisation,
            email=" Guest@Example.ORG ",
            role="admin",
            base_url="https://puente.example",
        )
        assert mailoutbox == []
    assert len(callbacks) == 1
    assert invitation.email == "guest@example.org"
    assert invitation.invited_by == admin
    assert [message.to for message in mailoutbox] == [["guest@example.org"]]
    assert f"https://puente.example/organisations/invitations/{invitation.token}/" in (
        mailoutbox[0].body
    )


def test_invitation_create_is_refused_to_plain_members():
    membership = MembershipFactory()
    with pytest.raises(PermissionDenied):
        invitation_create(
            actor=membership.person, organisation=membership.organisation, email="a@example.org"
        )
    assert not Invitation.objects.exists()


@pytest.mark.parametrize(
    ("email", "role", "field"),
    [
        ("not-an-address", "member", "email"),
        ("", "member", "email"),
        ("x" * 250 + "@example.org", "member", "email"),
        ("guest@example.org", "owner", "role"),
    ],
)
def test_invitation_create_rejects_bad_input_on_the_field(email, role, field):
    organisation = OrganisationFactory()
    with pytest.raises(ValidationError) as caught:
        invitation_create(
            actor=_admin_of(organisation), organisation=organisation, email=email, role=role
        )
    assert field in caught.value.message_dict
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("status", [Membership.Status.ACTIVE, Membership.Status.PENDING])
def test_invitation_create_refuses_people_who_already_belong_or_asked(status):
    existing = MembershipFactory(status=status, person=UserFactory(email="known@example.org"))
    with pytest.raises(ValidationError) as caught:
        invitation_create(
            actor=AdminFactory(), organisation=existing.organisation, email="KNOWN@example.org"
        )
    assert "email" in caught.value.message_dict


def test_invitation_create_refuses_a_second_open_invitation_for_the_same_address():
    invitation = InvitationFactory(email="guest@example.org")
    with pytest.raises(ValidationError) as caught:
        invitation_create(
            actor=AdminFactory(), organisation=invitation.organisation, email="Guest@example.org"
        )
    assert caught.value.message_dict["email"] == ["This person has already been invited."]
    assert Invitation.objects.count() == 1


# invitation_revoke


def test_invitation_revoke_deletes_an_open_invitation():
    invitation = InvitationFactory()
    invitation_revoke(actor=_admin_of(invitation.organisation), invitation=invitation)
    assert not Invitation.objects.exists()


def test_invitation_revoke_is_refused_to_others():
    invitation = InvitationFactory()
    with pytest.raises(PermissionDenied):
        invitation_revoke(actor=_admin_of(OrganisationFactory()), invitation=invitation)
    assert Invitation.objects.exists()


# invitation_accept


def test_invitation_accept_makes_the_addressee_an_active_member_with_the_role():
    invitation = InvitationFactory(email="guest@example.org", role=Membership.Role.ADMIN)
    person = UserFactory(email="Guest@example.org")
    membership = invitation_accept(person=person, invitation=invitation)
    assert (membership.person, membership.role, membership.status) == (
        person,
        Membership.Role.ADMIN,
        Membership.Status.ACTIVE,
    )
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_invitation_accept_turns_a_pending_request_into_a_membership():
    request = MembershipFactory(status=Membership.Status.PENDING)
    invitation = InvitationFactory(organisation=request.organisation, email=request.person.email)
    invitation_accept(person=request.person, invitation=invitation)
    request.refresh_from_db()
    assert request.status == Membership.Status.ACTIVE


def test_invitation_accept_refuses_someone_with_another_address_and_writes_nothing():
    invitation = InvitationFactory(email="guest@example.org")
    with pytest.raises(PermissionDenied):
        invitation_accept(person=UserFactory(email="intruder@example.org"), invitation=invitation)
    assert not Membership.objects.exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_invitation_accept_refuses_an_invitation_already_used():
    invitation = InvitationFactory(email="guest@example.org")
    person = UserFactory(email="guest@example.org")
    invitation_accept(person=person, invitation=invitation)
    with pytest.raises(ValidationError) as caught:
        invitation_accept(person=person, invitation=invitation)
    assert "invitation" in caught.value.message_dict
    assert Membership.objects.count() == 1


def test_invitation_revoke_refuses_an_invitation_already_used():
    invitation = InvitationFactory(email="guest@example.org")
    invitation_accept(person=UserFactory(email="guest@example.org"), invitation=invitation)
    with pytest.raises(ValidationError) as caught:
        invitation_revoke(actor=AdminFactory(), invitation=invitation)
    assert "invitation" in caught.value.message_dict
    assert Invitation.objects.exists()


def test_organisation_create_stores_a_gif_named_pdf_as_a_png_of_ours():
    organisation = _create(UserFactory(), logo=gif_named_pdf())
    assert re.fullmatch(r"logos/[0-9a-f]{32}\.png", organisation.logo.name)
    with organisation.logo.open("rb") as stored:
        assert stored.read(8) == b"\x89PNG\r\n\x1a\n"


def test_organisation_create_refuses_a_144_megapixel_logo_and_writes_nothing():
    with pytest.raises(ValidationError) as caught:
        _create(UserFactory(), logo=huge_png())
    assert "logo" in caught.value.message_dict
    assert not Organisation.objects.exists()


def test_organisation_update_stores_a_new_logo_re_encoded():
    organisation = _create(UserFactory(), logo=png_upload())
    admin = organisation.memberships.get().person
    organisation_update(actor=admin, organisation=organisation, logo=gif_named_pdf())
    assert organisation.logo.name.endswith(".png")
    with organisation.logo.open("rb") as stored:
        assert stored.read(8) == b"\x89PNG\r\n\x1a\n"


class TestOrganisationsLeftWithoutAdmin:
    def test_names_only_the_organisations_where_the_person_is_the_sole_active_admin(self):
        person = UserFactory()
        alone = OrganisationFactory(name="Alone")
        shared = OrganisationFactory(name="Shared")
        member_only = OrganisationFactory(name="Member only")
        MembershipFactory(person=person, organisation=alone, role=Membership.Role.ADMIN)
        MembershipFactory(person=person, organisation=shared, role=Membership.Role.ADMIN)
        MembershipFactory(organisation=shared, role=Membership.Role.ADMIN)
        MembershipFactory(person=person, organisation=member_only)

        assert organisations_left_without_admin(person=person) == [alone]

    def test_the_check_speaks_to_the_person_and_to_an_admin(self):
        person = UserFactory(email="ana@example.org")
        MembershipFactory(
            person=person, organisation=OrganisationFactory(name="ECLAC"), role="admin"
        )

        [block] = account_deletion_check(person=person)

        assert block.to_person.startswith("You are the only administrator of ECLAC:")
        assert block.to_admin == "ana@example.org is the only administrator of ECLAC."


# Names: normalised, unique in any case, never a copy of a verified organisation's


@pytest.mark.parametrize("copy", COPIES)
def test_organisation_create_refuses_a_copy_of_a_verified_name(copy):
    OrganisationFactory(name=ORIGINAL, is_verified=True)
    with pytest.raises(ValidationError) as caught:
        _create(UserFactory(), name=copy)
    assert "name" in caught.value.message_dict
    assert Organisation.objects.count() == 1


@pytest.mark.parametrize("copy", COPIES)
def test_organisation_update_refuses_a_copy_of_a_verified_name(copy):
    OrganisationFactory(name=ORIGINAL, is_verified=True)
    organisation = OrganisationFactory(name="Kept")
    with pytest.raises(ValidationError) as caught:
        organisation_update(actor=_admin_of(organisation), organisation=organisation, name=copy)
    assert "name" in caught.value.message_dict
    assert Organisation.objects.get(pk=organisation.pk).name == "Kept"


@pytest.mark.parametrize("name", INVISIBLE)
def test_organisation_create_refuses_invisible_names(name):
    with pytest.raises(ValidationError) as caught:
        _create(UserFactory(), name=name)
    assert "name" in caught.value.message_dict
    assert not Organisation.objects.exists()


def test_organisation_create_refuses_another_organisations_name_in_another_case():
    OrganisationFactory(name="Agencia Digital")
    with pytest.raises(ValidationError) as caught:
        _create(UserFactory(), name="AGENCIA DIGITAL")
    assert caught.value.message_dict["name"] == [
        "An organisation with this name is already registered."
    ]


def test_a_look_alike_of_an_unverified_name_is_accepted_and_names_the_verified_one_otherwise():
    OrganisationFactory(name="Agencia Digital")
    _create(UserFactory(), name="\u0410gencia Digital")
    verified = OrganisationFactory(name=ORIGINAL, is_verified=True)
    with pytest.raises(ValidationError) as caught:
        _create(UserFactory(), name="Red de G\u043ebierno Abierto")
    assert verified.name in caught.value.message_dict["name"][0]


def test_organisation_create_stores_the_normalised_name():
    organisation = _create(UserFactory(), name="  \uff32\uff45\uff44   Universitaria ")
    assert Organisation.objects.get(pk=organisation.pk).name == "Red Universitaria"


def test_organisation_update_keeps_an_unchanged_name_and_may_change_its_case():
    organisation = OrganisationFactory(name="Red Universitaria", is_verified=True)
    admin = _admin_of(organisation)
    organisation_update(actor=admin, organisation=organisation, name="Red Universitaria")
    organisation_update(actor=admin, organisation=organisation, name="RED Universitaria")
    assert Organisation.objects.get(pk=organisation.pk).name == "RED Universitaria"


def test_the_database_refuses_a_name_in_another_case():
    OrganisationFactory(name="Agencia Digital")
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationFactory(name="agencia digital")
