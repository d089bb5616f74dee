"""Drafts of submissions (issue 11): a bid per lot or a request to participate, started by a member of the lead
operator, shared with every operator that confirmed its participation. Answers, file names, types and bytes are
stored encrypted with the submission's draft key (bids.envelope), and so is the reason for confidentiality (it
describes the content; `DraftItem.confidential_reason` stays empty); audit events name ids, counts and sizes only."""

import hashlib

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import envelope, filetypes, sealing, submission_rules
from ..models import DraftItem, Participation, Submission, SubmissionRules
from ._submission_common import _audit, _ensure_may_edit, _lock_commissioning, _lock_submission

MAX_REASON_CHARS = 500


def _rules(commissioning) -> SubmissionRules:
    """The commissioning's limits, or the defaults of the model when it set none."""
    return SubmissionRules.objects.filter(commissioning=commissioning).first() or SubmissionRules()


def _reason(confidential: bool, reason: str) -> str:
    reason = (reason or "").strip()
    if confidential and not reason:
        raise ValidationError({"confidential_reason": _("Give the reason why this part is confidential (Aw 2.57).")})
    if len(reason) > MAX_REASON_CHARS:
        raise ValidationError(
            {"confidential_reason": _("The reason may be at most %(n)s characters.") % {"n": MAX_REASON_CHARS}}
        )
    return reason if confidential else ""


@transaction.atomic
def create_submission(user, operator, commissioning, *, kind: str, lot=None, consortium_name: str = "", now=None):
    """Start a draft: a bid on `lot` or a request to participate (no lot), led by `operator`, of which `user` must be
    a member. The lead's own participation (ring 0) is created confirmed, with the draft key."""
    now = now or timezone.now()
    commissioning = _lock_commissioning(commissioning)  # the lock order of every submission service
    if not submission_rules.is_member(user, operator):
        raise ValidationError(_("You do not act for this organisation."))
    if kind not in submission_rules.submission_kinds(commissioning):
        raise ValidationError(_("This procedure does not receive this kind of submission."))
    if kind == Submission.Kind.BID and (lot is None or lot.commissioning_id != commissioning.pk):
        raise ValidationError({"lot": _("Choose a lot of this commissioning.")})
    if kind == Submission.Kind.REQUEST:
        lot = None
    if not submission_rules.receiving(commissioning, kind, now):
        raise ValidationError(submission_rules.closed_message(commissioning, kind, now))
    errors = submission_rules.eligibility_errors(operator, commissioning, kind)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            submission = Submission.objects.create(
                commissioning=commissioning,
                lot=lot,
                kind=kind,
                lead=operator,
                consortium_name=(consortium_name or "").strip()[:255],
                created_by=user,
                created_at=now,
            )
    except IntegrityError as exc:
        raise ValidationError(_("Your organisation already has a submission here; continue that one.")) from exc
    envelope.new_draft_key(submission).save()
    Participation.objects.create(
        submission=submission,
        operator=operator,
        ring=Participation.Ring.LEAD,
        status=Participation.Status.CONFIRMED,
        invited_by=user,
        invited_at=now,
        decided_by=user,
        decided_at=now,
    )
    _audit("bids.submission_create", submission, user, summary={"kind": kind, "lot": lot.pk if lot else None})
    return submission


def _leaf_criterion(submission, criterion):
    if criterion.commissioning_id != submission.commissioning_id or criterion.children.exists():
        raise ValidationError({"criterion": _("Answer an award criterion of this commissioning.")})


@transaction.atomic
def save_answer(submission, user, criterion, text: str, *, confidential=False, confidential_reason="", now=None):
    """Save (or, when empty, remove) the answer to a leaf award criterion, within the commissioning's length."""
    now = now or timezone.now()
    s = _lock_submission(submission)
    _ensure_may_edit(user, s)
    _ensure_draft_open(s, now)
    _leaf_criterion(s, criterion)
    text = (text or "").replace("\r\n", "\n").strip()
    limit = _rules(s.commissioning).answer_max_chars
    if len(text) > limit:
        raise ValidationError(
            {"text": _("An answer may be at most %(n)s characters; this one has %(m)s.") % {"n": limit, "m": len(text)}}
        )
    reason = _reason(confidential, confidential_reason)
    item = DraftItem.objects.filter(submission=s, kind=DraftItem.Kind.ANSWER, criterion=criterion).first()
    if not text:
        if item is not None:
            item.delete()
        _audit("bids.answer_save", s, user, summary={"criterion": criterion.pk, "chars": 0})
        return None
    if item is None:
        item = DraftItem.objects.create(
            submission=s, kind=DraftItem.Kind.ANSWER, criterion=criterion, updated_by=user, updated_at=now
        )
    key = envelope.draft_key(s)
    meta = {"text": text, "confidential_reason": reason}
    item.ciphertext = envelope.encrypt_json(key, meta, envelope.item_aad(s.pk, item.pk, "meta"))
    item.size = len(text.encode())
    item.confidential = bool(confidential)
    item.updated_by, item.updated_at = user, now
    item.save()
    _audit("bids.answer_save", s, user, summary={"criterion": criterion.pk, "chars": len(text)}, obj=item)
    return item


