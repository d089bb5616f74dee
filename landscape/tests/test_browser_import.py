"""A policy advisor imports the landscape template through the UI in headless chromium: log in with TOTP, download
the template, fill it in, upload it, watch the check, read the preview, confirm, watch the import, read the result,
find the organisations on the public list. axe-core (WCAG 2.1 AA) on the upload, preview and result pages.

The jobs run as in production (the database task queue): they wait in the queue, so the progress page is seen, until the
test plays the worker (`run_worker --batch`); the polling page then reloads on the preview or result by itself.
"""

import io
import os
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from core.models import Job, Role
from core.testing import MunicipalityFactory, user_with_role
from landscape import services
from landscape.models import Funding

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "/tmp/shots-imports"))


@pytest.fixture
def shot(page):
    SHOTS.mkdir(parents=True, exist_ok=True)

    def take(name):
        page.screenshot(path=str(SHOTS / f"import-{name}.png"), full_page=True)

    return take


def fill_in(template: bytes) -> bytes:
    """The downloaded template with two organisations of our own added, as a policy advisor would type them."""
    workbook = openpyxl.load_workbook(io.BytesIO(template))
    workbook["organisaties"].append(["Buurtvereniging De Kooi", "23456789", "vereniging", "vrijwilligersorganisatie"])
    workbook["organisaties"].append(["Stichting Vrolijk Oost", "", "stichting", "sociale onderneming"])
    headers = [c.value for c in workbook["activiteiten"][1]]
    for org, title in [("Buurtvereniging De Kooi", "Buurtmaaltijd"), ("Stichting Vrolijk Oost", "Repair café")]:
        row = {"Organisatie": org, "Titel": title, "Wijken": "WK054601", "Bereik (deelnemers per jaar)": 80}
        workbook["activiteiten"].append([row.get(h) for h in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run_queued_job(kind):
    assert Job.objects.get(kind=kind).status == Job.Status.QUEUED
    call_command("run_worker", "--batch", "--no-startup-delay", stdout=io.StringIO())


def test_policy_advisor_imports_the_template_through_the_ui(page, browser_login, axe_check, shot, settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    leiden = MunicipalityFactory(cbs_code="GM0546", name="Leiden")
    services.upsert_district(leiden, cbs_code="WK054601", name="Binnenstad-Zuid")
    upload_url = reverse("landscape:import_upload", args=["GM0546"])
    browser_login(page, user_with_role(Role.POLICY_ADVISOR, leiden), next_url=upload_url)
    assert page.get_by_role("heading", level=1).inner_text() == "Inlezen in het register van de sociale basis"
    axe_check(page)
    shot("1-upload")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download het sjabloon (Excel)").click()
    assert download.value.suggested_filename == "importsjabloon-GM0546.xlsx"
    filled = tmp_path / "landschap.xlsx"
    filled.write_bytes(fill_in(Path(download.value.path()).read_bytes()))

    page.get_by_label("Bestand(en)").set_input_files(str(filled))
    page.get_by_role("button", name="Bestand controleren").click()
    # The check waits for the worker: the page shows the (indeterminate) progress bar and polls.
    expect(page.get_by_role("heading", level=1)).to_have_text("Controleer voordat u inleest")
    expect(page.locator("progress")).to_be_visible()
    axe_check(page)
    shot("2-checking")
    run_queued_job("landscape.import_check")
    page.get_by_role("button", name="Nu inlezen").wait_for()  # the page reloaded itself on the preview
    counts = page.get_by_role("table", name="Wat de import gaat veranderen")
    assert "Organisaties" in counts.inner_text() and "3" in counts.inner_text()
    axe_check(page)
    shot("3-preview")

    page.get_by_role("button", name="Nu inlezen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Importeren")
    expect(page.locator("progress")).to_be_visible()
    shot("4-importing")
    run_queued_job("landscape.import")
    page.get_by_text("De import is klaar.").wait_for()
    axe_check(page)
    shot("5-result")

    page.goto(reverse("landscape:organisation_list", args=["GM0546"]))
    names = page.locator("tbody tr th a").all_inner_texts()
    assert names == ["Buurtvereniging De Kooi", "Stichting Buurtkracht", "Stichting Vrolijk Oost"]
    shot("6-organisations")


def test_grant_register_import_links_to_the_organisations_that_need_review(
    page, browser_login, axe_check, shot, tmp_path
):
    """Synchronous jobs (the test default): the upload lands on the finished check, the confirmation on the result."""
    leiden = MunicipalityFactory(cbs_code="GM0546", name="Leiden")
    services.upsert_organisation(leiden, name="Stichting Bekend", kind="large_welfare")
    register = tmp_path / "subsidieregister-2024.csv"
    register.write_text(
        "Aanvrager;Regelingnaam;Subsidiejaar;Verleend bedrag\n"
        "Stichting Bekend;Welzijn;2024;€ 90.000,00\n"
        "Vereniging Nieuw Licht;Buurtinitiatieven;2024;€ 2.500,00\n",
        encoding="utf-8",
    )
    browser_login(
        page, user_with_role(Role.POLICY_ADVISOR, leiden), next_url=reverse("landscape:import_upload", args=["GM0546"])
    )
    page.get_by_label("Een subsidieregister zoals de gemeente het publiceert").check()
    page.get_by_label("Bestand(en)").set_input_files(str(register))
    page.get_by_role("button", name="Bestand controleren").click()
    page.get_by_role("button", name="Nu inlezen").click()
    page.get_by_text("De import is klaar.").wait_for()
    shot("7-grants-result")
    page.get_by_role("link", name="Organisaties die nog gecontroleerd moeten worden").click()
    expect(page.locator("tbody tr th a")).to_have_text(["Vereniging Nieuw Licht"])
    expect(page.locator("tbody .utrecht-status-badge")).to_have_text("Nog te controleren")
    axe_check(page)
    shot("8-needs-review-list")
    page.get_by_role("link", name="Vereniging Nieuw Licht").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vereniging Nieuw Licht")
    expect(page.get_by_text("Nog te controleren", exact=True)).to_be_visible()
    axe_check(page)
    shot("9-needs-review-profile")


def test_policy_advisor_maps_the_columns_of_an_unknown_register_in_the_preview(
    page, browser_login, axe_check, shot, tmp_path
):
    """A register without a scheme column: the preview names the missing field, the advisor maps "Omschrijving" to
    the scheme, ignores "Taakveld", chooses the settled amount, checks again and imports."""
    leiden = MunicipalityFactory(cbs_code="GM0546", name="Leiden")
    register = tmp_path / "subsidieregister.csv"
    register.write_bytes(
        "Subsidieontvanger,Omschrijving,Taakveld,Beschikt bedrag,Vastgesteld,Jaar\r\n"
        "Stichting Buurtkracht,Buurthuis,6.1 Samenkracht,€ 20.000,€ 18.000,2024\r\n"
        "Café de Wijk,Zomerterras,6.1 Samenkracht,€ 1.500,,2024\r\n".encode("cp1252")
    )
    browser_login(
        page, user_with_role(Role.POLICY_ADVISOR, leiden), next_url=reverse("landscape:import_upload", args=["GM0546"])
    )
    page.get_by_label("Een subsidieregister zoals de gemeente het publiceert").check()
    page.get_by_label("Bestand(en)").set_input_files(str(register))
    page.get_by_role("button", name="Bestand controleren").click()
    mapping = page.get_by_role("region", name="Kolommen van het subsidieregister")
    expect(mapping).to_contain_text("Geen kolom herkend voor: regeling")
    expect(page.get_by_label("Omschrijving")).to_have_value("description")  # the guess
    expect(page.get_by_label("Beschikt bedrag")).to_have_value("amount_granted")
    expect(page.get_by_role("radio", name="het verleende bedrag", exact=True)).to_be_checked()  # granted counts
    axe_check(page)
    shot("10-mapping")

    page.get_by_label("Omschrijving").select_option("scheme")
    page.get_by_label("Taakveld").select_option("")
    page.get_by_role("radio", name="het vastgestelde bedrag", exact=False).check()
    page.get_by_role("button", name="Opnieuw controleren met deze kolommen").click()
    counts = page.get_by_role("table", name="Wat de import gaat veranderen")
    expect(counts).to_contain_text("Financieringsregels")
    expect(page.get_by_label("Omschrijving")).to_have_value("scheme")  # the preview shows the mapping used
    expect(page.get_by_role("radio", name="het vastgestelde bedrag", exact=False)).to_be_checked()
    axe_check(page)
    shot("11-mapped-preview")
    page.get_by_role("button", name="Nu inlezen").click()
    page.get_by_text("De import is klaar.").wait_for()
    grants = {f.organisation.name: (f.source_name, f.amount_granted) for f in Funding.objects.all()}
    assert grants == {"Stichting Buurtkracht": ("Buurthuis", 18000), "Café de Wijk": ("Zomerterras", 1500)}
