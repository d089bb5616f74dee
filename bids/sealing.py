"""Envelope encryption of submissions (docs/adr/0008, docs/security.md "Sealed bids").

- Every submission version gets a random 256-bit data key; its content is encrypted with AES-256-GCM (a random
  96-bit nonce per item; associated data binds the ciphertext to its submission and item).
- The data key is wrapped for the commissioning's X25519 public key (ECIES: an ephemeral X25519 key, HKDF-SHA256 over
  the shared secret, AES-256-GCM), so that only the holder of the commissioning's private key can unwrap it.
- The commissioning's private key, and the data keys of drafts, are wrapped by the key-encryption key (KEK), which is
  never stored in the database or the media folder: `settings.BIDS_KEK` (base64, 32 bytes) or the file named by
  `settings.BIDS_KEK_FILE`.
- The receipt is the SHA-256 of the canonical manifest (sorted JSON, files represented by their SHA-256), computed on
  the plaintext before sealing.
- Attachments are encrypted once, with a key of their own, while they are uploaded (bids.attachments); a version
  seals the manifest and those keys (format 2, `seal_with_attachments`, docs/adr/0012). Format 1 (`seal_bundle`: the
  files inside the bundle) is how versions were sealed before; `open_bundle` reads both.

Pure functions over bytes; the services decide when they may be called (only the opening unwraps a private key).
"""

import base64
import hashlib
import json
import os
import struct
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

KEY_BYTES = 32
NONCE_BYTES = 12
HKDF_INFO = b"wijkwaarde/bids/data-key/v1"
KEK_ID_PREFIX = b"wijkwaarde/bids/kek-id/v1"


class SealError(Exception):
    """A ciphertext does not decrypt: wrong key, or the data was changed (AES-GCM authentication failed)."""


# --- The key-encryption key ----------------------------------------------------------------------------------------
def _decode_kek(text: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(text.strip() + "=" * (-len(text.strip()) % 4))
    except ValueError as exc:
        raise ImproperlyConfigured("BIDS_KEK is not valid base64.") from exc
    if len(key) != KEY_BYTES:
        raise ImproperlyConfigured("BIDS_KEK must be 32 bytes (base64).")
    return key


def kek() -> bytes:
    """The KEK from the settings (`BIDS_KEK`) or its file (`BIDS_KEK_FILE`); with `BIDS_KEK_CREATE` (demo and
    development only) a missing file is created with a fresh random key, readable by its owner only."""
    value = getattr(settings, "BIDS_KEK", "")
    if value:
        return _decode_kek(value)
    path = getattr(settings, "BIDS_KEK_FILE", "")
    if not path:
        raise ImproperlyConfigured("Set BIDS_KEK or BIDS_KEK_FILE: sealed bids need a key-encryption key.")
    path = Path(path)
    if not path.exists() and getattr(settings, "BIDS_KEK_CREATE", False):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(base64.urlsafe_b64encode(os.urandom(KEY_BYTES)).decode())
    if not path.exists():
        raise ImproperlyConfigured(f"The key-encryption key file {path} does not exist.")
    return _decode_kek(path.read_text())


def kek_id(key: bytes | None = None) -> str:
    """A short fingerprint naming the KEK (stored next to what it wraps), which reveals nothing about it."""
    return hashlib.sha256(KEK_ID_PREFIX + (key if key is not None else kek())).hexdigest()[:16]


# --- Symmetric layer -----------------------------------------------------------------------------------------------
def new_data_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def encrypt(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def decrypt(key: bytes, sealed: bytes, aad: bytes) -> bytes:
    try:
        return AESGCM(key).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], aad)
    except (InvalidTag, ValueError) as exc:
        raise SealError("ciphertext does not authenticate") from exc


def wrap_with_kek(key_material: bytes, aad: bytes, key: bytes | None = None) -> bytes:
    return encrypt(key if key is not None else kek(), key_material, b"kek|" + aad)


