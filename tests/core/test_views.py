import pytest


@pytest.mark.django_db
def test_unknown_page_gets_the_friendly_404_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "404.html" in [template.name for template in response.templates]
    assert b"Page not found" in response.content


@pytest.mark.django_db
def test_privacy_notice_explains_export_and_deletion(client):
    response = client.get("/privacy/")
    assert response.status_code == 200
    assert b"JSON" in response.content
    assert b"former participant" in response.content


@pytest.mark.django_db
def test_pages_load_only_assets_served_by_the_app(client):
    content = client.get("/").content.decode()
    assert "http://" not in content.replace("http://testserver", "")
    assert "https://" not in content
