"""Reading uploaded files into tables, safely: file-type sniffing, size and zip-bomb limits, CSV dialect and
encoding detection. Nothing here knows about the landscape; `template.py` and `grants.py` give the columns meaning.

A file becomes a list of `Table`s: one per XLSX sheet, or one per CSV file. Row numbers are those a person sees in a
spreadsheet program: the header is row 1, the first data row is row 2 (empty rows are skipped but still counted).
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

# An XLSX file is a zip archive. Real workbooks compress their XML about 5-30 times; a "zip bomb" a thousand times.
MAX_COMPRESSION_RATIO = 200
MAX_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024
RATIO_CHECK_FROM_BYTES = 1024 * 1024
# A sheet may declare any size ("A1:XFD1048576"), and openpyxl pads every row to the declared width: 16,384 cells
# a row, 1.2 GB for a 76 KB workbook. We read only the columns used in the first rows (where the header is; a title
# row may come first), at most MAX_COLUMNS, and at most IMPORT_MAX_ROWS rows a file (setting).
MAX_COLUMNS = 200
# openpyxl keeps a workbook's whole shared-string table in memory (Python strings, ~3x the XML): cap its XML.
MAX_SHARED_STRINGS_BYTES = 64 * 1024 * 1024
HEADER_SCAN_ROWS = 11

MAGIC = [
    (b"%PDF", "PDF"),
    (b"\x89PNG", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF8", "GIF"),
    (b"\xd0\xcf\x11\xe0", "Excel 97-2003 (.xls)"),
    (b"\x1f\x8b", "gzip"),
    (b"Rar!", "RAR"),
    (b"7z\xbc\xaf", "7-Zip"),
]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as precisely as we can (sheet, spreadsheet row, column)."""

    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""

    def __str__(self) -> str:
        where = []
        if self.sheet:
            where.append(_("sheet %(sheet)s") % {"sheet": self.sheet})
        if self.row is not None:
            where.append(_("row %(row)s") % {"row": self.row})
        if self.column:
            where.append(_("column %(column)s") % {"column": self.column})
        return f"{', '.join(where)}: {self.message}" if where else self.message

    def as_dict(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message, "text": str(self)}


class ImportRefused(Exception):
    """The input cannot be imported; `problems` lists every reason found. `data` holds the records that were
    readable, so that they can still be checked against the registry (to report every problem at once). `extra` holds
    what the preview shows beside the problems (e.g. how a grant register's columns were mapped)."""

    def __init__(self, problems: list[Problem], data=None, extra: dict | None = None):
        super().__init__("; ".join(str(p) for p in problems[:5]))
        self.problems = problems
        self.data = data
        self.extra = extra or {}


@dataclass
class Table:
    name: str
    headers: list[str]
    rows: list[tuple[int, list]] = field(default_factory=list)  # (spreadsheet row number, cell values)


def normalise_header(value) -> str:
    """Case- and spacing-insensitive header: 'Aangevraagd  Bedrag ' -> 'aangevraagd bedrag'."""
    text = str(value or "").replace("\u00a0", " ").replace("\ufeff", "").strip().lower()
    text = re.sub(r"\s*([/:-])\s*", r"\1", text)
    text = re.sub(r"\s+", " ", text)
    return text.rstrip(":").strip()


def is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def check_size(size: int) -> None:
    if size > settings.IMPORT_MAX_BYTES:
        raise ImportRefused(
            [
                Problem(
                    _("The file is %(size)s MB; files up to %(max)s MB can be imported.")
                    % {"size": round(size / 1024 / 1024, 1), "max": round(settings.IMPORT_MAX_BYTES / 1024 / 1024)}
                )
            ]
        )


class Progress:
    """Reports how far a phase of an import is (`report(done, total, message)`), every STEP rows at most, so that a
    100k-row file costs tens of progress writes, not 100k. `total` 0 means "unknown" (an indeterminate bar)."""

    STEP = 2000

    def __init__(self, report=None):
        self.report = report or (lambda done, total, message: None)
        self.message, self.done, self.total = "", 0, 0

    def phase(self, message: str, total: int = 0) -> None:
        self.message, self.done, self.total = message, 0, total
        self.report(0, total, message)

    def add_total(self, n: int) -> None:
        self.total += n

    def step(self, n: int = 1) -> None:
        before, self.done = self.done, self.done + n
        if before // self.STEP != self.done // self.STEP:
            self.report(min(self.done, self.total) if self.total else self.done, self.total, self.message)


def checking_phase(progress: Progress, tables: list[Table]) -> None:
    """Reading is done; the rows are checked next (one step per row)."""
    progress.phase(_("Checking the rows"), total=sum(len(t.rows) for t in tables))