def unwrap_with_kek(wrapped: bytes, aad: bytes, key: bytes | None = None) -> bytes:
    return decrypt(key if key is not None else kek(), bytes(wrapped), b"kek|" + aad)


# --- Commissioning key pair (X25519) and wrapping data keys for it -------------------------------------------------
@dataclass(frozen=True)
class KeyPair:
    public_key: bytes  # raw 32 bytes
    wrapped_private_key: bytes  # raw private key wrapped by the KEK
    kek_id: str


def commissioning_aad(commissioning_id: int) -> bytes:
    return f"commissioning:{commissioning_id}".encode()


def new_commissioning_key_pair(commissioning_id: int) -> KeyPair:
    private = X25519PrivateKey.generate()
    raw_private = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    raw_public = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    key = kek()
    return KeyPair(raw_public, wrap_with_kek(raw_private, commissioning_aad(commissioning_id), key), kek_id(key))


def unwrap_private_key(wrapped_private_key: bytes, commissioning_id: int) -> X25519PrivateKey:
    """Only the opening service calls this."""
    raw = unwrap_with_kek(wrapped_private_key, commissioning_aad(commissioning_id))
    return X25519PrivateKey.from_private_bytes(raw)


def _derive(shared: bytes, ephemeral_public: bytes, recipient_public: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=KEY_BYTES, salt=ephemeral_public + recipient_public, info=HKDF_INFO
    ).derive(shared)


def wrap_for_public_key(data_key: bytes, public_key: bytes, aad: bytes) -> tuple[bytes, bytes]:
    """(ephemeral public key, wrapped data key): ECIES over X25519 + HKDF-SHA256 + AES-256-GCM."""
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    recipient = X25519PublicKey.from_public_bytes(bytes(public_key))
    wrapping_key = _derive(ephemeral.exchange(recipient), ephemeral_public, bytes(public_key))
    return ephemeral_public, encrypt(wrapping_key, data_key, b"wrap|" + aad)


def unwrap_with_private_key(
    wrapped: bytes, ephemeral_public: bytes, private_key: X25519PrivateKey, aad: bytes
) -> bytes:
    recipient_public = private_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    shared = private_key.exchange(X25519PublicKey.from_public_bytes(bytes(ephemeral_public)))
    return decrypt(_derive(shared, bytes(ephemeral_public), recipient_public), bytes(wrapped), b"wrap|" + aad)


