"""A signed-in person's language and time zone apply to every page."""

import pytest
from django.conf import settings

from tests.accounts.factories import UserFactory


@pytest.mark.django_db
def test_profile_language_applies_in_a_fresh_browser_after_login(client, sign_in):
    person = UserFactory(preferred_language="es")
    assert '<html lang="en">' in client.get("/").content.decode()

    response = sign_in(client, person.email)
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert '<html lang="es">' in client.get("/").content.decode()
    html = client.get("/accounts/password/change/").content.decode()
    assert '<html lang="es">' in html
    assert "Cambiar la contraseña" in html


@pytest.mark.django_db
def test_profile_language_beats_an_old_cookie(client):
    person = UserFactory(preferred_language="es")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    client.force_login(person)
    response = client.get("/accounts/email/")
    assert '<html lang="es">' in response.content.decode()
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"


@pytest.mark.django_db
def test_without_a_profile_language_the_cookie_decides(client):
    client.force_login(UserFactory(preferred_language=""))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert '<html lang="fr">' in client.get("/").content.decode()


@pytest.mark.django_db
def test_times_are_shown_in_the_person_time_zone(client):
    client.force_login(UserFactory(time_zone="America/Santiago"))
    response = client.get("/me/")
    assert response.context["time_zone_name"] == "America/Santiago"
    assert "Times are shown in America/Santiago" in response.content.decode()


@pytest.mark.django_db
def test_visitors_see_times_in_utc(client):
    client.force_login(UserFactory(time_zone="Europe/Madrid"))
    client.post("/accounts/logout/")
    client.force_login(UserFactory())
    assert client.get("/me/").context["time_zone_name"] == "UTC"


@pytest.mark.django_db
def test_an_unknown_stored_time_zone_falls_back_to_utc(client):
    person = UserFactory()
    type(person).objects.filter(pk=person.pk).update(time_zone="Nowhere/Atlantis")
    client.force_login(person)
    response = client.get("/me/")
    assert response.status_code == 200
    assert response.context["time_zone_name"] == "UTC"
