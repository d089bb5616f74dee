"""The grant route's decisions (ADR 0010): one decision (beschikking, Awb 1:3) per application in a grant round, with
what it grants or that it refuses, the figures behind it (Awb 3:46) and the last day for objection (Awb 6:7).
Written only through evaluation.services.take_grant_decisions; imported by evaluation.models."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 14, "decimal_places": 2}


class GrantDecision(models.Model):
    class Outcome(models.TextChoices):
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")

    commissioning = models.ForeignKey("tenders.Commissioning", on_delete=models.PROTECT, related_name="grant_decisions")
    lot = models.ForeignKey("tenders.Lot", on_delete=models.PROTECT, related_name="grant_decisions")
    submission = models.OneToOneField("bids.Submission", on_delete=models.PROTECT, related_name="grant_decision")
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices)
    requested_per_year = models.DecimalField(_("amount asked per year"), **MONEY)
    granted_per_year = models.DecimalField(_("amount granted per year"), **MONEY)
    # The figures of the reasons (Awb 3:46), as they were when the decision was taken.
    total = models.DecimalField(_("consensus total (0–100)"), max_digits=5, decimal_places=2)
    rank = models.PositiveSmallIntegerField(_("rank in the lot"))
    applications_in_lot = models.PositiveSmallIntegerField(_("applications in the lot"))
    available_per_year = models.DecimalField(_("still available per year at its turn"), **MONEY)
    lot_budget_per_year = models.DecimalField(_("lot budget per year"), **MONEY)
    ceiling_per_year = models.DecimalField(_("subsidy ceiling per year"), **MONEY)
    tie_break = models.TextField(_("how the tie-break rule decided"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    sent_at = models.DateTimeField(_("sent at"))
    objection_last_day = models.DateField(_("last day for objection"))
    pdf = models.FileField(upload_to="evaluation/grants/")

    class Meta:
        ordering = ["commissioning", "lot__number", "rank", "id"]
        verbose_name = _("grant decision")
        verbose_name_plural = _("grant decisions")
        constraints = [
            models.CheckConstraint(
                name="grant_decision_amounts",
                condition=(
                    models.Q(outcome="granted", granted_per_year__gt=0)
                    | models.Q(outcome="refused", granted_per_year=0)
                ),
            ),
            models.CheckConstraint(
                name="grant_decision_within_ask",
                condition=models.Q(granted_per_year__lte=models.F("requested_per_year")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.submission_id}: {self.get_outcome_display()}"

    @property
    def granted(self) -> bool:
        return self.outcome == self.Outcome.GRANTED
