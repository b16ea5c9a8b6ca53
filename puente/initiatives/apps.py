from typing import Any

from django.apps import AppConfig

PARTNERSHIP_PAGE_INITIATIVES = 10


def _demo_initiatives(*, report: Any) -> None:
    from .demo import initiatives_demo_load

    initiatives_demo_load(report=report)


def _partnership_initiatives(*, partnership: Any, viewer: Any) -> Any:
    # Models load after the app registry; this runs per request, long after ready().
    from puente.core.registry import PageSection

    from .selectors import partnership_initiatives

    initiatives = partnership_initiatives(viewer=viewer, partnership=partnership)
    return PageSection(
        template="initiatives/_partnership_initiatives.html",
        context={"initiatives": list(initiatives[:PARTNERSHIP_PAGE_INITIATIVES])},
    )


def _agenda_item_initiatives(*, items: Any, viewer: Any) -> dict[int, Any]:
    from django.urls import reverse

    from puente.core.registry import PageSection

    from .selectors import initiatives_by_item

    found = initiatives_by_item(viewer=viewer, item_ids=[item.pk for item in items])
    linked = [item for item in items if item.pk in found]
    if not linked:
        return {}
    # The items of one version share a partnership: read it once, not once per item.
    partnership_slug = linked[0].version.agenda.dialogue.partnership.slug
    return {
        item.pk: PageSection(
            template="initiatives/_agenda_item_initiatives.html",
            context={
                "initiatives": found[item.pk],
                "trace_url": reverse(
                    "initiatives:agenda-item-trace",
                    kwargs={"partnership_slug": partnership_slug, "item_id": item.pk},
                ),
            },
        )
        for item in linked
    }


def _home_activity(*, viewer: Any, limit: int) -> list[Any]:
    from django.utils.translation import gettext as _

    from puente.core.registry import ActivityItem

    from .selectors import initiative_recent_list

    return [
        ActivityItem(
            kind=_("Initiative updated"),
            title=initiative.title,
            url=initiative.get_absolute_url(),
            place=initiative.partnership.title,
            at=initiative.updated_at,
        )
        for initiative in initiative_recent_list(viewer=viewer, limit=limit)
    ]


class InitiativesConfig(AppConfig):
    name = "puente.initiatives"

    def ready(self) -> None:
        from puente.agenda.models import Agenda, AgendaItem, AgendaVersion
        from puente.core.registry import (
            agenda_item_section_register,
            demo_loader_register,
            home_activity_register,
            page_content_version_register,
            partnership_page_section_register,
        )
        from puente.core.versions import content_versions_connect
        from puente.dialogues.models import Dialogue, Statement
        from puente.partnerships.models import Partnership
        from puente.stakeholders.models import Organisation

        from . import models
        from .portfolio_cache import PORTFOLIO

        content_versions_connect(
            PORTFOLIO,
            [
                *self.get_models(),
                Organisation,
                Partnership,
                Agenda,
                AgendaVersion,
                AgendaItem,
                # Shown on an initiative's page, through the agenda items it answers.
                Dialogue,
                Statement,
            ],
            [models.Initiative.agenda_items.through, AgendaItem.statements.through],
        )
        partnership_page_section_register("initiatives", _partnership_initiatives)
        # The partnership's page lists its initiatives.
        page_content_version_register("partnership", PORTFOLIO)
        # The home page lists the initiatives updated lately.
        page_content_version_register("home", PORTFOLIO)
        agenda_item_section_register("initiatives", _agenda_item_initiatives)
        home_activity_register("initiatives", _home_activity)
        # After the agenda ("~agenda"): the demo initiatives link to its published items.
        demo_loader_register("~~initiatives", _demo_initiatives)
