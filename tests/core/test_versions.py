import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from puente.core.models import Theme
from puente.core.registry import page_content_version_register
from puente.core.versions import (
    content_changed,
    content_version,
    content_versions,
    content_versions_connect,
    visitor_page_key,
)
from puente.stakeholders.selectors import DIRECTORY
from tests.accounts.factories import UserFactory
from tests.stakeholders.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

# Connected once for the test session; a theme's save is rare elsewhere.
content_versions_connect("test-themes", [Theme])
page_content_version_register("test-page", "test-themes")


def test_a_write_changes_the_connected_version_and_no_other():
    directory_before = content_version(DIRECTORY)
    themes_before = content_version("test-themes")

    Theme.objects.get(code="ai").save()

    assert content_version("test-themes") != themes_before
    assert content_version(DIRECTORY) != directory_before  # themes are in the directory too
    directory_now = content_version(DIRECTORY)
    content_changed("test-themes")
    assert content_version(DIRECTORY) == directory_now


def test_content_versions_reads_several_in_the_order_asked(django_assert_num_queries):
    content_changed("a-first")
    content_changed("b-second")
    with django_assert_num_queries(1):
        first, unknown, second = content_versions(["a-first", "never-written", "b-second"])
    assert (first, unknown, second) == (
        content_version("a-first"),
        "",
        content_version("b-second"),
    )
    assert first != second


def _request(path="/x/", user=None, **query):
    request = RequestFactory().get(path, query)
    request.user = user or AnonymousUser()
    return request


def test_visitor_page_key_is_stable_until_the_page_content_changes():
    key = visitor_page_key(_request(), "test-page")
    assert key is not None
    assert visitor_page_key(_request(), "test-page") == key
    OrganisationFactory()  # not content of this page
    assert visitor_page_key(_request(), "test-page") == key
    Theme.objects.get(code="ai").save()
    assert visitor_page_key(_request(), "test-page") != key


def test_visitor_page_key_differs_by_address_query_and_question():
    key = visitor_page_key(_request(), "test-page")
    assert visitor_page_key(_request("/y/"), "test-page") != key
    assert visitor_page_key(_request(page="2"), "test-page") != key
    assert visitor_page_key(_request(), "test-page", "members") != key


def test_a_signed_in_person_gets_no_visitor_key():
    assert visitor_page_key(_request(user=UserFactory()), "test-page") is None
