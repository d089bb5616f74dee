"""Export of a selection of the audit log to CSV and XLSX, safe to open in a spreadsheet: every cell goes through the
shared writer's `safe_cell` (core/exports.py: no formulas, no characters a workbook cannot hold). It lives in core,
beside the audit pages (core/audit_views.py), because audit imports no other app."""

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from audit import labels

from .exports import safe_cell

MAX_ROWS = 100_000


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
        sheet.append([safe_cell(v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
