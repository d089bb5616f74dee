"""The public landscape pages in headless chromium: a council member's click path, and axe-core (WCAG 2.1 AA)."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from core.testing import MunicipalityFactory
from landscape.models import Organisation

from .factories import ActivityFactory, DistrictFactory, ExternalFundingFactory, FundingFactory, OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    ("overview", "landscape:overview", {}),
    ("organisations", "landscape:organisation_list", {}),
    ("organisations, bad filter", "landscape:organisation_list", {"kind": "bank"}),
    ("activities", "landscape:activity_list", {"district": "WK054601"}),
    ("districts", "landscape:district_table", {}),
]


@pytest.fixture
def leiden():
    m = MunicipalityFactory(cbs_code="GM0546", name="Leiden")
    north = DistrictFactory(municipality=m, cbs_code="WK054601", name="Binnenstad-Noord")
    south = DistrictFactory(municipality=m, cbs_code="WK054602", name="Binnenstad-Zuid")
    small = OrganisationFactory(
        municipality=m, name="Samen aan Tafel", kind=Organisation.Kind.VOLUNTEER_ONLY, first_funded_year=2012
    )
    large = OrganisationFactory(municipality=m, name="Welzijn Leiden", kind=Organisation.Kind.LARGE_WELFARE)
    ActivityFactory(organisation=small, title="Buurtmaaltijd", districts=[south], target_groups=["elderly"])
    ActivityFactory(organisation=large, title="Jongerenwerk", districts=[north, south], target_groups=["youth"])
    FundingFactory(organisation=small, year=2025, amount_granted=Decimal("5000"))
    ExternalFundingFactory(organisation=small, year=2025, amount_granted=Decimal("8000"), conditional=True)
    FundingFactory(organisation=large, year=2025)
    return m


@pytest.mark.parametrize("name, url_name, params", PAGES, ids=[p[0] for p in PAGES])
def test_landscape_page_has_no_wcag_violations(page, leiden, axe_check, name, url_name, params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    response = page.goto(reverse(url_name, args=[leiden.cbs_code]) + (f"?{query}" if query else ""))
    assert response.status == (400 if "bad" in name else 200)
    axe_check(page)


def test_organisation_profile_has_no_wcag_violations(page, leiden, axe_check):
    small = Organisation.objects.get(name="Samen aan Tafel")
    page.goto(reverse("landscape:organisation_detail", args=[leiden.cbs_code, small.pk]))
    axe_check(page)


def test_council_member_filters_organisations_and_opens_a_profile(page, leiden):
    page.goto(reverse("landscape:overview", args=[leiden.cbs_code]))
    page.get_by_role("link", name="Organisaties", exact=True).click()
    page.get_by_label("Soort", exact=True).select_option("volunteer_only")
    page.get_by_role("button", name="Filters toepassen").click()
    expect(page).to_have_url(re.compile(r"kind=volunteer_only"))
    rows = page.locator("tbody tr th a")
    expect(rows).to_have_text(["Samen aan Tafel"])
    rows.first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Samen aan Tafel")
    expect(page.get_by_text("voorwaardelijk", exact=True)).to_be_visible()
