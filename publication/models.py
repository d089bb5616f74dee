"""Publication: the OCDS releases of each published commissioning (immutable snapshots) and e-mail subscriptions.

Written only through publication.services.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Release(models.Model):
    """One OCDS 1.1 release: a full snapshot of the commissioning at the moment something was published."""

    commissioning = models.ForeignKey("tenders.Commissioning", on_delete=models.PROTECT, related_name="releases")
    ocid = models.CharField(max_length=100, db_index=True)
    release_id = models.CharField(max_length=120, unique=True)
    date = models.DateTimeField()
    tags = models.JSONField(default=list)
    data = models.JSONField()

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("OCDS release")
        verbose_name_plural = _("OCDS releases")

    def __str__(self) -> str:
        return self.release_id


def _token() -> str:
    return secrets.token_urlsafe(24)


class Subscription(models.Model):
    """A provider (or anyone with an account) follows a commissioning and is e-mailed about every change — once the
    address has been confirmed through the link mailed to it (double opt-in); until then it gets nothing else."""

    commissioning = models.ForeignKey("tenders.Commissioning", on_delete=models.CASCADE, related_name="subscriptions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions")
    email = models.EmailField(_("e-mail address"))
    token = models.CharField(max_length=64, unique=True, default=_token)
    confirm_token = models.CharField(max_length=64, unique=True, default=_token)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [models.UniqueConstraint(fields=["commissioning", "user"], name="subscription_once_per_user")]

    def __str__(self) -> str:
        return f"{self.email} → {self.commissioning_id}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None
