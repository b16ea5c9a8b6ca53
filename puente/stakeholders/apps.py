from typing import Any

from django.apps import AppConfig


def _memberships_of(person: Any) -> list[dict[str, Any]]:
    from .models import Membership

    return [
        {
            "organisation": membership.organisation.name,
            "role": membership.role,
            "status": membership.status,
            "since": membership.created_at.isoformat(),
        }
        for membership in Membership.objects.filter(person=person).select_related("organisation")
    ]


def _organisations_registered_by(person: Any) -> list[str]:
    from .models import Organisation

    return list(Organisation.objects.filter(created_by=person).values_list("name", flat=True))


class StakeholdersConfig(AppConfig):
    name = "puente.stakeholders"

    def ready(self) -> None:
        from puente.core.models import Theme
        from puente.core.registry import (
            account_deletion_blocker_register,
            personal_data_section_register,
        )
        from puente.core.versions import content_versions_connect

        from .models import Membership, Organisation, OrganisationTranslation
        from .selectors import DIRECTORY
        from .services import account_deletion_check

        content_versions_connect(
            DIRECTORY,
            [Organisation, OrganisationTranslation, Membership, Theme],
            [Organisation.themes.through],
        )

        personal_data_section_register("memberships", _memberships_of)
        personal_data_section_register("organisations_registered", _organisations_registered_by)
        account_deletion_blocker_register("organisation_last_admin", account_deletion_check)
