"""Forms for agendas: parse input, leave the writes to services."""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from puente.dialogues.models import Dialogue, Statement
from puente.stakeholders.models import Organisation

from .models import AgendaItem
from .services import MAX_ITEMS

RANKING_LABELS = {
    "joint-support": _("Joint support: backed across regions and stakeholder types"),
    "group-consensus": _("Group consensus: backed by every opinion group"),
    "bridging": _("Bridging: backed by people who otherwise disagree"),
    "approval": _("Approval: the share who agree"),
}


class DraftCreateForm(forms.Form):
    """How to rank the statements, and how many items to start the draft with."""

    ranking_method = forms.ChoiceField(
        label=_("Rank the statements by"),
        choices=list(RANKING_LABELS.items()),
        initial="joint-support",
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    n_items = forms.IntegerField(
        label=_("Number of items"), min_value=1, max_value=MAX_ITEMS, initial=8
    )


# The largest id the database stores; larger numbers are no statement's.
MAX_ID = 2**63 - 1


class StatementsField(forms.ModelMultipleChoiceField[Statement]):
    """Statements chosen by id; an id out of the database's range is an invalid choice."""

    def clean(self, value: Any) -> Any:
        """Refuse ids the database cannot hold before looking the others up."""
        for pk in value if isinstance(value, list | tuple) else []:
            text = str(pk)
            if not text.isdigit() or int(text) > MAX_ID:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super().clean(value)


def _language_name(code: str) -> str:
    return str(dict(settings.LANGUAGES)[code])


class ItemForm(forms.Form):
    """An item's text and theme in each of the dialogue's languages, and its statements."""

    def __init__(
        self,
        data: Any = None,
        *,
        dialogue: Dialogue,
        statements: QuerySet[Statement],
        item: AgendaItem | None = None,
    ) -> None:
        self.languages: list[str] = list(dialogue.languages)
        if item is not None and item.original_language not in self.languages:
            self.languages.append(item.original_language)
        initial: dict[str, Any] = {"original_language": self.languages[0]}
        if item is not None:
            initial = {
                "original_language": item.original_language,
                "statements": [statement.pk for statement in item.statements.all()],
                **{f"text_{code}": item.text.get(code, "") for code in self.languages},
                **{f"theme_{code}": item.theme.get(code, "") for code in self.languages},
            }
        super().__init__(data, initial=initial)
        self.fields["original_language"] = forms.ChoiceField(
            label=_("Original language"),
            choices=[(code, _language_name(code)) for code in self.languages],
            help_text=_("Pages in a language without a translation show this text."),
        )
        for code in self.languages:
            self.fields[f"text_{code}"] = forms.CharField(
                label=_("Text (%(language)s)") % {"language": _language_name(code)},
                required=False,
                max_length=AgendaItem.MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2, "lang": code}),
            )
        for code in self.languages:
            self.fields[f"theme_{code}"] = forms.CharField(
                label=_("Theme heading (%(language)s)") % {"language": _language_name(code)},
                required=False,
                max_length=AgendaItem.MAX_THEME_LENGTH,
                widget=forms.TextInput(attrs={"lang": code}),
            )
        self.fields["statements"] = StatementsField(
            label=_("Statements behind this item"),
            queryset=statements,
            required=False,
            widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        )

    def texts(self, prefix: str) -> dict[str, str]:
        """Return the cleaned texts with the prefix, by language code."""
        return {code: self.cleaned_data.get(f"{prefix}_{code}", "") for code in self.languages}

    def service_arguments(self) -> dict[str, Any]:
        """Return the arguments of agenda_item_add and agenda_item_update."""
        chosen: Sequence[Statement] = list(self.cleaned_data["statements"])
        return {
            "text": self.texts("text"),
            "theme": self.texts("theme"),
            "original_language": self.cleaned_data["original_language"],
            "statements": chosen,
        }


class PublishForm(forms.Form):
    note = forms.CharField(
        label=_("What changed (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class EndorseForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Endorse for"), queryset=Organisation.objects.none(), empty_label=None
    )

    def __init__(self, data: Any = None, *, organisations: list[Organisation]) -> None:
        super().__init__(data)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101  # narrows the type
        field.queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations])


class CompareForm(forms.Form):
    old = forms.TypedChoiceField(label=_("Compare version"), coerce=int, choices=[])
    new = forms.TypedChoiceField(label=_("with version"), coerce=int, choices=[])

    def __init__(
        self, data: Any = None, *, numbers: list[int], initial: dict[str, int] | None = None
    ) -> None:
        super().__init__(data, initial=initial)
        choices = [(number, str(number)) for number in numbers]
        for name in ("old", "new"):
            field = self.fields[name]
            assert isinstance(field, forms.TypedChoiceField)  # noqa: S101  # narrows the type
            field.choices = choices
