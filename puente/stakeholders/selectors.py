"""Reads of organisations and memberships, joined so that lists cost a fixed number of queries."""

from collections.abc import Sequence

from django.db.models import Count, Prefetch, Q, QuerySet

from puente.accounts.models import User
from puente.core.models import Theme
from puente.core.permissions import Viewer
from puente.core.versions import cached, content_key, content_version

from .models import Invitation, Membership, Organisation, OrganisationTranslation

# The content version of what the directory and the organisations' pages show: organisations,
# their themes and members, and the partnerships they belong to (connected in apps.py and by
# the partnerships app).
DIRECTORY = "directory"


def directory_version() -> str:
    """Return the directory's current content version (read it once per request)."""
    return content_version(DIRECTORY)


def directory_key(version: str, *question: object) -> str:
    """Return a cache key for the question's answer from the directory at that version."""
    return content_key("directory", version, *question)


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
        Prefetch("themes", queryset=Theme.objects.order_by("code")), "translations"
    )
    text = query.strip()
    if text:
        organisations = organisations.filter(
            Q(name__icontains=text)
            | Q(acronym__icontains=text)
            | Q(also_known_as__icontains=text)
            | Q(description__icontains=text)
            | Q(
                pk__in=OrganisationTranslation.objects.filter(description__icontains=text).values(
                    "organisation"
                )
            )
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


def organisation_country_list(*, version: str | None = None) -> list[str]:
    """Return the codes of the countries that have at least one organisation, cached under
    the directory's version (read unless given)."""

    def read() -> list[str]:
        codes = Organisation.objects.order_by().values_list("country", flat=True).distinct()
        return sorted(str(code) for code in codes)

    if version is None:
        version = directory_version()
    return cached(directory_key(version, "countries"), read)


def organisation_get(*, slug: str, with_related: bool = True) -> Organisation:
    """Return one organisation by slug with its number of active members and, unless told
    otherwise (a page that usually comes from the cache), its themes and translations."""
    organisations = Organisation.objects.all()
    if with_related:
        organisations = organisations.prefetch_related(
            Prefetch("themes", queryset=Theme.objects.order_by("code")), "translations"
        )
    return organisations.annotate(
        n_members=Count("memberships", filter=Q(memberships__status=Membership.Status.ACTIVE))
    ).get(slug=slug)


def organisation_composition() -> dict[str, dict[str, int]]:
    """Count the directory's organisations by region and by stakeholder type."""
    by_region = Organisation.objects.values("region").annotate(n=Count("pk")).order_by("region")
    by_type = (
        Organisation.objects.values("stakeholder_type")
        .annotate(n=Count("pk"))
        .order_by("stakeholder_type")
    )
    return {
        "region": {row["region"]: row["n"] for row in by_region},
        "stakeholder_type": {row["stakeholder_type"]: row["n"] for row in by_type},
    }


def organisation_country_count() -> int:
    """Return how many countries the directory's organisations come from."""
    return Organisation.objects.values("country").distinct().count()


def membership_list(
    *,
    organisation: Organisation | None = None,
    person: User | None = None,
    status: str | None = None,
) -> QuerySet[Membership]:
    """Return memberships, with person and organisation joined."""
    memberships = Membership.objects.select_related("person", "organisation")
    if organisation is not None:
        memberships = memberships.filter(organisation=organisation)
    if person is not None:
        memberships = memberships.filter(person=person)
    if status is not None:
        memberships = memberships.filter(status=status)
    return memberships


def membership_of(*, person: Viewer, organisation: Organisation) -> Membership | None:
    """Return the person's membership of the organisation, pending or active, if any."""
    if not person.is_authenticated:
        return None
    return Membership.objects.filter(person_id=person.pk, organisation=organisation).first()


def invitation_list(*, organisation: Organisation) -> QuerySet[Invitation]:
    """Return the organisation's open invitations, with who sent them."""
    return Invitation.objects.filter(
        organisation=organisation, accepted_at__isnull=True
    ).select_related("invited_by")


def invitation_list_for(*, person: User) -> QuerySet[Invitation]:
    """Return the open invitations addressed to the person's e-mail address."""
    return Invitation.objects.filter(
        email__iexact=person.email, accepted_at__isnull=True
    ).select_related("organisation")


def invitation_get(*, token: str) -> Invitation:
    """Return one invitation by its secret token, with its organisation."""
    return Invitation.objects.select_related("organisation", "invited_by").get(token=token)


def organisation_admins(*, organisation_ids: Sequence[int]) -> QuerySet[User]:
    """Return the active people who administer any of these organisations (each once)."""
    return User.objects.filter(
        is_active=True,
        memberships__organisation_id__in=list(organisation_ids),
        memberships__status=Membership.Status.ACTIVE,
        memberships__role=Membership.Role.ADMIN,
    ).distinct()
