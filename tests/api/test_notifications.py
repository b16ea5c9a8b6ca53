from typing import Any

import pytest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override
from rest_framework.test import APIClient

from puente.notifications.models import Kind, Notification, Preference
from puente.notifications.services import notification_send
from tests.accounts.factories import UserFactory
from tests.api.conftest import assert_error, token_client

pytestmark = pytest.mark.django_db

MESSAGE = _("%(person)s asks to join %(organisation)s.")


def _notify(person: Any) -> Notification:
    (notification,) = notification_send(
        kind=Kind.MEMBERSHIP_REQUESTED,
        recipients=[person],
        message=MESSAGE,
        params={"person": "Ana", "organisation": "CEPAL"},
        url="/organisations/cepal/members/",
    )
    return notification


def test_the_list_gives_only_your_own_newest_first_in_the_request_language() -> None:
    ana, ben = UserFactory(), UserFactory()
    first, second = _notify(ana), _notify(ana)
    _notify(ben)
    response = token_client(ana).get("/api/v1/notifications/", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [row["id"] for row in body["results"]] == [second.pk, first.pk]
    row = body["results"][0]
    assert row["kind"] == "membership_requested"
    assert row["url"] == "/organisations/cepal/members/"
    assert row["read_at"] is None
    with override("es"):
        assert row["text"] == str(MESSAGE) % {"person": "Ana", "organisation": "CEPAL"}


def test_reading_one_and_all() -> None:
    ana, ben = UserFactory(), UserFactory()
    first, second = _notify(ana), _notify(ana)
    client = token_client(ana)
    response = client.post(f"/api/v1/notifications/{first.pk}/read/")
    assert response.status_code == 200
    assert response.json()["read_at"] is not None
    assert_error(token_client(ben).post(f"/api/v1/notifications/{second.pk}/read/"), 404)
    assert client.post("/api/v1/notifications/read-all/").status_code == 204
    assert not Notification.objects.filter(recipient=ana, read_at__isnull=True).exists()


def test_preferences_read_and_set() -> None:
    ana = UserFactory()
    client = token_client(ana)
    body = client.get("/api/v1/notifications/preferences/").json()
    assert {row["kind"] for row in body["preferences"]} == set(Kind.values)
    assert {row["frequency"] for row in body["preferences"]} == {"immediately"}

    response = client.put(
        "/api/v1/notifications/preferences/",
        {"preferences": [{"kind": "reply", "frequency": "weekly"}]},
        format="json",
    )
    assert response.status_code == 200
    rows = {row["kind"]: row["frequency"] for row in response.json()["preferences"]}
    assert rows["reply"] == "weekly"
    assert rows["invitation"] == "immediately"
    assert Preference.objects.get(person=ana, kind="reply").frequency == "weekly"


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ({"kind": "everything", "frequency": "daily"}, "preferences[1].kind"),
        ({"kind": "reply", "frequency": "hourly"}, "preferences[1].frequency"),
    ],
)
def test_a_bad_kind_or_frequency_is_a_400_naming_the_field(row: Any, field: str) -> None:
    ana = UserFactory()
    response = token_client(ana).put(
        "/api/v1/notifications/preferences/",
        {"preferences": [{"kind": "reply", "frequency": "daily"}, row]},
        format="json",
    )
    assert_error(response, 400, field)
    assert not Preference.objects.filter(person=ana).exists()


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/notifications/"),
        ("post", "/api/v1/notifications/1/read/"),
        ("post", "/api/v1/notifications/read-all/"),
        ("get", "/api/v1/notifications/preferences/"),
        ("put", "/api/v1/notifications/preferences/"),
    ],
)
def test_anonymous_callers_get_401(method: str, path: str) -> None:
    assert_error(getattr(APIClient(), method)(path, format="json"), 401)


def test_the_list_costs_a_bounded_number_of_queries(django_assert_max_num_queries: Any) -> None:
    ana = UserFactory()
    for _i in range(30):
        _notify(ana)
    client = token_client(ana)
    with django_assert_max_num_queries(6):
        assert client.get("/api/v1/notifications/").status_code == 200


def test_preferences_take_json_only() -> None:
    response = token_client(UserFactory()).put(
        "/api/v1/notifications/preferences/", {"preferences": "reply"}, format="multipart"
    )
    assert_error(response, 415)
