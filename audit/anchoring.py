"""Anchoring the audit chain outside the database: signed checkpoints of the chain head.

Whoever can write to the database can recompute every hash from some event onwards, or delete the last events and
move the chain head back: the chain is then consistent again and `verify_chain` alone cannot tell. A checkpoint is a
statement "after event `seq` the head was `head_hash`, at `created_at`", signed with an Ed25519 key that is NOT in the
database (settings.AUDIT_SIGNING_KEY or settings.AUDIT_SIGNING_KEY_FILE). Checkpoints are published on a public page
and exported as JSON for auditors to keep; `verify_audit` compares the chain with the stored and the auditor's
checkpoints and reports rewrites and truncation.

The signed message is plain text, so that an auditor can check it with any Ed25519 tool:

    wijkwaarde-audit-checkpoint/1\\n<seq>\\n<head_hash>\\n<created_at, ISO 8601 UTC with microseconds>
"""

import base64
import datetime
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AuditEvent, ChainHead, Checkpoint

MESSAGE_PREFIX = "wijkwaarde-audit-checkpoint/1"
EXPORT_FORMAT = "wijkwaarde-audit-checkpoints/1"
GENESIS = "0" * 64


# --- keys -------------------------------------------------------------------------------------------------------


def _raw_public(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(public_key: Ed25519PublicKey) -> str:
    return hashlib.sha256(_raw_public(public_key)).hexdigest()


def public_key_b64(public_key: Ed25519PublicKey) -> str:
    return base64.b64encode(_raw_public(public_key)).decode()


def _load_private(data: bytes) -> Ed25519PrivateKey:
    data = data.strip()
    if data.startswith(b"-----BEGIN"):
        key = serialization.load_pem_private_key(data, password=None)
    else:  # base64 of the 32-byte seed
        key = Ed25519PrivateKey.from_private_bytes(base64.b64decode(data))
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured("The audit signing key must be an Ed25519 key.")
    return key


def signing_key() -> Ed25519PrivateKey | None:
    """The configured private key, or None when none is configured (then no checkpoints can be made)."""
    inline = getattr(settings, "AUDIT_SIGNING_KEY", "")
    if inline:
        return _load_private(inline.encode())
    path = getattr(settings, "AUDIT_SIGNING_KEY_FILE", "")
    if path and Path(path).is_file():
        return _load_private(Path(path).read_bytes())
    return None


def trusted_public_keys() -> dict[str, Ed25519PublicKey]:
    """key_id -> public key: the configured signing key and earlier keys kept after a rotation
    (settings.AUDIT_TRUSTED_PUBLIC_KEYS, base64 of the raw 32 bytes)."""
    keys = {}
    private = signing_key()
    if private is not None:
        keys[key_id(private.public_key())] = private.public_key()
    for b64 in getattr(settings, "AUDIT_TRUSTED_PUBLIC_KEYS", []):
        public = Ed25519PublicKey.from_public_bytes(base64.b64decode(b64))
        keys[key_id(public)] = public
    return keys


def generate_key_file(path) -> Ed25519PublicKey:
    """Write a new private key (PEM, readable by the owner only) for the demo, tests or a first installation."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    return key.public_key()


# --- checkpoints --------------------------------------------------------------------------------------------------


def _iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def message(seq: int, head_hash: str, created_at: str) -> bytes:
    return f"{MESSAGE_PREFIX}\n{seq}\n{head_hash}\n{created_at}".encode()


def as_dict(checkpoint: Checkpoint) -> dict:
    return {
        "seq": checkpoint.seq,
        "head_hash": checkpoint.head_hash,
        "created_at": _iso(checkpoint.created_at),
        "key_id": checkpoint.key_id,
        "signature": checkpoint.signature,
    }


class CheckpointRefused(Exception):
    pass


def make_checkpoint(now=None) -> Checkpoint | None:
    """Sign the current chain head, after checking the chain: a broken chain is never vouched for.

    Returns None when the head has not moved since the last checkpoint. Raises CheckpointRefused (Dutch message)
    when no key is configured or the chain is broken. Writes only to the audit tables: a checkpoint is part of the
    audit machinery, not an audited change (an event for it would move the head it signs)."""
    key = signing_key()
    if key is None:
        raise CheckpointRefused(_("No audit signing key is configured (AUDIT_SIGNING_KEY or AUDIT_SIGNING_KEY_FILE)."))
    report = verify()
    if not report.ok:
        raise CheckpointRefused(
            _("The audit chain is not intact; no checkpoint was made: %(problem)s") % {"problem": report.problems[0]}
        )
    with transaction.atomic():
        head, _created = ChainHead.objects.get_or_create(pk=1)
        head = ChainHead.objects.select_for_update().get(pk=1)
        last = Checkpoint.objects.order_by("-seq", "-created_at").first()
        if last is not None and last.seq == head.last_seq and last.head_hash == head.last_hash:
            return None
        created_at = (now or timezone.now()).astimezone(datetime.UTC)
        signature = key.sign(message(head.last_seq, head.last_hash, _iso(created_at)))
        return Checkpoint.objects.create(
            seq=head.last_seq,
            head_hash=head.last_hash,
            created_at=created_at,
            key_id=key_id(key.public_key()),
            signature=base64.b64encode(signature).decode(),
        )


def export(checkpoints=None) -> dict:
    """The JSON document an auditor keeps: the public keys, the message format and every checkpoint."""
    rows = [as_dict(c) for c in (checkpoints if checkpoints is not None else Checkpoint.objects.order_by("seq"))]
    return {
        "format": EXPORT_FORMAT,
        "message": MESSAGE_PREFIX + "\\n<seq>\\n<head_hash>\\n<created_at>",
        "signature_algorithm": "Ed25519",
        "public_keys": [{"key_id": kid, "public_key": public_key_b64(k)} for kid, k in trusted_public_keys().items()],
        "checkpoints": rows,
    }


def load_export(text: str) -> list[dict]:
    """Checkpoints from an auditor's JSON file (the export above, or a plain list of checkpoints)."""
    data = json.loads(text)
    rows = data.get("checkpoints", []) if isinstance(data, dict) else data
    if not isinstance(rows, list):
        raise ValueError(_("The file holds no list of checkpoints."))
    result = []
    for row in rows:
        if not isinstance(row, dict) or not {"seq", "head_hash", "created_at", "signature"} <= set(row):
            raise ValueError(_("A checkpoint in the file lacks seq, head_hash, created_at or signature."))
        result.append(
            {
                "seq": int(row["seq"]),
                "head_hash": str(row["head_hash"]),
                "created_at": str(row["created_at"]),
                "key_id": str(row.get("key_id", "")),
                "signature": str(row["signature"]),
            }
        )
    return result


def signature_valid(checkpoint: dict, keys: dict[str, Ed25519PublicKey]) -> bool:
    try:
        signature = base64.b64decode(checkpoint["signature"], validate=True)
    except (ValueError, TypeError):
        return False
    msg = message(checkpoint["seq"], checkpoint["head_hash"], checkpoint["created_at"])
    candidates = [keys[checkpoint["key_id"]]] if checkpoint.get("key_id") in keys else list(keys.values())
    for public in candidates:
        try:
            public.verify(signature, msg)
            return True
        except InvalidSignature:
            continue
    return False


# --- verification -------------------------------------------------------------------------------------------------


@dataclass
class Problem:
    kind: str  # changed | gap | predecessor | reordered | head | rewritten | truncated | signature
    seq: int | None
    message: str
    event_id: int | None = None

    def __str__(self) -> str:
        return self.message

    @property
    def reason(self) -> str:
        return self.message


@dataclass
class Report:
    events: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS
    checkpoints_checked: int = 0
    last_verified: dict | None = None
    problems: list[Problem] = field(default_factory=list)
    checked_at: datetime.datetime | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def _when(created_at: str) -> str:
    try:
        moment = datetime.datetime.fromisoformat(created_at)
    except ValueError:
        return created_at
    return timezone.localtime(moment).strftime("%d-%m-%Y %H:%M")


def verify(extra_checkpoints: list[dict] | None = None, batch_size: int = 5000) -> Report:
    """Walk the chain once: its own links (hashes, numbering, head) and the signed checkpoints (stored ones and those
    an auditor supplies). Every problem gets a Dutch message naming the event concerned."""
    report = Report(checked_at=timezone.now())
    keys = trusted_public_keys()
    checkpoints = [as_dict(c) for c in Checkpoint.objects.all()] + list(extra_checkpoints or [])
    valid = []
    seen = set()
    for cp in checkpoints:
        ident = (cp["seq"], cp["head_hash"], cp["created_at"], cp["signature"])
        if ident in seen:
            continue
        seen.add(ident)
        if signature_valid(cp, keys):
            valid.append(cp)
        else:
            report.problems.append(
                Problem(
                    "signature",
                    cp["seq"],
                    _(
                        "The checkpoint of event %(seq)s (%(at)s) has no valid signature of a trusted key: "
                        "it is forged or damaged."
                    )
                    % {"seq": cp["seq"], "at": _when(cp["created_at"])},
                )
            )
    report.checkpoints_checked = len(valid)
    by_seq: dict[int, list[dict]] = {}
    for cp in valid:
        by_seq.setdefault(cp["seq"], []).append(cp)
    if 0 in by_seq:  # a checkpoint of the empty chain
        for cp in by_seq[0]:
            if cp["head_hash"] == GENESIS:
                report.last_verified = cp

    from .services import compute_hash  # noqa: PLC0415 (services imports this module's callers)

    prev_hash, expected_seq, last_id, broken = GENESIS, 1, None, False
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=batch_size):
        problem = None
        if event.seq != expected_seq:
            problem = Problem(
                "gap",
                event.seq,
                _("Expected event number %(expected)s: an event is missing or was inserted.")
                % {"expected": expected_seq},
            )
        elif event.prev_hash != prev_hash:
            problem = Problem(
                "predecessor",
                event.seq,
                _("The previous hash does not match: an event was deleted, inserted or moved."),
            )
        elif compute_hash(prev_hash, event) != event.hash:
            problem = Problem("changed", event.seq, _("The content does not match its hash: the event was changed."))
        elif last_id is not None and event.pk < last_id:
            problem = Problem("reordered", event.seq, _("Row order does not match chain order: events were moved."))
        if problem and not broken:
            problem.event_id = event.pk
            problem.message = _("Event %(seq)s: %(reason)s") % {"seq": event.seq, "reason": problem.message}
            report.problems.append(problem)
            broken = True
        for cp in by_seq.get(event.seq, []):
            if cp["head_hash"] != event.hash:
                report.problems.append(
                    Problem(
                        "rewritten",
                        event.seq,
                        _(
                            "Event %(seq)s differs from the signed checkpoint of %(at)s: the chain was rewritten "
                            "from this event or earlier."
                        )
                        % {"seq": event.seq, "at": _when(cp["created_at"])},
                        event.pk,
                    )
                )
            elif not broken:
                report.last_verified = cp
        prev_hash, expected_seq, last_id = event.hash, event.seq + 1, event.pk
        report.events += 1
    report.head_seq, report.head_hash = expected_seq - 1, prev_hash
    beyond = [cp for cp in valid if cp["seq"] > report.head_seq]
    if beyond:
        cp = max(beyond, key=lambda c: c["seq"])
        report.problems.append(
            Problem(
                "truncated",
                cp["seq"],
                _(
                    "The chain ends at event %(last)s, but the signed checkpoint of %(at)s vouches for %(seq)s "
                    "events: events were removed from the end."
                )
                % {"last": report.head_seq, "at": _when(cp["created_at"]), "seq": cp["seq"]},
            )
        )
    head = ChainHead.objects.filter(pk=1).first()
    if not broken and head and (head.last_seq != report.head_seq or head.last_hash != prev_hash):
        report.problems.append(
            Problem(
                "head",
                head.last_seq,
                _("The chain head (event %(seq)s) does not match the last event: events were removed.")
                % {"seq": head.last_seq},
            )
        )
    return report


def store_check(report: Report, *, checked_by: str = ""):
    """Keep the result of a check for the audit page (writes only to the audit tables)."""
    from .models import ChainCheck  # noqa: PLC0415

    last = report.last_verified
    return ChainCheck.objects.create(
        checked_at=report.checked_at,
        checked_by=checked_by,
        ok=report.ok,
        events=report.events,
        checkpoints=report.checkpoints_checked,
        problems=[str(p) for p in report.problems],
        last_checkpoint_seq=last["seq"] if last else None,
        last_checkpoint_at=last["created_at"] if last else "",
    )
