"""Hooks by which later apps plug into earlier ones, registered in each app's AppConfig.ready().

An earlier app (accounts, stakeholders) may not import a later one (rule 17 of STYLE.md), so
the later app registers what the earlier one needs: sections of a person's data export, parts
of an organisation's or a partnership's page, what is shown under an agenda item, reasons
that stop a person deleting their account, what waits for a person on their home page, a
partnership's "How to take part" page and its part of the demo.
"""

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

PersonalDataSection = Callable[[Any], Any]

_sections: dict[str, PersonalDataSection] = {}


def personal_data_section_register(name: str, section: PersonalDataSection) -> None:
    """Add (or replace) the named section of every personal data export."""
    _sections[name] = section


def personal_data_sections() -> Iterator[tuple[str, PersonalDataSection]]:
    """Yield the registered sections in name order."""
    yield from sorted(_sections.items())


@dataclass(frozen=True)
class PageSection:
    """A part of a page that a later app provides: a fragment template and its context."""

    template: str
    context: Mapping[str, Any] = field(default_factory=dict)


# Called with keyword arguments organisation= and viewer=.
OrganisationPageSection = Callable[..., PageSection]

_organisation_page_sections: dict[str, OrganisationPageSection] = {}


def organisation_page_section_register(name: str, section: OrganisationPageSection) -> None:
    """Add (or replace) the named section of every organisation's page."""
    _organisation_page_sections[name] = section


def organisation_page_sections(*, organisation: Any, viewer: Any) -> list[PageSection]:
    """Return the registered sections of the organisation's page for the viewer, in name order."""
    return [
        section(organisation=organisation, viewer=viewer)
        for _name, section in sorted(_organisation_page_sections.items())
    ]


@dataclass(frozen=True)
class AccountDeletionBlock:
    """A reason a person's account cannot be deleted yet, told to them and to an admin."""

    to_person: str  # "You are the only administrator of X: appoint another ..."
    to_admin: str  # "ana@example.org is the only administrator of X."


# Called with the keyword argument person=, inside the deletion's transaction; returns what
# stops the deletion, or nothing. A blocker locks the rows it reads (select_for_update), so
# that two people deleting at once cannot both get through.
AccountDeletionBlocker = Callable[..., list[AccountDeletionBlock]]

_account_deletion_blockers: dict[str, AccountDeletionBlocker] = {}


def account_deletion_blocker_register(name: str, blocker: AccountDeletionBlocker) -> None:
    """Add (or replace) the named check that may stop a person deleting their account."""
    _account_deletion_blockers[name] = blocker


def account_deletion_blockers() -> Iterator[tuple[str, AccountDeletionBlocker]]:
    """Yield the registered deletion checks in name order."""
    yield from sorted(_account_deletion_blockers.items())


# Called with keyword arguments partnership= and viewer=.
PartnershipPageSection = Callable[..., PageSection]

_partnership_page_sections: dict[str, PartnershipPageSection] = {}


def partnership_page_section_register(name: str, section: PartnershipPageSection) -> None:
    """Add (or replace) the named section of every partnership's page."""
    _partnership_page_sections[name] = section


def partnership_page_sections(*, partnership: Any, viewer: Any) -> list[PageSection]:
    """Return the registered sections of the partnership's page for the viewer, in name order."""
    return [
        section(partnership=partnership, viewer=viewer)
        for _name, section in sorted(_partnership_page_sections.items())
    ]


_page_content_versions: dict[str, set[str]] = {}


def page_content_version_register(page: str, name: str) -> None:
    """Say that the named page (``"partnership"``, ``"organisation"``, ``"home"``) shows
    content of the named content version (see puente.core.versions), so that a rendering of
    the page cached for visitors is not read again once that content changes."""
    _page_content_versions.setdefault(page, set()).add(name)


def page_content_versions(page: str) -> list[str]:
    """Return the names of the content versions the page shows, sorted."""
    return sorted(_page_content_versions.get(page, ()))


# Called with the keyword argument report= (the demo's load report), inside the demo's
# transaction, after the partnerships are loaded; creates only what is missing.
DemoLoader = Callable[..., None]

