"""Writes to partnerships, their member organisations and facilitators."""

from collections.abc import Iterable
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from puente.accounts.models import User
from puente.core.choices import Region
from puente.core.content_language import (
    active_language,
    original_language_check,
    translation_store,
)
from puente.core.names import name_clean, name_key, name_skeletons
from puente.core.permissions import is_platform_admin
from puente.core.registry import AccountDeletionBlock
from puente.core.slugs import unique_slug
from puente.core.types import UNSET, Unset
from puente.notifications.models import Kind
from puente.notifications.services import notification_send
from puente.stakeholders.models import Organisation
from puente.stakeholders.permissions import is_organisation_admin
from puente.stakeholders.selectors import organisation_admins

from .models import (
    FacilitatorInvitation,
    Partnership,
    PartnershipJoinRequest,
    PartnershipMember,
    PartnershipTranslation,
)
from .permissions import (
    can_answer_facilitator_invitation,
    can_create_partnership,
    can_decide_join_request,
    can_edit_partnership,
    can_manage_partnership_members,
    can_see_partnership_exists,
    can_withdraw_join_request,
)
from .selectors import facilitator_invitation_list

EDITABLE_FIELDS = (
    "title",
    "description",
    "description_language",
    "regions",
    "visibility",
    "is_discoverable",
)
# Paths under /partnerships/ that a slug must not shadow.
RESERVED_SLUGS = frozenset({"new", "invitations"})
# A join request's message and a decision's reason.
MESSAGE_MAX_LENGTH = 1000


def _clean_regions(regions: object) -> list[str]:
    if isinstance(regions, str | bytes) or not isinstance(regions, Iterable):
        raise ValidationError({"regions": _("Give the regions as a list of region codes.")})
    chosen = list(dict.fromkeys(regions))
    if not all(isinstance(code, str) for code in chosen):
        raise ValidationError({"regions": _("Give the regions as a list of region codes.")})
    unknown = [code for code in chosen if code not in Region.values]
    if unknown:
        raise ValidationError(
            {"regions": _("Unknown region: %(codes)s.") % {"codes": ", ".join(unknown)}}
        )
    return chosen


def _title_refused() -> ValidationError:
    # The same words whatever the reason, so that a refusal never tells whether a partnership
    # the person may not see has this title.
    return ValidationError(_("This title cannot be used: choose another."), code="refused")


def _title_check(title: str, *, actor: User, partnership: Partnership) -> str:
    """Return the cleaned title, or refuse one too close to another partnership's title."""
    cleaned = name_clean(title)
    key = name_key(cleaned)
    skeletons = name_skeletons(cleaned)
    others = Partnership.objects.exclude(pk=partnership.pk).values_list("pk", "title")
    for pk, other in others.iterator():
        if name_key(other) == key:
            if Partnership.objects.visible_to(actor).filter(pk=pk).exists():
                raise ValidationError(
                    _("A partnership with this title already exists."), code="unique"
                )
            raise _title_refused()
        if skeletons & name_skeletons(other):
            raise _title_refused()
    return cleaned


def _title_errors(title: str, *, actor: User, partnership: Partnership) -> dict[str, list[str]]:
    """Set the cleaned title on the partnership; return the title's errors, if any."""
    try:
        partnership.title = _title_check(title, actor=actor, partnership=partnership)
    except ValidationError as error:
        partnership.title = title
        return {"title": error.messages}
    return {}


def _validate(partnership: Partnership, errors: dict[str, list[str]]) -> None:
    """Check the partnership's fields; raise the title's errors and any others together."""
    try:
        # The title checks are stricter than the field's uniqueness, and their message does
        # not tell whether the clash is with a partnership the person may not see.
        partnership.full_clean(exclude=["slug", *errors], validate_unique=False)
    except ValidationError as error:
        errors = {**error.message_dict, **errors}
    if errors:
        raise ValidationError(errors)


