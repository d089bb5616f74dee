"""Objective selection and the competitive dialogue: the selection method announced before publication, admission
that follows the scores, the minimum number of candidates invited, the reduction of participants between the
dialogue phases, and the recorded grounds for the procedure and the lots. Pure reads: the services and
tenders.rules (publish_errors, transition_errors) call them and refuse what they report.

Legal basis: Directive 2014/24/EU art. 26(4) and Aw 2.28 (grounds for the competitive dialogue), art. 30(4) and 66
(reduction between dialogue phases, announced, by the award criteria, enough left for real competition), art. 46 and
Aw 1.5 (lots), art. 55(2) (reasons to the candidates and participants left out), art. 65(2) (objective selection, at
least 5 invited in the restricted procedure and 3 in a competitive dialogue where enough qualify). The tie-break rule
is published for every route (ADR 0004: ties are broken by the published rule, not by rescaling)."""

from django.utils.translation import gettext as _

from . import rules  # a circular import by design: rules calls this module, both read each other at call time
from .models import Candidate, Route

CS = Candidate.Status

# Directive 2014/24/EU art. 65(2): the minimum number of candidates invited under the EU regime, per route.
MINIMUM_INVITED = {Route.PRESELECTION: 5, Route.COMPETITIVE_DIALOGUE: 3}
# Directive art. 66 (and 30(4)): in the final stage of a dialogue enough solutions remain for real competition.
MINIMUM_DIALOGUE_FINALISTS = 3

SELECTION_ROUTES = (Route.PRESELECTION, Route.COMPETITIVE_DIALOGUE)


def minimum_invited(commissioning, regime: str) -> int:
    """How many candidates must at least be invited (where enough qualify): 5 or 3 under the EU regime, else 1."""
    if regime == rules.REGIME_EUROPEAN:
        return MINIMUM_INVITED.get(commissioning.route, 1)
    return 1


def minimum_finalists(regime: str) -> int:
    """Directive art. 66: at least 3 solutions remain in the final dialogue phase under the EU regime, else 1."""
    return MINIMUM_DIALOGUE_FINALISTS if regime == rules.REGIME_EUROPEAN else 1


def method_errors(commissioning, regime: str) -> list[str]:
    """What the documents must announce before publication: the tie-break rule (every route), the selection method
    with a maximum that invites enough candidates (art. 65(2)), the dialogue reduction if any (art. 66), the grounds
    for the competitive dialogue (Aw 2.28) and the reasons for a single lot (art. 46; Aw 1.5)."""
    c = commissioning
    errors = []
    if not c.tie_break.strip():
        errors.append(_("Publish the tie-break rule: how equal scores are decided."))
    if c.route in SELECTION_ROUTES:
        if not c.selection_scoring.strip():
            errors.append(_("Describe how the selection criteria are scored."))
        if c.selection_minimum_score is not None and c.selection_minimum_score > 100:
            errors.append(_("The minimum score to qualify is a whole number from 0 to 100."))
        minimum = minimum_invited(c, regime)
        if c.max_candidates and c.max_candidates < minimum:
            errors.append(
                _(
                    "Under the European regime at least %(n)s candidates are invited where enough qualify "
                    "(Directive 2014/24/EU art. 65(2)): the maximum number of candidates cannot be lower."
                )
                % {"n": minimum}
            )
    if c.route == Route.COMPETITIVE_DIALOGUE:
        errors += _dialogue_errors(c, regime)
    return errors + lot_errors(c)


def _dialogue_errors(c, regime: str) -> list[str]:
    errors = []
    if not c.procedure_grounds.strip():
        errors.append(_("Record the grounds for choosing the competitive dialogue (Aw 2.28)."))
    if c.dialogue_reduction:
        if not c.dialogue_reduction_method.strip():
            errors.append(_("Describe how the participants are reduced after dialogue phase 1."))
        if not c.max_dialogue_participants:
            errors.append(_("Set the maximum number of participants in dialogue phase 2."))
        elif c.max_dialogue_participants < minimum_finalists(regime):
            errors.append(
                _(
                    "Under the European regime at least %(n)s participants remain in dialogue phase 2 where enough "
                    "solutions qualify (Directive 2014/24/EU art. 66)."
                )
                % {"n": minimum_finalists(regime)}
            )
    elif c.max_dialogue_participants and (not c.max_candidates or c.max_dialogue_participants < c.max_candidates):
        errors.append(
            _(
                "A maximum for dialogue phase 2 reduces the participants: announce the reduction and how it is "
                "done, or leave the maximum empty."
            )
        )
    return errors


def lot_errors(commissioning) -> list[str]:
    """Directive art. 46(1), Aw 1.5: a contract not divided into lots states the main reasons (grant rounds are no
    public contract)."""
    c = commissioning
    if c.route == Route.GRANT_ROUND or c.lot_reasons.strip():
        return []
    if c.lots.count() == 1:
        return [_("Give the reasons for not dividing the contract into lots (Aw 1.5).")]
    return []


# --- Admission follows the scores ---------------------------------------------------------------------------------
def qualifies(score, minimum_score) -> bool:
    """A candidate qualifies with a score at or above the announced minimum (a rejection without a score does not
    qualify: it fails a requirement or an exclusion ground, stated in its reasons)."""
    return score is not None and (minimum_score is None or score >= minimum_score)


