"""Reads of partnerships, filtered by what the viewer may see."""

from django.db.models import Count, Prefetch, Q, QuerySet

from puente.accounts.models import User
from puente.core.permissions import Viewer
from puente.stakeholders.models import Organisation

from .models import FacilitatorInvitation, Partnership


def partnership_list(
    *, viewer: Viewer, query: str = "", with_translations: bool = False
) -> QuerySet[Partnership]:
    """Return the partnerships the viewer may read, with member counts (and translations)."""
    partnerships = Partnership.objects.visible_to(viewer).annotate(
        n_organisations=Count("member_links", distinct=True)
    )
    if with_translations:
        partnerships = partnerships.prefetch_related("translations")
    if query.strip():
        partnerships = partnerships.filter(title__icontains=query.strip())
    return partnerships.order_by("title")


def partnership_get(
    *,
    slug: str,
    viewer: Viewer,
    with_organisations: bool = True,
    with_facilitators: bool = True,
) -> Partnership:
    """Return one partnership the viewer may read, with its facilitators (and organisations)."""
    lookups: list[str | Prefetch[str]] = []
    if with_facilitators:
        lookups.append(Prefetch("facilitators", queryset=User.objects.order_by("name", "pk")))
    if with_organisations:
        lookups.append(
            Prefetch(
                "organisations",
                queryset=Organisation.objects.order_by("name").prefetch_related("themes"),
            )
        )
    return Partnership.objects.visible_to(viewer).prefetch_related(*lookups).get(slug=slug)


def organisation_partnership_list(
    *, organisation: Organisation, viewer: Viewer
) -> QuerySet[Partnership]:
    """Return the partnerships the organisation belongs to that the viewer may read."""
    return (
        Partnership.objects.visible_to(viewer)
        .filter(member_links__organisation=organisation)
        .order_by("title")
    )


def partnership_member_list(*, partnership: Partnership) -> QuerySet[Organisation]:
    """Return the partnership's member organisations by name."""
    return Organisation.objects.filter(partnership_links__partnership=partnership).order_by(
        "name", "pk"
    )


def partnership_member_get(*, partnership: Partnership, slug: str) -> Organisation:
    """Return one member organisation of the partnership by its slug."""
    return partnership_member_list(partnership=partnership).get(slug=slug)


def partnership_facilitator_get(*, partnership: Partnership, person_id: int) -> User:
    """Return one facilitator of the partnership."""
    return partnership.facilitators.get(pk=person_id)


def organisation_candidate_list(
    *, partnership: Partnership, query: str = ""
) -> QuerySet[Organisation]:
    """Return the organisations that are not yet members, matching a name or acronym."""
    candidates = Organisation.objects.exclude(partnership_links__partnership=partnership)
    text = query.strip()
    if text:
        candidates = candidates.filter(Q(name__icontains=text) | Q(acronym__icontains=text))
    return candidates.order_by("name", "pk")


def facilitator_invitation_list(*, partnership: Partnership) -> QuerySet[FacilitatorInvitation]:
    """Return the partnership's invitations that wait for an answer, with who sent them."""
    return (
        FacilitatorInvitation.objects.filter(
            partnership=partnership, accepted_at__isnull=True, declined_at__isnull=True
        )
        .select_related("invited_by")
        .order_by("-created_at", "-pk")
    )


def facilitator_invitation_get(*, token: str) -> FacilitatorInvitation:
    """Return one facilitator invitation by its secret token, with its partnership."""
    return FacilitatorInvitation.objects.select_related("partnership", "invited_by").get(
        token=token
    )


def partnership_composition(*, partnership: Partnership) -> dict[str, dict[str, int]]:
    """Count member organisations by region and by stakeholder type."""
    members = Organisation.objects.filter(partnership_links__partnership=partnership)
    by_region = members.values("region").annotate(n=Count("pk")).order_by("region")
    by_type = (
        members.values("stakeholder_type").annotate(n=Count("pk")).order_by("stakeholder_type")
    )
    return {
        "region": {row["region"]: row["n"] for row in by_region},
        "stakeholder_type": {row["stakeholder_type"]: row["n"] for row in by_type},
    }