def _save(partnership: Partnership, *, update_fields: list[str] | None = None) -> None:
    try:
        with transaction.atomic():
            partnership.save(update_fields=update_fields)
    except IntegrityError as error:
        # Another request took the title (or its slug) between the check and the save.
        raise ValidationError({"title": _title_refused()}) from error


@transaction.atomic
def partnership_create(
    *,
    actor: User,
    title: str,
    description: str = "",
    description_language: str = "",
    regions: Iterable[str] = (),
    visibility: str = Partnership.Visibility.PUBLIC,
    is_discoverable: bool = False,
    organisations: Iterable[Organisation] = (),
    facilitators: Iterable[User] = (),
) -> Partnership:
    """Open a partnership space with its first members and facilitators."""
    if not can_create_partnership(actor):
        raise PermissionDenied
    partnership = Partnership(
        description=description,
        # The description is taken to be in the language its writer uses the site in.
        description_language=description_language or active_language(),
        regions=_clean_regions(regions),
        visibility=visibility,
        is_discoverable=is_discoverable,
        created_by=actor,
    )
    _validate(partnership, _title_errors(title, actor=actor, partnership=partnership))
    partnership.slug = unique_slug(Partnership, partnership.title)
    if partnership.slug in RESERVED_SLUGS:
        partnership.slug = unique_slug(Partnership, f"{partnership.slug}-partnership")
    _save(partnership)
    members = list(dict.fromkeys(organisations))
    PartnershipMember.objects.bulk_create(
        PartnershipMember(partnership=partnership, organisation=organisation)
        for organisation in members
    )
    partnership.facilitators.set(facilitators)
    for organisation in members:
        _notify_member_added(actor=actor, partnership=partnership, organisation=organisation)
    return partnership


def _notify_member_added(
    *, actor: User, partnership: Partnership, organisation: Organisation
) -> None:
    notification_send(
        kind=Kind.ORGANISATION_PARTNERSHIP,
        recipients=organisation_admins(organisation_ids=[organisation.pk]),
        message=gettext_lazy("%(organisation)s was added to the partnership %(partnership)s."),
        params={"organisation": organisation.name, "partnership": partnership.title},
        url=partnership.get_absolute_url(),
        actor=actor,
    )


@transaction.atomic
def partnership_update(
    *,
    actor: User,
    partnership: Partnership,
    title: str | Unset = UNSET,
    description: str | Unset = UNSET,
    description_language: str | Unset = UNSET,
    regions: Iterable[str] | Unset = UNSET,
    visibility: str | Unset = UNSET,
    is_discoverable: bool | Unset = UNSET,
) -> Partnership:
    """Change the partnership's title, description, regions or visibility, as given."""
    if not can_edit_partnership(actor, partnership):
        raise PermissionDenied
    changed: list[str] = []
    errors: dict[str, list[str]] = {}
    try:
        if not isinstance(title, Unset):
            changed.append("title")
            if title != partnership.title:
                errors.update(_title_errors(title, actor=actor, partnership=partnership))
        if not isinstance(description, Unset):
            changed.append("description")
            partnership.description = description
        if not isinstance(description_language, Unset):
            changed.append("description_language")
            partnership.description_language = description_language
            try:
                original_language_check(
                    description_language, translations=partnership.translations.all()
                )
            except ValidationError as error:
                errors.update(error.message_dict)
        if not isinstance(regions, Unset):
            changed.append("regions")
            partnership.regions = _clean_regions(regions)
        if not isinstance(visibility, Unset):
            changed.append("visibility")
            partnership.visibility = visibility
        if not isinstance(is_discoverable, Unset):
            changed.append("is_discoverable")
            partnership.is_discoverable = is_discoverable
        _validate(partnership, errors)
        _save(partnership, update_fields=[*changed, "updated_at"])
    except ValidationError:
        # Leave the caller's object as it is stored, not half-changed.
        partnership.refresh_from_db(fields=list(EDITABLE_FIELDS))
        raise
    return partnership


