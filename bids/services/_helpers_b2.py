"""Helpers shared by the bids services: one-time tokens, the audit event and the e-mail after the commit."""

import hashlib
import logging
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction

from audit.services import record
from core.access import roles_for

log = logging.getLogger(__name__)


def _new_token() -> tuple[str, str]:
    """A fresh one-time token and its SHA-256 (only the hash is stored)."""
    raw = secrets.token_urlsafe(32)
    return raw, _token_hash(raw)


def _token_hash(raw: str) -> str:
    return hashlib.sha256((raw or "").encode()).hexdigest()


def _audit_event(action, *, actor, obj, municipality=None, summary=None):
    roles = roles_for(actor) if getattr(actor, "is_authenticated", False) else set()
    record(
        action,
        actor=actor,
        role=",".join(sorted(roles)) or ("operator" if getattr(actor, "is_authenticated", False) else ""),
        municipality=municipality,
        obj=obj,
        summary=summary,
    )


def _fail(errors):
    if errors:
        raise ValidationError(errors)


def _mail_token_after_commit(token_id: int, raw: str) -> None:
    """Queue the e-mail with the link once the token is committed; a failure to queue is logged, never raised."""

    def enqueue():
        from ..tasks import send_operator_token

        try:
            send_operator_token.enqueue(token_id, raw)
        except Exception:
            log.exception("e-mail for operator token %s not queued", token_id)

    transaction.on_commit(enqueue)
