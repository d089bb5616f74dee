"""The two-person opening of sealed submissions (Directive 2014/24/EU Annex IV; ADR 0008): appointing the openers,
their confirmations with a second factor, decrypting and checking every counting version, the opening record, and
the audit of every read of opened content.

Only `confirm_opening`, when the second different opener confirms within the window, unwraps the commissioning's
private key. Audit summaries name ids, counts and hashes, never content.
"""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from core.access import has_role, roles_for
from core.models import MUNICIPAL_ROLES, Role
from core.otp import confirmed_device
from tenders import events
from tenders.models import Commissioning

from .. import envelope, opening_record, opening_rules, sealing
from ..models import CommissioningKey, Opener, Opening, OpeningConfirmation, SealedVersion, Submission
from . import request_candidates


def _audit(action, commissioning, user, obj=None, summary=None):
    roles = roles_for(user, commissioning.municipalities()[0]) if getattr(user, "is_authenticated", False) else set()
    record(
        action,
        actor=user,
        role=",".join(sorted(roles)),
        municipality=commissioning.municipalities(),
        obj=obj or commissioning,
        summary=summary,
    )


def _lock(commissioning) -> Commissioning:
    """The same row lock the submit service takes: a submission that read its time of receipt before the deadline
    commits before an opening can start."""
    return Commissioning.objects.select_for_update(no_key=True).get(pk=commissioning.pk)


def _is_officer(user, commissioning) -> bool:
    return any(has_role(user, [Role.PROCUREMENT_OFFICER], m) for m in commissioning.municipalities())


# --- Openers ---------------------------------------------------------------------------------------------------
@transaction.atomic
def appoint_opener(commissioning, officer, user, now=None) -> Opener:
    """The procurement officer appoints `user` to open the submissions of `commissioning`: a municipal user of one
    of its municipalities with a confirmed authenticator (TOTP)."""
    now = now or timezone.now()
    c = _lock(commissioning)
    if not _is_officer(officer, c):
        raise ValidationError(_("Only the procurement officer appoints openers."))
    if not any(roles_for(user, m) & set(MUNICIPAL_ROLES) for m in c.municipalities()):
        raise ValidationError({"user": _("An opener must be a municipal user of this commissioning's municipality.")})
    if confirmed_device(user) is None:
        raise ValidationError({"user": _("An opener needs a confirmed authenticator (second factor).")})
    if Opener.objects.filter(commissioning=c, user=user).exists():
        raise ValidationError({"user": _("This person is already an opener.")})
    opener = Opener.objects.create(commissioning=c, user=user, appointed_by=officer, appointed_at=now)
    _audit("bids.opener_appoint", c, officer, obj=opener, summary={"user": user.pk})
    return opener


@transaction.atomic
def remove_opener(opener, officer) -> None:
    """The procurement officer withdraws an appointment; a pending confirmation of that opener lapses with it."""
    c = _lock(opener.commissioning)
    if not _is_officer(officer, c):
        raise ValidationError(_("Only the procurement officer appoints openers."))
    pending = OpeningConfirmation.objects.filter(
        opening__commissioning=c, opening__opened_at__isnull=True, opener_id=opener.user_id
    )
    lapsed = pending.count()
    pending.delete()
    _audit("bids.opener_remove", c, officer, obj=opener, summary={"user": opener.user_id, "lapsed": lapsed})
    opener.delete()


# --- The opening -----------------------------------------------------------------------------------------------
def _precheck(c, user, kind, now):
    if not opening_rules.is_opener(user, c):
        raise ValidationError(_("Only an appointed opener can open the submissions."))
    errors = opening_rules.opening_errors(c, kind, now)
    if errors:
        raise ValidationError(errors)
    if opening_rules.is_opened(c, kind):
        raise ValidationError(_("These submissions have already been opened."))


def _second_factor(c, user, token) -> None:
    """Verify a fresh code of the opener's confirmed authenticator (django-otp refuses a code used before). A wrong
    code is audited in its own transaction, so the refusal survives the error."""
    device = confirmed_device(user)
    if device is not None and token and device.verify_token(str(token).strip()):
        return
    with transaction.atomic():
        _audit("bids.opening_second_factor_failed", c, user, summary={"device": bool(device)})
    raise ValidationError({"token": _("The code of your authenticator is not correct. Enter the current code.")})


