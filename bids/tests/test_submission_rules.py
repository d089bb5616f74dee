"""Which phase receives which kind of submission, and where the closing guard is registered."""

from types import SimpleNamespace

import pytest

from bids import guards as bid_guards
from bids import submission_rules
from tenders import guards
from tenders.models import Phase, Route


@pytest.mark.parametrize(
    ("route", "bid_phase", "request_phase"),
    [
        (Route.OPEN, Phase.TENDERING, None),
        (Route.PRESELECTION, Phase.INVITATION, Phase.SELECTION),
        (Route.COMPETITIVE_DIALOGUE, Phase.FINAL_BIDS, Phase.SELECTION),
    ],
)
def test_bids_come_in_the_phase_closing_at_the_routes_submission_deadline(route, bid_phase, request_phase):
    c = SimpleNamespace(route=route)
    assert submission_rules.receiving_phase(c, "bid") == bid_phase
    assert submission_rules.receiving_phase(c, "request") == request_phase


def test_closing_guard_is_registered_for_leaving_every_receiving_phase_but_not_for_cancelling():
    for from_phase, to_phase in [
        (Phase.TENDERING, Phase.EVALUATION),
        (Phase.SELECTION, Phase.INVITATION),
        (Phase.INVITATION, Phase.EVALUATION),
        (Phase.FINAL_BIDS, Phase.EVALUATION),
    ]:
        assert bid_guards.no_receipt_after_closing in guards.guards_for(from_phase, to_phase)
    assert bid_guards.no_receipt_after_closing not in guards.guards_for(Phase.TENDERING, Phase.CANCELLED)