@transaction.atomic
def partnership_translation_save(
    *, actor: User, partnership: Partnership, language: str, description: str
) -> PartnershipTranslation:
    """Add or replace the translation of the partnership's description into the language."""
    if not can_edit_partnership(actor, partnership):
        raise PermissionDenied
    locked = Partnership.objects.select_for_update().get(pk=partnership.pk)
    return translation_store(
        model=PartnershipTranslation,
        owner_field="partnership",
        owner=locked,
        original_language=locked.description_language,
        language=language,
        values={"description": description.strip()},
        actor=actor,
    )


@transaction.atomic
def partnership_translation_delete(*, actor: User, partnership: Partnership, language: str) -> None:
    """Delete the translation of the partnership's description into the language, if any."""
    if not can_edit_partnership(actor, partnership):
        raise PermissionDenied
    for translation in PartnershipTranslation.objects.filter(
        partnership=partnership, language=language
    ):
        # One by one, so that the search index hears of each.
        translation.delete()


@transaction.atomic
def partnership_delete(*, actor: User, partnership: Partnership) -> None:
    """Delete a partnership space with its member links (platform admins)."""
    if not can_create_partnership(actor):
        raise PermissionDenied
    partnership.delete()


@transaction.atomic
def partnership_member_add(
    *, actor: User, partnership: Partnership, organisation: Organisation
) -> PartnershipMember:
    """Add an organisation to the partnership."""
    if not can_manage_partnership_members(actor, partnership):
        raise PermissionDenied
    member, created = PartnershipMember.objects.get_or_create(
        partnership=partnership, organisation=organisation
    )
    if not created:
        raise ValidationError(
            {"organisation": _("This organisation is already a member of the partnership.")}
        )
    _notify_member_added(actor=actor, partnership=partnership, organisation=organisation)
    return member


@transaction.atomic
def partnership_member_remove(
    *, actor: User, partnership: Partnership, organisation: Organisation
) -> None:
    """Remove an organisation from the partnership."""
    if not can_manage_partnership_members(actor, partnership):
        raise PermissionDenied
    deleted, _rows = PartnershipMember.objects.filter(
        partnership=partnership, organisation=organisation
    ).delete()
    if not deleted:
        raise ValidationError(
            {"organisation": _("This organisation is not a member of the partnership.")}
        )
    notification_send(
        kind=Kind.ORGANISATION_PARTNERSHIP,
        recipients=organisation_admins(organisation_ids=[organisation.pk]),
        message=gettext_lazy("%(organisation)s was removed from the partnership %(partnership)s."),
        params={"organisation": organisation.name, "partnership": partnership.title},
        url=partnership.get_absolute_url(),
        actor=actor,
    )


def _facilitator_rows(partnership_ids: Iterable[int] | QuerySet[Any]) -> QuerySet[Any]:
    # The link rows between partnerships and facilitators; locking them serialises every
    # change that could take a partnership's last facilitator away.
    return (
        Partnership.facilitators.through.objects.select_for_update()
        .filter(partnership_id__in=partnership_ids)
        .order_by("pk")
    )


def _send_facilitator_invitation(invitation_id: int, accept_url: str) -> None:
    invitation = FacilitatorInvitation.objects.select_related("partnership", "invited_by").get(
        pk=invitation_id
    )
    inviter = invitation.invited_by.display_name if invitation.invited_by else _("A facilitator")
    send_mail(
        subject=_("Invitation to facilitate %(partnership)s on Puente")
        % {"partnership": invitation.partnership.title},
        message=_(
            "%(person)s invited you to facilitate the partnership %(partnership)s on Puente.\n\n"
            "Sign in or create an account with this e-mail address, then open this link to "
            "accept or decline:\n%(url)s\n"
        )
        % {"person": inviter, "partnership": invitation.partnership.title, "url": accept_url},
        from_email=None,
        recipient_list=[invitation.email],
    )
    # After the commit, with the mail: whether an account has the address changes nothing
    # in the inviter's request.
    notification_send(
        kind=Kind.INVITATION,
        recipients=User.objects.filter(email__iexact=invitation.email, is_active=True),
        message=gettext_lazy(
            "%(person)s invites you to facilitate the partnership %(partnership)s."
        ),
        params={"person": inviter, "partnership": invitation.partnership.title},
        url=invitation.get_absolute_url(),
        actor=invitation.invited_by,
        already_mailed=True,
    )


