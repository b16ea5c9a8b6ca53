from django.contrib import admin
from django.urls import include, path, re_path

from puente.accounts.admin_site import admin_has_permission, admin_login_via_accounts
from puente.agenda import views as agenda_views
from puente.api import errors as api_errors
from puente.core import views as core_views
from puente.partnerships import views as partnership_views
from puente.search import api as search_api

admin.site.login = admin_login_via_accounts  # type: ignore[method-assign]  # MFA-aware login
admin.site.has_permission = admin_has_permission  # type: ignore[method-assign]  # staff + MFA
admin.site.site_header = "Puente"
admin.site.site_title = "Puente"

# The API's error format under /api/, the core pages elsewhere.
handler400 = "puente.api.errors.bad_request"
handler403 = "puente.api.errors.permission_denied"
handler404 = "puente.api.errors.page_not_found"
handler500 = "puente.api.errors.server_error"

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("me/statements/", agenda_views.my_statements_view, name="my-statements"),
    path("me/", include("puente.accounts.urls")),
    path("notifications/", include("puente.notifications.urls")),
    path("organisations/", include("puente.stakeholders.urls")),
    path(
        "partnerships/<slug:partnership_slug>/dialogues/",
        include("puente.dialogues.urls"),
    ),
    path(
        "partnerships/<slug:partnership_slug>/agenda/",
        include("puente.agenda.urls"),
    ),
    path("", include("puente.initiatives.urls")),
    path("partnerships/", include("puente.partnerships.urls")),
    path("search/", include("puente.search.urls")),
    # The search endpoint lives with its app, which comes after the api app.
    path("api/v1/search/", search_api.SearchApi.as_view(), name="api-search"),
    path("api/v1/", include("puente.api.urls")),
    # Any other /api/ path answers 404 in the API's format; a path without its final slash
    # is still redirected to the endpoint that has it.
    re_path(r"^api/(?P<path>.*)$", api_errors.path_not_found),
    path("", partnership_views.home, name="home"),
    path("", include("puente.core.urls")),
    # Only re-encoded logos, with safe headers; a proxy may serve /media/logos/ instead.
    path("media/logos/<str:name>", core_views.logo_file, name="logo"),
]
