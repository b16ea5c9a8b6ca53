from typing import Any

from django.apps import AppConfig


def _partnership_agendas(*, partnership: Any, viewer: Any) -> Any:
    # Models load after the app registry; this runs per request, long after ready().
    from puente.core.registry import PageSection

    from .selectors import agenda_list

    return PageSection(
        template="agenda/_partnership_agendas.html",
        context={"agendas": agenda_list(partnership=partnership, viewer=viewer)[:10]},
    )


def _endorsements_by(person: Any) -> list[dict[str, Any]]:
    from .models import Endorsement

    endorsements = Endorsement.objects.filter(person=person).select_related(
        "organisation", "version__agenda"
    )
    return [
        {
            "agenda": endorsement.version.agenda.title,
            "version": endorsement.version.number,
            "organisation": endorsement.organisation.name,
            "endorsed_at": endorsement.created_at.isoformat(),
            "withdrawn_at": endorsement.withdrawn_at.isoformat()
            if endorsement.withdrawn_at
            else None,
        }
        for endorsement in endorsements.order_by("created_at", "pk")
    ]


def _home_activity(*, viewer: Any, limit: int) -> list[Any]:
    from django.utils.translation import gettext as _

    from puente.core.registry import ActivityItem

    from .selectors import version_published_list

    return [
        ActivityItem(
            kind=_("Agenda version %(number)s published") % {"number": version.number},
            title=version.agenda.title,
            url=version.get_absolute_url(),
            place=version.agenda.dialogue.partnership.title,
            at=version.published_at,
        )
        for version in version_published_list(viewer=viewer, limit=limit)
    ]


def _demo_agenda(*, report: Any) -> None:
    from .demo import agenda_demo_load

    agenda_demo_load(report=report)


class AgendaConfig(AppConfig):
    name = "puente.agenda"

    def ready(self) -> None:
        from puente.core.registry import (
            demo_loader_register,
            home_activity_register,
            page_content_version_register,
            partnership_page_section_register,
            personal_data_section_register,
        )
        from puente.core.versions import content_versions_connect

        from .models import Agenda, AgendaVersion

        partnership_page_section_register("dialogues-agenda", _partnership_agendas)
        # The partnership's page lists its agendas and whether each has a published version.
        content_versions_connect("agendas", [Agenda, AgendaVersion])
        page_content_version_register("partnership", "agendas")
        # The home page lists the latest published versions.
        page_content_version_register("home", "agendas")
        personal_data_section_register("agenda_endorsements", _endorsements_by)
        # Loaders run in name order: this one needs the dialogue parts' statements, votes and
        # results snapshot, so its name sorts after theirs.
        demo_loader_register("~agenda", _demo_agenda)
        home_activity_register("agenda", _home_activity)
