"""Who may read and make the procurement reports (Directive 2014/24/EU art. 84): the procurement officer reads and
makes them, an auditor only reads; everybody else is refused, and another municipality does not see them."""

import pytest
from django.urls import reverse

from contracts import services
from contracts.models import ProcurementReport
from core.models import Role
from core.testing import MunicipalityFactory, login, user_with_role
from evaluation import services as evaluation
from evaluation.tests.test_award import CHARACTERISTICS, ranked_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided():
    w = ranked_world()
    w.decision = evaluation.decide_award(w.lot, actor=w.officer, winner=w.bids[0], characteristics=CHARACTERISTICS)
    return w


def _urls(w, report=None):
    args = [w.m.cbs_code, w.c.pk]
    return {
        "list": reverse("contracts:reports", args=args),
        "make": reverse("contracts:report_generate", args=[*args, w.lot.number]),
        "pdf": reverse("contracts:report_pdf", args=[*args, report.pk]) if report else None,
    }


def test_the_officer_makes_a_report_on_demand_and_downloads_it(client, decided):
    w = decided
    login(client, w.officer)
    urls = _urls(w)
    page = client.get(urls["list"])
    assert page.status_code == 200 and "Maak het procesverbaal nu" in page.content.decode()
    assert page["Cache-Control"].startswith("private")
    assert client.post(urls["make"]).status_code == 302
    report = ProcurementReport.objects.get()
    assert report.created_by == w.officer
    pdf = client.get(_urls(w, report)["pdf"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_an_auditor_reads_but_does_not_make_reports(client, decided):
    w = decided
    report = services.generate_report(w.decision, actor=w.officer)
    login(client, user_with_role(Role.AUDITOR, w.m, username="auditor"))
    urls = _urls(w, report)
    page = client.get(urls["list"])
    assert page.status_code == 200 and "Maak het procesverbaal nu" not in page.content.decode()
    assert client.get(urls["pdf"]).status_code == 200
    assert client.post(urls["make"]).status_code == 403
    assert ProcurementReport.objects.count() == 1


@pytest.mark.parametrize("role", [Role.EVALUATOR, Role.POLICY_ADVISOR, Role.CONTRACT_MANAGER])
def test_other_roles_are_refused(client, decided, role):
    w = decided
    report = services.generate_report(w.decision, actor=w.officer)
    login(client, user_with_role(role, w.m, username="ander"))
    urls = _urls(w, report)
    assert client.get(urls["list"]).status_code == 403
    assert client.get(urls["pdf"]).status_code == 403
    assert client.post(urls["make"]).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login(client, decided):
    w = decided
    report = services.generate_report(w.decision, actor=w.officer)
    for url in (_urls(w, report)["list"], _urls(w, report)["pdf"]):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/inloggen")


def test_another_municipalitys_officer_sees_nothing(client, decided):
    w = decided
    report = services.generate_report(w.decision, actor=w.officer)
    other = MunicipalityFactory(cbs_code="GM0363", name="Amsterdam")
    login(client, user_with_role(Role.PROCUREMENT_OFFICER, other, username="elders"))
    args = [other.cbs_code, w.c.pk]
    assert client.get(reverse("contracts:reports", args=args)).status_code == 404
    assert client.get(reverse("contracts:report_pdf", args=[*args, report.pk])).status_code == 404
    assert client.post(reverse("contracts:report_generate", args=[*args, 1])).status_code == 404


def test_without_an_award_decision_no_report_is_made(client):
    w = ranked_world()
    login(client, w.officer)
    response = client.post(_urls(w)["make"], follow=True)
    assert "nog geen gunningsbeslissing" in response.content.decode()
    assert not ProcurementReport.objects.exists()


def test_the_municipality_list_leads_officers_and_auditors_to_the_reports(client, decided):
    w = decided
    services.generate_report(w.decision, actor=w.officer)
    url = reverse("contracts:municipality_reports", args=[w.m.cbs_code])
    for username, role in (("inkoper2", Role.PROCUREMENT_OFFICER), ("auditor", Role.AUDITOR)):
        login(client, user_with_role(role, w.m, username=username))
        page = client.get(url).content.decode()
        assert reverse("contracts:reports", args=[w.m.cbs_code, w.c.pk]) in page and "1 procesverbaal" in page
        assert "Processen-verbaal van de aanbesteding" in page  # the menu entry
    login(client, user_with_role(Role.EVALUATOR, w.m, username="lid9"))
    assert client.get(url).status_code == 403
