"""The landscape import template (docs/import-template.md): sheets `wijken`, `organisaties`, `activiteiten` and
`financiering` with Dutch headers, as one XLSX workbook or as separate CSV files (each recognised by its headers).

The column definitions below are the single source of the parser, the downloadable template (with its sheet
"toelichting") and the documentation; the file format is Dutch, whatever the language of the UI.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from ..models import Activity, District, Funding, Organisation, TargetGroup
from . import values as v
from .reading import ImportRefused, Problem, Progress, Table, checking_phase, is_empty, normalise_header, read_tables
from .records import (
    ActivityRecord,
    DistrictRecord,
    FundingRecord,
    ImportData,
    OrganisationRecord,
    OrganisationRef,
    name_key,
)

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


def recognise(table: Table) -> Sheet | None:
    """The sheet a table holds: by its (sheet) name, else by its headers (a CSV file holds one sheet)."""
    by_name = SHEET_BY_NAME.get(normalise_header(table.name))
    if by_name:
        return by_name
    headers = {normalise_header(h) for h in table.headers}
    fits = [s for s in SHEETS if s.required_headers <= headers]
    return max(fits, key=lambda s: len(headers & {normalise_header(c.header) for c in s.columns}), default=None)


def parse_rows(table: Table, columns: list[Column], problems: list[Problem], progress: Progress) -> tuple[list, list]:
    """Parse every cell of `table` with its column; collect every problem. Returns the valid rows and the rows with
    a problem, each as (row number, values) (the latter with the values that could be read)."""
    positions: dict[str, int] = {}
    for i, header in enumerate(table.headers):
        key = normalise_header(header)
        if key in positions and key:
            problems.append(Problem(_("This column occurs twice."), table.name, 1, header))
        positions.setdefault(key, i)
    present = [(c, positions[normalise_header(c.header)]) for c in columns if normalise_header(c.header) in positions]
    missing = [c.header for c in columns if c.required and normalise_header(c.header) not in positions]
    if missing:
        problems.append(Problem(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)}, table.name, 1))
        return [], []
    parsed, failed = [], []
    for number, cells in table.rows:
        progress.step()
        values, ok = {}, True
        for column, index in present:
            raw = cells[index] if index < len(cells) else None
            if is_empty(raw):
                if column.required:
                    problems.append(Problem(_("This cell is required."), table.name, number, column.header))
                    ok = False
                values[column.field] = list(column.empty) if isinstance(column.empty, list) else column.empty
                continue
            try:
                values[column.field] = column.parse(raw)
            except v.CellError as exc:
                problems.append(Problem(str(exc), table.name, number, column.header))
                ok = False
        (parsed if ok else failed).append((number, values))
    return parsed, failed


class _Builder:
    """Turns parsed rows of each sheet into records, checking duplicates and vocabulary on the way."""

    def __init__(self, progress: Progress):
        self.data = ImportData()
        self.problems: list[Problem] = []
        self.progress = progress
        self.seen: dict = {}
        groups = TargetGroup.objects.values_list("code", "name")
        self.target_groups = {c.lower(): c for c, _n in groups} | {n.lower(): c for c, n in groups}

    def duplicate(self, sheet, number, key, column) -> bool:
        first = self.seen.setdefault((sheet.name, key), number)
        if first != number:
            self.problems.append(
                Problem(_("Duplicate row: the same key as row %(row)s.") % {"row": first}, sheet.name, number, column)
            )
            return True
        return False

    def add(self, sheet: Sheet, table: Table):
        rows, failed = parse_rows(table, sheet.columns, self.problems, self.progress)
        for _number, values in failed:  # references to rows with a problem are not reported again
            if sheet is ORGANISATIONS:
                self.data.fail_organisation(values.get("kvk_number") or "", values.get("name") or "")
            elif sheet is ACTIVITIES and values.get("organisation") and values.get("title"):
                self.data.fail_activity(values["organisation"], values["title"])
            elif sheet is DISTRICTS:
                self.data.failed.update(("district", c) for c in values.get("cbs_code") or [])
        getattr(self, "add_" + sheet.name)(sheet, table, rows)

    def add_wijken(self, sheet, table, rows):
        for number, values in rows:
            codes = values["cbs_code"]
            if len(codes) != 1:
                self.problems.append(Problem(_("One district code per row."), table.name, number, "Wijkcode"))
            elif not self.duplicate(sheet, number, codes[0], "Wijkcode"):
                self.data.districts.append(DistrictRecord(table.name, number, codes[0], values["name"]))

    def add_organisaties(self, sheet, table, rows):
        for number, values in rows:
            kvk = values.get("kvk_number") or ""
            dup = (kvk and self.duplicate(sheet, number, ("kvk", kvk), "KvK-nummer")) or self.duplicate(
                sheet, number, ("name", name_key(values["name"])), "Naam"
            )
            if not dup:
                ref = OrganisationRef(kvk_number=kvk, name=values["name"])
                self.data.organisations.append(OrganisationRecord(table.name, number, ref, values))

    def add_activiteiten(self, sheet, table, rows):
        for number, values in rows:
            groups = values.pop("target_groups", None)
            if groups is not None:
                unknown = [g for g in groups if g.lower() not in self.target_groups]
                if unknown:
                    self.problems.append(
                        Problem(
                            _("Unknown target groups: %(groups)s. Allowed: %(allowed)s.")
                            % {
                                "groups": ", ".join(unknown),
                                "allowed": ", ".join(sorted(set(self.target_groups.values()))),
                            },
                            table.name,
                            number,
                            "Doelgroepen",
                        )
                    )
                    self.data.fail_activity(values["organisation"], values["title"])
                    continue
                groups = sorted({self.target_groups[g.lower()] for g in groups})
            org, title = values.pop("organisation"), values.pop("title")
            if self.duplicate(sheet, number, (str(org).casefold(), title.casefold()), "Titel"):
                continue
            districts = values.pop("districts", None)
            self.data.activities.append(ActivityRecord(table.name, number, org, title, values, districts, groups))

    def add_financiering(self, sheet, table, rows):
        for number, values in rows:
            if values.get("conditional") and values["kind"] != Funding.Kind.EXTERNAL:
                self.problems.append(
                    Problem(_("Only external co-funding can be conditional."), table.name, number, "Voorwaardelijk")
                )
                continue
            rec = FundingRecord(
                table.name,
                number,
                organisation=values.pop("organisation"),
                year=values.pop("year"),
                kind=values.pop("kind"),
                source_name=values.pop("source_name"),
                description=values.pop("description", ""),
                activity_title=values.pop("activity_title", ""),
                values=values,
            )
            key = (
                str(rec.organisation).casefold(),
                rec.activity_title,
                rec.year,
                rec.kind,
                rec.source_name,
                rec.description,
            )
            if not self.duplicate(sheet, number, key, ""):
                self.data.fundings.append(rec)


def parse(files: list[tuple[str, bytes]], municipality=None, progress: Progress | None = None) -> ImportData:
    """Parse template files (one XLSX, or CSV files) into records; raise ImportRefused listing every problem."""
    progress = progress or Progress()
    builder = _Builder(progress)
    tables: list[tuple[Sheet, Table]] = []
    for file_name, content in files:
        try:
            file_tables = read_tables(content, file_name, progress)
        except ImportRefused as refused:
            builder.problems.extend(refused.problems)
            continue
        for table in file_tables:
            if normalise_header(table.name) == "toelichting":
                continue
            sheet = recognise(table)
            if sheet is None:
                if table.rows:
                    builder.problems.append(
                        Problem(
                            _(
                                "Sheet not recognised: name it wijken, organisaties, activiteiten or financiering, or "
                                "use the column headers of the template."
                            ),
                            table.name,
                        )
                    )
                continue
            tables.append((sheet, table))
    checking_phase(progress, [table for _sheet, table in tables])
    for sheet in SHEETS:  # in dependency order, whatever the order of files or sheets
        for s, table in tables:
            if s is sheet:
                builder.add(sheet, table)
    if not builder.problems and builder.data.is_empty:
        builder.problems.append(Problem(_("The file contains no rows to import.")))
    if builder.problems:
        raise ImportRefused(builder.problems, data=builder.data)
    return builder.data


def template_workbook(municipality) -> bytes:
    """The downloadable template: one sheet per record type with an example row, and a sheet "toelichting"."""
    import io

    import openpyxl
    from openpyxl.styles import Font

    district_code = f"WK{municipality.cbs_code[2:]}01"
    examples = {"Wijkcode": district_code, "Wijken": district_code}
    bold = Font(bold=True)
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for sheet in SHEETS:
        ws = workbook.create_sheet(sheet.name)
        ws.append([c.header for c in sheet.columns])
        ws.append([examples.get(c.header, c.example) for c in sheet.columns])
        for cell, column in zip(ws[1], sheet.columns, strict=True):
            cell.font = bold
            ws.column_dimensions[cell.column_letter].width = max(14, len(column.header) + 4)
    notes = workbook.create_sheet("toelichting")
    notes.append([f"Importsjabloon sociale basis – {municipality.name} ({municipality.cbs_code})"])
    notes.append(
        ["Vul per blad één rij per organisatie, activiteit of financieringsregel in; de voorbeeldrij mag weg."]
    )
    notes.append(["Alles of niets: bij één fout wordt niets ingelezen en krijgt u alle fouten met blad, rij en kolom."])
    notes.append(["Opnieuw inlezen werkt bij (op de sleutel van elk blad) en maakt geen dubbelen."])
    notes.append([])
    notes.append(["Blad", "Kolom", "Verplicht", "Toelichting", "Voorbeeld"])
    for cell in notes[notes.max_row]:
        cell.font = bold
    for sheet in SHEETS:
        notes.append([sheet.name, "", "", sheet.help, ""])
        for c in sheet.columns:
            notes.append([sheet.name, c.header, "ja" if c.required else "nee", c.help, str(c.example)])
    notes.append([])
    notes.append(["Doelgroepen", "", "", "Code", "Naam"])
    for cell in notes[notes.max_row]:
        cell.font = bold
    for code, name in TargetGroup.objects.order_by("code").values_list("code", "name"):
        notes.append(["Doelgroepen", "", "", code, name])
    for letter, width in zip("ABCDE", (14, 28, 10, 90, 30), strict=True):
        notes.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
