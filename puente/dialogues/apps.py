from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext as _


def _partnership_dialogues(*, partnership: Any, viewer: Any) -> Any:
    # Models load after the app registry; this runs per request, long after ready().
    from puente.core.registry import PageSection

    from .permissions import can_create_dialogue
    from .views import dialogue_rows

    return PageSection(
        template="dialogues/_partnership_dialogues.html",
        context={
            "dialogue_rows": dialogue_rows(partnership=partnership, viewer=viewer, limit=10),
            "can_create_dialogue": can_create_dialogue(viewer, partnership),
        },
    )


def _home_activity(*, viewer: Any, limit: int) -> list[Any]:
    from puente.core.registry import ActivityItem

    from .selectors import dialogue_voting_now_list

    return [
        ActivityItem(
            kind=_("Open for votes"),
            title=dialogue.title,
            url=dialogue.get_absolute_url(),
            place=dialogue.partnership.title,
            at=dialogue.phase_set_at,
        )
        for dialogue in dialogue_voting_now_list(viewer=viewer, limit=limit)
    ]


def _dialogues_to_vote_in(*, person: Any) -> Any:
    from puente.core.registry import WaitingItem

    from .selectors import dialogue_open_for_votes_list

    return [
        WaitingItem(
            text=_("Vote in “%(dialogue)s” (%(partnership)s)")
            % {"dialogue": dialogue.title, "partnership": dialogue.partnership.title},
            url=dialogue.get_absolute_url(),
        )
        for dialogue, _phase in dialogue_open_for_votes_list(person=person)
    ]


def _partnership_take_part(*, partnership: Any, viewer: Any) -> Any:
    from puente.core.registry import PageSection

    from .views import dialogue_rows

    return PageSection(
        template="dialogues/_partnership_take_part.html",
        context={
            "dialogue_rows": [
                (dialogue, phase)
                for dialogue, phase in dialogue_rows(
                    partnership=partnership, viewer=viewer, limit=20
                )
                if phase != "closed"
            ]
        },
    )


def _demo_dialogues(*, report: Any) -> None:
    from .demo import dialogue_demo_load

    dialogue_demo_load(report=report)


class DialoguesConfig(AppConfig):
    name = "puente.dialogues"

    def ready(self) -> None:
        from puente.core.registry import (
            demo_loader_register,
            home_activity_register,
            page_content_version_register,
            partnership_page_section_register,
            partnership_take_part_section_register,
            waiting_item_register,
        )
        from puente.core.versions import content_versions_connect

        from .models import Dialogue

        partnership_page_section_register("dialogues", _partnership_dialogues)
        partnership_take_part_section_register("dialogues", _partnership_take_part)
        waiting_item_register("dialogues_to_vote_in", _dialogues_to_vote_in)
        # The partnership's page lists its dialogues (title, question, phase).
        content_versions_connect("dialogues", [Dialogue])
        page_content_version_register("partnership", "dialogues")
        # The home page lists dialogues open for votes.
        page_content_version_register("home", "dialogues")
        demo_loader_register("dialogues", _demo_dialogues)
        home_activity_register("dialogues", _home_activity)