_demo_loaders: dict[str, DemoLoader] = {}


def demo_loader_register(name: str, loader: DemoLoader) -> None:
    """Add (or replace) the named part of the demo that a later app loads."""
    _demo_loaders[name] = loader


def demo_loaders() -> Iterator[tuple[str, DemoLoader]]:
    """Yield the registered demo loaders in name order."""
    yield from sorted(_demo_loaders.items())


# Called with keyword arguments items= (agenda items of one published version) and viewer=;
# returns, per item id, the part to show under that item (items without one are left out).
AgendaItemSection = Callable[..., Mapping[int, PageSection]]

_agenda_item_sections: dict[str, AgendaItemSection] = {}


def agenda_item_section_register(name: str, section: AgendaItemSection) -> None:
    """Add (or replace) the named part shown under each item of a published agenda version."""
    _agenda_item_sections[name] = section


def agenda_item_sections(*, items: Any, viewer: Any) -> dict[int, list[PageSection]]:
    """Return, per item id, the registered parts to show under it, in name order."""
    found: dict[int, list[PageSection]] = {}
    for _name, section in sorted(_agenda_item_sections.items()):
        for item_id, part in section(items=items, viewer=viewer).items():
            found.setdefault(item_id, []).append(part)
    return found


@dataclass(frozen=True)
class ActivityItem:
    """Something happening now, as the home page lists it: what, where, since when."""

    kind: str  # translated: "Open for votes", "Agenda version published", ...
    title: str
    url: str
    place: str  # the partnership it happens in
    at: Any  # a datetime: items are listed newest first


# Called with keyword arguments viewer= and limit=; returns at most limit items the viewer may
# see (never anything of a members-only partnership to an outsider), newest first.
HomeActivity = Callable[..., list[ActivityItem]]

_home_activities: dict[str, HomeActivity] = {}


def home_activity_register(name: str, activity: HomeActivity) -> None:
    """Add (or replace) the named source of what the home page shows as happening now."""
    _home_activities[name] = activity


def home_activity(*, viewer: Any, limit: int) -> list[ActivityItem]:
    """Return the newest items of every registered source the viewer may see, at most limit."""
    # Each source gets its share, so that a busy one does not hide the others.
    share = -(-limit // max(len(_home_activities), 1))
    items = [
        item
        for _name, activity in sorted(_home_activities.items())
        for item in activity(viewer=viewer, limit=share)
    ]
    items.sort(key=lambda item: item.at, reverse=True)
    return items[:limit]


@dataclass(frozen=True)
class WaitingItem:
    """Something waiting for a person to act on, listed on their home page: a line and a link."""

    text: str
    url: str


# Called with the keyword argument person= (a signed-in person); returns a bounded list, in
# a fixed number of queries, of what waits for them in the registering app.
WaitingItems = Callable[..., list[WaitingItem]]

_waiting_items: dict[str, WaitingItems] = {}


def waiting_item_register(name: str, items: WaitingItems) -> None:
    """Add (or replace) the named source of what waits for a person on their home page."""
    _waiting_items[name] = items


def waiting_items(*, person: Any) -> list[WaitingItem]:
    """Return what waits for the person, source by source in name order."""
    return [
        item for _name, items in sorted(_waiting_items.items()) for item in items(person=person)
    ]


# Called with keyword arguments partnership= and viewer=; a part of the partnership's
# "How to take part" page (for example its dialogues open to contributions and votes).
PartnershipTakePartSection = Callable[..., PageSection]

_partnership_take_part_sections: dict[str, PartnershipTakePartSection] = {}


def partnership_take_part_section_register(name: str, section: PartnershipTakePartSection) -> None:
    """Add (or replace) the named section of every partnership's "How to take part" page."""
    _partnership_take_part_sections[name] = section


def partnership_take_part_sections(*, partnership: Any, viewer: Any) -> list[PageSection]:
    """Return the registered sections of the "How to take part" page, in name order."""
    return [
        section(partnership=partnership, viewer=viewer)
        for _name, section in sorted(_partnership_take_part_sections.items())
    ]
