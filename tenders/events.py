"""Domain events of the procedure: what other apps may react to without tenders knowing them (ADR 0007).

The services send `procedure_changed` inside their own transaction, after the change and its audit event are
written. Receivers run synchronously in that transaction: whatever they write commits or rolls back with the change
(publication stores its OCDS release this way, ADR 0005), and an exception in a receiver undoes the whole change.
Receivers that talk to the outside world (e-mail, webhooks) defer that work with `transaction.on_commit`.

Arguments every receiver gets (connect with `procedure_changed.connect(fn, dispatch_uid=...)` in the receiving
app's `AppConfig.ready`):

- `kind`: one of KINDS below;
- `commissioning`: the locked, already changed `tenders.Commissioning`;
- `actor`: the user who made the change;
- `payload`: a dict with the details of the kind (see KINDS), always with `message`, a one-line description of the
  change for people (a str in the active language).
"""

from django.dispatch import Signal

PUBLISHED = "published"  # payload: message, from_phase, to_phase
PHASE_CHANGED = "phase_changed"  # payload: message, from_phase, to_phase
CANCELLED = "cancelled"  # payload: message, from_phase, to_phase, reason
RECTIFIED = "rectified"  # payload: message, rectification
CLARIFIED = "clarified"  # payload: message, clarification
# Sent by a later stage (bids) when the submissions of a commissioning were opened; payload: message, opening.
SUBMISSIONS_OPENED = "submissions_opened"

KINDS = frozenset({PUBLISHED, PHASE_CHANGED, CANCELLED, RECTIFIED, CLARIFIED, SUBMISSIONS_OPENED})

procedure_changed = Signal()


def send(kind: str, commissioning, actor, **payload) -> None:
    """Tell the receivers what changed. Uses `send`, not `send_robust`: a failing receiver must roll back the
    change instead of leaving it half-published."""
    assert kind in KINDS, kind
    assert "message" in payload, "every procedure event carries a message"
    procedure_changed.send(
        sender=type(commissioning), kind=kind, commissioning=commissioning, actor=actor, payload=payload
    )
