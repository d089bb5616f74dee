"""The only write path of the evaluation: freeze the criteria, appoint a committee, declare interests, score,
submit, record the consensus. Each service runs in a transaction, locks what it changes and writes an audit event
(never a score's reason text in the audit summary: the log names who did what to which bid)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from tenders.models import Commissioning, Phase

from .. import rules, selectors
from ..models import Committee, Consensus, CriteriaSnapshot, Member, Score


def _snapshot_data(commissioning) -> dict:
    criteria = list(commissioning.criteria.prefetch_related("anchors", "children").order_by("parent_id", "position"))
    return {
        "scale": list(commissioning.scale),
        "criteria": [
            {
                "key": f"c{c.pk}",
                "title": c.title,
                "description": c.description,
                "weight": str(c.weight),
                "parent": f"c{c.parent_id}" if c.parent_id else None,
                "leaf": not c.children.exists(),
                "minimum": c.minimum_score,
                "anchors": {str(a.score): a.text for a in c.anchors.all()},
            }
            for c in criteria
        ],
    }


def freeze_criteria(commissioning, *, actor=None, now=None) -> CriteriaSnapshot:
    """The criteria as published (after every rectification), frozen once; later calls return the same snapshot."""
    with transaction.atomic():
        c = Commissioning.objects.select_for_update(no_key=True).get(pk=commissioning.pk)
        existing = CriteriaSnapshot.objects.filter(commissioning=c).first()
        if existing:
            return existing
        if not c.is_published:
            raise ValidationError(_("Only the criteria of a published commissioning can be frozen."))
        snapshot = CriteriaSnapshot.objects.create(
            commissioning=c, frozen_at=now or timezone.now(), data=_snapshot_data(c)
        )
        record(
            "evaluation.criteria_frozen",
            actor=actor,
            municipality=c.municipalities(),
            obj=snapshot,
            summary={"criteria": len(snapshot.data["criteria"])},
        )
        return snapshot


def appoint_committee(lot, *, actor, chair, members, anonymous=False, now=None) -> Committee:
    """A committee for one lot: a chair who does not score, and at least one member who does. Appointed before the
    evaluation starts or during it; never twice for a lot."""
    members = list(dict.fromkeys(members))
    if chair in members:
        raise ValidationError(_("The chair is not also a scoring member."))
    if not members:
        raise ValidationError(_("Appoint at least one scoring member."))
    now = now or timezone.now()
    with transaction.atomic():
        c = Commissioning.objects.select_for_update(no_key=True).get(pk=lot.commissioning_id)
        if c.phase in (Phase.DRAFT, Phase.CANCELLED, Phase.AWARDED):
            raise ValidationError(_("A committee is appointed for a published procedure that is still running."))
        if Committee.objects.filter(lot=lot).exists():
            raise ValidationError(_("This lot already has a committee."))
        committee = Committee.objects.create(
            commissioning=c, lot=lot, anonymous=anonymous, created_by=actor, created_at=now
        )
        Member.objects.create(committee=committee, user=chair, role=Member.Role.CHAIR, appointed_at=now)
        for user in members:
            Member.objects.create(committee=committee, user=user, role=Member.Role.MEMBER, appointed_at=now)
        record(
            "evaluation.committee_appointed",
            actor=actor,
            municipality=c.municipalities(),
            obj=committee,
            summary={"lot": lot.number, "members": len(members), "anonymous": anonymous},
        )
        return committee


def _locked_member(member, actor) -> Member:
    m = Member.objects.select_for_update().select_related("committee").get(pk=member.pk)
    if m.user_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Only the member themselves can do this."))
    return m


def declare_interests(member, *, actor, has_conflict: bool, relations: str = "", now=None) -> Member:
    """The member's own declaration, once, before seeing any bid (Directive 2014/24/EU art. 24). A conflict
    excludes the member from this lot."""
    if has_conflict and not relations.strip():
        raise ValidationError(_("Describe the relation with the bidding organisation."))
    with transaction.atomic():
        m = _locked_member(member, actor)
        if m.declared_at:
            raise ValidationError(_("You have already made your declaration for this lot."))
        m.declared_at, m.has_conflict, m.relations = now or timezone.now(), has_conflict, relations.strip()
        m.save(update_fields=["declared_at", "has_conflict", "relations"])
        record(
            "evaluation.interests_declared",
            actor=actor,
            municipality=m.committee.commissioning.municipalities(),
            obj=m,
            summary={"lot": m.committee.lot_id, "conflict": has_conflict, "excluded": has_conflict},
        )
        return m


def save_score(member, *, actor, submission, criterion_key: str, score: int, reason: str, now=None) -> Score:
    with transaction.atomic():
        m = _locked_member(member, actor)
        committee = m.committee
        snapshot = CriteriaSnapshot.objects.filter(commissioning=committee.commissioning_id).first()
        if snapshot is None:
            raise ValidationError(_("The evaluation has not started: the criteria are not frozen yet."))
        errors = rules.score_errors(m, snapshot, submission, criterion_key, score, reason, selectors.bids_of(committee))
        if errors:
            raise ValidationError(errors)
        row, created = Score.objects.update_or_create(
            member=m,
            submission=submission,
            criterion_key=criterion_key,
            defaults={"score": score, "reason": reason.strip(), "saved_at": now or timezone.now()},
        )
        record(
            "evaluation.score_saved",
            actor=actor,
            municipality=committee.commissioning.municipalities(),
            obj=row,
            summary={"submission": submission.pk, "criterion": criterion_key, "new": created},
        )
        return row


def submit_scores(member, *, actor, now=None) -> Member:
    """The member's scores for the lot become final; when the last member submits, the spread becomes visible."""
    with transaction.atomic():
        m = _locked_member(member, actor)
        committee = m.committee
        snapshot = CriteriaSnapshot.objects.get(commissioning=committee.commissioning_id)
        scored = set(m.scores.values_list("submission_id", "criterion_key"))
        errors = rules.submit_errors(m, snapshot, selectors.bids_of(committee), scored)
        if errors:
            raise ValidationError(errors)
        m.scores_submitted_at = now or timezone.now()
        m.save(update_fields=["scores_submitted_at"])
        record(
            "evaluation.scores_submitted",
            actor=actor,
            municipality=committee.commissioning.municipalities(),
            obj=m,
            summary={"lot": committee.lot_id, "scores": len(scored)},
        )
        return m


