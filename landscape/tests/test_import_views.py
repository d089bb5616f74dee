"""Import screens: upload -> preview -> confirm -> job -> result, and who may use them."""

import io
import os

import openpyxl
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from core.models import Job, Role
from core.testing import MunicipalityFactory, login, user_with_role
from landscape import services
from landscape.models import Funding, Organisation

from .import_files import csv_bytes, landscape_sheets, with_xml_bomb, xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def leiden(db):
    m = MunicipalityFactory(cbs_code="GM0546", name="Leiden")
    services.upsert_district(m, cbs_code="WK054601", name="Binnenstad-Zuid")
    return m


@pytest.fixture
def advisor(client, leiden):
    return login(client, user_with_role(Role.POLICY_ADVISOR, leiden))


def upload_url(m="GM0546"):
    return reverse("landscape:import_upload", args=[m])


def upload(client, content, name="register.xlsx", format="template", m="GM0546"):
    files = content if isinstance(content, list) else [SimpleUploadedFile(name, content, content_type=XLSX)]
    return client.post(upload_url(m), {"format": format, "files": files})


def checked(client, content, **kwargs):
    """Upload; the check runs as a job (synchronously in tests). Returns (check job, its page)."""
    response = upload(client, content, **kwargs)
    assert response.status_code == 302, getattr(response, "context", None) and response.context["form"].errors
    job = Job.objects.get(kind="landscape.import_check")
    assert response.url == reverse("landscape:import_job", args=["GM0546", job.pk])
    return job, client.get(response.url)


def confirm_url(job):
    return reverse("landscape:import_confirm", args=["GM0546", job.pk])


def stored_files():
    return [f for _d, _dirs, files in os.walk(default_storage.location) for f in files]


def test_upload_is_checked_by_a_job_then_previewed_confirmed_imported(advisor, leiden):
    assert advisor.get(upload_url()).status_code == 200
    check, page = checked(advisor, xlsx(landscape_sheets(3)))
    assert check.status == Job.Status.DONE and check.result["ok"]
    assert check.result["counts"]["organisations"]["create"] == 3
    assert page.status_code == 200 and "Nu inlezen" in page.content.decode()
    assert Organisation.objects.count() == 0, "the check writes nothing"
    assert len(stored_files()) == 1, "the upload waits in storage for the confirmation"
    response = advisor.post(confirm_url(check))
    job = Job.objects.get(kind="landscape.import")
    assert response.url == reverse("landscape:import_job", args=["GM0546", job.pk])
    assert job.status == Job.Status.DONE and job.result["ok"]
    assert job.params["check_job"] == str(check.pk)
    page = advisor.get(response.url)
    assert page.status_code == 200 and "De import is klaar." in page.content.decode()
    assert Organisation.objects.count() == 3 and Funding.objects.count() == 3
    assert stored_files() == [], "imported files are removed"
    event = AuditEvent.objects.get(action="landscape.import")
    assert (event.actor, event.role, event.municipality_code) == (job.created_by, "policy_advisor", "GM0546")
    # Confirming twice (a double click, the back button) leads to the same import, not a second one.
    again = advisor.post(confirm_url(check))
    assert again.url == response.url and Job.objects.filter(kind="landscape.import").count() == 1
    assert (
        "Dit bestand is ingelezen"
        in advisor.get(reverse("landscape:import_job", args=["GM0546", check.pk])).content.decode()
    )


def test_the_check_page_shows_the_progress_bar_while_the_job_runs(advisor, leiden, settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend"}
    }  # the job waits in the queue: the page shows its progress
    response = upload(advisor, xlsx(landscape_sheets(3)))
    job = Job.objects.get(kind="landscape.import_check")
    assert job.status == Job.Status.QUEUED
    html = advisor.get(response.url).content.decode()
    assert f'hx-get="{reverse("core:job_status", args=[job.pk])}?follow=1"' in html
    assert "<progress" in html and "Nu inlezen" not in html
    assert advisor.post(confirm_url(job)).status_code == 400, "an unchecked upload cannot be imported"
    assert Organisation.objects.count() == 0


