"""The envelope: what is sealed for a commissioning opens only with its private key, and any change is detected."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from bids import sealing

MANIFEST = {"answers": [{"criterion": 1, "text": "Buurtkamers in elke wijk"}], "files": [], "version": 1}


def test_sealed_bundle_opens_with_the_commissioning_key_only():
    pair = sealing.new_commissioning_key_pair(7)
    other = sealing.new_commissioning_key_pair(8)
    aad = sealing.version_aad(3, 1)
    sealed = sealing.seal_bundle(MANIFEST, [b"%PDF-1.7 plan"], pair.public_key, aad)
    assert b"Buurtkamers" not in sealed.ciphertext and b"plan" not in sealed.ciphertext

    private = sealing.unwrap_private_key(pair.wrapped_private_key, 7)
    data_key = sealing.unwrap_with_private_key(sealed.wrapped_data_key, sealed.ephemeral_public_key, private, aad)
    assert sealing.open_bundle(sealed.ciphertext, data_key, aad) == (MANIFEST, [b"%PDF-1.7 plan"])

    wrong = sealing.unwrap_private_key(other.wrapped_private_key, 8)
    with pytest.raises(sealing.SealError):
        sealing.unwrap_with_private_key(sealed.wrapped_data_key, sealed.ephemeral_public_key, wrong, aad)


def test_a_changed_byte_or_another_submission_is_detected():
    pair = sealing.new_commissioning_key_pair(1)
    aad = sealing.version_aad(3, 1)
    sealed = sealing.seal_bundle(MANIFEST, [], pair.public_key, aad)
    private = sealing.unwrap_private_key(pair.wrapped_private_key, 1)
    data_key = sealing.unwrap_with_private_key(sealed.wrapped_data_key, sealed.ephemeral_public_key, private, aad)
    tampered = bytearray(sealed.ciphertext)
    tampered[-1] ^= 1
    with pytest.raises(sealing.SealError):
        sealing.open_bundle(bytes(tampered), data_key, aad)
    with pytest.raises(sealing.SealError):  # moved to another submission's row
        sealing.open_bundle(sealed.ciphertext, data_key, sealing.version_aad(4, 1))
    with pytest.raises(sealing.SealError):  # a private key wrapped for another commissioning
        sealing.unwrap_private_key(pair.wrapped_private_key, 2)


def test_receipt_is_the_sha256_of_the_canonical_manifest_whatever_the_key_order():
    reordered = {"version": 1, "files": [], "answers": [{"text": "Buurtkamers in elke wijk", "criterion": 1}]}
    assert sealing.receipt_hash(MANIFEST) == sealing.receipt_hash(reordered)
    assert len(sealing.receipt_hash(MANIFEST)) == 64
    assert sealing.receipt_hash(MANIFEST) != sealing.receipt_hash({**MANIFEST, "version": 2})


def test_pack_and_unpack_keep_files_in_order_including_empty_ones():
    assert sealing.unpack(sealing.pack(MANIFEST, [b"a", b"", b"ccc"])) == (MANIFEST, [b"a", b"", b"ccc"])


def test_kek_from_the_setting_must_be_32_bytes(settings):
    settings.BIDS_KEK = "c2hvcnQ="  # "short"
    with pytest.raises(ImproperlyConfigured):
        sealing.kek()


def test_kek_file_is_created_for_development_only_and_private(settings, tmp_path):
    settings.BIDS_KEK = ""
    settings.BIDS_KEK_FILE = str(tmp_path / "k" / "bids-kek")
    settings.BIDS_KEK_CREATE = False
    with pytest.raises(ImproperlyConfigured):
        sealing.kek()
    settings.BIDS_KEK_CREATE = True
    key = sealing.kek()
    assert len(key) == 32 and sealing.kek() == key
    assert (tmp_path / "k" / "bids-kek").stat().st_mode & 0o077 == 0
    assert sealing.kek_id(key) != key.hex()[:16]


def test_parts_cannot_be_swapped_or_dropped_unnoticed():
    pair = sealing.new_commissioning_key_pair(1)
    aad = sealing.version_aad(3, 1)
    sealed = sealing.seal_bundle(MANIFEST, [b"first", b"second"], pair.public_key, aad)
    private = sealing.unwrap_private_key(pair.wrapped_private_key, 1)
    data_key = sealing.unwrap_with_private_key(sealed.wrapped_data_key, sealed.ephemeral_public_key, private, aad)
    manifest, first, second = sealing.unframe(sealed.ciphertext)
    with pytest.raises(sealing.SealError):  # the files in each other's place
        sealing.open_bundle(sealing.frame([manifest, second, first]), data_key, aad)
    with pytest.raises(sealing.SealError):  # a truncated bundle
        sealing.open_bundle(sealed.ciphertext[:-5], data_key, aad)
    assert sealing.open_bundle(sealing.frame([manifest, first]), data_key, aad)[1] == [b"first"]  # the manifest
    # still lists two files: the opening compares the files with the manifest and records the difference


def _attachment(content: bytes, token: str) -> tuple[sealing.AttachmentRef, bytes]:
    key, aad = sealing.new_data_key(), f"submission:3:attachment:{token}".encode()
    return sealing.AttachmentRef(f"bids/attachments/3-{token}.bin", key, aad), sealing.encrypt(key, content, aad)


def test_format_2_seals_attachment_keys_and_opens_only_with_the_private_key():
    pair = sealing.new_commissioning_key_pair(1)
    aad = sealing.version_aad(3, 1)
    (first, first_blob), (second, second_blob) = _attachment(b"%PDF-1.7 plan", "a"), _attachment(b"%PDF-1.7 b", "b")
    blobs = {first.blob: first_blob, second.blob: second_blob}
    sealed = sealing.seal_with_attachments(MANIFEST, [first, second], pair.public_key, aad)
    assert sealed.receipt_sha256 == sealing.receipt_hash(MANIFEST)
    assert first.key not in sealed.ciphertext and b"plan" not in sealed.ciphertext
    private = sealing.unwrap_private_key(pair.wrapped_private_key, 1)
    data_key = sealing.unwrap_with_private_key(sealed.wrapped_data_key, sealed.ephemeral_public_key, private, aad)
    opened = sealing.open_bundle(sealed.ciphertext, data_key, aad, read_blob=blobs.__getitem__)
    assert opened == (MANIFEST, [b"%PDF-1.7 plan", b"%PDF-1.7 b"])
    with pytest.raises(sealing.SealError):  # bound to its version
        sealing.open_bundle(sealed.ciphertext, data_key, sealing.version_aad(3, 2), read_blob=blobs.__getitem__)
    swapped = {first.blob: second_blob, second.blob: first_blob}
    with pytest.raises(sealing.SealError):  # a blob exchanged for another does not decrypt with its key
        sealing.open_bundle(sealed.ciphertext, data_key, aad, read_blob=swapped.__getitem__)
