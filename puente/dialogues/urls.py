from django.urls import path

from . import views

app_name = "dialogues"

# Included under /partnerships/<partnership_slug>/dialogues/.
urlpatterns = [
    path("", views.dialogue_list_view, name="dialogue-list"),
    # "new" is a reserved slug (see services.RESERVED_SLUGS), so no dialogue hides this page.
    path("new/", views.dialogue_create_view, name="dialogue-create"),
    path("<slug:slug>/", views.dialogue_detail, name="dialogue-detail"),
    path("<slug:slug>/edit/", views.dialogue_edit_view, name="dialogue-edit"),
    path("<slug:slug>/phase/", views.dialogue_phase_move_view, name="dialogue-phase-move"),
    path(
        "<slug:slug>/participation/",
        views.participation_set_view,
        name="participation-set",
    ),
    path("<slug:slug>/vote/", views.vote_card_view, name="vote-card"),
    path("<slug:slug>/vote/<int:pk>/", views.vote_statement_view, name="vote-statement"),
    path("<slug:slug>/compare/", views.compare_view, name="compare"),
    path("<slug:slug>/my-votes/", views.my_votes_view, name="my-votes"),
    path("<slug:slug>/results/", views.results_view, name="results"),
    path("<slug:slug>/results/refresh/", views.results_refresh_view, name="results-refresh"),
    path(
        "<slug:slug>/results/download/<str:file_format>/",
        views.results_download,
        name="results-download",
    ),
]

# Statements, comments, flags, moderation and invitations.
urlpatterns += [
    path("<slug:slug>/statements/", views.statement_list_view, name="statement-list"),
    path("<slug:slug>/statements/new/", views.statement_create_view, name="statement-create"),
    path(
        "<slug:slug>/statements/moderation/",
        views.moderation_queue_view,
        name="moderation-queue",
    ),
    path("<slug:slug>/statements/<int:pk>/", views.statement_detail_view, name="statement-detail"),
    path("<slug:slug>/statements/<int:pk>/edit/", views.statement_edit_view, name="statement-edit"),
    path(
        "<slug:slug>/statements/<int:pk>/translations/",
        views.statement_translations_view,
        name="statement-translations",
    ),
    path(
        "<slug:slug>/statements/<int:pk>/translations/<str:language>/",
        views.statement_translation_edit_view,
        name="statement-translation-edit",
    ),
    path(
        "<slug:slug>/statements/<int:pk>/translations/<str:language>/delete/",
        views.statement_translation_delete_view,
        name="statement-translation-delete",
    ),
    path(
        "<slug:slug>/statements/<int:pk>/comments/",
        views.comment_create_view,
        name="comment-create",
    ),
    path("<slug:slug>/statements/<int:pk>/flag/", views.statement_flag_view, name="statement-flag"),
    path("<slug:slug>/statements/<int:pk>/hide/", views.statement_hide_view, name="statement-hide"),
    path(
        "<slug:slug>/statements/<int:pk>/restore/",
        views.statement_restore_view,
        name="statement-restore",
    ),
    path(
        "<slug:slug>/statements/<int:pk>/approve/",
        views.statement_approve_view,
        name="statement-approve",
    ),
    path(
        "<slug:slug>/statements/<int:pk>/merge/",
        views.statement_merge_view,
        name="statement-merge",
    ),
    path(
        "<slug:slug>/statements/<int:pk>/flags/resolve/",
        views.flag_resolve_view,
        name="flag-resolve",
    ),
    path(
        "<slug:slug>/statements/comments/<int:pk>/flag/",
        views.comment_flag_view,
        name="comment-flag",
    ),
    path(
        "<slug:slug>/statements/comments/<int:pk>/hide/",
        views.comment_hide_view,
        name="comment-hide",
    ),
    path(
        "<slug:slug>/statements/comments/<int:pk>/restore/",
        views.comment_restore_view,
        name="comment-restore",
    ),
    path("<slug:slug>/invitations/", views.invitation_list_view, name="invitation-list"),
    path(
        "<slug:slug>/invitations/<int:pk>/delete/",
        views.invitation_delete_view,
        name="invitation-delete",
    ),
]
