"""The consortium of a submission: rings of participations that each operator confirms itself, the subcontract
commitments, the self-declarations (Directive 2014/24/EU art. 57) and reliance on another's capacity (art. 63).

Changes only while the submission is a draft and before the deadline (bids.rules.consortium_change_errors).
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from landscape.models import Activity, District

from .. import declarations, rules
from ..models import Declaration, Participation, SubcontractCommitment, Submission
from ._helpers_b2 import _audit_event, _fail

Ring = Participation.Ring
PS = Participation.Status


def _lock_submission(submission) -> Submission:
    """Locked for a change of the consortium: the revision is counted up (see _submission_common._lock_for_edit)."""
    s = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("commissioning", "lot", "lead")
        .get(pk=submission.pk)
    )
    Submission.objects.filter(pk=s.pk).update(revision=F("revision") + 1)
    s.revision += 1
    return s


def _audit(action, submission, user, obj, summary=None):
    _audit_event(action, actor=user, obj=obj, municipality=submission.commissioning.municipalities(), summary=summary)


def _open_for(submission, now):
    _fail(rules.consortium_change_errors(submission, now))


def _lead_only(user, submission):
    if not rules.may_edit_consortium(user, submission):
        raise ValidationError(_("Only the lead's colleagues can change the consortium."), code="forbidden")


def _ensure_lead(submission, user, now) -> tuple[Participation, bool]:
    lead = submission.participations.filter(ring=Ring.LEAD).first()
    if lead is not None:
        return lead, False
    lead = Participation.objects.create(
        submission=submission,
        operator=submission.lead,
        ring=Ring.LEAD,
        role=_("Lead"),
        status=PS.CONFIRMED,
        invited_by=user,
        invited_at=now,
        decided_by=user,
        decided_at=now,
    )
    return lead, True


def ensure_lead_participation(submission, user, now=None) -> Participation:
    """Ring 0 exists exactly once: the lead itself, confirmed by the member who creates the submission."""
    now = now or timezone.now()
    with transaction.atomic():
        submission = _lock_submission(submission)
        lead, created = _ensure_lead(submission, user, now)
        if created:
            _audit("bids.participation_lead", submission, user, lead, {"submission": submission.pk})
    return lead


def add_participation(submission, user, *, operator, ring: int, role: str = "", parent=None, now=None):
    """A member of the lead invites a registered, confirmed operator into a ring; the participation is pending
    until a member of that operator confirms it."""
    now = now or timezone.now()
    with transaction.atomic():
        submission = _lock_submission(submission)
        _lead_only(user, submission)
        _open_for(submission, now)
        _ensure_lead(submission, user, now)
        _fail(rules.add_participation_errors(submission, operator, ring, parent))
        participation = Participation.objects.create(
            submission=submission,
            operator=operator,
            ring=ring,
            role=(role or "").strip()[:255],
            parent=parent,
            invited_by=user,
            invited_at=now,
        )
        _audit(
            "bids.participation_add",
            submission,
            user,
            participation,
            {"submission": submission.pk, "operator": operator.pk, "ring": ring},
        )
    return participation


def decide_participation(participation, user, *, confirm: bool, now=None) -> Participation:
    """A member of the invited operator confirms or declines; a declined participation leaves the submission (its
    subcontractors under it too) and can be invited no more."""
    now = now or timezone.now()
    with transaction.atomic():
        submission = _lock_submission(participation.submission)
        participation = Participation.objects.select_for_update().get(pk=participation.pk)
        if not rules.may_decide_participation(user, participation):
            raise ValidationError(
                _("Only a member of the invited organisation can confirm or decline its participation."),
                code="forbidden",
            )
        _open_for(submission, now)
        target = PS.CONFIRMED if confirm else PS.DECLINED
        if not rules.participation_transition_allowed(participation.status, target):
            raise ValidationError(_("This invitation has been answered already."), code="transition")
        changed = [participation]
        if target == PS.DECLINED:
            changed += list(participation.children.select_for_update().exclude(status=PS.DECLINED).order_by("pk"))
        for p in changed:
            p.status, p.decided_by, p.decided_at = target, user, now
            p.save(update_fields=["status", "decided_by", "decided_at"])
        _audit(
            "bids.participation_decide",
            submission,
            user,
            participation,
            {"submission": submission.pk, "status": target, "also_declined": [p.pk for p in changed[1:]]},
        )
    return participation


def set_consortium_name(submission, user, name: str, now=None) -> Submission:
    now = now or timezone.now()
    with transaction.atomic():
        submission = _lock_submission(submission)
        _lead_only(user, submission)
        _open_for(submission, now)
        name = " ".join((name or "").split())[:255]
        before = submission.consortium_name
        submission.consortium_name = name
        submission.save(update_fields=["consortium_name"])
        _audit("bids.consortium_name", submission, user, submission, {"changed": before != name})
    return submission


# --- commitments --------------------------------------------------------------------------------------------------


def _decimal(value, field):
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value).replace(",", "."))
    except InvalidOperation as e:
        raise ValidationError({field: _("Give a number.")}) from e


def _landscape_scope(submission, activities, districts, continues_activity):
    """Activities, districts and the continued activity come from the landscape of the commissioning's
    municipalities; the continued activity is funded (landscape Funding)."""
    municipality_ids = [m.pk for m in submission.commissioning.municipalities()]
    activity_ids = {int(a.pk if hasattr(a, "pk") else a) for a in activities or []}
    district_ids = {int(d.pk if hasattr(d, "pk") else d) for d in districts or []}
    acts = list(Activity.objects.filter(pk__in=activity_ids, organisation__municipality_id__in=municipality_ids))
    dists = list(District.objects.filter(pk__in=district_ids, municipality_id__in=municipality_ids))
    errors = {}
    if len(acts) != len(activity_ids):
        errors["activities"] = _("Choose activities from the landscape of this commissioning's municipalities.")
    if len(dists) != len(district_ids):
        errors["districts"] = _("Choose districts of this commissioning's municipalities.")
    continued = None
    if continues_activity:
        pk = continues_activity.pk if hasattr(continues_activity, "pk") else int(continues_activity)
        continued = Activity.objects.filter(
            pk=pk, organisation__municipality_id__in=municipality_ids, fundings__isnull=False
        ).first()
        if continued is None:
            errors["continues_activity"] = _("Choose an activity the municipality funds today.")
    _fail(errors)
    return acts, dists, continued


def save_commitment(
    participation,
    user,
    *,
    commitment=None,
    amount_per_year=None,
    share_of_lot_budget=None,
    years=None,
    activities=(),
    districts=(),
    continues_activity=None,
    description="",
    now=None,
) -> SubcontractCommitment:
    """Record (or change) a structured commitment to a participant in rings 1–3. Together the commitments of the
    submission stay within the lot's fixed budget per year."""
    now = now or timezone.now()
    amount = _decimal(amount_per_year, "amount_per_year")
    share = _decimal(share_of_lot_budget, "share_of_lot_budget")
    with transaction.atomic():
        submission = _lock_submission(participation.submission)
        participation = Participation.objects.select_for_update().get(pk=participation.pk, submission=submission)
        _lead_only(user, submission)
        _open_for(submission, now)
        if commitment is not None:
            commitment = SubcontractCommitment.objects.select_for_update().get(
                pk=commitment.pk, participation=participation
            )
        others = SubcontractCommitment.objects.filter(participation__submission=submission).exclude(
            participation__status=PS.DECLINED
        )
        if commitment is not None:
            others = others.exclude(pk=commitment.pk)
        try:
            years = int(years) if years not in (None, "") else None
        except ValueError as e:
            raise ValidationError({"years": _("Give a number.")}) from e
        _fail(
            rules.commitment_errors(
                participation, amount_per_year=amount, share_of_lot_budget=share, years=years, others=list(others)
            )
        )
        acts, dists, continued = _landscape_scope(submission, activities, districts, continues_activity)
        created = commitment is None
        commitment = commitment or SubcontractCommitment(participation=participation)
        commitment.amount_per_year, commitment.share_of_lot_budget, commitment.years = amount, share, years
        commitment.continues_activity, commitment.description = continued, (description or "").strip()
        commitment.save()
        commitment.activities.set(acts)
        commitment.districts.set(dists)
        _audit(
            "bids.commitment_save",
            submission,
            user,
            commitment,
            {"submission": submission.pk, "participation": participation.pk, "created": created},
        )
    return commitment


