"""The only write path for audit events, and the chain check.

Each event's hash is SHA-256 over the previous event's hash and a canonical JSON of the event's own fields.
Changing, deleting, inserting or reordering rows breaks the chain at the first event concerned.
"""

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from .models import AuditEvent, ChainHead

GENESIS = "0" * 64

# Sent inside the writing transaction after every event (sender: the AuditEvent class, `event`): receivers that write
# roll back with the change. core.page_cache marks the municipality's public pages stale with it.
event_recorded = Signal()


def _canonical(event: AuditEvent) -> bytes:
    payload = {
        "seq": event.seq,
        "timestamp": event.timestamp.isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor_name": event.actor_name,
        "role": event.role,
        "municipality_code": event.municipality_code,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "summary": event.summary,
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder).encode()


def compute_hash(prev_hash: str, event: AuditEvent) -> str:
    return hashlib.sha256(prev_hash.encode() + _canonical(event)).hexdigest()


def _jsonable(value):
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def municipality_codes(municipality) -> str:
    """The stored form of the municipality (or municipalities) an event concerns: a CBS code, or several codes
    comma-separated in sorted order when a purchasing organisation acts for several municipalities."""
    if municipality is None or municipality == "":
        return ""
    if isinstance(municipality, str):
        return municipality
    if hasattr(municipality, "cbs_code"):
        return municipality.cbs_code
    codes = sorted({municipality_codes(m) for m in municipality} - {""})
    return ",".join(codes)


def record(action: str, *, actor=None, role: str = "", municipality=None, obj=None, summary=None) -> AuditEvent:
    """Append one event. Call inside the service's transaction: the event commits or rolls back with the change
    (no savepoint of its own: an error here rolls the whole service back, and two round trips are saved while the
    chain head is locked)."""
    with transaction.atomic(savepoint=False):
        head = ChainHead.objects.select_for_update().filter(pk=1).first()
        if head is None:  # the very first event
            ChainHead.objects.get_or_create(pk=1)
            head = ChainHead.objects.select_for_update().get(pk=1)
        actor_obj = actor if getattr(actor, "is_authenticated", False) else None
        event = AuditEvent(
            seq=head.last_seq + 1,
            timestamp=timezone.now(),
            actor=actor_obj,
            actor_name=actor_obj.get_username() if actor_obj else (actor if isinstance(actor, str) else "system"),
            role=str(role or ""),
            municipality_code=municipality_codes(municipality),
            action=action,
            object_type=obj._meta.label if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            summary=_jsonable(summary or {}),
        )
        event.prev_hash = head.last_hash
        # Round-trip the timestamp through the database precision (microseconds) before hashing.
        event.hash = compute_hash(event.prev_hash, event)
        event.save()
        head.last_seq = event.seq
        head.last_hash = event.hash
        head.save(update_fields=["last_seq", "last_hash"])
        event_recorded.send(sender=AuditEvent, event=event)
    return event


def diff(before: dict, after: dict) -> dict:
    """A before/after summary with only the fields that changed."""
    keys = sorted(set(before) | set(after))
    changed = [k for k in keys if before.get(k) != after.get(k)]
    return {"before": {k: before.get(k) for k in changed}, "after": {k: after.get(k) for k in changed}}


def verify_chain(batch_size: int = 5000):
    """The first problem of the chain (its own links and the signed checkpoints), or None when intact.

    See audit.anchoring.verify for the full report."""
    from .anchoring import verify  # noqa: PLC0415

    report = verify(batch_size=batch_size)
    return report.problems[0] if report.problems else None
