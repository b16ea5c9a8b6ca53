"""Translations of a statement, by its author or the dialogue's moderators."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from puente.accounts.http import signed_in_person
from puente.core.translation_pages import (
    TranslationPages,
    translation_delete_page,
    translation_edit_page,
    translations_page,
)

from ..models import Statement
from ..permissions import can_translate_statement
from ..services import statement_translation_delete, statement_translation_save
from .dialogues import visible_dialogue
from .statements import visible_statement


def _translation_pages(
    request: HttpRequest, partnership_slug: str, slug: str, pk: int
) -> TranslationPages:
    """Describe the statement's translation pages, for its author and the moderators."""
    dialogue = visible_dialogue(request, partnership_slug, slug)
    statement = visible_statement(request, dialogue, pk)
    person = signed_in_person(request)
    if not can_translate_statement(person, statement):
        raise PermissionDenied

    def save(language: str, values: dict[str, str]) -> object:
        return statement_translation_save(
            actor=person,
            statement=statement,
            language=language,
            text=values["text"],
            details=values.get("details", ""),
        )

    def delete(language: str) -> object:
        statement_translation_delete(actor=person, statement=statement, language=language)
        return None

    keys = {"partnership_slug": partnership_slug, "slug": slug, "pk": pk}

    def url(name: str, language: str) -> str:
        return reverse(name, kwargs={**keys, "language": language})

    return TranslationPages(
        heading=_("Translations of the statement"),
        back_url=statement.get_absolute_url(),
        back_label=_("Back to the statement"),
        original_language=statement.language,
        original={"text": statement.text, "details": statement.details},
        fields=[
            ("text", _("Statement"), Statement.MAX_LENGTH, False, True),
            ("details", _("Details"), 5000, True, False),
        ],
        translations=list(statement.translations.select_related("translated_by")),
        save=save,
        delete=delete,
        list_url=reverse("dialogues:statement-translations", kwargs=keys),
        edit_url=lambda language: url("dialogues:statement-translation-edit", language),
        delete_url=lambda language: url("dialogues:statement-translation-delete", language),
    )


@login_required
@require_http_methods(["GET", "POST"])
def statement_translations_view(
    request: HttpRequest, partnership_slug: str, slug: str, pk: int
) -> HttpResponse:
    """List the statement's translations and add one."""
    return translations_page(request, _translation_pages(request, partnership_slug, slug, pk))


@login_required
@require_http_methods(["GET", "POST"])
def statement_translation_edit_view(
    request: HttpRequest, partnership_slug: str, slug: str, pk: int, language: str
) -> HttpResponse:
    """Change a translation of the statement."""
    pages = _translation_pages(request, partnership_slug, slug, pk)
    return translation_edit_page(request, pages, language)


@login_required
@require_http_methods(["GET", "POST"])
def statement_translation_delete_view(
    request: HttpRequest, partnership_slug: str, slug: str, pk: int, language: str
) -> HttpResponse:
    """Confirm and delete a translation of the statement."""
    pages = _translation_pages(request, partnership_slug, slug, pk)
    return translation_delete_page(request, pages, language)
