"""The columns of the landscape import template (docs/import-template.md): sheets `wijken`, `organisaties`,
`activiteiten` and `financiering` with Dutch headers, their vocabularies and the parser of each cell.

These definitions are the single source of the parser (`template.parse`), the downloadable template (with its sheet
"toelichting") and the documentation; the file format is Dutch, whatever the language of the UI.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from ..models import Activity, District, Funding, Organisation
from . import values as v
from .reading import normalise_header
from .records import OrganisationRef

KIND_LABELS = {
    Organisation.Kind.LARGE_WELFARE: "grote welzijnsorganisatie",
    Organisation.Kind.VOLUNTEER_WITH_STAFF: "vrijwilligersorganisatie met beroepskrachten",
    Organisation.Kind.VOLUNTEER_ONLY: "vrijwilligersorganisatie",
    Organisation.Kind.SOCIAL_ENTERPRISE: "sociale onderneming",
    Organisation.Kind.SELF_ORGANISATION: "zelforganisatie",
}
LEGAL_FORM_LABELS = {
    Organisation.LegalForm.FOUNDATION: "stichting",
    Organisation.LegalForm.ASSOCIATION: "vereniging",
    Organisation.LegalForm.COOPERATIVE: "coöperatie",
    Organisation.LegalForm.PRIVATE_COMPANY: "bv",
    Organisation.LegalForm.SOLE_PROPRIETOR: "eenmanszaak",
    Organisation.LegalForm.INFORMAL: "informeel",
    Organisation.LegalForm.OTHER: "anders",
}
FUNDING_KIND_LABELS = {
    Funding.Kind.MUNICIPAL_GRANT: "gemeentelijke subsidie",
    Funding.Kind.EXTERNAL: "externe cofinanciering",
}
FUNDING_KIND_ALIASES = {"subsidie": Funding.Kind.MUNICIPAL_GRANT, "fonds": Funding.Kind.EXTERNAL}


def _vocabulary(labels: dict, aliases: dict | None = None) -> tuple[dict, str]:
    options = {str(code).lower(): str(code) for code in labels}
    options.update({label.lower(): str(code) for code, label in labels.items()})
    options.update({k: str(c) for k, c in (aliases or {}).items()})
    options["cooperatie"] = options.get("coöperatie", options.get("cooperatie"))
    options = {k: c for k, c in options.items() if c}
    return options, ", ".join(f"{label} ({code})" for code, label in labels.items())


KINDS, KINDS_TEXT = _vocabulary(KIND_LABELS)
LEGAL_FORMS, LEGAL_FORMS_TEXT = _vocabulary(LEGAL_FORM_LABELS, {"cooperatie": "cooperatie", "b.v.": "bv"})
FUNDING_KINDS, FUNDING_KINDS_TEXT = _vocabulary(FUNDING_KIND_LABELS, FUNDING_KIND_ALIASES)


def _max_length(model, name):
    return model._meta.get_field(name).max_length


def organisation_ref(value) -> OrganisationRef:
    """The cell naming an organisation: its KvK number (8 digits) or its name."""
    raw = v.text(value)
    if re.fullmatch(r"[\d .-]{8,12}", raw) and len(re.sub(r"\D", "", raw)) == 8 or isinstance(value, int):
        return OrganisationRef(kvk_number=v.kvk_number(value))
    return OrganisationRef(name=v.text_parser(255)(value))


def district_codes(value) -> list[str]:
    codes = [c.upper().replace(" ", "") for c in v.split_list(value)]
    wrong = [c for c in codes if not re.fullmatch(r"WK\d{6}", c)]
    if wrong:
        raise v.CellError(
            _("%(codes)s: a district code is WK followed by 6 digits, e.g. WK054601.") % {"codes": ", ".join(wrong)}
        )
    return sorted(set(codes))


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    parse: Callable[[Any], Any]
    required: bool = False  # the column must be present and every cell filled
    empty: Any = None  # the value of an empty cell (columns that are absent leave the field unchanged)
    help: str = ""
    example: Any = ""


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: list[Column]
    help: str
    aliases: tuple = field(default=())

    @property
    def required_headers(self) -> set[str]:
        return {normalise_header(c.header) for c in self.columns if c.required}


DISTRICTS = Sheet(
    "wijken",
    [
        Column("Wijkcode", "cbs_code", district_codes, True, help="CBS-wijkcode: WK + 6 cijfers.", example="WK054601"),
        Column(
            "Naam",
            "name",
            v.text_parser(_max_length(District, "name")),
            True,
            help="Naam van de wijk.",
            example="Binnenstad-Zuid",
        ),
    ],
    help="Optioneel: wijken van de gemeente (bestaande wijken worden bijgewerkt). Sleutel: wijkcode.",
    aliases=("districts",),
)
ORGANISATIONS = Sheet(
    "organisaties",
    [
        Column(
            "Naam", "name", v.text_parser(255), True, help="Naam van de organisatie.", example="Stichting Buurtkracht"
        ),
        Column(
            "KvK-nummer",
            "kvk_number",
            v.kvk_number,
            empty="",
            help="8 cijfers. Sleutel: KvK-nummer als het bekend is, anders de naam.",
            example="12345678",
        ),
        Column(
            "Rechtsvorm",
            "legal_form",
            v.choice(LEGAL_FORMS, LEGAL_FORMS_TEXT),
            empty="",
            help=f"Een van: {LEGAL_FORMS_TEXT}.",
            example="stichting",
        ),
        Column(
            "Soort",
            "kind",
            v.choice(KINDS, KINDS_TEXT),
            True,
            help=f"Een van: {KINDS_TEXT}.",
            example="vrijwilligersorganisatie met beroepskrachten",
        ),
        Column(
            "Betaalde krachten (fte)",
            "paid_staff_fte",
            v.decimal_number(),
            empty=0,
            help="Aantal fte in loondienst, bv. 2,5.",
            example="2,5",
        ),
        Column("Vrijwilligers", "volunteers", v.whole_number, empty=0, help="Aantal vrijwilligers.", example=40),
        Column(
            "Eigen inkomsten (%)",
            "own_income_share",
            v.decimal_number(v.Decimal(100)),
            empty=0,
            help="Deel van de inkomsten dat de organisatie zelf verdient, 0 tot 100.",
            example="15",
        ),
        Column(
            "Eerste subsidiejaar",
            "first_funded_year",
            v.year,
            help="Jaar van de eerste gemeentelijke subsidie.",
            example=2012,
        ),
        Column("Website", "website", v.url, empty="", help="Webadres.", example="https://buurtkracht.example"),
        Column(
            "Omschrijving",
            "description",
            v.text_parser(10000),
            empty="",
            help="Korte omschrijving.",
            example="Buurthuis en vrijwilligerswerk in de binnenstad",
        ),
    ],
    help="Organisaties in de sociale basis. Sleutel: KvK-nummer, anders de naam (hoofdletters en spaties tellen niet).",
    aliases=("organisations",),
)
ACTIVITIES = Sheet(
    "activiteiten",
    [
        Column(
            "Organisatie",
            "organisation",
            organisation_ref,
            True,
            help="Naam of KvK-nummer van de organisatie (uit het blad organisaties of al in het register).",
            example="Stichting Buurtkracht",
        ),
        Column(
            "Titel",
            "title",
            v.text_parser(_max_length(Activity, "title")),
            True,
            help="Titel van de activiteit. Sleutel: (organisatie, titel).",
            example="Koffieochtend",
        ),
        Column(
            "Omschrijving",
            "description",
            v.text_parser(10000),
            empty="",
            help="Korte omschrijving.",
            example="Elke dinsdag inloop met koffie",
        ),
        Column(
            "Doelgroepen",
            "target_groups",
            v.split_list,
            empty=[],
            help="Codes of namen van doelgroepen, gescheiden door komma's (zie de lijst hieronder).",
            example="elderly, loneliness",
        ),
        Column(
            "Wijken",
            "districts",
            district_codes,
            empty=[],
            help="CBS-wijkcodes, gescheiden door komma's; de wijken moeten bekend zijn.",
            example="WK054601",
        ),
        Column(
            "Bereik (deelnemers per jaar)", "reach", v.whole_number, empty=0, help="Deelnemers per jaar.", example=250
        ),
        Column(
            "Vrijwilligersuren",
            "volunteer_hours",
            v.whole_number,
            empty=0,
            help="Vrijwilligersuren per jaar.",
            example=1200,
        ),
        Column("Sinds", "since_year", v.year, help="Jaar waarin de activiteit begon.", example=2015),
        Column("Preventief", "preventive", v.yes_no, empty=False, help="ja of nee.", example="ja"),
    ],
    help="Activiteiten van organisaties. Sleutel: (organisatie, titel).",
    aliases=("activities",),
)
FUNDINGS = Sheet(
    "financiering",
    [
        Column(
            "Organisatie",
            "organisation",
            organisation_ref,
            True,
            help="Naam of KvK-nummer van de organisatie.",
            example="Stichting Buurtkracht",
        ),
        Column(
            "Activiteit",
            "activity_title",
            v.text_parser(255),
            empty="",
            help="Optioneel: titel van een activiteit van die organisatie.",
            example="Koffieochtend",
        ),
        Column("Jaar", "year", v.year, True, help="Jaar van de financiering.", example=2024),
        Column(
            "Soort",
            "kind",
            v.choice(FUNDING_KINDS, FUNDING_KINDS_TEXT),
            True,
            help=f"Een van: {FUNDING_KINDS_TEXT}.",
            example="gemeentelijke subsidie",
        ),
        Column(
            "Regeling of fonds",
            "source_name",
            v.text_parser(255),
            True,
            help="Subsidieregeling of naam van het fonds (bv. Fonds Doen, VSB-fonds).",
            example="Subsidieregeling Welzijn",
        ),
        Column(
            "Omschrijving",
            "description",
            v.text_parser(500),
            empty="",
            help="Project of omschrijving.",
            example="Inloop binnenstad",
        ),
        Column(
            "Beleidsterrein",
            "policy_area",
            v.text_parser(255),
            empty="",
            help="Beleidsterrein of programma.",
            example="Sociaal domein",
        ),
        Column(
            "Periodiek", "periodic", v.yes_no, help="ja (periodiek) of nee (eenmalig); leeg als onbekend.", example="ja"
        ),
        Column(
            "Aangevraagd bedrag",
            "amount_requested",
            v.amount,
            help="Bedrag in euro's, bv. € 12.500,00.",
            example="€ 30.000,00",
        ),
        Column(
            "Verleend bedrag",
            "amount_granted",
            v.amount,
            True,
            help="Bedrag in euro's voor dat jaar.",
            example="€ 27.500,00",
        ),
        Column(
            "Vastgesteld bedrag", "amount_settled", v.amount, help="Bedrag na vaststelling, als bekend.", example=""
        ),
        Column(
            "Voorwaardelijk",
            "conditional",
            v.yes_no,
            empty=False,
            help="Alleen bij externe cofinanciering: ja als het fonds alleen betaalt zolang de gemeente betaalt.",
            example="nee",
        ),
    ],
    help="Financieringsregels per jaar. Sleutel: (organisatie, activiteit, jaar, soort, regeling of fonds, "
    "omschrijving).",
    aliases=("fundings",),
)
SHEETS = [DISTRICTS, ORGANISATIONS, ACTIVITIES, FUNDINGS]
SHEET_BY_NAME = {n: s for s in SHEETS for n in (s.name, *s.aliases)}
