"""A municipality's open grant register ("subsidieregister") as municipalities publish it, CSV or XLSX.

Columns are recognised by name, case- and spacing-insensitively, with the spellings municipalities use (ALIASES);
a title row above the header row is skipped. Every row becomes a municipal grant (Funding) of the applicant.

Applicants are matched to the registry by KvK number when the register has one, else by name (case and spacing
ignored). Unknown applicants are created as an organisation of kind DEFAULT_KIND, flagged `needs_review`, with the
legal form read from their name (stichting, vereniging, …).

Privacy: grant registers also list private individuals (e.g. a resident's street party). Their names are personal
data and are never stored. An applicant counts as a private individual (`is_private_individual`) when
- a column such as "Type aanvrager" or "Particulier" says so ("particulier", "natuurlijk persoon", "ja"), or the
  municipality already anonymised the name ("Particulier", "Anoniem", "N.N."); otherwise, when
- the name holds no legal-form or organisation word (stichting, vereniging, BV, coöperatie, VOF, buurt, huis, club, …)
  and looks like a person's name: a title (Dhr., Mevr., Fam.), initials and a surname ("J. de Vries", "A.B. Jansen"),
  "Surname, initials", or first name(s), a Dutch name particle and a surname ("Jan de Vries", "Anna van den Berg").
A type column saying "organisatie", or a KvK number, overrules the name rule (a plain "Jan Jansen" is not caught:
it cannot be told from an organisation called "Humanitas Leiden"; registers that name people should say so in a
type column). Rows of private individuals are added up per scheme and
year under one anonymous organisation per municipality, PRIVATE_APPLICANTS_NAME; only the number of such rows is
reported (and recorded in the audit event), never a name.
"""

import re

from django.utils.translation import gettext as _

from ..models import Funding, Organisation
from . import values as v
from .reading import ImportRefused, Problem, Progress, Table, checking_phase, is_empty, normalise_header, read_tables
from .records import FundingRecord, ImportData, OrganisationRecord, OrganisationRef, name_key

DEFAULT_KIND = Organisation.Kind.VOLUNTEER_WITH_STAFF
PRIVATE_APPLICANTS_NAME = "Particuliere aanvragers"
PRIVATE_APPLICANTS = {
    "kind": Organisation.Kind.SELF_ORGANISATION,
    "legal_form": Organisation.LegalForm.INFORMAL,
    "description": "Subsidies aan particulieren uit het subsidieregister, per regeling en jaar opgeteld. "
    "Namen van personen worden niet opgeslagen.",
}

ALIASES = {
    "applicant": [
        "aanvrager",
        "naam aanvrager",
        "aanvrager naam",
        "organisatie",
        "naam organisatie",
        "ontvanger",
        "subsidieontvanger",
        "naam ontvanger",
        "begunstigde",
        "subsidieaanvrager",
    ],
    "kvk_number": ["kvk", "kvk-nummer", "kvk nummer", "kvknummer", "kvk-nr", "kvk nr", "kvk-nr.", "kvk nr."],
    "scheme": ["regeling", "regelingnaam", "regeling naam", "naam regeling", "subsidieregeling", "subsidie regeling"],
    "description": [
        "omschrijving",
        "projectnaam",
        "project",
        "omschrijving project",
        "activiteit",
        "doel",
        "doel subsidie",
        "projectomschrijving",
    ],
    "year": ["subsidiejaar", "jaar", "boekjaar", "subsidie jaar"],
    "amount_requested": ["aangevraagd bedrag", "aangevraagd", "bedrag aangevraagd", "gevraagd bedrag"],
    "amount_granted": [
        "verleend bedrag",
        "verleend",
        "bedrag verleend",
        "toegekend bedrag",
        "toegekend",
        "subsidiebedrag",
        "bedrag",
        "verleningsbedrag",
    ],
    "amount_settled": ["vastgesteld bedrag", "vastgesteld", "bedrag vastgesteld", "vaststellingsbedrag"],
    "policy_area": ["beleidsterrein", "programma", "beleidsveld", "beleidsprogramma", "thema", "beleidsdoel"],
    "periodic": [
        "periodiek/eenmalig",
        "eenmalig/periodiek",
        "periodiek",
        "eenmalig",
        "soort subsidie",
        "type subsidie",
        "looptijd",
    ],
    "applicant_type": [
        "type aanvrager",
        "soort aanvrager",
        "aanvrager type",
        "particulier",
        "natuurlijk persoon",
        "rechtsvorm aanvrager",
        "type ontvanger",
    ],
}
REQUIRED = ["applicant", "scheme", "year", "amount_granted"]
SKIP_APPLICANTS = {"totaal", "total", "subtotaal", "eindtotaal"}

