from django.urls import path

from . import views

app_name = "agenda"

# Included under /partnerships/<partnership_slug>/agenda/; <slug> is the dialogue's.
urlpatterns = [
    path("", views.agenda_list_view, name="agenda-list"),
    path("<slug:slug>/", views.agenda_detail_view, name="agenda-detail"),
    path("<slug:slug>/compare/", views.version_compare_view, name="version-compare"),
    path("<slug:slug>/draft/", views.draft_view, name="draft"),
    path("<slug:slug>/draft/new/", views.draft_create_view, name="draft-create"),
    path("<slug:slug>/draft/copy/", views.draft_copy_view, name="draft-copy"),
    path("<slug:slug>/draft/publish/", views.draft_publish_view, name="draft-publish"),
    path("<slug:slug>/draft/discard/", views.draft_discard_view, name="draft-discard"),
    path("<slug:slug>/draft/items/new/", views.item_create_view, name="item-create"),
    path("<slug:slug>/draft/items/<int:pk>/", views.item_edit_view, name="item-edit"),
    path("<slug:slug>/draft/items/<int:pk>/move/", views.item_move_view, name="item-move"),
    path("<slug:slug>/draft/items/<int:pk>/delete/", views.item_delete_view, name="item-delete"),
    path("<slug:slug>/versions/<int:number>/", views.version_detail_view, name="version-detail"),
    path("<slug:slug>/versions/<int:number>/endorse/", views.endorse_view, name="endorse"),
    path(
        "<slug:slug>/versions/<int:number>/endorsements/<int:pk>/withdraw/",
        views.endorsement_withdraw_view,
        name="endorsement-withdraw",
    ),
    path(
        "<slug:slug>/versions/<int:number>/export.<str:fmt>",
        views.version_export_view,
        name="version-export",
    ),
]
