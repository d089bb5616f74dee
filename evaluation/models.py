"""Evaluation: a committee per lot, conflict-of-interest declarations, independent scores, then consensus.

Scores are absolute, on the commissioning's anchored scale (docs/adr/0004): no score depends on another bid.
Written only through evaluation.services; who may see what when is decided in evaluation.rules.
"""

from datetime import timedelta
from zoneinfo import ZoneInfo

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
    #  "anchors": {"0": "...", ...}, "minimum": int|None (knock-out minimum; absent in older snapshots)}]}
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


class AwardDecision(models.Model):
    """The award decision for a lot (gunningsbeslissing, Aw 2.130), sent to every tenderer at once; it starts the
    standstill period (Aw 2.127). It can be withdrawn; a new decision starts a new standstill. It becomes definitive
    after the standstill, once the winner's evidence (Directive 2014/24/EU art. 59(4)) is in and no summary
    proceedings are pending."""

    lot = models.ForeignKey("tenders.Lot", on_delete=models.PROTECT, related_name="award_decisions")
    winner = models.ForeignKey("bids.Submission", on_delete=models.PROTECT, related_name="+")
    characteristics = models.TextField(_("characteristics and relative advantages of the winning bid"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    sent_at = models.DateTimeField(_("sent at"))
    standstill_ends_at = models.DateTimeField(_("end of the standstill period"))
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.TextField(blank=True)
    evidence_requested_at = models.DateTimeField(null=True, blank=True)
    evidence_received_at = models.DateTimeField(null=True, blank=True)
    definitive_at = models.DateTimeField(_("definitive award"), null=True, blank=True)
    # The bids excluded from the ranking when the decision was taken, with their reasons (knock-out minimums):
    # [{"submission": id, "reasons": ["score 25 op criterium “…” lager dan minimum 50", ...]}]
    exclusions = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["lot", "sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["lot"], condition=models.Q(withdrawn_at__isnull=True), name="award_decision_one_standing"
            )
        ]

    def __str__(self) -> str:
        return f"{self.lot}: {self.winner}"

    @property
    def standing(self) -> bool:
        return self.withdrawn_at is None

    @property
    def standstill_last_day(self):
        """The last calendar day of the standstill in Amsterdam: it ends at 24:00 of this day, the moment
        `standstill_ends_at` stores as 00:00 of the next. Pages and letters name this day, never the next."""
        end = self.standstill_ends_at.astimezone(ZoneInfo("Europe/Amsterdam"))
        return (end - timedelta(microseconds=1)).date()


class AwardLetter(models.Model):
    """The letter to one tenderer (PDF, Dutch): the winner, the winning bid's characteristics and relative
    advantages, the recipient's scores against the winner's, the end of the standstill and the remedies."""

    decision = models.ForeignKey(AwardDecision, on_delete=models.CASCADE, related_name="letters")
    submission = models.ForeignKey("bids.Submission", on_delete=models.PROTECT, related_name="award_letters")
    pdf = models.FileField(upload_to="evaluation/letters/")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["decision", "submission"], name="award_letter_once")]

    def __str__(self) -> str:
        return f"{self.decision_id} → {self.submission_id}"


class SummaryProceedings(models.Model):
    """A kort geding against the award decision: registered within the standstill, it suspends the definitive award
    until the judgment is recorded."""

    decision = models.ForeignKey(AwardDecision, on_delete=models.CASCADE, related_name="proceedings")
    claimant = models.CharField(_("claimant"), max_length=255)
    registered_at = models.DateTimeField(_("registered at"))
    judgment_at = models.DateTimeField(_("judgment recorded at"), null=True, blank=True)
    judgment = models.TextField(_("judgment"), blank=True)

    def __str__(self) -> str:
        return f"{self.claimant} ({self.registered_at:%Y-%m-%d})"


class DebriefingRequest(models.Model):
    """A tenderer's request for the reasons of the decision, answered within 15 days (Directive art. 55(2))."""

    decision = models.ForeignKey(AwardDecision, on_delete=models.CASCADE, related_name="debriefings")
    submission = models.ForeignKey("bids.Submission", on_delete=models.PROTECT, related_name="+")
    question = models.TextField(_("question"))
    received_at = models.DateTimeField()
    due_at = models.DateTimeField()
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.submission_id} ({self.received_at:%Y-%m-%d})"


from .grant_models import GrantDecision  # noqa: E402, F401 (the grant route's decisions, ADR 0010)
