"""Helpers shared by the draft and submission services: locks and the audit event (summaries hold ids, counts, sizes
and hashes only, never answer text, file names or file content)."""

from django.core.exceptions import PermissionDenied

from audit.services import record
from core.access import roles_for
from tenders.models import Commissioning

from .. import submission_rules
from ..models import Submission


def _audit(action, submission_or_commissioning, user, summary=None, obj=None):
    commissioning = getattr(submission_or_commissioning, "commissioning", submission_or_commissioning)
    municipalities = commissioning.municipalities()
    roles = roles_for(user, municipalities[0]) if user is not None and user.is_authenticated else set()
    record(
        action,
        actor=user,
        role=",".join(sorted(roles)),
        municipality=municipalities,
        obj=obj or submission_or_commissioning,
        summary=summary,
    )


# Lock order: commissioning, then submission, then (through audit.services.record) the audit chain head. The row
# locks are FOR NO KEY UPDATE (`no_key=True`, PostgreSQL): they serialise with each other and with the FOR UPDATE of
# tenders' transition service, but not with the FOR KEY SHARE that a foreign-key check takes. PostgreSQL checks
# Django's foreign keys at COMMIT (deferred), i.e. after the audit event took the chain head: a plain FOR UPDATE here
# would deadlock with any transaction that recorded an event and then inserts a row pointing to this commissioning
# (found by bids/tests/test_deadline_concurrency.py). The services that insert such rows take this lock first.
def _lock_commissioning(commissioning) -> Commissioning:
    return Commissioning.objects.select_for_update(no_key=True).get(pk=commissioning.pk)


def _lock_submission(submission) -> Submission:
    return Submission.objects.select_for_update(no_key=True).select_related("lead").get(pk=submission.pk)


def _ensure_may_edit(user, submission) -> None:
    if not submission_rules.may_edit(user, submission):
        raise PermissionDenied


def _ensure_may_submit(user, submission) -> None:
    if not submission_rules.may_submit(user, submission):
        raise PermissionDenied
