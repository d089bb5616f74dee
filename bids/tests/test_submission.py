"""Submitting: the moment of receipt under the commissioning's lock, late attempts, versions, withdrawal, the sealed
bundle and the bidder's copy of the manifest (issue 11, ADR 0008)."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from bids import envelope, guards, sealing, services
from bids.models import LateAttempt, Participation, SealedVersion, Submission
from tenders import rules as tender_rules
from tenders import services as tender_services
from tenders.models import Deadline, Phase

from .factories_b1 import leaf_criteria, make_operator, pdf_bytes

pytestmark = pytest.mark.django_db


def _deadline(c):
    return c.deadlines.get(kind=Deadline.Kind.BIDS).at


def _fill(draft, user, text="Ons plan"):
    services.save_answer(draft, user, leaf_criteria(draft.commissioning)[0], text)
    services.add_file(draft, user, name="plan.pdf", content=pdf_bytes("plan"))


def test_submit_seals_a_version_with_a_receipt_over_the_canonical_manifest(draft, lead):
    _fill(draft, lead[1])
    version = services.submit(draft, lead[1])
    draft.refresh_from_db()
    assert draft.status == Submission.Status.SUBMITTED
    manifest = envelope.bidder_manifest(version)
    assert sealing.receipt_hash(manifest) == version.receipt_sha256
    assert manifest["version"] == 1 and manifest["lead"]["kvk_number"] == lead[0].kvk_number
    assert manifest["files"][0]["sha256"] == sealing.sha256_hex(pdf_bytes("plan"))
    assert manifest["participations"][0]["ring"] == 0
    ciphertext = bytes(version.sealed_bundle)  # format 2: the manifest and the attachment keys, in the row
    assert not version.sealed_blob
    attachment = version.attachments.get()  # sealed by its key: the blob written at the upload (docs/adr/0012)
    with attachment.blob.open("rb") as handle:
        blob = handle.read()
    assert b"Ons plan" not in ciphertext and b"plan" not in blob
    assert len(ciphertext) + len(blob) == version.size and len(blob) == attachment.size


def test_sealed_bundle_opens_only_with_the_commissionings_private_key(draft, lead):
    _fill(draft, lead[1])
    version = services.submit(draft, lead[1])
    key = draft.commissioning.seal_key
    private = sealing.unwrap_private_key(bytes(key.wrapped_private_key), draft.commissioning_id)
    aad = sealing.version_aad(draft.pk, 1)
    wrapped = bytes(version.wrapped_data_key)
    data_key = sealing.unwrap_with_private_key(wrapped, version.ephemeral_public_key, private, aad)
    manifest, files = sealing.open_bundle(envelope.sealed_ciphertext(version), data_key, aad)
    assert manifest == envelope.bidder_manifest(version)
    assert files == [pdf_bytes("plan")]


def test_late_submission_refused_and_recorded(draft, lead):
    _fill(draft, lead[1])
    at = _deadline(draft.commissioning)
    with time_machine.travel(at, tick=False), pytest.raises(services.LateSubmission, match="deadline has passed"):
        services.submit(draft, lead[1])
    late = LateAttempt.objects.get()
    assert late.submission == draft and late.attempted_at == _deadline(draft.commissioning)
    assert not SealedVersion.objects.exists()


def test_submission_one_second_before_the_deadline_is_received(draft, lead):
    _fill(draft, lead[1])
    at = _deadline(draft.commissioning) - timedelta(seconds=1)
    with time_machine.travel(at, tick=False):
        version = services.submit(draft, lead[1])
    assert version.received_at == at


def test_replaced_bid_keeps_every_version_and_only_last_counts(draft, lead):
    _fill(draft, lead[1])
    first = services.submit(draft, lead[1])
    services.save_answer(draft, lead[1], leaf_criteria(draft.commissioning)[0], "Beter plan")
    second = services.submit(draft, lead[1])
    first.refresh_from_db()
    assert [v.number for v in draft.versions.all()] == [1, 2]
    assert not first.counts and first.superseded_at is not None
    assert second.counts and first.receipt_sha256 != second.receipt_sha256


def test_withdraw_until_the_deadline_and_resubmit_as_a_new_version(draft, lead):
    _fill(draft, lead[1])
    services.submit(draft, lead[1])
    withdrawn = services.withdraw(draft, lead[1])
    draft.refresh_from_db()
    assert draft.status == Submission.Status.WITHDRAWN and withdrawn.withdrawn_at and not withdrawn.counts
    with pytest.raises(ValidationError, match="no submitted version"):
        services.withdraw(draft, lead[1])
    again = services.submit(draft, lead[1])
    assert again.number == 2 and again.counts
    with time_machine.travel(_deadline(draft.commissioning), tick=False), pytest.raises(ValidationError):
        services.withdraw(draft, lead[1])
    assert SealedVersion.objects.filter(withdrawn_at__isnull=False).count() == 1


def test_only_the_lead_submits(draft, lead):
    _fill(draft, lead[1])
    member, member_user = make_operator("Lid")
    Participation.objects.create(
        submission=draft, operator=member, ring=1, status="confirmed", invited_at=draft.created_at
    )
    with pytest.raises(PermissionDenied):
        services.submit(draft, member_user)


def test_pending_participation_blocks_submission(draft, lead):
    _fill(draft, lead[1])
    member, _user = make_operator("Lid")
    Participation.objects.create(
        submission=draft, operator=member, ring=1, status="pending", invited_at=draft.created_at
    )
    with pytest.raises(ValidationError, match="not confirmed"):
        services.submit(draft, lead[1])
    assert not SealedVersion.objects.exists()


def test_empty_submission_is_refused(draft, lead):
    with pytest.raises(ValidationError, match="empty"):
        services.submit(draft, lead[1])


def test_bidder_copy_of_the_manifest_is_encrypted(draft, lead):
    _fill(draft, lead[1], text="Kenmerkende zin")
    version = services.submit(draft, lead[1])
    assert b"Kenmerkende" not in bytes(version.bidder_manifest)
    assert json.dumps(envelope.bidder_manifest(version)).count("Kenmerkende") == 1


def test_closing_the_phase_cannot_be_dated_before_a_receipt(draft, lead, officer):
    _fill(draft, lead[1])
    version = services.submit(draft, lead[1])
    c = draft.commissioning
    assert guards.no_receipt_after_closing(c, version.received_at - timedelta(seconds=1))
    assert guards.no_receipt_after_closing(c, version.received_at) == []
    messages = tender_rules.transition_errors(c, Phase.EVALUATION, now=version.received_at - timedelta(seconds=1))
    assert "A submission was received after this moment" in " ".join(messages)


def test_submission_after_the_phase_closed_is_late(draft, lead, officer):
    _fill(draft, lead[1])
    c = draft.commissioning
    with time_machine.travel(_deadline(c) + timedelta(minutes=1), tick=False):
        tender_services.transition(c, officer, Phase.EVALUATION)
        with pytest.raises(services.LateSubmission):
            services.submit(draft, lead[1])
    assert LateAttempt.objects.count() == 1
