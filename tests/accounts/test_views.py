"""Profile, language switcher, personal data download and account deletion pages."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.utils import translation

from puente.accounts.models import User
from puente.stakeholders.models import Membership, Organisation
from tests.accounts.factories import PASSWORD, UserFactory
from tests.accounts.pages import assert_accessible_page
from tests.stakeholders.factories import MembershipFactory, OrganisationFactory

PROFILE = {"name": "Ana Pérez", "preferred_language": "", "country": "CL", "time_zone": "UTC"}


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/me/", "/me/data.json", "/me/delete/"])
def test_personal_pages_ask_visitors_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.django_db
def test_profile_page_is_accessible_and_links_to_security_settings(client):
    client.force_login(UserFactory())
    response = client.get("/me/")
    assert response.status_code == 200
    assert_accessible_page(response)
    html = response.content.decode()
    for url in ["/accounts/email/", "/accounts/password/change/", "/accounts/2fa/"]:
        assert f'href="{url}"' in html


@pytest.mark.django_db
def test_saving_the_profile_stores_it(client):
    person = UserFactory()
    client.force_login(person)
    response = client.post("/me/", {**PROFILE, "time_zone": "America/Bogota"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.name, person.country.code, person.time_zone) == (
        "Ana Pérez",
        "CL",
        "America/Bogota",
    )


@pytest.mark.django_db
def test_saving_a_language_switches_the_interface(client):
    person = UserFactory()
    client.force_login(person)
    client.post("/me/", {**PROFILE, "preferred_language": "es"})
    person.refresh_from_db()
    assert person.preferred_language == "es"
    html = client.get("/accounts/password/change/").content.decode()
    assert '<html lang="es">' in html
    assert "Cambiar la contraseña" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("preferred_language", "xx"),
        ("time_zone", "Mars/Olympus_Mons"),
        ("time_zone", ""),
        ("country", "ZZ"),
        ("name", "x" * 151),
        ("name", "\u200b\u200b"),
        ("name", "\u3164"),
        ("name", "\u202eAna P\u00e9rez"),
        ("name", "Ana\u200bP\u00e9rez"),
        ("name", "Ana\u0007"),
    ],
)
def test_bad_profile_input_is_a_400_with_the_field_error(client, field, value):
    person = UserFactory(name="Before")
    client.force_login(person)
    response = client.post("/me/", {**PROFILE, field: value})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert f'id="id_{field}_error"' in response.content.decode()
    assert_accessible_page(response)
    person.refresh_from_db()
    assert person.name == "Before", "nothing saved"


@pytest.mark.django_db
def test_language_switch_sets_the_cookie_and_returns_to_the_page(client):
    response = client.post("/me/language/", {"language": "es", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    html = client.get("/accounts/login/").content.decode()
    assert '<html lang="es">' in html
    assert "Iniciar sesión" in html


@pytest.mark.django_db
def test_language_switch_remembers_the_choice_on_the_profile(client):
    person = UserFactory(preferred_language="fr")
    client.force_login(person)
    response = client.post("/me/language/", {"language": "es", "next": "/me/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    person.refresh_from_db()
    assert person.preferred_language == "es"
    assert '<html lang="es">' in client.get("/me/").content.decode()


@pytest.mark.django_db
def test_signed_in_choice_survives_logging_in_from_a_fresh_browser(client, sign_in):
    person = UserFactory()
    client.force_login(person)
    client.post("/me/language/", {"language": "es", "next": "/"})

    fresh = client.__class__()
    sign_in(fresh, person.email)
    html = fresh.get("/accounts/password/change/").content.decode()
    assert '<html lang="es">' in html
    assert "Cambiar la contraseña" in html


@pytest.mark.django_db
def test_language_switch_refuses_an_unknown_code_with_a_400(client):
    person = UserFactory(preferred_language="fr")
    client.force_login(person)
    response = client.post("/me/language/", {"language": "xx", "next": "/me/"})
    assert response.status_code == 400
    with translation.override("fr"):
        message = translation.gettext("Choose one of the offered languages.")
    assert message != "Choose one of the offered languages."
    assert message in response.content.decode()
    assert_accessible_page(response)
    cookie = response.cookies.get(settings.LANGUAGE_COOKIE_NAME)
    assert cookie is None or cookie.value == "fr"
    person.refresh_from_db()
    assert person.preferred_language == "fr"


@pytest.mark.django_db
@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", ""])
def test_language_switch_never_redirects_off_site(client, target):
    response = client.post("/me/language/", {"language": "pt", "next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_language_switch_only_accepts_post(client):
    assert client.get("/me/language/", {"language": "es"}).status_code == 405


@pytest.mark.django_db
def test_data_download_holds_account_addresses_and_memberships(client):
    person = UserFactory(email="ana@example.org", name="Ana", country="CL")
    membership = MembershipFactory(person=person, role=Membership.Role.ADMIN)
    registered = OrganisationFactory(created_by=person)
    client.force_login(person)

    response = client.get("/me/data.json")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="puente-my-data-')
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["account"]["email"] == "ana@example.org"
    assert data["account"]["name"] == "Ana"
    assert data["account"]["country"] == "CL"
    assert data["email_addresses"] == [
        {"email": "ana@example.org", "verified": True, "primary": True}
    ]
    assert data["memberships"] == [
        {
            "organisation": membership.organisation.name,
            "role": "admin",
            "status": "active",
            "since": membership.created_at.isoformat(),
        }
    ]
    assert data["organisations_registered"] == [registered.name]


@pytest.mark.django_db
def test_data_download_holds_nothing_about_other_people(client):
    person = UserFactory()
    other = MembershipFactory()
    client.force_login(person)
    data = client.get("/me/data.json").content.decode()
    assert other.person.email not in data
    assert other.organisation.name not in data


@pytest.mark.django_db
def test_delete_page_asks_for_confirmation_and_get_deletes_nothing(client):
    person = UserFactory()
    client.force_login(person)
    response = client.get("/me/delete/")
    assert response.status_code == 200
    assert_accessible_page(response)
    assert User.objects.filter(pk=person.pk).exists()


@pytest.mark.django_db
def test_delete_with_a_wrong_password_is_a_400_and_keeps_the_account(client):
    person = UserFactory()
    client.force_login(person)
    response = client.post("/me/delete/", {"password": "wrong"})
    assert response.status_code == 400
    assert "The password is not correct." in response.content.decode()
    assert 'id="id_password_error"' in response.content.decode()
    assert User.objects.filter(pk=person.pk).exists()
    assert client.get("/me/").status_code == 200


@pytest.mark.django_db
def test_delete_with_the_password_removes_the_person_but_keeps_what_they_published(client):
    person = UserFactory()
    MembershipFactory(person=person)
    organisation = OrganisationFactory(created_by=person)
    client.force_login(person)

    response = client.post("/me/delete/", {"password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert not User.objects.filter(pk=person.pk).exists()
    assert not Membership.objects.filter(person_id=person.pk).exists()
    assert not EmailAddress.objects.filter(user_id=person.pk).exists()
    assert Organisation.objects.get(pk=organisation.pk).created_by is None
    assert client.get("/me/").status_code == 302, "signed out"


@pytest.mark.django_db
def test_delete_page_tells_the_only_admin_what_to_do_before_the_password(client):
    person = UserFactory()
    organisation = OrganisationFactory(name="ECLAC")
    MembershipFactory(person=person, organisation=organisation, role=Membership.Role.ADMIN)
    client.force_login(person)

    response = client.get("/me/delete/")

    assert response.status_code == 200
    assert "You are the only administrator of ECLAC: appoint another" in response.content.decode()


@pytest.mark.django_db
def test_delete_by_the_only_admin_is_a_400_with_the_reason_and_keeps_the_account(client):
    person = UserFactory()
    organisation = OrganisationFactory(name="ECLAC")
    MembershipFactory(person=person, organisation=organisation, role=Membership.Role.ADMIN)
    client.force_login(person)

    response = client.post("/me/delete/", {"password": PASSWORD})

    assert response.status_code == 400
    html = response.content.decode()
    assert html.count("You are the only administrator of ECLAC: appoint another") == 1
    assert 'class="alert alert-danger"' in html
    assert User.objects.filter(pk=person.pk).exists()
    assert organisation.memberships.filter(person=person).exists()
    assert client.get("/me/").status_code == 200, "still signed in"
