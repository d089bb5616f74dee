"""Receivers of `tenders.events.procedure_changed` (ADR 0007): publishing a commissioning creates its sealing key in
the publishing transaction, so no submission can ever be made without one."""

from tenders import events


def create_commissioning_key(sender, kind, commissioning, actor, payload, **kwargs):
    if kind != events.PUBLISHED:
        return
    from .services import ensure_commissioning_key

    ensure_commissioning_key(commissioning, actor)


def connect():
    events.procedure_changed.connect(create_commissioning_key, dispatch_uid="bids.commissioning_key")
