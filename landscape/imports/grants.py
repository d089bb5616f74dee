"""A municipality's open grant register ("subsidieregister") as municipalities publish it, CSV or XLSX.

Columns are recognised by name, case- and spacing-insensitively, with the spellings municipalities use (ALIASES);
a title row above the header row is skipped. Other headers are guessed (`guess_columns`: a scheme from "Soort" or
"Programma" when no column names one, else a word the header contains) unless a person mapped them (`Mapping`,
remembered per municipality in GrantColumnMapping, or a --mapping file); which amount counts, granted (default) or
settled, is part of the mapping. Every row becomes a municipal grant (Funding) of the applicant.

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
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
    "policy_area": [
        "beleidsterrein",
        "programma",
        "beleidsveld",
        "beleidsprogramma",
        "thema",
        "beleidsdoel",
        "taakveld",
        "begrotingsprogramma",
    ],
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
FIELDS = list(ALIASES)
FIELD_LABELS = {
    "applicant": gettext_lazy("applicant"),
    "kvk_number": gettext_lazy("KvK number"),
    "scheme": gettext_lazy("scheme"),
    "description": gettext_lazy("description"),
    "year": gettext_lazy("year"),
    "amount_requested": gettext_lazy("amount requested"),
    "amount_granted": gettext_lazy("amount granted"),
    "amount_settled": gettext_lazy("amount settled"),
    "policy_area": gettext_lazy("policy area"),
    "periodic": gettext_lazy("periodic or one-off"),
    "applicant_type": gettext_lazy("applicant type"),
}
# Registers without a scheme column often name it in one of these (the budget programme or the kind of grant).
SCHEME_FALLBACKS = ["soort", "programma", "subsidiesoort", "soort regeling", "begrotingsprogramma"]
# Headers that are none of the spellings in ALIASES are guessed from a word they contain, in this order of fields.
KEYWORDS = [
    ("kvk_number", ["kvk", "kamer van koophandel"]),
    ("applicant_type", ["type aanvrager", "soort aanvrager", "particulier", "rechtsvorm"]),
    ("amount_requested", ["aangevraagd", "gevraagd", "aanvraagbedrag"]),
    ("amount_settled", ["vastgesteld", "vaststelling", "gerealiseerd", "definitief"]),
    ("amount_granted", ["verleend", "verlening", "toegekend", "beschikt", "beschikking", "bedrag"]),
    ("year", ["jaar"]),
    ("periodic", ["eenmalig", "periodiek", "structureel", "incidenteel"]),
    ("scheme", ["regeling"]),
    ("policy_area", ["beleid", "programma", "taakveld", "thema"]),
    ("description", ["omschrijving", "project", "activiteit", "doel", "toelichting"]),
    ("applicant", ["ontvanger", "aanvrager", "begunstigde", "organisatie", "instelling", "naam"]),
]
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


@dataclass
class Mapping:
    """How the columns of a register map to FIELDS: `columns` {normalised header: field, or "" to ignore it} chosen
    by a person (remembered per municipality, or given with --mapping); other headers are guessed. `amount` says which
    amount counts ("granted" or "settled"); `year` is the year of every row of a register without a year column."""

    columns: dict = field(default_factory=dict)
    amount: str = "granted"
    year: int | None = None

    @classmethod
    def from_dict(cls, value: dict | None) -> "Mapping":
        value = value or {}
        columns = {normalise_header(k): (f if f in FIELDS else "") for k, f in (value.get("columns") or {}).items()}
        amount = value.get("amount") if value.get("amount") in ("granted", "settled") else "granted"
        year = value.get("year")
        year = int(year) if isinstance(year, int) or str(year or "").isdigit() else None
        return cls(columns, amount, year if year and 1900 <= year <= 2100 else None)

    def as_dict(self) -> dict:
        return {"columns": self.columns, "amount": self.amount, "year": self.year}

    def required(self) -> list[str]:
        needed = ["applicant", "scheme", "amount_granted" if self.amount == "granted" else "amount_settled"]
        return needed if self.year else needed + ["year"]


def guess_columns(headers, mapping: Mapping | None = None) -> dict[str, int]:
    """{field: column index}: what a person chose for a header first, then the known spellings (ALIASES), a scheme
    from "Soort" or "Programma" when no column names one, then a word the header contains (KEYWORDS). Each field
    takes the first column that fits, each column one field."""
    mapping = mapping or Mapping()
    keys = [normalise_header(h) for h in headers]
    chosen: list[str | None] = [mapping.columns.get(k) if k in mapping.columns else None for k in keys]
    taken = {f for f in chosen if f}

    def assign(fits) -> None:
        for f in FIELDS:
            if f in taken:
                continue
            for i, key in enumerate(keys):
                if chosen[i] is None and key and fits(f, key):
                    chosen[i] = f
                    taken.add(f)
                    break

    if "scheme" not in taken and not any(k in ALIASES["scheme"] for k in keys):
        fallback = next((i for i, k in enumerate(keys) if k in SCHEME_FALLBACKS and chosen[i] is None), None)
        if fallback is not None:
            chosen[fallback] = "scheme"
            taken.add("scheme")
    assign(lambda f, key: key in ALIASES[f])
    for f, words in KEYWORDS:
        if f not in taken:
            i = next((i for i, k in enumerate(keys) if chosen[i] is None and any(w in k for w in words)), None)
            if i is not None:
                chosen[i] = f
                taken.add(f)
    found: dict[str, int] = {}
    for i, f in enumerate(chosen):
        if f and f not in found:  # a field remembered for two headers: the first column holds it
            found[f] = i
    return found


def _find_header(table: Table, mapping: Mapping | None = None) -> tuple[dict[str, int], list, int]:
    """The header row: the first row (of the first 10) naming an applicant and an amount; returns (columns, header
    cells, index of the first data row in table.rows)."""
    candidates = [(table.headers, 0)] + [(cells, i + 1) for i, (_n, cells) in enumerate(table.rows[:10])]
    for cells, start in candidates:
        columns = guess_columns(cells, mapping)
        if "applicant" in columns and any(a in columns for a in ("amount_granted", "amount_settled")):
            return columns, cells, start
    return guess_columns(table.headers, mapping), table.headers, 0


def describe_columns(header_cells, columns: dict[str, int], mapping: Mapping) -> dict:
    """What the preview shows and lets a person change: each column with the field it maps to ("" ignored)."""
    by_index = {i: f for f, i in columns.items()}
    return {
        "headers": [str(h) if h is not None else "" for h in header_cells],
        "fields": [by_index.get(i, "") for i in range(len(header_cells))],
        "amount": mapping.amount,
        "year": mapping.year,
    }


def missing_field_problem(name: str, missing: str, header_cells, columns: dict[str, int], mapping) -> Problem:
    """A required field no column maps to, with the columns that could (those not taken by another required field)."""
    required_columns = {i for f, i in columns.items() if f in mapping.required()}
    free = [str(h) for i, h in enumerate(header_cells) if i not in required_columns and not is_empty(h)]
    return Problem(
        _("No column for the required field %(field)s; columns it could map to: %(columns)s.")
        % {"field": FIELD_LABELS[missing], "columns": ", ".join(free) or _("none")},
        name,
        1,
    )


def _periodic(value, header: str) -> bool | None:
    word = v.text(value).lower()
    if word in PERIODIC_WORDS:
        return PERIODIC_WORDS[word]
    answer = v.yes_no(value)  # raises CellError for anything else
    return (not answer) if normalise_header(header) == "eenmalig" else answer


class _Parser:
    def __init__(self, progress: Progress, mapping: Mapping):
        self.mapping = mapping
        self.columns: dict | None = None  # describe_columns of the first table, for the preview
        self.missing: list[str] = []  # required fields no column maps to
        self.data = ImportData()
        self.problems: list[Problem] = []
        self.progress = progress
        self.organisations: dict = {}  # key -> OrganisationRecord
        self.fundings: dict = {}  # key -> (row, FundingRecord)
        self.private: dict = {}  # (scheme, year) -> FundingRecord
        self.private_rows = 0

    def table(self, table: Table):
        columns, header_cells, start = _find_header(table, self.mapping)
        if self.columns is None:
            self.columns = describe_columns(header_cells, columns, self.mapping)
        missing = [c for c in self.mapping.required() if c not in columns]
        if "amount_settled" in missing and "amount_granted" in columns:
            missing.remove("amount_settled")  # nothing settled: the granted amount counts
        self.missing += missing
        if missing:
            for c in missing:
                self.problems.append(missing_field_problem(table.name, c, header_cells, columns, self.mapping))
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
        settled_counts = self.mapping.amount == "settled"
        parsers = {
            "applicant": (v.text_parser(255), True),
            "kvk_number": (v.kvk_number, False),
            "scheme": (v.text_parser(255), True),
            "description": (v.text_parser(500), False),
            "year": (v.year, True),
            "amount_requested": (v.amount, False),
            "amount_granted": (v.amount, not settled_counts),
            "amount_settled": (v.amount, settled_counts and is_empty(raw.get("amount_granted"))),
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
        if "year" not in raw:
            values["year"] = self.mapping.year
        money = {k: values.get(k) for k in ("amount_requested", "amount_granted", "amount_settled")}
        if settled_counts and money["amount_settled"] is not None:
            money["amount_granted"] = money["amount_settled"]  # the settled amount counts where it is known
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


def remembered_mapping(municipality) -> Mapping:
    from ..models import GrantColumnMapping

    saved = GrantColumnMapping.objects.filter(municipality=municipality).first() if municipality else None
    return Mapping(dict(saved.columns), saved.amount) if saved else Mapping()


def parse(
    files: list[tuple[str, bytes]],
    municipality=None,
    progress: Progress | None = None,
    mapping: Mapping | dict | None = None,
) -> ImportData:
    """Parse grant register files into records; raise ImportRefused listing every problem. `mapping` (a Mapping or
    its dict) defaults to the one remembered for the municipality. The columns as mapped are in
    `data.extra["columns"]`, or in the refusal's `extra`, for the preview."""
    progress = progress or Progress()
    if mapping is None:
        mapping = remembered_mapping(municipality)
    elif isinstance(mapping, dict):
        mapping = Mapping.from_dict(mapping)
    parser = _Parser(progress, mapping)
    usable = []
    for file_name, content in files:
        try:
            tables = read_tables(content, file_name, progress)
        except ImportRefused as refused:
            parser.problems.extend(refused.problems)
            continue
        tables = [t for t in tables if t.rows or len(tables) == 1]
        usable += [t for t in tables if "applicant" in _find_header(t, mapping)[0]] or tables[:1]
    checking_phase(progress, usable)
    for table in usable:
        parser.table(table)
    data = parser.result()
    if not parser.problems and data.is_empty:
        parser.problems.append(Problem(_("The file contains no rows to import.")))
    if parser.problems:
        extra = {"columns": parser.columns, "missing": parser.missing} if parser.columns else None
        raise ImportRefused(parser.problems, extra=extra)
    if parser.columns:
        data.extra["columns"] = parser.columns
    return data
