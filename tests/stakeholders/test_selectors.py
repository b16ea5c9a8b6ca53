import pytest
from django.contrib.auth.models import AnonymousUser

from puente.core.choices import Region
from puente.core.models import Theme
from puente.stakeholders.models import Membership
from puente.stakeholders.selectors import (
    invitation_list,
    invitation_list_for,
    membership_of,
    organisation_country_list,
    organisation_get,
    organisation_list,
)
from tests.accounts.factories import UserFactory
from tests.stakeholders.factories import (
    InvitationFactory,
    MembershipFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db


def test_organisation_list_matches_any_chosen_theme_once():
    themes = list(Theme.objects.filter(code__in=["ai", "connectivity"]))
    both = OrganisationFactory(themes=themes)
    assert list(organisation_list(themes=["ai", "connectivity"])) == [both]


def test_organisation_list_accepts_lowercase_country_codes():
    chilean = OrganisationFactory(country="CL")
    OrganisationFactory(country="ES", region=Region.EU)
    assert list(organisation_list(countries=["cl"])) == [chilean]


def test_organisation_country_list_names_each_used_country_once(django_assert_num_queries):
    OrganisationFactory(country="CL")
    OrganisationFactory(country="CL")
    OrganisationFactory(country="ES", region=Region.EU)
    with django_assert_num_queries(2):  # the directory's version, then the countries
        assert organisation_country_list() == ["CL", "ES"]
    with django_assert_num_queries(1):  # the version: the list comes from the cache
        assert organisation_country_list() == ["CL", "ES"]


def test_organisation_country_list_follows_a_new_organisation_at_once():
    OrganisationFactory(country="CL")
    assert organisation_country_list() == ["CL"]
    OrganisationFactory(country="BR")
    assert organisation_country_list() == ["BR", "CL"]


def test_organisation_get_counts_only_active_members():
    organisation = OrganisationFactory()
    MembershipFactory(organisation=organisation)
    MembershipFactory(organisation=organisation, status=Membership.Status.PENDING)
    assert getattr(organisation_get(slug=organisation.slug), "n_members") == 1  # noqa: B009


def test_membership_of_finds_pending_and_active_and_nothing_for_visitors():
    request = MembershipFactory(status=Membership.Status.PENDING)
    assert membership_of(person=request.person, organisation=request.organisation) == request
    assert membership_of(person=AnonymousUser(), organisation=request.organisation) is None
    assert membership_of(person=UserFactory(), organisation=request.organisation) is None


def test_invitation_lists_leave_out_accepted_invitations():
    invitation = InvitationFactory(email="guest@example.org")
    InvitationFactory(organisation=invitation.organisation, accepted_at="2025-01-01T00:00Z")
    assert list(invitation_list(organisation=invitation.organisation)) == [invitation]
    person = UserFactory(email="Guest@example.org")
    assert list(invitation_list_for(person=person)) == [invitation]
