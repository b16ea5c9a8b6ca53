"""Writes to dialogues and to who takes part in them."""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from puente.accounts.models import User
from puente.core.choices import region_for
from puente.core.types import UNSET, Unset
from puente.notifications.models import Kind
from puente.notifications.services import notification_send
from puente.partnerships.models import Partnership
from puente.stakeholders.models import Organisation

from ..models import Dialogue, Participation, Phase
from ..permissions import (
    can_create_dialogue,
    can_edit_dialogue,
    can_move_phase,
    can_take_part,
    can_take_part_as_individual,
    participation_organisations,
)

EDITABLE_FIELDS = (
    "title",
    "framing_question",
    "description",
    "languages",
    "participation",
    "pre_moderation",
    "contribute_starts_at",
    "deliberate_starts_at",
    "prioritise_starts_at",
    "closes_at",
)
# Paths under a partnership's dialogues that a slug must not shadow.
RESERVED_SLUGS = frozenset({"new"})
_SLUG_ATTEMPTS = 5


def _clean_languages(languages: object) -> list[str]:
    """Return the language codes without repeats, in the site's order; refuse unknown ones."""
    if isinstance(languages, str | bytes) or not isinstance(languages, list | tuple):
        raise ValidationError({"languages": _("Give the languages as a list of language codes.")})
    known = [code for code, _name in settings.LANGUAGES]
    unknown = [str(code) for code in languages if code not in known]
    if unknown:
        raise ValidationError(
            {"languages": _("Unknown language: %(codes)s.") % {"codes": ", ".join(unknown)}}
        )
    chosen = [code for code in known if code in languages]
    if not chosen:
        raise ValidationError({"languages": _("Choose at least one language.")})
    return chosen


def _validate(dialogue: Dialogue) -> None:
    """Check every field and the order of the dates; errors name their fields."""
    # The slug is made after the checks; the date constraints are checked by clean(),
    # which names the faulty date instead of the whole dialogue.
    dialogue.full_clean(exclude=["slug", "partnership"], validate_constraints=False)


def _slug_for(partnership: Partnership, title: str) -> str:
    base = slugify(title)[:200].strip("-") or "dialogue"
    if base in RESERVED_SLUGS:
        base = f"{base}-dialogue"
    taken = set(
        Dialogue.objects.filter(partnership=partnership, slug__startswith=base).values_list(
            "slug", flat=True
        )
    )
    suffix, slug = 2, base
    while slug in taken:
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug


@transaction.atomic
def dialogue_create(
    *,
    actor: User,
    partnership: Partnership,
    title: str,
    framing_question: str,
    languages: list[str],
    description: str = "",
    participation: str = Dialogue.Audience.MEMBERS,
    pre_moderation: bool = False,
    contribute_starts_at: datetime | None = None,
    deliberate_starts_at: datetime | None = None,
    prioritise_starts_at: datetime | None = None,
    closes_at: datetime | None = None,
) -> Dialogue:
    """Open a dialogue in the partnership, in the contribute phase."""
    if not can_create_dialogue(actor, partnership):
        raise PermissionDenied
    dialogue = Dialogue(
        partnership=partnership,
        title=title.strip(),
        framing_question=framing_question.strip(),
        description=description,
        languages=_clean_languages(languages),
        participation=participation,
        pre_moderation=pre_moderation,
        phase=Phase.CONTRIBUTE,
        phase_set_at=timezone.now(),
        contribute_starts_at=contribute_starts_at,
        deliberate_starts_at=deliberate_starts_at,
        prioritise_starts_at=prioritise_starts_at,
        closes_at=closes_at,
        created_by=actor,
    )
    _validate(dialogue)
    for attempt in range(_SLUG_ATTEMPTS):
        dialogue.slug = _slug_for(partnership, dialogue.title)
        try:
            with transaction.atomic():
                dialogue.save()
        except IntegrityError:
            # Another request took the slug between the look-up and the save: look again.
            if attempt == _SLUG_ATTEMPTS - 1:
                raise
        else:
            break
    return dialogue


