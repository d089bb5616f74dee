"""Append-only, hash-chained audit events. Written only by audit.services.record(); checked by verify_audit."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    # `seq` is the position in the chain: 1, 2, 3, ... without gaps. `id` is only the row key.
    seq = models.PositiveBigIntegerField(unique=True)
    timestamp = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    actor_name = models.CharField(max_length=150, blank=True)  # kept when the user is deleted
    role = models.CharField(max_length=255, blank=True)  # a role code, or several comma-separated
    # The CBS code of the municipality the event concerns; a commissioning run by a purchasing organisation concerns
    # all its municipalities: their codes, comma-separated ("GM0392,GM0394"), so that each municipality's auditor sees
    # it. An event of one municipality hashes exactly as before the field was widened.
    municipality_code = models.CharField(max_length=255, blank=True, db_index=True)
    action = models.CharField(max_length=100)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    summary = models.JSONField(default=dict, blank=True)  # {"before": {...}, "after": {...}} or counts; no secrets
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"


class ChainHead(models.Model):
    """One row that is locked while an event is appended, so that two writers never fork the chain."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"chain head #{self.last_seq}"


class Checkpoint(models.Model):
    """A signed statement "the chain had `seq` events and its head was `head_hash` at `created_at`".

    The signature (Ed25519) is made with a private key that is not in the database (settings.AUDIT_SIGNING_KEY_FILE),
    so whoever can write to the database can delete or rewrite events but cannot make a checkpoint that vouches for
    the rewritten chain. Checkpoints are published (/audit/ankers) and exported for auditors to keep.
    """

    seq = models.PositiveBigIntegerField()
    head_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    key_id = models.CharField(max_length=64)  # SHA-256 of the raw public key, hex
    signature = models.CharField(max_length=128)  # base64 of the 64-byte Ed25519 signature

    class Meta:
        ordering = ["-seq", "-created_at"]
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")

    def __str__(self) -> str:
        return f"checkpoint #{self.seq} {self.head_hash[:12]}"


class ChainCheck(models.Model):
    """The result of one run of the chain check (verify_audit, or "check now" on the audit page), shown on the page.

    Informative only: the authoritative check is verify_audit run by the auditor with the checkpoints they kept."""

    checked_at = models.DateTimeField()
    checked_by = models.CharField(max_length=150, blank=True)
    ok = models.BooleanField()
    events = models.PositiveBigIntegerField(default=0)
    checkpoints = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list, blank=True)  # Dutch messages
    last_checkpoint_seq = models.PositiveBigIntegerField(null=True, blank=True)
    last_checkpoint_at = models.CharField(max_length=40, blank=True)  # ISO 8601, as signed

    class Meta:
        ordering = ["-checked_at", "-id"]
        verbose_name = _("chain check")
        verbose_name_plural = _("chain checks")

    def __str__(self) -> str:
        return f"chain check {self.checked_at:%Y-%m-%d %H:%M} {'ok' if self.ok else 'broken'}"