@transaction.atomic
def facilitator_invitation_create(
    *, actor: User, partnership: Partnership, email: str, base_url: str = ""
) -> FacilitatorInvitation:
    """Invite a person by e-mail to facilitate; the message leaves once the invitation is stored."""
    if not can_manage_partnership_members(actor, partnership):
        raise PermissionDenied
    # Whether an account (or a facilitator) has this address is never looked up: the answer
    # and the work done are the same for any address, so nothing can be learnt from them.
    email = email.strip().lower()
    invitation = FacilitatorInvitation(partnership=partnership, email=email, invited_by=actor)
    invitation.full_clean(exclude=["token", "invited_by"], validate_constraints=False)
    already = _("An invitation to this address is already waiting for an answer.")
    if facilitator_invitation_list(partnership=partnership).filter(email=email).exists():
        raise ValidationError({"email": already}, code="already_invited")
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError as error:
        raise ValidationError({"email": already}, code="already_invited") from error
    accept_url = base_url + invitation.get_absolute_url()
    transaction.on_commit(partial(_send_facilitator_invitation, invitation.pk, accept_url))
    return invitation


def _lock_open(invitation: FacilitatorInvitation) -> FacilitatorInvitation:
    try:
        locked = FacilitatorInvitation.objects.select_for_update().get(pk=invitation.pk)
    except FacilitatorInvitation.DoesNotExist as error:
        raise ValidationError(
            {"invitation": _("This invitation has been withdrawn.")}, code="withdrawn"
        ) from error
    if not locked.is_open:
        raise ValidationError(
            {"invitation": _("This invitation has already been answered.")}, code="answered"
        )
    return locked


@transaction.atomic
def facilitator_invitation_accept(
    *, person: User, invitation: FacilitatorInvitation
) -> Partnership:
    """Make the invited person a facilitator of the partnership."""
    if not can_answer_facilitator_invitation(person, invitation):
        raise PermissionDenied
    invitation = _lock_open(invitation)
    # Someone already facilitating simply accepts: refusing would tell the inviter so.
    invitation.partnership.facilitators.add(person)
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return invitation.partnership


@transaction.atomic
def facilitator_invitation_decline(*, person: User, invitation: FacilitatorInvitation) -> None:
    """Turn down an invitation to facilitate."""
    if not can_answer_facilitator_invitation(person, invitation):
        raise PermissionDenied
    invitation = _lock_open(invitation)
    invitation.declined_at = timezone.now()
    invitation.save(update_fields=["declined_at"])


@transaction.atomic
def facilitator_invitation_revoke(*, actor: User, invitation: FacilitatorInvitation) -> None:
    """Withdraw an invitation to facilitate that nobody has answered yet."""
    if not can_manage_partnership_members(actor, invitation.partnership):
        raise PermissionDenied
    _lock_open(invitation).delete()


@transaction.atomic
def partnership_facilitator_remove(*, actor: User, partnership: Partnership, person: User) -> None:
    """Stop a person facilitating the partnership; the last facilitator stays."""
    if not can_manage_partnership_members(actor, partnership):
        raise PermissionDenied
    facilitator_ids = list(_facilitator_rows([partnership.pk]).values_list("user_id", flat=True))
    if person.pk not in facilitator_ids:
        raise ValidationError({"person": _("This person does not facilitate the partnership.")})
    if len(facilitator_ids) == 1 and not is_platform_admin(actor):
        raise ValidationError({"person": _("A partnership needs at least one facilitator.")})
    partnership.facilitators.remove(person)


