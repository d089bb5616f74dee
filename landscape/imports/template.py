"""The landscape import template (docs/import-template.md) read and written: one XLSX workbook or separate CSV files
(each recognised by its sheet name or its headers) parsed into records, and the downloadable workbook.

The sheets and their columns are defined in `template_sheets` (re-exported here).
"""

from django.utils.translation import gettext as _

from ..models import Funding, TargetGroup
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
from .template_sheets import (
    ACTIVITIES,
    DISTRICTS,
    FUNDING_KIND_ALIASES,
    FUNDING_KIND_LABELS,
    FUNDING_KINDS,
    FUNDING_KINDS_TEXT,
    FUNDINGS,
    KIND_LABELS,
    KINDS,
    KINDS_TEXT,
    LEGAL_FORM_LABELS,
    LEGAL_FORMS,
    LEGAL_FORMS_TEXT,
    ORGANISATIONS,
    SHEET_BY_NAME,
    SHEETS,
    Column,
    Sheet,
    district_codes,
    organisation_ref,
)

__all__ = [
    "ACTIVITIES",
    "Column",
    "DISTRICTS",
    "FUNDINGS",
    "FUNDING_KINDS",
    "FUNDING_KINDS_TEXT",
    "FUNDING_KIND_ALIASES",
    "FUNDING_KIND_LABELS",
    "KINDS",
    "KINDS_TEXT",
    "KIND_LABELS",
    "LEGAL_FORMS",
    "LEGAL_FORMS_TEXT",
    "LEGAL_FORM_LABELS",
    "ORGANISATIONS",
    "SHEETS",
    "SHEET_BY_NAME",
    "Sheet",
    "district_codes",
    "organisation_ref",
    "parse",
    "parse_rows",
    "recognise",
    "template_workbook",
]


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
