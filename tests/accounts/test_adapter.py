"""Where a sign-in lands: staff and superusers without two-factor go to turn it on."""

import pytest

from tests.accounts.factories import AdminFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

ACTIVATE = "/accounts/2fa/totp/activate/"


@pytest.mark.parametrize(
    ("make_person", "landing"),
    [
        (UserFactory, "/"),
        (StaffFactory, ACTIVATE),
        (lambda: AdminFactory(two_factor=False), ACTIVATE),
    ],
    ids=["participant", "staff-without-two-factor", "superuser-without-two-factor"],
)
def test_sign_in_lands_staff_without_two_factor_on_its_activation(
    client, sign_in, make_person, landing
):
    response = sign_in(client, make_person().email)
    assert response.status_code == 302
    assert response["Location"] == landing


def test_a_superuser_with_two_factor_lands_home_after_the_code_step(client, sign_in):
    response = sign_in(client, AdminFactory().email)
    assert response["Location"] == "/accounts/2fa/authenticate/"
