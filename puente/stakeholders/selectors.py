"""Reads of organisations and memberships, joined so that lists cost a fixed number of queries."""

from collections.abc import Sequence

from django.db.models import Count, Prefetch, Q, QuerySet

from puente.accounts.models import User
from puente.core.models import Theme

from .models import Invitation, Membership, Organisation


def organisation_list(
    *,
    query: str = "",
    stakeholder_types: Sequence[str] = (),
    regions: Sequence[str] = (),
    countries: Sequence[str] = (),
    themes: Sequence[str] = (),
    is_verified: bool | None = None,
) -> QuerySet[Organisation]:
    """Return organisations matching a free-text query and filters, themes prefetched."""
    organisations = Organisation.objects.prefetch_related(
        Prefetch("themes", queryset=Theme.objects.order_by("code"))
    )
    text = query.strip()
    if text:
        organisations = organisations.filter(
            Q(name__icontains=text) | Q(acronym__icontains=text) | Q(description__icontains=text)
        )
    if stakeholder_types:
        organisations = organisations.filter(stakeholder_type__in=stakeholder_types)
    if regions:
        organisations = organisations.filter(region__in=regions)
    if countries:
        organisations = organisations.filter(country__in=[c.upper() for c in countries])
    if themes:
        matching = Organisation.objects.filter(themes__code__in=themes).values("pk")
        organisations = organisations.filter(pk__in=matching)
    if is_verified is not None:
        organisations = organisations.filter(is_verified=is_verified)
    return organisations.order_by("name")


def organisation_get(*, slug: str) -> Organisation:
    """Return one organisation by slug with its themes and partnerships."""
    return (
        Organisation.objects.prefetch_related("themes", "partnerships")
        .annotate(
            n_members=Count("memberships", filter=Q(memberships__status=Membership.Status.ACTIVE))
        )
        .get(slug=slug)
    )


def organisation_count_by_region() -> dict[str, int]:
    """Return how many organisations each region has."""
    rows = Organisation.objects.values("region").annotate(n=Count("pk")).order_by("region")
    return {row["region"]: row["n"] for row in rows}


def membership_list(
    *, organisation: Organisation | None = None, person: User | None = None
) -> QuerySet[Membership]:
    """Return memberships, with person and organisation joined."""
    memberships = Membership.objects.select_related("person", "organisation")
    if organisation is not None:
        memberships = memberships.filter(organisation=organisation)
    if person is not None:
        memberships = memberships.filter(person=person)
    return memberships


def invitation_list(*, organisation: Organisation) -> QuerySet[Invitation]:
    """Return the organisation's open invitations."""
    return Invitation.objects.filter(organisation=organisation, accepted_at__isnull=True)
