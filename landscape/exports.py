"""Tables of the public landscape pages as CSV and XLSX: Dutch column headings and labels, no code values.

Every cell goes through `safe_cell`: the shared writer's defence (core/exports.py: formula triggers quoted, characters
a workbook cannot hold removed) plus the Dutch forms of empty cells and yes/no."""

import csv
import io
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

from core import exports

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def safe_cell(value):
    """Numbers stay numbers (a spreadsheet can sum them); text that a spreadsheet would run as a formula is quoted."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    return exports.safe_cell(value)


def _csv(headers, rows) -> bytes:
    out = io.StringIO()
    # Semicolons and decimal commas: what Dutch spreadsheet settings expect when opening a CSV file.
    writer = csv.writer(out, delimiter=";")
    writer.writerow([safe_cell(h) for h in headers])
    for row in rows:
        writer.writerow([_csv_value(safe_cell(v)) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: Excel reads the file as UTF-8


def _csv_value(value):
    if isinstance(value, float | Decimal):
        return format(value, "f").replace(".", ",")
    return value


def _xlsx(title, headers, rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append([safe_cell(h) for h in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([safe_cell(v) for v in row])
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def table_response(fmt: str, filename: str, title: str, headers: list, rows) -> HttpResponse:
    """A download of `rows` (lists of cells) under `headers`, as `fmt` (csv or xlsx)."""
    content = _csv(headers, rows) if fmt == "csv" else _xlsx(title, headers, rows)
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
