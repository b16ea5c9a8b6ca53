from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Kind


class SearchForm(forms.Form):
    """The words to find and, optionally, the one kind of result to show."""

    q = forms.CharField(
        label=_("Search for"),
        required=False,
        # Longer queries are cut, not refused: search answers whatever is typed.
        strip=True,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        help_text=_("Names, acronyms, titles or words, in any language; accents do not matter."),
    )
    kind = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("", _("Everything")), *Kind.choices],
    )

    def search_arguments(self) -> dict[str, Any]:
        """Return the query text and kind, an unknown kind left out."""
        data = getattr(self, "cleaned_data", {})
        return {"text": data.get("q") or "", "kind": data.get("kind") or ""}
