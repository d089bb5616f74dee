"""Export of a selection of the audit log to CSV and XLSX, safe to open in a spreadsheet.

A minimal escaping helper lives here until the shared export writer (core/exports.py, issue #9) is on main; then the
two functions below should use it. Cells that begin with =, +, -, @, tab or carriage return get a leading apostrophe
(OWASP, CSV injection), so a spreadsheet shows them as text and never evaluates them; characters XLSX cannot hold are
removed instead of failing.
"""

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from . import labels

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_ROWS = 100_000


def safe_cell(value):
    """A cell value a spreadsheet shows as text: never a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def headers() -> list[str]:
    return [
        _("Number"),
        _("Time"),
        _("Who"),
        _("Role"),
        _("Municipality"),
        _("Action"),
        _("Action code"),
        _("Object"),
        _("Object number"),
        _("Summary"),
        _("Hash"),
    ]


def rows(events):
    for e in events.iterator(chunk_size=2000):
        yield [
            e.seq,
            timezone.localtime(e.timestamp).strftime("%d-%m-%Y %H:%M:%S"),
            e.actor_name,
            labels.role_label(e.role),
            e.municipality_code,
            labels.action_display(e.action),
            e.action,
            labels.object_label(e.object_type),
            e.object_id,
            "\n".join(labels.summary_lines(e.summary, e.object_type)),
            e.hash,
        ]


def to_csv(events) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(headers())
    for row in rows(events[:MAX_ROWS]):
        writer.writerow([safe_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode()  # BOM: Excel opens UTF-8


def to_xlsx(events) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Audit log")[:31])
    sheet.append(headers())
    for row in rows(events[:MAX_ROWS]):
        sheet.append([safe_cell(ILLEGAL_CHARACTERS_RE.sub("", v)) if isinstance(v, str) else v for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
