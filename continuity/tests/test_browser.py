"""The main flow in headless chromium: build a scenario, compute it, see charts with tables, no WCAG violations."""

import pytest
from django.urls import reverse

from continuity.models import Scenario
from core.models import Role
from core.testing import user_with_role

from . import landscape_fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_policy_advisor_builds_computes_and_reads_a_scenario(page, browser_login, axe_check):
    m, org, act, _ = landscape_fixture.build()
    advisor = user_with_role(Role.POLICY_ADVISOR, m)
    browser_login(page, advisor, next_url=reverse("continuity:create", args=[m.cbs_code]))
    page.fill("#id_name", "Twee percelen")
    page.select_option("#id_kind", Scenario.Kind.TENDER)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/activiteiten")
    page.check(f"#act-{act['a1'].pk}")
    page.check(f"#act-{act['b1'].pk}")
    page.select_option("#id_outcome", "transfers")
    page.fill("#id_lot", "Samen Meedoen")
    page.fill("#id_winner", "Incluzio")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url("**/activiteiten")
    axe_check(page)
    page.get_by_role("link", name="Terug naar het scenario").click()
    page.get_by_role("button", name="Effecten berekenen").click()
    page.get_by_role("progressbar", name="Voortgang: Klaar").wait_for()  # the job ran (synchronously in tests)
    page.get_by_role("link", name="Bekijk het resultaat").click()
    page.wait_for_selector("[data-chart='chart-funded'] svg")
    assert page.locator("table").count() >= 5
    assert "€ 135.000" in page.content()  # everything is lost by the current organisations: a1, b1 move, rest ends
    axe_check(page)
