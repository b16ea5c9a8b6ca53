from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("language/", views.language, name="language"),
    path("data.json", views.data_export, name="data-export"),
    path("delete/", views.account_delete_view, name="delete"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/revoke-all/", views.token_revoke_all_view, name="token-revoke-all"),
    path("tokens/<str:digest>/revoke/", views.token_revoke_view, name="token-revoke"),
]