def delete_commitment(commitment, user, now=None) -> None:
    now = now or timezone.now()
    with transaction.atomic():
        submission = _lock_submission(commitment.participation.submission)
        _lead_only(user, submission)
        _open_for(submission, now)
        commitment = SubcontractCommitment.objects.select_for_update().get(pk=commitment.pk)
        _audit(
            "bids.commitment_delete",
            submission,
            user,
            commitment,
            {"submission": submission.pk, "participation": commitment.participation_id},
        )
        commitment.delete()


# --- self-declaration (art. 57) and reliance (art. 63) --------------------------------------------------------


def declare(participation, user, answers: dict, now=None) -> Declaration:
    """A member of the participating operator itself answers every exclusion ground (a yes with an explanation).
    Declaring again replaces the earlier answers."""
    now = now or timezone.now()
    with transaction.atomic():
        submission = _lock_submission(participation.submission)
        participation = Participation.objects.select_for_update().get(pk=participation.pk)
        if not rules.is_member(user, participation.operator):
            raise ValidationError(_("Only a member of the organisation itself can make its declaration."), "forbidden")
        if participation.status == PS.DECLINED:
            raise ValidationError(_("This organisation declined to take part."), code="declined")
        _open_for(submission, now)
        _fail(rules.declaration_errors(answers))
        clean = {
            code: declarations.seal_answer(
                participation.pk,
                code,
                answers[code]["applies"],
                str(answers[code].get("explanation", "")).strip() if answers[code]["applies"] else "",
            )
            for code in rules.EXCLUSION_CODES
        }
        declaration, created = Declaration.objects.update_or_create(
            participation=participation, defaults={"answers": clean, "declared_by": user, "declared_at": now}
        )
        # Never the answers themselves: only that a declaration was made.
        _audit(
            "bids.declaration",
            submission,
            user,
            declaration,
            {"submission": submission.pk, "participation": participation.pk, "created": created},
        )
    return declaration


def set_reliance(participation, user, relied_on, now=None) -> Participation:
    """Directive 2014/24/EU art. 63: the participation relies on the capacity of these other participations. Set
    by a member of the participant itself or of the lead."""
    now = now or timezone.now()
    with transaction.atomic():
        submission = _lock_submission(participation.submission)
        participation = Participation.objects.select_for_update().get(pk=participation.pk)
        if not (rules.is_member(user, participation.operator) or rules.may_edit_consortium(user, submission)):
            raise ValidationError(_("Only the participant itself or the lead can state this."), code="forbidden")
        _open_for(submission, now)
        others = list(relied_on)
        _fail([message for other in others for message in rules.reliance_errors(participation, other)])
        participation.relies_on.set(others)
        _audit(
            "bids.reliance",
            submission,
            user,
            participation,
            {"submission": submission.pk, "relies_on": sorted(p.pk for p in others)},
        )
    return participation
