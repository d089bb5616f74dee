"""publication listens to the procedure's domain events (tenders.events, ADR 0007): every published change of a
commissioning becomes the next OCDS release, stored in the sender's transaction (ADR 0005); so do the award decisions
and their withdrawal (evaluation.events) and the contract of a definitive award (contracts.events)."""

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from tenders import events

from . import services

# Which OCDS release a procedure event produces (keys of services.RELEASE_TAGS).
RELEASE_KINDS = {
    events.PUBLISHED: "tender",
    events.PHASE_CHANGED: "tenderUpdate",
    events.CLARIFIED: "tenderUpdate",
    events.SUBMISSIONS_OPENED: "tenderUpdate",
    events.RECTIFIED: "tenderAmendment",
    events.CANCELLED: "tenderCancellation",
}


def on_procedure_changed(sender, *, kind, commissioning, actor, payload, **kwargs):
    release_kind = RELEASE_KINDS.get(kind)
    if release_kind is None:
        return
    details = {k: v for k, v in payload.items() if k != "message"}
    services.commissioning_changed(commissioning, release_kind, payload["message"], **details)


def on_award_decided(sender, *, decision, actor, **kwargs):
    c = decision.lot.commissioning
    message = _("Award decision for lot %(number)s: the standstill period runs until %(end)s.") % {
        "number": decision.lot.number,
        "end": formats.date_format(timezone.localtime(decision.standstill_ends_at), "DATETIME_FORMAT"),
    }
    services.commissioning_changed(c, "award", message)


def on_award_withdrawn(sender, *, decision, actor, **kwargs):
    message = _("The award decision for lot %(number)s has been withdrawn.") % {"number": decision.lot.number}
    services.commissioning_changed(decision.lot.commissioning, "award", message)


def on_contract_created(sender, *, contract, actor, **kwargs):
    message = _("The award of lot %(number)s is definitive; the contract has been recorded.") % {
        "number": contract.lot.number
    }
    services.commissioning_changed(contract.commissioning, "awardContract", message)
