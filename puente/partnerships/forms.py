"""Forms for managing partnerships: parse input, leave the writes to services."""

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from puente.core.choices import Region
from puente.core.content_language import active_language
from puente.core.markdown import MARKDOWN_HELP_TEXT
from puente.stakeholders.models import Organisation

from .models import Partnership

# How many candidate organisations the add form lists at once; a search narrows the rest.
CANDIDATE_LIMIT = 100


class PartnershipForm(forms.Form):
    """A partnership's title, description, regions and visibility."""

    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=MARKDOWN_HELP_TEXT,
    )
    description_language = forms.ChoiceField(
        label=_("Language of the description"),
        choices=settings.LANGUAGES,
        initial=active_language,
        # Optional, so that a form without it (an older page, a script) keeps the language.
        required=False,
        help_text=_("The language the description is written in; translations add others."),
    )
    regions = forms.MultipleChoiceField(
        label=_("Regions"),
        required=False,
        choices=Region.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    visibility = forms.ChoiceField(
        label=_("Visibility"),
        choices=Partnership.Visibility.choices,
        initial=Partnership.Visibility.PUBLIC,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        help_text=_(
            "Only facilitators and the people of member organisations see a members-only "
            "partnership."
        ),
    )
    is_discoverable = forms.BooleanField(
        label=_("Let organisations outside a members-only partnership ask to join"),
        required=False,
        help_text=_(
            "People outside the partnership who open its address then see its title and can "
            "ask for their organisation to join; its description, members and dialogues stay "
            "hidden. Otherwise the page is not found. Public partnerships always accept requests."
        ),
    )

    @staticmethod
    def initial_from(partnership: Partnership) -> dict[str, Any]:
        """Return the form's initial values for an existing partnership."""
        return {
            "title": partnership.title,
            "description": partnership.description,
            "description_language": partnership.description_language,
            "regions": list(partnership.regions),
            "visibility": partnership.visibility,
            "is_discoverable": partnership.is_discoverable,
        }

    def clean_description_language(self) -> str:
        """Keep the stored language (or take the writer's) when none is given."""
        given: str = self.cleaned_data.get("description_language") or ""
        return given or self.initial.get("description_language") or active_language()


class OrganisationAddForm(forms.Form):
    """Choose an organisation from the directory to join the partnership."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.all(), empty_label=None
    )

    def __init__(
        self, data: Mapping[str, Any] | None = None, *, candidates: Iterable[Organisation]
    ) -> None:
        super().__init__(data)
        # Any organisation is accepted, so that a duplicate gets the service's clear message,
        # but only a page of candidates that are not yet members is offered.
        widget = self.fields["organisation"].widget
        if isinstance(widget, forms.Select):
            widget.choices = [
                ("", _("Choose an organisation")),
                *(
                    (organisation.pk, _organisation_label(organisation))
                    for organisation in candidates
                ),
            ]


def _organisation_label(organisation: Organisation) -> str:
    if organisation.acronym:
        return f"{organisation.name} ({organisation.acronym})"
    return organisation.name


class JoinRequestForm(forms.Form):
    """Ask for one of the organisations the person administers to join a partnership."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), empty_label=None
    )
    message = forms.CharField(
        label=_("Message to the facilitators"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Optional: why your organisation wants to take part (1000 characters at most)."
        ),
    )

    def __init__(
        self, data: Mapping[str, Any] | None = None, *, candidates: Iterable[Organisation]
    ) -> None:
        super().__init__(data)
        field = self.fields["organisation"]
        if isinstance(field, forms.ModelChoiceField):
            # Any organisation is accepted, so that the service tells why one may not ask.
            field.queryset = Organisation.objects.all()
            field.widget.choices = [
                (organisation.pk, _organisation_label(organisation)) for organisation in candidates
            ]


class JoinRequestDeclineForm(forms.Form):
    """The facilitators' reason for declining a request to join, sent to the organisation."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The organisation's administrators receive this reason."),
    )


class FacilitatorInvitationForm(forms.Form):
    """Invite a facilitator by e-mail address; they accept from the message they receive."""

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_(
            "Puente sends an invitation to this address. The person becomes a facilitator once "
            "they accept it, signed in with this address (they may create an account for it)."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )


class FacilitatorInvitationAnswerForm(forms.Form):
    """The invited person's answer: accept or decline."""

    answer = forms.ChoiceField(
        choices=[("accept", _("Accept")), ("decline", _("Decline"))],
        error_messages={"required": _("Choose to accept or to decline.")},
    )


def add_service_errors(
    form: forms.BaseForm, error: ValidationError, *, renames: Mapping[str, str] | None = None
) -> None:
    """Attach a service's validation errors to the form, by field where the form has it."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages in error.message_dict.items():
        field = (renames or {}).get(name, name)
        if field == NON_FIELD_ERRORS or field not in form.fields:
            form.add_error(None, messages)
        else:
            form.add_error(field, messages)
