"""May this submission happen now? Which phase receives which kind of submission, its deadline, who may start,
edit and submit one. Pure reads (docs/conventions.md); bids.services.submission enforces them under the lock of
the commissioning (ADR 0008, "Moment of receipt")."""

from django.utils.translation import gettext as _

from tenders import rules as tender_rules
from tenders import selectors as tender_selectors
from tenders.models import Phase

from .models import OperatorMatch, OperatorMember, Participation, Submission


def receiving_phase(commissioning, kind: str) -> str | None:
    """The phase in which the route receives submissions of `kind`: requests to participate in the selection stage,
    bids in the phase that closes at the route's submission deadline (bids or final bids)."""
    if kind == Submission.Kind.REQUEST:
        return Phase.SELECTION if commissioning.route in tender_rules.SELECTION_ROUTES else None
    closing = tender_rules.SUBMISSION_DEADLINE[commissioning.route]
    for phase in tender_rules.phases_of(commissioning.route):
        if tender_rules.CLOSES_AT.get(phase) == closing:
            return phase
    return None


def deadline_kind(commissioning, kind: str) -> str | None:
    phase = receiving_phase(commissioning, kind)
    return tender_rules.CLOSES_AT.get(phase) if phase else None


def deadline(commissioning, kind: str):
    """The moment (aware datetime) after which submissions of `kind` are refused, or None."""
    closing = deadline_kind(commissioning, kind)
    if closing is None:
        return None
    found = [d.at for d in commissioning.deadlines.all() if d.kind == closing]
    return found[0] if found else None


def is_late(commissioning, kind: str, now) -> bool:
    at = deadline(commissioning, kind)
    return at is not None and now >= at


def receiving(commissioning, kind: str, now) -> bool:
    """Submissions of `kind` are received: the procedure is in the receiving phase and the deadline has not come."""
    at = deadline(commissioning, kind)
    return (
        commissioning.is_published
        and commissioning.phase == receiving_phase(commissioning, kind)
        and at is not None
        and now < at
    )


def closed_message(commissioning, kind: str, now) -> str:
    if is_late(commissioning, kind, now):
        return _("The deadline has passed: submissions are no longer accepted (server clock).")
    return _("This procedure does not receive this kind of submission now.")


def member_operator_ids(user) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(OperatorMember.objects.filter(user=user).values_list("operator_id", flat=True))


def is_member(user, operator) -> bool:
    return operator.pk in member_operator_ids(user)


def eligibility_errors(operator, commissioning, kind: str) -> list[str]:
    """May this operator lead a submission of `kind`? Open procedure: any operator with a confirmed e-mail address.
    Bids after a selection stage: only invited candidates (the candidate of the operator's own opened request, or
    matched through the operator's confirmed link to a landscape organisation). Requests to participate: any operator
    with a confirmed e-mail address."""
    if operator.email_confirmed_at is None:
        return [_("Confirm your organisation's e-mail address first.")]
    if kind == Submission.Kind.BID and commissioning.route in tender_rules.SELECTION_ROUTES:
        organisations = OperatorMatch.objects.filter(
            operator=operator, status=OperatorMatch.Status.CONFIRMED
        ).values_list("organisation_id", flat=True)
        # The candidate its own opened request became (ADR 0011), also without a landscape match.
        own_candidates = Submission.objects.filter(
            commissioning=commissioning, kind=Submission.Kind.REQUEST, lead=operator, candidate__isnull=False
        ).values_list("candidate_id", flat=True)
        invited = tender_selectors.invited_candidate_ids(commissioning, own_candidates) or any(
            tender_selectors.invited(commissioning, org) for org in organisations
        )
        if not invited:
            return [_("Only invited candidates may bid in this procedure.")]
    return []


def reader_operator_ids(submission) -> set[int]:
    """Operators whose members may read and edit the draft: every confirmed participation (the lead's included)."""
    return set(
        submission.participations.filter(status=Participation.Status.CONFIRMED).values_list("operator_id", flat=True)
    )


def may_edit(user, submission, member_ids: set[int] | None = None) -> bool:
    """`member_ids`: member_operator_ids(user), when the caller already read them in this request."""
    members = member_operator_ids(user) if member_ids is None else member_ids
    return bool(members & reader_operator_ids(submission))


def may_submit(user, submission, member_ids: set[int] | None = None) -> bool:
    """Only the lead submits and withdraws."""
    return submission.lead_id in (member_operator_ids(user) if member_ids is None else member_ids)


def pending_errors(submission) -> list[str]:
    pending = submission.participations.filter(status=Participation.Status.PENDING).count()
    if pending:
        return [_("%(n)s participant(s) have not confirmed their participation yet.") % {"n": pending}]
    return []


def submission_kinds(commissioning) -> list[str]:
    kinds = [Submission.Kind.BID]
    if commissioning.route in tender_rules.SELECTION_ROUTES:
        kinds.insert(0, Submission.Kind.REQUEST)
    return kinds


def open_kinds(commissioning, now) -> list[str]:
    return [kind for kind in submission_kinds(commissioning) if receiving(commissioning, kind, now)]


def may_start_any(user, commissioning, now) -> bool:
    """Show the way in to bid: the user acts for a registered operator and the procedure receives submissions."""
    return bool(member_operator_ids(user)) and bool(open_kinds(commissioning, now))
