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
