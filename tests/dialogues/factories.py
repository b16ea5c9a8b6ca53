import factory

from puente.dialogues.models import Dialogue, Participation, Phase
from tests.accounts.factories import UserFactory
from tests.partnerships.factories import PartnershipFactory


class DialogueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dialogue

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.Sequence(lambda n: f"Dialogue {n}")
    slug = factory.Sequence(lambda n: f"dialogue-{n}")
    framing_question = "What should the partnership do first?"
    description = "A demo dialogue."
    languages = factory.LazyFunction(lambda: ["en", "es"])
    participation = Dialogue.Audience.MEMBERS
    phase = Phase.CONTRIBUTE


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    dialogue = factory.SubFactory(DialogueFactory)
    person = factory.SubFactory(UserFactory)
    country = "CL"
    region = "LAC"
