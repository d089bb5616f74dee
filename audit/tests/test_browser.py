"""The auditor filters the audit log and exports the selection, in headless chromium; axe finds no violation and the
page fits 1280 px without sideways scrolling."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from audit.services import diff, record
from core.models import Role
from core.testing import MunicipalityFactory, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_auditor_filters_and_exports_the_audit_log(page, browser_login, axe_check):
    m = MunicipalityFactory(cbs_code="GM0546", name="Leiden")
    auditor = user_with_role(Role.AUDITOR, m, username="auditor")
    long_title = "Samen Opgroeien in alle wijken van de gemeente, met aandacht voor mantelzorgers " * 3
    record(
        "tenders.update",
        actor="inkoper",
        role="procurement_officer",
        municipality=m,
        summary=diff({"title": "Oud"}, {"title": long_title}),
    )
    record("landscape.import", actor="beleid", role="policy_advisor", municipality=m, summary={"organisations": 12})
    browser_login(page, auditor, next_url=reverse("audit:log"))

    expect(page.get_by_role("heading", name="Auditlog")).to_be_visible()
    table = page.locator("table.ww-audit-table")
    expect(table.get_by_text("Opdracht gewijzigd")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    axe_check(page)

    page.get_by_label("Soort actie").select_option(label="Landschap")
    page.get_by_role("button", name="Filter", exact=True).click()
    page.wait_for_url("**soort=landscape**")
    expect(table.get_by_text("Landschap geïmporteerd")).to_be_visible()
    assert table.get_by_text("Opdracht gewijzigd").count() == 0
    axe_check(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert [r[5] for r in rows[1:]] == ["Landschap geïmporteerd"]

    page.get_by_role("button", name="Keten nu controleren").click()
    expect(page.get_by_test_id("chain-status")).to_contain_text(re.compile(r"^\s*Intact bij de laatste controle"))
    axe_check(page)


def test_public_checkpoints_page_is_accessible(page, axe_check):
    page.goto(reverse("audit:checkpoints"))
    expect(page.get_by_role("heading", name="Ankers van de auditlog")).to_be_visible()
    axe_check(page)
