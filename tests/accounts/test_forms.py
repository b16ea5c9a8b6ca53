from typing import ClassVar

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client

from puente.accounts.models import User
from tests.accounts.factories import PASSWORD, UserFactory


class CountingHasher(MD5PasswordHasher):
    """The tests' fast hasher, counting the passwords it hashes."""

    algorithm = "counting_md5"
    hashed: ClassVar[int] = 0

    def encode(self, password: str, salt: str) -> str:
        type(self).hashed += 1
        return super().encode(password, salt)


@pytest.mark.parametrize("known", [True, False])
@pytest.mark.django_db
def test_signing_up_hashes_one_password_whether_the_address_is_known_or_new(settings, known):
    if known:
        UserFactory(email="someone@example.org")
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    CountingHasher.hashed = 0
    response = Client().post(
        "/accounts/signup/",
        {"email": "someone@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert CountingHasher.hashed == 1
    assert User.objects.filter(email="someone@example.org").count() == 1