@transaction.atomic
def dialogue_update(
    *,
    actor: User,
    dialogue: Dialogue,
    title: str | Unset = UNSET,
    framing_question: str | Unset = UNSET,
    description: str | Unset = UNSET,
    languages: list[str] | Unset = UNSET,
    participation: str | Unset = UNSET,
    pre_moderation: bool | Unset = UNSET,
    contribute_starts_at: datetime | Unset | None = UNSET,
    deliberate_starts_at: datetime | Unset | None = UNSET,
    prioritise_starts_at: datetime | Unset | None = UNSET,
    closes_at: datetime | Unset | None = UNSET,
) -> Dialogue:
    """Change the text, languages, audience, moderation or dates given; the slug stays."""
    if not can_edit_dialogue(actor, dialogue):
        raise PermissionDenied
    given: dict[str, Any] = {
        "title": title.strip() if isinstance(title, str) else title,
        "framing_question": (
            framing_question.strip() if isinstance(framing_question, str) else framing_question
        ),
        "description": description,
        "languages": languages,
        "participation": participation,
        "pre_moderation": pre_moderation,
        "contribute_starts_at": contribute_starts_at,
        "deliberate_starts_at": deliberate_starts_at,
        "prioritise_starts_at": prioritise_starts_at,
        "closes_at": closes_at,
    }
    changed = [name for name, value in given.items() if not isinstance(value, Unset)]
    try:
        for name in changed:
            value = given[name]
            setattr(dialogue, name, _clean_languages(value) if name == "languages" else value)
        _validate(dialogue)
        dialogue.save(update_fields=[*changed, "updated_at"])
    except ValidationError:
        # Leave the caller's object as it is stored, not half-changed.
        dialogue.refresh_from_db(fields=list(EDITABLE_FIELDS))
        raise
    return dialogue


@transaction.atomic
def dialogue_phase_move(*, actor: User, dialogue: Dialogue, phase: str) -> Dialogue:
    """Move the dialogue to the phase, which holds until the next phase date passes."""
    if not can_move_phase(actor, dialogue):
        raise PermissionDenied
    if phase not in Phase.values:
        raise ValidationError({"phase": _("Choose one of the phases.")})
    changed = dialogue.phase != phase
    dialogue.phase = phase
    dialogue.phase_set_at = timezone.now()
    dialogue.save(update_fields=["phase", "phase_set_at", "updated_at"])
    if changed:
        notification_send(
            kind=Kind.DIALOGUE_PHASE,
            recipients=User.objects.filter(
                dialogue_participations__dialogue=dialogue, is_active=True
            ).distinct(),
            message=PHASE_MESSAGES[Phase(phase)],
            params={"dialogue": dialogue.title},
            url=dialogue.get_absolute_url(),
            actor=actor,
        )
    return dialogue


# What the participants are told when a dialogue enters each phase.
PHASE_MESSAGES = {
    Phase.CONTRIBUTE: gettext_lazy("The dialogue “%(dialogue)s” is open for statements."),
    Phase.DELIBERATE: gettext_lazy(
        "The dialogue “%(dialogue)s” is now in deliberation: vote and comment."
    ),
    Phase.PRIORITISE: gettext_lazy(
        "The dialogue “%(dialogue)s” is now in prioritisation: say what matters more."
    ),
    Phase.CLOSED: gettext_lazy("The dialogue “%(dialogue)s” is closed: read the results."),
}


@transaction.atomic
def participation_set(
    *, person: User, dialogue: Dialogue, organisation: Organisation | None
) -> Participation:
    """Record for whom the person takes part: one of their organisations, or themselves (None)."""
    if not can_take_part(person, dialogue):
        raise PermissionDenied
    if organisation is None:
        if not can_take_part_as_individual(person, dialogue):
            raise ValidationError(
                {
                    "organisation": _(
                        "This dialogue is for the people of the partnership's member "
                        "organisations: choose one of yours."
                    )
                }
            )
        values = {
            "organisation": None,
            "country": person.country,
            "region": region_for(str(person.country or "")),
            "stakeholder_type": "",
        }
    else:
        if organisation not in participation_organisations(person, dialogue):
            raise ValidationError(
                {"organisation": _("You can take part only for an organisation you belong to.")}
                if dialogue.participation == Dialogue.Audience.SIGNED_IN
                else {
                    "organisation": _(
                        "You can take part only for one of your organisations that is a member "
                        "of the partnership."
                    )
                }
            )
        values = {
            "organisation": organisation,
            "country": organisation.country,
            "region": region_for(str(organisation.country), organisation.region),
            "stakeholder_type": organisation.stakeholder_type,
        }
    participation, _created = Participation.objects.update_or_create(
        dialogue=dialogue, person=person, defaults=values
    )
    return participation


def participation_require(*, person: User, dialogue: Dialogue) -> Participation:
    """Return the person's participation in the dialogue; refuse if they have not chosen one.

    Statements, votes and comparisons count for the organisation (or the individual) chosen
    here, so a person picks it before their first contribution.
    """
    participation = Participation.objects.filter(dialogue=dialogue, person=person).first()
    if participation is None:
        raise ValidationError(
            {
                "participation": _(
                    "Choose first whether you take part for one of your organisations or as "
                    "an individual."
                )
            }
        )
    return participation
