"""The signed-in person behind a request, for views that require one."""

from django.http import HttpRequest

from .models import User


def signed_in_person(request: HttpRequest) -> User:
    """Return the request's person; call only behind login_required."""
    assert isinstance(request.user, User)  # noqa: S101  # guaranteed by login_required
    return request.user
