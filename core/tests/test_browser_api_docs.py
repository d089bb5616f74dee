"""The API documentation page in a real browser: Swagger UI renders from the sidecar's static files with every
request to the test server itself (offline, no CDN), and axe finds no WCAG 2.1 A/AA violation."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from core.testing import MunicipalityFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_api_documentation_renders_offline_and_passes_axe(page, live_server, axe_check):
    MunicipalityFactory(cbs_code="GM0546", name="Leiden")
    own = urlsplit(live_server.url).netloc
    elsewhere = []
    page.on("request", lambda r: elsewhere.append(r.url) if urlsplit(r.url).netloc not in (own, "") else None)
    page.route(
        lambda url: urlsplit(url).netloc not in (own, ""),  # nothing may leave the machine
        lambda route: route.abort(),
    )
    page.goto(reverse("api-docs"))
    page.locator(".swagger-ui .info .title").wait_for()
    page.locator(".opblock-summary-path", has_text="/api/v1/organisations").first.wait_for()
    assert "wijkwaarde API" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.locator(".opblock-summary-path", has_text="/api/v1/scenarios").count() >= 1
    assert elsewhere == []
    axe_check(page)


def test_footer_leads_to_the_api_documentation(page, live_server):
    page.goto(reverse("core:home"))
    page.get_by_role("link", name="Open data (API)").click()
    page.wait_for_url(f"**{reverse('api-docs')}")
    page.locator(".swagger-ui .info .title").wait_for()
