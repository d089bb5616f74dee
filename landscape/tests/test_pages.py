from decimal import Decimal

import pytest
from django.urls import reverse

from core.testing import MunicipalityFactory
from landscape.models import Organisation

from .factories import ActivityFactory, DistrictFactory, ExternalFundingFactory, FundingFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def leiden():
    return MunicipalityFactory(cbs_code="GM0546", name="Leiden")


@pytest.fixture
def landscape(leiden):
    """Two organisations in Leiden, one in another municipality that must never show up."""
    north = DistrictFactory(municipality=leiden, cbs_code="WK054601", name="Stevenshof")
    south = DistrictFactory(municipality=leiden, cbs_code="WK054602", name="Merenwijk")
    buzz = OrganisationFactory(
        municipality=leiden, name="Buurtkracht Leiden", kind=Organisation.Kind.LARGE_WELFARE, volunteers=100
    )
    tafel = OrganisationFactory(
        municipality=leiden,
        name="Samen aan Tafel",
        kind=Organisation.Kind.VOLUNTEER_ONLY,
        volunteers=12,
        description="Maaltijden voor eenzame ouderen",
    )
    ActivityFactory(
        organisation=buzz,
        title="Jongerenwerk",
        districts=[north, south],
        target_groups=["youth"],
        reach=300,
        volunteer_hours=50,
        preventive=True,
    )
    ActivityFactory(
        organisation=tafel,
        title="Buurtmaaltijd",
        districts=[south],
        target_groups=["elderly", "loneliness"],
        reach=40,
        volunteer_hours=900,
        preventive=False,
    )
    FundingFactory(organisation=buzz, year=2024, amount_granted=Decimal("100000"))
    FundingFactory(organisation=buzz, year=2025, amount_granted=Decimal("120000"))
    FundingFactory(organisation=tafel, year=2025, amount_granted=Decimal("5000"))
    ExternalFundingFactory(organisation=tafel, year=2025, amount_granted=Decimal("8000"), conditional=True)
    ExternalFundingFactory(organisation=tafel, year=2025, amount_granted=Decimal("2000"), source_name="Lokaal fonds")
    elsewhere = OrganisationFactory(name="Elders Welzijn", municipality=MunicipalityFactory(cbs_code="GM0392"))
    FundingFactory(organisation=elsewhere, year=2026, amount_granted=Decimal("999999"))
    ActivityFactory(organisation=elsewhere, title="Elders actief", reach=5000)
    return {"north": north, "south": south, "buzz": buzz, "tafel": tafel, "elsewhere": elsewhere}


def url(name, *args):
    return reverse(f"landscape:{name}", args=["GM0546", *args])


def test_overview_shows_totals_of_the_latest_year_by_default(client, landscape):
    response = client.get(url("overview"))
    assert response.status_code == 200
    totals = response.context["totals"]
    assert totals["year"] == 2025
    assert (totals["organisations"], totals["volunteers"], totals["activities"], totals["reach"]) == (2, 112, 2, 340)
    assert totals["grants"] == Decimal("125000")
    assert totals["co_funding"] == Decimal("10000")
    assert totals["conditional_co_funding"] == Decimal("8000")
    assert "Voorwaardelijk" in response.content.decode() or "voorwaardelijk" in response.content.decode()


def test_overview_shows_a_chosen_year(client, landscape):
    totals = client.get(url("overview"), {"jaar": "2024"}).context["totals"]
    assert (totals["year"], totals["grants"], totals["co_funding"]) == (2024, Decimal("100000"), Decimal("0"))


@pytest.mark.parametrize("year", ["abc", "2031", "2026"])
def test_overview_with_an_unknown_year_is_a_400_with_a_dutch_message(client, landscape, year):
    response = client.get(url("overview"), {"jaar": year})
    assert response.status_code == 400
    assert "Er zijn geen financieringscijfers voor het jaar" in response.content.decode()


def test_overview_of_an_empty_municipality_shows_zeroes(client, leiden):
    response = client.get(url("overview"))
    assert response.status_code == 200
    assert response.context["totals"]["organisations"] == 0
    assert response.context["totals"]["year"] is None


