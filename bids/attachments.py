"""Attachments encrypted once, while they arrive (docs/adr/0012-attachments-encrypted-once.md).

An attachment gets its own random 256-bit key. Its bytes are hashed (SHA-256) and encrypted (AES-256-GCM, one
random 96-bit nonce, associated data `submission:<id>:attachment:<token>`) chunk by chunk as the request body is
read, and the ciphertext is written once, to its final place in the media storage (`bids/attachments/`): no
plaintext temporary file, no second write. The blob has the layout of `sealing.encrypt` (nonce, ciphertext, tag).

A blob is immutable: written with O_EXCL, fsynced, then made read-only; nothing rewrites it. A draft item points at
it (its key wrapped by the draft key, in the item's encrypted meta), and a sealed version that took the attachment
points at the same blob (its key sealed for the commissioning, bids.sealing format 2): a later change of the draft
makes a new blob and leaves the sealed one as it was. A blob is deleted only when no draft item and no sealed
version refers to it (`delete_unreferenced`).
"""

import base64
import hashlib
import os
import secrets
import tempfile
from dataclasses import dataclass

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler

from . import filetypes, sealing

BLOB_DIR = "bids/attachments"
HEAD_BYTES = 64 * 1024  # kept in memory to recognise the type: the start of every file ...
TAIL_BYTES = 256 * 1024  # ... and the end, where a DOCX or XLSX package (a ZIP) lists its parts
CHUNK_BYTES = 1024 * 1024  # how much of the request body the upload handler takes at a time
TAG_BYTES = 16
OVERHEAD_BYTES = sealing.NONCE_BYTES + TAG_BYTES  # a blob is this much larger than its plaintext


def attachment_aad(submission_id: int, token: str) -> bytes:
    return f"submission:{submission_id}:attachment:{token}".encode()


@dataclass(frozen=True)
class Encrypted:
    """An attachment as written: where its ciphertext is, the key and associated data to read it, the plaintext's
    size and SHA-256, and its media type (None: not a PDF, DOCX or XLSX). `blob` is "" when nothing was kept (the
    file was larger than the limit: only its size was counted)."""

    blob: str
    key: bytes
    aad: bytes
    size: int
    sha256: str
    media_type: str | None
    ciphertext_size: int

    def meta(self) -> dict:
        """What the draft item's encrypted meta keeps to read the blob (JSON)."""
        return {"key": base64.b64encode(self.key).decode(), "aad": self.aad.decode()}


