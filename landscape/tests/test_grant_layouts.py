"""Grant registers in the layouts municipalities publish: columns are guessed from known words, a person maps the
rest (remembered per municipality), and which amount counts is a choice (granted by default)."""

import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from audit.models import AuditEvent
from core.testing import MunicipalityFactory
from landscape import services
from landscape.imports.grants import Mapping, guess_columns
from landscape.imports.reading import ImportRefused
from landscape.imports.run import run_import
from landscape.models import Funding, GrantColumnMapping, Organisation

from .import_files import csv_bytes, xlsx

# Four published layouts (columns as municipalities use them).
ONTVANGER = [  # recipient, KvK, scheme, granted amount; no year column
    ["Ontvanger", "KvK", "Regeling", "Verleend bedrag"],
    ["Stichting Buurtkracht", "12345678", "Subsidieregeling Welzijn", "€ 12.500,00"],
    ["Vereniging Dorpsbelang Zuid", "", "Leefbaarheid", "€ 1.250,50"],
]
SOORT = [  # no scheme column: "Soort" names it; requested, granted and settled side by side
    ["Naam subsidieontvanger", "Soort", "Aangevraagd", "Verleend", "Vastgesteld", "Jaar"],
    ["Stichting Buurtkracht", "Jaarlijkse subsidie", "15.000", "12.000", "11.500", "2023"],
    ["Café de Wijk", "Eenmalige subsidie", "2.000", "1.500", "", "2023"],
]
PROGRAMMA = [  # budget programme and task field; one amount
    ["Organisatie", "Programma", "Taakveld", "Bedrag"],
    ["Stichting Buurtkracht", "Sociaal domein", "6.1 Samenkracht en burgerparticipatie", "30000"],
    ["Speeltuinvereniging De Eik", "Sociaal domein", "6.1 Samenkracht en burgerparticipatie", "4500"],
]
OMSCHRIJVING = [  # no scheme at all: a person maps "Omschrijving" to it
    ["Subsidieontvanger", "Omschrijving", "Beschikt bedrag", "Jaar"],
    ["Stichting Buurtkracht", "Buurthuis", "€ 20.000", "2024"],
    ["Humanitas Leiden", "Maatjesproject", "€ 7.500", "2024"],
]


@pytest.fixture
def leiden(db):
    return MunicipalityFactory(cbs_code="GM0546", name="Leiden")


def _fields(rows, mapping=None) -> dict:
    return {f: rows[0][i] for f, i in guess_columns(rows[0], mapping).items()}


def test_columns_are_guessed_from_the_words_municipalities_use():
    assert _fields(ONTVANGER) == {
        "applicant": "Ontvanger",
        "kvk_number": "KvK",
        "scheme": "Regeling",
        "amount_granted": "Verleend bedrag",
    }
    assert _fields(SOORT) == {
        "applicant": "Naam subsidieontvanger",
        "scheme": "Soort",
        "amount_requested": "Aangevraagd",
        "amount_granted": "Verleend",
        "amount_settled": "Vastgesteld",
        "year": "Jaar",
    }
    assert _fields(PROGRAMMA) == {
        "applicant": "Organisatie",
        "scheme": "Programma",
        "policy_area": "Taakveld",
        "amount_granted": "Bedrag",
    }
    assert _fields(OMSCHRIJVING) == {
        "applicant": "Subsidieontvanger",
        "description": "Omschrijving",
        "amount_granted": "Beschikt bedrag",
        "year": "Jaar",
    }


def test_a_persons_choice_overrules_the_guess_and_ignored_columns_stay_ignored():
    mapping = Mapping(columns={"omschrijving": "scheme", "jaar": ""})
    assert _fields(OMSCHRIJVING, mapping) == {
        "applicant": "Subsidieontvanger",
        "scheme": "Omschrijving",
        "amount_granted": "Beschikt bedrag",
    }


def encoded(rows, kind: str) -> tuple[str, bytes]:
    if kind == "xlsx":
        return "register.xlsx", xlsx({"Subsidieregister": rows})
    encoding, delimiter = kind.split("/")
    return "register.csv", csv_bytes(rows, delimiter=delimiter, encoding=encoding, bom=encoding == "utf-8")


LAYOUTS = [
    ("ontvanger", ONTVANGER, {"year": 2024}),
    ("soort", SOORT, {}),
    ("programma", PROGRAMMA, {"year": 2024}),
    ("omschrijving", OMSCHRIJVING, {"columns": {"Omschrijving": "scheme"}}),
]


@pytest.mark.parametrize("kind", ["cp1252/;", "cp1252/,", "utf-8/;", "utf-8/,", "xlsx"])
@pytest.mark.parametrize(("name", "rows", "mapping"), LAYOUTS, ids=[layout[0] for layout in LAYOUTS])
def test_registers_in_four_published_layouts_import_after_mapping(leiden, name, rows, mapping, kind):
    result = run_import(leiden, [encoded(rows, kind)], format="grants", mapping=mapping)
    assert result["counts"]["fundings"]["create"] == 2
    applicants = {r[0] for r in rows[1:]}
    assert set(Organisation.objects.values_list("name", flat=True)) == applicants
    buurtkracht = Funding.objects.get(organisation__name="Stichting Buurtkracht")
    assert buurtkracht.year in (2023, 2024)
    assert (
        buurtkracht.source_name
        == {
            "ontvanger": "Subsidieregeling Welzijn",
            "soort": "Jaarlijkse subsidie",
            "programma": "Sociaal domein",
            "omschrijving": "Buurthuis",
        }[name]
    )
    if name == "programma":
        assert buurtkracht.policy_area == "6.1 Samenkracht en burgerparticipatie"
    if name == "ontvanger":
        assert buurtkracht.organisation.kvk_number == "12345678"
        assert Funding.objects.get(organisation__name__startswith="Vereniging").amount_granted == Decimal("1250.50")


