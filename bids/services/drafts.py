"""Drafts of submissions (issue 11): a bid per lot or a request to participate, started by a member of the lead
operator, shared with every operator that confirmed its participation. Answers, file names, types and bytes are
stored encrypted with the submission's draft key (bids.envelope), and so is the reason for confidentiality (it
describes the content; `DraftItem.confidential_reason` stays empty); audit events name ids, counts and sizes only."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import attachments, envelope, filetypes, submission_rules
from ..models import DraftItem, Participation, Submission, SubmissionRules
from ._submission_common import _audit, _ensure_may_edit, _lock_commissioning, _lock_for_edit

MAX_REASON_CHARS = 500


def _rules(commissioning) -> SubmissionRules:
    """The commissioning's limits, or the defaults of the model when it set none (no query when they were read
    with the commissioning, as _lock_submission does)."""
    try:
        return commissioning.submission_rules
    except SubmissionRules.DoesNotExist:
        return SubmissionRules()


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
    s = _lock_for_edit(submission)
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


def add_file(
    submission,
    user,
    *,
    name: str,
    content: bytes | None = None,
    encrypted: attachments.Encrypted | None = None,
    confidential=False,
    confidential_reason="",
    now=None,
):
    """Attach a PDF, DOCX or XLSX (type checked by content) within the per-file and per-submission size limits.

    The file comes either `encrypted` already (by the upload handler, while the request body was read:
    bids.attachments) or as `content` bytes, which are encrypted here, before the submission is locked. Either way
    its ciphertext is written once, to the blob the draft item points at; a refused file's blob is removed."""
    if encrypted is None:
        encrypted = attachments.encrypt_bytes(
            submission.pk, content or b"", _rules(submission.commissioning).file_max_bytes
        )
    try:
        return _add_encrypted_file(
            submission,
            user,
            name,
            encrypted,
            confidential=confidential,
            confidential_reason=confidential_reason,
            now=now,
        )
    except BaseException:
        attachments.discard(encrypted)
        raise


@transaction.atomic
def _add_encrypted_file(submission, user, name, encrypted, *, confidential, confidential_reason, now):
    now = now or timezone.now()
    s = _lock_for_edit(submission)
    _ensure_may_edit(user, s)
    _ensure_draft_open(s, now)
    rules = _rules(s.commissioning)
    if not encrypted.size or encrypted.size > rules.file_max_bytes or not encrypted.blob:
        raise ValidationError({"file": _("A file may be at most %(mb)s MB.") % {"mb": rules.file_max_bytes // 2**20}})
    if encrypted.media_type is None:
        raise ValidationError({"file": filetypes.type_message()})
    used = sum(s.draft_items.filter(kind=DraftItem.Kind.FILE).values_list("size", flat=True))
    if used + encrypted.size > rules.submission_max_bytes:
        raise ValidationError(
            {"file": _("All files together may be at most %(mb)s MB.") % {"mb": rules.submission_max_bytes // 2**20}}
        )
    reason = _reason(confidential, confidential_reason)
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()[:200] or "bijlage"
    item = DraftItem.objects.create(
        submission=s,
        kind=DraftItem.Kind.FILE,
        size=encrypted.size,
        confidential=bool(confidential),
        updated_by=user,
        updated_at=now,
    )
    meta = {
        "name": name,
        "media_type": encrypted.media_type,
        "sha256": encrypted.sha256,
        "confidential_reason": reason,
        **encrypted.meta(),
    }
    item.ciphertext = envelope.encrypt_json(envelope.draft_key(s), meta, envelope.item_aad(s.pk, item.pk, "meta"))
    item.blob.name = encrypted.blob  # written once, by bids.attachments; never rewritten
    item.save()
    _audit("bids.file_add", s, user, summary={"item": item.pk, "size": encrypted.size}, obj=item)
    return item


def _reencrypt_legacy_files(submission, user) -> int:
    """Give every attachment of the draft that is still encrypted with the draft key itself (written before
    bids.attachments) a blob and key of its own, so that it can be sealed by its key. The heavy part (decrypting and
    encrypting) runs before the submission is locked; under the lock the item is changed only if it is unchanged.
    Returns how many items were changed."""
    key = envelope.draft_key(submission)
    changed = 0
    for item in submission.draft_items.filter(kind=DraftItem.Kind.FILE):
        meta = envelope.decrypt_json(key, item.ciphertext, envelope.item_aad(submission.pk, item.pk, "meta"))
        if "key" in meta:
            continue
        content = envelope.read_item(key, item)["content"]
        encrypted = attachments.encrypt_bytes(submission.pk, content)
        try:
            changed += _swap_blob(submission, user, item, encrypted)
        except BaseException:
            attachments.discard(encrypted)
            raise
    return changed


@transaction.atomic
def _swap_blob(submission, user, item, encrypted) -> int:
    s = _lock_for_edit(submission)
    current = DraftItem.objects.filter(pk=item.pk, submission=s, updated_at=item.updated_at).first()
    if current is None or current.blob.name != item.blob.name:
        attachments.discard(encrypted)
        return 0
    key, aad = envelope.draft_key(s), envelope.item_aad(s.pk, current.pk, "meta")
    meta = {**envelope.decrypt_json(key, current.ciphertext, aad), **encrypted.meta()}
    old = current.blob.name
    current.ciphertext = envelope.encrypt_json(key, meta, aad)
    current.blob.name = encrypted.blob
    current.save(update_fields=["ciphertext", "blob"])
    transaction.on_commit(lambda: attachments.delete_unreferenced(old))
    _audit("bids.file_reencrypt", s, user, summary={"item": current.pk, "size": current.size}, obj=current)
    return 1


@transaction.atomic
def remove_file(item, user, now=None):
    now = now or timezone.now()
    s = _lock_for_edit(item.submission)
    _ensure_may_edit(user, s)
    _ensure_draft_open(s, now)
    item = DraftItem.objects.get(pk=item.pk, submission=s, kind=DraftItem.Kind.FILE)
    pk, size, name = item.pk, item.size, item.blob.name
    item.delete()
    # A sealed version may share the blob (bids.attachments): it is deleted only when nothing refers to it.
    transaction.on_commit(lambda: attachments.delete_unreferenced(name))
    _audit("bids.file_remove", s, user, summary={"item": pk, "size": size})


@transaction.atomic
def mark_confidential(item, user, *, confidential: bool, confidential_reason: str = "", now=None):
    """Mark a part of the draft confidential (Aw 2.57: trade secrets are not disclosed), with its reason."""
    now = now or timezone.now()
    s = _lock_for_edit(item.submission)
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