def test_overview_per_district_counts_an_activity_in_every_district_it_serves(client, landscape):
    districts = {d.cbs_code: d for d in client.get(url("overview")).context["districts"]}
    north, south = districts["WK054601"], districts["WK054602"]
    assert (north.organisation_count, north.activity_count, north.reach, north.volunteer_hours) == (1, 1, 300, 50)
    assert (south.organisation_count, south.activity_count, south.reach, south.volunteer_hours) == (2, 2, 340, 950)
    assert (north.preventive_count, south.preventive_count) == (1, 1)


def test_municipality_nav_links_to_the_landscape_pages(client, landscape):
    html = client.get(url("organisation_list")).content.decode()
    for name in ("organisation_list", "activity_list", "district_table"):
        assert f'href="{url(name)}"' in html
    assert f'href="{url("organisation_list")}" aria-current="page"' in html


# --- organisations ---------------------------------------------------------------------------------------------


def names(response):
    return [o.name for o in response.context["page"]]


def test_organisation_list_shows_only_this_municipality(client, landscape):
    response = client.get(url("organisation_list"))
    assert response.status_code == 200
    assert names(response) == ["Buurtkracht Leiden", "Samen aan Tafel"]
    buzz = response.context["page"][0]
    assert (buzz.activity_count, buzz.reach, buzz.grant) == (1, 300, Decimal("120000"))


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"kind": "volunteer_only"}, ["Samen aan Tafel"]),
        ({"district": "WK054601"}, ["Buurtkracht Leiden"]),
        ({"district": "WK054602"}, ["Buurtkracht Leiden", "Samen aan Tafel"]),
        ({"target_group": "elderly"}, ["Samen aan Tafel"]),
        ({"preventive": "true"}, ["Buurtkracht Leiden"]),
        ({"preventive": "false"}, ["Samen aan Tafel"]),
        ({"q": "EENZAME"}, ["Samen aan Tafel"]),
        ({"q": "kracht"}, ["Buurtkracht Leiden"]),
        ({"q": "Elders"}, []),
    ],
)
def test_organisation_list_filters(client, landscape, params, expected):
    response = client.get(url("organisation_list"), params)
    assert response.status_code == 200
    assert names(response) == expected


def test_organisation_filter_by_district_keeps_the_sums_per_organisation(client, landscape):
    (buzz,) = client.get(url("organisation_list"), {"district": "WK054601"}).context["page"]
    assert (buzz.activity_count, buzz.reach) == (1, 300)


@pytest.mark.parametrize(
    "params, message",
    [
        ({"kind": "bank"}, "Selecteer een geldige keuze"),
        ({"district": "WK039201"}, "Selecteer een geldige keuze"),
        ({"target_group": "nobody"}, "Selecteer een geldige keuze"),
    ],
)
def test_organisation_list_with_bad_filters_is_a_400_with_the_error_at_the_field(client, landscape, params, message):
    response = client.get(url("organisation_list"), params)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert response.context["page"] is None


def test_organisation_list_does_not_offer_districts_of_another_municipality(client, landscape):
    DistrictFactory(municipality=landscape["elsewhere"].municipality, cbs_code="WK039201", name="Haarlem-Noord")
    html = client.get(url("organisation_list")).content.decode()
    assert "Stevenshof" in html
    assert "Haarlem-Noord" not in html


def test_organisation_list_is_paginated_with_a_constant_number_of_queries(
    client, leiden, django_assert_max_num_queries
):
    district = DistrictFactory(municipality=leiden)
    for i in range(60):
        org = OrganisationFactory(municipality=leiden, name=f"Organisatie {i:02d}")
        ActivityFactory(organisation=org, districts=[district], target_groups=["youth"])
        FundingFactory(organisation=org)
    with django_assert_max_num_queries(8):
        response = client.get(url("organisation_list"), {"pagina": "3"})
    assert names(response) == [f"Organisatie {i:02d}" for i in range(50, 60)]
    assert (response.context["page"].number, response.context["page"].paginator.num_pages) == (3, 3)
    assert 'rel="prev"' in response.content.decode()


