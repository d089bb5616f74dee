"""Evaluation: a committee per lot, conflict-of-interest declarations, independent scores, then consensus.

Scores are absolute, on the commissioning's anchored scale (docs/adr/0004): no score depends on another bid.
Written only through evaluation.services; who may see what when is decided in evaluation.rules.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CriteriaSnapshot(models.Model):
    """The published award criteria (after every rectification), frozen when the evaluation starts: the committee
    scores against this, whatever happens to the tender's criteria later."""

    commissioning = models.OneToOneField(
        "tenders.Commissioning", on_delete=models.PROTECT, related_name="criteria_snapshot"
    )
    frozen_at = models.DateTimeField()
    # {"scale": [0, 25, ...], "criteria": [{"key": "c12", "title", "weight", "parent": key|None, "leaf": bool,
    #  "anchors": {"0": "...", ...}}]}
    data = models.JSONField()

    def __str__(self) -> str:
        return f"{self.commissioning} ({self.frozen_at:%Y-%m-%d})"


class Committee(models.Model):
    """The evaluation committee of one lot; with `anonymous` the members see "Inschrijving A/B/C", not the bidder."""

    commissioning = models.ForeignKey("tenders.Commissioning", on_delete=models.PROTECT, related_name="committees")
    lot = models.ForeignKey("tenders.Lot", on_delete=models.PROTECT, related_name="committees")
    anonymous = models.BooleanField(_("anonymous evaluation"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["commissioning", "lot__number"]
        constraints = [models.UniqueConstraint(fields=["lot"], name="committee_one_per_lot")]

    def __str__(self) -> str:
        return f"{self.lot}"


class Member(models.Model):
    """A committee member (or its chair). Sees no bid before declaring: a declared conflict excludes them."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        MEMBER = "member", _("Member")

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="committee_seats")
    role = models.CharField(_("role"), max_length=8, choices=Role.choices, default=Role.MEMBER)
    appointed_at = models.DateTimeField()
    # The conflict-of-interest declaration (Directive 2014/24/EU art. 24), one per member and lot.
    declared_at = models.DateTimeField(null=True, blank=True)
    has_conflict = models.BooleanField(null=True)
    relations = models.TextField(_("relations with bidding organisations"), blank=True)
    # When every score of this member for the lot is final; until all members are, nobody sees another's scores.
    scores_submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["committee", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "user"], name="member_once"),
            models.UniqueConstraint(fields=["committee"], condition=models.Q(role="chair"), name="member_one_chair"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"

    @property
    def excluded(self) -> bool:
        return self.has_conflict is True

    @property
    def may_evaluate(self) -> bool:
        return self.declared_at is not None and self.has_conflict is False


class Score(models.Model):
    """One member's score of one bid on one leaf criterion, with a reason that refers to the anchor."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="scores")
    submission = models.ForeignKey("bids.Submission", on_delete=models.PROTECT, related_name="+")
    criterion_key = models.CharField(max_length=16)
    score = models.PositiveSmallIntegerField(_("score"))
    reason = models.TextField(_("reason"))
    saved_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "submission", "criterion_key"], name="score_once"),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.submission_id} {self.criterion_key}: {self.score}"


class Consensus(models.Model):
    """The committee's score of one bid on one leaf criterion, recorded by the chair after the consensus session;
    a score away from the members' median explains why."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="consensus")
    submission = models.ForeignKey("bids.Submission", on_delete=models.PROTECT, related_name="+")
    criterion_key = models.CharField(max_length=16)
    score = models.PositiveSmallIntegerField(_("consensus score"))
    reason = models.TextField(_("reason"))
    deviation_reason = models.TextField(_("why it differs from the members' median"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["committee", "submission", "criterion_key"], name="consensus_once"),
        ]

    def __str__(self) -> str:
        return f"{self.submission_id} {self.criterion_key}: {self.score}"