PERIODIC_WORDS = {
    "periodiek": True,
    "structureel": True,
    "jaarlijks": True,
    "meerjarig": True,
    "eenmalig": False,
    "incidenteel": False,
    "project": False,
    "projectsubsidie": False,
}
PRIVATE_TYPE_WORDS = {
    "particulier",
    "particulieren",
    "natuurlijk persoon",
    "prive",
    "privé",
    "persoon",
    "inwoner",
    "bewoner",
    "ja",
    "j",
    "x",
}
ORGANISATION_TYPE_WORDS = {"organisatie", "rechtspersoon", "stichting", "vereniging", "bedrijf", "nee", "n"}
ANONYMISED = re.compile(r"^(particulier(en)?|anoniem|geanonimiseerd|n\.?\s?n\.?|privacy|afgeschermd)\b", re.I)
ORGANISATION_WORDS = re.compile(
    r"(stichting|\bstg\b|vereniging|\bver\.|\bvzw\b|\bb\.?\s?v\.?(?!\w)|\bn\.?\s?v\.?(?!\w)|co[öo]peratie|\bu\.?a\.?(?!\w)|"
    r"\bv\.?o\.?f\.?(?!\w)|\bc\.?v\.?(?!\w)|maatschap|fonds|kerk|parochie|moskee|gemeente|school|club|bond|federatie|"
    r"raad\b|comit[ée]|collectief|platform|werkgroep|buurt|wijk|bewoners|huis|centrum|museum|theater|koor|orkest|"
    r"\bteam|netwerk|organisatie|verband|welzijn|zorg|sport|festival|atelier|bibliotheek|speeltuin|boerderij|"
    r"vrienden|jongeren|ouderen|kinder|foundation|association|\bgroep|project|initiatief|kring|academie|\bs\.?v\.?\b|"
    r"&|\d)",
    re.I,
)
_PARTICLE = r"(?:van|de|der|den|ter|ten|te|het|'t|in|op|la|le|du|da|di|el|al|bin|ben|von|zu)"
_WORD = r"[A-ZÀ-Þ][a-zß-ÿ']+(?:-[A-ZÀ-Þ][a-zß-ÿ']+)?"
PERSON_PATTERNS = [
    re.compile(r"^(dhr|mevr|mw|mr|dr|ir|drs|ing|de heer|mevrouw|fam|familie)\.?\s", re.I),
    re.compile(rf"^(?:[A-Z]\.\s?){{1,5}}\s*(?:{_PARTICLE}\s+)*{_WORD}$"),
    re.compile(rf"^{_WORD},\s*(?:[A-Z]\.\s?){{1,5}}(?:\s*{_PARTICLE})*$"),
    re.compile(rf"^{_WORD}(?:\s+{_WORD})?(?:\s+{_PARTICLE})+\s+{_WORD}$"),
]


def is_private_individual(name: str, applicant_type: str = "", kvk_number: str = "") -> bool:
    """Whether a register row names a private individual (the rule is in the module docstring)."""
    kind = applicant_type.strip().lower()
    if kind in PRIVATE_TYPE_WORDS:
        return True
    if ANONYMISED.match(name.strip()):
        return True
    if kind in ORGANISATION_TYPE_WORDS or kvk_number or ORGANISATION_WORDS.search(name):
        return False
    return any(p.match(name.strip()) for p in PERSON_PATTERNS)


