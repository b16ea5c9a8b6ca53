import pytest

from puente.partnerships.models import Partnership
from tests.partnerships.factories import PartnershipFactory
from tests.stakeholders.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_visible_to_gives_the_same_answer_from_an_organisations_related_manager():
    x, other = OrganisationFactory(), OrganisationFactory()
    partnership = PartnershipFactory(
        visibility=Partnership.Visibility.MEMBERS, organisations=[x, other]
    )
    member_of_other = MembershipFactory(organisation=other).person

    # The related manager shares its join with the next filter; the rule must not narrow to x.
    assert list(x.partnerships.visible_to(member_of_other)) == [partnership]
    assert list(Partnership.objects.visible_to(member_of_other)) == [partnership]