def partnerships_left_without_facilitator(*, person: User) -> list[Partnership]:
    """Return the partnerships whose only facilitator is the person, locking their facilitators."""
    facilitated = Partnership.facilitators.through.objects.filter(user_id=person.pk).values(
        "partnership_id"
    )
    others: dict[int, bool] = {}
    for partnership_id, facilitator_id in _facilitator_rows(facilitated).values_list(
        "partnership_id", "user_id"
    ):
        others[partnership_id] = others.get(partnership_id, False) or facilitator_id != person.pk
    alone = [partnership_id for partnership_id, has_other in others.items() if not has_other]
    return list(Partnership.objects.filter(pk__in=alone).order_by("title"))


def account_deletion_check(*, person: User) -> list[AccountDeletionBlock]:
    """Return why deleting the person's account would leave a partnership without a facilitator."""
    partnerships = partnerships_left_without_facilitator(person=person)
    if not partnerships:
        return []
    titles = get_text_list([partnership.title for partnership in partnerships], _("and"))
    return [
        AccountDeletionBlock(
            to_person=_(
                "You are the only facilitator of %(partnerships)s: invite another facilitator "
                "on the partnership's page and, once they have accepted, delete your account."
            )
            % {"partnerships": titles},
            to_admin=_("%(person)s is the only facilitator of %(partnerships)s.")
            % {"person": person.email, "partnerships": titles},
        )
    ]


def _join_request_params(join_request: PartnershipJoinRequest) -> dict[str, str]:
    return {
        "organisation": join_request.organisation.name,
        "partnership": join_request.partnership.title,
    }


def _join_request_lock(join_request: PartnershipJoinRequest) -> PartnershipJoinRequest:
    """Return the request locked for this transaction; refuse one already decided."""
    try:
        locked = (
            PartnershipJoinRequest.objects.select_for_update(of=("self",))
            .select_related("partnership", "organisation")
            .get(pk=join_request.pk)
        )
    except PartnershipJoinRequest.DoesNotExist as error:
        raise ValidationError(
            {"join_request": _("This request no longer exists.")}, code="gone"
        ) from error
    if not locked.is_pending:
        raise ValidationError(
            {"join_request": _("This request has already been decided or withdrawn.")},
            code="decided",
        )
    return locked


@transaction.atomic
def join_request_create(
    *, actor: User, partnership: Partnership, organisation: Organisation, message: str = ""
) -> PartnershipJoinRequest:
    """Ask, as an admin of the organisation, for it to join the partnership; facilitators decide."""
    if not can_see_partnership_exists(actor, partnership):
        # Never tell that a partnership its readers keep hidden exists.
        raise PermissionDenied
    if not is_organisation_admin(actor, organisation):
        raise ValidationError(
            {"organisation": _("Only the administrators of an organisation may ask for it.")},
            code="not_admin",
        )
    if partnership.member_links.filter(organisation=organisation).exists():
        raise ValidationError(
            {"organisation": _("This organisation is already a member of the partnership.")},
            code="member",
        )
    pending = _("This organisation has already asked to join: the facilitators will decide.")
    if partnership.join_requests.filter(
        organisation=organisation, status=PartnershipJoinRequest.Status.PENDING
    ).exists():
        raise ValidationError({"organisation": pending}, code="pending")
    message = message.strip()
    if len(message) > MESSAGE_MAX_LENGTH:
        raise ValidationError(
            {"message": _("Keep the message to 1000 characters or fewer.")}, code="max_length"
        )
    join_request = PartnershipJoinRequest(
        partnership=partnership, organisation=organisation, requested_by=actor, message=message
    )
    try:
        with transaction.atomic():
            join_request.save()
    except IntegrityError as error:
        # Another admin of the organisation asked at the same moment.
        raise ValidationError({"organisation": pending}, code="pending") from error
    notification_send(
        kind=Kind.PARTNERSHIP_REQUESTED,
        recipients=partnership.facilitators.filter(is_active=True),
        message=gettext_lazy("%(organisation)s asks to join the partnership %(partnership)s."),
        params=_join_request_params(join_request),
        url=reverse("partnerships:join-request-list", kwargs={"slug": partnership.slug}),
        actor=actor,
    )
    return join_request


