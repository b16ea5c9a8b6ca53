from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from puente.partnerships.models import Partnership, PartnershipMember
from puente.partnerships.services import (
    partnership_create,
    partnership_facilitator_add,
    partnership_facilitator_remove,
    partnership_member_add,
    partnership_member_remove,
    partnership_update,
)
from tests.accounts.factories import AdminFactory, UserFactory
from tests.core.name_cases import COPIES, INVISIBLE, ORIGINAL
from tests.partnerships.factories import PartnershipFactory
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


class TestFacilitatorAddAndRemove:
    def test_facilitator_adds_a_colleague_who_can_then_be_removed(self):
        facilitator, colleague = UserFactory(), UserFactory()
        partnership = PartnershipFactory(facilitators=[facilitator])

        partnership_facilitator_add(actor=facilitator, partnership=partnership, person=colleague)
        assert set(partnership.facilitators.all()) == {facilitator, colleague}

        partnership_facilitator_remove(actor=facilitator, partnership=partnership, person=colleague)
        assert list(partnership.facilitators.all()) == [facilitator]

    def test_a_person_cannot_be_added_twice(self):
        facilitator = UserFactory()
        partnership = PartnershipFactory(facilitators=[facilitator])

        with pytest.raises(ValidationError) as error:
            partnership_facilitator_add(
                actor=facilitator, partnership=partnership, person=facilitator
            )

        assert _fields(error) == {"person"}

    def test_an_inactive_account_cannot_facilitate(self):
        facilitator = UserFactory()
        partnership = PartnershipFactory(facilitators=[facilitator])

        with pytest.raises(ValidationError) as error:
            partnership_facilitator_add(
                actor=facilitator, partnership=partnership, person=UserFactory(is_active=False)
            )

        assert _fields(error) == {"person"}
        assert partnership.facilitators.count() == 1

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

    @pytest.mark.parametrize("action", ["add", "remove"])
    def test_a_member_of_a_member_organisation_may_not_change_facilitators(self, action):
        facilitator, person = UserFactory(), UserFactory()
        organisation = OrganisationFactory()
        MembershipFactory(person=person, organisation=organisation)
        partnership = PartnershipFactory(facilitators=[facilitator], organisations=[organisation])
        service = partnership_facilitator_add if action == "add" else partnership_facilitator_remove
        target = person if action == "add" else facilitator

        with pytest.raises(PermissionDenied):
            service(actor=person, partnership=partnership, person=target)

        assert list(partnership.facilitators.all()) == [facilitator]


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
