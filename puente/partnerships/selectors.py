"""Reads of partnerships, filtered by what the viewer may see."""

from django.db.models import Count, Prefetch, QuerySet

from puente.core.permissions import Viewer
from puente.stakeholders.models import Organisation

from .models import Partnership


def partnership_list(*, viewer: Viewer, query: str = "") -> QuerySet[Partnership]:
    """Return the partnerships the viewer may read, with member counts."""
    partnerships = Partnership.objects.visible_to(viewer).annotate(
        n_organisations=Count("member_links", distinct=True)
    )
    if query.strip():
        partnerships = partnerships.filter(title__icontains=query.strip())
    return partnerships.order_by("title")


def partnership_get(*, slug: str, viewer: Viewer) -> Partnership:
    """Return one partnership the viewer may read, with its organisations and facilitators."""
    return (
        Partnership.objects.visible_to(viewer)
        .prefetch_related(
            Prefetch(
                "organisations",
                queryset=Organisation.objects.order_by("name").prefetch_related("themes"),
            ),
            "facilitators",
        )
        .get(slug=slug)
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
