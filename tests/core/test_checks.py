import pytest

from puente.core.checks import site_url_check


@pytest.mark.parametrize(
    "site_url", ["http://127.0.0.1:8000", "https://puente.example.org", "https://x.example/puente"]
)
def test_an_absolute_http_site_url_passes(settings, site_url):
    settings.SITE_URL = site_url
    assert site_url_check(None) == []


@pytest.mark.parametrize(
    "site_url", ["", "puente.example.org", "/puente", "ftp://puente.example.org", "https://x/?a=b"]
)
def test_any_other_site_url_is_error_e001(settings, site_url):
    settings.SITE_URL = site_url
    (error,) = site_url_check(None)
    assert error.id == "puente.E001"
