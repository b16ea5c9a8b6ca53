"""Writes to partnerships, their member organisations and facilitators."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from puente.accounts.models import User
from puente.core.choices import Region
from puente.core.names import name_clean, name_key, name_skeletons
from puente.core.slugs import unique_slug
from puente.core.types import UNSET, Unset
from puente.stakeholders.models import Organisation

from .models import Partnership, PartnershipMember
from .permissions import (
    can_create_partnership,
    can_edit_partnership,
    can_manage_partnership_members,
)

EDITABLE_FIELDS = ("title", "description", "regions", "visibility")
# Paths under /partnerships/ that a slug must not shadow.
RESERVED_SLUGS = frozenset({"new"})


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
    regions: Iterable[str] = (),
    visibility: str = Partnership.Visibility.PUBLIC,
    organisations: Iterable[Organisation] = (),
    facilitators: Iterable[User] = (),
) -> Partnership:
    """Open a partnership space with its first members and facilitators."""
    if not can_create_partnership(actor):
        raise PermissionDenied
    partnership = Partnership(
        description=description,
        regions=_clean_regions(regions),
        visibility=visibility,
        created_by=actor,
    )
    _validate(partnership, _title_errors(title, actor=actor, partnership=partnership))
    partnership.slug = unique_slug(Partnership, partnership.title)
    if partnership.slug in RESERVED_SLUGS:
        partnership.slug = unique_slug(Partnership, f"{partnership.slug}-partnership")
    _save(partnership)
    PartnershipMember.objects.bulk_create(
        PartnershipMember(partnership=partnership, organisation=organisation)
        for organisation in dict.fromkeys(organisations)
    )
    partnership.facilitators.set(facilitators)
    return partnership


@transaction.atomic
def partnership_update(
    *,
    actor: User,
    partnership: Partnership,
    title: str | Unset = UNSET,
    description: str | Unset = UNSET,
    regions: Iterable[str] | Unset = UNSET,
    visibility: str | Unset = UNSET,
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
        if not isinstance(regions, Unset):
            changed.append("regions")
            partnership.regions = _clean_regions(regions)
        if not isinstance(visibility, Unset):
            changed.append("visibility")
            partnership.visibility = visibility
        _validate(partnership, errors)
        _save(partnership, update_fields=[*changed, "updated_at"])
    except ValidationError:
        # Leave the caller's object as it is stored, not half-changed.
        partnership.refresh_from_db(fields=list(EDITABLE_FIELDS))
        raise
    return partnership


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


@transaction.atomic
def partnership_facilitator_add(*, actor: User, partnership: Partnership, person: User) -> None:
    """Make a person a facilitator of the partnership."""
    if not can_manage_partnership_members(actor, partnership):
        raise PermissionDenied
    if not person.is_active:
        raise ValidationError({"person": _("This account is not active.")})
    if partnership.facilitators.filter(pk=person.pk).exists():
        raise ValidationError({"person": _("This person already facilitates the partnership.")})
    partnership.facilitators.add(person)


@transaction.atomic
def partnership_facilitator_remove(*, actor: User, partnership: Partnership, person: User) -> None:
    """Stop a person facilitating the partnership; the last facilitator stays."""
    if not can_manage_partnership_members(actor, partnership):
        raise PermissionDenied
    if not partnership.facilitators.filter(pk=person.pk).exists():
        raise ValidationError({"person": _("This person does not facilitate the partnership.")})
    if partnership.facilitators.count() == 1 and not actor.is_superuser:
        raise ValidationError({"person": _("A partnership needs at least one facilitator.")})
    partnership.facilitators.remove(person)
