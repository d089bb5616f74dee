"""The procedure: publishing, moving along the route's transition table, cancelling. Each change sends a
`tenders.events.procedure_changed` event inside its transaction (publication stores the OCDS release from it)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import events, regime, rules, selection_rules
from ..models import Phase, PhaseChange
from ._common import _audit, _ensure_draft, _lock
from ._notices import _issue_notices


@transaction.atomic
def publish(commissioning, user, now=None):
    now = now or timezone.now()
    c = _lock(commissioning)
    _ensure_draft(c)
    errors = rules.publish_errors(c, now)
    if errors:
        raise ValidationError(errors)
    first = rules.FIRST_PHASE[c.route]
    PhaseChange.objects.create(commissioning=c, from_phase=c.phase, to_phase=first, at=now, by=user)
    before, c.phase, c.published_at = c.phase, first, now
    c.save(update_fields=["phase", "published_at"])
    check = rules.check_threshold(c, regime.regime_date(c, now))
    _audit("tenders.publish", c, user, summary={"phase": first, "regime": check.regime, "value": check.estimated_value})
    events.send(
        events.PUBLISHED,
        c,
        user,
        message=_("The commissioning was published."),
        from_phase=before,
        to_phase=first,
    )
    return c


def _change_phase(c, user, to_phase, now):
    PhaseChange.objects.create(commissioning=c, from_phase=c.phase, to_phase=to_phase, at=now, by=user)
    before, c.phase = c.phase, to_phase
    c.save(update_fields=["phase"])
    return before


@transaction.atomic
def transition(commissioning, user, to_phase: str, now=None):
    """Move the procedure to its next phase along the route's transition table, enforced by the server clock and the
    guards of tenders.guards."""
    now = now or timezone.now()
    c = _lock(commissioning)
    errors = rules.transition_errors(c, to_phase, now)
    if errors:
        raise ValidationError(errors)
    before = _change_phase(c, user, to_phase, now)
    summary = {"before": {"phase": before}, "after": {"phase": to_phase}}
    if before == Phase.SELECTION:  # fewer qualified than the legal minimum: recorded (Directive art. 65(2))
        current = rules.check_threshold(c, regime.regime_date(c, now)).regime
        if shortfall := selection_rules.admission_shortfall(c, current):
            summary["shortfall"] = shortfall
    _audit("tenders.transition", c, user, summary=summary)
    events.send(
        events.PHASE_CHANGED,
        c,
        user,
        message=_("The procedure moved to the phase “%(phase)s”.") % {"phase": Phase(to_phase).label},
        from_phase=before,
        to_phase=to_phase,
    )
    return c


@transaction.atomic
def cancel(commissioning, user, *, reason: str, now=None):
    """Discontinue the procedure (possible in every published phase before the award), with a reason that is
    published on the public page and in the OCDS release (tender.status "cancelled"); subscribers are e-mailed, and
    every candidate, tenderer and applicant gets a notice with the reasons (Directive 2014/24/EU art. 55(1)), in a
    grant round a decision open to objection (Awb 3:45, 6:7)."""
    now = now or timezone.now()
    c = _lock(commissioning)
    reason = (reason or "").strip()
    if not rules.may_cancel(c):
        raise ValidationError(_("This procedure cannot be cancelled (any more)."))
    if not reason:
        raise ValidationError({"reason": _("Give the reason for cancelling; it is published.")})
    before = _change_phase(c, user, Phase.CANCELLED, now)
    c.cancellation_reason = reason
    c.save(update_fields=["cancellation_reason"])
    notices = _issue_notices(c, reason, now)
    _audit("tenders.cancel", c, user, summary={"before": {"phase": before}, "reason": reason, "notices": len(notices)})
    events.send(
        events.CANCELLED,
        c,
        user,
        message=_("The procedure was cancelled. Reason: %(reason)s") % {"reason": reason},
        from_phase=before,
        to_phase=Phase.CANCELLED,
        reason=reason,
    )
    return c
