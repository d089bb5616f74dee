"""Guards of the phase changes that close the receipt of submissions (tenders.guards, ADR 0007/0008).

The transition service of tenders locks the commissioning row (`select_for_update`) before it checks its rules and
guards, the same lock the submit service takes before it reads the clock. So a phase never closes while a submission
that read its time before the deadline is still being written. What remains to check is consistency of the moments:
the moment the phase is closed may not lie before a receipt already given (e.g. a change dated in the past)."""

from django.utils.translation import gettext as _

from tenders import guards
from tenders import rules as tender_rules
from tenders.models import Phase

from . import submission_rules
from .models import SealedVersion, Submission


def _kind_received_in(commissioning, phase) -> str | None:
    for kind in (Submission.Kind.REQUEST, Submission.Kind.BID):
        if submission_rules.receiving_phase(commissioning, kind) == phase:
            return kind
    return None


def no_receipt_after_closing(commissioning, now) -> list[str]:
    """Leaving a phase that receives submissions at `now` is refused when a version of that kind was received later
    than `now`: closing cannot be dated before a receipt."""
    kind = _kind_received_in(commissioning, commissioning.phase)
    if kind is None:
        return []
    later = SealedVersion.objects.filter(
        submission__commissioning=commissioning, submission__kind=kind, received_at__gt=now
    ).exists()
    if later:
        return [_("A submission was received after this moment; the phase cannot be closed before it.")]
    return []


def register() -> None:
    """Register the guard for every change that leaves a phase receiving submissions, cancelling excepted."""
    for table in tender_rules.TRANSITIONS.values():
        for phase, targets in table.items():
            if tender_rules.CLOSES_AT.get(phase) is None or phase == Phase.DRAFT:
                continue
            for target in targets:
                if target != Phase.CANCELLED:
                    guards.register(phase, target)(no_receipt_after_closing)
