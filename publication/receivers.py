"""publication listens to the procedure's domain events (tenders.events, ADR 0007): every published change of a
commissioning becomes the next OCDS release, stored in the sender's transaction (ADR 0005)."""

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