# --- Canonical bundle and receipt ----------------------------------------------------------------------------------
def canonical_json(manifest: dict) -> bytes:
    """The one byte form of a manifest: sorted keys, no insignificant whitespace, UTF-8."""
    return json.dumps(manifest, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def receipt_hash(manifest: dict) -> str:
    """SHA-256 over the canonical manifest. Files appear in the manifest by name, size and SHA-256 of their bytes, so
    a bidder can check a kept file and a kept manifest against the receipt."""
    return sha256_hex(canonical_json(manifest))


def pack(manifest: dict, files: list[bytes]) -> bytes:
    """One byte string holding the manifest and the files in manifest order: length-prefixed (big-endian u64)."""
    return frame([canonical_json(manifest), *files])


def frame(parts: list[bytes]) -> bytes:
    return b"".join(struct.pack(">Q", len(part)) + part for part in parts)


def unframe(packed: bytes) -> list[bytes]:
    parts, offset = [], 0
    while offset < len(packed):
        if offset + 8 > len(packed):
            raise SealError("truncated bundle")
        (length,) = struct.unpack_from(">Q", packed, offset)
        offset += 8
        if offset + length > len(packed):
            raise SealError("truncated bundle")
        parts.append(packed[offset : offset + length])
        offset += length
    return parts


def unpack(packed: bytes) -> tuple[dict, list[bytes]]:
    parts = unframe(packed)
    if not parts:
        raise SealError("empty bundle")
    return json.loads(parts[0]), parts[1:]


def version_aad(submission_id: int, number: int) -> bytes:
    return f"submission:{submission_id}:version:{number}".encode()


@dataclass(frozen=True)
class Sealed:
    receipt_sha256: str
    ephemeral_public_key: bytes
    wrapped_data_key: bytes
    ciphertext: bytes


def _part_aad(aad: bytes, index: int) -> bytes:
    return aad + b"|part:" + str(index).encode()


def seal_bundle(manifest: dict, files: list[bytes], public_key: bytes, aad: bytes) -> Sealed:
    """Format 1: hash, then encrypt the bundle (manifest and files, each a part bound to its place by the associated
    data) with a fresh data key wrapped for the commissioning's public key. Versions sealed before docs/adr/0012
    have this format; the submit service now seals attachments by their keys (`seal_with_attachments`)."""
    data_key = new_data_key()
    ephemeral_public, wrapped = wrap_for_public_key(data_key, public_key, aad)
    parts = [encrypt(data_key, canonical_json(manifest), _part_aad(aad, 0))]
    parts += [encrypt(data_key, content, _part_aad(aad, i)) for i, content in enumerate(files, start=1)]
    return Sealed(receipt_hash(manifest), ephemeral_public, wrapped, frame(parts))


# --- Format 2: attachments sealed by their keys, not re-encrypted (docs/adr/0012) ------------------------------------
FORMAT_2 = b"wijkwaarde-sealed/2"


@dataclass(frozen=True)
class AttachmentRef:
    """An attachment already encrypted with its own key (bids.attachments): the blob's storage name, its key and the
    associated data it was encrypted with."""

    blob: str
    key: bytes
    aad: bytes


def _keys_aad(aad: bytes) -> bytes:
    return aad + b"|attachment-keys"


def seal_with_attachments(manifest: dict, attachments: list[AttachmentRef], public_key: bytes, aad: bytes) -> Sealed:
    """Seal a version whose files are already encrypted, each with its own key: the bundle holds a format marker, the
    manifest (part 0) and the list of the attachments' blobs and keys, both encrypted with a fresh data key wrapped
    for the commissioning's public key. The files' bytes are not read, hashed or encrypted again: the manifest names
    each file by the SHA-256 taken while it was uploaded, and the opening checks it against the decrypted bytes."""
    data_key = new_data_key()
    ephemeral_public, wrapped = wrap_for_public_key(data_key, public_key, aad)
    keys = canonical_json(
        {
            "attachments": [
                {"blob": a.blob, "key": base64.b64encode(a.key).decode(), "aad": a.aad.decode()} for a in attachments
            ]
        }
    )
    parts = [
        FORMAT_2,
        encrypt(data_key, canonical_json(manifest), _part_aad(aad, 0)),
        encrypt(data_key, keys, _keys_aad(aad)),
    ]
    return Sealed(receipt_hash(manifest), ephemeral_public, wrapped, frame(parts))


def _read_blob(name: str) -> bytes:
    from django.core.files.storage import default_storage

    with default_storage.open(name, "rb") as handle:
        return handle.read()


def open_bundle(ciphertext: bytes, data_key: bytes, aad: bytes, read_blob=None) -> tuple[dict, list[bytes]]:
    """The manifest and the files of a sealed version, in either format: 1 (the files inside the bundle) or 2 (the
    files in their attachment blobs, read with `read_blob(name)`, by default from the media storage)."""
    parts = unframe(bytes(ciphertext))
    if not parts:
        raise SealError("empty bundle")
    if parts[0] == FORMAT_2:
        if len(parts) != 3:
            raise SealError("malformed bundle")
        manifest = json.loads(decrypt(data_key, parts[1], _part_aad(aad, 0)))
        keys = json.loads(decrypt(data_key, parts[2], _keys_aad(aad)))["attachments"]
        read_blob = read_blob or _read_blob
        files = [decrypt(base64.b64decode(k["key"]), read_blob(k["blob"]), k["aad"].encode()) for k in keys]
        return manifest, files
    manifest = json.loads(decrypt(data_key, parts[0], _part_aad(aad, 0)))
    files = [decrypt(data_key, part, _part_aad(aad, i)) for i, part in enumerate(parts[1:], start=1)]
    return manifest, files
