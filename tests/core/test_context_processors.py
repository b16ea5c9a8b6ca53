"""What every page shows: the notice to turn on two-factor for staff without it."""

import pytest

from tests.accounts.factories import AdminFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

NOTICE = 'data-testid="second-factor-notice"'


@pytest.mark.parametrize(
    ("make_person", "shown"),
    [
        (UserFactory, False),
        (StaffFactory, True),
        (lambda: AdminFactory(two_factor=False), True),
        (AdminFactory, False),
    ],
    ids=["participant", "staff-without-two-factor", "superuser-without-two-factor", "admin"],
)
@pytest.mark.parametrize("url", ["/", "/partnerships/", "/organisations/", "/me/"])
def test_every_page_asks_staff_without_two_factor_to_turn_it_on(client, make_person, shown, url):
    client.force_login(make_person())
    response = client.get(url)
    assert response.status_code == 200, "ordinary pages stay open"
    html = response.content.decode()
    assert (NOTICE in html) is shown
    assert ('href="/accounts/2fa/totp/activate/"' in html) is shown
    assert ('href="/admin/"' in html) is (not shown and make_person is AdminFactory)


def test_visitors_see_no_notice(client):
    assert NOTICE not in client.get("/").content.decode()
