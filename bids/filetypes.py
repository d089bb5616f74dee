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
    return _classify(content[:8], lambda: io.BytesIO(content))


def sniff_ends(head: bytes, tail: bytes, size: int) -> str | None:
    """The same as `sniff` for a file of `size` bytes of which only its first bytes (`head`) and its last bytes
    (`tail`) are at hand, as when an upload is encrypted while it arrives: a ZIP package is read from its end (the
    central directory names its parts). Raises `NeedsWholeFile` when the package's directory is not within `tail`."""
    return _classify(head[:8], lambda: _Ends(head, tail, size))


class NeedsWholeFile(Exception):
    """The retained ends of a file do not hold its ZIP directory: sniff the whole content instead."""


def _classify(start: bytes, open_package) -> str | None:
    if start.startswith(b"%PDF-"):
        return PDF
    if not start.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(open_package()) as package:
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


class _Ends(io.RawIOBase):
    """A read-only file of `size` bytes of which only the first (`head`) and the last (`tail`) bytes are known;
    reading elsewhere raises NeedsWholeFile (which is no OSError, so it is not taken for a broken package)."""

    def __init__(self, head: bytes, tail: bytes, size: int):
        super().__init__()
        self.head, self.tail, self.size, self.pos = head, tail, size, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.pos, io.SEEK_END: self.size}[whence]
        self.pos = max(0, base + offset)
        return self.pos

    def tell(self) -> int:
        return self.pos

    def _range(self, start: int, end: int) -> bytes:
        tail_start = self.size - len(self.tail)
        if start >= tail_start:
            return self.tail[start - tail_start : end - tail_start]
        if end <= len(self.head):
            return self.head[start:end]
        if len(self.head) >= tail_start:  # the two ends meet: every byte is known
            return self.head[start:tail_start] + self.tail[: end - tail_start]
        raise NeedsWholeFile

    def readinto(self, buffer) -> int:
        end = min(self.pos + len(buffer), self.size)
        if end <= self.pos:
            return 0
        data = self._range(self.pos, end)
        buffer[: len(data)] = data
        self.pos += len(data)
        return len(data)


def type_message() -> str:
    return _("Only PDF, Word (.docx) and Excel (.xlsx) files are accepted; this file is none of these.")


def type_error(content: bytes) -> str | None:
    return type_message() if sniff(content) is None else None