def check_file(data: bytes, file_name: str) -> None:
    """The quick checks (size, empty, file type, zip bomb), without reading the rows: also run on upload."""
    check_size(len(data))
    if not data.strip():
        raise ImportRefused([Problem(_("The file %(name)s is empty.") % {"name": file_name})])
    for magic, kind in MAGIC:
        if data.startswith(magic):
            raise ImportRefused(
                [
                    Problem(
                        _("The file %(name)s is a %(kind)s file, not an Excel workbook (.xlsx) or CSV file.")
                        % {"name": file_name, "kind": kind}
                    )
                ]
            )
    if data.startswith(b"PK\x03\x04"):
        _check_zip(data, file_name)
    elif file_name.lower().endswith((".xlsx", ".xlsm")):
        raise ImportRefused(
            [Problem(_("The file %(name)s is called .xlsx but is not an Excel workbook.") % {"name": file_name})]
        )
    elif b"\x00" in data:  # anywhere: the upload, the preview and the import refuse the same files (decode_text)
        raise _not_text(file_name)


def read_tables(data: bytes, file_name: str, progress: Progress | None = None) -> list[Table]:
    """The tables in one uploaded file (XLSX or CSV, recognised by content, not by name)."""
    check_file(data, file_name)
    progress = progress or Progress()
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data, file_name, progress)
    return [_read_csv(data, file_name, progress)]


def _not_a_workbook(file_name) -> ImportRefused:
    return ImportRefused([Problem(_("The file %(name)s is not a valid Excel workbook (.xlsx).") % {"name": file_name})])


