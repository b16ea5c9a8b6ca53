import pytest

from tests.accounts.factories import PASSWORD


@pytest.fixture
def sign_in():
    """Sign a person in through the real log-in form, as a browser would."""

    def _sign_in(client, email, password=PASSWORD, **extra):
        return client.post("/accounts/login/", {"login": email, "password": password, **extra})

    return _sign_in
