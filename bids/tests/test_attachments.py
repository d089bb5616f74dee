"""Attachments encrypted once, while they arrive, and sealed by their keys (docs/adr/0012): the upload writes no
plaintext file and the ciphertext once; the submission neither reads nor encrypts the files again; a sealed version
keeps its blobs whatever the draft does later; blobs nobody refers to are removed."""

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.test import Client
from django.urls import reverse

from bids import attachments, envelope, filetypes, sealing, services
from bids.models import DraftItem, SealedAttachment
from core.testing import login

from .factories_b1 import leaf_criteria, pdf_bytes

pytestmark = pytest.mark.django_db


def _blobs() -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / attachments.BLOB_DIR
    return sorted(root.glob("*.bin")) if root.exists() else []


def _open(version, draft):
    """The version as the opening reads it: with the commissioning's private key."""
    key = draft.commissioning.seal_key
    private = sealing.unwrap_private_key(bytes(key.wrapped_private_key), draft.commissioning_id)
    aad = sealing.version_aad(draft.pk, version.number)
    data_key = sealing.unwrap_with_private_key(
        bytes(version.wrapped_data_key), bytes(version.ephemeral_public_key), private, aad
    )
    return sealing.open_bundle(envelope.sealed_ciphertext(version), data_key, aad)


def test_an_uploaded_attachment_is_encrypted_while_it_arrives_without_a_plaintext_file(
    client, draft, lead, monkeypatch
):
    def no_temporary_file(*args, **kwargs):
        raise AssertionError("the upload was written to a plaintext temporary file")

    monkeypatch.setattr(TemporaryUploadedFile, "__init__", no_temporary_file)
    marker = b"Pelikaan-plan-77123"
    content = pdf_bytes() + marker + b"x" * (settings.FILE_UPLOAD_MAX_MEMORY_SIZE + 1)  # above the memory limit
    login(client, lead[1])
    upload = SimpleUploadedFile("plan.pdf", content, content_type="application/pdf")
    response = client.post(reverse("bids:upload", args=[draft.pk]), {"file": upload})
    assert response.status_code == 302
    item = DraftItem.objects.get(submission=draft, kind="file")
    [blob] = _blobs()
    on_disk = blob.read_bytes()
    assert item.blob.name.endswith(blob.name) and marker not in on_disk
    assert len(on_disk) == len(content) + attachments.OVERHEAD_BYTES  # written once: nonce, ciphertext, tag
    assert blob.stat().st_mode & 0o222 == 0  # read-only: never rewritten
    [f] = envelope.read_draft(draft, with_content=True)["files"]
    assert f["content"] == content and f["sha256"] == sealing.sha256_hex(content)
    assert f["media_type"] == filetypes.PDF and "key" not in f


def test_the_type_of_a_large_office_file_is_recognised_from_its_ends(draft, lead):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("xl/workbook.xml", "<x/>")
        package.writestr("xl/media/image.bin", bytes(range(256)) * 4096, compress_type=zipfile.ZIP_STORED)  # 1 MB
    item = services.add_file(draft, lead[1], name="begroting.xlsx", content=buffer.getvalue())
    assert envelope.read_draft(draft)["files"][0]["media_type"] == filetypes.XLSX and item.size > 2**20


def test_a_refused_upload_leaves_no_blob(client, draft, lead):
    login(client, lead[1])
    fake = SimpleUploadedFile("plan.pdf", b"GIF89a not a pdf", content_type="application/pdf")
    assert client.post(reverse("bids:upload", args=[draft.pk]), {"file": fake}).status_code == 400
    assert not _blobs() and not DraftItem.objects.exists()


def test_the_upload_checks_the_csrf_token_after_installing_the_handler(draft, lead):
    strict = Client(enforce_csrf_checks=True)
    login(strict, lead[1])
    upload = SimpleUploadedFile("plan.pdf", pdf_bytes("plan"), content_type="application/pdf")
    assert strict.post(reverse("bids:upload", args=[draft.pk]), {"file": upload}).status_code == 403
    assert not _blobs() and not DraftItem.objects.exists()


def test_a_stranger_cannot_make_the_server_write_a_blob(client, draft):
    from .factories_b1 import make_operator

    _operator, stranger = make_operator("Ander")
    login(client, stranger)
    upload = SimpleUploadedFile("plan.pdf", pdf_bytes("plan"), content_type="application/pdf")
    assert client.post(reverse("bids:upload", args=[draft.pk]), {"file": upload}).status_code == 404
    assert not _blobs()


def test_submit_seals_the_attachment_keys_without_reading_the_files_again(draft, lead, monkeypatch):
    services.save_answer(draft, lead[1], leaf_criteria(draft.commissioning)[0], "Ons plan")
    services.add_file(draft, lead[1], name="plan.pdf", content=pdf_bytes("plan"))

    def not_again(*args, **kwargs):
        raise AssertionError("a file was read or encrypted again at the submission")

    monkeypatch.setattr(attachments, "read", not_again)
    monkeypatch.setattr(attachments, "encrypt_bytes", not_again)
    monkeypatch.setattr(sealing, "seal_bundle", not_again)
    version = services.submit(draft, lead[1])
    monkeypatch.undo()
    manifest, files = _open(version, draft)
    assert (
        sealing.receipt_hash(manifest)
        == version.receipt_sha256
        == sealing.receipt_hash(envelope.bidder_manifest(version))
    )
    assert files == [pdf_bytes("plan")] and manifest["files"][0]["sha256"] == sealing.sha256_hex(pdf_bytes("plan"))
    assert version.attachments.get().blob.name == draft.draft_items.get(kind="file").blob.name  # shared, not copied


