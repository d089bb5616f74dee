"""The scenario "after award" from a real, opened bid: its consortium and its subcontract commitments decide which
activities continue with their own organisation (issue 11, last "done when")."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from bids.models import EconomicOperator, Opening, OperatorMatch, Participation, SubcontractCommitment, Submission
from continuity import selectors, services
from continuity.models import Outcome, Scenario
from landscape.models import Activity, Organisation

from . import landscape_fixture
from .test_money import lots_commissioning

pytestmark = pytest.mark.django_db


def _operator(name, kvk, organisation=None):
    operator = EconomicOperator.objects.create(
        name=name,
        kind="welfare",
        kvk_number=kvk,
        street="Straat 1",
        postcode="2311 CS",
        city="Voorbeeldstad",
        contact_name="C",
        contact_email=f"{kvk}@example.org",
    )
    if organisation:
        OperatorMatch.objects.create(
            operator=operator, organisation=organisation, status="confirmed", proposed_at=timezone.now()
        )
    return operator


@pytest.fixture
def bid():
    """Lot 1 "Ouderen" (b1, b2 of B; c1 of C): a bid led by A with C as subcontractor continuing c1."""
    m, *_ = landscape_fixture.build()
    c = lots_commissioning(m)
    orgs = {o.name: o for o in Organisation.objects.filter(municipality=m)}
    now = timezone.now()
    lead = _operator("Buurtwerk Groot", "10000001", orgs["Buurtwerk Groot"])
    sub = _operator("Zelforganisatie", "10000002", orgs["Zelforganisatie"])
    unmatched = _operator("Klein Samen (niet bevestigd)", "10000003")
    s = Submission.objects.create(
        commissioning=c,
        lot=c.lots.get(number=1),
        kind="bid",
        lead=lead,
        consortium_name="Samen Oud Worden",
        status="submitted",
        created_at=now,
    )
    Participation.objects.create(submission=s, operator=lead, ring=0, status="confirmed", invited_at=now)
    p = Participation.objects.create(submission=s, operator=sub, ring=2, status="confirmed", invited_at=now)
    SubcontractCommitment.objects.create(
        participation=p,
        amount_per_year=Decimal("5000"),
        years=5,
        continues_activity=Activity.objects.get(title="Activiteit c1"),
    )
    q = Participation.objects.create(submission=s, operator=unmatched, ring=2, status="confirmed", invited_at=now)
    SubcontractCommitment.objects.create(
        participation=q,
        amount_per_year=Decimal("1000"),
        years=5,
        continues_activity=Activity.objects.get(title="Activiteit b1"),
    )
    return m, c, s


def _open(c):
    Opening.objects.create(commissioning=c, kind="bid", started_at=timezone.now(), opened_at=timezone.now())


def test_commitments_of_an_opened_bid_decide_who_continues(bid):
    m, c, s = bid
    _open(c)
    scenario = services.create_scenario(municipality=m, name="Na gunning", kind=Scenario.Kind.AFTER_AWARD)
    assert services.moves_from_bids(scenario, c, {1: s}) == 3
    moves = {mv.activity.title: mv for mv in scenario.moves.select_related("activity")}
    assert moves["Activiteit c1"].outcome == Outcome.CONTINUES  # the subcontractor continues its own activity
    # b1's "commitment" names an operator not matched to B: it cannot continue B's activity
    assert (moves["Activiteit b1"].outcome, moves["Activiteit b1"].winner) == (Outcome.TRANSFERS, "Samen Oud Worden")
    assert moves["Activiteit b2"].outcome == Outcome.TRANSFERS
    assert set(moves) == {"Activiteit b1", "Activiteit b2", "Activiteit c1"}  # lot 2 had no bid chosen
    totals = services.store_impact(scenario, selectors.compute_impact(scenario)).impact["totals"]
    assert totals["lot_budgets"] == 20000  # only lot 1's budget


def test_a_sealed_bid_cannot_feed_the_scenario(bid):
    m, c, s = bid
    scenario = services.create_scenario(municipality=m, name="Na gunning", kind=Scenario.Kind.AFTER_AWARD)
    with pytest.raises(ValidationError):
        services.moves_from_bids(scenario, c, {1: s})
    assert not scenario.moves.exists()


def test_a_bid_on_another_lot_is_refused(bid):
    m, c, s = bid
    _open(c)
    scenario = services.create_scenario(municipality=m, name="Na gunning", kind=Scenario.Kind.AFTER_AWARD)
    with pytest.raises(ValidationError):
        services.moves_from_bids(scenario, c, {2: s})