def test_granted_amount_counts_by_default_and_settled_when_chosen(leiden):
    run_import(leiden, [encoded(SOORT, "utf-8/;")], format="grants")
    buurtkracht = Funding.objects.get(organisation__name="Stichting Buurtkracht")
    assert (buurtkracht.amount_granted, buurtkracht.amount_settled) == (Decimal("12000"), Decimal("11500"))
    run_import(leiden, [encoded(SOORT, "utf-8/;")], format="grants", mapping={"amount": "settled"})
    buurtkracht.refresh_from_db()
    assert buurtkracht.amount_granted == Decimal("11500")  # settled counts
    cafe = Funding.objects.get(organisation__name="Café de Wijk")
    assert cafe.amount_granted == Decimal("1500")  # nothing settled yet: the granted amount


def test_a_required_field_that_cannot_be_guessed_is_named_with_the_columns_it_could_be(leiden):
    with pytest.raises(ImportRefused) as exc:
        run_import(leiden, [encoded(OMSCHRIJVING, "utf-8/;")], format="grants")
    (problem,) = exc.value.problems
    assert problem.message == (
        "Geen kolom voor het verplichte veld regeling; kolommen die het kunnen zijn: Omschrijving."
    )
    assert exc.value.extra["columns"]["headers"] == OMSCHRIJVING[0]
    assert exc.value.extra["columns"]["fields"] == ["applicant", "description", "amount_granted", "year"]
    assert not Organisation.objects.exists()


def test_a_register_without_a_year_needs_a_year_for_all_rows(leiden):
    with pytest.raises(ImportRefused) as exc:
        run_import(leiden, [encoded(PROGRAMMA, "utf-8/,")], format="grants")
    assert "verplichte veld jaar" in exc.value.problems[0].message


def test_the_command_names_the_missing_field_and_its_candidate_columns_in_dutch(leiden, tmp_path):
    path = tmp_path / "register.csv"
    path.write_bytes(encoded(OMSCHRIJVING, "cp1252/;")[1])
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 probleem gevonden"):
        call_command("import_grants", "--municipality", "GM0546", str(path), stderr=err)
    assert "verplichte veld regeling; kolommen die het kunnen zijn: Omschrijving" in err.getvalue()
    assert "--mapping" in err.getvalue()


def test_the_command_takes_a_mapping_file_amount_and_year(leiden, tmp_path):
    register, mapping = tmp_path / "register.csv", tmp_path / "kolommen.json"
    register.write_bytes(encoded(OMSCHRIJVING, "cp1252/,")[1])
    mapping.write_text(json.dumps({"columns": {"Omschrijving": "scheme"}, "amount": "granted"}))
    call_command("import_grants", "--municipality", "GM0546", "--mapping", str(mapping), str(register))
    assert Funding.objects.filter(source_name="Maatjesproject").exists()
    programma = tmp_path / "programma.csv"
    programma.write_bytes(encoded(PROGRAMMA, "utf-8/;")[1])
    call_command("import_grants", "--municipality", "GM0546", "--year", "2022", str(programma))
    assert Funding.objects.filter(year=2022).count() == 2


def test_the_command_refuses_a_mapping_file_with_unknown_fields(leiden, tmp_path):
    register, mapping = tmp_path / "register.csv", tmp_path / "kolommen.json"
    register.write_bytes(encoded(OMSCHRIJVING, "utf-8/,")[1])
    mapping.write_text(json.dumps({"columns": {"Omschrijving": "regelingnaam"}}))
    with pytest.raises(CommandError, match="Onbekende velden in het indelingsbestand: regelingnaam"):
        call_command("import_grants", "--municipality", "GM0546", "--mapping", str(mapping), str(register))
    with pytest.raises(CommandError, match="99999 is geen jaar"):
        call_command("import_grants", "--municipality", "GM0546", "--year", "99999", str(register))
    mapping.write_text("{not json")
    with pytest.raises(CommandError, match="geen leesbare JSON"):
        call_command("import_grants", "--municipality", "GM0546", "--mapping", str(mapping), str(register))


def test_a_saved_mapping_is_remembered_per_municipality_and_audited(leiden, tmp_path):
    other = MunicipalityFactory(cbs_code="GM0599", name="Rotterdam")
    services.save_grant_mapping(leiden, columns={"Omschrijving ": "scheme"}, amount="settled", actor="test")
    saved = GrantColumnMapping.objects.get(municipality=leiden)
    assert (saved.columns, saved.amount) == ({"omschrijving": "scheme"}, "settled")
    event = AuditEvent.objects.get(action="landscape.grant_mapping")
    assert event.municipality_code == "GM0546"
    services.save_grant_mapping(leiden, columns={"Taakveld": ""}, amount="settled", actor="test")
    assert GrantColumnMapping.objects.get(municipality=leiden).columns == {"omschrijving": "scheme", "taakveld": ""}
    services.save_grant_mapping(leiden, columns={"Taakveld": ""}, amount="settled", actor="test")
    assert AuditEvent.objects.filter(action="landscape.grant_mapping").count() == 2  # nothing changed: no event

    path = tmp_path / "register.csv"
    path.write_bytes(encoded(OMSCHRIJVING, "utf-8/;")[1])
    call_command("import_grants", "--municipality", "GM0546", str(path), stdout=io.StringIO())
    assert Funding.objects.filter(organisation__municipality=leiden, source_name="Buurthuis").exists()
    with pytest.raises(CommandError):  # another municipality has no such mapping
        call_command("import_grants", "--municipality", "GM0599", str(path), stderr=io.StringIO())
    assert not Funding.objects.filter(organisation__municipality=other).exists()