def record_consensus(
    committee, *, actor, submission, criterion_key: str, score: int, reason: str, deviation_reason: str = "", now=None
) -> Consensus:
    """The chair records the committee's score after the consensus session."""
    with transaction.atomic():
        committee = Committee.objects.select_for_update().get(pk=committee.pk)
        snapshot = CriteriaSnapshot.objects.get(commissioning=committee.commissioning_id)
        if criterion_key not in rules.leaf_keys(snapshot) or submission not in selectors.bids_of(committee):
            raise ValidationError(_("This bid and criterion are not evaluated in this lot."))
        member_scores = list(
            Score.objects.filter(
                member__in=rules.scoring_members(committee), submission=submission, criterion_key=criterion_key
            ).values_list("score", flat=True)
        )
        errors = rules.consensus_errors(committee, actor, snapshot, member_scores, score, reason, deviation_reason)
        if errors:
            raise ValidationError(errors)
        row, created = Consensus.objects.update_or_create(
            committee=committee,
            submission=submission,
            criterion_key=criterion_key,
            defaults={
                "score": score,
                "reason": reason.strip(),
                "deviation_reason": deviation_reason.strip(),
                "recorded_by": actor,
                "recorded_at": now or timezone.now(),
            },
        )
        record(
            "evaluation.consensus_recorded",
            actor=actor,
            municipality=committee.commissioning.municipalities(),
            obj=row,
            summary={"submission": submission.pk, "criterion": criterion_key, "new": created},
        )
        return row
