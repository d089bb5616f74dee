"""The notices of a cancellation, written by services.procedure.cancel in its transaction: one per candidate,
tenderer and applicant (tenders.recipients), with the published reasons (Directive 2014/24/EU art. 55(1)); in a grant
round a decision on the application with an objection clause (tenders.grant_rules). The e-mails (with the notice as
a PDF) are queued after the commit (tenders.tasks); a failure to queue is logged, never raised."""

import logging

from django.db import transaction
from django.utils import timezone

from .. import grant_rules, recipients
from ..notice_models import CancellationNotice

log = logging.getLogger(__name__)


def _issue_notices(c, reason: str, now) -> list[CancellationNotice]:
    is_decision = grant_rules.cancellation_is_decision(c)
    deadline = grant_rules.objection_deadline(timezone.localdate(now)) if is_decision else None
    start = c.cancellation_notices.count()
    notices = CancellationNotice.objects.bulk_create(
        CancellationNotice(
            commissioning=c,
            number=start + i,
            recipient_kind=r.kind,
            name=r.name,
            email=r.email,
            user=r.user,
            organisation_id=r.organisation_id,
            is_decision=is_decision,
            reasons=reason,
            issued_at=now,
            objection_deadline=deadline,
        )
        for i, r in enumerate(recipients.recipients(c), start=1)
    )
    ids = [n.pk for n in notices if n.email]
    if ids:
        transaction.on_commit(lambda: _enqueue_mails(ids))
    return notices


def _enqueue_mails(notice_ids: list[int]) -> None:
    from ..tasks import send_cancellation_notices

    try:
        send_cancellation_notices.enqueue(notice_ids)
    except Exception:
        log.exception("cancellation notices %s not queued", notice_ids)
