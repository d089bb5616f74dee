"""Who may read an opened submission (Directive 2014/24/EU Annex IV (d)–(f)), and reading it.

- Before the opening nobody can: a version has no `opened_data_key` until two openers opened its kind, and the
  commissioning's private key is unwrapped by the opening service alone.
- After the opening the procurement officer and the evaluation committee (users holding the evaluator role for a
  municipality of the commissioning, with a verified second factor) read the counting versions, lot by lot.
- A superuser or administrator without one of those roles reads nothing.
- Bidders never read each other's submissions (they hold no municipal role); their own receipts are bids.receipts.
- The opening record is for the procurement officer, the openers and the evaluators.
- Later stages narrow (or widen) who reads through `register_reader_check(fn)`: `fn(user, submission)` answers
  True (may read), False (may not) or None (no opinion). The procurement officer keeps access whatever a check says;
  for anyone else a single False denies, otherwise a True grants, otherwise the roles above decide. evaluation
  registers one: evaluators read only the lots whose committee they sit on with a declaration without conflict.
Every read of opened content is written to the audit trail by the view (bids.services.record_read).
"""

from core.access import has_role, roles_for
from core.models import MUNICIPAL_ROLES, Role

from . import envelope, sealing
from .models import Opener, Opening, SealedVersion

READERS = (Role.PROCUREMENT_OFFICER, Role.EVALUATOR)
_READER_CHECKS: list = []


def register_reader_check(fn):
    """Add `fn(user, submission) -> bool | None` to the checks of `may_read` (once; usable as a decorator)."""
    if fn not in _READER_CHECKS:
        _READER_CHECKS.append(fn)
    return fn


def _in_municipality(user, commissioning, roles) -> bool:
    """Holds one of `roles` for a municipality of the commissioning, by assignment: a superuser's blanket access
    (core.access.has_role) does not extend to opened submissions."""
    return any(roles_for(user, m) & set(roles) for m in commissioning.municipalities())


def is_reader(user, commissioning) -> bool:
    """Holds a role that may read opened submissions of this commissioning."""
    return _in_municipality(user, commissioning, READERS)


def may_read(user, submission) -> bool:
    """`user` may read the opened content of `submission` now."""
    opened = Opening.objects.filter(
        commissioning_id=submission.commissioning_id, kind=submission.kind, opened_at__isnull=False
    ).exists()
    if not opened:
        return False
    if _in_municipality(user, submission.commissioning, [Role.PROCUREMENT_OFFICER]):
        return True
    answers = [check(user, submission) for check in _READER_CHECKS]
    if False in answers:
        return False
    return True in answers or is_reader(user, submission.commissioning)


def may_download_record(user, commissioning) -> bool:
    """The opening record: the procurement officer, the evaluators and the appointed openers (with their second
    factor verified: an opener holds a municipal role)."""
    if is_reader(user, commissioning):
        return True
    return (
        _in_municipality(user, commissioning, MUNICIPAL_ROLES)
        and Opener.objects.filter(commissioning=commissioning, user=user).exists()
    )


def may_see_opening(user, commissioning) -> bool:
    """The opening page: whoever may download its record, and the procurement officer (who appoints the openers)."""
    return may_download_record(user, commissioning) or any(
        has_role(user, [Role.PROCUREMENT_OFFICER], m) for m in commissioning.municipalities()
    )


class NotOpened(Exception):
    """The version has not been opened (or did not decrypt at the opening): there is nothing to read it with."""


def opened_bundle(version: SealedVersion) -> tuple[dict, list[bytes]]:
    """The manifest and files of an opened version, decrypted with the data key the opening re-wrapped by the KEK."""
    if not version.opened_data_key:
        raise NotOpened(version.pk)
    aad = sealing.version_aad(version.submission_id, version.number)
    data_key = sealing.unwrap_with_kek(bytes(version.opened_data_key), aad)
    return sealing.open_bundle(envelope.sealed_ciphertext(version), data_key, aad)
