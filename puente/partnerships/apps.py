from typing import Any

from django.apps import AppConfig


def _partnerships_facilitated_by(person: Any) -> list[str]:
    return list(person.facilitated_partnerships.values_list("title", flat=True))


def _join_requests_made_by(person: Any) -> list[dict[str, str]]:
    # Models load after the app registry; this runs per export, long after ready().
    from .models import PartnershipJoinRequest

    return [
        {
            "partnership": request.partnership.title,
            "organisation": request.organisation.name,
            "message": request.message,
            "status": request.status,
            "created_at": request.created_at.isoformat(),
        }
        for request in PartnershipJoinRequest.objects.filter(requested_by=person)
        .select_related("partnership", "organisation")
        .order_by("created_at", "pk")
    ]


def _organisation_partnerships(*, organisation: Any, viewer: Any) -> Any:
    # Models load after the app registry; this runs per request, long after ready().
    from puente.core.registry import PageSection

    from .selectors import organisation_partnership_list

    return PageSection(
        template="partnerships/_organisation_partnerships.html",
        context={
            "partnerships": organisation_partnership_list(organisation=organisation, viewer=viewer)
        },
    )


def _person_saved(*, update_fields: Any = None, **_kwargs: Any) -> None:
    # A facilitator's name is shown on partnership pages; a sign-in only stamps last_login.
    from puente.core.versions import content_changed
    from puente.stakeholders.selectors import DIRECTORY

    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    content_changed(DIRECTORY)


class PartnershipsConfig(AppConfig):
    name = "puente.partnerships"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from puente.accounts.models import User
        from puente.core.registry import (
            account_deletion_blocker_register,
            organisation_page_section_register,
            page_content_version_register,
            personal_data_section_register,
        )
        from puente.core.versions import content_versions_connect
        from puente.stakeholders.selectors import DIRECTORY

        from .models import (
            FacilitatorInvitation,
            Partnership,
            PartnershipMember,
            PartnershipTranslation,
        )
        from .services import account_deletion_check

        # Partnerships show on organisations' pages and organisations on partnerships' pages.
        content_versions_connect(
            DIRECTORY,
            [Partnership, PartnershipTranslation, PartnershipMember, FacilitatorInvitation],
            [Partnership.facilitators.through],
        )
        post_save.connect(_person_saved, sender=User, dispatch_uid="directory-person-saved")
        page_content_version_register("partnership", DIRECTORY)
        page_content_version_register("organisation", DIRECTORY)
        page_content_version_register("home", DIRECTORY)

        personal_data_section_register("partnerships_facilitated", _partnerships_facilitated_by)
        personal_data_section_register("partnership_join_requests", _join_requests_made_by)
        organisation_page_section_register("partnerships", _organisation_partnerships)
        account_deletion_blocker_register("partnership_last_facilitator", account_deletion_check)
