"""Forms that several apps share."""

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .markdown import MARKDOWN_HELP_TEXT


class TranslationForm(forms.Form):
    """A translation's language (when adding one) and its text fields.

    Given `fields`, the text fields as (name, label, max_length, is_markdown, is_required);
    `languages` the choices of a new translation, or None when editing one in a known language.
    """

    language = forms.ChoiceField(label=_("Language"))

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        fields: list[tuple[str, str, int, bool, bool]],
        languages: list[tuple[str, str]] | None,
        initial: Mapping[str, Any] | None = None,
        text_language: str = "",
    ) -> None:
        super().__init__(data, initial=dict(initial or {}))
        if languages is None:
            del self.fields["language"]
        else:
            language = self.fields["language"]
            assert isinstance(language, forms.ChoiceField)  # noqa: S101  # declared above
            language.choices = [("", _("Choose a language")), *languages]
        # Browsers spell-check and speak the text fields in the translation's language.
        attrs = {"lang": text_language} if text_language else {}
        for name, label, max_length, is_markdown, is_required in fields:
            self.fields[name] = forms.CharField(
                label=label,
                max_length=max_length,
                required=is_required,
                widget=(
                    forms.Textarea(attrs={"rows": 8, **attrs})
                    if is_markdown
                    else forms.TextInput(attrs=attrs)
                ),
                help_text=MARKDOWN_HELP_TEXT if is_markdown else "",
            )

    def text_values(self) -> dict[str, str]:
        """Return the cleaned text fields, without the language."""
        return {name: value for name, value in self.cleaned_data.items() if name != "language"}
