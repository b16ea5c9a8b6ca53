"""The admin site's log-in goes through allauth, where two-factor authentication applies."""

import pytest
from allauth.mfa.models import Authenticator

from tests.accounts.factories import (
    PASSWORD,
    AdminFactory,
    StaffFactory,
    UserFactory,
    totp_code,
)


@pytest.mark.django_db
def test_anonymous_admin_visit_goes_to_the_account_login(client):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login/?next=%2Fadmin%2F"
    assert response.status_code == 200


@pytest.mark.django_db
def test_admin_login_ignores_a_next_pointing_elsewhere(client):
    response = client.get("/admin/login/", {"next": "https://evil.example/"})
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"


@pytest.mark.django_db
def test_non_staff_person_gets_the_admin_login_redirect_then_a_403(client):
    client.force_login(UserFactory())
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/"
    assert client.get(response["Location"]).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(
    "factory", [StaffFactory, lambda: AdminFactory(two_factor=False)], ids=["staff", "superuser"]
)
def test_staff_without_two_factor_are_sent_to_turn_it_on(client, factory):
    client.force_login(factory())
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    assert client.get("/admin/accounts/user/")["Location"] == "/accounts/2fa/totp/activate/"


@pytest.mark.django_db
def test_staff_with_two_factor_must_pass_the_code_step_then_reach_the_admin(client, sign_in):
    admin = AdminFactory()

    response = sign_in(client, admin.email, next="/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/admin/").status_code == 302, "not signed in before the code"

    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200
    passed = client.post("/accounts/2fa/authenticate/", {"code": totp_code()})
    assert passed.status_code == 302
    assert passed["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_staff_can_turn_on_two_factor_and_then_use_the_admin(client, sign_in):
    staff = StaffFactory()
    sign_in(client, staff.email)
    to_activation = client.get("/admin/")
    assert to_activation["Location"] == "/accounts/2fa/totp/activate/"

    reauthenticate = client.get(to_activation["Location"])
    assert reauthenticate.status_code == 302
    assert reauthenticate["Location"].startswith("/accounts/reauthenticate/")
    explained = client.get(reauthenticate["Location"])
    assert "Turn on two-factor authentication before you use the admin site." in (
        explained.content.decode()
    )
    client.post(reauthenticate["Location"], {"password": PASSWORD})

    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = client.session["mfa.totp.secret"]
    activated = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert activated.status_code == 302

    types = set(Authenticator.objects.filter(user=staff).values_list("type", flat=True))
    assert types == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}
    assert client.get("/admin/").status_code == 200
