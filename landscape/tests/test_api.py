from decimal import Decimal

import pytest
from drf_spectacular.validation import validate_schema

from core.models import Role
from core.testing import MunicipalityFactory, login, user_with_role
from landscape.models import Organisation

from .factories import (
    ActivityFactory,
    DistrictFactory,
    ExternalFundingFactory,
    FundingFactory,
    NeighbourhoodFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db

ENDPOINTS = ["/api/v1/organisations", "/api/v1/activities", "/api/v1/districts", "/api/v1/fundings"]


@pytest.fixture
def data():
    leiden = MunicipalityFactory(cbs_code="GM0546", name="Leiden")
    haarlem = MunicipalityFactory(cbs_code="GM0392", name="Haarlem")
    district = DistrictFactory(municipality=leiden, cbs_code="WK054601", name="Stevenshof")
    NeighbourhoodFactory(district=district, cbs_code="BU05460101", name="Stevenshof-Noord")
    org = OrganisationFactory(municipality=leiden, name="Buurtkracht", kind=Organisation.Kind.LARGE_WELFARE)
    small = OrganisationFactory(municipality=leiden, name="Samen aan Tafel", kind=Organisation.Kind.VOLUNTEER_ONLY)
    ActivityFactory(organisation=org, title="Jongerenwerk", districts=[district], target_groups=["youth"], reach=300)
    FundingFactory(organisation=org, year=2024)
    FundingFactory(organisation=org, year=2025, amount_granted=Decimal("120000.00"))
    ExternalFundingFactory(organisation=small, year=2025, conditional=True)
    other = OrganisationFactory(municipality=haarlem, name="Haarlems Welzijn")
    FundingFactory(organisation=other, year=2025)
    ActivityFactory(organisation=other, title="Buurtkamer", districts=[DistrictFactory(municipality=haarlem)])
    # A provider representative of the organisation: personal data that must never appear in the public API.
    user_with_role(
        Role.PROVIDER_REPRESENTATIVE, leiden, organisation=org, username="jan.jansen", email="jan@example.nl"
    )
    return {"leiden": leiden, "haarlem": haarlem, "org": org, "small": small, "other": other, "district": district}


def results(client, path, **params):
    response = client.get(path, params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


@pytest.mark.parametrize("path", ENDPOINTS)
def test_endpoints_are_public_and_paginated(client, data, path):
    response = client.get(path, {"pageSize": 1})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert len(body["results"]) == 1
    assert body["count"] >= 2
    assert "pageSize=1" in body["next"] and "page=2" in body["next"]


@pytest.mark.parametrize("path", ENDPOINTS)
def test_municipality_filter_returns_only_that_municipality(client, data, path):
    assert {r["municipality"] for r in results(client, path, municipality="GM0392")} == {"GM0392"}
    assert {r["municipality"] for r in results(client, path, municipality="GM0546")} == {"GM0546"}


@pytest.mark.parametrize("path", ENDPOINTS)
@pytest.mark.parametrize("code", ["GM9999", "Leiden"])
def test_unknown_municipality_code_is_a_field_level_400(client, data, path, code):
    response = client.get(path, {"municipality": code})
    assert response.status_code == 400
    assert "municipality" in response.json()
    assert response.json()["municipality"] == [f"Onbekende gemeentecode: {code}."]


def test_empty_municipality_filter_means_all_municipalities(client, data):
    for path in ENDPOINTS:
        assert {r["municipality"] for r in results(client, path, municipality="")} == {"GM0546", "GM0392"}


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("path", ENDPOINTS)
def test_writes_are_refused(client, data, path, method):
    target = path if method == "post" else f"{path}/{data['org'].pk}"
    response = getattr(client, method)(target, {"name": "Overgenomen"}, content_type="application/json")
    assert response.status_code in (403, 405)
    data["org"].refresh_from_db()
    assert data["org"].name == "Buurtkracht"


@pytest.mark.parametrize("method", ["post", "delete"])
def test_writes_are_refused_even_for_a_superuser(client, data, method):
    admin = user_with_role(Role.ADMINISTRATOR, data["leiden"], is_superuser=True, is_staff=True)
    login(client, admin)
    target = "/api/v1/organisations" if method == "post" else f"/api/v1/organisations/{data['org'].pk}"
    response = getattr(client, method)(target, {"name": "X"}, content_type="application/json")
    assert response.status_code in (403, 405)
    assert Organisation.objects.filter(pk=data["org"].pk, name="Buurtkracht").exists()


def test_trailing_slash_is_not_an_api_path(client, data):
    assert client.get("/api/v1/organisations/").status_code == 404


def test_organisation_detail_and_filters(client, data):
    org = data["org"]
    response = client.get(f"/api/v1/organisations/{org.pk}")
    assert response.status_code == 200
    assert response.json() == {
        "id": org.pk,
        "municipality": "GM0546",
        "name": "Buurtkracht",
        "kvk_number": org.kvk_number,
        "legal_form": "stichting",
        "kind": "large_welfare",
        "paid_staff_fte": "2.50",
        "volunteers": 25,
        "own_income_share": "10.00",
        "first_funded_year": 2015,
        "website": "",
        "description": org.description,
    }
    assert client.get("/api/v1/organisations/999999").status_code == 404
    names = lambda **p: [r["name"] for r in results(client, "/api/v1/organisations", municipality="GM0546", **p)]  # noqa: E731
    assert names(kind="volunteer_only") == ["Samen aan Tafel"]
    assert names(district="WK054601") == ["Buurtkracht"]
    assert names(target_group="youth") == ["Buurtkracht"]
    assert names(q="tafel") == ["Samen aan Tafel"]


def test_bad_filter_values_are_field_level_400s(client, data):
    for path, params, field in [
        ("/api/v1/organisations", {"kind": "bank"}, "kind"),
        ("/api/v1/organisations", {"district": "WK999999"}, "district"),
        ("/api/v1/fundings", {"year": "twintig"}, "year"),
        ("/api/v1/fundings", {"kind": "loan"}, "kind"),
    ]:
        response = client.get(path, params)
        assert response.status_code == 400, (path, params)
        assert field in response.json()


def test_activities_show_codes_of_districts_and_target_groups(client, data):
    (row,) = results(client, "/api/v1/activities", municipality="GM0546")
    assert row["districts"] == ["WK054601"]
    assert row["target_groups"] == ["youth"]
    assert (row["organisation"], row["reach"], row["preventive"]) == (data["org"].pk, 300, True)


def test_districts_show_neighbourhoods_and_counts(client, data):
    (row,) = results(client, "/api/v1/districts", municipality="GM0546")
    assert row["cbs_code"] == "WK054601"
    assert row["neighbourhoods"] == [{"cbs_code": "BU05460101", "name": "Stevenshof-Noord"}]
    assert (row["organisation_count"], row["activity_count"], row["reach"]) == (1, 1, 300)


def test_fundings_filter_by_year_kind_and_conditional(client, data):
    rows = results(client, "/api/v1/fundings", municipality="GM0546", year=2025)
    assert sorted((r["kind"], r["amount_granted"]) for r in rows) == [
        ("external", "15000.00"),
        ("municipal_grant", "120000.00"),
    ]
    (external,) = results(client, "/api/v1/fundings", municipality="GM0546", kind="external")
    assert external["conditional"] is True and external["organisation"] == data["small"].pk
    assert results(client, "/api/v1/fundings", conditional="true") == [external]


def test_no_personal_data_in_public_endpoints(client, data):
    for path in ENDPOINTS:
        text = client.get(path).content.decode()
        for needle in ("jan.jansen", "jan@example.nl", "representative", "username", "email"):
            assert needle not in text, (path, needle)


@pytest.mark.parametrize("path", ENDPOINTS)
def test_list_endpoints_use_a_constant_number_of_queries(client, data, path, django_assert_max_num_queries):
    leiden, district = data["leiden"], data["district"]
    for i in range(30):
        org = OrganisationFactory(municipality=leiden)
        ActivityFactory(organisation=org, districts=[district], target_groups=["youth", "elderly"])
        FundingFactory(organisation=org)
        DistrictFactory(municipality=leiden, cbs_code=f"WK0546{50 + i}")
    with django_assert_max_num_queries(6):
        response = client.get(path, {"municipality": "GM0546", "pageSize": 100})
    assert len(response.json()["results"]) > 30


def test_served_openapi_document_is_valid_and_describes_the_landscape_endpoints(client, data):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)  # raises on an invalid OpenAPI 3 document
    paths = schema["paths"]
    for path in ENDPOINTS:
        assert set(paths[path]) == {"get"}, path
        params = {p["name"] for p in paths[path]["get"]["parameters"]}
        assert {"municipality", "page", "pageSize"} <= params, path
    assert set(paths["/api/v1/organisations/{id}"]) == {"get"}
    assert {"year", "kind", "conditional"} <= {p["name"] for p in paths["/api/v1/fundings"]["get"]["parameters"]}
    assert not any(path.endswith("/") for path in paths)
