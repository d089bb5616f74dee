"""Which attachments a submission accepts: PDF, DOCX and XLSX, recognised by their content, never by their name."""

import io
import zipfile

from django.utils.translation import gettext as _

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXTENSIONS = {PDF: ".pdf", DOCX: ".docx", XLSX: ".xlsx"}


def sniff(content: bytes) -> str | None:
    """The media type of `content` when it is a PDF, a Word (DOCX) or an Excel (XLSX) file, else None. A PDF starts
    with `%PDF-`; DOCX and XLSX are ZIP packages with `[Content_Types].xml` and a `word/` resp. `xl/` part."""
    if content.startswith(b"%PDF-"):
        return PDF
    if not content.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            names = package.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if any(name.startswith("word/") for name in names):
        return DOCX
    if any(name.startswith("xl/") for name in names):
        return XLSX
    return None


def type_error(content: bytes) -> str | None:
    if sniff(content) is None:
        return _("Only PDF, Word (.docx) and Excel (.xlsx) files are accepted; this file is none of these.")
    return None
