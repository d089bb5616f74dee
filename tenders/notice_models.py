"""The notice every candidate, tenderer and applicant receives when a procedure is cancelled: the reasons (Directive
2014/24/EU art. 55(1)); in a grant round it is a decision (beschikking) on the application, with an objection clause
(Awb 3:45, 6:7, 7:1). Written only by tenders.services (the cancel service); read by the recipient and the
municipality (tenders.notice_views) and mailed by tenders.tasks."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CancellationNotice(models.Model):
    class Kind(models.TextChoices):
        CANDIDATE = "candidate", _("Candidate")
        TENDERER = "tenderer", _("Tenderer")
        APPLICANT = "applicant", _("Applicant for the grant")

    commissioning = models.ForeignKey(
        "tenders.Commissioning", on_delete=models.CASCADE, related_name="cancellation_notices"
    )
    number = models.PositiveSmallIntegerField()
    recipient_kind = models.CharField(_("recipient"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=255)
    email = models.EmailField(_("e-mail address"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        "landscape.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A decision (beschikking) under the Awb, open to objection: the grant round's applicants.
    is_decision = models.BooleanField(_("decision open to objection"), default=False)
    reasons = models.TextField(_("reasons"))
    issued_at = models.DateTimeField(_("issued at"))
    objection_deadline = models.DateField(_("last day to object"), null=True, blank=True)

    class Meta:
        ordering = ["commissioning", "number"]
        verbose_name = _("cancellation notice")
        verbose_name_plural = _("cancellation notices")
        constraints = [
            models.UniqueConstraint(fields=["commissioning", "number"], name="cancellation_notice_unique_number"),
            models.CheckConstraint(
                name="cancellation_decision_has_objection_deadline",
                condition=models.Q(is_decision=False) | models.Q(objection_deadline__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commissioning_id} – {self.number}: {self.name}"