def test_bad_file_shows_every_problem_in_dutch_and_writes_nothing(advisor, leiden):
    sheets = landscape_sheets(3)
    sheets["organisaties"][2][1] = "123"
    sheets["financiering"][3][5] = "-10"
    check, page = checked(advisor, xlsx(sheets))
    assert not check.result["ok"] and check.result["problem_count"] == 3
    html = page.content.decode()
    assert "3 problemen gevonden; er is niets ingelezen." in html  # the third: row 4 of financiering names KvK 10000001
    assert "blad organisaties, rij 3, kolom KvK-nummer: 123 is geen KvK-nummer (8 cijfers)." in html
    assert "blad financiering, rij 4, kolom Verleend bedrag: Een bedrag kan niet negatief zijn." in html
    assert "Nu inlezen" not in html and stored_files() == [], "a refused upload is not kept"
    assert advisor.post(confirm_url(check)).status_code == 400
    assert Organisation.objects.count() == 0 and not AuditEvent.objects.filter(action="landscape.import").exists()


def test_billion_laughs_workbook_is_refused_in_dutch_and_nothing_is_written(advisor, leiden):
    check, page = checked(advisor, with_xml_bomb(xlsx(landscape_sheets(2))))
    assert not check.result["ok"]
    assert "bevat XML-entiteiten" in page.content.decode()
    assert Organisation.objects.count() == 0 and not AuditEvent.objects.filter(action="landscape.import").exists()


def test_wrong_file_type_and_too_large_files_are_form_errors_before_any_job(advisor, leiden, settings):
    response = upload(advisor, b"%PDF-1.4 nep", name="register.xlsx")
    assert response.status_code == 400
    html = response.content.decode()
    assert "is een PDF-bestand, geen Excel-werkmap" in response.context["form"].errors["files"][0]
    assert 'role="alert" id="import-problems"' in html, "listed on top too, where the problems of a file are"
    response = upload(advisor, b"PK\x03\x04 geen zip", name="register.xlsx")
    assert response.status_code == 400 and "geen geldige Excel-werkmap" in response.content.decode()
    settings.IMPORT_MAX_BYTES = 100
    response = upload(advisor, xlsx(landscape_sheets(3)))
    assert response.status_code == 400 and response.context["form"].errors["files"]
    assert "register.xlsx is groter dan 100\xa0bytes; het bestand is niet opgeslagen" in response.content.decode()
    assert not Job.objects.exists() and stored_files() == []


def test_no_file_is_a_form_error(advisor, leiden):
    response = advisor.post(upload_url(), {"format": "template"})
    assert response.status_code == 400 and response.context["form"].errors["files"]


def test_several_csv_files_in_one_upload(advisor, leiden):
    sheets = landscape_sheets(2)
    files = [
        SimpleUploadedFile("orgs.csv", csv_bytes(sheets["organisaties"]), content_type="text/csv"),
        SimpleUploadedFile("acts.csv", csv_bytes(sheets["activiteiten"]), content_type="text/csv"),
    ]
    check, _page = checked(advisor, files)
    assert check.result["counts"]["activities"]["create"] == 2


def test_grant_register_through_the_ui_links_the_organisations_that_need_review(advisor, leiden):
    services.upsert_organisation(leiden, name="Stichting Oud", kind="volunteer_only")
    rows = [
        ["Aanvrager", "Regelingnaam", "Subsidiejaar", "Verleend bedrag"],
        ["Stichting Oost", "Welzijn", "2024", "€ 1.000,00"],
        ["Stichting Oud", "Welzijn", "2024", "€ 2.000,00"],
        ["J. Jansen", "Buurtinitiatieven", "2024", "€ 250,00"],
    ]
    check, page = checked(advisor, csv_bytes(rows), name="register.csv", format="grants")
    assert "1 aanvraag van een particulier" in page.content.decode()
    result = advisor.get(advisor.post(confirm_url(check)).url).content.decode()
    assert set(Organisation.objects.values_list("name", flat=True)) == {
        "Stichting Oost",
        "Stichting Oud",
        "Particuliere aanvragers",
    }
    review = reverse("landscape:organisation_list", args=["GM0546"]) + "?needs_review=true"
    assert "1 organisatie moet nog gecontroleerd worden" in result and f'href="{review}"' in result
    listed = advisor.get(review).content.decode()
    assert "Stichting Oost" in listed and "Nog te controleren" in listed
    assert "Stichting Oud" not in listed and "Particuliere aanvragers" not in listed, "matched or not assumed"


def test_confirming_an_upload_whose_files_are_gone_is_refused(advisor, leiden):
    check, _page = checked(advisor, xlsx(landscape_sheets(1)))
    default_storage.delete(check.params["files"][0][0])
    response = advisor.post(confirm_url(check))
    assert response.status_code == 400 and "upload het bestand opnieuw" in response.content.decode()
    assert not Job.objects.filter(kind="landscape.import").exists()


