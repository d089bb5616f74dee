"""Submitting, replacing and withdrawing a submission (ADR 0008, "Moment of receipt").

The rule: the service locks the commissioning row, and only THEN reads the server clock; that reading is the time of
receipt, and it must lie before the deadline. The request body (every file) is complete before the service is
called. The transaction commits with the version, so a submission that read its time before the deadline is
committed before anyone can close the phase or open the bids (both take the same lock); one that reads its time at
or after the deadline is refused and recorded as a late attempt, in its own committed transaction."""

import base64
from datetime import UTC

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import attachments, envelope, sealing, selectors, submission_rules
from .. import rules as consortium_rules
from ..models import CommissioningKey, LateAttempt, SealedAttachment, SealedVersion, Submission
from ._submission_common import (
    _audit,
    _audit_context,
    _ensure_may_submit,
    _lock_commissioning,
    _lock_submission,
    _share_commissioning,
)
from .drafts import _reencrypt_legacy_files
from .keys import ensure_commissioning_key


class LateSubmission(ValidationError):
    """Refused: the server clock, read under the commissioning's lock, was at or past the deadline."""


def _operator(operator) -> dict:
    return {
        "id": operator.pk,
        "name": operator.name,
        "kvk_number": operator.kvk_number,
        "foreign_registration": operator.foreign_registration,
        "country": operator.country,
    }


def _commitment(commitment) -> dict:
    return {
        "amount_per_year": None if commitment.amount_per_year is None else str(commitment.amount_per_year),
        "share_of_lot_budget": None if commitment.share_of_lot_budget is None else str(commitment.share_of_lot_budget),
        "years": commitment.years,
        "activities": sorted(a.pk for a in commitment.activities.all()),
        "districts": sorted(d.pk for d in commitment.districts.all()),
        "continues_activity": commitment.continues_activity_id,
        "description": commitment.description,
    }


def _participations(participations) -> list[dict]:
    """The manifest's consortium part, from selectors.participations_for_sealing (in its order: ring, operator)."""
    return [
        {
            "operator": _operator(p.operator),
            "ring": p.ring,
            "role": p.role,
            "status": p.status,
            "parent_operator": p.parent.operator_id if p.parent_id else None,
            "relies_on": sorted(r.operator_id for r in p.relies_on.all()),
            "commitments": [_commitment(c) for c in p.commitments.all()],  # by pk (the prefetch's order)
        }
        for p in participations
    ]


def _file_meta(f) -> dict:
    """A file in the manifest: its SHA-256 is the one taken while its bytes arrived (bids.attachments), over exactly
    the plaintext that was encrypted; the opening checks it against the decrypted bytes."""
    return {
        "name": f["name"],
        "size": f["item"].size,
        "media_type": f["media_type"],
        "sha256": f["sha256"],
        "confidential": f["item"].confidential,
        "reason": f.get("confidential_reason", ""),
    }


def _attachment(f) -> sealing.AttachmentRef:
    if "attachment" not in f:  # an attachment from before bids.attachments that changed after the re-encryption
        raise ValidationError(_("An attachment changed while it was being submitted; submit again."))
    meta = f["attachment"]
    return sealing.AttachmentRef(f["item"].blob.name, base64.b64decode(meta["key"]), meta["aad"].encode())


def _build_bundle(submission, number: int, received_at, participations) -> tuple[dict, list[dict]]:
    """The canonical manifest of a version and the draft's files in manifest order (their meta, no bytes: the files
    are sealed by their keys). Answers name their criterion by id (as the opening's pages read them), with its
    title; "reason" is the reason for confidentiality (Aw 2.57)."""
    draft = envelope.read_draft(submission)
    criteria = {c.pk: c for c in submission.commissioning.criteria.all()}
    answers = [
        {
            "criterion": cid,
            "criterion_title": criteria[cid].title,
            "text": a["text"],
            "confidential": a["item"].confidential,
            "reason": a.get("confidential_reason", ""),
        }
        for cid, a in sorted(draft["answers"].items())
    ]
    files = sorted(draft["files"], key=lambda f: f["item"].pk)
    lot = submission.lot
    manifest = {
        "format": "wijkwaarde-submission/1",
        "commissioning": {"id": submission.commissioning_id, "title": submission.commissioning.title},
        "lot": {"id": lot.pk, "number": lot.number, "title": lot.title} if lot else None,
        "kind": submission.kind,
        "submission": submission.pk,
        "consortium_name": submission.consortium_name,
        "lead": _operator(submission.lead),
        "version": number,
        "received_at": received_at.astimezone(UTC).isoformat() if received_at else None,
        "answers": answers,
        "files": [_file_meta(f) for f in files],
        "participations": _participations(participations),
    }
    return manifest, files