def test_a_sealed_version_does_not_change_when_the_draft_changes(draft, lead, django_capture_on_commit_callbacks):
    item = services.add_file(draft, lead[1], name="plan.pdf", content=pdf_bytes("eerste"))
    version = services.submit(draft, lead[1])
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_file(item, lead[1])
    services.add_file(draft, lead[1], name="plan.pdf", content=pdf_bytes("tweede"))
    assert _open(version, draft)[1] == [pdf_bytes("eerste")]  # its blob was kept
    second = services.submit(draft, lead[1])
    assert _open(second, draft)[1] == [pdf_bytes("tweede")] and len(_blobs()) == 2


def test_a_blob_nobody_refers_to_is_removed(draft, lead, django_capture_on_commit_callbacks):
    item = services.add_file(draft, lead[1], name="plan.pdf", content=pdf_bytes("plan"))
    assert len(_blobs()) == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_file(item, lead[1])
    assert not _blobs() and not SealedAttachment.objects.exists()


def test_an_attachment_from_before_is_given_its_own_key_before_sealing(draft, lead, django_capture_on_commit_callbacks):
    """A draft file written before docs/adr/0012 (encrypted with the draft key itself) is re-encrypted with a key of
    its own before the lock, so that the version can seal its key without handing over the draft key."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    key, content = envelope.draft_key(draft), pdf_bytes("oud")
    item = DraftItem.objects.create(submission=draft, kind="file", size=len(content), updated_at=timezone.now())
    meta = {"name": "oud.pdf", "media_type": filetypes.PDF, "sha256": sealing.sha256_hex(content)}
    item.ciphertext = envelope.encrypt_json(key, meta, envelope.item_aad(draft.pk, item.pk, "meta"))
    blob = sealing.encrypt(key, content, envelope.item_aad(draft.pk, item.pk, "blob"))
    item.blob.save(f"{draft.pk}-{item.pk}.bin", ContentFile(blob), save=False)
    item.save()
    with django_capture_on_commit_callbacks(execute=True):
        version = services.submit(draft, lead[1])
    assert _open(version, draft)[1] == [content]
    item.refresh_from_db()
    assert item.blob.name.startswith(attachments.BLOB_DIR)
    assert not any((Path(settings.MEDIA_ROOT) / "bids" / "drafts").iterdir())  # the old blob was removed


def test_a_change_after_the_preparation_is_sealed_under_the_lock(draft, lead):
    """The preparation before the deadline lock is used only while the submission's revision is unchanged."""
    from bids.services import submission as submission_service

    services.add_file(draft, lead[1], name="plan.pdf", content=pdf_bytes("plan"))
    prepared = submission_service._prepare(draft, lead[1])
    services.add_file(draft, lead[1], name="bijlage.pdf", content=pdf_bytes("bijlage"))
    version = submission_service._seal(draft, lead[1], prepared)
    assert [f["name"] for f in envelope.bidder_manifest(version)["files"]] == [
        "plan.pdf",
        "bijlage.pdf",
    ]
    assert _open(version, draft)[1] == [pdf_bytes("plan"), pdf_bytes("bijlage")]


def test_a_preparation_for_a_version_number_that_was_taken_is_not_used(draft, lead):
    from bids.services import submission as submission_service

    services.add_file(draft, lead[1], name="plan.pdf", content=pdf_bytes("plan"))
    prepared = submission_service._prepare(draft, lead[1])
    services.submit(draft, lead[1])  # version 1 goes first
    second = submission_service._seal(draft, lead[1], prepared)  # prepared for number 1
    assert second.number == 2 and envelope.bidder_manifest(second)["version"] == 2
    assert sealing.receipt_hash(envelope.bidder_manifest(second)) == second.receipt_sha256


def _public_versions() -> dict:
    from core.models import PublicVersion

    return dict(PublicVersion.objects.values_list("scope", "version"))


def test_a_draft_upload_and_a_submission_leave_the_public_pages_cached_but_a_publication_does_not(
    client, draft, lead, municipality, officer
):
    """Nothing of a submission is public before its opening: its writes do not bump the page cache's counters
    (core.page_cache.register_unpublished), which every other write updates too."""
    from tenders.tests.factories import published

    login(client, lead[1])  # a login is an event of its own (a user account: no municipality)
    before = _public_versions()
    upload = SimpleUploadedFile("plan.pdf", pdf_bytes(), content_type="application/pdf")
    assert client.post(reverse("bids:upload", args=[draft.pk]), {"file": upload}).status_code == 302
    assert client.post(reverse("bids:submit", args=[draft.pk])).status_code == 302
    assert draft.versions.count() == 1
    assert _public_versions() == before
    published(municipality, user=officer)
    after = _public_versions()
    assert after[municipality.cbs_code] > before.get(municipality.cbs_code, 0) and after["*"] > before.get("*", 0)