def confirm_opening(commissioning, user, kind, token, now=None) -> Opening:
    """An opener confirms the opening of the submissions of `kind` with a current second-factor code. A confirmation
    older than the window lapses; the confirmation of a second, different opener opens them."""
    now = now or timezone.now()
    _precheck(commissioning, user, kind, now)
    _second_factor(commissioning, user, token)
    with transaction.atomic():
        c = _lock(commissioning)
        _precheck(c, user, kind, now)
        opening, created = Opening.objects.select_for_update().get_or_create(
            commissioning=c, kind=kind, defaults={"started_at": now}
        )
        expired = opening.confirmations.filter(confirmed_at__lt=opening_rules.window_start(now))
        lapsed = expired.count()
        if lapsed:
            expired.delete()
        if not opening.confirmations.exists() and not created:
            opening.started_at = now
            opening.save(update_fields=["started_at"])
        if opening.confirmations.filter(opener=user).exists():
            raise ValidationError(_("You have confirmed already: a second, different opener must confirm."))
        OpeningConfirmation.objects.create(opening=opening, opener=user, confirmed_at=now)
        count = opening.confirmations.count()
        _audit(
            "bids.opening_confirm",
            c,
            user,
            obj=opening,
            summary={"kind": kind, "confirmations": count, "lapsed": lapsed},
        )
        if count >= opening_rules.OPENERS_NEEDED:
            _open(c, opening, user, now)
        return opening


def _check_version(version, private_key) -> tuple[bytes | None, str, dict | None]:
    """Decrypt one version and compare it with its receipt: (data key or None, problem code or "", the opened
    manifest or None)."""
    aad = sealing.version_aad(version.submission_id, version.number)
    try:
        data_key = sealing.unwrap_with_private_key(
            bytes(version.wrapped_data_key), bytes(version.ephemeral_public_key), private_key, aad
        )
        manifest, files = sealing.open_bundle(envelope.sealed_ciphertext(version), data_key, aad)
    except (sealing.SealError, OSError, ValueError):
        return None, "undecryptable", None
    if sealing.receipt_hash(manifest) != version.receipt_sha256:
        return data_key, "receipt_mismatch", None
    listed = manifest.get("files", [])
    if len(listed) != len(files) or any(
        sealing.sha256_hex(data) != item.get("sha256") for data, item in zip(files, listed, strict=True)
    ):
        return data_key, "file_mismatch", manifest
    return data_key, "", manifest


def _open(c, opening, user, now) -> None:
    versions = list(
        SealedVersion.objects.select_for_update(of=("self",))
        .filter(submission__commissioning=c, submission__kind=opening.kind)
        .filter(withdrawn_at__isnull=True, superseded_at__isnull=True)
        .order_by("submission__lot__number", "received_at", "pk")
    )
    results = []
    opened = []
    if versions:
        key = CommissioningKey.objects.get(commissioning=c)
        private_key = sealing.unwrap_private_key(bytes(key.wrapped_private_key), c.pk)
        for version in versions:
            data_key, problem, manifest = _check_version(version, private_key)
            opened.append((version, manifest))
            if data_key is not None:
                aad = sealing.version_aad(version.submission_id, version.number)
                version.opened_data_key = sealing.wrap_with_kek(data_key, aad)
                version.save(update_fields=["opened_data_key"])
            results.append({"version": version.pk, "ok": not problem, "problem": problem})
    opening.opened_at = now
    opening.integrity = results
    candidates = []
    if opening.kind == Submission.Kind.REQUEST:  # before the record, which lists them
        candidates = request_candidates._create_candidates(c, user, opened, now)
    pdf = opening_record.render_record(opening)
    opening.record_pdf.save(f"proces-verbaal-{c.pk}-{opening.kind}.pdf", ContentFile(pdf), save=False)
    opening.save(update_fields=["opened_at", "integrity", "record_pdf"])
    _audit(
        "bids.opening",
        c,
        user,
        obj=opening,
        summary={
            "kind": opening.kind,
            "versions": len(results),
            "integrity_failures": sum(1 for r in results if not r["ok"]),
            "record_sha256": sealing.sha256_hex(pdf),
            "candidates": len(candidates),
        },
    )
    if opening.kind == Submission.Kind.BID:
        message = _("The bids were opened.")
    else:
        message = _("The requests to participate were opened.")
    events.send(events.SUBMISSIONS_OPENED, c, user, message=message, opening=opening)


# --- Reads of opened content -------------------------------------------------------------------------------------
def record_read(version, user, part: str, index: int | None = None) -> None:
    """Write to the audit trail who read which opened submission (its answers, or file number `index`). Writes
    nothing else; the view calls it before it answers."""
    submission = version.submission
    summary = {"version": version.pk, "number": version.number, "part": part}
    if index is not None:
        summary["file"] = index
    with transaction.atomic():
        _audit("bids.read", submission.commissioning, user, obj=submission, summary=summary)
