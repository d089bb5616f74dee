"""Importing a municipality's open grant register: flexible headers, Dutch amounts, and no names of private persons."""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from audit.models import AuditEvent
from core.testing import MunicipalityFactory
from landscape import services
from landscape.imports.grants import PRIVATE_APPLICANTS_NAME, is_private_individual
from landscape.imports.reading import ImportRefused
from landscape.imports.run import run_import
from landscape.models import Funding, Organisation

from .import_files import csv_bytes, xlsx

HEADERS = [
    "Aanvrager",
    "Regelingnaam",
    "Omschrijving",
    "Subsidiejaar",
    "Aangevraagd bedrag",
    "Verleend bedrag",
    "Vastgesteld bedrag",
    "Beleidsterrein",
    "Periodiek/Eenmalig",
]
ROWS = [
    [
        "Stichting Buurtwerk Leiden",
        "Welzijn",
        "Inloop",
        "2024",
        "€ 12.500,00",
        "€ 12.000,00",
        "",
        "Sociaal",
        "Periodiek",
    ],
    ["Vereniging Oost", "Buurtinitiatieven", "Zomerfeest", "2024", "1.000", "€ 950,50", "950,50", "Wijken", "Eenmalig"],
    ["J. de Vries", "Buurtinitiatieven", "Straatfeest", "2024", "500", "€ 400,00", "", "Wijken", "Eenmalig"],
    ["Anna van den Berg", "Buurtinitiatieven", "Buurtbbq", "2024", "300", "€ 300,00", "", "Wijken", "Eenmalig"],
]


@pytest.fixture
def leiden(db):
    return MunicipalityFactory(cbs_code="GM0546", name="Leiden")


@pytest.mark.parametrize(
    ("name", "kind", "private"),
    [
        ("J. de Vries", "", True),
        ("A.B. Jansen", "", True),
        ("Jansen, P.", "", True),
        ("Dhr. Pietersen", "", True),
        ("Mevr. K. Bakker-de Wit", "", True),
        ("Anna van den Berg", "", True),
        ("Particulier", "", True),
        ("N.N.", "", True),
        ("Jan Jansen", "particulier", True),
        ("Jan Jansen", "Natuurlijk persoon", True),
        ("Stichting J. de Vries Fonds", "", False),
        ("Vereniging Oost", "", False),
        ("Buurthuis De Mare", "", False),
        ("Jansen Zorg B.V.", "", False),
        ("Huis van de Buurt", "", False),
        ("Humanitas Leiden", "", False),
        ("Van der Berg VOF", "", False),
        ("Anna van den Berg", "organisatie", False),
    ],
)
def test_private_individuals_are_recognised_by_type_column_or_name_pattern(name, kind, private):
    assert is_private_individual(name, kind) is private


def test_private_applicants_kvk_number_means_an_organisation():
    assert is_private_individual("J. de Vries", kvk_number="12345678") is False


def test_grant_register_creates_grants_and_flags_new_organisations_for_review(leiden):
    result = run_import(leiden, [("register.csv", csv_bytes([HEADERS, *ROWS]))], format="grants")
    assert result["private_applications"] == 2
    org = Organisation.objects.get(name="Stichting Buurtwerk Leiden")
    assert (org.kind, org.legal_form, org.needs_review) == ("volunteer_with_staff", "stichting", True)
    grant = Funding.objects.get(organisation=org)
    assert (grant.kind, grant.source_name, grant.description, grant.year) == (
        "municipal_grant",
        "Welzijn",
        "Inloop",
        2024,
    )
    assert (grant.amount_requested, grant.amount_granted, grant.amount_settled) == (
        Decimal("12500.00"),
        Decimal("12000.00"),
        None,
    )
    assert (grant.policy_area, grant.periodic) == ("Sociaal", True)
    assert Funding.objects.get(organisation__name="Vereniging Oost").periodic is False


def test_names_of_private_individuals_are_never_stored(leiden):
    run_import(leiden, [("register.csv", csv_bytes([HEADERS, *ROWS]))], format="grants")
    names = set(Organisation.objects.values_list("name", flat=True))
    assert names == {"Stichting Buurtwerk Leiden", "Vereniging Oost", PRIVATE_APPLICANTS_NAME}
    private = Funding.objects.get(organisation__name=PRIVATE_APPLICANTS_NAME)
    assert (private.amount_granted, private.amount_requested, private.description) == (
        Decimal("700.00"),
        Decimal("800.00"),
        "",
    )
    stored = repr(list(Funding.objects.values())) + repr(list(Organisation.objects.values()))
    stored += repr(list(AuditEvent.objects.values("summary")))
    for personal in ("Vries", "Berg", "Straatfeest", "Buurtbbq"):
        assert personal not in stored


