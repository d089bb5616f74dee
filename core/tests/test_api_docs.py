"""The front door of the API: /api/v1/ lists the resources, /api/v1/docs documents them offline (no CDN), the OpenAPI
document validates without warnings, has realistic scenario examples and links every list to its detail."""

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_api_root_lists_the_resources_and_the_documentation(client):
    response = client.get("/api/v1/")
    assert response.status_code == 200
    body = response.json()
    assert set(body["resources"]) >= {"organisations", "activities", "districts", "fundings", "scenarios"}
    for resource in body["resources"].values():
        assert resource["href"].startswith("http://testserver/api/v1/") and resource["description"]
    assert body["openapi"].endswith("/api/v1/openapi.json")
    assert body["documentation"].endswith("/api/v1/docs")


def test_api_root_is_read_only(client):
    assert client.post("/api/v1/", {}).status_code == 403


def test_every_resource_of_the_api_root_answers(client):
    for name, resource in client.get("/api/v1/").json()["resources"].items():
        url = resource["href"].removeprefix("http://testserver")
        params = {"municipality": "GM0546"} if name == "scenarios" else {}
        assert client.get(url, params).status_code in (200, 400), name  # 400: unknown municipality, in Dutch


def test_documentation_page_is_served_offline_from_the_sidecar(client):
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'lang="nl"' in page
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and not [s for s in sources if s.startswith(("http:", "https:", "//"))], sources
    assert any("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in s for s in sources)
    assert "<script>" not in page  # the start script comes from ?script (strict CSP)
    script = client.get(reverse("api-docs") + "?script=")
    assert script.status_code == 200 and "/api/v1/openapi.json" in script.content.decode()
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")


def test_footer_links_to_the_readable_documentation_not_the_raw_json(client):
    page = client.get("/").content.decode()
    assert f'href="{reverse("api-docs")}"' in page
    assert 'href="/api/v1/openapi.json"' not in page


def test_favicon_answers_with_a_static_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("img/favicon.svg")
    assert finders.find("img/favicon.svg")


def test_openapi_document_validates_without_warnings(tmp_path):
    """Like `manage.py spectacular --validate --fail-on-warn` in CI: a warning fails the test."""
    out = tmp_path / "openapi.json"
    call_command("spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", "--file", str(out))
    assert json.loads(out.read_text())["openapi"].startswith("3.")


def _schema(client):
    return client.get("/api/v1/openapi.json").json()


def test_every_list_is_linked_to_its_detail(client):
    schema = _schema(client)
    paths = schema["paths"]
    operations = {op["operationId"] for methods in paths.values() for op in methods.values()}
    lists = [p for p in paths if not p.endswith("}") and any(q.startswith(p + "/{") for q in paths)]
    assert {"/api/v1/organisations", "/api/v1/activities", "/api/v1/districts", "/api/v1/fundings"} <= set(lists)
    assert "/api/v1/scenarios" in lists
    for path in lists:
        links = paths[path]["get"]["responses"]["200"]["links"]
        assert links["GetItem"]["operationId"] in operations, path
        assert links["GetItem"]["parameters"]["id"] == "$response.body#/results/0/id", path
    assert paths["/api/v1/ocds/releases"]["get"]["responses"]["200"]["links"]["GetRecord"]["parameters"] == {
        "ocid": "$response.body#/releases/0/ocid"
    }
    assert "GetImpact" in paths["/api/v1/scenarios/{id}"]["get"]["responses"]["200"]["links"]


def test_public_scenario_endpoints_have_realistic_examples(client):
    paths = _schema(client)["paths"]
    for path in ("/api/v1/scenarios", "/api/v1/scenarios/{id}", "/api/v1/scenarios/{id}/impact"):
        examples = paths[path]["get"]["responses"]["200"]["content"]["application/json"]["examples"]
        assert examples, path
        value = next(iter(examples.values()))["value"]
        text = json.dumps(value, ensure_ascii=False)
        assert "GM0546" in text or "scenario" in value, path
        assert "example.org" not in text and "string" not in value, path
    listed = next(
        iter(paths["/api/v1/scenarios"]["get"]["responses"]["200"]["content"]["application/json"]["examples"].values())
    )
    assert listed["value"]["count"] == len(listed["value"]["results"]) == 1
