from typing import Any

from django.contrib import admin

from puente.core.admin import ReadOnlyAdmin, TranslationInline

from .models import Comment, Dialogue, Flag, Participation, Statement, StatementTranslation


class StatementTranslationInline(TranslationInline[StatementTranslation]):
    model = StatementTranslation
    fields = ["language", "text", "translated_by", "updated_at"]
    readonly_fields = ["language", "text", "translated_by", "updated_at"]


@admin.register(Dialogue)
class DialogueAdmin(ReadOnlyAdmin[Any]):
    list_display = ["title", "partnership", "phase", "participation", "created_at"]
    list_filter = ["phase", "participation", "created_at"]
    search_fields = ["title", "slug", "framing_question"]
    list_select_related = ["partnership"]


@admin.register(Participation)
class ParticipationAdmin(ReadOnlyAdmin[Any]):
    list_display = ["dialogue", "person", "organisation", "region", "stakeholder_type"]
    list_filter = ["region", "stakeholder_type"]
    list_select_related = ["dialogue", "person", "organisation"]


@admin.register(Statement)
class StatementAdmin(ReadOnlyAdmin[Any]):
    list_display = ["text", "dialogue", "kind", "status", "is_seed", "author", "created_at"]
    list_filter = ["status", "kind", "is_seed", "language", "created_at"]
    search_fields = ["text", "details"]
    list_select_related = ["dialogue", "author"]
    raw_id_fields = ["dialogue", "author", "organisation", "moderated_by", "merged_into"]
    inlines = [StatementTranslationInline]


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin[Any]):
    list_display = ["__str__", "statement", "author", "is_hidden", "created_at"]
    list_filter = ["is_hidden", "language", "created_at"]
    search_fields = ["text"]
    list_select_related = ["statement", "author"]
    raw_id_fields = ["statement", "parent", "author"]


@admin.register(Flag)
class FlagAdmin(ReadOnlyAdmin[Any]):
    list_display = ["reason", "statement", "comment", "person", "created_at", "resolved_at"]
    list_filter = ["reason", "created_at", "resolved_at"]
    list_select_related = ["statement", "comment", "person"]
    raw_id_fields = ["statement", "comment", "person", "resolved_by"]