def test_administrator_may_import(client, leiden):
    login(client, user_with_role(Role.ADMINISTRATOR, leiden))
    assert upload(client, xlsx(landscape_sheets(1))).status_code == 302


def test_template_download_is_a_workbook_with_explanation(client, leiden):
    response = client.get(reverse("landscape:import_template", args=["GM0546"]))
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["wijken", "organisaties", "activiteiten", "financiering", "toelichting"]
    assert workbook["activiteiten"]["A2"].value == "Stichting Buurtkracht"


@pytest.mark.parametrize("who", ["other_municipality", "provider", "auditor", "anonymous"])
def test_others_may_not_import(client, leiden, who):
    haarlem = MunicipalityFactory(cbs_code="GM0392", name="Haarlem")
    org = services.upsert_organisation(leiden, name="Buurtkracht", kind="volunteer_only")
    users = {
        "other_municipality": lambda: user_with_role(Role.POLICY_ADVISOR, haarlem),
        "provider": lambda: user_with_role(Role.PROVIDER_REPRESENTATIVE, leiden, organisation=org),
        "auditor": lambda: user_with_role(Role.AUDITOR, leiden),
        "anonymous": lambda: None,
    }
    user = users[who]()
    if user:
        login(client, user)
    job = Job.objects.create(kind="landscape.import", municipality=leiden, result={"ok": True})
    check = Job.objects.create(
        kind="landscape.import_check", municipality=leiden, status=Job.Status.DONE, result={"ok": True}
    )
    urls = [
        ("get", upload_url()),
        ("post", upload_url()),
        ("post", confirm_url(check)),
        ("post", reverse("landscape:import_remap", args=["GM0546", check.pk])),
        ("get", reverse("landscape:import_job", args=["GM0546", job.pk])),
        ("get", reverse("landscape:import_job", args=["GM0546", check.pk])),
    ]
    for method, url in urls:
        response = getattr(client, method)(url, {"format": "template"} if method == "post" else None)
        if who == "anonymous":
            assert response.status_code == 302 and "/inloggen" in response.url, url
        else:
            assert response.status_code == 403, url
    assert Organisation.objects.count() == 1
    assert not Job.objects.exclude(pk__in=[job.pk, check.pk]).exists()


def test_a_job_of_another_municipality_or_kind_is_not_shown_nor_confirmed(advisor, leiden):
    haarlem = MunicipalityFactory(cbs_code="GM0392", name="Haarlem")
    theirs = Job.objects.create(kind="landscape.import_check", municipality=haarlem, status="done", result={"ok": True})
    other_kind = Job.objects.create(kind="continuity.analysis", municipality=leiden, result={"ok": True})
    for job in (theirs, other_kind):
        assert advisor.get(reverse("landscape:import_job", args=["GM0546", job.pk])).status_code == 404
        assert advisor.post(confirm_url(job)).status_code == 404
        assert advisor.post(reverse("landscape:import_remap", args=["GM0546", job.pk])).status_code == 404
    assert not Job.objects.filter(kind="landscape.import").exists()


def test_organisations_that_need_review_have_a_badge_a_filter_and_an_admin_filter(client, leiden):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from core.testing import UserFactory

    assumed = services.upsert_organisation(leiden, name="Nieuw Licht", kind="volunteer_with_staff", needs_review=True)
    services.upsert_organisation(leiden, name="Bekend", kind="large_welfare")
    listing = client.get(reverse("landscape:organisation_list", args=["GM0546"]), {"needs_review": "true"})
    assert [o.name for o in listing.context["page"]] == ["Nieuw Licht"]
    assert listing.content.decode().count("Nog te controleren</span>") == 1
    everything = client.get(reverse("landscape:organisation_list", args=["GM0546"])).content.decode()
    assert everything.count("Nog te controleren</span>") == 1, "only the organisation that needs review"
    profile = client.get(reverse("landscape:organisation_detail", args=["GM0546", assumed.pk])).content.decode()
    assert "Nog te controleren</span>" in profile
    other = Organisation.objects.get(name="Bekend")
    profile = client.get(reverse("landscape:organisation_detail", args=["GM0546", other.pk])).content.decode()
    assert "Nog te controleren</span>" not in profile
    superuser = UserFactory(is_superuser=True, is_staff=True)
    TOTPDevice.objects.create(user=superuser, name="test", confirmed=True)
    admin = login(client, superuser).get(
        reverse("admin:landscape_organisation_changelist"), {"needs_review__exact": "1"}
    )
    assert admin.status_code == 200 and [o.name for o in admin.context["cl"].result_list] == ["Nieuw Licht"]
