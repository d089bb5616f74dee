"""Bids tells tenders that a selection procedure receives its requests to participate as sealed submissions
(tenders.intake, ADR 0011): its candidates are created by the opening, and the free apply route is closed. Registered
in BidsConfig.ready; reads only."""

from tenders import intake

from .models import Submission
from .submission_rules import submission_kinds


@intake.register
def sealed_requests(commissioning) -> bool:
    return Submission.Kind.REQUEST in submission_kinds(commissioning)
