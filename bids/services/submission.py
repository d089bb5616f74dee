"""Submitting, replacing and withdrawing a submission (ADR 0008, "Moment of receipt").

The rule: the service locks the commissioning row, and only THEN reads the server clock; that reading is the time of
receipt, and it must lie before the deadline. The request body (every file) is complete before the service is
called. The transaction commits with the version, so a submission that read its time before the deadline is
committed before anyone can close the phase or open the bids (both take the same lock); one that reads its time at
or after the deadline is refused and recorded as a late attempt, in its own committed transaction."""

from datetime import UTC

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import envelope, sealing, submission_rules
from .. import rules as consortium_rules
from ..models import CommissioningKey, LateAttempt, SealedVersion, Submission
from ._submission_common import _audit, _ensure_may_submit, _lock_commissioning, _lock_submission
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


def _participations(submission) -> list[dict]:
    rows = []
    participations = submission.participations.select_related("operator").prefetch_related(
        "relies_on", "commitments__activities", "commitments__districts"
    )
    for p in participations.order_by("ring", "operator_id"):
        rows.append(
            {
                "operator": _operator(p.operator),
                "ring": p.ring,
                "role": p.role,
                "status": p.status,
                "parent_operator": p.parent.operator_id if p.parent_id else None,
                "relies_on": sorted(r.operator_id for r in p.relies_on.all()),
                "commitments": [_commitment(c) for c in p.commitments.all().order_by("pk")],
            }
        )
    return rows


def _file_meta(f) -> dict:
    return {
        "name": f["name"],
        "size": len(f["content"]),
        "media_type": f["media_type"],
        "sha256": sealing.sha256_hex(f["content"]),
        "confidential": f["item"].confidential,
        "reason": f.get("confidential_reason", ""),
    }


def _files_fingerprint(submission) -> list:
    """What identifies the draft's files as they are: a prepared sealing is used only if this has not changed."""
    items = submission.draft_items.filter(kind="file").order_by("pk")
    return list(items.values_list("pk", "updated_at", "size", "confidential"))


def _prepare(submission, user) -> dict | None:
    """Before the lock: the heavy half of sealing (decrypting the draft's files, hashing and encrypting them for the
    commissioning), so that bidders who submit at the same moment do not wait for each other's files. Used under
    the lock only if the version number, the files and the key are still the same; otherwise everything is done
    there (correct, only slower). None when there is nothing to prepare."""
    s = Submission.objects.select_related("commissioning", "lot", "lead").get(pk=submission.pk)
    if not submission_rules.may_submit(user, s):
        return None
    key = CommissioningKey.objects.filter(commissioning_id=s.commissioning_id).first()
    if key is None:
        return None
    number = (s.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    fingerprint = _files_fingerprint(s)  # before reading: a change during the read shows under the lock
    files = sorted(envelope.read_draft(s, with_content=True)["files"], key=lambda f: f["item"].pk)
    prepared = sealing.prepare_files(
        [f["content"] for f in files], bytes(key.public_key), sealing.version_aad(s.pk, number)
    )
    return {
        "number": number,
        "fingerprint": fingerprint,
        "key": key.pk,
        "files": [_file_meta(f) for f in files],
        "sealing": prepared,
    }


def _build_bundle(submission, number: int, received_at, files_meta=None) -> tuple[dict, list[bytes]]:
    """The canonical manifest of a version and the file bytes in manifest order (none when `files_meta`, prepared
    before the lock, is given). Answers name their criterion by id (as the opening's pages read them), with its
    title; "reason" is the reason for confidentiality (Aw 2.57)."""
    draft = envelope.read_draft(submission, with_content=files_meta is None)
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
    if files_meta is None:
        files_meta = [_file_meta(f) for f in files]
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
        "received_at": received_at.astimezone(UTC).isoformat(),
        "answers": answers,
        "files": files_meta,
        "participations": _participations(submission),
    }
    return manifest, [f["content"] for f in files if "content" in f]


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


def _seal(submission, user, prepared=None) -> SealedVersion | tuple:
    """Under the lock: the version, or ("late", moment) when the clock read under the lock is past the deadline."""
    with transaction.atomic():
        commissioning = _lock_commissioning(submission.commissioning)
        s = _lock_submission(submission)
        s.commissioning = commissioning
        now = timezone.now()  # the moment of receipt: read after the lock (ADR 0008)
        _ensure_may_submit(user, s)
        if submission_rules.is_late(commissioning, s.kind, now):
            return ("late", now)
        if not submission_rules.receiving(commissioning, s.kind, now):
            raise ValidationError(submission_rules.closed_message(commissioning, s.kind, now))
        # The consortium part (bids.rules): every participation confirmed and self-declared (art. 57), the lead's
        # address confirmed, the commitments within the lot's budget.
        errors = consortium_rules.submission_blockers(s) or submission_rules.pending_errors(s)
        if errors:
            raise ValidationError(errors)
        key = ensure_commissioning_key(commissioning, user)
        previous = list(s.versions.order_by("number"))
        number = (previous[-1].number if previous else 0) + 1
        aad = sealing.version_aad(s.pk, number)
        usable = (
            prepared is not None
            and prepared["number"] == number
            and prepared["key"] == key.pk
            and prepared["fingerprint"] == _files_fingerprint(s)
        )
        if usable:
            manifest, _files = _build_bundle(s, number, now, files_meta=prepared["files"])
        else:
            manifest, files = _build_bundle(s, number, now)
        if not manifest["answers"] and not manifest["files"]:
            raise ValidationError(_("The submission is empty: answer a criterion or attach a file first."))
        if usable:
            sealed = sealing.finish(prepared["sealing"], manifest, aad)
        else:
            sealed = sealing.seal_bundle(manifest, files, bytes(key.public_key), aad)
        version = SealedVersion(
            submission=s,
            number=number,
            received_at=now,
            receipt_sha256=sealed.receipt_sha256,
            size=len(sealed.ciphertext),
            ephemeral_public_key=sealed.ephemeral_public_key,
            wrapped_data_key=sealed.wrapped_data_key,
            submitted_by=user,
        )
        version.sealed_blob.save(f"{s.pk}-{number}.sealed", ContentFile(sealed.ciphertext), save=False)
        version.bidder_manifest = sealing.encrypt(
            envelope.draft_key(s), sealing.canonical_json(manifest), envelope.bidder_manifest_aad(version)
        )
        version.save()
        s.versions.filter(number__lt=number, superseded_at__isnull=True, withdrawn_at__isnull=True).update(
            superseded_at=now
        )
        s.status = Submission.Status.SUBMITTED
        s.save(update_fields=["status"])
        summary = {
            "version": number,
            "receipt_sha256": sealed.receipt_sha256,
            "size": version.size,
            "answers": len(manifest["answers"]),
            "files": len(manifest["files"]),
        }
        _audit("bids.submit", s, user, summary=summary, obj=version)
        return version


def submit(submission, user) -> SealedVersion:
    """Seal the current draft as a new version (the last one counts; earlier ones are kept, marked superseded).
    Only a member of the lead submits; every participation must be confirmed. Late: LateSubmission, recorded."""
    outcome = _seal(submission, user, _prepare(submission, user))
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
    s.save(update_fields=["status"])
    _audit("bids.withdraw", s, user, summary={"version": version.number}, obj=version)
    return version
