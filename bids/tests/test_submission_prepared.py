"""The heavy half of sealing (decrypting, hashing and encrypting the files) runs before the deadline lock, so that
bidders submitting at the same moment do not wait for each other's files; under the lock it is used only while the
files, the version number and the key are what they were (docs/adr/0008)."""

import pytest

from bids import envelope, sealing, services
from bids.services import submission as submission_service

from .factories_b1 import leaf_criteria, pdf_bytes

pytestmark = pytest.mark.django_db


def _fill(draft, user):
    services.save_answer(draft, user, leaf_criteria(draft.commissioning)[0], "Ons plan")
    services.add_file(draft, user, name="plan.pdf", content=pdf_bytes("plan"))


def test_submit_uses_the_files_sealed_before_the_lock(draft, lead, monkeypatch):
    _fill(draft, lead[1])

    def not_under_the_lock(*args, **kwargs):
        raise AssertionError("the files were sealed again under the lock")

    monkeypatch.setattr(sealing, "seal_bundle", not_under_the_lock)
    version = services.submit(draft, lead[1])
    manifest = envelope.bidder_manifest(version)
    assert sealing.receipt_hash(manifest) == version.receipt_sha256
    assert [f["sha256"] for f in manifest["files"]] == [sealing.sha256_hex(pdf_bytes("plan"))]


def test_a_file_added_after_the_preparation_is_sealed_under_the_lock(draft, lead):
    _fill(draft, lead[1])
    prepared = submission_service._prepare(draft, lead[1])
    services.add_file(draft, lead[1], name="bijlage.pdf", content=pdf_bytes("bijlage"))
    version = submission_service._seal(draft, lead[1], prepared)
    names = [f["name"] for f in envelope.bidder_manifest(version)["files"]]
    assert names == ["plan.pdf", "bijlage.pdf"]  # not the prepared single file


def test_a_preparation_for_a_version_number_that_was_taken_is_not_used(draft, lead):
    _fill(draft, lead[1])
    prepared = submission_service._prepare(draft, lead[1])
    services.submit(draft, lead[1])  # version 1 goes first
    second = submission_service._seal(draft, lead[1], prepared)  # prepared for number 1
    assert second.number == 2 and envelope.bidder_manifest(second)["version"] == 2
