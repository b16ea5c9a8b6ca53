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


# Logos under /media/logos/


@pytest.fixture
def stored_logo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "logos").mkdir()
    name = "0123456789abcdef0123456789abcdef.png"
    (tmp_path / "logos" / name).write_bytes(b"\x89PNG\r\n\x1a\n fake but served as is")
    (tmp_path / "secret.txt").write_text("not a logo")
    (tmp_path / "logos" / "uploaded.html").write_text("<script>alert(1)</script>")
    return name


@pytest.mark.django_db
def test_a_logo_is_served_as_png_with_nosniff_a_sandbox_csp_and_long_caching(client, stored_logo):
    response = client.get(f"/media/logos/{stored_logo}")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "max-age=31536000" in response["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/media/secret.txt",
        "/media/logos/uploaded.html",
        "/media/logos/../secret.txt",
        "/media/logos/..%2Fsecret.txt",
        "/media/logos/%2e%2e/secret.txt",
        "/media/logos/ffffffffffffffffffffffffffffffff.png",
        "/media/logos/",
    ],
)
def test_anything_but_a_stored_logo_under_media_is_not_found(client, stored_logo, path):
    assert client.get(path).status_code == 404
