"""Monitoring in headless chromium: the contractor finds its contract from "Mijn inschrijvingen", reports a KPI
(a Dutch decimal, a refused empty value first) and what it paid its subcontractor, the subcontractor disputes that
amount, and the municipality's contract manager reads the same figures and the dispute on the contract page. axe-core
finds no WCAG 2.1 A/AA violation on any of these pages."""

import os
import tempfile
from datetime import date
from pathlib import Path

import pytest
import time_machine
from django.urls import reverse
from playwright.sync_api import expect

from contracts.models import KPIMeasurement
from core.models import Role
from core.testing import user_with_role

from .conftest import START, at

SHOTS = Path(os.environ.get("SCREENSHOT_DIR", tempfile.gettempdir())) / "wijkwaarde-shots"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_contractor_and_subcontractor_report_and_the_contract_manager_reads_it(
    subcontracted, page, browser, live_server, browser_login, axe_check
):
    contract = subcontracted
    SHOTS.mkdir(parents=True, exist_ok=True)
    with time_machine.travel(at(date(2028, 2, 10)), tick=True):
        browser_login(page, contract.contractor, next_url=reverse("bids:my_submissions"))
        page.get_by_role("link", name="Mijn overeenkomsten").click()
        page.get_by_role("link", name=f"{contract.commissioning.title} · {contract.lot}").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Rapporteren over de KPI's")
        axe_check(page)

        yearly = page.locator("section", has=page.get_by_role("heading", name="Ouders tevreden"))
        expect(yearly.get_by_label("Periode")).to_have_value(START.isoformat())  # the only ended year
        yearly.get_by_role("button", name="“Ouders tevreden” rapporteren").click()
        expect(yearly.get_by_text("Dit veld is vereist.")).to_be_visible()
        assert not KPIMeasurement.objects.exists()

        yearly.get_by_label("Waarde").fill("81,5")
        yearly.get_by_label("Toelichting (niet verplicht)").fill("Enquête onder 212 ouders")
        yearly.get_by_role("button", name="“Ouders tevreden” rapporteren").click()
        expect(page.get_by_text("Uw rapportage over “Ouders tevreden” is opgeslagen.")).to_be_visible()
        row = page.locator(f"#monitoring-{contract.yearly.pk} tbody tr").first
        expect(row).to_contain_text("81,50 %")
        expect(row).to_contain_text("Gerapporteerd")
        axe_check(page)

        # What it paid its subcontractor in the first contract year (less than promised).
        sub = page.locator("section", has=page.get_by_role("heading", name="Stichting Huisbezoek 75+"))
        sub.get_by_label("Betaald bedrag (€)").fill("20.000")
        sub.get_by_role("button", name="Betaling aan Stichting Huisbezoek 75+ melden").click()
        expect(page.get_by_text("De betaling aan Stichting Huisbezoek 75+ is opgeslagen.")).to_be_visible()
        expect(page.locator(f"#payments-{contract.commitment.pk} tbody tr").first).to_contain_text(
            "€ 4.000,00 minder dan toegezegd"
        )
        axe_check(page)
        page.screenshot(path=str(SHOTS / "monitoring-contractor.png"), full_page=True)

        # The subcontractor disputes the amount.
        small = browser.new_context(base_url=live_server.url, locale="nl-NL").new_page()
        browser_login(small, contract.subcontractor, next_url=reverse("contracts:commitments"))
        expect(small.get_by_text("De opdrachtnemer meldt dat hij € 20.000,00 betaalde.")).to_be_visible()
        small.get_by_label("Nee, dat klopt niet").check()
        small.get_by_label("Zo niet: wat klopt er niet").fill("Wij ontvingen € 18.000")
        small.get_by_role("button", name="Antwoorden voor jaar 1").click()
        expect(small.get_by_text("U hebt dit betwist: Wij ontvingen € 18.000")).to_be_visible()
        axe_check(small)
        small.screenshot(path=str(SHOTS / "monitoring-subcontractor.png"), full_page=True)
        small.context.close()

        manager = browser.new_context(base_url=live_server.url, locale="nl-NL").new_page()
        browser_login(manager, user_with_role(Role.CONTRACT_MANAGER, contract.w.m),
                      next_url=reverse("contracts:detail", args=["GM0546", contract.pk]))  # fmt: skip
        expect(manager.get_by_role("heading", name="Monitoring")).to_be_visible()
        own_row = manager.locator(f"#monitoring-{contract.yearly.pk} tbody tr").first
        expect(own_row).to_contain_text("81,50 %")
        expect(own_row).to_contain_text("Enquête onder 212 ouders")
        expect(manager.locator(f"#monitoring-{contract.half_yearly.pk} tbody tr").first).to_contain_text("Te laat")
        disputed = manager.locator(f"#payments-{contract.commitment.pk} tbody tr").first
        expect(disputed).to_contain_text("Betwist door de onderaannemer")
        expect(disputed).to_contain_text("Onderaannemer: Wij ontvingen € 18.000")
        axe_check(manager)
        manager.screenshot(path=str(SHOTS / "monitoring-contract-manager.png"), full_page=True)
        manager.context.close()
    assert KPIMeasurement.objects.get().value == 81.5
