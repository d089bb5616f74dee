"""Receivers of `tenders.events.procedure_changed` (ADR 0007): publishing a commissioning creates its sealing key in
the publishing transaction, so no submission can ever be made without one."""

from core import page_cache
from tenders import events

# Writes no public page shows: nothing of a submission is public before its opening (bids.ocds), and these happen
# only before it (the deadline rule, ADR 0008). The opening itself, late attempts and everything after still bump.
UNPUBLISHED_ACTIONS = (
    "bids.answer_save",
    "bids.confidential_mark",
    "bids.file_add",
    "bids.file_reencrypt",
    "bids.file_remove",
    "bids.submit",
    "bids.withdraw",
)


def create_commissioning_key(sender, kind, commissioning, actor, payload, **kwargs):
    if kind != events.PUBLISHED:
        return
    from .services import ensure_commissioning_key

    ensure_commissioning_key(commissioning, actor)


def connect():
    page_cache.register_unpublished(*UNPUBLISHED_ACTIONS)
    events.procedure_changed.connect(create_commissioning_key, dispatch_uid="bids.commissioning_key")