def _ensure_draft_open(submission, now):
    if not submission_rules.receiving(submission.commissioning, submission.kind, now):
        raise ValidationError(submission_rules.closed_message(submission.commissioning, submission.kind, now))


@transaction.atomic
def add_file(submission, user, *, name: str, content: bytes, confidential=False, confidential_reason="", now=None):
    """Attach a PDF, DOCX or XLSX (type checked by content) within the per-file and per-submission size limits."""
    now = now or timezone.now()
    s = _lock_submission(submission)
    _ensure_may_edit(user, s)
    _ensure_draft_open(s, now)
    rules = _rules(s.commissioning)
    media_type = filetypes.sniff(content)
    if media_type is None:
        raise ValidationError({"file": filetypes.type_error(content)})
    if not content or len(content) > rules.file_max_bytes:
        raise ValidationError({"file": _("A file may be at most %(mb)s MB.") % {"mb": rules.file_max_bytes // 2**20}})
    used = sum(s.draft_items.filter(kind=DraftItem.Kind.FILE).values_list("size", flat=True))
    if used + len(content) > rules.submission_max_bytes:
        raise ValidationError(
            {"file": _("All files together may be at most %(mb)s MB.") % {"mb": rules.submission_max_bytes // 2**20}}
        )
    reason = _reason(confidential, confidential_reason)
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()[:200] or "bijlage"
    item = DraftItem.objects.create(
        submission=s,
        kind=DraftItem.Kind.FILE,
        size=len(content),
        confidential=bool(confidential),
        updated_by=user,
        updated_at=now,
    )
    key = envelope.draft_key(s)
    meta = {
        "name": name,
        "media_type": media_type,
        "sha256": hashlib.sha256(content).hexdigest(),
        "confidential_reason": reason,
    }
    item.ciphertext = envelope.encrypt_json(key, meta, envelope.item_aad(s.pk, item.pk, "meta"))
    sealed = sealing.encrypt(key, content, envelope.item_aad(s.pk, item.pk, "blob"))
    item.blob.save(f"{s.pk}-{item.pk}.bin", ContentFile(sealed), save=False)
    item.save()
    _audit("bids.file_add", s, user, summary={"item": item.pk, "size": len(content)}, obj=item)
    return item


@transaction.atomic
def remove_file(item, user, now=None):
    now = now or timezone.now()
    s = _lock_submission(item.submission)
    _ensure_may_edit(user, s)
    _ensure_draft_open(s, now)
    item = DraftItem.objects.get(pk=item.pk, submission=s, kind=DraftItem.Kind.FILE)
    pk, size = item.pk, item.size
    transaction.on_commit(lambda blob=item.blob: blob.delete(save=False))
    item.delete()
    _audit("bids.file_remove", s, user, summary={"item": pk, "size": size})


@transaction.atomic
def mark_confidential(item, user, *, confidential: bool, confidential_reason: str = "", now=None):
    """Mark a part of the draft confidential (Aw 2.57: trade secrets are not disclosed), with its reason."""
    now = now or timezone.now()
    s = _lock_submission(item.submission)
    _ensure_may_edit(user, s)
    _ensure_draft_open(s, now)
    item = DraftItem.objects.get(pk=item.pk, submission=s)
    key, aad = envelope.draft_key(s), envelope.item_aad(s.pk, item.pk, "meta")
    meta = envelope.decrypt_json(key, item.ciphertext, aad)
    meta["confidential_reason"] = _reason(confidential, confidential_reason)
    item.ciphertext = envelope.encrypt_json(key, meta, aad)
    item.confidential = bool(confidential)
    item.updated_by, item.updated_at = user, now
    item.save(update_fields=["ciphertext", "confidential", "updated_by", "updated_at"])
    _audit("bids.confidential_mark", s, user, summary={"item": item.pk, "confidential": item.confidential}, obj=item)
    return item
