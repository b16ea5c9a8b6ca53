"""Reads of partnerships, filtered by what the viewer may see."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from puente.accounts.models import User
from puente.core.permissions import Viewer, is_signed_in
from puente.core.registry import WaitingItem, waiting_items
from puente.stakeholders.models import Membership, Organisation

from .models import FacilitatorInvitation, Partnership, PartnershipJoinRequest
from .permissions import can_manage_partnership_members


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


def partnership_discoverable_get(*, slug: str) -> Partnership:
    """Return a members-only partnership its facilitators made discoverable, by slug."""
    return Partnership.objects.only("pk", "slug", "title", "visibility", "is_discoverable").get(
        slug=slug, visibility=Partnership.Visibility.MEMBERS, is_discoverable=True
    )


def administered_organisation_list(*, person: Viewer) -> QuerySet[Organisation]:
    """Return the organisations the person is an active admin of, by name."""
    if not is_signed_in(person):
        return Organisation.objects.none()
    return Organisation.objects.filter(
        memberships__person_id=person.pk,
        memberships__role=Membership.Role.ADMIN,
        memberships__status=Membership.Status.ACTIVE,
    ).order_by("name", "pk")


def join_request_candidate_list(
    *, partnership: Partnership, person: Viewer
) -> QuerySet[Organisation]:
    """Return the organisations the person admins that may still ask to join the partnership."""
    waiting = PartnershipJoinRequest.objects.filter(
        partnership=partnership, status=PartnershipJoinRequest.Status.PENDING
    ).values("organisation_id")
    return administered_organisation_list(person=person).exclude(
        Q(partnership_links__partnership=partnership) | Q(pk__in=waiting)
    )


def join_request_list(
    *, partnership: Partnership, viewer: Viewer, status: str | None = None
) -> QuerySet[PartnershipJoinRequest]:
    """Return the partnership's join requests the viewer may see, newest first.

    Facilitators and platform admins see them all; an organisation's admins see its own.
    """
    requests = PartnershipJoinRequest.objects.filter(partnership=partnership).select_related(
        "partnership", "organisation", "requested_by", "decided_by"
    )
    if status is not None:
        requests = requests.filter(status=status)
    if can_manage_partnership_members(viewer, partnership):
        return requests.order_by("-created_at", "-pk")
    mine = administered_organisation_list(person=viewer).values("pk")
    return requests.filter(organisation_id__in=mine).order_by("-created_at", "-pk")


def join_request_get(
    *, partnership: Partnership, viewer: Viewer, pk: int
) -> PartnershipJoinRequest:
    """Return one of the partnership's join requests that the viewer may see."""
    return join_request_list(partnership=partnership, viewer=viewer).get(pk=pk)


# How many rows each list of a person's home shows; the pages they link to show the rest.
HOME_LIMIT = 20


@dataclass(frozen=True)
class PersonHome:
    """What a signed-in person's home page shows them about themselves."""

    organisations: list[Organisation]
    partnerships: list[Partnership]
    membership_requests: list[Membership]
    join_requests: list[PartnershipJoinRequest]
    waiting: list[WaitingItem]


def person_home_get(*, person: User) -> PersonHome:
    """Return the person's organisations, partnerships and what waits for them, in a few queries."""
    organisations = list(
        Organisation.objects.filter(
            memberships__person=person, memberships__status=Membership.Status.ACTIVE
        ).order_by("name", "pk")[:HOME_LIMIT]
    )
    mine = Membership.objects.filter(person=person, status=Membership.Status.ACTIVE)
    partnerships = list(
        Partnership.objects.filter(
            Q(
                pk__in=Partnership.facilitators.through.objects.filter(user=person).values(
                    "partnership_id"
                )
            )
            | Q(member_links__organisation__in=mine.values("organisation_id"))
        )
        .distinct()
        .order_by("title", "pk")[:HOME_LIMIT]
    )
    membership_requests = list(
        Membership.objects.filter(
            status=Membership.Status.PENDING,
            organisation__in=mine.filter(role=Membership.Role.ADMIN).values("organisation_id"),
        )
        .select_related("person", "organisation")
        .order_by("created_at", "pk")[:HOME_LIMIT]
    )
    join_requests = list(
        PartnershipJoinRequest.objects.filter(
            status=PartnershipJoinRequest.Status.PENDING,
            partnership__facilitators=person,
        )
        .select_related("partnership", "organisation")
        .order_by("created_at", "pk")[:HOME_LIMIT]
    )
    return PersonHome(
        organisations=organisations,
        partnerships=partnerships,
        membership_requests=membership_requests,
        join_requests=join_requests,
        waiting=waiting_items(person=person),
    )
