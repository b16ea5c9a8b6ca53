"""Signed unsubscribe links: who and which kinds, proven by the signature alone."""

from collections.abc import Sequence

from django.core import signing

from puente.accounts.models import User

from .models import Kind

# One salt per purpose: a token signed for something else never unsubscribes.
UNSUBSCRIBE_SALT = "puente.notifications.unsubscribe"


def unsubscribe_token_make(person: User, kinds: Sequence[str]) -> str:
    """Return a token that stops mail of these kinds for the person, without signing in."""
    return signing.dumps({"p": person.pk, "k": sorted(set(kinds))}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_token_read(token: str) -> tuple[int, list[Kind]]:
    """Return the person id and kinds a token names; raise signing.BadSignature if forged."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    if not isinstance(data, dict):
        raise signing.BadSignature("not an unsubscribe token")
    person_id, kinds = data.get("p"), data.get("k")
    if not isinstance(person_id, int) or not isinstance(kinds, list) or not kinds:
        raise signing.BadSignature("not an unsubscribe token")
    if any(kind not in Kind.values for kind in kinds):
        raise signing.BadSignature("unknown kind")
    return person_id, [Kind(kind) for kind in kinds]
