from django.urls import path

from . import views

app_name = "stakeholders"

urlpatterns = [
    path("", views.organisation_list_view, name="organisation-list"),
    path("new/", views.organisation_create_view, name="organisation-create"),
    path("mine/", views.my_organisations, name="my-organisations"),
    path("invitations/<str:token>/", views.invitation_accept_view, name="invitation-accept"),
    path("<slug:slug>/", views.organisation_detail, name="organisation-detail"),
    path("<slug:slug>/edit/", views.organisation_edit_view, name="organisation-edit"),
    path(
        "<slug:slug>/translations/",
        views.organisation_translations_view,
        name="organisation-translations",
    ),
    path(
        "<slug:slug>/translations/<str:language>/",
        views.organisation_translation_edit_view,
        name="organisation-translation-edit",
    ),
    path(
        "<slug:slug>/translations/<str:language>/delete/",
        views.organisation_translation_delete_view,
        name="organisation-translation-delete",
    ),
    path("<slug:slug>/verify/", views.organisation_verify_view, name="organisation-verify"),
    path("<slug:slug>/join/", views.membership_request_view, name="membership-request"),
    path("<slug:slug>/leave/", views.membership_leave_view, name="membership-leave"),
    path("<slug:slug>/members/", views.member_list, name="member-list"),
    path(
        "<slug:slug>/members/<int:pk>/approve/",
        views.membership_approve_view,
        name="membership-approve",
    ),
    path(
        "<slug:slug>/members/<int:pk>/decline/",
        views.membership_decline_view,
        name="membership-decline",
    ),
    path("<slug:slug>/members/<int:pk>/role/", views.membership_role_view, name="membership-role"),
    path(
        "<slug:slug>/members/<int:pk>/remove/",
        views.membership_remove_view,
        name="membership-remove",
    ),
    path("<slug:slug>/invitations/", views.invitation_create_view, name="invitation-create"),
    path(
        "<slug:slug>/invitations/<int:pk>/revoke/",
        views.invitation_revoke_view,
        name="invitation-revoke",
    ),
]
