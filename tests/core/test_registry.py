from django.contrib.auth.models import AnonymousUser

from puente.core import registry
from puente.core.registry import (
    WaitingItem,
    account_deletion_blockers,
    organisation_page_sections,
)
from tests.stakeholders.factories import OrganisationFactory


def test_later_apps_register_their_account_deletion_checks():
    assert [name for name, _check in account_deletion_blockers()] == [
        "organisation_last_admin",
        "partnership_last_facilitator",
    ]


def test_an_organisation_page_section_comes_from_the_partnerships_app(db):
    [section] = organisation_page_sections(
        organisation=OrganisationFactory(), viewer=AnonymousUser()
    )

    assert section.template == "partnerships/_organisation_partnerships.html"


def test_home_activity_merges_the_sources_newest_first_up_to_the_limit(monkeypatch):
    from datetime import UTC, datetime

    from puente.core import registry

    def source(day_numbers):
        def activity(*, viewer, limit):
            return [
                registry.ActivityItem(
                    kind="k",
                    title=f"day {day}",
                    url="/",
                    place="p",
                    at=datetime(2026, 1, day, tzinfo=UTC),
                )
                for day in day_numbers
            ][:limit]

        return activity

    monkeypatch.setattr(registry, "_home_activities", {})
    registry.home_activity_register("b", source([3, 1]))
    registry.home_activity_register("a", source([4, 2]))

    items = registry.home_activity(viewer=AnonymousUser(), limit=3)

    assert [item.title for item in items] == ["day 4", "day 3", "day 2"]


def test_dialogues_agenda_and_initiatives_tell_the_home_page_what_happens():
    from puente.core import registry

    assert sorted(registry._home_activities) == ["agenda", "dialogues", "initiatives"]


def test_waiting_items_come_source_by_source_in_name_order(monkeypatch):
    monkeypatch.setattr(registry, "_waiting_items", {})
    registry.waiting_item_register("zeta", lambda *, person: [WaitingItem("z", "/z/")])
    registry.waiting_item_register(
        "alpha", lambda *, person: [WaitingItem("a1", "/a1/"), WaitingItem("a2", "/a2/")]
    )

    assert [item.text for item in registry.waiting_items(person=None)] == ["a1", "a2", "z"]


def test_the_dialogues_app_registers_what_waits_and_its_take_part_section():
    assert "dialogues_to_vote_in" in registry._waiting_items
    assert "dialogues" in registry._partnership_take_part_sections
