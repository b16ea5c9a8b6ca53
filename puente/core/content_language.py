"""Which language of some content a reader sees: their own, a close one, or the original.

Content (descriptions, statements) records the language it was written in and may carry
human translations. A reader gets their language when it exists, then the other variant of
the same language (pt-br for pt and back), else the original, marked with its language.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation as translation_utils
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import ContentTranslation

TranslationT = TypeVar("TranslationT", bound=ContentTranslation)

# Said under content shown in a language other than the reader's, or translated for them.
# One sentence per language, so that each catalogue words (and cases) the name itself.
ORIGINAL_IN: Mapping[str, Promise] = {
    "en": _("Original in English"),
    "es": _("Original in Spanish"),
    "pt": _("Original in Portuguese"),
    "pt-br": _("Original in Brazilian Portuguese"),
    "fr": _("Original in French"),
}
TRANSLATED_FROM: Mapping[str, Promise] = {
    "en": _("Translated from English"),
    "es": _("Translated from Spanish"),
    "pt": _("Translated from Portuguese"),
    "pt-br": _("Translated from Brazilian Portuguese"),
    "fr": _("Translated from French"),
}


@dataclass(frozen=True)
class Text:
    """Content in one language: its main text and, for statements, its details."""

    text: str
    details: str = ""
    updated_at: datetime | None = None


@dataclass(frozen=True)
class Shown:
    """What a reader sees of some content, and in which language."""

    text: str
    details: str
    language: str
    original_language: str
    is_translation: bool
    # Whether the language shown is another than the reader's (a variant counts as theirs).
    is_other_language: bool
    # When the translation shown was last saved; None for the original. Part of cache keys.
    updated_at: datetime | None

    @property
    def marker(self) -> str:
        """Return the note shown with the content, or '' when it needs none."""
        if self.is_translation:
            return str(TRANSLATED_FROM.get(self.original_language, ""))
        if self.is_other_language:
            return str(ORIGINAL_IN.get(self.original_language, ""))
        return ""

    @property
    def cache_key(self) -> str:
        """Return what identifies this version of the content in a cached fragment's key."""
        stamp = self.updated_at.isoformat() if self.updated_at else "original"
        return f"{self.language}:{stamp}"


def language_codes() -> list[str]:
    """Return the site's language codes, in the settings' order."""
    return [code for code, _name in settings.LANGUAGES]


def active_language() -> str:
    """Return the site language the request is in (its base when only that is offered)."""
    active = (translation_utils.get_language() or settings.LANGUAGE_CODE).lower()
    codes = language_codes()
    if active in codes:
        return active
    base = language_base(active)
    return base if base in codes else settings.LANGUAGE_CODE


def language_base(code: str) -> str:
    """Return the language without its region: pt for pt-br."""
    return code.lower().split("-")[0]


def reader_preferences(reader_language: str) -> list[str]:
    """Return the languages a reader takes, best first: their own, its base, then variants."""
    reader = reader_language.lower()
    base = language_base(reader)
    preferred = [reader]
    if base != reader:
        preferred.append(base)
    preferred += [code for code in language_codes() if language_base(code) == base]
    return list(dict.fromkeys(preferred))


class TranslatedDescription:
    """For a model with a ``description`` in ``description_language`` whose translations
    (related name ``translations``) each carry a ``description`` of their own."""

    description: str
    description_language: str
    translations: Any

    def shown_in(self, reader_language: str) -> Shown:
        """Return the description as a reader of the language sees it (prefetch translations)."""
        return content_choose(
            reader_language=reader_language,
            original=Text(self.description),
            original_language=self.description_language,
            translations={
                translation.language: Text(
                    translation.description, updated_at=translation.updated_at
                )
                for translation in self.translations.all()
            },
        )


def content_choose(
    *,
    reader_language: str,
    original: Text,
    original_language: str,
    translations: Mapping[str, Text],
) -> Shown:
    """Return what the reader sees: their language, a variant of it, else the original."""
    for language in reader_preferences(reader_language):
        if language == original_language:
            break
        translation = translations.get(language)
        if translation is not None and translation.text:
            return Shown(
                text=translation.text,
                details=translation.details,
                language=language,
                original_language=original_language,
                is_translation=True,
                is_other_language=language_base(language) != language_base(reader_language),
                updated_at=translation.updated_at,
            )
    return Shown(
        text=original.text,
        details=original.details,
        language=original_language,
        original_language=original_language,
        is_translation=False,
        is_other_language=language_base(original_language) != language_base(reader_language),
        updated_at=None,
    )


def translation_language_check(
    language: str, *, original_language: str, field: str = "language"
) -> None:
    """Refuse a language the site does not have, or the original's own language."""
    if language not in language_codes():
        message = gettext("Unknown language: %(code)s.") % {"code": language}
        raise ValidationError({field: ValidationError(message, code="invalid")})
    if language == original_language:
        message = gettext("This is the language of the original: translate into another one.")
        raise ValidationError({field: ValidationError(message, code="original_language")})


def languages_to_add(*, original_language: str, existing: Iterable[str]) -> list[tuple[str, str]]:
    """Return the (code, name) choices a new translation may take."""
    taken = {original_language, *existing}
    return [(code, str(name)) for code, name in settings.LANGUAGES if code not in taken]


def original_language_check(
    language: str, *, translations: "models.QuerySet[Any]", field: str = "description_language"
) -> None:
    """Refuse to make the original's language one that a translation already holds."""
    if translations.filter(language=language).exists():
        message = gettext(
            "A translation into this language exists: delete it first, or choose another language."
        )
        raise ValidationError({field: ValidationError(message, code="translated")})


def translation_store(
    *,
    model: type[TranslationT],
    owner_field: str,
    owner: models.Model,
    original_language: str,
    language: str,
    values: dict[str, str],
    actor: Any,
) -> TranslationT:
    """Create or replace the owner's translation into the language; the caller checks rights.

    The caller has locked the owner's row, so two translations of it are never saved at once.
    """
    translation_language_check(language, original_language=original_language)
    errors: dict[str, list[str]] = {}
    for name, value in values.items():
        field = model._meta.get_field(name)
        limit = getattr(field, "max_length", None)
        # Model validation leaves a TextField's length to forms; the API has no form.
        if limit is not None and len(value) > limit:
            message = gettext("Write at most %(limit)s characters.") % {"limit": limit}
            errors.setdefault(name, []).append(message)
    if errors:
        raise ValidationError(errors)
    found = model._default_manager.filter(**{owner_field: owner, "language": language}).first()
    stored = found or model(**{owner_field: owner, "language": language})
    for name, value in values.items():
        setattr(stored, name, value)
    stored.translated_by = actor
    stored.full_clean(exclude=[owner_field], validate_unique=False)
    stored.save()
    return stored
