import pytest

from puente.partnerships.models import Partnership
from tests.accounts.factories import UserFactory
from tests.partnerships.factories import PartnershipFactory
from tests.stakeholders.factories import MembershipFactory, OrganisationFactory


@pytest.mark.django_db
def test_members_only_partnership_is_visible_to_members_and_facilitators_only():
    member = MembershipFactory()
    facilitator = UserFactory()
    outsider = UserFactory()
    partnership = PartnershipFactory(
        visibility=Partnership.Visibility.MEMBERS,
        organisations=[member.organisation, OrganisationFactory()],
        facilitators=[facilitator],
    )
    visible = Partnership.objects.visible_to
    assert list(visible(member.person)) == [partnership]
    assert list(visible(facilitator)) == [partnership]
    assert list(visible(outsider)) == []
