"""Helpers shared by the draft and submission services: locks and the audit event (summaries hold ids, counts, sizes
and hashes only, never answer text, file names or file content)."""

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import F, prefetch_related_objects

from audit.services import record
from core.access import roles_for
from tenders.models import Commissioning

from .. import submission_rules
from ..models import Submission


def _audit_context(commissioning, user) -> tuple[list, str]:
    """(municipalities, role) of an audit event: readable before a lock is taken, to keep the locked part short."""
    municipalities = commissioning.municipalities()
    roles = roles_for(user, municipalities[0]) if user is not None and user.is_authenticated else set()
    return municipalities, ",".join(sorted(roles))


def _audit(action, submission_or_commissioning, user, summary=None, obj=None, context=None):
    commissioning = getattr(submission_or_commissioning, "commissioning", submission_or_commissioning)
    municipalities, role = context or _audit_context(commissioning, user)
    record(
        action,
        actor=user,
        role=role,
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
def _lock_commissioning(commissioning, with_deadlines=False) -> Commissioning:
    locked = Commissioning.objects.select_for_update(no_key=True)
    return (locked.prefetch_related("deadlines") if with_deadlines else locked).get(pk=commissioning.pk)


def _share_commissioning(commissioning) -> Commissioning:
    """The deadline lock of a submitter (docs/adr/0012): FOR SHARE on PostgreSQL. Submitters hold it together and do
    not wait for each other; closing the phase and rectifying (FOR UPDATE), the opening and withdrawals (FOR NO KEY
    UPDATE) conflict with it, so they wait for every submitter that holds it and every submitter that comes after
    them waits for them. SQLite has no row locks (it serialises writers on the database file)."""
    table = connection.ops.quote_name(Commissioning._meta.db_table)
    lock = " FOR SHARE" if connection.vendor == "postgresql" else ""
    [locked] = Commissioning.objects.raw(f"SELECT * FROM {table} WHERE id = %s{lock}", [commissioning.pk])  # noqa: S608
    prefetch_related_objects([locked], "deadlines")
    return locked


def _lock_submission(submission) -> Submission:
    """The submission row locked (only that row: `of`), read with its lead, its commissioning, the commissioning's
    municipality (the audit event names it) and submission rules in the same query."""
    return (
        Submission.objects.select_for_update(no_key=True, of=("self",))
        .select_related("lead", "commissioning__municipality", "commissioning__submission_rules")
        .get(pk=submission.pk)
    )


def _lock_for_edit(submission) -> Submission:
    """The submission locked for a change of its draft: its revision is counted up in the same transaction, so that a
    submission prepared before the change is not sealed with the old content (bids.services.submission)."""
    s = _lock_submission(submission)
    Submission.objects.filter(pk=s.pk).update(revision=F("revision") + 1)
    s.revision += 1
    return s


def _ensure_may_edit(user, submission) -> None:
    if not submission_rules.may_edit(user, submission):
        raise PermissionDenied


def _ensure_may_submit(user, submission) -> None:
    if not submission_rules.may_submit(user, submission):
        raise PermissionDenied
