"""In headless chromium: impossible dates and a term of 0 years in the commissioning form are reported all at once,
in Dutch, next to their fields (no constraint names); a deadline in the past likewise. axe finds no violation."""

import pytest
from django.urls import reverse

from core.testing import MunicipalityFactory
from tenders.models import Commissioning

from .factories import draft, officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_impossible_dates_show_in_dutch_next_to_their_fields_at_once(page, browser_login, axe_check):
    m = MunicipalityFactory(cbs_code="GM0546", name="Leiden")
    user = officer(m)
    browser_login(page, user, next_url=reverse("tenders:create", args=[m.cbs_code]))
    page.fill("#id_title", "Samen Meedoen")
    page.fill("#id_goals", "Iedereen doet mee.")
    page.select_option("#id_route", "open")
    page.select_option("#id_main_cpv", label="85310000-5 Maatschappelijk werk")
    page.fill("#id_contract_start", "2020-03-01")  # always in the past, whenever this test runs
    page.fill("#id_term_years", "0")
    page.fill("#id_option_count", "0")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    start_error = page.locator("#id_contract_start_error0")
    term_error = page.locator("#id_term_years_error0")
    assert "Het contract kan niet vandaag of in het verleden beginnen" in start_error.inner_text()
    assert term_error.inner_text() == "De initiële looptijd is ten minste één jaar."
    # The errors are tied to their fields for screen readers.
    assert "id_contract_start_error0" in page.locator("#id_contract_start").get_attribute("aria-describedby")
    assert page.locator("#id_contract_start").get_attribute("aria-invalid") == "true"
    assert "commissioning_" not in page.content()
    assert not Commissioning.objects.exists()
    axe_check(page)


def test_a_deadline_in_the_past_is_refused_in_dutch(page, browser_login, axe_check):
    m = MunicipalityFactory(cbs_code="GM0546", name="Leiden")
    user = officer(m)
    c = draft(m, user)
    browser_login(page, user, next_url=reverse("tenders:manage", args=[m.cbs_code, c.pk]))
    form = page.locator("form[action$='/beheer/termijnen']").first
    details = page.locator("details:has(form[action$='/beheer/termijnen'])")
    if details.count() and not details.first.evaluate("d => d.open"):
        details.first.locator("summary").click()
    form.locator("select[name='deadline-kind']").select_option("questions")
    form.locator("input[name='deadline-at']").fill("2021-03-01T12:00")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    error = page.locator("#id_deadline-at_error0")
    assert error.inner_text().startswith("Een termijn kan niet in het verleden liggen")
    assert not c.deadlines.exists()
    axe_check(page)


def test_an_empty_required_textarea_looks_invalid_only_once_the_server_refused_it(page, browser_login):
    """Utrecht's CSS marks a required textarea invalid while nobody has typed in it yet (static/css/wijkwaarde.css)."""
    m = MunicipalityFactory(cbs_code="GM0546", name="Leiden")
    browser_login(page, officer(m), next_url=reverse("tenders:create", args=[m.cbs_code]))

    def background(selector):
        return page.locator(selector).evaluate("el => getComputedStyle(el).backgroundColor")

    assert page.locator("#id_goals").get_attribute("required") is not None
    assert background("#id_goals") == background("#id_selection_criteria")  # required and optional, both empty
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#id_goals").get_attribute("aria-invalid") == "true"
    assert background("#id_goals") != background("#id_selection_criteria")
