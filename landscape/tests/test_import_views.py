"""Import screens: upload -> preview -> confirm -> job -> result, and who may use them."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from core.models import Job, Role
from core.testing import MunicipalityFactory, login, user_with_role
from landscape import services
from landscape.models import Funding, Organisation

from .import_files import csv_bytes, landscape_sheets, xlsx

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


def test_upload_preview_confirm_job_result(advisor, leiden):
    assert advisor.get(upload_url()).status_code == 200
    response = upload(advisor, xlsx(landscape_sheets(3)))
    assert response.status_code == 200
    assert response.context["preview"]["counts"]["organisations"]["create"] == 3
    assert Organisation.objects.count() == 0, "the preview writes nothing"
    assert "Nu inlezen" in response.content.decode()
    token = response.context["token"]
    response = advisor.post(reverse("landscape:import_confirm", args=["GM0546"]), {"token": token})
    job = Job.objects.get(kind="landscape.import")
    assert response.url == reverse("landscape:import_job", args=["GM0546", job.pk])
    assert job.status == Job.Status.DONE and job.result["ok"]
    page = advisor.get(response.url)
    assert page.status_code == 200 and "De import is klaar." in page.content.decode()
    assert Organisation.objects.count() == 3 and Funding.objects.count() == 3
    event = AuditEvent.objects.get(action="landscape.import")
    assert (event.actor, event.role, event.municipality_code) == (job.created_by, "policy_advisor", "GM0546")
    # The token is used up: confirming twice does not import twice.
    again = advisor.post(reverse("landscape:import_confirm", args=["GM0546"]), {"token": token})
    assert again.status_code == 400 and Job.objects.count() == 1


def test_bad_file_shows_every_problem_in_dutch_and_writes_nothing(advisor, leiden):
    sheets = landscape_sheets(3)
    sheets["organisaties"][2][1] = "123"
    sheets["financiering"][3][5] = "-10"
    response = upload(advisor, xlsx(sheets))
    assert response.status_code == 400
    html = response.content.decode()
    assert "3 problemen gevonden; er is niets ingelezen." in html  # the third: row 4 of financiering names KvK 10000001
    assert "blad organisaties, rij 3, kolom KvK-nummer: 123 is geen KvK-nummer (8 cijfers)." in html
    assert "blad financiering, rij 4, kolom Verleend bedrag: Een bedrag kan niet negatief zijn." in html
    assert Organisation.objects.count() == 0 and not AuditEvent.objects.filter(action="landscape.import").exists()


def test_wrong_file_type_and_too_large_files_are_form_errors(advisor, leiden, settings):
    response = upload(advisor, b"%PDF-1.4 nep", name="register.xlsx")
    assert response.status_code == 400
    assert "is een PDF-bestand, geen Excel-werkmap" in response.content.decode()
    settings.IMPORT_MAX_BYTES = 100
    response = upload(advisor, xlsx(landscape_sheets(3)))
    assert response.status_code == 200 and response.context["form"].errors["files"]
    assert "bestanden tot 0 MB" in response.content.decode()


def test_no_file_is_a_form_error(advisor, leiden):
    response = advisor.post(upload_url(), {"format": "template"})
    assert response.status_code == 200 and response.context["form"].errors["files"]


def test_several_csv_files_in_one_upload(advisor, leiden):
    sheets = landscape_sheets(2)
    files = [
        SimpleUploadedFile("orgs.csv", csv_bytes(sheets["organisaties"]), content_type="text/csv"),
        SimpleUploadedFile("acts.csv", csv_bytes(sheets["activiteiten"]), content_type="text/csv"),
    ]
    response = upload(advisor, files)
    assert response.context["preview"]["counts"]["activities"]["create"] == 2


def test_grant_register_through_the_ui(advisor, leiden):
    rows = [
        ["Aanvrager", "Regelingnaam", "Subsidiejaar", "Verleend bedrag"],
        ["Stichting Oost", "Welzijn", "2024", "€ 1.000,00"],
        ["J. Jansen", "Buurtinitiatieven", "2024", "€ 250,00"],
    ]
    response = upload(advisor, csv_bytes(rows), name="register.csv", format="grants")
    assert "1 aanvraag van een particulier" in response.content.decode()
    advisor.post(reverse("landscape:import_confirm", args=["GM0546"]), {"token": response.context["token"]})
    assert set(Organisation.objects.values_list("name", flat=True)) == {"Stichting Oost", "Particuliere aanvragers"}


def test_administrator_may_import(client, leiden):
    login(client, user_with_role(Role.ADMINISTRATOR, leiden))
    assert upload(client, xlsx(landscape_sheets(1))).status_code == 200


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
    urls = [
        ("get", upload_url()),
        ("post", upload_url()),
        ("post", reverse("landscape:import_confirm", args=["GM0546"])),
        ("get", reverse("landscape:import_job", args=["GM0546", job.pk])),
    ]
    for method, url in urls:
        response = getattr(client, method)(url, {"format": "template"} if method == "post" else None)
        if who == "anonymous":
            assert response.status_code == 302 and "/inloggen" in response.url, url
        else:
            assert response.status_code == 403, url
    assert Organisation.objects.count() == 1


def test_a_job_of_another_municipality_is_not_shown(advisor, leiden):
    haarlem = MunicipalityFactory(cbs_code="GM0392", name="Haarlem")
    job = Job.objects.create(kind="landscape.import", municipality=haarlem, result={"ok": True})
    assert advisor.get(reverse("landscape:import_job", args=["GM0546", job.pk])).status_code == 404