def test_organisation_profile_shows_what_council_members_should_see(client, landscape):
    tafel = landscape["tafel"]
    tafel.first_funded_year = 2019
    tafel.website = "https://samenaantafel.example"
    tafel.save()
    response = client.get(url("organisation_detail", tafel.pk))
    assert response.status_code == 200
    ctx = response.context
    assert (ctx["reach"], ctx["volunteer_hours"]) == (40, 900)
    assert [d.name for d in ctx["districts"]] == ["Merenwijk"]
    assert [a.title for a in ctx["activities"]] == ["Buurtmaaltijd"]
    assert ctx["funding_history"] == [
        {
            "year": 2025,
            "grants": Decimal("5000"),
            "co_funding": Decimal("10000"),
            "conditional_co_funding": Decimal("8000"),
        }
    ]
    assert ctx["years_funded"] is not None and ctx["years_funded"] >= 8
    html = response.content.decode()
    assert "Vrijwilligersorganisatie zonder betaalde krachten" in html or tafel.get_kind_display() in html
    assert tafel.kvk_number in html
    assert "voorwaardelijk" in html
    assert "https://samenaantafel.example" in html


def test_organisation_profile_of_another_municipality_is_404(client, landscape):
    assert client.get(url("organisation_detail", landscape["elsewhere"].pk)).status_code == 404


def test_organisation_profile_query_count_does_not_grow_with_activities(client, leiden, django_assert_max_num_queries):
    org = OrganisationFactory(municipality=leiden)
    districts = [DistrictFactory(municipality=leiden) for _ in range(3)]
    for i in range(30):
        activity = ActivityFactory(organisation=org, districts=districts, target_groups=["youth", "elderly"])
        FundingFactory(organisation=org, activity=activity, year=2000 + i)
    with django_assert_max_num_queries(10):  # 9 + the page version (core.page_cache)
        response = client.get(url("organisation_detail", org.pk))
    assert len(response.context["activities"]) == 30
    assert len(response.context["funding_history"]) == 30


# --- activities and districts ---------------------------------------------------------------------------------


def titles(response):
    return [a.title for a in response.context["page"]]


@pytest.mark.parametrize(
    "params, expected",
    [
        ({}, ["Buurtmaaltijd", "Jongerenwerk"]),
        ({"district": "WK054601"}, ["Jongerenwerk"]),
        ({"target_group": "loneliness"}, ["Buurtmaaltijd"]),
        ({"preventive": "true"}, ["Jongerenwerk"]),
        ({"organisation_kind": "large_welfare"}, ["Jongerenwerk"]),
        ({"q": "maaltijd"}, ["Buurtmaaltijd"]),
    ],
)
def test_activity_list_filters(client, landscape, params, expected):
    response = client.get(url("activity_list"), params)
    assert response.status_code == 200
    assert titles(response) == expected


def test_activity_list_with_a_bad_filter_is_a_400(client, landscape):
    assert client.get(url("activity_list"), {"organisation_kind": "x"}).status_code == 400


def test_activity_list_query_count_does_not_grow_with_rows(client, leiden, django_assert_max_num_queries):
    districts = [DistrictFactory(municipality=leiden) for _ in range(3)]
    org = OrganisationFactory(municipality=leiden)
    for _ in range(40):
        ActivityFactory(organisation=org, districts=districts, target_groups=["youth", "families"])
    with django_assert_max_num_queries(8):
        response = client.get(url("activity_list"))
    assert len(response.context["page"]) == 25
    assert response.content.decode().count(districts[0].name) >= 25


def test_district_table_shows_target_group_coverage_per_district(client, landscape):
    response = client.get(url("district_table"))
    assert response.status_code == 200
    groups = [g.code for g in response.context["target_groups"]]
    coverage = {
        row["district"].cbs_code: dict(zip(groups, row["counts"], strict=True)) for row in response.context["coverage"]
    }
    assert coverage["WK054601"]["youth"] == 1
    assert coverage["WK054601"]["elderly"] == 0
    assert coverage["WK054602"] | {} == coverage["WK054602"]
    assert (coverage["WK054602"]["youth"], coverage["WK054602"]["elderly"], coverage["WK054602"]["loneliness"]) == (
        1,
        1,
        1,
    )
    assert coverage["WK054602"]["newcomers"] == 0


def test_district_table_query_count_is_constant(client, leiden, django_assert_max_num_queries):
    districts = [DistrictFactory(municipality=leiden) for _ in range(10)]
    for i in range(20):
        ActivityFactory(organisation__municipality=leiden, districts=districts[i % 10 :], target_groups=["youth"])
    with django_assert_max_num_queries(6):
        response = client.get(url("district_table"))
    assert len(response.context["coverage"]) == 10
