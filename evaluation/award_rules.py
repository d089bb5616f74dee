"""May the award go on now? The award decision (Aw 2.130) follows the consensus ranking, from which a bid below a
criterion's published minimum score is excluded (Aw 2.115, Directive art. 67); the standstill period
(Aw 2.127, evaluation.standstill) must have passed, the winner's evidence be in (Directive 2014/24/EU art. 59(4))
and no summary proceedings registered within the standstill be pending, before the award becomes definitive and a
contract may exist. Reads only; `now` is the server clock unless given."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from tenders.models import Phase, Route

from . import rules, selectors
from .models import AwardDecision, CriteriaSnapshot

DEBRIEFING_DAYS = 15  # Directive 2014/24/EU art. 55(2): "as quickly as possible and in any event within 15 days"


def standing_decision(lot) -> AwardDecision | None:
    return AwardDecision.objects.filter(lot=lot, withdrawn_at__isnull=True).first()


def decide_errors(lot, winner, characteristics: str, tie_break: str = "") -> list[str]:
    errors = []
    c = lot.commissioning
    if c.phase != Phase.EVALUATION:
        errors.append(_("An award decision is taken in the evaluation phase."))
    if c.route == Route.GRANT_ROUND:  # a subsidy is not a public contract: grant decisions instead (ADR 0010)
        errors.append(_("A grant round ends in grant decisions for every applicant, not in an award decision."))
    committee = lot.committees.first()
    snapshot = CriteriaSnapshot.objects.filter(commissioning=c).first()
    if committee is None or snapshot is None:
        return [*errors, _("This lot has no evaluation committee yet.")]
    ranking = selectors.ranking(committee, snapshot)
    excluded = selectors.excluded(committee, snapshot)
    bids = selectors.bids_of(committee)
    if not bids:
        errors.append(_("This lot has no opened bids."))
    elif len(ranking) + len(excluded) < len(bids):
        errors.append(_("Record the consensus on every criterion of every bid first."))
    elif not ranking:
        errors.append(
            _(
                "Every bid scores lower than the minimum score of a criterion: no bid can be awarded this lot. "
                "Consider cancelling the procedure for this lot."
            )
        )
    else:
        first = [r for r in ranking if r["rank"] == 1]
        if winner.pk not in {r["submission"].pk for r in first}:
            errors.append(_("The winner is the bid with the highest total."))
        elif len(first) > 1 and not tie_break.strip():
            errors.append(_("Equal totals: state how the published tie-break rule decided."))
    if standing_decision(lot) is not None:
        errors.append(_("This lot already has an award decision; withdraw it first."))
    if len((characteristics or "").strip()) < rules.MIN_REASON_CHARS:
        errors.append(_("Describe the characteristics and relative advantages of the winning bid (Aw 2.130)."))
    return errors


def pending_proceedings(decision):
    return decision.proceedings.filter(registered_at__lt=decision.standstill_ends_at, judgment_at__isnull=True)


def definitive_errors(decision, now=None) -> list[str]:
    now = now or timezone.now()
    errors = []
    if decision.withdrawn_at:
        errors.append(_("This award decision was withdrawn."))
    if decision.definitive_at:
        errors.append(_("This award is already definitive."))
    if now < decision.standstill_ends_at:
        errors.append(
            _("The standstill period runs until %(end)s (Aw 2.127).")
            % {"end": decision.standstill_last_day.strftime("%d-%m-%Y") + " 24:00"}
        )
    if decision.evidence_received_at is None:
        errors.append(_("The winner's evidence for its self-declaration is not in yet (Directive art. 59(4))."))
    if pending_proceedings(decision).exists():
        errors.append(_("Summary proceedings are pending: wait for the judgment."))
    return errors


def debriefing_due(received_at):
    return received_at + timedelta(days=DEBRIEFING_DAYS)


def lots_without_definitive_award(commissioning) -> list:
    """Lots with opened bids whose award is not definitive: the procedure cannot be awarded yet."""
    missing = []
    for lot in commissioning.lots.all():
        decision = standing_decision(lot)
        if decision is None or decision.definitive_at is None:
            missing.append(lot)
    return missing
