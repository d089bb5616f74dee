"""Bids tells tenders that a selection procedure receives its requests to participate as sealed submissions
(tenders.intake, ADR 0011): its candidates are created by the opening, and the free apply route is closed; and which
of those candidates a user acts for (a member of the request's lead operator). Registered in BidsConfig.ready; reads
only."""

from tenders import intake

from .models import Submission
from .submission_rules import member_operator_ids, submission_kinds


@intake.register
def sealed_requests(commissioning) -> bool:
    return Submission.Kind.REQUEST in submission_kinds(commissioning)


@intake.register_speaker
def request_leads(user, commissioning) -> list[int]:
    """The candidates whose request was led by an operator the user is a member of."""
    return list(
        Submission.objects.filter(
            commissioning=commissioning,
            kind=Submission.Kind.REQUEST,
            candidate__isnull=False,
            lead_id__in=member_operator_ids(user),
        ).values_list("candidate_id", flat=True)
    )
