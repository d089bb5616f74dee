"""The main flow of issue 3 in a real browser: a policy advisor logs in with TOTP, downloads the import template,
fills it in, uploads it, checks the preview, confirms, watches the progress and sees the result."""

import io

import openpyxl
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from core import jobs
from core.models import Job, Role
from core.testing import MunicipalityFactory, user_with_role
from landscape import services as landscape_services
from landscape.models import Activity, Organisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROWS = {
    "organisaties": [
        {"Naam": "Buurthuis De Linde", "KvK-nummer": "41150085", "Rechtsvorm": "stichting", "Soort": "zelforganisatie",
         "Vrijwilligers": 25, "Betaalde krachten (fte)": "0,5"},
        {"Naam": "Taalmaatjes Leiden", "Rechtsvorm": "vereniging", "Soort": "vrijwilligersorganisatie",
         "Vrijwilligers": 60, "Betaalde krachten (fte)": 0},
    ],
    "activiteiten": [
        {"Organisatie": "41150085", "Titel": "Inloopochtend", "Wijken": "WK054601", "Bereik (deelnemers per jaar)": 120,
         "Preventief": "ja"},
        {"Organisatie": "Taalmaatjes Leiden", "Titel": "Taalcafé", "Wijken": "WK054601",
         "Bereik (deelnemers per jaar)": 80, "Preventief": "ja"},
    ],
    "financiering": [
        {"Organisatie": "41150085", "Activiteit": "Inloopochtend", "Jaar": 2025, "Soort": "gemeentelijke subsidie",
         "Regeling of fonds": "Welzijn", "Verleend bedrag": "€ 12.500,00", "Voorwaardelijk": "nee"},
        {"Organisatie": "Taalmaatjes Leiden", "Activiteit": "Taalcafé", "Jaar": 2025, "Soort": "externe cofinanciering",
         "Regeling of fonds": "Fonds Doen", "Verleend bedrag": "€ 4.000,00", "Voorwaardelijk": "ja"},
    ],
}  # fmt: skip


def fill_in(template: bytes) -> bytes:
    """What a user does with the downloaded template: remove the example rows, type rows under the headers."""
    workbook = openpyxl.load_workbook(io.BytesIO(template))
    for name in ["wijken", "organisaties", "activiteiten", "financiering"]:
        sheet = workbook[name]
        headers = [cell.value for cell in sheet[1]]
        sheet.delete_rows(2, sheet.max_row)
        for row in ROWS.get(name, []):
            assert set(row) <= set(headers), f"the template's sheet {name} lacks {set(row) - set(headers)}"
            sheet.append([row.get(h) for h in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_policy_advisor_imports_the_template_through_the_ui(page, browser_login, axe_check, settings, tmp_path):
    leiden = MunicipalityFactory(cbs_code="GM0546", name="Leiden")
    landscape_services.upsert_district(leiden, cbs_code="WK054601", name="Binnenstad-Zuid")
    advisor = user_with_role(Role.POLICY_ADVISOR, leiden)
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend"}
    }  # the import waits in the queue until "the worker" below runs it
    upload_url = reverse("landscape:import_upload", args=["GM0546"])

    browser_login(page, advisor, next_url=upload_url)
    axe_check(page)

    # Download the template from the page and fill it in.
    with page.expect_download() as download:
        page.locator(f"a[href='{reverse('landscape:import_template', args=['GM0546'])}']").click()
    filled = tmp_path / "sociale-basis-leiden.xlsx"
    filled.write_bytes(fill_in(download.value.path().read_bytes()))

    # Upload -> the check waits for the worker (progress bar) -> preview: counts, nothing written yet.
    page.set_input_files("input[type=file]", str(filled))
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector("progress")
    jobs.run_job(Job.objects.get(kind="landscape.import_check").pk)
    preview = page.locator("main table")
    preview.wait_for()  # the page reloads itself on the preview when the check is done
    assert "Organisaties" in preview.inner_text()
    assert Organisation.objects.count() == 0, "the preview writes nothing"
    axe_check(page)

    # Confirm -> the job page with a progress bar, polling while the job waits.
    page.get_by_role("button", name="Nu inlezen").click()
    page.wait_for_selector("progress")
    job = Job.objects.get(kind="landscape.import")
    assert job.status == Job.Status.QUEUED
    axe_check(page)

    # The worker runs the job; htmx picks up the finished state and the page reloads on the result.
    jobs.run_job(job.pk)
    page.get_by_text("De import is klaar.").wait_for()
    axe_check(page)

    assert sorted(Organisation.objects.values_list("name", flat=True)) == ["Buurthuis De Linde", "Taalmaatjes Leiden"]
    assert Activity.objects.filter(districts__cbs_code="WK054601").count() == 2

    # The public registry shows the imported organisations.
    page.goto(reverse("landscape:organisation_list", args=["GM0546"]))
    expect(page.get_by_role("link", name="Taalmaatjes Leiden")).to_be_visible()


def test_import_with_errors_shows_every_problem_and_writes_nothing(page, browser_login, axe_check, tmp_path):
    leiden = MunicipalityFactory(cbs_code="GM0546", name="Leiden")
    advisor = user_with_role(Role.POLICY_ADVISOR, leiden)
    browser_login(page, advisor, next_url=reverse("landscape:import_upload", args=["GM0546"]))
    bad = tmp_path / "kapot.xlsx"
    bad.write_bytes(b"dit is geen Excel-bestand")
    page.set_input_files("input[type=file]", str(bad))
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    assert Organisation.objects.count() == 0
    axe_check(page)
