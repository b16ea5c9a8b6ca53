import pytest
from django.contrib.auth.models import AnonymousUser

from puente.accounts.permissions import can_create_token
from puente.api.permissions import can_create_token_with_password
from tests.accounts.factories import AdminFactory, StaffFactory, UserFactory, totp_activate


def with_two_factor(person):
    totp_activate(person)
    return person


PEOPLE = {
    "participant": lambda: UserFactory(),
    "participant-with-two-factor": lambda: with_two_factor(UserFactory()),
    "staff": lambda: StaffFactory(),
    "staff-with-two-factor": lambda: with_two_factor(StaffFactory()),
    "platform-admin": lambda: AdminFactory(two_factor=False),
    "platform-admin-with-two-factor": lambda: AdminFactory(),
    "inactive": lambda: UserFactory(is_active=False),
}

# who: (password alone, signed-in session)
MAY_CREATE_TOKEN = {
    "participant": (True, True),
    "participant-with-two-factor": (False, True),
    "staff": (False, False),
    "staff-with-two-factor": (False, True),
    "platform-admin": (False, False),
    "platform-admin-with-two-factor": (False, True),
    "inactive": (False, False),
}


@pytest.mark.django_db
@pytest.mark.parametrize("who", PEOPLE)
def test_who_may_create_a_token(who):
    person = PEOPLE[who]()
    with_password, from_session = MAY_CREATE_TOKEN[who]
    assert can_create_token_with_password(person) is with_password
    assert can_create_token(person) is from_session


def test_visitors_may_not_create_tokens_from_a_session():
    assert can_create_token(AnonymousUser()) is False
