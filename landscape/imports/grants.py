"""A municipality's open grant register ("subsidieregister") as municipalities publish it, CSV or XLSX.

Which column holds which field is worked out in `grant_columns` (known spellings, guesses, a person's mapping, the
amount that counts). Every row becomes a municipal grant (Funding) of the applicant.

Applicants are matched to the registry by KvK number when the register has one, else by name (case and spacing
ignored). Unknown applicants are created as an organisation of kind DEFAULT_KIND, flagged `needs_review`, with the
legal form read from their name (stichting, vereniging, …). Private individuals are never stored by name: their rows
are added up under one anonymous organisation (`grant_applicants`, where the rule is).

The names of `grant_columns` and `grant_applicants` are re-exported here.
"""

from django.utils.translation import gettext as _

from ..models import Funding, Organisation
from . import values as v
from .grant_applicants import (
    ANONYMISED,
    ORGANISATION_TYPE_WORDS,
    ORGANISATION_WORDS,
    PERSON_PATTERNS,
    PRIVATE_APPLICANTS,
    PRIVATE_APPLICANTS_NAME,
    PRIVATE_TYPE_WORDS,
    is_private_individual,
    legal_form_from_name,
)
from .grant_columns import (
    ALIASES,
    FIELD_LABELS,
    FIELDS,
    KEYWORDS,
    SCHEME_FALLBACKS,
    Mapping,
    describe_columns,
    find_header,
    guess_columns,
    missing_field_problem,
    remembered_mapping,
)
from .reading import ImportRefused, Problem, Progress, Table, checking_phase, is_empty, normalise_header, read_tables
from .records import FundingRecord, ImportData, OrganisationRecord, OrganisationRef, name_key

__all__ = [
    "ALIASES",
    "ANONYMISED",
    "DEFAULT_KIND",
    "FIELDS",
    "FIELD_LABELS",
    "KEYWORDS",
    "Mapping",
    "ORGANISATION_TYPE_WORDS",
    "ORGANISATION_WORDS",
    "PERIODIC_WORDS",
    "PERSON_PATTERNS",
    "PRIVATE_APPLICANTS",
    "PRIVATE_APPLICANTS_NAME",
    "PRIVATE_TYPE_WORDS",
    "SCHEME_FALLBACKS",
    "SKIP_APPLICANTS",
    "describe_columns",
    "find_header",
    "guess_columns",
    "is_private_individual",
    "legal_form_from_name",
    "missing_field_problem",
    "parse",
    "remembered_mapping",
]

DEFAULT_KIND = Organisation.Kind.VOLUNTEER_WITH_STAFF
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
        columns, header_cells, start = find_header(table, self.mapping)
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
        usable += [t for t in tables if "applicant" in find_header(t, mapping)[0]] or tables[:1]
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
