"""Writes to organisations, memberships and invitations: the only code that saves them."""

from collections.abc import Iterable
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from puente.accounts.models import User
from puente.core.choices import region_for
from puente.core.content_language import (
    active_language,
    original_language_check,
    translation_store,
)
from puente.core.images import logo_normalise
from puente.core.models import Theme
from puente.core.names import name_clean, name_key, name_skeletons
from puente.core.registry import AccountDeletionBlock
from puente.core.slugs import unique_slug
from puente.core.types import UNSET, Unset
from puente.notifications.models import Kind
from puente.notifications.services import notification_send

from .models import Invitation, Membership, Organisation, OrganisationTranslation
from .permissions import (
    can_accept_invitation,
    can_create_organisation,
    can_edit_organisation,
    can_leave_organisation,
    can_manage_members,
    can_request_membership,
    can_verify_organisation,
)
from .selectors import organisation_admins

# Paths under /organisations/ that a slug must not shadow.
RESERVED_SLUGS = frozenset({"new", "mine", "invitations"})
# The organisation profile the create and update services take, themes and logo aside.
PROFILE_FIELDS = (
    "name",
    "acronym",
    "also_known_as",
    "stakeholder_type",
    "country",
    "region",
    "website",
    "description",
    "description_language",
)


def also_known_as_clean(names: str) -> str:
    """Return the alternative names trimmed, one comma and space apart, without repeats."""
    seen: dict[str, str] = {}
    for name in names.split(","):
        name = " ".join(name.split())
        if name and name.casefold() not in seen:
            seen[name.casefold()] = name
    return ", ".join(seen.values())


def _name_taken() -> ValidationError:
    return ValidationError(
        _("An organisation with this name is already registered."), code="unique"
    )


def _name_clash_check(name: str, *, organisation: Organisation) -> None:
    """Refuse a name another organisation has in any case, or a copy of a verified one's."""
    key = name_key(name)
    skeletons = name_skeletons(name)
    # Every organisation is public, so a refusal may name the organisation it clashes with.
    others = Organisation.objects.exclude(pk=organisation.pk).values_list("name", "is_verified")
    for other, is_verified in others.iterator():
        if name_key(other) == key:
            raise _name_taken()
        if is_verified and skeletons & name_skeletons(other):
            raise ValidationError(
                _(
                    "This name can be mistaken for that of the verified organisation "
                    "%(name)s: choose a clearly different name."
                )
                % {"name": other},
                code="confusable",
            )


