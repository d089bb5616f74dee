"""The distribution of a grant round's ceiling by quality ranking (Awb 4:25(2), 4:26), as a pure function: whatever
the totals, asks, budgets and ceiling, the total granted stays within the ceiling of the period and each lot's
budget, and no application is refused while it fits and a lower-ranked one is granted."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from evaluation import grant_rules
from evaluation.grant_rules import GRANTED, REFUSED, Application

EURO = st.integers(min_value=1, max_value=200_000).map(lambda n: Decimal(n) * 10)
TOTALS = st.sampled_from([Decimal(t) for t in ("0", "25", "40", "50", "62.5", "75", "100")])


@st.composite
def rounds(draw):
    lots = draw(st.lists(st.integers(min_value=1, max_value=3), min_size=1, max_size=3, unique=True))
    budgets = {lot: draw(EURO) for lot in lots}
    ceiling = draw(st.one_of(EURO, st.just(sum(budgets.values()))))
    apps = [
        Application(key, draw(st.sampled_from(lots)), draw(TOTALS), 0, draw(EURO))
        for key in range(1, draw(st.integers(min_value=0, max_value=12)) + 1)
    ]
    order = draw(st.permutations([a.key for a in apps]))
    return apps, budgets, ceiling, list(order)


@settings(max_examples=300, deadline=None)
@given(rounds())
def test_total_granted_never_exceeds_the_ceiling_of_the_period_or_a_lot_budget_awb_4_25_2(case):
    apps, budgets, ceiling, tie_order = case
    outcomes = grant_rules.allocate(apps, budgets, ceiling, tie_order)
    assert sorted(o.application.key for o in outcomes) == sorted(a.key for a in apps)  # a decision for everyone
    assert sum(o.granted for o in outcomes) <= ceiling
    for lot, budget in budgets.items():
        assert sum(o.granted for o in outcomes if o.application.lot == lot) <= budget
    for o in outcomes:
        assert (o.outcome, o.granted) in {(GRANTED, o.application.requested), (REFUSED, Decimal("0"))}


@settings(max_examples=300, deadline=None)
@given(rounds())
def test_never_a_lower_ranked_granted_while_a_higher_ranked_that_fits_is_refused_awb_4_26(case):
    apps, budgets, ceiling, tie_order = case
    outcomes = grant_rules.allocate(apps, budgets, ceiling, tie_order)
    position = {o.application.key: i for i, o in enumerate(outcomes)}
    for refused in (o for o in outcomes if o.outcome == REFUSED):
        a = refused.application
        # What the better-placed applications left of the lot's budget and of the ceiling when its turn came.
        before = [o for o in outcomes if position[o.application.key] < position[a.key]]
        left_lot = budgets[a.lot] - sum(o.granted for o in before if o.application.lot == a.lot)
        left_ceiling = ceiling - sum(o.granted for o in before)
        assert a.requested > min(left_lot, left_ceiling), "refused although it fitted"
        for granted in outcomes:
            b = granted.application
            if granted.outcome == GRANTED and b.lot == a.lot and b.total < a.total:
                # The lower-ranked one fits only in what the higher-ranked one could not use.
                assert b.requested < a.requested


@settings(max_examples=200, deadline=None)
@given(rounds())
def test_within_a_lot_a_higher_total_is_always_considered_first(case):
    apps, budgets, ceiling, tie_order = case
    outcomes = grant_rules.allocate(apps, budgets, ceiling, tie_order)
    for lot in budgets:
        totals = [o.application.total for o in outcomes if o.application.lot == lot]
        assert totals == sorted(totals, reverse=True)


def test_equal_totals_decide_only_when_some_fit_and_some_do_not():
    apps = [Application(1, 1, Decimal("75"), 1, Decimal("60")), Application(2, 1, Decimal("75"), 1, Decimal("60"))]
    outcomes = grant_rules.allocate(apps, {1: Decimal("100")}, Decimal("100"))
    assert [a.key for a in grant_rules.decisive_ties(outcomes)[0]] == [1, 2]
    assert grant_rules.tie_errors(outcomes, [], "")
    assert grant_rules.tie_errors(outcomes, [2, 1], "") and not grant_rules.tie_errors(outcomes, [2, 1], "Loting.")
    swapped = grant_rules.allocate(apps, {1: Decimal("100")}, Decimal("100"), [2, 1])
    assert [o.application.key for o in swapped if o.outcome == GRANTED] == [2]
    # Both fit: the order does not matter.
    roomy = grant_rules.allocate(apps, {1: Decimal("120")}, Decimal("120"))
    assert grant_rules.decisive_ties(roomy) == []
