from django.urls import path

from . import views

app_name = "stakeholders"

urlpatterns = [
    path("", views.organisation_list_view, name="organisation-list"),
    path("mine/", views.my_organisations, name="my-organisations"),
    path("invitations/<str:token>/", views.invitation_accept_view, name="invitation-accept"),
    path("<slug:slug>/", views.organisation_detail, name="organisation-detail"),
]
