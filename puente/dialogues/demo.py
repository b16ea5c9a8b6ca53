"""The demo's dialogue in the EU-LAC Digital Alliance, loaded idempotently with the rest."""

from typing import Any

from django.utils import timezone

from puente.accounts.models import User
from puente.partnerships.models import Partnership

from .models import Dialogue, Phase

DEMO_PARTNERSHIP = "eu-lac-digital-alliance"
DEMO_DIALOGUE = {
    "slug": "shared-digital-priorities",
    "title": "Shared digital priorities for 2027",
    "framing_question": (
        "Which digital priorities do organisations in Europe, Latin America and the Caribbean "
        "share, and what should the Alliance do about them first?"
    ),
    "description": (
        "Add the expectations, opportunities and proposals that matter to your organisation: "
        "connectivity, Earth observation, e-government, cybersecurity, digital skills, "
        "innovation, data protection or AI. The statements that people of both regions and of "
        "all kinds of organisations support will shape the Alliance's joint agenda."
    ),
    "languages": ["en", "es", "pt"],
}


def dialogue_demo_load(*, report: Any) -> None:
    """Create the demo dialogue if it is missing; change nothing that exists."""
    partnership = Partnership.objects.filter(slug=DEMO_PARTNERSHIP).first()
    if partnership is None:
        return
    if Dialogue.objects.filter(partnership=partnership, slug=DEMO_DIALOGUE["slug"]).exists():
        report.kept["dialogues"] += 1
        return
    facilitator = partnership.facilitators.order_by("pk").first()
    dialogue = Dialogue(
        partnership=partnership,
        participation=Dialogue.Audience.SIGNED_IN,
        phase=Phase.CONTRIBUTE,
        phase_set_at=timezone.now(),
        created_by=facilitator if isinstance(facilitator, User) else None,
        **DEMO_DIALOGUE,
    )
    dialogue.full_clean()
    dialogue.save()
    report.created["dialogues"] += 1
