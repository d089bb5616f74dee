"""Charts on a phone (375 px): the narrow layout has upright labels that do not overlap, Dutch number formats, no
sideways scrolling, and the table beside each chart keeps the figures; axe still finds no WCAG A/AA violation."""

from decimal import Decimal

import pytest
from django.urls import reverse

from continuity import selectors as continuity_selectors
from continuity import services as continuity_services
from continuity.models import Scenario
from core.testing import MunicipalityFactory
from landscape.models import Activity, District, Funding, Organisation, TargetGroup

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Long district names, as in Leiden: the labels that overlapped on a phone.
DISTRICTS = [
    "Binnenstad-Noord",
    "Binnenstad-Zuid",
    "Boerhaavedistrict",
    "Bos- en Gasthuisdistrict",
    "Leiden-Noord",
    "Merenwijkdistrict",
    "Morsdistrict",
    "Roodenburgerdistrict",
    "Stationsdistrict",
    "Stevenshofdistrict",
]

OVERLAPPING_TEXTS = """(chart) => {
  const boxes = Array.from(document.querySelectorAll(`[data-chart="${chart}"] svg text`))
    .filter((t) => t.textContent.trim())
    .map((t) => ({ text: t.textContent, r: t.getBoundingClientRect() }));
  const overlaps = [];
  for (let a = 0; a < boxes.length; a++) {
    for (let b = a + 1; b < boxes.length; b++) {
      const p = boxes[a].r, q = boxes[b].r;
      if (p.left < q.right - 0.5 && q.left < p.right - 0.5 && p.top < q.bottom - 0.5 && q.top < p.bottom - 0.5) {
        overlaps.push([boxes[a].text, boxes[b].text]);
      }
    }
  }
  return { count: boxes.length, overlaps, texts: boxes.map((b) => b.text) };
}"""


def _published_scenario():
    m = MunicipalityFactory(cbs_code="GM9002", name="Smalstad")
    youth = TargetGroup.objects.get_or_create(code="youth", defaults={"name": "Jeugd en jongeren"})[0]
    for i, name in enumerate(DISTRICTS, start=1):
        district = District.objects.create(municipality=m, cbs_code=f"WK9002{i:02d}", name=name)
        org = Organisation.objects.create(
            municipality=m,
            name=f"Stichting Wijkkracht {name}",
            kind=Organisation.Kind.VOLUNTEER_WITH_STAFF,
            paid_staff_fte=Decimal("2.5"),
            volunteers=20 + i,
            first_funded_year=2012,
        )
        activity = Activity.objects.create(
            organisation=org, title=f"Jongerenwerk {name}", reach=100 + i, volunteer_hours=1000, since_year=2014
        )
        activity.districts.set([district])
        activity.target_groups.set([youth])
        Funding.objects.create(
            municipality=m,
            organisation=org,
            activity=activity,
            year=2024,
            kind=Funding.Kind.MUNICIPAL_GRANT,
            source_name="Subsidie welzijn",
            amount_granted=Decimal(450_000 + 25_000 * i),
        )
    scenario = continuity_services.create_scenario(municipality=m, name="Aanbesteding", kind=Scenario.Kind.TENDER)
    continuity_services.store_impact(scenario, continuity_selectors.compute_impact(scenario))
    continuity_services.set_published(scenario, True)
    return scenario


def test_charts_at_375_px_have_no_overlapping_labels_and_dutch_numbers(browser, live_server, axe_check):
    scenario = _published_scenario()
    context = browser.new_context(base_url=live_server.url, locale="nl-NL", viewport={"width": 375, "height": 800})
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto(reverse("continuity:scenario", args=[scenario.municipality.cbs_code, scenario.pk]))
        charts = page.locator("[data-chart]")
        assert charts.count() >= 3
        for i in range(charts.count()):
            chart = charts.nth(i)
            chart.locator("svg").wait_for()
            assert chart.get_attribute("data-layout") == "narrow"
            name = chart.get_attribute("data-chart")
            result = page.evaluate(OVERLAPPING_TEXTS, name)
            assert result["count"] > 5, name
            assert result["overlaps"] == [], (name, result["overlaps"])
        funded = page.evaluate(OVERLAPPING_TEXTS, "chart-lost")["texts"]
        assert "Bos- en Gasthuisdistrict" in funded  # every district label is there, upright
        assert any("." in t and t.replace(".", "").isdigit() and len(t) > 5 for t in funded)  # 200.000, not 200,000
        assert not any("," in t and t.replace(",", "").isdigit() for t in funded)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        assert page.locator("table").count() >= 3  # the figures themselves, beside the charts
        axe_check(page)
    finally:
        context.close()


def test_charts_on_a_desktop_screen_have_no_overlapping_labels_either(page, live_server):
    scenario = _published_scenario()
    page.goto(reverse("continuity:scenario", args=[scenario.municipality.cbs_code, scenario.pk]))
    charts = page.locator("[data-chart]")
    for i in range(charts.count()):
        charts.nth(i).locator("svg").wait_for()
        name = charts.nth(i).get_attribute("data-chart")
        assert page.evaluate(OVERLAPPING_TEXTS, name)["overlaps"] == [], name
