"""The landscape template import: all-or-nothing, row-numbered errors, updates instead of duplicates."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from audit.models import AuditEvent
from audit.services import verify_chain
from core.testing import MunicipalityFactory
from landscape import services
from landscape.imports.reading import ImportRefused
from landscape.imports.run import run_import
from landscape.imports.template import template_workbook
from landscape.models import Activity, District, Funding, Organisation

from .import_files import csv_bytes, landscape_sheets, with_xml_bomb, xlsx


@pytest.fixture
def leiden(db):
    m = MunicipalityFactory(cbs_code="GM0546", name="Leiden")
    services.upsert_district(m, cbs_code="WK054601", name="Binnenstad-Zuid")
    return m


def written():
    return (
        Organisation.objects.count(),
        Activity.objects.count(),
        Funding.objects.count(),
        District.objects.count(),
        AuditEvent.objects.count(),
    )


def refused(m, files, format="template") -> list[str]:
    before = written()
    with pytest.raises(ImportRefused) as exc:
        run_import(m, files, format=format)
    assert written() == before, "a refused import must write nothing"
    return [str(p) for p in exc.value.problems]


def test_downloadable_template_imports_its_own_example_rows(leiden):
    result = run_import(leiden, [("sjabloon.xlsx", template_workbook(leiden))], format="template")
    assert result["counts"]["organisations"]["create"] == 1
    assert result["counts"]["districts"] == {"create": 0, "update": 0, "unchanged": 1}
    org = Organisation.objects.get()
    assert (org.name, org.kvk_number, org.kind) == ("Stichting Buurtkracht", "12345678", "volunteer_with_staff")
    activity = Activity.objects.get()
    assert sorted(activity.target_groups.values_list("code", flat=True)) == ["elderly", "loneliness"]
    funding = Funding.objects.get()
    assert (funding.amount_requested, funding.amount_granted, funding.activity) == (
        Decimal("30000.00"),
        Decimal("27500.00"),
        activity,
    )


def test_reimporting_the_same_file_updates_and_never_duplicates(leiden):
    data = xlsx(landscape_sheets(5))
    first = run_import(leiden, [("a.xlsx", data)], format="template")
    assert first["counts"]["organisations"]["create"] == 5
    again = run_import(leiden, [("a.xlsx", data)], format="template")
    assert again["counts"]["organisations"] == {"create": 0, "update": 0, "unchanged": 5}
    assert again["counts"]["fundings"] == {"create": 0, "update": 0, "unchanged": 5}
    changed = run_import(leiden, [("b.xlsx", xlsx(landscape_sheets(5, volunteers=12)))], format="template")
    assert changed["counts"]["organisations"] == {"create": 0, "update": 5, "unchanged": 0}
    assert (Organisation.objects.count(), Activity.objects.count(), Funding.objects.count()) == (5, 5, 5)
    assert set(Organisation.objects.values_list("volunteers", flat=True)) == {12}


def test_separate_csv_files_are_recognised_by_their_headers_in_any_order(leiden):
    sheets = landscape_sheets(3)
    files = [
        ("geld.csv", csv_bytes(sheets["financiering"], delimiter=",")),
        ("acts.csv", csv_bytes(sheets["activiteiten"], encoding="cp1252")),
        ("orgs.csv", csv_bytes(sheets["organisaties"], bom=True)),
    ]
    result = run_import(leiden, files, format="template")
    assert result["counts"]["fundings"]["create"] == 3
    assert Funding.objects.get(organisation__name="Stichting Test 2").amount_granted == Decimal("3000.00")


def test_activity_districts_and_target_groups_are_replaced_on_reimport(leiden):
    services.upsert_district(leiden, cbs_code="WK054602", name="Noord")
    run_import(leiden, [("a.xlsx", xlsx(landscape_sheets(2)))], format="template")
    sheets = landscape_sheets(2, district="WK054602, WK054601")
    sheets["activiteiten"][1][2] = "youth"
    result = run_import(leiden, [("b.xlsx", xlsx(sheets))], format="template")
    assert result["counts"]["activities"] == {"create": 0, "update": 2, "unchanged": 0}
    activity = Activity.objects.get(organisation__name="Stichting Test 0")
    assert sorted(activity.districts.values_list("cbs_code", flat=True)) == ["WK054601", "WK054602"]
    assert list(activity.target_groups.values_list("code", flat=True)) == ["youth"]


def test_one_audit_event_per_import_with_file_hash_and_counts(leiden):
    before = AuditEvent.objects.count()
    data = xlsx(landscape_sheets(20))
    run_import(leiden, [("register.xlsx", data)], format="template", role="policy_advisor")
    events = list(AuditEvent.objects.filter(seq__gt=before))
    assert [e.action for e in events] == ["landscape.import"]
    summary = events[0].summary
    import hashlib

    assert summary["files"] == [
        {"name": "register.xlsx", "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    ]
    assert summary["counts"]["organisations"]["create"] == 20
    assert verify_chain() is None


def test_dry_run_checks_everything_and_writes_nothing(leiden):
    before = written()
    result = run_import(leiden, [("a.xlsx", xlsx(landscape_sheets(4)))], format="template", dry_run=True)
    assert result["counts"]["organisations"]["create"] == 4
    assert written() == before


def test_one_bad_row_means_nothing_is_written_and_every_problem_has_sheet_row_and_column(leiden):
    sheets = landscape_sheets(4)
    sheets["organisaties"][2][1] = "1234"  # wrong KvK, row 3
    sheets["organisaties"][3][4] = "-3"  # negative volunteers, row 4
    sheets["activiteiten"][1][3] = "WK054699"  # unknown district, row 2
    sheets["activiteiten"][2][2] = "katten"  # unknown target group, row 3
    sheets["financiering"][4][5] = "€ -500,00"  # negative amount, row 5
    sheets["financiering"][3][5] = "veel geld"  # unparsable amount, row 4
    problems = refused(leiden, [("fout.xlsx", xlsx(sheets))])
    text = "\n".join(problems)
    assert "blad organisaties, rij 3, kolom KvK-nummer" in text
    assert "blad organisaties, rij 4, kolom Vrijwilligers" in text
    assert "blad activiteiten, rij 3, kolom Doelgroepen: Onbekende doelgroepen: katten" in text
    assert "blad financiering, rij 5, kolom Verleend bedrag: Een bedrag kan niet negatief zijn." in text
    assert "blad financiering, rij 4, kolom Verleend bedrag: veel geld is geen bedrag" in text
    assert "blad activiteiten, rij 2, kolom Wijken: Onbekende wijkcodes voor GM0546: WK054699." in text


def test_problems_are_reported_in_dutch_by_the_command(leiden, tmp_path):
    sheets = landscape_sheets(2)
    sheets["organisaties"][1][1] = "12AB"
    path = tmp_path / "fout.xlsx"
    path.write_bytes(xlsx(sheets))
    err = io.StringIO()
    with pytest.raises(CommandError, match="problemen gevonden; er is niets ingelezen"):
        call_command("import_landscape", "--municipality", "GM0546", str(path), stderr=err)
    assert "blad organisaties, rij 2, kolom KvK-nummer: 12AB is geen KvK-nummer (8 cijfers)." in err.getvalue()
    assert Organisation.objects.count() == 0


def test_command_imports_and_dry_run_writes_nothing(leiden, tmp_path):
    path = tmp_path / "goed.xlsx"
    path.write_bytes(xlsx(landscape_sheets(3)))
    out = io.StringIO()
    call_command("import_landscape", "--municipality", "GM0546", "--dry-run", str(path), stdout=out)
    assert "Proefrun" in out.getvalue() and Organisation.objects.count() == 0
    call_command("import_landscape", "--municipality", "GM0546", str(path), stdout=out)
    assert Organisation.objects.count() == 3


def test_command_exit_code_is_not_zero_on_problems(leiden, tmp_path):
    import subprocess
    import sys

    path = tmp_path / "leeg.csv"
    path.write_bytes(b"")
    proc = subprocess.run(
        [sys.executable, "manage.py", "import_landscape", "--municipality", "GM9999", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode != 0


def test_missing_columns_are_named(leiden):
    rows = [["Naam", "Vrijwilligers"], ["Stichting X", 3]]
    problems = refused(leiden, [("orgs.xlsx", xlsx({"organisaties": rows}))])
    assert problems == ["blad organisaties, rij 1: Ontbrekende kolommen: Soort."]


def test_duplicate_rows_are_refused_with_both_row_numbers(leiden):
    sheets = landscape_sheets(3)
    sheets["organisaties"].append(sheets["organisaties"][2])
    sheets["financiering"].append(sheets["financiering"][1])
    problems = refused(leiden, [("dubbel.xlsx", xlsx(sheets))])
    assert "blad organisaties, rij 5, kolom KvK-nummer: Dubbele rij: dezelfde sleutel als rij 3." in problems
    assert "blad financiering, rij 5: Dubbele rij: dezelfde sleutel als rij 2." in problems


def test_a_name_taken_by_another_organisation_is_a_problem_not_a_crash(leiden):
    services.upsert_organisation(leiden, name="Stichting Test 0", kvk_number="87654321", kind="volunteer_only")
    problems = refused(leiden, [("a.xlsx", xlsx(landscape_sheets(2)))])
    assert problems[0].startswith("blad organisaties, rij 2, kolom Naam: De naam Stichting Test 0 is al in gebruik")


def test_conditional_is_only_for_external_co_funding(leiden):
    sheets = landscape_sheets(1)
    sheets["financiering"][1][6] = "ja"
    assert refused(leiden, [("a.xlsx", xlsx(sheets))]) == [
        "blad financiering, rij 2, kolom Voorwaardelijk: Alleen externe cofinanciering kan voorwaardelijk zijn."
    ]


def test_district_codes_of_another_municipality_are_refused(leiden):
    rows = [["Wijkcode", "Naam"], ["WK039201", "Haarlem-Noord"], ["WK054602", "Noord"]]
    assert refused(leiden, [("wijken.csv", csv_bytes(rows))]) == [
        "blad wijken.csv, rij 2, kolom Wijkcode: Wijkcode WK039201 hoort niet bij gemeente GM0546 "
        "(die begint met WK0546)."
    ]
    result = run_import(leiden, [("wijken.csv", csv_bytes([rows[0], rows[2]]))], format="template")
    assert result["counts"]["districts"]["create"] == 1


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in members.items():
            z.writestr(name, content)
    return buffer.getvalue()


PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("leeg.xlsx", b"", "Het bestand leeg.xlsx is leeg."),
        ("leeg.csv", b"  \r\n", "Het bestand leeg.csv is leeg."),
        ("foto.xlsx", PNG, "Het bestand foto.xlsx is een PNG-bestand, geen Excel-werkmap (.xlsx) of CSV-bestand."),
        ("brief.xlsx", PDF, "Het bestand brief.xlsx is een PDF-bestand, geen Excel-werkmap (.xlsx) of CSV-bestand."),
        (
            "tekst.xlsx",
            b"Naam;Soort\nA;zelforganisatie\n",
            "Het bestand tekst.xlsx heet .xlsx maar is geen Excel-werkmap",
        ),
        ("archief.xlsx", _zip({"readme.txt": b"hallo"}), "Het bestand archief.xlsx is geen geldige Excel-werkmap"),
        ("kapot.xlsx", _zip({"xl/workbook.xml": b"<niet-af"}), "Het bestand kapot.xlsx is geen geldige Excel-werkmap"),
        (
            "bom.xlsx",
            _zip({"xl/workbook.xml": b"<x/>", "xl/worksheets/s.xml": b"\0" * 30_000_000}),
            "pakt uit tot veel meer gegevens",
        ),
        (
            "ruis.csv",
            bytes(range(256)) * 1000,
            "Het bestand ruis.csv is geen tekstbestand (CSV) en geen Excel-werkmap.",
        ),
        ("kop.csv", b"Naam;Soort\r\n", "Het bestand bevat geen rijen om in te lezen."),
    ],
)
def test_bad_files_are_refused_with_a_clear_message(leiden, name, content, expected):
    problems = refused(leiden, [(name, content)])
    assert len(problems) == 1 and expected in problems[0], problems


def test_50_mb_of_garbage_is_refused_without_writing(leiden, tmp_path, settings):
    import os

    garbage = os.urandom(50 * 1024 * 1024)
    problems = refused(leiden, [("groot.xlsx", garbage)])
    assert "geen" in problems[0]
    path = tmp_path / "groot.xlsx"
    path.write_bytes(garbage + b"x")
    with pytest.raises(CommandError):
        call_command("import_landscape", "--municipality", "GM0546", str(path), stderr=io.StringIO())


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/workbook.xml"])
def test_xml_entity_expansion_in_a_workbook_is_refused_by_defusedxml(leiden, part):
    """A "billion laughs" workbook would expand to gigabytes; openpyxl parses with defusedxml, which stops it."""
    import openpyxl

    assert openpyxl.DEFUSEDXML, "defusedxml must be installed (requirements/base.in)"
    problems = refused(leiden, [("lol.xlsx", with_xml_bomb(xlsx(landscape_sheets(2)), part))])
    assert problems == [
        "Het bestand lol.xlsx bevat XML-entiteiten, die een werkmap niet nodig heeft en die gebruikt kunnen worden "
        "om een server aan te vallen; geweigerd."
    ]


def test_files_above_the_limit_are_refused(leiden, settings):
    settings.IMPORT_MAX_BYTES = 1000
    problems = refused(leiden, [("a.xlsx", xlsx(landscape_sheets(50)))])
    assert problems[0].startswith("Het bestand is ") and "bestanden tot 0 MB" in problems[0]


def test_problems_of_every_file_and_sheet_are_listed_together(leiden):
    sheets = landscape_sheets(2)
    sheets["organisaties"][1][3] = "kerk"
    problems = refused(leiden, [("a.xlsx", xlsx(sheets)), ("b.pdf", PDF)])
    assert len(problems) == 2


def test_import_cost_does_not_grow_per_row(leiden, django_assert_max_num_queries):
    """Prefetch once, write in batches: 10 and 200 rows take the same number of queries."""
    counts = []
    for n in (10, 200):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        Organisation.objects.all().delete()
        with CaptureQueriesContext(connection) as ctx:
            run_import(leiden, [("a.xlsx", xlsx(landscape_sheets(n)))], format="template")
        counts.append(len(ctx.captured_queries))
        # The re-import (all unchanged) is cheap too.
        with django_assert_max_num_queries(25):
            run_import(leiden, [("a.xlsx", xlsx(landscape_sheets(n)))], format="template")
    # SQLite caps a query at 999 parameters, so 200 organisations take a few more insert batches there.
    assert counts[1] <= counts[0] + 8, counts
    assert counts[1] < 50
