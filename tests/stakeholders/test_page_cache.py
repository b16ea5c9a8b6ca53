"""A visitor's organisation page is cached; every change it shows must reach it at once."""

import pytest

from puente.partnerships.models import Partnership, PartnershipMember
from puente.stakeholders.models import Membership
from tests.partnerships.factories import PartnershipFactory
from tests.stakeholders.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Agencia Uno", description="Works on fibre.")


def _page(client, organisation):
    return client.get(organisation.get_absolute_url()).content.decode()


def test_a_visitor_seen_page_is_read_from_the_cache(
    client, organisation, django_assert_max_num_queries
):
    _page(client, organisation)
    # The organisation, then the versions of what the page shows.
    with django_assert_max_num_queries(2):
        assert "Agencia Uno" in _page(client, organisation)


def test_the_profile_changed_shows_at_once(client, organisation):
    _page(client, organisation)
    organisation.description = "Now works on satellites."
    organisation.save()
    assert "satellites" in _page(client, organisation)


def test_a_partnership_joined_or_renamed_shows_at_once(client, organisation):
    _page(client, organisation)
    partnership = PartnershipFactory(title="Digital Bridge")
    PartnershipMember.objects.create(partnership=partnership, organisation=organisation)
    assert "Digital Bridge" in _page(client, organisation)
    partnership.title = "Digital Alliance"
    partnership.save()
    assert "Digital Alliance" in _page(client, organisation)


def test_a_members_only_partnership_never_shows_to_a_visitor(client, organisation):
    partnership = PartnershipFactory(
        title="Closed Circle", visibility=Partnership.Visibility.MEMBERS
    )
    PartnershipMember.objects.create(partnership=partnership, organisation=organisation)
    member = MembershipFactory(organisation=organisation, status=Membership.Status.ACTIVE).person
    client.force_login(member)
    assert "Closed Circle" in _page(client, organisation)
    client.logout()
    assert "Closed Circle" not in _page(client, organisation)


def test_what_an_admin_sees_never_reaches_a_visitor(client, organisation):
    admin = MembershipFactory(
        organisation=organisation, status=Membership.Status.ACTIVE, role=Membership.Role.ADMIN
    ).person
    client.force_login(admin)
    assert "Edit the profile" in _page(client, organisation)
    client.logout()
    assert "Edit the profile" not in _page(client, organisation)
