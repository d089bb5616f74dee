"""evaluation listens to the procedure (ADR 0007): when a procedure enters its evaluation phase, the published
criteria (after every rectification) are frozen for the committee, in the same transaction."""

from tenders import events
from tenders.models import Phase

from . import services


def on_procedure_changed(sender, *, kind, commissioning, actor, payload, **kwargs):
    if kind == events.PHASE_CHANGED and payload.get("to_phase") == Phase.EVALUATION:
        services.freeze_criteria(commissioning, actor=actor)
