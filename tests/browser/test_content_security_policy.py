"""Under the Content-Security-Policy the pages, htmx, the charts and the API docs still work."""

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from puente.partnerships.demo import DEMO_PASSWORD
from puente.partnerships.models import Partnership
from puente.stakeholders.models import Organisation

# Every CSP violation on the page, reported by the browser itself.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.fixture
def watched(page: Any) -> tuple[Any, list[str]]:
    """Give the tab and the list of its console errors and policy violations so far."""
    problems: list[str] = []
    page.add_init_script(RECORD_VIOLATIONS)

    def on_console(message: Any) -> None:
        # A 404 page reports its own status as a failed load; that is no policy matter.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            problems.append(f"console {message.type}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    return page, problems


def _violations(tab: Any) -> list[str]:
    return list(tab.evaluate("window.__cspViolations || []"))


def _log_in(tab: Any, email: str) -> None:
    tab.goto("/accounts/login/")
    tab.locator("#id_login").fill(email)
    tab.locator("#id_password").fill(DEMO_PASSWORD)
    tab.locator("main form button[type=submit]").first.click()
    tab.wait_for_load_state()


def _paths() -> list[str]:
    organisation = Organisation.objects.order_by("name").first()
    assert organisation is not None
    partnership = Partnership.objects.get(slug="eu-lac-digital-alliance")
    return [
        "/",
        "/organisations/",
        organisation.get_absolute_url(),
        "/partnerships/",
        partnership.get_absolute_url(),
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/privacy/",
        "/no-such-page/",
    ]


def test_the_main_pages_load_with_no_policy_violation(watched):
    tab, problems = watched
    for path in _paths():
        response = tab.goto(path)
        assert response is not None
        assert "'unsafe-inline'" not in response.headers["content-security-policy"]
        tab.wait_for_load_state("networkidle")
        assert _violations(tab) == [], path
    assert problems == []


def test_the_signed_in_pages_load_with_no_policy_violation(watched):
    tab, problems = watched
    _log_in(tab, "orgadmin@demo.puente.example")
    organisation = Organisation.objects.get(
        memberships__person__email="orgadmin@demo.puente.example"
    )
    for path in [
        "/me/",
        "/organisations/mine/",
        organisation.get_absolute_url() + "members/",
        organisation.get_absolute_url() + "edit/",
        "/accounts/email/",
        "/accounts/password/change/",
    ]:
        tab.goto(path)
        tab.wait_for_load_state("networkidle")
        assert _violations(tab) == [], path
    assert problems == []


def test_the_directory_filters_through_htmx_under_the_policy(watched):
    tab, problems = watched
    tab.goto("/organisations/")
    expected = Organisation.objects.filter(region="LAC").count()
    results = tab.locator("#organisation-results h3 a")
    # Ticking the box filters at once (hx-trigger "change"); waiting for that swap keeps the
    # button's request from replacing one still in flight (hx-sync), which htmx logs.
    tab.get_by_label("Latin America and the Caribbean").check()
    expect(tab).to_have_url(re.compile("region=LAC"))
    tab.get_by_role("button", name="Show organisations").click()
    tab.wait_for_load_state("networkidle")
    expect(results).to_have_count(min(expected, 20))
    assert "region=LAC" in tab.url
    # The swap came through htmx (no full page load): htmx marked the request on the results.
    assert tab.evaluate("typeof htmx") == "object"
    assert tab.evaluate("htmx.config.includeIndicatorStyles") is False
    assert _violations(tab) == []
    assert problems == []


def test_the_partnership_chart_renders_under_the_policy(watched):
    tab, problems = watched
    tab.goto(Partnership.objects.get(slug="eu-lac-digital-alliance").get_absolute_url())
    chart = tab.locator("figure.chart svg").first
    expect(chart).to_be_visible()
    assert chart.bounding_box()["width"] > 100
    assert tab.locator("figure.chart svg rect").count() > 0
    assert _violations(tab) == []
    assert problems == []


@pytest.mark.parametrize(
    ("path", "ready"),
    [("/api/v1/docs/", ".swagger-ui .opblock"), ("/api/v1/redoc/", ".api-content h2")],
)
def test_the_api_docs_render_under_their_policy(watched, path, ready):
    tab, problems = watched
    tab.goto(path)
    expect(tab.locator(ready).first).to_be_visible(timeout=30_000)
    expect(tab.get_by_text("Puente API").first).to_be_visible()
    tab.wait_for_load_state("networkidle")
    # Redoc's bundle asks for its makers' logo from their CDN; core/api_docs.js drops that
    # address before the browser tries it, so the policy has nothing left to refuse.
    assert _violations(tab) == []
    assert problems == []


def test_swagger_try_it_out_writes_with_the_session_and_the_csrf_token_of_the_page(watched):
    tab, problems = watched
    email = "orgadmin@demo.puente.example"
    other = Organisation.objects.exclude(memberships__person__email=email).order_by("name").first()
    assert other is not None
    _log_in(tab, email)
    tab.goto("/api/v1/docs/")
    summary = tab.locator(".opblock-post .opblock-summary-path[data-path='/api/v1/memberships/']")
    # Swagger UI draws the operations as the page scrolls down to them.
    for _ in range(60):
        if summary.count():
            break
        tab.mouse.wheel(0, 1500)
        tab.wait_for_timeout(100)
    summary.click()
    operation = tab.locator(".opblock-post.is-open")
    operation.get_by_role("button", name="Try it out").click()
    operation.locator("textarea.body-param__text").fill(f'{{"organisation": "{other.slug}"}}')
    operation.get_by_role("button", name="Execute").click()
    status = operation.locator(".live-responses-table tbody .response-col_status").first
    expect(status).to_have_text("201", timeout=15_000)
    assert other.memberships.filter(person__email=email).exists()
    assert problems == []


def test_the_browsable_api_and_the_admin_log_in_load_with_no_policy_violation(watched):
    tab, problems = watched
    for path in ["/api/v1/organisations/", "/api/v1/partnerships/", "/admin/login/"]:
        tab.goto(path)
        tab.wait_for_load_state("networkidle")
        assert _violations(tab) == [], path
    assert problems == []