def decision_errors(commissioning, candidate, *, admit: bool, score) -> list[str]:
    """Directive art. 65(2): one decision may not contradict the ranking of those already decided: admitting a
    candidate while a qualified one scoring higher is rejected, or rejecting a qualified candidate while one scoring
    lower is admitted (equal scores are left to the announced tie-break rule)."""
    minimum = commissioning.selection_minimum_score
    others = commissioning.candidates.exclude(pk=candidate.pk).exclude(status=CS.APPLIED).select_related("organisation")
    if admit:
        rejected = [o for o in others if o.status == CS.REJECTED and qualifies(o.selection_score, minimum)]
        if higher := [o.name for o in rejected if o.selection_score > score]:
            message = _("%(names)s scored higher and was rejected: revise that decision first.")
            return [message % {"names": ", ".join(higher)}]
        return []
    if not qualifies(score, minimum):
        return []
    if lower := [o.name for o in others if o.status == CS.ADMITTED and (o.selection_score or 0) < score]:
        message = _("%(names)s scored lower and was admitted: revise that decision first.")
        return [message % {"names": ", ".join(lower)}]
    return []


def admission_errors(commissioning, regime: str) -> list[str]:
    """Directive art. 65(2) and 55(2): the admitted candidates are exactly the best-scoring qualified ones, up to the
    announced maximum; ties at the cut-off are decided by the announced tie-break rule (the reasons of the
    candidate left out state it). Fewer than the legal minimum may go on only when no more qualify."""
    c = commissioning
    decided = [cand for cand in c.candidates.select_related("organisation") if cand.status != CS.APPLIED]
    admitted = [cand for cand in decided if cand.status == CS.ADMITTED]
    errors = []
    unscored = [cand.name for cand in admitted if cand.selection_score is None]
    if unscored:
        errors.append(_("Admitted without a score: %(names)s.") % {"names": ", ".join(unscored)})
    minimum = c.selection_minimum_score
    below = [
        cand.name
        for cand in admitted
        if cand.selection_score is not None and not qualifies(cand.selection_score, minimum)
    ]
    if below:
        errors.append(_("Admitted below the minimum score: %(names)s.") % {"names": ", ".join(below)})
    qualified = [cand for cand in decided if qualifies(cand.selection_score, minimum)]
    expected = min(c.max_candidates or len(qualified), len(qualified))
    if len(admitted) != expected:
        errors.append(
            _("%(q)s candidates qualify and at most %(max)s are admitted: admit %(n)s, the best-scoring ones.")
            % {"q": len(qualified), "max": c.max_candidates or len(qualified), "n": expected}
        )
    passed_over = [cand for cand in qualified if cand.status == CS.REJECTED]
    if admitted and passed_over:
        lowest = min(cand.selection_score or 0 for cand in admitted)
        better = [cand.name for cand in passed_over if cand.selection_score > lowest]
        if better:
            errors.append(
                _("Rejected while scoring higher than an admitted candidate: %(names)s.") % {"names": ", ".join(better)}
            )
    return errors


def admission_shortfall(commissioning, regime: str) -> dict | None:
    """When fewer candidates qualify than the legal minimum, the procedure continues with those who qualify
    (Directive art. 65(2)); this is what the transition records."""
    minimum = minimum_invited(commissioning, regime)
    admitted = commissioning.candidates.filter(status=CS.ADMITTED).count()
    if admitted < minimum:
        return {"admitted": admitted, "legal_minimum": minimum, "note": "fewer qualified than the minimum"}
    return None


# --- Reduction between the dialogue phases ------------------------------------------------------------------------
def reduction_errors(commissioning, regime: str, participants, selected_ids, scores, reasons) -> list[str]:
    """Directive art. 66, 30(4), 55(2): the participants of dialogue phase 1 (`participants`) go on to phase 2
    (`selected_ids`) all of them, or, when the documents announced a reduction, the best-scoring on the award
    criteria applied to their solutions (`scores`, by candidate id), up to the announced maximum and at least 3
    under the EU regime where enough solutions qualify; each participant left out is told why (`reasons`)."""
    c = commissioning
    ids = {p.pk for p in participants}
    if not selected_ids:
        return [_("Select at least one participant.")]
    if not set(selected_ids) <= ids:
        return [_("Select admitted participants of this dialogue.")]
    limit = c.max_dialogue_participants or len(ids)
    if len(selected_ids) > limit:
        return [_("At most %(n)s participants go on to dialogue phase 2.") % {"n": limit}]
    if set(selected_ids) == ids:
        return []
    if not c.dialogue_reduction:
        return [_("The documents did not announce a reduction: every participant goes on to dialogue phase 2.")]
    errors = []
    names = {p.pk: p.name for p in participants}
    out = ids - set(selected_ids)
    if missing := [names[i] for i in sorted(selected_ids) if scores.get(i) is None]:
        errors.append(_("Score the solution of %(names)s on the award criteria.") % {"names": ", ".join(missing)})
    if silent := [names[i] for i in sorted(out) if not (reasons.get(i) or "").strip()]:
        errors.append(_("Give the reasons to %(names)s.") % {"names": ", ".join(silent)})
    qualified = [i for i in ids if scores.get(i) is not None]
    expected = min(limit, len(qualified))
    if len(selected_ids) != expected:
        errors.append(
            _("%(q)s solutions were scored and at most %(max)s go on: select %(n)s, the best-scoring ones.")
            % {"q": len(qualified), "max": limit, "n": expected}
        )
    floor = minimum_finalists(regime)
    if len(selected_ids) < floor and len(qualified) >= floor:
        errors.append(_("At least %(n)s participants remain for real competition.") % {"n": floor})
    kept = [scores[i] for i in selected_ids if scores.get(i) is not None]
    if kept and (better := [names[i] for i in sorted(out) if (scores.get(i) or -1) > min(kept)]):
        errors.append(
            _("Left out while scoring higher than a selected participant: %(names)s.") % {"names": ", ".join(better)}
        )
    return errors
