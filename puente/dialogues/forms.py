"""Forms for dialogues: parse input, leave the writes to services."""

from collections.abc import Mapping
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from puente.core.markdown import MARKDOWN_HELP_TEXT
from puente.stakeholders.models import Organisation

from .models import PHASE_DATES, Dialogue, Participation, Phase

INDIVIDUAL = "individual"


class _DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


def _date_field(label: StrOrPromise) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=False,
        widget=_DateTimeInput(),
        help_text=_("In your time zone. Leave empty to move the phase by hand."),
    )


class DialogueForm(forms.Form):
    """A dialogue's title, question, description, languages, audience and phase dates."""

    title = forms.CharField(label=_("Title"), max_length=200)
    framing_question = forms.CharField(
        label=_("Framing question"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The question participants answer with their statements."),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=MARKDOWN_HELP_TEXT,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=[],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={"required": _("Choose at least one language.")},
    )
    participation = forms.ChoiceField(
        label=_("Who may take part"),
        choices=Dialogue.Audience.choices,
        initial=Dialogue.Audience.MEMBERS,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    pre_moderation = forms.BooleanField(
        label=_("Pre-moderation"),
        required=False,
        help_text=_(
            "Participants' statements wait for a facilitator's approval before others see them."
        ),
    )
    contribute_starts_at = _date_field(_("Contributions open"))
    deliberate_starts_at = _date_field(_("Deliberation starts"))
    prioritise_starts_at = _date_field(_("Prioritisation starts"))
    closes_at = _date_field(_("Closes"))

    def __init__(self, data: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        # The site's languages are read per form, not when the module is imported.
        field = self.fields["languages"]
        assert isinstance(field, forms.MultipleChoiceField)  # noqa: S101  # declared above
        field.choices = list(settings.LANGUAGES)

    @staticmethod
    def initial_from(dialogue: Dialogue) -> dict[str, Any]:
        """Return the form's initial values for an existing dialogue."""
        return {
            "title": dialogue.title,
            "framing_question": dialogue.framing_question,
            "description": dialogue.description,
            "languages": list(dialogue.languages),
            "participation": dialogue.participation,
            "pre_moderation": dialogue.pre_moderation,
            **{name: getattr(dialogue, name) for name, _phase in PHASE_DATES},
        }


class PhaseMoveForm(forms.Form):
    """The phase a facilitator moves the dialogue to."""

    phase = forms.ChoiceField(
        label=_("New phase"),
        choices=Phase.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"required": _("Choose a phase.")},
    )


class ParticipationForm(forms.Form):
    """For which of their organisations the person takes part, or as an individual."""

    take_part_as = forms.ChoiceField(
        label=_("I take part"),
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"required": _("Choose how you take part.")},
    )

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        organisations: list[Organisation],
        individual: bool,
        current: Participation | None = None,
    ) -> None:
        initial = None
        if current is not None:
            initial = str(current.organisation_id) if current.organisation_id else INDIVIDUAL
        super().__init__(data, initial={"take_part_as": initial})
        self.organisations = {str(organisation.pk): organisation for organisation in organisations}
        choices: list[tuple[str, StrOrPromise]] = [
            (
                pk,
                _("for %(organisation)s") % {"organisation": organisation.name},
            )
            for pk, organisation in self.organisations.items()
        ]
        if individual:
            choices.append((INDIVIDUAL, _("as an individual")))
        field = self.fields["take_part_as"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101  # declared above
        field.choices = choices

    def organisation(self) -> Organisation | None:
        """Return the organisation chosen, or None for an individual."""
        return self.organisations.get(self.cleaned_data["take_part_as"])
