"""The selection stage (preselection and competitive dialogue): candidates apply, are admitted or rejected along
the candidate transition table of tenders.rules, and take part in the dialogue."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import diff
from core.access import represented_organisation_ids

from .. import rules
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
    `max_candidates` are admitted; a rejection states its reasons (Aw 2.130). A decision can be revised until the
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
def select_for_phase_2(commissioning, user, candidates):
    """Aw 2.30: reduce the number of participants; at most `max_dialogue_participants` of the admitted candidates
    go on to dialogue phase 2."""
    c = _lock(commissioning)
    if not rules.may_select_for_phase_2(c):
        raise ValidationError(_("Participants are selected for phase 2 after dialogue phase 1."))
    candidates = list(candidates)
    if not candidates:
        raise ValidationError(_("Select at least one participant."))
    ids = {p.pk for p in candidates}
    if c.candidates.filter(pk__in=ids, status=ADMITTED).count() != len(ids):
        raise ValidationError(_("Select admitted participants of this dialogue."))
    limit = c.max_dialogue_participants
    if limit and len(candidates) > limit:
        raise ValidationError(_("At most %(n)s participants go on to dialogue phase 2.") % {"n": limit})
    c.candidates.update(selected_for_phase_2=False)
    c.candidates.filter(pk__in=ids).update(selected_for_phase_2=True)
    _audit("tenders.dialogue_select", c, user, summary={"selected": sorted(p.name for p in candidates)})


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