def legal_form_from_name(name: str) -> str:
    lowered = name.lower()
    rules = [
        (r"stichting|\bstg\b", Organisation.LegalForm.FOUNDATION),
        (r"vereniging|\bver\.", Organisation.LegalForm.ASSOCIATION),
        (r"co[öo]peratie|\bu\.?a\.?(?!\w)", Organisation.LegalForm.COOPERATIVE),
        (r"\bb\.?\s?v\.?(?!\w)", Organisation.LegalForm.PRIVATE_COMPANY),
        (r"\bv\.?o\.?f\.?(?!\w)|\bn\.?\s?v\.?(?!\w)|\bc\.?v\.?(?!\w)|maatschap", Organisation.LegalForm.OTHER),
    ]
    return next((form for pattern, form in rules if re.search(pattern, lowered)), "")


def _columns(headers) -> dict[str, int]:
    found = {}
    for i, header in enumerate(headers):
        key = normalise_header(header)
        for column, aliases in ALIASES.items():
            if key in aliases and column not in found:
                found[column] = i
    return found


def _find_header(table: Table) -> tuple[dict[str, int], list, int]:
    """The header row: the first row (of the first 10) naming an applicant and an amount; returns (columns, header
    cells, index of the first data row in table.rows)."""
    candidates = [(table.headers, 0)] + [(cells, i + 1) for i, (_n, cells) in enumerate(table.rows[:10])]
    for cells, start in candidates:
        columns = _columns(cells)
        if "applicant" in columns and "amount_granted" in columns:
            return columns, cells, start
    return _columns(table.headers), table.headers, 0


def _periodic(value, header: str) -> bool | None:
    word = v.text(value).lower()
    if word in PERIODIC_WORDS:
        return PERIODIC_WORDS[word]
    answer = v.yes_no(value)  # raises CellError for anything else
    return (not answer) if normalise_header(header) == "eenmalig" else answer


