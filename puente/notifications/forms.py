from typing import Any

from django import forms

from .models import Kind, Preference


class PreferencesForm(forms.Form):
    """One mail frequency per kind of notification."""

    def __init__(self, *args: Any, initial_frequencies: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in Kind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=Preference.Frequency.choices,
                initial=initial_frequencies.get(kind.value, Preference.Frequency.IMMEDIATELY),
                widget=forms.Select(attrs={"class": "form-select"}),
            )
