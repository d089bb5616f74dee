"""Award: the decision (Aw 2.130) with a letter to every tenderer, the standstill (Aw 2.127), summary proceedings,
debriefing requests (Directive art. 55(2)), the winner's evidence (art. 59(4)) and the definitive award, which
tells the later stages through evaluation.events.award_definitive (contracts makes the contract record)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.services import record
from core.pdf import render_pdf
from tenders.models import Commissioning

from .. import award_rules, events, selectors, standstill
from ..models import AwardDecision, AwardLetter, CriteriaSnapshot, DebriefingRequest, SummaryProceedings


def _lock(lot):
    return Commissioning.objects.select_for_update(no_key=True).get(pk=lot.commissioning_id)


def _municipalities(decision):
    return decision.lot.commissioning.municipalities()


def _letter_context(decision, submission) -> dict:
    """Everything one letter says: the winner, the characteristics and relative advantages of the winning bid, the
    recipient's consensus scores and reasons per criterion against the winner's, totals, ranks, the end of the
    standstill and the remedies."""
    committee = decision.lot.committees.get()
    snapshot = CriteriaSnapshot.objects.get(commissioning=decision.lot.commissioning_id)
    consensus = {(c.submission_id, c.criterion_key): c for c in committee.consensus.all()}
    ranking = {r["submission"].pk: r for r in selectors.ranking(committee, snapshot)}
    exclusion = next((e["reasons"] for e in decision.exclusions if e["submission"] == submission.pk), None)
    weights = selectors.effective_weights(snapshot)
    rows = [
        {
            "title": c["title"],
            "weight": weights[c["key"]] * 100,
            "own": consensus.get((submission.pk, c["key"])),
            "winner": consensus.get((decision.winner_id, c["key"])),
            "minimum": c.get("minimum") if c["leaf"] else None,
        }
        for c in snapshot.data["criteria"]
        if c["leaf"]
    ]
    return {
        "decision": decision,
        "commissioning": decision.lot.commissioning,
        "lot": decision.lot,
        "submission": submission,
        "is_winner": submission.pk == decision.winner_id,
        "winner_name": str(decision.winner),
        "rows": rows,
        "own": ranking.get(submission.pk),
        "exclusion": exclusion,
        "has_minimums": bool(selectors.minimums(snapshot)),
        "winning": ranking.get(decision.winner_id),
        "standstill_last_day": standstill.last_day(decision.sent_at),
        "standstill_ends_at": decision.standstill_ends_at,
    }


def decide_award(lot, *, actor, winner, characteristics: str, tie_break: str = "", now=None) -> AwardDecision:
    """The award decision for a lot, sent to every tenderer at the same moment: one letter (PDF) each, made in the
    same transaction; the standstill period starts the day after. Bids below a criterion's minimum score are
    recorded on the decision as excluded, with their reasons, and their letters say so."""
    now = now or timezone.now()
    with transaction.atomic():
        _lock(lot)
        errors = award_rules.decide_errors(lot, winner, characteristics, tie_break)
        if errors:
            raise ValidationError(errors)
        text = characteristics.strip() + (f"\n\n{tie_break.strip()}" if tie_break.strip() else "")
        committee = lot.committees.get()
        snapshot = CriteriaSnapshot.objects.get(commissioning=lot.commissioning_id)
        with translation.override(settings.LANGUAGE_CODE):  # recorded data, in the data's language
            exclusions = [
                {"submission": e["submission"].pk, "reasons": e["reasons"]}
                for e in selectors.excluded(committee, snapshot)
            ]
        decision = AwardDecision.objects.create(
            lot=lot,
            winner=winner,
            characteristics=text,
            decided_by=actor,
            sent_at=now,
            standstill_ends_at=standstill.ends_at(now),
            evidence_requested_at=now,  # only the provisional winner is asked for evidence (art. 59(4))
            exclusions=exclusions,
        )
        for submission in selectors.bids_of(committee):
            pdf = render_pdf("evaluation/award_letter_pdf.html", _letter_context(decision, submission))
            AwardLetter.objects.create(
                decision=decision,
                submission=submission,
                pdf=ContentFile(pdf, name=f"gunningsbeslissing-{decision.pk}-{submission.pk}.pdf"),
                created_at=now,
            )
        record(
            "evaluation.award_decided",
            actor=actor,
            municipality=_municipalities(decision),
            obj=decision,
            summary={
                "lot": lot.number,
                "winner": winner.pk,
                "letters": decision.letters.count(),
                "excluded": [e["submission"] for e in exclusions],
            },
        )
        events.award_decided.send(sender=AwardDecision, decision=decision, actor=actor)
        return decision


def withdraw_award(decision, *, actor, reason: str, now=None) -> AwardDecision:
    if not reason.strip():
        raise ValidationError(_("Give the reason for withdrawing the award decision."))
    with transaction.atomic():
        _lock(decision.lot)
        d = AwardDecision.objects.select_for_update().get(pk=decision.pk)
        if d.withdrawn_at or d.definitive_at:
            raise ValidationError(_("Only a standing, not yet definitive award decision can be withdrawn."))
        d.withdrawn_at, d.withdrawal_reason = now or timezone.now(), reason.strip()
        d.save(update_fields=["withdrawn_at", "withdrawal_reason"])
        record("evaluation.award_withdrawn", actor=actor, municipality=_municipalities(d), obj=d, summary={})
        events.award_withdrawn.send(sender=AwardDecision, decision=d, actor=actor)
        return d


def request_evidence(decision, *, actor, now=None) -> AwardDecision:
    with transaction.atomic():
        d = AwardDecision.objects.select_for_update().get(pk=decision.pk)
        d.evidence_requested_at = now or timezone.now()
        d.save(update_fields=["evidence_requested_at"])
        record("evaluation.evidence_requested", actor=actor, municipality=_municipalities(d), obj=d, summary={})
        return d


def record_evidence(decision, *, actor, now=None) -> AwardDecision:
    """The procurement officer records that the winner's evidence behind its self-declaration was received and
    checked (Directive art. 59(4))."""
    with transaction.atomic():
        d = AwardDecision.objects.select_for_update().get(pk=decision.pk)
        if d.withdrawn_at:
            raise ValidationError(_("This award decision was withdrawn."))
        d.evidence_received_at = now or timezone.now()
        d.save(update_fields=["evidence_received_at"])
        record("evaluation.evidence_received", actor=actor, municipality=_municipalities(d), obj=d, summary={})
        return d


def register_proceedings(decision, *, actor, claimant: str, now=None) -> SummaryProceedings:
    """Summary proceedings against the decision; registered within the standstill they suspend the definitive
    award until the judgment is recorded."""
    if not claimant.strip():
        raise ValidationError(_("Name the claimant."))
    with transaction.atomic():
        d = AwardDecision.objects.select_for_update().get(pk=decision.pk)
        row = SummaryProceedings.objects.create(
            decision=d, claimant=claimant.strip(), registered_at=now or timezone.now()
        )
        record(
            "evaluation.proceedings_registered",
            actor=actor,
            municipality=_municipalities(d),
            obj=row,
            summary={"within_standstill": row.registered_at < d.standstill_ends_at},
        )
        return row


def record_judgment(proceedings, *, actor, judgment: str, now=None) -> SummaryProceedings:
    if not judgment.strip():
        raise ValidationError(_("Summarise the judgment."))
    with transaction.atomic():
        row = SummaryProceedings.objects.select_for_update().get(pk=proceedings.pk)
        row.judgment, row.judgment_at = judgment.strip(), now or timezone.now()
        row.save(update_fields=["judgment", "judgment_at"])
        record("evaluation.judgment_recorded", actor=actor, municipality=_municipalities(row.decision), obj=row)
        return row


def request_debriefing(decision, *, actor, submission, question: str, now=None) -> DebriefingRequest:
    now = now or timezone.now()
    if not question.strip():
        raise ValidationError(_("Ask your question."))
    if not decision.letters.filter(submission=submission).exists():
        raise ValidationError(_("Only a tenderer in this lot can ask for the reasons."))
    with transaction.atomic():
        row = DebriefingRequest.objects.create(
            decision=decision,
            submission=submission,
            question=question.strip(),
            received_at=now,
            due_at=award_rules.debriefing_due(now),
        )
        record("evaluation.debriefing_requested", actor=actor, municipality=_municipalities(decision), obj=row)
        return row


def answer_debriefing(request, *, actor, answer: str, now=None) -> DebriefingRequest:
    if not answer.strip():
        raise ValidationError(_("Write the answer."))
    with transaction.atomic():
        row = DebriefingRequest.objects.select_for_update().get(pk=request.pk)
        row.answer, row.answered_at = answer.strip(), now or timezone.now()
        row.save(update_fields=["answer", "answered_at"])
        record(
            "evaluation.debriefing_answered",
            actor=actor,
            municipality=_municipalities(row.decision),
            obj=row,
            summary={"in_time": row.answered_at <= row.due_at},
        )
        return row


def make_definitive(decision, *, actor, now=None) -> AwardDecision:
    """After the standstill, with the winner's evidence in and no pending summary proceedings: the award becomes
    definitive and the later stages (contracts) make their records in the same transaction."""
    now = now or timezone.now()
    with transaction.atomic():
        _lock(decision.lot)
        d = AwardDecision.objects.select_for_update().get(pk=decision.pk)
        errors = award_rules.definitive_errors(d, now)
        if errors:
            raise ValidationError(errors)
        d.definitive_at = now
        d.save(update_fields=["definitive_at"])
        record(
            "evaluation.award_definitive",
            actor=actor,
            municipality=_municipalities(d),
            obj=d,
            summary={"lot": d.lot.number, "winner": d.winner_id},
        )
        events.award_definitive.send(sender=AwardDecision, decision=d, actor=actor)
        return d
