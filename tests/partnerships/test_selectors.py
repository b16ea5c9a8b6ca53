import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from puente.partnerships.models import FacilitatorInvitation, Partnership
from puente.partnerships.selectors import (
    facilitator_invitation_get,
    facilitator_invitation_list,
    organisation_candidate_list,
    organisation_partnership_list,
    partnership_composition,
    partnership_get,
    partnership_list,
    partnership_member_list,
)
from tests.accounts.factories import AdminFactory, UserFactory
from tests.partnerships.factories import FacilitatorInvitationFactory, PartnershipFactory
from tests.stakeholders.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_partnership_list_shows_visitors_only_public_partnerships(world):
    titles = [p.title for p in partnership_list(viewer=AnonymousUser())]

    assert titles == ["EU-LAC Digital Alliance"]


def test_partnership_list_shows_members_their_members_only_partnerships(world):
    titles = [p.title for p in partnership_list(viewer=world.person("member"))]

    assert titles == ["Copernicus LAC", "EU-LAC Digital Alliance"]


def test_partnership_list_counts_each_member_organisation_once(world):
    world.public.organisations.add(OrganisationFactory(), OrganisationFactory())

    partnerships = partnership_list(viewer=world.person("admin"))

    # n_organisations is annotated by the selector, which the stubs cannot see.
    counts = {p.slug: p.n_organisations for p in partnerships}  # type: ignore[attr-defined]

    assert counts == {"eu-lac-digital-alliance": 3, "copernicus-lac": 1, "digital-accelerator": 0}


def test_partnership_list_searches_titles_ignoring_case_and_spaces(world):
    found = partnership_list(viewer=world.person("admin"), query="  copernicus ")

    assert [p.slug for p in found] == ["copernicus-lac"]


def test_partnership_get_refuses_a_hidden_partnership(world):
    with pytest.raises(Partnership.DoesNotExist):
        partnership_get(slug="copernicus-lac", viewer=world.person("stranger"))


def test_partnership_member_list_orders_members_by_name():
    zeta, alpha = OrganisationFactory(name="Zeta"), OrganisationFactory(name="Alpha")
    partnership = PartnershipFactory(organisations=[zeta, alpha])
    PartnershipFactory(organisations=[OrganisationFactory(name="Elsewhere")])

    assert list(partnership_member_list(partnership=partnership)) == [alpha, zeta]


def test_candidates_are_the_organisations_not_yet_members_matching_name_or_acronym():
    member = OrganisationFactory(name="ECLAC", acronym="CEPAL")
    bella = OrganisationFactory(name="RedCLARA", acronym="BELLA")
    other = OrganisationFactory(name="GÉANT", acronym="GEANT")
    partnership = PartnershipFactory(organisations=[member])

    assert list(organisation_candidate_list(partnership=partnership)) == [other, bella]
    assert list(organisation_candidate_list(partnership=partnership, query="bella")) == [bella]
    assert list(organisation_candidate_list(partnership=partnership, query="cepal")) == []


def test_facilitator_invitation_list_leaves_out_answered_and_other_invitations(world):
    waiting = FacilitatorInvitationFactory(partnership=world.public)
    FacilitatorInvitationFactory(partnership=world.public, accepted_at=timezone.now())
    FacilitatorInvitationFactory(partnership=world.public, declined_at=timezone.now())
    FacilitatorInvitationFactory(partnership=world.other)

    assert list(facilitator_invitation_list(partnership=world.public)) == [waiting]


def test_facilitator_invitation_get_finds_by_token_only(world):
    invitation = FacilitatorInvitationFactory(partnership=world.public)

    assert facilitator_invitation_get(token=invitation.token) == invitation
    with pytest.raises(FacilitatorInvitation.DoesNotExist):
        facilitator_invitation_get(token=str(invitation.pk))


def test_composition_counts_member_organisations_by_region_and_type():
    partnership = PartnershipFactory(
        organisations=[
            OrganisationFactory(region="EU", stakeholder_type="public"),
            OrganisationFactory(region="LAC", stakeholder_type="public"),
            OrganisationFactory(region="LAC", stakeholder_type="academia"),
        ]
    )
    PartnershipFactory(organisations=[OrganisationFactory(region="OTHER")])

    assert partnership_composition(partnership=partnership) == {
        "region": {"EU": 1, "LAC": 2},
        "stakeholder_type": {"academia": 1, "public": 2},
    }


ORGANISATION_VIEWERS = {
    "visitor": ["Open"],
    "stranger": ["Open"],
    "member": ["Closed", "Open"],
    "member of another member organisation": ["Closed", "Open"],
    "facilitator": ["Closed", "Open"],
    "platform admin": ["Closed", "Open"],
}


@pytest.mark.parametrize(("viewer", "expected"), list(ORGANISATION_VIEWERS.items()))
def test_organisation_partnership_list_gives_the_same_answer_as_partnership_list(viewer, expected):
    membership = MembershipFactory()
    organisation, other = membership.organisation, OrganisationFactory()
    facilitator = UserFactory()
    PartnershipFactory(title="Open", organisations=[organisation])
    PartnershipFactory(
        title="Closed",
        organisations=[organisation, other],
        facilitators=[facilitator],
        visibility=Partnership.Visibility.MEMBERS,
    )
    PartnershipFactory(title="Not ours")
    person = {
        "visitor": AnonymousUser(),
        "stranger": UserFactory(),
        "member": membership.person,
        "member of another member organisation": MembershipFactory(organisation=other).person,
        "facilitator": facilitator,
        "platform admin": AdminFactory(),
    }[viewer]

    on_the_page = organisation_partnership_list(organisation=organisation, viewer=person)
    in_the_list = partnership_list(viewer=person).exclude(title="Not ours")

    assert [partnership.title for partnership in on_the_page] == expected
    assert [partnership.title for partnership in in_the_list] == expected
