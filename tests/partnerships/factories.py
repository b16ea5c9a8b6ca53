import factory

from puente.core.choices import Region
from puente.partnerships.models import (
    FacilitatorInvitation,
    Partnership,
    PartnershipJoinRequest,
    PartnershipMember,
)
from tests.stakeholders.factories import OrganisationFactory


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Partnership {n}")
    slug = factory.Sequence(lambda n: f"partnership-{n}")
    description = "A demo partnership."
    regions = factory.LazyFunction(lambda: [Region.EU.value, Region.LAC.value])
    visibility = Partnership.Visibility.PUBLIC

    @factory.post_generation
    def facilitators(self, create, extracted, **kwargs):
        if create and extracted:
            self.facilitators.set(extracted)

    @factory.post_generation
    def organisations(self, create, extracted, **kwargs):
        if create and extracted:
            for organisation in extracted:
                PartnershipMember.objects.create(partnership=self, organisation=organisation)


class PartnershipMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnershipMember

    partnership = factory.SubFactory(PartnershipFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class FacilitatorInvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FacilitatorInvitation

    partnership = factory.SubFactory(PartnershipFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")


class PartnershipJoinRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnershipJoinRequest

    partnership = factory.SubFactory(PartnershipFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    message = "We work on connectivity."
