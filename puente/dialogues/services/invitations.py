"""Writes to invitations to dialogues open to invited people only."""

from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from puente.accounts.models import User
from puente.core.mail import mail_send_after_response
from puente.notifications.models import Kind
from puente.notifications.services import notification_send

from ..models import (
    Dialogue,
    DialogueInvitation,
)
from ..permissions import (
    can_manage_invitations,
)


def _send_dialogue_invitation(invitation_id: int, base_url: str) -> None:
    invitation = (
        DialogueInvitation.objects.select_related("dialogue__partnership", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None:
        return
    person = User.objects.filter(email__iexact=invitation.email).first()
    language = (person.preferred_language if person else "") or settings.LANGUAGE_CODE
    dialogue = invitation.dialogue
    with translation.override(language):
        message = EmailMessage(
            subject=_("Invitation to the dialogue “%(dialogue)s” on Puente")
            % {"dialogue": dialogue.title},
            body=_(
                "You have been invited to take part in the dialogue “%(dialogue)s” of "
                "%(partnership)s.\n\n%(question)s\n\nSign in or create an account with this "
                "e-mail address, then open:\n%(url)s\n"
            )
            % {
                "dialogue": dialogue.title,
                "partnership": dialogue.partnership.title,
                "question": dialogue.framing_question,
                "url": base_url + dialogue.get_absolute_url(),
            },
            to=[invitation.email],
        )
    mail_send_after_response(message)
    if person is not None and person.is_active:
        notification_send(
            kind=Kind.INVITATION,
            recipients=[person],
            message=gettext_lazy("You are invited to take part in the dialogue “%(dialogue)s”."),
            params={"dialogue": dialogue.title},
            url=dialogue.get_absolute_url(),
            actor=invitation.invited_by,
            already_mailed=True,
        )


@transaction.atomic
def invitation_create(
    *, actor: User, dialogue: Dialogue, email: str, base_url: str = ""
) -> DialogueInvitation:
    """Invite an e-mail address to the dialogue; the message leaves once it is stored."""
    if not can_manage_invitations(actor, dialogue):
        raise PermissionDenied
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from error
    already = ValidationError(
        {"email": _("This address has already been invited.")}, code="duplicate"
    )
    if (
        DialogueInvitation.objects.annotate(email_lower=Lower("email"))
        .filter(dialogue=dialogue, email_lower=email)
        .exists()
    ):
        raise already
    try:
        with transaction.atomic():
            invitation = DialogueInvitation.objects.create(
                dialogue=dialogue, email=email, invited_by=actor
            )
    except IntegrityError as error:
        raise already from error
    transaction.on_commit(partial(_send_dialogue_invitation, invitation.pk, base_url))
    return invitation


@transaction.atomic
def invitation_delete(*, actor: User, invitation: DialogueInvitation) -> None:
    """Withdraw an invitation; the person may no longer take part unless invited again."""
    if not can_manage_invitations(actor, invitation.dialogue):
        raise PermissionDenied
    invitation.delete()
