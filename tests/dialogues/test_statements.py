"""Statement, comment, flag and invitation services: what they write, refuse and send."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone, translation

from puente.dialogues.models import (
    Comment,
    Comparison,
    Dialogue,
    DialogueInvitation,
    Flag,
    Phase,
    Statement,
    Vote,
    VoteChange,
)
from puente.dialogues.services import (
    comment_create,
    comment_hide,
    comment_restore,
    flag_create,
    flag_resolve,
    invitation_create,
    invitation_delete,
    statement_approve,
    statement_create,
    statement_hide,
    statement_merge,
    statement_restore,
    statement_seed,
    statement_update,
)
from puente.notifications.models import Kind, Notification
from puente.notifications.selectors import notification_text
from tests.accounts.factories import UserFactory
from tests.dialogues.factories import (
    CommentFactory,
    ParticipationFactory,
    StatementFactory,
    VoteFactory,
)

pytestmark = pytest.mark.django_db


def _fields(error: ValidationError) -> set[str]:
    return set(error.message_dict)


@pytest.fixture
def member(world):
    person = world.person("member")
    ParticipationFactory(
        dialogue=world.dialogue, person=person, organisation=world.organisation, region="LAC"
    )
    return person


@pytest.fixture
def facilitator(world):
    return world.person("facilitator")


def _create(world, author, **kwargs):
    values = {"text": "Open data by default", "kind": "proposal", "language": "en"}
    values.update(kwargs)
    return statement_create(author=author, dialogue=world.dialogue, **values)


# statement_create


def test_a_statement_counts_for_the_organisation_the_author_takes_part_for(world, member):
    statement = _create(world, member, text="  Shared satellite data for all  ")
    assert statement.text == "Shared satellite data for all"
    assert statement.organisation == world.organisation
    assert statement.author == member
    assert statement.status == Statement.Status.PUBLISHED
    assert not statement.is_seed


def test_a_statement_needs_a_participation_first(world):
    with pytest.raises(ValidationError) as error:
        _create(world, world.person("member"))
    assert _fields(error.value) == {"participation"}
    assert not Statement.objects.exists()


def test_with_pre_moderation_a_participants_statement_waits(world, member):
    Dialogue.objects.filter(pk=world.dialogue.pk).update(pre_moderation=True)
    world.dialogue.refresh_from_db()
    assert _create(world, member).status == Statement.Status.PENDING


@pytest.mark.parametrize(
    ("text", "field"),
    [("", "text"), ("   ", "text"), ("x" * 301, "text")],
)
def test_a_statement_text_must_be_1_to_300_characters(world, member, text, field):
    with pytest.raises(ValidationError) as error:
        _create(world, member, text=text)
    assert _fields(error.value) == {field}
    assert not Statement.objects.exists()


def test_300_characters_are_enough(world, member):
    assert len(_create(world, member, text="y" * 300).text) == 300


@pytest.mark.parametrize(("name", "value"), [("kind", "wish"), ("language", "de")])
def test_unknown_kinds_and_languages_are_refused(world, member, name, value):
    with pytest.raises(ValidationError) as error:
        _create(world, member, **{name: value})
    assert _fields(error.value) == {name}


def test_the_same_text_twice_in_a_dialogue_is_refused(world, member):
    _create(world, member, text="Fibre to every school")
    with pytest.raises(ValidationError) as error:
        _create(world, member, text=" Fibre to every school ")
    assert _fields(error.value) == {"text"}
    assert Statement.objects.count() == 1


def test_the_same_text_in_another_dialogue_is_fine(world, member):
    StatementFactory(dialogue=world.open_dialogue, text="Open data by default")
    assert _create(world, member).pk


@pytest.mark.parametrize("role", ["visitor", "stranger", "outsider", "facilitator", "admin"])
def test_only_people_who_take_part_add_statements(world, role):
    person = world.person(role) or UserFactory()
    with pytest.raises(PermissionDenied):
        statement_create(
            author=person if role != "visitor" else UserFactory(is_active=False),
            dialogue=world.dialogue,
            text="x",
            kind="proposal",
            language="en",
        )


def test_no_statements_after_the_contribute_phase(world, member):
    Dialogue.objects.filter(pk=world.dialogue.pk).update(phase=Phase.DELIBERATE)
    world.dialogue.refresh_from_db()
    with pytest.raises(PermissionDenied):
        _create(world, member)


def test_a_published_statement_asks_for_results(world, member, django_capture_on_commit_callbacks):
    with (
        mock.patch("puente.dialogues.services.statements.results_schedule") as schedule,
        django_capture_on_commit_callbacks(execute=True),
    ):
        _create(world, member)
    schedule.assert_called_once_with(dialogue_id=world.dialogue.pk)


# statement_seed


def test_a_facilitator_seeds_a_published_statement_without_organisation(world, facilitator):
    Dialogue.objects.filter(pk=world.dialogue.pk).update(pre_moderation=True)
    world.dialogue.refresh_from_db()
    statement = statement_seed(
        actor=facilitator, dialogue=world.dialogue, text="Seed", kind="expectation", language="es"
    )
    assert statement.is_seed
    assert statement.status == Statement.Status.PUBLISHED
    assert statement.organisation is None
    seeded = statement_seed(
        actor=facilitator,
        dialogue=world.dialogue,
        text="Seed for ECLAC",
        kind="expectation",
        language="en",
        organisation=world.organisation,
    )
    assert seeded.organisation == world.organisation


def test_members_and_closed_dialogues_take_no_seeds(world, member, facilitator):
    with pytest.raises(PermissionDenied):
        statement_seed(
            actor=member, dialogue=world.dialogue, text="S", kind="proposal", language="en"
        )
    Dialogue.objects.filter(pk=world.dialogue.pk).update(phase=Phase.CLOSED)
    world.dialogue.refresh_from_db()
    with pytest.raises(PermissionDenied):
        statement_seed(
            actor=facilitator, dialogue=world.dialogue, text="S", kind="proposal", language="en"
        )


# statement_update


def test_the_author_edits_a_statement_without_votes(world, member):
    statement = _create(world, member)
    statement_update(actor=member, statement=statement, text=" Better text ", kind="opportunity")
    statement.refresh_from_db()
    assert (statement.text, statement.kind) == ("Better text", "opportunity")


def test_the_author_may_not_edit_once_votes_came(world, member):
    statement = _create(world, member)
    VoteFactory(statement=statement)
    with pytest.raises(PermissionDenied):
        statement_update(actor=member, statement=statement, text="Changed")


def test_an_update_keeps_the_rules_of_a_new_statement(world, member):
    _create(world, member, text="Taken")
    statement = _create(world, member, text="Mine")
    for given, field in (
        ({"text": "Taken"}, "text"),
        ({"text": ""}, "text"),
        ({"kind": "x"}, "kind"),
    ):
        with pytest.raises(ValidationError) as error:
            statement_update(actor=member, statement=statement, **given)
        assert _fields(error.value) == {field}
    statement.refresh_from_db()
    assert statement.text == "Mine"


def test_a_moderator_edits_any_statement(world, facilitator):
    statement = StatementFactory(dialogue=world.dialogue)
    VoteFactory(statement=statement)
    statement_update(actor=facilitator, statement=statement, details="*More*")
    statement.refresh_from_db()
    assert statement.details == "*More*"


# hide, restore, approve


def test_hiding_needs_a_reason_and_records_who_and_when(world, facilitator):
    statement = StatementFactory(dialogue=world.dialogue)
    with pytest.raises(ValidationError) as error:
        statement_hide(actor=facilitator, statement=statement, reason="  ")
    assert _fields(error.value) == {"reason"}
    statement.refresh_from_db()
    assert statement.status == Statement.Status.PUBLISHED

    open_flag = Flag.objects.create(statement=statement, person=UserFactory(), reason="spam")
    hidden = statement_hide(actor=facilitator, statement=statement, reason="Advertising")
    assert hidden.status == Statement.Status.HIDDEN
    assert hidden.moderation_reason == "Advertising"
    assert hidden.moderated_by == facilitator
    assert hidden.moderated_at is not None
    open_flag.refresh_from_db()
    assert open_flag.resolved_by == facilitator


def test_restore_and_approve_publish(world, facilitator):
    hidden = StatementFactory(dialogue=world.dialogue, status="hidden", moderation_reason="x")
    pending = StatementFactory(dialogue=world.dialogue, status="pending")
    assert statement_restore(actor=facilitator, statement=hidden).status == "published"
    hidden.refresh_from_db()
    assert hidden.moderation_reason == ""
    assert statement_approve(actor=facilitator, statement=pending).status == "published"


def test_restore_and_approve_refuse_the_wrong_status(world, facilitator):
    published = StatementFactory(dialogue=world.dialogue)
    for service in (statement_restore, statement_approve):
        with pytest.raises(ValidationError) as error:
            service(actor=facilitator, statement=published)
        assert _fields(error.value) == {"statement"}


@pytest.mark.parametrize("role", ["stranger", "member", "outsider"])
def test_only_moderators_moderate(world, role):
    person = world.person(role)
    statement = StatementFactory(dialogue=world.dialogue, status="pending")
    with pytest.raises(PermissionDenied):
        statement_hide(actor=person, statement=statement, reason="No")
    with pytest.raises(PermissionDenied):
        statement_approve(actor=person, statement=statement)
    with pytest.raises(PermissionDenied):
        statement_restore(actor=person, statement=statement)
    other = StatementFactory(dialogue=world.dialogue)
    with pytest.raises(PermissionDenied):
        statement_merge(actor=person, duplicate=statement, survivor=other)
    statement.refresh_from_db()
    assert statement.status == "pending"


def test_moderation_asks_for_results_after_commit(
    world, facilitator, django_capture_on_commit_callbacks
):
    statement = StatementFactory(dialogue=world.dialogue)
    with mock.patch("puente.dialogues.services.statements.results_schedule") as schedule:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            statement_hide(actor=facilitator, statement=statement, reason="Off topic")
        schedule.assert_not_called()
        for callback in callbacks:
            callback()
        schedule.assert_called_once_with(dialogue_id=world.dialogue.pk)


# statement_merge


def _vote(statement, participant, choice, at):
    vote = VoteFactory(statement=statement, participant=participant, choice=choice)
    Vote.objects.filter(pk=vote.pk).update(updated_at=at)
    return vote


def test_merging_moves_votes_and_the_later_vote_wins(
    world, facilitator, mailoutbox, django_capture_on_commit_callbacks
):
    author = UserFactory(preferred_language="es", email="autora@example.org")
    duplicate = StatementFactory(dialogue=world.dialogue, author=author, text="Fibre for schools")
    survivor = StatementFactory(dialogue=world.dialogue, text="Connect every school")
    earlier, later = timezone.now() - timedelta(days=2), timezone.now() - timedelta(days=1)
    only_duplicate, both_later_on_duplicate, both_later_on_survivor, only_survivor = (
        UserFactory(),
        UserFactory(),
        UserFactory(),
        UserFactory(),
    )
    _vote(duplicate, only_duplicate, Vote.Choice.DISAGREE, earlier)
    _vote(duplicate, both_later_on_duplicate, Vote.Choice.AGREE, later)
    _vote(survivor, both_later_on_duplicate, Vote.Choice.DISAGREE, earlier)
    _vote(duplicate, both_later_on_survivor, Vote.Choice.DISAGREE, earlier)
    _vote(survivor, both_later_on_survivor, Vote.Choice.PASS, later)
    _vote(survivor, only_survivor, Vote.Choice.AGREE, earlier)
    comment = CommentFactory(statement=duplicate)
    reply = CommentFactory(statement=duplicate, parent=comment)

    with django_capture_on_commit_callbacks(execute=True):
        statement_merge(actor=facilitator, duplicate=duplicate, survivor=survivor)

    duplicate.refresh_from_db()
    assert duplicate.status == Statement.Status.MERGED
    assert duplicate.merged_into == survivor
    assert not Vote.objects.filter(statement=duplicate).exists()
    assert dict(Vote.objects.filter(statement=survivor).values_list("participant", "choice")) == {
        only_duplicate.pk: Vote.Choice.DISAGREE,
        both_later_on_duplicate.pk: Vote.Choice.AGREE,
        both_later_on_survivor.pk: Vote.Choice.PASS,
        only_survivor.pk: Vote.Choice.AGREE,
    }
    # History: the moved vote and the one the later duplicate vote replaced.
    assert sorted(
        VoteChange.objects.filter(statement=survivor).values_list("participant", "choice")
    ) == sorted([(only_duplicate.pk, -1), (both_later_on_duplicate.pk, 1)])
    assert set(
        Comment.objects.filter(pk__in=[comment.pk, reply.pk]).values_list("statement", flat=True)
    ) == {survivor.pk}
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["autora@example.org"]
    assert "Connect every school" in mailoutbox[0].body
    assert survivor.get_absolute_url() in mailoutbox[0].body


def test_merging_moves_comparisons_one_per_person_and_pair(world, facilitator):
    # Ids in order: low < duplicate < middle < survivor < high, so the survivor takes the
    # duplicate's place in some pairs and the other place in others.
    low, duplicate, middle, survivor, high = (
        StatementFactory(dialogue=world.dialogue) for _ in range(5)
    )
    earlier, later = timezone.now() - timedelta(days=2), timezone.now() - timedelta(days=1)
    person, other_person = UserFactory(), UserFactory()

    def compare(participant, first, second, choice, at):
        comparison = Comparison.objects.create(
            dialogue=world.dialogue,
            participant=participant,
            first=first,
            second=second,
            choice=choice,
        )
        Comparison.objects.filter(pk=comparison.pk).update(updated_at=at)

    first, second, undecided = (
        Comparison.Choice.FIRST,
        Comparison.Choice.SECOND,
        Comparison.Choice.UNDECIDED,
    )
    compare(person, low, duplicate, second, later)  # low < survivor: stays "second"
    compare(person, duplicate, high, first, earlier)  # survivor < high: stays "first"
    compare(person, duplicate, middle, first, earlier)  # survivor > middle: turns to "second"
    compare(person, duplicate, survivor, first, earlier)  # a statement against its copy
    compare(other_person, duplicate, middle, first, later)  # later than its survivor answer
    compare(other_person, middle, survivor, first, earlier)
    compare(other_person, low, duplicate, first, earlier)  # earlier than its survivor answer
    compare(other_person, low, survivor, undecided, later)

    statement_merge(actor=facilitator, duplicate=duplicate, survivor=survivor)

    assert not Comparison.objects.filter(Q(first=duplicate) | Q(second=duplicate)).exists()
    answers = set(Comparison.objects.values_list("participant", "first", "second", "choice"))
    assert answers == {
        (person.pk, low.pk, survivor.pk, second),
        (person.pk, survivor.pk, high.pk, first),
        (person.pk, middle.pk, survivor.pk, second),
        (other_person.pk, middle.pk, survivor.pk, second),
        (other_person.pk, low.pk, survivor.pk, undecided),
    }


def test_the_merge_notice_is_a_notification_mailed_in_the_authors_language(
    world, facilitator, mailoutbox, django_capture_on_commit_callbacks
):
    author = UserFactory(preferred_language="es")
    duplicate = StatementFactory(dialogue=world.dialogue, author=author)
    survivor = StatementFactory(dialogue=world.dialogue)

    with django_capture_on_commit_callbacks(execute=True):
        statement_merge(actor=facilitator, duplicate=duplicate, survivor=survivor)

    (notification,) = Notification.objects.filter(recipient=author)
    assert notification.kind == Kind.STATEMENT_MODERATED
    assert notification.url == survivor.get_absolute_url()
    assert not Notification.objects.filter(recipient=facilitator).exists()
    assert translation.get_language() != "es"
    (message,) = mailoutbox
    assert message.to == [author.email]
    with translation.override("es"):
        assert notification_text(notification) in message.body
    assert survivor.text in message.body


@pytest.mark.parametrize("case", ["self", "other dialogue", "survivor hidden", "already merged"])
def test_merging_refuses_a_wrong_pair_and_writes_nothing(world, facilitator, case):
    duplicate = StatementFactory(dialogue=world.dialogue)
    survivor = StatementFactory(dialogue=world.dialogue)
    VoteFactory(statement=duplicate)
    field = "survivor"
    if case == "self":
        survivor = duplicate
    elif case == "other dialogue":
        survivor = StatementFactory(dialogue=world.open_dialogue)
    elif case == "survivor hidden":
        Statement.objects.filter(pk=survivor.pk).update(status="hidden")
    else:
        third = StatementFactory(dialogue=world.dialogue)
        Statement.objects.filter(pk=duplicate.pk).update(status="merged", merged_into=third)
        field = "statement"
    with pytest.raises(ValidationError) as error:
        statement_merge(actor=facilitator, duplicate=duplicate, survivor=survivor)
    assert _fields(error.value) == {field}
    assert Vote.objects.filter(statement=duplicate).count() == 1


def test_statements_merged_into_the_duplicate_follow_it(world, facilitator):
    first = StatementFactory(dialogue=world.dialogue)
    second = StatementFactory(dialogue=world.dialogue)
    third = StatementFactory(dialogue=world.dialogue)
    statement_merge(actor=facilitator, duplicate=first, survivor=second)
    statement_merge(actor=facilitator, duplicate=second, survivor=third)
    first.refresh_from_db()
    assert first.merged_into == third


# comments


@pytest.fixture
def published(world):
    return StatementFactory(dialogue=world.dialogue)


def test_a_participant_comments_and_replies(world, member, published):
    comment = comment_create(author=member, statement=published, text=" Yes ", language="en")
    reply = comment_create(
        author=member, statement=published, text="Indeed", language="en", parent=comment
    )
    assert comment.text == "Yes"
    assert reply.parent == comment


def test_a_reply_to_a_reply_joins_the_top_comment(world, member, published):
    top = CommentFactory(statement=published)
    reply = CommentFactory(statement=published, parent=top)
    answer = comment_create(
        author=member, statement=published, text="Also", language="en", parent=reply
    )
    assert answer.parent == top


def test_a_reply_names_a_comment_of_the_same_statement(world, member, published):
    elsewhere = CommentFactory(statement=StatementFactory(dialogue=world.dialogue))
    with pytest.raises(ValidationError) as error:
        comment_create(
            author=member, statement=published, text="x", language="en", parent=elsewhere
        )
    assert _fields(error.value) == {"parent"}


@pytest.mark.parametrize(("text", "field"), [("", "text"), ("z" * 2001, "text")])
def test_comment_text_is_checked(world, member, published, text, field):
    with pytest.raises(ValidationError) as error:
        comment_create(author=member, statement=published, text=text, language="en")
    assert _fields(error.value) == {field}
    assert not Comment.objects.exists()


def test_hidden_statements_take_no_comments(world, member):
    statement = StatementFactory(dialogue=world.dialogue, status="hidden", author=member)
    with pytest.raises(ValidationError) as error:
        comment_create(author=member, statement=statement, text="x", language="en")
    assert _fields(error.value) == {"statement"}


def test_no_comments_in_the_prioritise_phase_or_from_strangers(world, member, published):
    with pytest.raises(PermissionDenied):
        comment_create(
            author=world.person("stranger"), statement=published, text="x", language="en"
        )
    Dialogue.objects.filter(pk=world.dialogue.pk).update(phase=Phase.PRIORITISE)
    published.dialogue.refresh_from_db()
    with pytest.raises(PermissionDenied):
        comment_create(author=member, statement=published, text="x", language="en")


def test_a_moderator_hides_a_comment_with_a_reason(world, facilitator, published, member):
    comment = CommentFactory(statement=published)
    with pytest.raises(ValidationError):
        comment_hide(actor=facilitator, comment=comment, reason="")
    with pytest.raises(PermissionDenied):
        comment_hide(actor=member, comment=comment, reason="Rude")
    comment_hide(actor=facilitator, comment=comment, reason="Rude")
    comment.refresh_from_db()
    assert comment.is_hidden
    assert comment.moderation_reason == "Rude"


def test_a_moderator_restores_a_hidden_comment_only(world, facilitator, published, member):
    comment = CommentFactory(statement=published, is_hidden=True, moderation_reason="Rude")
    with pytest.raises(PermissionDenied):
        comment_restore(actor=member, comment=comment)
    comment.refresh_from_db()
    assert comment.is_hidden
    comment_restore(actor=facilitator, comment=comment)
    comment.refresh_from_db()
    assert (comment.is_hidden, comment.moderation_reason) == (False, "")
    with pytest.raises(ValidationError) as error:
        comment_restore(actor=facilitator, comment=comment)
    assert _fields(error.value) == {"comment"}


# flags


def test_a_participant_flags_a_statement_once(world, member, published):
    flag = flag_create(person=member, statement=published, reason="spam", note=" ads ")
    assert (flag.statement, flag.note, flag.resolved_at) == (published, "ads", None)
    with pytest.raises(ValidationError) as error:
        flag_create(person=member, statement=published, reason="offensive")
    assert _fields(error.value) == {"statement"}
    assert "already flagged" in error.value.message_dict["statement"][0]
    assert Flag.objects.count() == 1


def test_a_participant_flags_a_comment_once(world, member, published):
    comment = CommentFactory(statement=published)
    flag_create(person=member, comment=comment, reason="off_topic")
    with pytest.raises(ValidationError) as error:
        flag_create(person=member, comment=comment, reason="off_topic")
    assert _fields(error.value) == {"comment"}


@pytest.mark.parametrize(
    ("given", "field"),
    [({"reason": "boring"}, "reason"), ({"reason": "spam", "note": "n" * 501}, "note")],
)
def test_flag_input_is_checked(world, member, published, given, field):
    with pytest.raises(ValidationError) as error:
        flag_create(person=member, statement=published, **given)
    assert _fields(error.value) == {field}


def test_a_flag_names_one_target(world, member, published):
    with pytest.raises(ValidationError):
        flag_create(person=member, reason="spam")
    with pytest.raises(ValidationError):
        flag_create(
            person=member,
            reason="spam",
            statement=published,
            comment=CommentFactory(statement=published),
        )


def test_strangers_and_closed_dialogues_take_no_flags(world, member, published):
    with pytest.raises(PermissionDenied):
        flag_create(person=world.person("stranger"), statement=published, reason="spam")
    Dialogue.objects.filter(pk=world.dialogue.pk).update(phase=Phase.CLOSED)
    published.dialogue.refresh_from_db()
    with pytest.raises(PermissionDenied):
        flag_create(person=member, statement=published, reason="spam")


def test_a_moderator_resolves_a_flag_once(world, member, facilitator, published):
    flag = flag_create(person=member, statement=published, reason="spam")
    with pytest.raises(PermissionDenied):
        flag_resolve(actor=member, flag=flag)
    flag_resolve(actor=facilitator, flag=flag)
    assert flag.resolved_by == facilitator
    with pytest.raises(ValidationError):
        flag_resolve(actor=facilitator, flag=flag)


# invitations


def test_invitations_are_unique_per_address_whatever_the_case(
    world, facilitator, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_create(
            actor=facilitator,
            dialogue=world.dialogue,
            email=" Gina@Example.org ",
            base_url="https://p.example",
        )
    assert invitation.email == "gina@example.org"
    assert mailoutbox[0].to == ["gina@example.org"]
    assert "https://p.example" + world.dialogue.get_absolute_url() in mailoutbox[0].body
    with pytest.raises(ValidationError) as error:
        invitation_create(actor=facilitator, dialogue=world.dialogue, email="GINA@example.org")
    assert _fields(error.value) == {"email"}
    assert DialogueInvitation.objects.count() == 1


def test_invitations_need_a_valid_address_and_a_facilitator(world, facilitator, member):
    with pytest.raises(ValidationError) as error:
        invitation_create(actor=facilitator, dialogue=world.dialogue, email="not an address")
    assert _fields(error.value) == {"email"}
    with pytest.raises(PermissionDenied):
        invitation_create(actor=member, dialogue=world.dialogue, email="a@example.org")


def test_a_facilitator_withdraws_an_invitation(world, facilitator, member):
    invitation = invitation_create(
        actor=facilitator, dialogue=world.dialogue, email="a@example.org"
    )
    with pytest.raises(PermissionDenied):
        invitation_delete(actor=member, invitation=invitation)
    invitation_delete(actor=facilitator, invitation=invitation)
    assert not DialogueInvitation.objects.exists()