def test_reimporting_a_register_updates_and_never_duplicates(leiden):
    data = csv_bytes([HEADERS, *ROWS])
    run_import(leiden, [("register.csv", data)], format="grants")
    again = run_import(leiden, [("register.csv", data)], format="grants")
    assert again["counts"]["organisations"] == {"create": 0, "update": 0, "unchanged": 3}
    assert again["counts"]["fundings"] == {"create": 0, "update": 0, "unchanged": 3}
    assert Funding.objects.count() == 3


def test_existing_organisations_are_matched_by_kvk_then_normalised_name(leiden):
    kept = services.upsert_organisation(leiden, name="Stichting Buurtwerk Leiden", kind="large_welfare")
    by_kvk = services.upsert_organisation(leiden, name="Oost", kvk_number="11223344", kind="volunteer_only")
    rows = [
        ["Aanvrager", "KvK-nummer", "Regeling", "Jaar", "Verleend"],
        ["stichting  buurtwerk LEIDEN", "", "Welzijn", "2024", "100"],
        ["Vereniging Oost", "11223344", "Welzijn", "2024", "200"],
    ]
    result = run_import(leiden, [("r.csv", csv_bytes(rows))], format="grants")
    assert result["counts"]["organisations"]["create"] == 0
    kept.refresh_from_db()
    assert (kept.kind, kept.needs_review) == ("large_welfare", False), "a matched organisation is left as it is"
    assert Funding.objects.get(organisation=by_kvk).amount_granted == Decimal("200.00")


def test_headers_are_case_and_spacing_insensitive_and_title_rows_are_skipped(leiden):
    rows = [
        ["Subsidieregister gemeente Leiden 2024"],
        [],
        [" AANVRAGER ", "regeling  naam", "Subsidie jaar", "VERLEEND BEDRAG"],
        ["Stichting Noord", "Welzijn", "2024", "€ 1.234.567,89"],
        ["Totaal", "", "", "€ 1.234.567,89"],
    ]
    run_import(leiden, [("r.csv", csv_bytes(rows, delimiter=","))], format="grants")
    assert Funding.objects.get().amount_granted == Decimal("1234567.89")


def test_windows_1252_and_xlsx_registers(leiden):
    rows = [
        ["Aanvrager", "Regeling", "Subsidiejaar", "Verleend bedrag"],
        ["Stichting Café Coöperatief", "Welzijn", 2024, 750.5],
    ]
    run_import(leiden, [("r.csv", csv_bytes(rows, encoding="cp1252"))], format="grants")
    assert Organisation.objects.get().name == "Stichting Café Coöperatief"
    rows[1][0] = "Stichting Zuid"
    run_import(leiden, [("r.xlsx", xlsx({"Register 2024": rows}))], format="grants")
    assert Funding.objects.get(organisation__name="Stichting Zuid").amount_granted == Decimal("750.50")


def test_bad_register_lists_every_problem_and_writes_nothing(leiden):
    rows = [
        HEADERS,
        ["Stichting A", "Welzijn", "", "2024", "", "€ -5,00", "", "", ""],
        ["Stichting B", "Welzijn", "", "twintig", "", "veel", "", "", "soms"],
        ["Stichting C", "Welzijn", "", "2024", "", "100", "", "", ""],
        ["Stichting C", "Welzijn", "", "2024", "", "100", "", "", ""],
    ]
    with pytest.raises(ImportRefused) as exc:
        run_import(leiden, [("r.csv", csv_bytes(rows))], format="grants")
    problems = [str(p) for p in exc.value.problems]
    assert problems == [
        "blad r.csv, rij 2, kolom Verleend bedrag: Een bedrag kan niet negatief zijn.",
        "blad r.csv, rij 3, kolom Subsidiejaar: twintig is geen geheel getal.",
        "blad r.csv, rij 3, kolom Verleend bedrag: veel is geen bedrag (schrijf bijvoorbeeld € 12.500,00).",
        "blad r.csv, rij 3, kolom Periodiek/Eenmalig: Schrijf ja of nee (niet soms).",
        "blad r.csv, rij 5: Dubbele rij: dezelfde aanvrager, regeling, jaar en omschrijving als rij 4.",
    ]
    assert Organisation.objects.count() == 0 and Funding.objects.count() == 0


def test_missing_columns_name_the_required_field(leiden, tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes(csv_bytes([["Naam", "Bedrag"], ["Stichting A", "100"]]))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_grants", "--municipality", "GM0546", str(path), stderr=err)
    assert "Geen kolom voor het verplichte veld regeling; kolommen die het kunnen zijn: geen." in err.getvalue()
    assert "Geen kolom voor het verplichte veld jaar" in err.getvalue()


def test_import_grants_command(leiden, tmp_path):
    path = tmp_path / "register.xlsx"
    path.write_bytes(xlsx({"Blad1": [HEADERS, *ROWS]}))
    out = io.StringIO()
    call_command("import_grants", "--municipality", "GM0546", str(path), stdout=out)
    assert "Aanvragen van particulieren (anoniem opgeslagen): 2" in out.getvalue()
    assert Funding.objects.count() == 3
