"""What the dialogue page shows about its statements, for the person looking."""

from typing import Any

from django import template
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.utils.timezone import get_current_timezone_name
from django.utils.translation import get_language

from puente.core.content_language import Shown
from puente.core.permissions import Viewer

from ..models import Dialogue, Flag, Statement
from ..permissions import can_add_statement, can_manage_invitations, can_moderate, can_seed

register = template.Library()


@register.simple_tag(takes_context=True)
def statements_summary(context: template.Context, dialogue: Dialogue) -> dict[str, Any]:
    """Return the statement count and what the viewer may do with the dialogue's statements."""
    request = context.get("request")
    viewer: Viewer = getattr(request, "user", None) or AnonymousUser()
    moderates = can_moderate(viewer, dialogue)
    summary: dict[str, Any] = {
        "n_statements": Statement.objects.shown().filter(dialogue=dialogue).count(),
        "can_add_statement": can_add_statement(viewer, dialogue),
        "can_seed": can_seed(viewer, dialogue),
        "can_moderate": moderates,
        "can_manage_invitations": can_manage_invitations(viewer, dialogue)
        and dialogue.participation == Dialogue.Audience.INVITED,
        "n_waiting": 0,
    }
    if moderates:
        summary["n_waiting"] = (
            Statement.objects.filter(
                Q(status=Statement.Status.PENDING)
                | Q(
                    status=Statement.Status.PUBLISHED,
                    flags__in=Flag.objects.filter(resolved_at__isnull=True),
                ),
                dialogue=dialogue,
            )
            .distinct()
            .count()
        )
    return summary


# The keys of a statement's cached fragments, built in Python: a list page has twenty rows, and
# resolving each key's parts as template variables cost about as much as the cached rows.


def _slug(context: template.Context, name: str) -> str:
    return str(getattr(context.get(name), "slug", ""))


@register.simple_tag(takes_context=True)
def statement_row_key(context: template.Context, statement: Statement, shown: Shown) -> str:
    """Return what a statement's row in a list shows: its cache key's varying part.

    Everything the row prints: the statement and its state, counts, author and organisation
    as named, the addresses it links to, the language and time zone, the text version shown.
    """
    author, organisation = statement.author, statement.organisation
    parts = (
        statement.pk,
        statement.updated_at.isoformat(),
        statement.status,
        statement.is_seed,
        getattr(statement, "n_votes", ""),
        getattr(statement, "n_comments", ""),
        statement.author_id,
        author.display_name if author is not None else "",
        organisation.name if organisation is not None else "",
        _slug(context, "dialogue"),
        _slug(context, "partnership"),
        get_language(),
        get_current_timezone_name(),
        shown.cache_key,
    )
    return "|".join(map(str, parts))


@register.simple_tag(takes_context=True)
def vote_buttons_key(
    context: template.Context, statement: Statement, my_vote: int | None, back: str, shown: Shown
) -> str:
    """Return what a statement's vote buttons show (but the CSRF token): their key's part."""
    parts = (
        statement.pk,
        statement.text,
        my_vote,
        back,
        _slug(context, "partnership"),
        _slug(context, "dialogue"),
        get_language(),
        shown.cache_key,
    )
    return "|".join(map(str, parts))
