"""The pages where editors list, add, change and delete translations of some content.

Each app's views check who may edit, describe the content in a TranslationPages and call one
of these; the services they pass in check the permission again and do the writes.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from .content_language import languages_to_add
from .forms import TranslationForm
from .models import ContentTranslation

# A text field of a translation: name, label, max_length, is Markdown, is required.
TranslationField = tuple[str, str, int, bool, bool]


@dataclass(frozen=True)
class TranslationPages:
    """What the translation pages of one piece of content show and do."""

    heading: str
    back_url: str
    back_label: str
    original_language: str
    # The original's text fields, by the same names as the translation's.
    original: dict[str, str]
    fields: list[TranslationField]
    translations: Sequence[ContentTranslation]
    save: Callable[[str, dict[str, str]], object]
    delete: Callable[[str], object]
    list_url: str
    edit_url: Callable[[str], str]
    delete_url: Callable[[str], str]

    def language_name(self, code: str) -> str:
        """Return the language's name in the reader's language."""
        return str(dict(settings.LANGUAGES).get(code, code))

    @property
    def original_parts(self) -> list[tuple[str, bool]]:
        """Return the original's non-empty text fields, each with whether it is Markdown."""
        return [
            (self.original[name], is_markdown)
            for name, _label, _limit, is_markdown, _required in self.fields
            if self.original.get(name)
        ]

    def rows(self) -> list[dict[str, Any]]:
        """Return the existing translations as the list shows them."""
        first = self.fields[0][0]
        return [
            {
                "language": translation.language,
                "language_name": self.language_name(translation.language),
                "text": getattr(translation, first),
                "translated_by": translation.translated_by,
                "updated_at": translation.updated_at,
                "edit_url": self.edit_url(translation.language),
                "delete_url": self.delete_url(translation.language),
            }
            for translation in self.translations
        ]

    def find(self, language: str) -> ContentTranslation:
        """Return the translation into the language, or raise 404."""
        for translation in self.translations:
            if translation.language == language:
                return translation
        raise Http404


def description_translation_pages(
    *,
    owner: Any,
    name: str,
    url_prefix: str,
    save: Callable[[str, str], object],
    delete: Callable[[str], object],
) -> TranslationPages:
    """Describe the translation pages of an owner's Markdown description (an organisation,
    a partnership): ``owner`` has ``slug``, ``description``, ``description_language`` and
    ``translations``; its URLs are ``{url_prefix}-translations``, ``-translation-edit`` and
    ``-translation-delete``; ``save(language, description)`` and ``delete(language)`` are
    its services, bound to the person acting."""

    def url(suffix: str, language: str) -> str:
        return reverse(f"{url_prefix}-{suffix}", kwargs={"slug": owner.slug, "language": language})

    limit = type(owner)._meta.get_field("description").max_length
    assert limit is not None  # noqa: S101  # descriptions are bounded
    return TranslationPages(
        heading=_("Translations of the description of %(name)s") % {"name": name},
        back_url=owner.get_absolute_url(),
        back_label=_("Back to %(name)s") % {"name": name},
        original_language=owner.description_language,
        original={"description": owner.description},
        fields=[("description", _("Description"), limit, True, True)],
        translations=list(owner.translations.select_related("translated_by")),
        save=lambda language, values: save(language, values["description"]),
        delete=delete,
        list_url=reverse(f"{url_prefix}-translations", kwargs={"slug": owner.slug}),
        edit_url=lambda language: url("translation-edit", language),
        delete_url=lambda language: url("translation-delete", language),
    )


def _add_errors(form: TranslationForm, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def _context(pages: TranslationPages, **extra: Any) -> dict[str, Any]:
    return {
        "pages": pages,
        "original_language_name": pages.language_name(pages.original_language),
        **extra,
    }


def translations_page(request: HttpRequest, pages: TranslationPages) -> HttpResponse:
    """List the translations and add one."""
    languages = languages_to_add(
        original_language=pages.original_language,
        existing=[translation.language for translation in pages.translations],
    )
    data = request.POST if request.method == "POST" else None
    form = TranslationForm(data, fields=pages.fields, languages=languages)
    if data is not None and form.is_valid():
        language = form.cleaned_data["language"]
        try:
            pages.save(language, form.text_values())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("The translation into %(language)s has been saved.")
                % {"language": pages.language_name(language)},
            )
            return redirect(pages.list_url)
    context = _context(pages, form=form, rows=pages.rows(), can_add=bool(languages))
    return render(request, "core/translations.html", context, status=400 if form.errors else 200)


def translation_edit_page(
    request: HttpRequest, pages: TranslationPages, language: str
) -> HttpResponse:
    """Change the translation into the language."""
    translation = pages.find(language)
    initial = {name: getattr(translation, name) for name, *_rest in pages.fields}
    data = request.POST if request.method == "POST" else None
    form = TranslationForm(
        data, fields=pages.fields, languages=None, initial=initial, text_language=language
    )
    if data is not None and form.is_valid():
        try:
            pages.save(language, form.text_values())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("The translation into %(language)s has been saved.")
                % {"language": pages.language_name(language)},
            )
            return redirect(pages.list_url)
    context = _context(
        pages, form=form, language=language, language_name=pages.language_name(language)
    )
    return render(
        request, "core/translation_edit.html", context, status=400 if form.errors else 200
    )


def translation_delete_page(
    request: HttpRequest, pages: TranslationPages, language: str
) -> HttpResponse:
    """Ask to confirm, then delete the translation into the language."""
    translation = pages.find(language)
    if request.method == "POST":
        pages.delete(language)
        messages.success(
            request,
            _("The translation into %(language)s has been deleted.")
            % {"language": pages.language_name(language)},
        )
        return redirect(pages.list_url)
    first = pages.fields[0][0]
    context = _context(
        pages,
        language=language,
        language_name=pages.language_name(language),
        text=getattr(translation, first),
    )
    return render(request, "core/translation_delete.html", context)
