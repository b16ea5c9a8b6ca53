"""Reads of people's own account data."""

from django.db.models import Q, QuerySet
from django.utils import timezone
from knox.models import AuthToken

from .models import User


def token_list(*, person: User) -> QuerySet[AuthToken]:
    """Return the person's API tokens that have not expired, newest first."""
    tokens: QuerySet[AuthToken] = (
        AuthToken.objects.filter(user=person)
        .filter(Q(expiry__isnull=True) | Q(expiry__gt=timezone.now()))
        .order_by("-created")
    )
    return tokens