def _check_zip(data: bytes, file_name: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise _not_a_workbook(file_name) from exc
    if "xl/workbook.xml" not in names:
        raise _not_a_workbook(file_name)
    total = sum(m.file_size for m in members)
    suspicious = any(
        m.file_size > RATIO_CHECK_FROM_BYTES and m.file_size > MAX_COMPRESSION_RATIO * max(m.compress_size, 1)
        for m in members
    )
    strings = sum(m.file_size for m in members if m.filename.lower() == "xl/sharedstrings.xml")
    if total > MAX_UNCOMPRESSED_BYTES or suspicious or strings > MAX_SHARED_STRINGS_BYTES:
        raise ImportRefused(
            [
                Problem(
                    _("The file %(name)s unpacks to far more data than a workbook of this size can hold; refused.")
                    % {"name": file_name}
                )
            ]
        )


def _refusal(exc: Exception, file_name: str) -> ImportRefused:
    """Why openpyxl could not read a workbook: XML entity tricks (defusedxml stops them), else damage."""
    from defusedxml import DefusedXmlException

    cause = exc
    while cause is not None and not isinstance(cause, DefusedXmlException):
        cause = cause.__cause__ or cause.__context__
    if cause is not None:
        return ImportRefused(
            [
                Problem(
                    _(
                        "The file %(name)s contains XML entity declarations, which a workbook does not need and which "
                        "can be used to attack a server; refused."
                    )
                    % {"name": file_name}
                )
            ]
        )
    return _not_a_workbook(file_name)


def max_rows() -> int:
    return settings.IMPORT_MAX_ROWS


def _too_many_rows(file_name) -> ImportRefused:
    return ImportRefused(
        [
            Problem(
                _("The file %(name)s has more than %(max)s rows; split it into smaller files.")
                % {"name": file_name, "max": f"{max_rows():,}".replace(",", ".")}
            )
        ]
    )


def max_cells() -> int:
    return settings.IMPORT_MAX_CELLS


class _Budget:
    """Rows and cells kept from one file: at most IMPORT_MAX_ROWS non-empty rows and IMPORT_MAX_CELLS cells (up to
    the last filled cell of each row; trailing empty cells are not kept), else the file is refused while it is read,
    before it fills the memory."""

    def __init__(self, file_name: str):
        self.file_name, self.rows, self.cells = file_name, 0, 0

    def keep(self, values) -> list:
        kept = list(values[:MAX_COLUMNS])
        while kept and is_empty(kept[-1]):
            kept.pop()
        self.rows += 1
        self.cells += len(kept)
        if self.rows > max_rows():
            raise _too_many_rows(self.file_name)
        if self.cells > max_cells():
            raise ImportRefused(
                [
                    Problem(
                        _("The file %(name)s has more than %(max)s filled cells; split it into smaller files.")
                        % {"name": self.file_name, "max": f"{max_cells():,}".replace(",", ".")}
                    )
                ]
            )
        return kept


def _used_width(sheet, where: dict) -> int:
    """The number of columns to read: up to the last filled cell of the first rows (header and any title row)."""
    width = 0
    rows = sheet.iter_rows(min_row=1, max_row=HEADER_SCAN_ROWS, max_col=MAX_COLUMNS, values_only=True)
    for where["row"], values in enumerate(rows, start=1):
        filled = [i for i, value in enumerate(values) if not is_empty(value)]
        width = max(width, filled[-1] + 1 if filled else 0)
    return width


def _data_rows(sheet) -> int:
    """How many rows below the header a read-only sheet has, for the progress bar: from the dimension at the top of
    the sheet (Excel and LibreOffice write it), else counted in its XML (openpyxl's write-only mode writes none)."""
    if sheet.max_row:
        return min(max(sheet.max_row - 1, 0), max_rows())
    rows, tail = 0, b""
    with sheet._get_source() as source:  # openpyxl's own handle on the sheet's XML in the zip
        for chunk in iter(lambda: source.read(1 << 20), b""):
            rows += (tail + chunk).count(b"<row ") - tail.count(b"<row ")
            tail = chunk[-4:]
    return max(rows - 1, 0)


def _read_xlsx(data: bytes, file_name: str, progress: Progress) -> list[Table]:
    import openpyxl

    # openpyxl parses the workbook's XML with defusedxml (a requirement): entity expansion ("billion laughs") and
    # external entities raise instead of eating memory or reading files.
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds (KeyError, XML errors, …) for a damaged workbook
        raise _refusal(exc, file_name) from exc
    tables = []
    try:
        for sheet in workbook.worksheets:
            progress.add_total(_data_rows(sheet))
        budget = _Budget(file_name)
        where = {"sheet": "", "row": 0}  # to locate a number openpyxl cannot convert
        for sheet in workbook.worksheets:
            where.update(sheet=sheet.title, row=0)
            width = _used_width(sheet, where)
            if not width:
                continue
            # max_col bounds every row to the used width (rows missing from the XML cost one shared empty tuple each)
            rows = sheet.iter_rows(min_row=1, max_col=width, values_only=True)
            headers = next(rows, None)
            if headers is None:
                continue
            where["row"] = 1
            table = Table(name=sheet.title, headers=[str(h).strip() if h is not None else "" for h in headers])
            for number, values in enumerate(rows, start=2):
                where["row"] = number
                progress.step()
                if not all(is_empty(v) for v in values):
                    table.rows.append((number, budget.keep(values)))
            tables.append(table)
    except ImportRefused:
        raise
    except ValueError as exc:
        if "digits" not in str(exc):  # Python refuses to convert integers of more than 4,300 digits
            raise _refusal(exc, file_name) from exc
        message = _("A number below row %(row)s has more than 4,300 digits; no amount is that long.")
        raise ImportRefused([Problem(message % {"row": where["row"]}, where["sheet"])]) from exc
    except Exception as exc:  # damaged sheet XML shows only while iterating
        raise _refusal(exc, file_name) from exc
    finally:
        workbook.close()
    return tables


def _not_text(file_name) -> ImportRefused:
    return ImportRefused(
        [Problem(_("The file %(name)s is not a text (CSV) file nor an Excel workbook.") % {"name": file_name})]
    )


def decode_text(data: bytes, file_name: str) -> str:
    """UTF-8 (with or without BOM), else Windows-1252; binary data is refused: a NUL byte anywhere (a text file has
    none; PostgreSQL cannot store one, so a NUL deep in a file would pass the preview and fail the import)."""
    if b"\x00" in data:
        raise _not_text(file_name)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise _not_text(file_name) from exc
    control = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\r\n\t")
    if control > 10:
        raise _not_text(file_name)
    return text


def _sniff_delimiter(text: str) -> str:
    """`;` (Dutch Excel), `,` or tab: the one that splits the widest of the first lines (a title row may come first)."""
    lines = [line for line in text[:65536].splitlines()[:20] if line.strip()]
    counts = {d: max((line.count(d) for line in lines), default=0) for d in ";,\t"}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _read_csv(data: bytes, file_name: str, progress: Progress) -> Table:
    text = decode_text(data, file_name)
    progress.add_total(max(text.count("\n") - 1, 0))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    try:
        headers = next(reader, None)
        if headers is None or all(is_empty(h) for h in headers):
            raise ImportRefused([Problem(_("The file %(name)s has no header row.") % {"name": file_name})])
        table = Table(name=file_name, headers=[h.strip() for h in headers[:MAX_COLUMNS]])
        budget = _Budget(file_name)
        for number, values in enumerate(reader, start=2):
            progress.step()
            if not all(is_empty(v) for v in values):
                table.rows.append((number, budget.keep(values)))
    except csv.Error as exc:
        raise ImportRefused(
            [Problem(_("The file %(name)s is not a readable CSV file: %(error)s") % {"name": file_name, "error": exc})]
        ) from exc
    return table
