"""Who may see, run and take part in dialogues; what each may do is also up to the phase."""

from collections.abc import Callable
from datetime import datetime

from allauth.account.models import EmailAddress
from django.db.models.functions import Lower
from django.utils import timezone

from puente.core.permissions import Viewer, is_platform_admin, is_signed_in
from puente.partnerships.models import Partnership
from puente.partnerships.permissions import can_view_partnership, is_facilitator
from puente.stakeholders.models import Membership, Organisation

from .models import Dialogue, DialogueInvitation, Phase, Statement
from .phases import Action, dialogue_phase_now, phase_allows


def can_view_dialogue(user: Viewer, dialogue: Dialogue) -> bool:
    """Whoever may read the partnership may read its dialogues."""
    return can_view_partnership(user, dialogue.partnership)


def can_create_dialogue(user: Viewer, partnership: Partnership) -> bool:
    """The partnership's facilitators and platform admins open its dialogues."""
    return is_platform_admin(user) or is_facilitator(user, partnership)


def can_edit_dialogue(user: Viewer, dialogue: Dialogue) -> bool:
    """The partnership's facilitators and platform admins edit its dialogues."""
    return can_create_dialogue(user, dialogue.partnership)


def can_move_phase(user: Viewer, dialogue: Dialogue) -> bool:
    """The partnership's facilitators and platform admins move a dialogue's phase."""
    return can_edit_dialogue(user, dialogue)


def participation_organisations(user: Viewer, dialogue: Dialogue) -> list[Organisation]:
    """Return the organisations the person may take part for, by name."""
    if not is_signed_in(user):
        return []
    organisations = Organisation.objects.filter(
        memberships__person=user.pk, memberships__status=Membership.Status.ACTIVE
    )
    if dialogue.participation == Dialogue.Audience.MEMBERS:
        organisations = organisations.filter(partnership_links__partnership=dialogue.partnership)
    return list(organisations.order_by("name", "pk").distinct())


def is_invited(user: Viewer, dialogue: Dialogue) -> bool:
    """Return whether one of the person's verified e-mail addresses was invited to the dialogue."""
    if not is_signed_in(user):
        return False
    emails = [
        email.lower()
        for email in EmailAddress.objects.filter(user=user.pk, verified=True).values_list(
            "email", flat=True
        )
    ]
    return bool(emails) and (
        DialogueInvitation.objects.annotate(email_lower=Lower("email"))
        .filter(dialogue=dialogue, email_lower__in=emails)
        .exists()
    )


def can_take_part_as_individual(user: Viewer, dialogue: Dialogue) -> bool:
    """Dialogues open to any signed-in person, or to invited people, take individuals."""
    if not is_signed_in(user) or not can_view_dialogue(user, dialogue):
        return False
    if dialogue.participation == Dialogue.Audience.SIGNED_IN:
        return True
    return dialogue.participation == Dialogue.Audience.INVITED and is_invited(user, dialogue)


def can_take_part(user: Viewer, dialogue: Dialogue) -> bool:
    """Signed-in readers of the dialogue whom its audience admits: all, invited or members."""
    if not is_signed_in(user) or not can_view_dialogue(user, dialogue):
        return False
    if dialogue.participation == Dialogue.Audience.SIGNED_IN:
        return True
    if dialogue.participation == Dialogue.Audience.INVITED:
        return is_invited(user, dialogue)
    return bool(participation_organisations(user, dialogue))


# Who may do an action at all, before the phase is asked; the phase table is in phases.py.
_ACTORS: dict[Action, Callable[[Viewer, Dialogue], bool]] = {
    Action.CONTRIBUTE: can_take_part,
    Action.COMMENT: can_take_part,
    Action.VOTE: can_take_part,
    Action.COMPARE: can_take_part,
    Action.SEE_RESULTS: can_view_dialogue,
    Action.DRAFT_AGENDA: can_edit_dialogue,
}


def can_do(user: Viewer, dialogue: Dialogue, action: Action, now: datetime | None = None) -> bool:
    """Return whether the user may do the action in the dialogue's phase at now."""
    phase = dialogue_phase_now(dialogue, now or timezone.now())
    return phase_allows(phase, action) and _ACTORS[action](user, dialogue)


def allowed_actions(user: Viewer, dialogue: Dialogue, now: datetime | None = None) -> list[Action]:
    """Return what the user may do in the dialogue now, in the order of Action."""
    phase = dialogue_phase_now(dialogue, now or timezone.now())
    answers: dict[Callable[[Viewer, Dialogue], bool], bool] = {}
    allowed = []
    for action in Action:
        if not phase_allows(phase, action):
            continue
        predicate = _ACTORS[action]
        # Each predicate once: they read the database.
        if predicate not in answers:
            answers[predicate] = predicate(user, dialogue)
        if answers[predicate]:
            allowed.append(action)
    return allowed


# Statements, comments, flags and moderation.


def _is_open(dialogue: Dialogue, now: datetime | None = None) -> bool:
    return dialogue_phase_now(dialogue, now or timezone.now()) != Phase.CLOSED


def can_moderate(user: Viewer, dialogue: Dialogue) -> bool:
    """The partnership's facilitators and platform admins moderate, in every phase."""
    return can_edit_dialogue(user, dialogue)


def can_seed(user: Viewer, dialogue: Dialogue, now: datetime | None = None) -> bool:
    """Moderators seed statements to start the conversation, until the dialogue closes."""
    return can_moderate(user, dialogue) and _is_open(dialogue, now)


def can_add_statement(user: Viewer, dialogue: Dialogue, now: datetime | None = None) -> bool:
    """Whoever may contribute in the dialogue's phase adds statements."""
    return can_do(user, dialogue, Action.CONTRIBUTE, now)


def can_comment(user: Viewer, dialogue: Dialogue, now: datetime | None = None) -> bool:
    """Whoever may comment in the dialogue's phase comments and replies."""
    return can_do(user, dialogue, Action.COMMENT, now)


def can_flag(user: Viewer, dialogue: Dialogue, now: datetime | None = None) -> bool:
    """People who may take part flag statements and comments, until the dialogue closes."""
    return _is_open(dialogue, now) and can_take_part(user, dialogue)


def _is_author(user: Viewer, statement: Statement) -> bool:
    return is_signed_in(user) and statement.author_id is not None and statement.author_id == user.pk


def can_view_statement(user: Viewer, statement: Statement) -> bool:
    """Shown statements to the dialogue's readers; the others to their author and moderators."""
    dialogue = statement.dialogue
    if not can_view_dialogue(user, dialogue):
        return False
    if statement.is_shown:
        return True
    return _is_author(user, statement) or can_moderate(user, dialogue)


def can_translate_statement(user: Viewer, statement: Statement) -> bool:
    """The statement's author and the moderators of its dialogue translate it."""
    return _is_author(user, statement) or can_moderate(user, statement.dialogue)


def can_edit_statement(user: Viewer, statement: Statement, now: datetime | None = None) -> bool:
    """Moderators edit any statement; its author while contributions are open and it is
    waiting for moderation or published without votes."""
    dialogue = statement.dialogue
    if can_moderate(user, dialogue):
        return True
    if not _is_author(user, statement) or not can_add_statement(user, dialogue, now):
        return False
    if statement.status == Statement.Status.PENDING:
        return True
    return statement.status == Statement.Status.PUBLISHED and not statement.votes.exists()


def can_manage_invitations(user: Viewer, dialogue: Dialogue) -> bool:
    """The partnership's facilitators and platform admins invite people by e-mail."""
    return can_edit_dialogue(user, dialogue)
