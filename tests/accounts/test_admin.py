"""The Django admin for people: e-mail based, searchable, filterable."""

import pytest
from allauth.account.models import EmailAddress

from puente.accounts.models import User
from puente.stakeholders.models import Membership
from tests.accounts.factories import AdminFactory, UserFactory
from tests.stakeholders.factories import MembershipFactory, OrganisationFactory


@pytest.fixture
def admin_client(client):
    """A client signed in as a platform admin with two-factor turned on."""
    admin = AdminFactory(email="root@example.org")
    client.force_login(admin)
    return client


@pytest.mark.django_db
def test_people_list_shows_the_useful_columns(admin_client):
    UserFactory(email="ana@example.org", name="Ana", country="CL")
    response = admin_client.get("/admin/accounts/user/")
    assert response.status_code == 200
    html = response.content.decode()
    for column in ["column-email", "column-name", "column-country", "column-is_staff"]:
        assert column in html
    assert "column-date_joined" in html
    assert "ana@example.org" in html
    assert "Chile" in html


@pytest.mark.django_db
def test_people_list_costs_a_fixed_number_of_queries(admin_client, django_assert_max_num_queries):
    UserFactory.create_batch(30)
    with django_assert_max_num_queries(15):
        assert admin_client.get("/admin/accounts/user/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "found"), [("ana@", True), ("Perez", True), ("zzz", False)])
def test_people_search_looks_at_email_and_name(admin_client, query, found):
    UserFactory(email="ana@example.org", name="Ana Perez")
    html = admin_client.get("/admin/accounts/user/", {"q": query}).content.decode()
    assert ("ana@example.org" in html) is found


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [{"is_staff__exact": "1"}, {"country": "CL"}, {"preferred_language__exact": "es"}],
)
def test_people_filters_work(admin_client, params):
    UserFactory(email="match@example.org", is_staff=True, country="CL", preferred_language="es")
    UserFactory(email="other@example.org", country="BR", preferred_language="pt")
    html = admin_client.get("/admin/accounts/user/", params).content.decode()
    assert "match@example.org" in html
    assert "other@example.org" not in html


@pytest.mark.django_db
def test_admin_creates_a_person_by_email_in_lower_case(admin_client):
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {
            "email": "New.Person@Example.org",
            "name": "New Person",
            "usable_password": "true",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    person = User.objects.get(email="new.person@example.org")
    assert person.check_password("a-long-enough-passphrase")


@pytest.mark.django_db
def test_admin_refuses_an_email_that_differs_only_in_case(admin_client):
    UserFactory(email="taken@example.org")
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {"email": "Taken@Example.org", "usable_password": "false"},
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert User.objects.filter(email__iexact="taken@example.org").count() == 1


@pytest.mark.django_db
def test_admin_change_page_shows_profile_and_email_addresses(admin_client):
    person = UserFactory(email="ana@example.org")
    response = admin_client.get(f"/admin/accounts/user/{person.pk}/change/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="time_zone"' in html
    assert 'name="username"' not in html
    assert EmailAddress.objects.get(user=person).email in html


def _only_admin_of(name: str):
    person = UserFactory(email="ana@example.org")
    MembershipFactory(
        person=person, organisation=OrganisationFactory(name=name), role=Membership.Role.ADMIN
    )
    return person


@pytest.mark.django_db
def test_deleting_an_organisations_only_admin_in_the_admin_is_refused_with_the_reason(
    admin_client,
):
    person = _only_admin_of("ECLAC")
    url = f"/admin/accounts/user/{person.pk}/delete/"

    page = admin_client.get(url).content.decode()
    admin_client.post(url, {"post": "yes"})

    assert "ana@example.org is the only administrator of ECLAC." in page
    assert User.objects.filter(pk=person.pk).exists()


@pytest.mark.django_db
def test_the_bulk_delete_action_keeps_an_organisations_only_admin(admin_client):
    person = _only_admin_of("ECLAC")
    bystander = UserFactory()
    data = {"action": "delete_selected", "_selected_action": [person.pk, bystander.pk]}

    page = admin_client.post("/admin/accounts/user/", data).content.decode()
    admin_client.post("/admin/accounts/user/", {**data, "post": "yes"})

    assert "ana@example.org is the only administrator of ECLAC." in page
    assert User.objects.filter(pk__in=[person.pk, bystander.pk]).count() == 2


@pytest.mark.django_db
def test_deleting_a_person_in_the_admin_goes_through_when_nobody_needs_them(admin_client):
    person = UserFactory()
    MembershipFactory(person=person)

    response = admin_client.post(f"/admin/accounts/user/{person.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not User.objects.filter(pk=person.pk).exists()


def _person_form(person, **changes) -> dict[str, object]:
    address = EmailAddress.objects.get(user=person)
    data: dict[str, object] = {
        "email": person.email,
        "name": person.name,
        "preferred_language": "",
        "country": "",
        "time_zone": "UTC",
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "emailaddress_set-TOTAL_FORMS": "1",
        "emailaddress_set-INITIAL_FORMS": "1",
        "emailaddress_set-0-id": address.pk,
        "emailaddress_set-0-user": person.pk,
        "emailaddress_set-0-email": address.email,
        "emailaddress_set-0-verified": "on",
        "emailaddress_set-0-primary": "on",
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_admin_profile_edit_goes_through_the_profile_service(admin_client):
    person = UserFactory(name="Before")
    response = admin_client.post(
        f"/admin/accounts/user/{person.pk}/change/",
        _person_form(person, name="  \uff21na   P\u00e9rez ", country="CL"),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    person.refresh_from_db()
    assert (person.name, person.country.code) == ("Ana P\u00e9rez", "CL")


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["\u200b\u200b", "Ana\u202eP\u00e9rez", "\u3164"])
def test_admin_refuses_a_hidden_or_invisible_name(admin_client, name):
    person = UserFactory(name="Before")
    response = admin_client.post(
        f"/admin/accounts/user/{person.pk}/change/", _person_form(person, name=name)
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["name"]
    person.refresh_from_db()
    assert person.name == "Before"


@pytest.mark.django_db
def test_admin_does_not_edit_e_mail_addresses_inline(admin_client):
    person = UserFactory(email="ana@example.org")
    admin_client.post(
        f"/admin/accounts/user/{person.pk}/change/",
        _person_form(person, **{"emailaddress_set-0-email": "mallory@example.org"}),
    )
    assert EmailAddress.objects.get(user=person).email == "ana@example.org"
