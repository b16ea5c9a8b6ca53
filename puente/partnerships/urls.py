from django.urls import path

from . import views

app_name = "partnerships"

urlpatterns = [
    path("", views.partnership_list_view, name="partnership-list"),
    # "new" is a reserved slug (see services.RESERVED_SLUGS), so no partnership hides this page.
    path("new/", views.partnership_create_view, name="partnership-create"),
    # "invitations" is a reserved slug too.
    path(
        "invitations/<str:token>/",
        views.facilitator_invitation_answer_view,
        name="facilitator-invitation-answer",
    ),
    path("<slug:slug>/", views.partnership_detail, name="partnership-detail"),
    path("<slug:slug>/edit/", views.partnership_edit_view, name="partnership-edit"),
    path("<slug:slug>/take-part/", views.partnership_take_part_view, name="partnership-take-part"),
    path("<slug:slug>/join/", views.join_request_create_view, name="join-request-create"),
    path("<slug:slug>/join-requests/", views.join_request_list_view, name="join-request-list"),
    path(
        "<slug:slug>/join-requests/<int:pk>/approve/",
        views.join_request_approve_view,
        name="join-request-approve",
    ),
    path(
        "<slug:slug>/join-requests/<int:pk>/decline/",
        views.join_request_decline_view,
        name="join-request-decline",
    ),
    path(
        "<slug:slug>/join-requests/<int:pk>/withdraw/",
        views.join_request_withdraw_view,
        name="join-request-withdraw",
    ),
    path(
        "<slug:slug>/translations/",
        views.partnership_translations_view,
        name="partnership-translations",
    ),
    path(
        "<slug:slug>/translations/<str:language>/",
        views.partnership_translation_edit_view,
        name="partnership-translation-edit",
    ),
    path(
        "<slug:slug>/translations/<str:language>/delete/",
        views.partnership_translation_delete_view,
        name="partnership-translation-delete",
    ),
    path(
        "<slug:slug>/organisations/add/",
        views.partnership_organisation_add_view,
        name="partnership-organisation-add",
    ),
    path(
        "<slug:slug>/organisations/<slug:organisation_slug>/remove/",
        views.partnership_organisation_remove_view,
        name="partnership-organisation-remove",
    ),
    path(
        "<slug:slug>/facilitators/invite/",
        views.facilitator_invitation_create_view,
        name="facilitator-invitation-create",
    ),
    path(
        "<slug:slug>/facilitators/invitations/<int:pk>/revoke/",
        views.facilitator_invitation_revoke_view,
        name="facilitator-invitation-revoke",
    ),
    path(
        "<slug:slug>/facilitators/<int:person_id>/remove/",
        views.partnership_facilitator_remove_view,
        name="partnership-facilitator-remove",
    ),
]
