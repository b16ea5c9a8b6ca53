import factory

from puente.dialogues.models import (
    Comment,
    Dialogue,
    DialogueInvitation,
    Flag,
    Participation,
    Phase,
    Statement,
    Vote,
)
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


class StatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Statement

    dialogue = factory.SubFactory(DialogueFactory)
    text = factory.Sequence(lambda n: f"Statement {n}: the partnership should act.")
    kind = Statement.Kind.PROPOSAL
    language = "en"
    author = factory.SubFactory(UserFactory)
    status = Statement.Status.PUBLISHED


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    statement = factory.SubFactory(StatementFactory)
    author = factory.SubFactory(UserFactory)
    text = factory.Sequence(lambda n: f"Comment {n}")
    language = "en"


class VoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vote

    statement = factory.SubFactory(StatementFactory)
    dialogue = factory.SelfAttribute("statement.dialogue")
    participant = factory.SubFactory(UserFactory)
    choice = Vote.Choice.AGREE


class FlagFactory(factory.django.DjangoModelFactory):
    """A flag on a statement; pass comment=... and statement=None to flag a comment."""

    class Meta:
        model = Flag

    statement = factory.SubFactory(StatementFactory)
    person = factory.SubFactory(UserFactory)
    reason = Flag.Reason.SPAM


class DialogueInvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DialogueInvitation

    dialogue = factory.SubFactory(DialogueFactory)
    email = factory.Sequence(lambda n: f"guest{n}@example.org")
