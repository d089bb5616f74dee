"""The selection stage (preselection and competitive dialogue): candidates apply, are admitted or rejected along
the candidate transition table of tenders.rules, and take part in the dialogue."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import diff
from core.access import represented_organisation_ids

from .. import intake, regime, rules, selection_rules
from ..models import Candidate, DialogueSession, Phase
from ._common import _audit, _aware, _lock

ADMITTED = Candidate.Status.ADMITTED


@transaction.atomic
def apply_as_candidate(commissioning, user, *, organisation, now=None):
    """A provider representative applies for an organisation they represent, alone, in a procedure whose requests
    to participate are not received as sealed submissions (tenders.intake; ADR 0011)."""
    now = now or timezone.now()
    c = _lock(commissioning)
    if intake.sealed_requests(c):
        raise ValidationError(
            _("In this procedure you request to participate with a sealed request, alone or as a consortium.")
        )
    if not rules.applications_open(c, now):
        raise ValidationError(_("Applications are closed: the deadline for requests to participate has passed."))
    if organisation.pk not in represented_organisation_ids(user):
        raise ValidationError({"organisation": _("Apply for an organisation you represent.")})
    if c.candidates.filter(organisation=organisation).exists():
        raise ValidationError({"organisation": _("This organisation has already applied.")})
    candidate = Candidate.objects.create(
        commissioning=c,
        organisation=organisation,
        display_name=organisation.name,
        members=[{"name": organisation.name, "ring": 0, "role": "", "registration": ""}],
        applied_by=user,
        applied_at=now,
    )
    _audit("tenders.candidate_apply", c, user, obj=candidate, summary={"organisation": organisation.name})
    return candidate


def _clean_members(members) -> list[dict]:
    """The participants as stored: exactly one lead (ring 0), first; rings 1–3 after it; names required."""
    cleaned = []
    for m in members or []:
        name = str(m.get("name") or "").strip()
        ring = m.get("ring")
        if not name or ring not in (0, 1, 2, 3):
            raise ValueError(f"A participant needs a name and a ring 0–3: {m!r}")
        row = {"name": name[:255], "ring": ring, "role": str(m.get("role") or "").strip()[:255]}
        row["registration"] = str(m.get("registration") or "").strip()[:64]
        cleaned.append(row)
    if sum(1 for m in cleaned if m["ring"] == 0) != 1:
        raise ValueError("A candidate has exactly one lead (ring 0).")
    return sorted(cleaned, key=lambda m: m["ring"])


@transaction.atomic
def register_candidate(
    commissioning, actor, *, display_name, members, applied_at, organisation=None, applied_by=None, now=None
):
    """Create the candidate of one opened request to participate (ADR 0011). Called by the stage that received the
    request sealed (bids, when two openers have opened the requests): after the deadline for requests, during the
    selection stage, never before (Directive 2014/24/EU art. 22(3): requests are examined only after their time
    limit). `members` is the participation structure of the sealed request, lead first; `organisation` the lead's
    landscape organisation when it has one (stored without it when another candidate already has it)."""
    now = now or timezone.now()
    c = _lock(commissioning)
    if c.route not in rules.SELECTION_ROUTES or not rules.may_decide_candidates(c):
        raise ValidationError(_("Candidates are registered during the selection stage."))
    deadline = rules.requests_deadline(c)
    if deadline is None or now < deadline.at:
        raise ValidationError(_("Requests to participate are opened after their deadline, not before."))
    if applied_at is None or applied_at >= deadline.at:
        raise ValidationError(_("This request to participate was not received before the deadline."))
    members = _clean_members(members)
    display_name = (display_name or "").strip()[:255] or members[0]["name"]
    if organisation is not None and c.candidates.filter(organisation=organisation).exists():
        organisation = None
    candidate = Candidate.objects.create(
        commissioning=c,
        organisation=organisation,
        display_name=display_name,
        members=members,
        applied_by=applied_by,
        applied_at=applied_at,
    )
    _audit(
        "tenders.candidate_register",
        c,
        actor,
        obj=candidate,
        summary={"name": display_name, "participants": len(members), "organisation": organisation is not None},
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
    2014/24/EU art. 66, 30(4), 55(2); Aw 2.111). The scores and reasons are recorded on the candidates."""
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