class _Parser:
    def __init__(self, progress: Progress):
        self.data = ImportData()
        self.problems: list[Problem] = []
        self.progress = progress
        self.organisations: dict = {}  # key -> OrganisationRecord
        self.fundings: dict = {}  # key -> (row, FundingRecord)
        self.private: dict = {}  # (scheme, year) -> FundingRecord
        self.private_rows = 0

    def table(self, table: Table):
        columns, header_cells, start = _find_header(table)
        missing = [c for c in REQUIRED if c not in columns]
        if missing:
            accepted = "; ".join(f"{ALIASES[c][0]} ({', '.join(ALIASES[c][1:4])})" for c in missing)
            self.problems.append(Problem(_("Missing columns: %(columns)s.") % {"columns": accepted}, table.name, 1))
            return
        headers = {c: str(header_cells[i]) for c, i in columns.items()}
        for number, cells in table.rows[start:]:
            self.progress.step()
            self.row(table.name, number, {c: cells[i] if i < len(cells) else None for c, i in columns.items()}, headers)

    def cell(self, sheet, number, headers, column, raw, parse, required=False):
        if is_empty(raw):
            if required:
                self.problems.append(Problem(_("This cell is required."), sheet, number, headers[column]))
                raise v.CellError
            return None
        try:
            return parse(raw)
        except v.CellError as exc:
            self.problems.append(Problem(str(exc), sheet, number, headers[column]))
            raise

    def row(self, sheet, number, raw: dict, headers: dict):
        applicant = v.text(raw["applicant"]) if not is_empty(raw["applicant"]) else ""
        if applicant.lower() in SKIP_APPLICANTS:
            return
        values, ok = {}, True
        parsers = {
            "applicant": (v.text_parser(255), True),
            "kvk_number": (v.kvk_number, False),
            "scheme": (v.text_parser(255), True),
            "description": (v.text_parser(500), False),
            "year": (v.year, True),
            "amount_requested": (v.amount, False),
            "amount_granted": (v.amount, True),
            "amount_settled": (v.amount, False),
            "policy_area": (v.text_parser(255), False),
            "periodic": (lambda x: _periodic(x, headers["periodic"]), False),
            "applicant_type": (v.text, False),
        }
        for column, (parse, required) in parsers.items():
            if column in raw:
                try:
                    values[column] = self.cell(sheet, number, headers, column, raw[column], parse, required)
                except v.CellError:
                    ok = False
        if not ok:
            return
        money = {k: values.get(k) for k in ("amount_requested", "amount_granted", "amount_settled")}
        extra = {"policy_area": values.get("policy_area") or "", "periodic": values.get("periodic")}
        if is_private_individual(applicant, values.get("applicant_type") or "", values.get("kvk_number") or ""):
            self.add_private(sheet, number, values, money, extra)
            return
        kvk = values.get("kvk_number") or ""
        ref = OrganisationRef(kvk_number=kvk, name=applicant)
        org_key = kvk or name_key(applicant)
        if org_key not in self.organisations:
            create = {
                "name": applicant,
                "kvk_number": kvk,
                "kind": DEFAULT_KIND,
                "needs_review": True,
                "legal_form": legal_form_from_name(applicant),
            }
            self.organisations[org_key] = OrganisationRecord(sheet, number, ref, {}, create)
        description = values.get("description") or ""
        key = (org_key, values["scheme"], values["year"], description)
        if key in self.fundings:
            first = self.fundings[key]
            self.problems.append(
                Problem(
                    _("Duplicate row: the same applicant, scheme, year and description as row %(row)s.")
                    % {"row": first.row},
                    sheet,
                    number,
                )
            )
            return
        self.fundings[key] = FundingRecord(
            sheet,
            number,
            ref,
            values["year"],
            Funding.Kind.MUNICIPAL_GRANT,
            values["scheme"],
            description,
            values={**money, **extra},
        )

    def add_private(self, sheet, number, values, money, extra):
        """Add a private individual's grant to the anonymous total of its scheme and year (no name kept)."""
        self.private_rows += 1
        key = (values["scheme"], values["year"])
        total = self.private.get(key)
        if total is None:
            self.private[key] = FundingRecord(
                sheet,
                number,
                OrganisationRef(name=PRIVATE_APPLICANTS_NAME),
                values["year"],
                Funding.Kind.MUNICIPAL_GRANT,
                values["scheme"],
                "",
                values={**money, **extra},
            )
            return
        for k, amount in money.items():
            if amount is not None:
                total.values[k] = (total.values[k] or 0) + amount

    def result(self) -> ImportData:
        self.data.organisations = list(self.organisations.values())
        self.data.fundings = list(self.fundings.values())
        if self.private:
            ref = OrganisationRef(name=PRIVATE_APPLICANTS_NAME)
            first = min(f.row for f in self.private.values())
            sheet = next(iter(self.private.values())).sheet
            self.data.organisations.append(
                OrganisationRecord(sheet, first, ref, {}, {"name": PRIVATE_APPLICANTS_NAME, **PRIVATE_APPLICANTS})
            )
            self.data.fundings.extend(self.private.values())
        self.data.extra = {"private_applications": self.private_rows}
        return self.data


def parse(files: list[tuple[str, bytes]], municipality=None, progress: Progress | None = None) -> ImportData:
    """Parse grant register files into records; raise ImportRefused listing every problem."""
    progress = progress or Progress()
    parser = _Parser(progress)
    usable = []
    for file_name, content in files:
        try:
            tables = read_tables(content, file_name, progress)
        except ImportRefused as refused:
            parser.problems.extend(refused.problems)
            continue
        tables = [t for t in tables if t.rows or len(tables) == 1]
        usable += [t for t in tables if "applicant" in _find_header(t)[0]] or tables[:1]
    checking_phase(progress, usable)
    for table in usable:
        parser.table(table)
    data = parser.result()
    if not parser.problems and data.is_empty:
        parser.problems.append(Problem(_("The file contains no rows to import.")))
    if parser.problems:
        raise ImportRefused(parser.problems)
    return data
