"""What the dialogue page shows about its statements, for the person looking."""

from typing import Any

from django import template
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

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
