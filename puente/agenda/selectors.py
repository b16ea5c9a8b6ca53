"""Reads of agendas, filtered by what the viewer may see."""

from collections import Counter
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from puente.core.choices import Region, StakeholderType
from puente.core.permissions import Viewer, is_signed_in
from puente.dialogues.models import Dialogue, Statement
from puente.partnerships.models import Partnership

from .models import Agenda, AgendaItem, AgendaVersion, Endorsement
from .permissions import can_view_drafts


def agenda_list(*, partnership: Partnership, viewer: Viewer) -> QuerySet[Agenda]:
    """Return the partnership's agendas the viewer may read: with a published version, or all
    of them for its facilitators."""
    agendas = (
        Agenda.objects.filter(
            dialogue__partnership=partnership,
            dialogue__in=Dialogue.objects.visible_to(viewer).values("pk"),
        )
        .select_related("dialogue__partnership")
        .annotate(
            n_published=Count("versions", filter=Q(versions__status="published")),
        )
        .order_by("-created_at", "-pk")
    )
    if can_view_drafts(viewer, partnership):
        return agendas
    return agendas.filter(n_published__gt=0)


def agenda_get(*, partnership_slug: str, slug: str, viewer: Viewer) -> Agenda:
    """Return the agenda of the dialogue, if the viewer may read the dialogue."""
    return Agenda.objects.select_related("dialogue__partnership").get(
        dialogue__in=Dialogue.objects.visible_to(viewer).values("pk"),
        dialogue__partnership__slug=partnership_slug,
        dialogue__slug=slug,
    )


def version_published_list(*, viewer: Viewer, limit: int) -> QuerySet[AgendaVersion]:
    """Return the latest published versions of the agendas the viewer may read, newest first."""
    return (
        AgendaVersion.objects.filter(
            status=AgendaVersion.Status.PUBLISHED,
            agenda__dialogue__in=Dialogue.objects.visible_to(viewer).values("pk"),
        )
        .select_related("agenda__dialogue__partnership")
        .order_by("-published_at", "-pk")[:limit]
    )


def version_list(*, agenda: Agenda) -> QuerySet[AgendaVersion]:
    """Return the agenda's published versions, newest first, with their counts."""
    return (
        AgendaVersion.objects.filter(agenda=agenda, status=AgendaVersion.Status.PUBLISHED)
        .select_related("published_by", "agenda__dialogue__partnership")
        .annotate(
            n_items=Count("items", distinct=True),
            n_endorsements=Count(
                "endorsements",
                filter=Q(endorsements__withdrawn_at__isnull=True),
                distinct=True,
            ),
        )
        .order_by("-number")
    )


def version_get(*, agenda: Agenda, number: int) -> AgendaVersion:
    """Return one published version of the agenda."""
    return AgendaVersion.objects.select_related("agenda__dialogue__partnership").get(
        agenda=agenda, status=AgendaVersion.Status.PUBLISHED, number=number
    )


def version_latest(*, agenda: Agenda) -> AgendaVersion | None:
    """Return the agenda's newest published version, if any."""
    return (
        AgendaVersion.objects.select_related("agenda__dialogue__partnership")
        .filter(agenda=agenda, status=AgendaVersion.Status.PUBLISHED)
        .order_by("-number")
        .first()
    )


def draft_get(*, agenda: Agenda) -> AgendaVersion | None:
    """Return the agenda's draft, if it has one."""
    return (
        AgendaVersion.objects.select_related("agenda__dialogue__partnership")
        .filter(agenda=agenda, status=AgendaVersion.Status.DRAFT)
        .first()
    )


def item_list(*, version: AgendaVersion) -> QuerySet[AgendaItem]:
    """Return the version's items in order, with the statements behind each."""
    return (
        AgendaItem.objects.filter(version=version)
        .prefetch_related(Prefetch("statements", queryset=Statement.objects.order_by("pk")))
        .order_by("position")
    )


def endorsement_list(*, version: AgendaVersion) -> QuerySet[Endorsement]:
    """Return the version's standing endorsements, by organisation name."""
    return (
        Endorsement.objects.filter(version=version, withdrawn_at__isnull=True)
        .select_related("organisation", "person")
        .order_by("organisation__name", "pk")
    )


def endorsement_summary(endorsements: list[Endorsement]) -> dict[str, list[tuple[str, str, int]]]:
    """Return the count of endorsing organisations per region and per stakeholder type.

    Each list holds (code, label, count) for every category, in the vocabulary's order.
    """
    by_region = Counter(endorsement.organisation.region for endorsement in endorsements)
    by_type = Counter(endorsement.organisation.stakeholder_type for endorsement in endorsements)
    return {
        "region": [(code, str(label), by_region[code]) for code, label in Region.choices],
        "stakeholder_type": [
            (code, str(label), by_type[code]) for code, label in StakeholderType.choices
        ],
    }


def statement_uses(*, statement: Statement, viewer: Viewer) -> list[dict[str, Any]]:
    """Return the published agenda items the statement fed, newest version first."""
    items = (
        AgendaItem.objects.filter(
            statements=statement,
            version__status=AgendaVersion.Status.PUBLISHED,
            version__agenda__dialogue__in=Dialogue.objects.visible_to(viewer).values("pk"),
        )
        .select_related("version__agenda__dialogue__partnership")
        .order_by("-version__published_at", "position")
    )
    return [{"item": item, "version": item.version} for item in items]


def my_statements(*, person: Viewer) -> QuerySet[Statement]:
    """Return the person's statements, newest first, with the published items they fed."""
    if not is_signed_in(person):
        return Statement.objects.none()
    published_items = (
        AgendaItem.objects.filter(version__status=AgendaVersion.Status.PUBLISHED)
        .select_related("version__agenda__dialogue__partnership")
        .order_by("-version__published_at", "position")
    )
    return (
        Statement.objects.filter(author=person.pk)
        .select_related("dialogue__partnership")
        .prefetch_related(Prefetch("agenda_items", queryset=published_items))
        .order_by("-created_at", "-pk")
    )
