"""Progress of an import as the polling page sees it: rows read and checked, then one indeterminate phase for the
all-or-nothing transaction (progress written inside it would stay invisible to other connections until the commit)."""

import pytest
from django.db import connection
from django.utils import translation

from core.testing import MunicipalityFactory
from landscape import services
from landscape.imports.reading import Progress
from landscape.imports.run import run_import
from landscape.models import Organisation

from .import_files import csv_bytes, landscape_sheets, xlsx

# No test transaction around the test: `in_atomic_block` then tells whether a report is made inside the import's own.
pytestmark = pytest.mark.django_db(transaction=True)

SAVING = "Controleren tegen het register en opslaan (alles of niets)"


@pytest.fixture
def leiden():
    m = MunicipalityFactory(cbs_code="GM0546", name="Leiden")
    services.upsert_district(m, cbs_code="WK054601", name="Binnenstad-Zuid")
    return m


@pytest.fixture
def reports(monkeypatch):
    monkeypatch.setattr(Progress, "STEP", 10)
    with translation.override("nl"):  # the phases are shown to the user, in Dutch
        yield []


def record(reports):
    def progress(done, total, message):
        reports.append((message, done, total, connection.in_atomic_block))

    return progress


def test_progress_is_reported_outside_the_transaction_phase_by_phase(leiden, reports):
    n = 20  # 20 organisations, activities and funding lines: 60 rows
    run_import(leiden, [("a.xlsx", xlsx(landscape_sheets(n)))], format="template", progress=record(reports))
    assert Organisation.objects.count() == n
    assert not any(inside for *_rest, inside in reports), "a report inside the transaction would be invisible"
    phases = [message for message, done, *_rest in reports if done == 0]
    assert phases == ["Bestand lezen", "Rijen controleren", SAVING]
    reading = [(done, total) for message, done, total, _inside in reports if message == "Bestand lezen" and done]
    assert reading[-1] == (60, 60), "the sheets' dimensions give the total before reading"
    checking = [(done, total) for message, done, total, _inside in reports if message == "Rijen controleren"]
    assert checking[0] == (0, 60) and checking[-1] == (60, 60)
    assert reports[-1] == (SAVING, 0, 0, False), "the transaction is one indeterminate phase (total unknown: 0)"


def test_dry_run_reports_the_check_against_the_registry_last_and_writes_nothing(leiden, reports):
    run_import(
        leiden, [("a.xlsx", xlsx(landscape_sheets(5)))], format="template", dry_run=True, progress=record(reports)
    )
    assert reports[-1] == ("Controleren tegen het register", 0, 0, False)
    assert Organisation.objects.count() == 0


def test_csv_rows_are_counted_for_the_progress_of_a_grant_register(leiden, reports):
    rows = [["Aanvrager", "Regelingnaam", "Subsidiejaar", "Verleend bedrag"]] + [
        [f"Stichting {i}", "Welzijn", "2024", "100"] for i in range(25)
    ]
    run_import(leiden, [("r.csv", csv_bytes(rows))], format="grants", progress=record(reports))
    reading = [(done, total) for message, done, total, _inside in reports if message == "Bestand lezen"]
    assert reading == [(0, 0), (10, 25), (20, 25)]
    assert Organisation.objects.count() == 25
