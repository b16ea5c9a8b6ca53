import factory

from puente.core.choices import Region, StakeholderType
from puente.stakeholders.models import Invitation, Membership, Organisation
from tests.accounts.factories import UserFactory


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    acronym = factory.Sequence(lambda n: f"ORG{n}")
    stakeholder_type = StakeholderType.PUBLIC_SECTOR
    region = Region.LAC
    country = "CL"
    description = "A demo organisation."

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.MEMBER
    status = Membership.Status.ACTIVE


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
