from django.urls import path

from . import views

app_name = "partnerships"

urlpatterns = [
    path("", views.partnership_list_view, name="partnership-list"),
    path("<slug:slug>/", views.partnership_detail, name="partnership-detail"),
]
