from django.urls import path

from . import views

app_name = "partnerships"

urlpatterns = [
    path("", views.partnership_list_view, name="partnership-list"),
    # "new" is a reserved slug (see services.RESERVED_SLUGS), so no partnership hides this page.
    path("new/", views.partnership_create_view, name="partnership-create"),
    path("<slug:slug>/", views.partnership_detail, name="partnership-detail"),
    path("<slug:slug>/edit/", views.partnership_edit_view, name="partnership-edit"),
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
        "<slug:slug>/facilitators/add/",
        views.partnership_facilitator_add_view,
        name="partnership-facilitator-add",
    ),
    path(
        "<slug:slug>/facilitators/<int:person_id>/remove/",
        views.partnership_facilitator_remove_view,
        name="partnership-facilitator-remove",
    ),
]
