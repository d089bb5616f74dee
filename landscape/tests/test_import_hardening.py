"""Import hardening (issue #9): hostile workbooks, invisible characters, absurd amounts, NUL bytes deep in a CSV."""

import io
import tracemalloc
import zipfile

import pytest

from core.testing import MunicipalityFactory
from landscape.imports.reading import ImportRefused, check_file, read_tables
from landscape.imports.run import run_import
from landscape.models import Funding, Organisation

from .import_files import csv_bytes, xlsx

GRANT_HEADERS = ["Aanvrager", "Regeling", "Subsidiejaar", "Verleend bedrag"]


@pytest.fixture
def leiden(db):
    return MunicipalityFactory(cbs_code="GM0546", name="Leiden")


def declaring(workbook: bytes, ref: str = "A1:XFD1048576") -> bytes:
    """`workbook` whose first sheet declares the dimension `ref` (any writer can put any size there)."""
    source, target = io.BytesIO(workbook), io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            content = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b"</sheetPr>", f'</sheetPr><dimension ref="{ref}"/>'.encode(), 1)
            zout.writestr(item, content)
    return target.getvalue()


def test_xlsx_declaring_the_whole_sheet_is_read_within_a_fixed_memory_budget():
    """A small workbook declaring A1:XFD1048576: openpyxl would pad each of its rows to 16,384 cells (128 KB a row);
    only the used columns are read."""
    rows = [GRANT_HEADERS] + [[f"Stichting {i}", "Welzijn", 2024, 100] for i in range(400)]
    hostile = declaring(xlsx({"register": rows}))
    assert len(hostile) < 100_000
    tracemalloc.start()
    try:
        tables = read_tables(hostile, "register.xlsx")
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(tables[0].rows) == 400
    assert all(len(cells) == 4 for _n, cells in tables[0].rows)
    assert peak < 16 * 1024 * 1024, f"reading took {peak / 1024 / 1024:.0f} MB"


def test_cells_far_right_of_the_header_are_not_read():
    rows = [GRANT_HEADERS, ["Stichting A", "Welzijn", 2024, 100] + [None] * 500 + ["far away"]]
    tables = read_tables(xlsx({"register": rows}), "register.xlsx")
    assert tables[0].rows[0][1] == ["Stichting A", "Welzijn", 2024, 100]


def test_a_workbook_whose_shared_strings_would_fill_the_memory_is_refused(monkeypatch):
    """openpyxl loads the whole shared-string table into memory; its XML is capped before the workbook is opened."""
    from landscape.imports import reading

    strings = "".join(f"<si><t>Stichting {i}</t></si>" for i in range(200))
    table = f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{strings}</sst>'
    source, target = io.BytesIO(xlsx({"register": [GRANT_HEADERS]})), io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item, zin.read(item.filename))
        zout.writestr("xl/sharedStrings.xml", table)
    monkeypatch.setattr(reading, "MAX_SHARED_STRINGS_BYTES", 2000)
    with pytest.raises(ImportRefused) as exc:
        check_file(target.getvalue(), "register.xlsx")
    assert "veel meer gegevens" in str(exc.value.problems[0])


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_files_with_more_rows_than_the_limit_are_refused_in_dutch(leiden, settings, kind):
    settings.IMPORT_MAX_ROWS = 5
    rows = [GRANT_HEADERS] + [[f"Stichting {i}", "Welzijn", 2024, 100] for i in range(6)]
    content = xlsx({"register": rows}) if kind == "xlsx" else csv_bytes(rows)
    with pytest.raises(ImportRefused) as exc:
        run_import(leiden, [(f"register.{kind}", content)], format="grants", dry_run=True)
    assert "meer dan 5 rijen" in str(exc.value.problems[0])


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_files_with_more_filled_cells_than_the_limit_are_refused_in_dutch(leiden, settings, kind):
    settings.IMPORT_MAX_CELLS = 20
    rows = [GRANT_HEADERS] + [[f"Stichting {i}", "Welzijn", 2024, 100, None, None] for i in range(6)]
    content = xlsx({"register": rows}) if kind == "xlsx" else csv_bytes(rows)
    with pytest.raises(ImportRefused) as exc:
        run_import(leiden, [(f"register.{kind}", content)], format="grants", dry_run=True)
    assert "meer dan 20 gevulde cellen" in str(exc.value.problems[0])
    settings.IMPORT_MAX_CELLS = 24  # 6 rows of 4 filled cells: trailing empty cells do not count
    assert run_import(leiden, [(f"register.{kind}", content)], format="grants", dry_run=True)["counts"]


