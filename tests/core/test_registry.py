from django.contrib.auth.models import AnonymousUser

from puente.core.registry import account_deletion_blockers, organisation_page_sections
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