def _apply_and_validate(organisation: Organisation, changes: dict[str, object]) -> None:
    stored_name = organisation.name if organisation.pk else None
    for field, value in changes.items():
        setattr(organisation, field, value)
    organisation.region = region_for(str(organisation.country), organisation.region)
    errors: dict[str, list[ValidationError]] = {}
    if "name" in changes:
        try:
            organisation.name = name_clean(organisation.name)
            if organisation.name != stored_name:
                _name_clash_check(organisation.name, organisation=organisation)
        except ValidationError as error:
            errors["name"] = error.error_list
    if "description_language" in changes and organisation.pk:
        try:
            original_language_check(
                organisation.description_language, translations=organisation.translations.all()
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
    # A refused name is not checked again, so that it gets one message, not two.
    exclude = ["slug", *(["logo"] if "logo" not in changes else []), *errors]
    try:
        organisation.full_clean(exclude=exclude)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    # Model validation leaves a TextField's max_length to forms; the API has no form.
    limit = Organisation._meta.get_field("description").max_length
    if limit is not None and len(organisation.description) > limit:
        message = _("Write at most %(limit)s characters.") % {"limit": limit}
        errors.setdefault("description", []).append(ValidationError(message, code="max_length"))
    if errors:
        raise ValidationError(errors)


def _logo_normalised(logo: UploadedFile) -> ContentFile[bytes]:
    """Re-encode an uploaded logo, its errors reported on the logo field."""
    try:
        return logo_normalise(logo)
    except ValidationError as error:
        raise ValidationError({"logo": error.error_list}) from error


def _save(organisation: Organisation) -> None:
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError as error:
        # Another request took the name between the check and the save.
        raise ValidationError({"name": _name_taken()}) from error


@transaction.atomic
def organisation_create(
    *,
    creator: User,
    name: str,
    stakeholder_type: str,
    country: str,
    region: str = "",
    acronym: str = "",
    also_known_as: str = "",
    website: str = "",
    description: str = "",
    description_language: str = "",
    themes: Iterable[Theme] = (),
    logo: UploadedFile | None = None,
) -> Organisation:
    """Register an organisation; its creator becomes its first admin."""
    if not can_create_organisation(creator):
        raise PermissionDenied
    organisation = Organisation(created_by=creator)
    changes: dict[str, object] = {
        "name": name,
        "acronym": acronym.strip(),
        "also_known_as": also_known_as_clean(also_known_as),
        "stakeholder_type": stakeholder_type,
        "country": country,
        "region": region,
        "website": website,
        "description": description,
        # The description is taken to be in the language its writer uses the site in.
        "description_language": description_language or active_language(),
    }
    if logo:
        changes["logo"] = _logo_normalised(logo)
    _apply_and_validate(organisation, changes)
    slug = unique_slug(Organisation, organisation.acronym or organisation.name)
    if slug in RESERVED_SLUGS:
        slug = unique_slug(Organisation, f"{slug}-organisation")
    organisation.slug = slug
    _save(organisation)
    organisation.themes.set(themes)
    Membership.objects.create(
        person=creator,
        organisation=organisation,
        role=Membership.Role.ADMIN,
        status=Membership.Status.ACTIVE,
        decided_at=timezone.now(),
    )
    return organisation


@transaction.atomic
def organisation_update(
    *,
    actor: User,
    organisation: Organisation,
    name: str | Unset = UNSET,
    acronym: str | Unset = UNSET,
    also_known_as: str | Unset = UNSET,
    stakeholder_type: str | Unset = UNSET,
    country: str | Unset = UNSET,
    region: str | Unset = UNSET,
    website: str | Unset = UNSET,
    description: str | Unset = UNSET,
    description_language: str | Unset = UNSET,
    themes: Iterable[Theme] | Unset = UNSET,
    logo: UploadedFile | Unset | None = UNSET,
) -> Organisation:
    """Change the profile fields given; an empty region follows the country, logo=None removes."""
    if not can_edit_organisation(actor, organisation):
        raise PermissionDenied
    if logo is None:
        new_logo: object = ""
    elif isinstance(logo, Unset):
        new_logo = logo
    else:
        new_logo = _logo_normalised(logo)
    given: dict[str, object] = {
        "name": name,
        "acronym": acronym.strip() if isinstance(acronym, str) else acronym,
        "also_known_as": (
            also_known_as_clean(also_known_as) if isinstance(also_known_as, str) else also_known_as
        ),
        "stakeholder_type": stakeholder_type,
        "country": country,
        "region": region,
        "website": website,
        "description": description,
        "description_language": description_language,
        "logo": new_logo,
    }
    changes = {field: value for field, value in given.items() if not isinstance(value, Unset)}
    old_logo = ""
    if "logo" in changes:
        old_logo = (
            Organisation.objects.filter(pk=organisation.pk).values_list("logo", flat=True).first()
            or ""
        )
    _apply_and_validate(organisation, changes)
    _save(organisation)
    if not isinstance(themes, Unset):
        organisation.themes.set(themes)
    if old_logo and old_logo != organisation.logo.name:
        # The old file goes only once the new profile is stored for good.
        transaction.on_commit(partial(organisation.logo.storage.delete, old_logo))
    return organisation


@transaction.atomic
def organisation_translation_save(
    *, actor: User, organisation: Organisation, language: str, description: str
) -> OrganisationTranslation:
    """Add or replace the translation of the organisation's description into the language."""
    if not can_edit_organisation(actor, organisation):
        raise PermissionDenied
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    return translation_store(
        model=OrganisationTranslation,
        owner_field="organisation",
        owner=locked,
        original_language=locked.description_language,
        language=language,
        values={"description": description.strip()},
        actor=actor,
    )


@transaction.atomic
def organisation_translation_delete(
    *, actor: User, organisation: Organisation, language: str
) -> None:
    """Delete the translation of the organisation's description into the language, if any."""
    if not can_edit_organisation(actor, organisation):
        raise PermissionDenied
    for translation in OrganisationTranslation.objects.filter(
        organisation=organisation, language=language
    ):
        # One by one, so that the search index hears of each.
        translation.delete()


@transaction.atomic
def organisation_verify(*, actor: User, organisation: Organisation, is_verified: bool) -> None:
    """Mark an organisation as verified (or not) by the platform."""
    if not can_verify_organisation(actor):
        raise PermissionDenied
    was_verified = Organisation.objects.filter(pk=organisation.pk, is_verified=True).exists()
    organisation.is_verified = is_verified
    organisation.save(update_fields=["is_verified", "updated_at"])
    if is_verified and not was_verified:
        notification_send(
            kind=Kind.ORGANISATION_VERIFIED,
            recipients=organisation_admins(organisation_ids=[organisation.pk]),
            message=gettext_lazy("%(organisation)s is now verified on Puente."),
            params={"organisation": organisation.name},
            url=organisation.get_absolute_url(),
            actor=actor,
        )


@transaction.atomic
def organisation_delete(*, actor: User, organisation: Organisation) -> None:
    """Delete an organisation with its memberships and invitations (platform admins)."""
    if not can_verify_organisation(actor):
        raise PermissionDenied
    logo = organisation.logo.name
    storage = organisation.logo.storage
    try:
        organisation.delete()
    except ProtectedError as error:
        # Money recorded with the organisation as provider or receiver, or its pledges:
        # financial history is not deleted with it.
        raise ValidationError(
            _("%(name)s cannot be deleted: money or pledges are recorded in its name.")
            % {"name": organisation.name}
        ) from error
    if logo:
        transaction.on_commit(partial(storage.delete, logo))


@transaction.atomic
def membership_request(*, person: User, organisation: Organisation) -> Membership:
    """Ask to join an organisation; its admins decide."""
    if not can_request_membership(person, organisation):
        if Membership.objects.filter(person=person, organisation=organisation).exists():
            raise ValidationError(
                {"organisation": _("You already belong to or asked to join this organisation.")}
            )
        raise PermissionDenied
    try:
        with transaction.atomic():
            membership = Membership.objects.create(person=person, organisation=organisation)
    except IntegrityError as error:
        raise ValidationError(
            {"organisation": _("You already belong to or asked to join this organisation.")}
        ) from error
    notification_send(
        kind=Kind.MEMBERSHIP_REQUESTED,
        recipients=organisation_admins(organisation_ids=[organisation.pk]),
        message=gettext_lazy("%(person)s asks to join %(organisation)s."),
        params={"person": person.display_name, "organisation": organisation.name},
        url=reverse("stakeholders:member-list", kwargs={"slug": organisation.slug}),
        actor=person,
    )
    return membership


def _lock(membership: Membership) -> Membership:
    try:
        return Membership.objects.select_for_update().get(pk=membership.pk)
    except Membership.DoesNotExist as error:
        raise ValidationError({"membership": _("This membership no longer exists.")}) from error


@transaction.atomic
def membership_approve(*, actor: User, membership: Membership) -> Membership:
    """Accept a pending request to join."""
    if not can_manage_members(actor, membership.organisation):
        raise PermissionDenied
    membership = _lock(membership)
    if membership.status != Membership.Status.PENDING:
        raise ValidationError({"membership": _("This request has already been decided.")})
    membership.status = Membership.Status.ACTIVE
    membership.decided_at = timezone.now()
    membership.save(update_fields=["status", "decided_at"])
    notification_send(
        kind=Kind.MEMBERSHIP_DECIDED,
        recipients=[membership.person],
        message=gettext_lazy("Your request to join %(organisation)s was approved."),
        params={"organisation": membership.organisation.name},
        url=membership.organisation.get_absolute_url(),
        actor=actor,
    )
    return membership


@transaction.atomic
def membership_decline(*, actor: User, membership: Membership) -> None:
    """Refuse a pending request to join."""
    if not can_manage_members(actor, membership.organisation):
        raise PermissionDenied
    membership = _lock(membership)
    if membership.status != Membership.Status.PENDING:
        raise ValidationError({"membership": _("This request has already been decided.")})
    notification_send(
        kind=Kind.MEMBERSHIP_DECIDED,
        recipients=[membership.person],
        message=gettext_lazy("Your request to join %(organisation)s was declined."),
        params={"organisation": membership.organisation.name},
        url=membership.organisation.get_absolute_url(),
        actor=actor,
    )
    membership.delete()


def _is_last_admin(membership: Membership) -> bool:
    if membership.role != Membership.Role.ADMIN:
        return False
    # Lock every admin row so that two admins stepping down at once cannot both succeed.
    admin_ids = list(
        Membership.objects.select_for_update()
        .filter(
            organisation_id=membership.organisation_id,
            role=Membership.Role.ADMIN,
            status=Membership.Status.ACTIVE,
        )
        .values_list("pk", flat=True)
    )
    return all(pk == membership.pk for pk in admin_ids)


def organisations_left_without_admin(*, person: User) -> list[Organisation]:
    """Return the organisations whose only administrator is the person, locking their admins."""
    # Lock every admin row of those organisations (in one order, so that two of these cannot
    # deadlock): an admin deleting their account at the same time waits here, then sees the
    # other one gone.
    administered = Membership.objects.filter(
        person=person, role=Membership.Role.ADMIN, status=Membership.Status.ACTIVE
    ).values("organisation_id")
    admins = (
        Membership.objects.select_for_update()
        .filter(
            organisation_id__in=administered,
            role=Membership.Role.ADMIN,
            status=Membership.Status.ACTIVE,
        )
        .order_by("pk")
        .values_list("organisation_id", "person_id")
    )
    others: dict[int, bool] = {}
    for organisation_id, admin_id in admins:
        others[organisation_id] = others.get(organisation_id, False) or admin_id != person.pk
    alone = [organisation_id for organisation_id, has_other in others.items() if not has_other]
    return list(Organisation.objects.filter(pk__in=alone).order_by("name"))


def account_deletion_check(*, person: User) -> list[AccountDeletionBlock]:
    """Return why deleting the person's account would leave an organisation without an admin."""
    organisations = organisations_left_without_admin(person=person)
    if not organisations:
        return []
    names = get_text_list([organisation.name for organisation in organisations], _("and"))
    return [
        AccountDeletionBlock(
            to_person=_(
                "You are the only administrator of %(organisations)s: appoint another "
                "administrator on the organisation's members page (invite one if needed) "
                "before you delete your account."
            )
            % {"organisations": names},
            to_admin=_("%(person)s is the only administrator of %(organisations)s.")
            % {"person": person.email, "organisations": names},
        )
    ]


@transaction.atomic
def membership_role_set(*, actor: User, membership: Membership, role: str) -> Membership:
    """Make an active member an admin, or an admin a member."""
    if not can_manage_members(actor, membership.organisation):
        raise PermissionDenied
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Choose member or administrator.")})
    membership = _lock(membership)
    if not membership.is_active:
        raise ValidationError({"role": _("Approve the request before changing the role.")})
    if role == Membership.Role.MEMBER and _is_last_admin(membership):
        raise ValidationError({"role": _("An organisation needs at least one administrator.")})
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_remove(*, actor: User, membership: Membership) -> None:
    """Remove a member; the person themself may always leave, admins may remove others."""
    allowed = can_leave_organisation(actor, membership) or can_manage_members(
        actor, membership.organisation
    )
    if not allowed:
        raise PermissionDenied
    membership = _lock(membership)
    if membership.is_active and _is_last_admin(membership):
        raise ValidationError(
            {"membership": _("Appoint another administrator before the last one leaves.")}
        )
    membership.delete()


def _send_invitation(invitation_id: int, accept_url: str) -> None:
    invitation = Invitation.objects.select_related("organisation").get(pk=invitation_id)
    send_mail(
        subject=_("Invitation to join %(organisation)s on Puente")
        % {"organisation": invitation.organisation.name},
        message=_(
            "You have been invited to join %(organisation)s on Puente.\n\n"
            "Sign in or create an account with this e-mail address, then open:\n%(url)s\n"
        )
        % {"organisation": invitation.organisation.name, "url": accept_url},
        from_email=None,
        recipient_list=[invitation.email],
    )


@transaction.atomic
def invitation_create(
    *,
    actor: User,
    organisation: Organisation,
    email: str,
    role: str = Membership.Role.MEMBER,
    base_url: str = "",
) -> Invitation:
    """Invite a person by e-mail; the message leaves once the invitation is stored."""
    if not can_manage_members(actor, organisation):
        raise PermissionDenied
    email = email.strip().lower()
    invitation = Invitation(organisation=organisation, email=email, role=role, invited_by=actor)
    invitation.full_clean(exclude=["token", "invited_by"], validate_constraints=False)
    existing = Membership.objects.filter(
        organisation=organisation, person__email__iexact=email
    ).first()
    if existing is not None and existing.is_active:
        raise ValidationError({"email": _("This person already belongs to the organisation.")})
    if existing is not None:
        raise ValidationError(
            {"email": _("This person has already asked to join: approve the request instead.")}
        )
    if Invitation.objects.filter(
        organisation=organisation, email=email, accepted_at__isnull=True
    ).exists():
        raise ValidationError({"email": _("This person has already been invited.")})
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError as error:
        raise ValidationError({"email": _("This person has already been invited.")}) from error
    accept_url = base_url + reverse(
        "stakeholders:invitation-accept", kwargs={"token": invitation.token}
    )
    transaction.on_commit(partial(_send_invitation, invitation.pk, accept_url))
    notification_send(
        kind=Kind.INVITATION,
        recipients=User.objects.filter(email__iexact=email, is_active=True),
        message=gettext_lazy("%(person)s invites you to join %(organisation)s."),
        params={"person": actor.display_name, "organisation": organisation.name},
        url=reverse("stakeholders:invitation-accept", kwargs={"token": invitation.token}),
        actor=actor,
        already_mailed=True,
    )
    return invitation


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation) -> None:
    """Withdraw an invitation nobody has accepted yet."""
    if not can_manage_members(actor, invitation.organisation):
        raise PermissionDenied
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError({"invitation": _("This invitation has already been used.")})
    invitation.delete()


@transaction.atomic
def invitation_accept(*, person: User, invitation: Invitation) -> Membership:
    """Turn an invitation addressed to the person's e-mail into an active membership."""
    if not can_accept_invitation(person, invitation):
        raise PermissionDenied
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError({"invitation": _("This invitation has already been used.")})
    membership, _created = Membership.objects.get_or_create(
        person=person, organisation_id=invitation.organisation_id
    )
    membership.status = Membership.Status.ACTIVE
    if invitation.role == Membership.Role.ADMIN:
        membership.role = Membership.Role.ADMIN
    membership.decided_at = timezone.now()
    membership.save()
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return membership
