"""The selection stage (preselection and competitive dialogue): candidates apply, are admitted or rejected along
the candidate transition table of tenders.rules, and take part in the dialogue."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import diff
from core.access import represented_organisation_ids

from .. import regime, rules, selection_rules
from ..models import Candidate, DialogueSession, Phase
from ._common import _audit, _aware, _lock

ADMITTED = Candidate.Status.ADMITTED


@transaction.atomic
def apply_as_candidate(commissioning, user, *, organisation, consortium_name="", now=None):
    """A provider representative applies for an organisation they represent, alone or as the lead of a consortium."""
    now = now or timezone.now()
    c = _lock(commissioning)
    if not rules.applications_open(c, now):
        raise ValidationError(_("Applications are closed: the deadline for requests to participate has passed."))
    if organisation.pk not in represented_organisation_ids(user):
        raise ValidationError({"organisation": _("Apply for an organisation you represent.")})
    if c.candidates.filter(organisation=organisation).exists():
        raise ValidationError({"organisation": _("This organisation has already applied.")})
    candidate = Candidate.objects.create(
        commissioning=c,
        organisation=organisation,
        consortium_name=consortium_name.strip(),
        applied_by=user,
        applied_at=now,
    )
    _audit(
        "tenders.candidate_apply",
        c,
        user,
        obj=candidate,
        summary={"organisation": organisation.name, "consortium": candidate.consortium_name},
    )
    return candidate


@transaction.atomic
def decide_candidate(candidate, user, *, admit=None, status=None, reasons: str = "", score=None, now=None):
    """Score a candidate against the selection criteria and admit or reject it (`admit=True/False`, or the new
    `status`), after the deadline for requests (when every application is in, so all are judged alike). At most
    `max_candidates` are admitted, each with a score at or above the announced minimum; a rejection states its
    reasons (Directive 2014/24/EU art. 55(2)). That the admitted are exactly the best-scoring is checked when the
    selection stage ends (selection_rules.admission_errors). A decision can be revised until the
    selection stage ends, along rules.CANDIDATE_TRANSITIONS (never back to *applied*)."""
    now = now or timezone.now()
    if (admit is None) == (status is None):
        raise ValueError("Give either admit or status.")
    to_status = status if status is not None else (ADMITTED if admit else Candidate.Status.REJECTED)
    c = _lock(candidate.commissioning)
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk, commissioning=c)
    if not rules.may_decide_candidates(c):
        raise ValidationError(_("Candidates are admitted or rejected during the selection stage."))
    if not rules.candidate_transition_allowed(candidate.status, to_status):
        label = dict(Candidate.Status.choices).get(to_status, to_status)
        raise ValidationError(
            _("A candidate cannot go from “%(a)s” to “%(b)s”.")
            % {"a": Candidate.Status(candidate.status).label, "b": label}
        )
    admit = to_status == ADMITTED
    deadline = rules.requests_deadline(c)
    if deadline is None or now < deadline.at:
        raise ValidationError(
            _("Candidates are assessed after the deadline for requests to participate, when every application is in.")
        )
    if score is not None and not 0 <= score <= 100:
        raise ValidationError({"score": _("A score is a whole number from 0 to 100.")})
    reasons = (reasons or "").strip()
    if not admit and not reasons:
        raise ValidationError({"reasons": _("Give the reasons for rejecting this candidate.")})
    if admit and score is None:
        raise ValidationError({"score": _("Score the candidate on the selection criteria before admitting it.")})
    if admit and not selection_rules.qualifies(score, c.selection_minimum_score):
        raise ValidationError({"score": _("The minimum score to qualify is %(n)s.") % {"n": c.selection_minimum_score}})
    if errors := selection_rules.decision_errors(c, candidate, admit=admit, score=score):
        raise ValidationError(errors)
    if admit and c.max_candidates:
        admitted = c.candidates.filter(status=ADMITTED).exclude(pk=candidate.pk).count()
        if admitted >= c.max_candidates:
            raise ValidationError(
                _("At most %(n)s candidates are admitted; reject another candidate first.") % {"n": c.max_candidates}
            )
    before = {"status": candidate.status, "score": candidate.selection_score}
    candidate.status = to_status
    candidate.selection_score, candidate.reasons = score, reasons
    candidate.decided_at, candidate.decided_by = now, user
    candidate.save()
    _audit(
        "tenders.candidate_decide",
        c,
        user,
        obj=candidate,
        summary=diff(before, {"status": candidate.status, "score": candidate.selection_score}),
    )
    return candidate


# --- competitive dialogue -----------------------------------------------------------------------------------------
@transaction.atomic
def select_for_phase_2(commissioning, user, candidates, *, scores=None, reasons=None):
    """Who goes on from dialogue phase 1 to phase 2: every participant, or, when the documents announced a reduction,
    the best-scoring on the award criteria applied to their solutions (`scores`: candidate → 0–100), up to
    `max_dialogue_participants`, with `reasons` (candidate → text) for each participant left out (Directive
    2014/24/EU art. 66, 30(4), 55(2); Aw 2.30). The scores and reasons are recorded on the candidates."""
    c = _lock(commissioning)
    if not rules.may_select_for_phase_2(c):
        raise ValidationError(_("Participants are selected for phase 2 after dialogue phase 1."))
    scores = {getattr(k, "pk", k): v for k, v in (scores or {}).items()}
    reasons = {getattr(k, "pk", k): (v or "").strip() for k, v in (reasons or {}).items()}
    if any(v is not None and not 0 <= v <= 100 for v in scores.values()):
        raise ValidationError(_("A score is a whole number from 0 to 100."))
    participants = list(c.candidates.select_for_update().filter(status=ADMITTED))
    selected = {p.pk for p in candidates}
    current = rules.check_threshold(c, regime.regime_date(c)).regime
    if errors := selection_rules.reduction_errors(c, current, participants, selected, scores, reasons):
        raise ValidationError(errors)
    for p in participants:
        p.selected_for_phase_2 = p.pk in selected
        p.solution_score = scores.get(p.pk)
        p.solution_reasons = reasons.get(p.pk, "")
        p.save(update_fields=["selected_for_phase_2", "solution_score", "solution_reasons"])
    summary = {
        "selected": sorted(p.name for p in participants if p.pk in selected),
        "scores": {p.name: p.solution_score for p in participants if p.solution_score is not None},
    }
    _audit("tenders.dialogue_select", c, user, summary=summary)


@transaction.atomic
def record_dialogue_session(candidate, user, *, held_at, minutes):
    c = _lock(candidate.commissioning)
    candidate = Candidate.objects.get(pk=candidate.pk, commissioning=c)
    if not rules.may_record_dialogue_session(c):
        raise ValidationError(_("Dialogue sessions are held during a dialogue phase."))
    if candidate.status != ADMITTED:
        raise ValidationError(_("Only admitted candidates take part in the dialogue."))
    if c.phase == Phase.DIALOGUE_2 and not candidate.selected_for_phase_2:
        raise ValidationError(_("This participant was not selected for dialogue phase 2."))
    _aware(held_at, "held_at")
    if not minutes.strip():
        raise ValidationError({"minutes": _("Write the minutes.")})
    session = DialogueSession.objects.create(
        candidate=candidate, phase=c.phase, held_at=held_at, minutes=minutes.strip(), recorded_by=user
    )
    # Minutes are confidential between the municipality and the participant: not in the audit summary.
    _audit("tenders.dialogue_session", c, user, obj=session, summary={"participant": candidate.name})
    return session
