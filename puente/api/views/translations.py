"""Translations of descriptions and statements: add or replace one (PUT), delete one (DELETE)."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from puente.dialogues.models import Statement
from puente.dialogues.permissions import can_translate_statement
from puente.dialogues.services import statement_translation_delete, statement_translation_save
from puente.partnerships.models import Partnership
from puente.partnerships.permissions import can_edit_partnership
from puente.partnerships.services import (
    partnership_translation_delete,
    partnership_translation_save,
)
from puente.stakeholders.permissions import can_edit_organisation
from puente.stakeholders.services import (
    organisation_translation_delete,
    organisation_translation_save,
)

from ..permissions import person_of
from ..serializers import BoundedCharField, DescriptionTranslationSerializer
from .base import AUTHENTICATION, READ_OR_SIGNED_IN, error_responses
from .dialogues import dialogue_or_404
from .organisations import organisation_or_404
from .partnerships import partnership_or_404
from .statements import StatementTranslationSerializer, statement_or_404


def _language_check(language: str) -> None:
    """Answer 400 naming the language when the site has no such language."""
    if language not in [code for code, _name in settings.LANGUAGES]:
        raise ValidationError(
            {"language": ValidationError(_("Unknown language: %(code)s.") % {"code": language})}
        )


class OrganisationTranslationSaveApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = READ_OR_SIGNED_IN

    class InputSerializer(serializers.Serializer[Any]):
        description = BoundedCharField(max_length=5000, help_text=_lazy("Markdown."))

        class Meta:
            ref_name = "OrganisationTranslationSave"

    OutputSerializer = DescriptionTranslationSerializer

    @extend_schema(
        summary="Add or replace the translation of an organisation's description.",
        description="Its admins and platform admins. Not in the description's own language.",
        request=InputSerializer,
        responses={200: OutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def put(self, request: Request, slug: str, language: str) -> Response:
        """Store the translation into the language."""
        actor = person_of(request)
        organisation = organisation_or_404(slug)
        if not can_edit_organisation(actor, organisation):
            raise PermissionDenied
        _language_check(language)
        given = self.InputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        saved = organisation_translation_save(
            actor=actor, organisation=organisation, language=language, **given.validated_data
        )
        return Response(self.OutputSerializer(saved).data)


class OrganisationTranslationDeleteApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = READ_OR_SIGNED_IN

    @extend_schema(
        summary="Delete the translation of an organisation's description, if any.",
        request=None,
        responses={204: None, **error_responses(400, 401, 403, 404)},
    )
    def delete(self, request: Request, slug: str, language: str) -> Response:
        """Delete the translation into the language."""
        actor = person_of(request)
        organisation = organisation_or_404(slug)
        if not can_edit_organisation(actor, organisation):
            raise PermissionDenied
        _language_check(language)
        organisation_translation_delete(actor=actor, organisation=organisation, language=language)
        return Response(status=status.HTTP_204_NO_CONTENT)


class OrganisationTranslationApi(OrganisationTranslationSaveApi, OrganisationTranslationDeleteApi):
    """PUT adds or replaces a translation of the description; DELETE removes it."""


def _partnership(request: Request, slug: str) -> tuple[Any, Partnership]:
    actor = person_of(request)
    partnership = partnership_or_404(slug, actor)
    if not can_edit_partnership(actor, partnership):
        raise PermissionDenied
    return actor, partnership


class PartnershipTranslationSaveApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = READ_OR_SIGNED_IN

    class InputSerializer(serializers.Serializer[Any]):
        description = BoundedCharField(max_length=10000, help_text=_lazy("Markdown."))

        class Meta:
            ref_name = "PartnershipTranslationSave"

    OutputSerializer = DescriptionTranslationSerializer

    @extend_schema(
        summary="Add or replace the translation of a partnership's description.",
        description="Its facilitators and platform admins. Not in the description's language.",
        request=InputSerializer,
        responses={200: OutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def put(self, request: Request, slug: str, language: str) -> Response:
        """Store the translation into the language."""
        actor, partnership = _partnership(request, slug)
        _language_check(language)
        given = self.InputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        saved = partnership_translation_save(
            actor=actor, partnership=partnership, language=language, **given.validated_data
        )
        return Response(self.OutputSerializer(saved).data)


class PartnershipTranslationDeleteApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = READ_OR_SIGNED_IN

    @extend_schema(
        summary="Delete the translation of a partnership's description, if any.",
        request=None,
        responses={204: None, **error_responses(400, 401, 403, 404)},
    )
    def delete(self, request: Request, slug: str, language: str) -> Response:
        """Delete the translation into the language."""
        actor, partnership = _partnership(request, slug)
        _language_check(language)
        partnership_translation_delete(actor=actor, partnership=partnership, language=language)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PartnershipTranslationApi(PartnershipTranslationSaveApi, PartnershipTranslationDeleteApi):
    """PUT adds or replaces a translation of the description; DELETE removes it."""


def _statement(
    request: Request, slug: str, dialogue_slug: str, statement_id: int
) -> tuple[Any, Statement]:
    actor = person_of(request)
    dialogue = dialogue_or_404(slug, dialogue_slug, actor)
    statement = statement_or_404(dialogue, statement_id, actor)
    if not can_translate_statement(actor, statement):
        raise PermissionDenied
    return actor, statement


class StatementTranslationSaveApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = READ_OR_SIGNED_IN

    class InputSerializer(serializers.Serializer[Any]):
        text = BoundedCharField(max_length=Statement.MAX_LENGTH)
        details = BoundedCharField(
            max_length=5000, required=False, allow_blank=True, help_text=_lazy("Markdown.")
        )

        class Meta:
            ref_name = "StatementTranslationSave"

    OutputSerializer = StatementTranslationSerializer

    @extend_schema(
        summary="Add or replace the translation of a statement.",
        description="Its author and the facilitators. Not in the statement's own language.",
        request=InputSerializer,
        responses={200: OutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def put(
        self, request: Request, slug: str, dialogue_slug: str, statement_id: int, language: str
    ) -> Response:
        """Store the translation into the language."""
        actor, statement = _statement(request, slug, dialogue_slug, statement_id)
        _language_check(language)
        given = self.InputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        saved = statement_translation_save(
            actor=actor, statement=statement, language=language, **given.validated_data
        )
        return Response(self.OutputSerializer(saved).data)


class StatementTranslationDeleteApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = READ_OR_SIGNED_IN

    @extend_schema(
        summary="Delete the translation of a statement, if any.",
        request=None,
        responses={204: None, **error_responses(400, 401, 403, 404)},
    )
    def delete(
        self, request: Request, slug: str, dialogue_slug: str, statement_id: int, language: str
    ) -> Response:
        """Delete the translation into the language."""
        actor, statement = _statement(request, slug, dialogue_slug, statement_id)
        _language_check(language)
        statement_translation_delete(actor=actor, statement=statement, language=language)
        return Response(status=status.HTTP_204_NO_CONTENT)


class StatementTranslationApi(StatementTranslationSaveApi, StatementTranslationDeleteApi):
    """PUT adds or replaces a translation of the statement; DELETE removes it."""
