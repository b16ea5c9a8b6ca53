"""The Django admin for themes."""

import pytest

from puente.core.choices import ThemeCode
from puente.core.models import Theme
from tests.accounts.factories import AdminFactory


@pytest.fixture
def admin_client(client):
    admin = AdminFactory()
    client.force_login(admin)
    return client


@pytest.mark.django_db
def test_theme_list_shows_every_theme_with_its_name(admin_client):
    response = admin_client.get("/admin/core/theme/")
    assert response.status_code == 200
    html = response.content.decode()
    for theme in ThemeCode:
        assert str(theme.label) in html


@pytest.mark.django_db
def test_theme_search_finds_by_code(admin_client):
    html = admin_client.get("/admin/core/theme/", {"q": "cybersecurity"}).content.decode()
    assert "Cybersecurity" in html
    assert "Connectivity" not in html


@pytest.mark.django_db
def test_themes_are_shown_not_edited(admin_client):
    theme = Theme.objects.get(code="ai")
    assert admin_client.get("/admin/core/theme/add/").status_code == 403
    admin_client.post(f"/admin/core/theme/{theme.pk}/change/", {"code": "changed"})
    admin_client.post(f"/admin/core/theme/{theme.pk}/delete/", {"post": "yes"})
    theme.refresh_from_db()
    assert theme.code == "ai"
