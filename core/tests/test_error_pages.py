"""Error pages 400, 403, 404 and 500 speak Dutch in the site's layout; under /api/ they are JSON (issue #9)."""

import pytest
from django.test import RequestFactory

from core.errors import server_error
from core.models import Role
from core.testing import MunicipalityFactory, login, user_with_role

pytestmark = pytest.mark.django_db


def _in_layout(body):
    return 'class="utrecht-page-header ww-page-header"' in body and 'lang="nl"' in body


def test_404_page_is_dutch_in_the_site_layout(client):
    response = client.get("/bestaat-niet")
    body = response.content.decode()
    assert response.status_code == 404 and _in_layout(body)
    assert "Pagina niet gevonden" in body


def test_403_page_is_dutch_in_the_site_layout(client):
    m = MunicipalityFactory(cbs_code="GM0546", name="Leiden")
    other = MunicipalityFactory(cbs_code="GM0363", name="Amsterdam")
    login(client, user_with_role(Role.POLICY_ADVISOR, other))
    response = client.get(f"/gemeenten/{m.cbs_code}/scenarios/nieuw")
    body = response.content.decode()
    assert response.status_code == 403 and _in_layout(body)
    assert "Geen toegang" in body


def test_400_page_is_dutch_in_the_site_layout(client):
    response = client.get("/gemeenten/%00")
    body = response.content.decode()
    assert response.status_code == 400 and _in_layout(body)
    assert "Ongeldig verzoek" in body


def test_500_page_is_dutch_in_the_site_layout_without_touching_the_database():
    request = RequestFactory().get("/ergens")
    response = server_error(request)
    body = response.content.decode()
    assert response.status_code == 500 and _in_layout(body)
    assert "Er ging iets mis" in body


def test_api_errors_are_json(client):
    response = client.get("/api/v1/activities/0.5")
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert "detail" in response.json()