def _record_late(submission, user, attempted_at):
    """In its own transaction (committed even though the submission is refused)."""
    with transaction.atomic():
        _lock_commissioning(submission.commissioning)  # the lock order of every submission service
        late = LateAttempt.objects.create(
            commissioning_id=submission.commissioning_id,
            submission=submission,
            operator_id=submission.lead_id,
            attempted_at=attempted_at,
            user=user,
        )
        _audit("bids.late_attempt", submission, user, summary={"attempted_at": attempted_at.isoformat()}, obj=late)


_NO_KEY = "no key"  # the commissioning has no key pair yet (published before bids existed)
_LEGACY_FILES = "legacy files"  # the draft holds files encrypted with the draft key itself (before docs/adr/0012)


def _prepare(submission, user) -> dict | str | None:
    """Before the deadline lock, without any lock: the checks and the manifest of the draft as it is at `revision`
    (everything but the version number and the time of receipt), and the attachments to seal by their keys. Under
    the lock it is used only if the submission's revision (counted up by every change of the draft, the consortium
    or the versions) is still the same; otherwise everything is done there. None when the locked path must decide
    (it raises the errors); _NO_KEY or _LEGACY_FILES when `submit` must first do that work."""
    s = Submission.objects.select_related("commissioning__municipality", "lot", "lead").get(pk=submission.pk)
    revision = s.revision  # read first: a change committed after this counts it up
    if not submission_rules.may_submit(user, s):
        return None
    key = CommissioningKey.objects.filter(commissioning_id=s.commissioning_id).first()
    if key is None:
        return _NO_KEY
    participations = selectors.participations_for_sealing(s)
    if consortium_rules.submission_blockers(s, participations=participations):  # pending ones too: the lock path
        return None  # says why
    number = (s.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    manifest, files = _build_bundle(s, number, None, participations)
    if any("attachment" not in f for f in files):
        return _LEGACY_FILES
    if not manifest["answers"] and not manifest["files"]:
        return None
    return {
        "revision": revision,
        "number": number,
        "public_key": bytes(key.public_key),  # a commissioning's key pair never changes once made
        "draft_key": envelope.draft_key(s),
        "audit": _audit_context(s.commissioning, user),
        "manifest": manifest,
        "attachments": [_attachment(f) for f in files],
        "blobs": [(f["item"].blob.name, f["item"].size + attachments.OVERHEAD_BYTES) for f in files],
    }


def _seal(submission, user, prepared=None) -> SealedVersion | tuple:
    """Under the deadline lock: the version, or ("late", moment) when the clock read under the lock is past the
    deadline. No file is read or encrypted here: the attachments were encrypted while they were uploaded, and the
    version seals their keys (bids.sealing format 2). With a preparation whose revision is still the submission's,
    what remains under the lock is the clock, the manifest's encryption, the rows and the audit event."""
    with transaction.atomic():
        commissioning = _share_commissioning(submission.commissioning)
        s = _lock_submission(submission)
        s.commissioning = commissioning
        now = timezone.now()  # the moment of receipt: read after the lock (ADR 0008)
        usable = prepared is not None and prepared["revision"] == s.revision
        if not usable:
            _ensure_may_submit(user, s)
        if submission_rules.is_late(commissioning, s.kind, now):
            return ("late", now)
        if not submission_rules.receiving(commissioning, s.kind, now):
            raise ValidationError(submission_rules.closed_message(commissioning, s.kind, now))
        if usable:
            # Nothing changed since the preparation (every change of the draft, the consortium or the versions counts
            # the revision up): its checks, number and manifest hold; add what only the lock gives.
            number = prepared["number"]
            manifest = {**prepared["manifest"], "received_at": now.astimezone(UTC).isoformat()}
            refs, blobs, public_key = prepared["attachments"], prepared["blobs"], prepared["public_key"]
            draft_key, context = prepared["draft_key"], prepared["audit"]
        else:
            # The consortium part (bids.rules): every participation confirmed and self-declared (art. 57), the
            # lead's address confirmed, the commitments within the lot's budget.
            participations = selectors.participations_for_sealing(s)
            errors = consortium_rules.submission_blockers(s, participations=participations)
            if errors:
                raise ValidationError(errors)
            number = (s.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
            manifest, files = _build_bundle(s, number, now, participations)
            if not manifest["answers"] and not manifest["files"]:
                raise ValidationError(_("The submission is empty: answer a criterion or attach a file first."))
            refs = [_attachment(f) for f in files]
            blobs = [(f["item"].blob.name, f["item"].size + attachments.OVERHEAD_BYTES) for f in files]
            public_key = bytes(CommissioningKey.objects.get(commissioning_id=commissioning.pk).public_key)
            draft_key, context = envelope.draft_key(s), None
        aad = sealing.version_aad(s.pk, number)
        sealed = sealing.seal_with_attachments(manifest, refs, public_key, aad)
        version = SealedVersion(
            submission=s,
            number=number,
            received_at=now,
            receipt_sha256=sealed.receipt_sha256,
            size=len(sealed.ciphertext) + sum(size for _name, size in blobs),
            ephemeral_public_key=sealed.ephemeral_public_key,
            wrapped_data_key=sealed.wrapped_data_key,
            sealed_bundle=sealed.ciphertext,  # in the row: durable with the commit, no file to sync
            bidder_manifest=sealing.encrypt(
                draft_key, sealing.canonical_json(manifest), envelope.bidder_manifest_aad_of(s.pk, number)
            ),
            submitted_by=user,
        )
        version.save()
        if blobs:
            SealedAttachment.objects.bulk_create(
                SealedAttachment(version=version, position=i, blob=name, size=size)
                for i, (name, size) in enumerate(blobs, start=1)
            )
        if number > 1:
            s.versions.filter(number__lt=number, superseded_at__isnull=True, withdrawn_at__isnull=True).update(
                superseded_at=now
            )
        Submission.objects.filter(pk=s.pk).update(status=Submission.Status.SUBMITTED, revision=F("revision") + 1)
        summary = {
            "version": number,
            "receipt_sha256": sealed.receipt_sha256,
            "size": version.size,
            "answers": len(manifest["answers"]),
            "files": len(manifest["files"]),
        }
        _audit("bids.submit", s, user, summary=summary, obj=version, context=context)
        return version


def submit(submission, user) -> SealedVersion:
    """Seal the current draft as a new version (the last one counts; earlier ones are kept, marked superseded).
    Only a member of the lead submits; every participation must be confirmed. Late: LateSubmission, recorded."""
    prepared = _prepare(submission, user)
    if prepared is _NO_KEY:  # made here, not under the shared lock: making it locks the row exclusively
        ensure_commissioning_key(submission.commissioning, user)
        prepared = _prepare(submission, user)
    if prepared is _LEGACY_FILES:  # older attachments get keys of their own, before the lock
        _reencrypt_legacy_files(submission, user)
        prepared = _prepare(submission, user)
    outcome = _seal(submission, user, prepared if isinstance(prepared, dict) else None)
    if isinstance(outcome, tuple):
        _record_late(submission, user, outcome[1])
        raise LateSubmission(_("The deadline has passed: your submission was refused and the attempt was recorded."))
    return outcome


@transaction.atomic
def withdraw(submission, user) -> SealedVersion:
    """Withdraw the submitted version until the deadline (same lock rule); submitting again makes a new version."""
    commissioning = _lock_commissioning(submission.commissioning)
    s = _lock_submission(submission)
    s.commissioning = commissioning
    now = timezone.now()
    _ensure_may_submit(user, s)
    if not submission_rules.receiving(commissioning, s.kind, now):
        raise ValidationError(submission_rules.closed_message(commissioning, s.kind, now))
    version = s.versions.filter(withdrawn_at__isnull=True, superseded_at__isnull=True).order_by("number").last()
    if version is None:
        raise ValidationError(_("There is no submitted version to withdraw."))
    version.withdrawn_at = now
    version.save(update_fields=["withdrawn_at"])
    s.status = Submission.Status.WITHDRAWN
    Submission.objects.filter(pk=s.pk).update(status=s.status, revision=F("revision") + 1)
    _audit("bids.withdraw", s, user, summary={"version": version.number}, obj=version)
    return version
