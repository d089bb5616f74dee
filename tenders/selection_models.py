"""The selection stage (preselection, competitive dialogue, ADR 0011): the candidates and the dialogue sessions with
them. Written only through tenders.services; imported by tenders.models, which registers them with the tenders app."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import Phase


class Candidate(models.Model):
    """A candidate in the selection stage (preselection and competitive dialogue): an operator that requested to
    participate, alone or as the lead of a consortium, before the deadline for requests. With sealed requests
    (bids) the two-person opening creates the candidate from the request (ADR 0011). The procurement officer
    scores it against the selection criteria and admits or rejects it with reasons (a rejected candidate is told
    why, Directive 2014/24/EU art. 55(2)); the admitted are the best-scoring qualified ones (tenders.selection_rules).
    Only admitted candidates are invited to bid or take part in dialogue phase 1; in a competitive dialogue with an
    announced reduction the best-scoring solutions, at most `max_dialogue_participants`, go on to dialogue phase 2
    (Directive art. 66)."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        ADMITTED = "admitted", _("Admitted")
        REJECTED = "rejected", _("Rejected")

    commissioning = models.ForeignKey("tenders.Commissioning", on_delete=models.CASCADE, related_name="candidates")
    # The landscape organisation of the lead, when it has one (ADR 0011: an operator without a confirmed match to
    # the landscape becomes a candidate without one).
    organisation = models.ForeignKey(
        "landscape.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
    )
    # Stored when the candidate is created (ADR 0011): the name of the consortium, or of the lead when it applied
    # alone, and the participants of the sealed request to participate, lead first, as
    # {"name", "ring", "role", "registration"} (ring 0 lead, 1 consortium member, 2 and 3 subcontractors).
    display_name = models.CharField(_("name"), max_length=255)
    members = models.JSONField(_("participants"), default=list, blank=True)
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    applied_at = models.DateTimeField(_("applied at"), null=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.APPLIED)
    selection_score = models.PositiveSmallIntegerField(
        _("score on the selection criteria"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    reasons = models.TextField(_("reasons for the decision"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    selected_for_phase_2 = models.BooleanField(default=False)
    # Dialogue phase 1 → 2: the award criteria applied to the participant's solution, and the reasons it was told.
    solution_score = models.PositiveSmallIntegerField(
        _("score of the solution on the award criteria"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    solution_reasons = models.TextField(_("reasons for the reduction decision"), blank=True)

    class Meta:
        ordering = ["commissioning", "applied_at", "id"]
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        constraints = [models.UniqueConstraint(fields=["commissioning", "organisation"], name="candidate_once")]

    def __str__(self) -> str:
        return self.name

    RING_LABELS = {
        0: _("Lead"),
        1: _("Consortium member"),
        2: _("Subcontractor"),
        3: _("Subcontractor of a subcontractor"),
    }

    @property
    def name(self) -> str:
        return self.display_name

    @property
    def lead_name(self) -> str:
        lead = next((m for m in self.members if m.get("ring") == 0), None)
        return lead["name"] if lead else (self.organisation.name if self.organisation_id else self.display_name)

    @property
    def is_consortium(self) -> bool:
        """Applied with other participants, or under a name other than the lead's."""
        return len(self.members) > 1 or self.display_name != self.lead_name

    def participants(self) -> list[dict]:
        """The members with the label of their ring, for pages and PDFs."""
        return [{**m, "ring_label": self.RING_LABELS.get(m.get("ring"), "")} for m in self.members]


class DialogueSession(models.Model):
    """One dialogue session with one participant; its minutes are shared only with that participant and the
    municipality."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="sessions")
    phase = models.CharField(max_length=24, choices=Phase.choices)
    held_at = models.DateTimeField(_("date and time"))
    minutes = models.TextField(_("minutes"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["held_at"]

    def __str__(self) -> str:
        return f"{self.candidate} {self.held_at:%Y-%m-%d}"