@transaction.atomic
def join_request_approve(
    *, actor: User, join_request: PartnershipJoinRequest
) -> PartnershipJoinRequest:
    """Accept the organisation into the partnership and tell its admins."""
    if not can_decide_join_request(actor, join_request):
        raise PermissionDenied
    join_request = _join_request_lock(join_request)
    partnership_member_add(
        actor=actor, partnership=join_request.partnership, organisation=join_request.organisation
    )
    join_request.status = PartnershipJoinRequest.Status.APPROVED
    join_request.decided_by = actor
    join_request.decided_at = timezone.now()
    join_request.save(update_fields=["status", "decided_by", "decided_at"])
    notification_send(
        kind=Kind.PARTNERSHIP_DECIDED,
        recipients=organisation_admins(organisation_ids=[join_request.organisation_id]),
        message=gettext_lazy(
            "%(organisation)s is now a member of the partnership %(partnership)s."
        ),
        params=_join_request_params(join_request),
        url=join_request.partnership.get_absolute_url(),
        actor=actor,
    )
    return join_request


@transaction.atomic
def join_request_decline(
    *, actor: User, join_request: PartnershipJoinRequest, reason: str
) -> PartnershipJoinRequest:
    """Refuse the request, giving the organisation's admins a reason."""
    if not can_decide_join_request(actor, join_request):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Give the organisation a reason for declining.")}, code="required"
        )
    if len(reason) > MESSAGE_MAX_LENGTH:
        raise ValidationError(
            {"reason": _("Keep the reason to 1000 characters or fewer.")}, code="max_length"
        )
    join_request = _join_request_lock(join_request)
    join_request.status = PartnershipJoinRequest.Status.DECLINED
    join_request.decision_reason = reason
    join_request.decided_by = actor
    join_request.decided_at = timezone.now()
    join_request.save(update_fields=["status", "decision_reason", "decided_by", "decided_at"])
    notification_send(
        kind=Kind.PARTNERSHIP_DECIDED,
        recipients=organisation_admins(organisation_ids=[join_request.organisation_id]),
        message=gettext_lazy(
            "The partnership %(partnership)s declined the request of %(organisation)s to join: "
            "%(reason)s"
        ),
        params={**_join_request_params(join_request), "reason": reason},
        url=join_request.partnership.get_absolute_url(),
        actor=actor,
    )
    return join_request


@transaction.atomic
def join_request_withdraw(
    *, actor: User, join_request: PartnershipJoinRequest
) -> PartnershipJoinRequest:
    """Take back the organisation's request before the facilitators decide."""
    if not can_withdraw_join_request(actor, join_request):
        raise PermissionDenied
    join_request = _join_request_lock(join_request)
    join_request.status = PartnershipJoinRequest.Status.WITHDRAWN
    join_request.decided_by = actor
    join_request.decided_at = timezone.now()
    join_request.save(update_fields=["status", "decided_by", "decided_at"])
    # The facilitators were told of the request: they are told it no longer waits for them.
    notification_send(
        kind=Kind.PARTNERSHIP_REQUESTED,
        recipients=join_request.partnership.facilitators.filter(is_active=True),
        message=gettext_lazy(
            "%(organisation)s withdrew its request to join the partnership %(partnership)s."
        ),
        params=_join_request_params(join_request),
        url=reverse(
            "partnerships:join-request-list", kwargs={"slug": join_request.partnership.slug}
        ),
        actor=actor,
    )
    return join_request
