"""What is said about a published commissioning: rectifications (the only way it changes after publication), the
clarifications document ("nota van inlichtingen") with the questions it answers, and the public information sessions.
Written only through tenders.services; imported by tenders.models, which registers them with the tenders app."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Rectification(models.Model):
    """A published correction of a published commissioning; the only way it changes after publication."""

    commissioning = models.ForeignKey("tenders.Commissioning", on_delete=models.CASCADE, related_name="rectifications")
    number = models.PositiveSmallIntegerField()
    explanation = models.TextField(_("explanation"))
    # [{"field": "...", "label": "...", "before": "...", "after": "..."}]
    changes = models.JSONField(default=list)
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    # The rectification changed the regime after the contract notice was dispatched: the notice on TenderNed/TED no
    # longer says what applies, so a corrigendum notice must be sent there (tenders.regime.corrigendum_required).
    corrigendum_required = models.BooleanField(_("corrigendum notice required on TenderNed/TED"), default=False)

    class Meta:
        ordering = ["commissioning", "number"]
        constraints = [models.UniqueConstraint(fields=["commissioning", "number"], name="rectification_unique_number")]

    def __str__(self) -> str:
        return f"{self.commissioning_id} – {self.number}"


class Clarification(models.Model):
    """A numbered clarifications document ("nota van inlichtingen"); it becomes part of the tender documents."""

    commissioning = models.ForeignKey("tenders.Commissioning", on_delete=models.CASCADE, related_name="clarifications")
    number = models.PositiveSmallIntegerField()
    introduction = models.TextField(_("introduction"), blank=True)
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        ordering = ["commissioning", "number"]
        constraints = [models.UniqueConstraint(fields=["commissioning", "number"], name="clarification_unique_number")]

    def __str__(self) -> str:
        return f"{self.commissioning} – {self.number}"


class Question(models.Model):
    """A question of a provider. Published anonymously: the asker is never shown outside the municipality."""

    commissioning = models.ForeignKey("tenders.Commissioning", on_delete=models.CASCADE, related_name="questions")
    lot = models.ForeignKey("tenders.Lot", on_delete=models.SET_NULL, null=True, blank=True, related_name="questions")
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("question"))
    asked_at = models.DateTimeField()
    topic = models.CharField(_("topic"), max_length=120, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    clarification = models.ForeignKey(
        Clarification, on_delete=models.PROTECT, null=True, blank=True, related_name="questions"
    )
    number = models.PositiveSmallIntegerField(null=True, blank=True)  # numbered across clarifications

    class Meta:
        ordering = ["commissioning", "number", "asked_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["commissioning", "number"], condition=models.Q(number__isnull=False), name="question_number"
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]


class InfoSession(models.Model):
    """A public information session (the Haarlem "Spotlights") with its date and a summary."""

    commissioning = models.ForeignKey("tenders.Commissioning", on_delete=models.CASCADE, related_name="info_sessions")
    title = models.CharField(_("title"), max_length=255)
    held_at = models.DateTimeField(_("date and time"))
    location = models.CharField(_("location"), max_length=255, blank=True)
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        ordering = ["held_at"]

    def __str__(self) -> str:
        return self.title