class BlobWriter:
    """Encrypts, hashes and writes one attachment chunk by chunk; `close()` gives its `Encrypted`, `abort()` removes
    what was written. With `max_bytes`, a file that grows beyond it is no longer written (only counted)."""

    def __init__(self, submission_id: int, max_bytes: int | None = None, storage=None):
        self.storage = storage or default_storage
        self.max_bytes = max_bytes
        self.key = sealing.new_data_key()
        token = secrets.token_hex(16)
        self.aad = attachment_aad(submission_id, token)
        self.name = f"{BLOB_DIR}/{submission_id}-{token}.bin"
        nonce = os.urandom(sealing.NONCE_BYTES)
        self._encryptor = Cipher(algorithms.AES(self.key), modes.GCM(nonce)).encryptor()
        self._encryptor.authenticate_additional_data(self.aad)
        self._hash = hashlib.sha256()
        self.size = 0
        self.written = 0
        self.head = bytearray()
        self.tail = bytearray()
        self.oversize = False
        self.closed = False
        self._path = None
        try:
            self._path = self.storage.path(self.name)
        except NotImplementedError:  # a storage without local files: ciphertext is spooled, then saved
            self._out = tempfile.SpooledTemporaryFile(max_size=8 * CHUNK_BYTES)  # noqa: SIM115 (closed in close/abort)
        else:
            os.makedirs(os.path.dirname(self._path), exist_ok=True)
            self._out = os.fdopen(os.open(self._path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")
        self._write(nonce)

    def _write(self, data: bytes) -> None:
        self._out.write(data)
        self.written += len(data)

    def write(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.oversize:
            return
        if self.max_bytes is not None and self.size > self.max_bytes:
            self.oversize = True  # the rest is only counted; the service refuses the file by its size
            self._discard_output()
            return
        if len(self.head) < HEAD_BYTES:
            self.head += chunk[: HEAD_BYTES - len(self.head)]
        self.tail += chunk[-TAIL_BYTES:]
        if len(self.tail) > TAIL_BYTES:
            del self.tail[: len(self.tail) - TAIL_BYTES]
        self._hash.update(chunk)
        self._write(self._encryptor.update(chunk))

    def close(self) -> Encrypted:
        if self.oversize:
            self.closed = True
            return Encrypted("", self.key, self.aad, self.size, "", None, 0)
        self._write(self._encryptor.finalize() + self._encryptor.tag)
        if self._path is not None:
            self._out.flush()
            os.fsync(self._out.fileno())  # on disk before any row can point at it
            self._out.close()
            os.chmod(self._path, 0o400)  # immutable: written once, never rewritten
            name = self.name
        else:
            self._out.seek(0)
            name = self.storage.save(self.name, File(self._out))
            self._out.close()
        self.closed = True
        return Encrypted(
            name, self.key, self.aad, self.size, self._hash.hexdigest(), self._media_type(name), self.written
        )

    def _media_type(self, name: str) -> str | None:
        try:
            return filetypes.sniff_ends(bytes(self.head), bytes(self.tail), self.size)
        except filetypes.NeedsWholeFile:  # a ZIP whose directory is larger than the tail: read it whole (rare)
            return filetypes.sniff(read(name, self.key, self.aad))

    def _discard_output(self) -> None:
        if not self._out.closed:
            self._out.close()
        if self._path is not None and os.path.exists(self._path):
            os.unlink(self._path)

    def abort(self) -> None:
        if not self.closed:
            self._discard_output()
            self.closed = True


def encrypt_bytes(submission_id: int, content: bytes, max_bytes: int | None = None) -> Encrypted:
    """The same for content already in memory (services called with bytes: demo data, tests, re-encryption)."""
    writer = BlobWriter(submission_id, max_bytes)
    try:
        for start in range(0, len(content), CHUNK_BYTES):
            writer.write(content[start : start + CHUNK_BYTES])
        return writer.close()
    except BaseException:
        writer.abort()
        raise


def read(name: str, key: bytes, aad: bytes, storage=None) -> bytes:
    """The plaintext of a blob (AES-GCM checks that it is the one written with this key and associated data)."""
    with (storage or default_storage).open(name, "rb") as handle:
        return sealing.decrypt(key, handle.read(), aad)


def read_with_meta(name: str, meta: dict) -> bytes:
    return read(name, base64.b64decode(meta["key"]), meta["aad"].encode())


def discard(encrypted: Encrypted | None) -> None:
    """Remove a blob that no row refers to (a refused or failed upload)."""
    if encrypted is not None and encrypted.blob:
        delete_unreferenced(encrypted.blob)


def delete_unreferenced(name: str) -> bool:
    """Delete the blob `name` unless a draft item or a sealed version still refers to it."""
    from .models import DraftItem, SealedAttachment

    if not name or DraftItem.objects.filter(blob=name).exists() or SealedAttachment.objects.filter(blob=name).exists():
        return False
    default_storage.delete(name)
    return True


class EncryptedUpload(UploadedFile):
    """What the upload handler gives the view for an attachment: its name, size and `encrypted` (where the
    ciphertext is and how to read it). It has no bytes to read: the plaintext exists only while it passes."""

    def __init__(self, encrypted: Encrypted, name: str, content_type: str, charset=None, content_type_extra=None):
        super().__init__(None, name, content_type, encrypted.size, charset, content_type_extra)
        self.encrypted = encrypted

    def open(self, mode=None):
        raise TypeError("An encrypted upload has no plaintext to read.")

    def read(self, *args, **kwargs):
        raise TypeError("An encrypted upload has no plaintext to read.")

    def chunks(self, chunk_size=None):
        raise TypeError("An encrypted upload has no plaintext to read.")

    def close(self):
        return None


class EncryptingUploadHandler(FileUploadHandler):
    """Django upload handler for attachments of one submission: every file of the request body is encrypted while it
    is read (see BlobWriter). The view installs it after its access checks; afterwards `discard_except(kept)`
    removes every blob the request wrote that no service took."""

    chunk_size = CHUNK_BYTES

    def __init__(self, request, submission_id: int, max_bytes: int | None = None):
        super().__init__(request)
        self.submission_id = submission_id
        self.max_bytes = max_bytes
        self.writer = None
        self.writers: list[BlobWriter] = []
        self.results: list[Encrypted] = []

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.writer = BlobWriter(self.submission_id, self.max_bytes)
        self.writers.append(self.writer)

    def receive_data_chunk(self, raw_data, start):
        self.writer.write(raw_data)
        return None  # no later handler (memory, temporary file) sees the bytes

    def file_complete(self, file_size):
        encrypted = self.writer.close()
        self.results.append(encrypted)
        return EncryptedUpload(encrypted, self.file_name, self.content_type, self.charset, self.content_type_extra)

    def upload_interrupted(self):
        for writer in self.writers:
            writer.abort()

    def discard_except(self, kept: str = "") -> None:
        for writer in self.writers:
            writer.abort()  # a file cut off mid-way (no-op for completed ones)
        for encrypted in self.results:
            if encrypted.blob and encrypted.blob != kept:
                discard(encrypted)