def test_invisible_characters_in_names_do_not_make_a_second_organisation(leiden):
    rows = [
        GRANT_HEADERS,
        ["Stichting A", "Welzijn", 2024, 100],
        ["Stichting\u200b A\u202e", "Jeugd", 2024, 200],
        ["\ufeffStichting\x07 A", "Sport", 2024, 300],
        ["Cafe\u0301 de Buurt", "Welzijn", 2024, 50],
        ["Caf\u00e9 de Buurt", "Jeugd", 2024, 50],
    ]
    run_import(leiden, [("register.csv", csv_bytes(rows))], format="grants")
    assert sorted(Organisation.objects.values_list("name", flat=True)) == ["Café de Buurt", "Stichting A"]
    assert Funding.objects.count() == 5
    assert not any("\u200b" in s or "\x07" in s for s in Funding.objects.values_list("source_name", flat=True))


def test_an_imported_name_finds_an_organisation_whose_stored_name_has_invisible_characters(leiden):
    from landscape import services

    services.upsert_organisation(leiden, name="Stichting\u200b A", kind="volunteer_only")
    run_import(
        leiden, [("register.csv", csv_bytes([GRANT_HEADERS, ["Stichting A", "Welzijn", 2024, 100]]))], format="grants"
    )
    assert Organisation.objects.count() == 1 and Funding.objects.get().organisation.name == "Stichting\u200b A"


@pytest.mark.parametrize("value", ["1" * 31, "9" * 4300, "1" * 31 + ",00", "€ " + "9" * 40])
def test_absurdly_long_amounts_give_a_dutch_error_naming_the_cell(leiden, value):
    rows = [GRANT_HEADERS, ["Stichting A", "Welzijn", 2024, value]]
    with pytest.raises(ImportRefused) as exc:
        run_import(leiden, [("register.csv", csv_bytes(rows))], format="grants")
    (problem,) = exc.value.problems
    assert (problem.row, problem.column) == (2, "Verleend bedrag")
    assert "bedrag" in problem.message
    assert not Organisation.objects.exists()


def test_a_4400_digit_number_cell_in_a_workbook_is_a_located_dutch_error(leiden):
    rows = [GRANT_HEADERS, ["Stichting A", "Welzijn", 2024, 100], ["Stichting B", "Welzijn", 2024, 12345]]
    source, target = io.BytesIO(xlsx({"register": rows})), io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            content = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b"<v>12345</v>", b"<v>" + b"9" * 4400 + b"</v>")
            zout.writestr(item, content)
    with pytest.raises(ImportRefused) as exc:
        run_import(leiden, [("register.xlsx", target.getvalue())], format="grants")
    (problem,) = exc.value.problems
    assert problem.sheet == "register"
    assert "meer dan 4.300 cijfers" in problem.message and "rij 2" in problem.message


def test_a_nul_byte_after_the_first_64_kb_is_refused_by_upload_preview_and_import(leiden):
    rows = [GRANT_HEADERS] + [[f"Stichting {i}", "Welzijn", 2024, 100] for i in range(3000)]
    content = csv_bytes(rows)
    assert len(content) > 70_000
    content = content[:70_000] + b"\x00" + content[70_000:]
    with pytest.raises(ImportRefused):
        check_file(content, "register.csv")  # the quick check on upload
    for dry_run in (True, False):  # the preview and the import read it the same way
        with pytest.raises(ImportRefused) as exc:
            run_import(leiden, [("register.csv", content)], format="grants", dry_run=dry_run)
        assert "geen tekstbestand" in str(exc.value.problems[0]) or "CSV" in str(exc.value.problems[0])
    assert not Organisation.objects.exists()
