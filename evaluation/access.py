"""Who sees what of the evaluation, for the views and for bids' reading check (bids.access.register_reader_check):
an evaluator reads the opened bids of a lot only while seated on its committee with a declaration without conflict
(Directive 2014/24/EU art. 24); the procurement officer keeps access (bids decides that before asking us)."""

from django.http import Http404

from bids.models import OperatorMember, Submission
from core.access import roles_for
from core.models import MUNICIPAL_ROLES, Role

from .models import Member

# Who may sit on a committee: municipal staff and the municipality's social workers.
COMMITTEE_ROLES = frozenset(MUNICIPAL_ROLES | {Role.SOCIAL_WORKER})


def reader_check(user, submission) -> bool | None:
    """True/False for a bid of a lot with a committee: seated with a clean declaration, or not; an evaluator who is
    not seated on that lot's committee reads nothing. None (no opinion) for anything else."""
    if submission.kind != Submission.Kind.BID or submission.lot_id is None or not user.is_authenticated:
        return None
    seat = Member.objects.filter(user=user, committee__lot=submission.lot_id).first()
    if seat is not None:
        return seat.may_evaluate
    if any(Role.EVALUATOR in roles_for(user, m) for m in submission.commissioning.municipalities()):
        return False
    return None


def seat_of(user, pk: int) -> Member:
    """The user's own seat (404 for anyone else's: a seat's existence is not shown to others)."""
    seat = (
        Member.objects.select_related("committee__lot", "committee__commissioning__municipality", "user")
        .filter(pk=pk, user=user)
        .first()
    )
    if seat is None:
        raise Http404
    return seat


def operator_ids_of(user) -> set[int]:
    """The economic operators `user` acts for (bids.OperatorMember)."""
    if not user.is_authenticated:
        return set()
    return set(OperatorMember.objects.filter(user=user).values_list("operator_id", flat=True))
