"""axe-core finds no violation on the main pages, in English and in Spanish."""

import pytest

from puente.partnerships.models import Partnership
from puente.stakeholders.models import Organisation
from tests.browser.conftest import axe_violations


def _page_path(name: str) -> str:
    if name == "organisation":
        organisation = Organisation.objects.order_by("name").first()
        assert organisation is not None
        return organisation.get_absolute_url()
    if name == "partnership":
        return Partnership.objects.get(slug="eu-lac-digital-alliance").get_absolute_url()
    return {
        "home": "/",
        "directory": "/organisations/",
        "directory-filtered": "/organisations/?region=LAC&type=academia",
        "partnerships": "/partnerships/",
        "sign-up": "/accounts/signup/",
        "log-in": "/accounts/login/",
        "privacy": "/privacy/",
    }[name]


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize(
    "name",
    [
        "home",
        "directory",
        "directory-filtered",
        "organisation",
        "partnership",
        "partnerships",
        "sign-up",
        "log-in",
        "privacy",
    ],
)
def test_axe_finds_no_violation(page, axe, live_server, name, language):
    page.context.add_cookies(
        [{"name": "puente_language", "value": language, "url": live_server.url}]
    )
    page.goto(_page_path(name))
    assert page.locator("html").get_attribute("lang") == language
    assert axe_violations(axe, page) == []
