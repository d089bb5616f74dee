"""The only write path for audit events, and the chain check.

Each event's hash is SHA-256 over the previous event's hash and a canonical JSON of the event's own fields.
Changing, deleting, inserting or reordering rows breaks the chain at the first event concerned.
"""

import hashlib
import json
from dataclasses import dataclass

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


def record(action: str, *, actor=None, role: str = "", municipality=None, obj=None, summary=None) -> AuditEvent:
    """Append one event. Call inside the service's transaction: the event commits or rolls back with the change."""
    with transaction.atomic():
        head, _ = ChainHead.objects.get_or_create(pk=1)
        head = ChainHead.objects.select_for_update().get(pk=1)
        actor_obj = actor if getattr(actor, "is_authenticated", False) else None
        event = AuditEvent(
            seq=head.last_seq + 1,
            timestamp=timezone.now(),
            actor=actor_obj,
            actor_name=actor_obj.get_username() if actor_obj else (actor if isinstance(actor, str) else "system"),
            role=str(role or ""),
            municipality_code=getattr(municipality, "cbs_code", municipality or "") or "",
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


@dataclass
class ChainProblem:
    seq: int | None
    event_id: int | None
    reason: str

    def __str__(self) -> str:
        return f"event seq={self.seq} (id={self.event_id}): {self.reason}"


def verify_chain(batch_size: int = 5000) -> ChainProblem | None:
    """Walk the chain in order; return the first broken event, or None when intact."""
    prev_hash = GENESIS
    expected_seq = 1
    last_id = None
    qs = AuditEvent.objects.order_by("seq")
    for event in qs.iterator(chunk_size=batch_size):
        if event.seq != expected_seq:
            return ChainProblem(event.seq, event.pk, f"expected seq {expected_seq}: an event is missing or inserted")
        if event.prev_hash != prev_hash:
            return ChainProblem(event.seq, event.pk, "previous-hash does not match: deleted, inserted or reordered")
        if compute_hash(prev_hash, event) != event.hash:
            return ChainProblem(event.seq, event.pk, "content does not match its hash: the row was changed")
        if last_id is not None and event.pk < last_id:
            return ChainProblem(event.seq, event.pk, "row order does not match chain order: reordered")
        prev_hash = event.hash
        expected_seq += 1
        last_id = event.pk
    head = ChainHead.objects.filter(pk=1).first()
    if head and (head.last_seq != expected_seq - 1 or head.last_hash != prev_hash):
        return ChainProblem(head.last_seq, None, "chain head does not match the last event: events were removed")
    return None
