"""Forms for statements, comments, flags, moderation and invitations; services do the writes."""

from collections.abc import Mapping
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .models import Comment, Flag, Statement
from .services.statements import REASON_MAX_LENGTH


class StatementForm(forms.Form):
    """One sentence, its kind and language, with optional details in Markdown."""

    text = forms.CharField(
        label=_("Statement"),
        max_length=Statement.MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(
            attrs={
                "rows": 3,
                "maxlength": Statement.MAX_LENGTH,
                "data-character-count": _("%(count)s of %(limit)s characters"),
            }
        ),
        help_text=_("One sentence that others can agree or disagree with; at most 300 characters."),
        error_messages={"required": _("Write the statement.")},
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=Statement.Kind.choices,
        initial=Statement.Kind.PROPOSAL,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    details = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Optional. Markdown: *emphasis*, **strong**, lists, `code` and "
            "[links](https://example.org)."
        ),
    )
    language = forms.ChoiceField(label=_("Language of the statement"), choices=[])

    def __init__(self, data: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        field = self.fields["language"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101  # declared above
        field.choices = list(settings.LANGUAGES)

    @staticmethod
    def initial_from(statement: Statement) -> dict[str, Any]:
        """Return the form's initial values for an existing statement."""
        return {
            "text": statement.text,
            "kind": statement.kind,
            "details": statement.details,
            "language": statement.language,
        }


class CommentForm(forms.Form):
    """A comment on a statement, or a reply to a comment."""

    text = forms.CharField(
        label=_("Comment"),
        max_length=Comment.MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": Comment.MAX_LENGTH}),
        error_messages={"required": _("Write the comment.")},
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class FlagForm(forms.Form):
    """Why a statement or comment needs the moderators' attention."""

    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=Flag.Reason.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"required": _("Choose a reason.")},
    )
    note = forms.CharField(
        label=_("Note for the moderators"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class HideForm(forms.Form):
    """The reason a moderator gives for hiding; the author reads it."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The author reads this reason."),
        error_messages={"required": _("Say why it is hidden.")},
    )


class MergeForm(forms.Form):
    """The statement a duplicate merges into; confirmed on a second step."""

    survivor = forms.ModelChoiceField(
        label=_("Merge into"),
        queryset=Statement.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"required": _("Choose the statement to keep.")},
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        candidates: QuerySet[Statement],
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        field = self.fields["survivor"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101  # declared above
        field.queryset = candidates


class InvitationForm(forms.Form):
    """An e-mail address to invite to the dialogue."""

    email = forms.EmailField(label=_("E-mail address"), max_length=254)
