"""The transition budget optimiser against a brute-force solver, and its explanations for awkward input."""

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from continuity import optimiser
from continuity.optimiser import Problem


@pytest.fixture(autouse=True)
def _english():
    """The reasons are checked in English (the UI translates them to Dutch)."""
    from django.utils import translation

    with translation.override("en"):
        yield


def make(
    costs,
    reach,
    volunteers=None,
    co=None,
    prevention=None,
    orgs=None,
    cells=None,
    budget=100.0,
    weights=None,
    partial=False,
    cap=None,
):
    n = len(costs)
    return Problem(
        cost=np.array(costs, dtype=float),
        values={
            "reach": np.array(reach, dtype=float),
            "volunteers": np.array(volunteers or [0] * n, dtype=float),
            "co_funding": np.array(co or [0] * n, dtype=float),
            "prevention": np.array(prevention or [0] * n, dtype=float),
        },
        org=np.array(orgs or list(range(n)), dtype=np.int64),
        cells=cells or [[] for _ in range(n)],
        budget=budget,
        weights=weights or {"reach": 1, "volunteers": 1, "co_funding": 1, "prevention": 1, "coverage": 1},
        partial=partial,
        max_per_org=cap,
        labels=[{"id": i, "title": f"a{i}", "organisation": f"o{i}", "organisation_id": i} for i in range(n)],
    )


def brute_force(p: Problem):
    """The exact optimum over every subset (coverage first when it has a weight, then value)."""
    best = None
    for bits in itertools.product([0, 1], repeat=p.n):
        x = np.array(bits, dtype=float)
        if p.cost @ x > p.budget + 1e-9:
            continue
        if p.max_per_org is not None and (np.bincount(p.org, weights=p.cost * x) > p.max_per_org + 1e-9).any():
            continue
        covered, value = optimiser.objective(p, x)
        key = (covered, value) if p.weights.get("coverage", 0) > 0 and any(p.cells) else (0, value)
        if best is None or key > best:
            best = key
    return best


@st.composite
def problems(draw, partial=False):
    n = draw(st.integers(1, 7))
    ints = st.integers(0, 50)
    costs = draw(st.lists(st.integers(1, 60), min_size=n, max_size=n))
    return make(
        costs,
        draw(st.lists(ints, min_size=n, max_size=n)),
        draw(st.lists(ints, min_size=n, max_size=n)),
        draw(st.lists(ints, min_size=n, max_size=n)),
        draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)),
        orgs=draw(st.lists(st.integers(0, 2), min_size=n, max_size=n)),
        cells=draw(st.lists(st.lists(st.integers(0, 3), max_size=2, unique=True), min_size=n, max_size=n)),
        budget=float(draw(st.integers(0, 150))),
        weights={k: draw(st.integers(0, 5)) for k in ("reach", "volunteers", "co_funding", "prevention", "coverage")},
        partial=partial,
        cap=draw(st.one_of(st.none(), st.integers(10, 80).map(float))),
    )


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_milp_never_exceeds_the_budget_and_matches_the_brute_force_optimum_within_0_1_percent(p):
    x, status, _ = optimiser.solve(p)
    assert status == "optimal"
    assert p.cost @ x <= p.budget + 1e-6
    if p.max_per_org is not None:
        assert (np.bincount(p.org, weights=p.cost * x) <= p.max_per_org + 1e-6).all()
    covered, value = optimiser.objective(p, x)
    best_cover, best_value = brute_force(p)
    if p.weights.get("coverage", 0) > 0 and any(p.cells):
        assert covered == pytest.approx(best_cover, abs=1e-6)
    assert value <= best_value + 1e-6  # never beats the exact optimum
    assert value >= best_value - 0.001 * abs(best_value) - 1e-9  # and is within 0.1% of it


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(partial=True))
def test_lp_never_exceeds_the_budget_and_is_at_least_the_integer_optimum(p):
    x, status, _ = optimiser.solve(p)
    assert status == "optimal"
    # HiGHS meets constraints within its feasibility tolerance (1e-7, relative to the row's scale): a budget of
    # € 100,000 may be "exceeded" by a thousandth of a cent, never by more.
    assert p.cost @ x <= p.budget + 1e-6 * max(1.0, abs(p.budget))
    assert ((x >= -1e-9) & (x <= 1 + 1e-9)).all()
    if not (p.weights.get("coverage", 0) > 0 and any(p.cells)):
        assert optimiser.objective(p, x)[1] >= brute_force(p)[1] - 1e-6  # the relaxation is never worse


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 50), st.integers(0, 40)), min_size=1, max_size=8), st.integers(1, 200))
def test_lp_equals_the_greedy_fractional_knapsack_without_coverage_or_caps(items, budget):
    costs, reach = [c for c, _ in items], [r for _, r in items]
    p = make(costs, reach, budget=float(budget), weights={"reach": 1}, partial=True)
    x, _, dual = optimiser.solve(p)
    v = optimiser.item_values(p)
    order = np.argsort(-v / p.cost, kind="stable")
    left, greedy = float(budget), 0.0
    for i in order:
        take = min(1.0, left / p.cost[i])
        greedy += take * v[i]
        left -= take * p.cost[i]
        if left <= 0:
            break
    assert v @ x == pytest.approx(greedy, rel=1e-6, abs=1e-9)


def test_the_budget_dual_is_the_value_per_euro_of_the_activity_the_budget_runs_out_on():
    p = make([100, 100], [60, 40], budget=150, weights={"reach": 1}, partial=True)
    result = optimiser.optimise(p)
    assert result["budget_dual"] == pytest.approx(0.4 / 100)  # the second activity is half funded
    # €1,000 more funds the other half of a1 (+20 score points); at the margin each euro adds 0.4 points
    assert result["marginal"]["gain"] == pytest.approx(20)
    assert result["marginal"]["dual_per_euro"] == pytest.approx(0.4)
    shares = {a["activity"]: a["share"] for a in result["allocation"]}
    assert shares == {"a0": 1.0, "a1": 0.5}
    assert "budget runs out" in {a["activity"]: a["reason"] for a in result["allocation"]}["a1"]


def test_optimum_beats_first_come_first_served_and_proportional_cut():
    p = make([80, 30, 30], [10, 30, 30], budget=60, weights={"reach": 1}, partial=False)
    result = optimiser.optimise(p)
    assert result["optimal"]["score"] == pytest.approx(60 / 70 * 100, abs=0.01)
    assert result["comparison"]["first_come_first_served"]["funded_activities"] == 2  # a0 does not fit, a1 and a2 do
    p = make([20, 30, 30], [1, 30, 30], budget=60, weights={"reach": 1}, partial=False)
    result = optimiser.optimise(p)
    fcfs = result["comparison"]["first_come_first_served"]
    assert fcfs["score"] == pytest.approx(31 / 61 * 100, abs=0.01)  # a0 and a1 come first; a2 no longer fits
    assert result["optimal"]["score"] == pytest.approx(60 / 61 * 100, abs=0.01)
    assert result["comparison"]["proportional_cut"]["spent"] == pytest.approx(60)
    assert result["comparison"]["proportional_cut"]["score"] == pytest.approx(60 / 80 * 100, abs=0.01)


def test_coverage_comes_first_where_possible():
    # a0 is worth more, but a1 keeps the only activity in a district/target group cell
    p = make([50, 50], [100, 1], cells=[[], [7]], budget=50, weights={"reach": 5, "coverage": 1})
    result = optimiser.optimise(p)
    funded = [a["activity"] for a in result["allocation"] if a["share"] == 1]
    assert funded == ["a1"]
    assert "covered" in result["allocation"][0]["reason"]


def test_maximum_per_organisation_is_respected_and_explained():
    p = make([40, 40], [50, 50], orgs=[0, 0], budget=100, cap=50.0, weights={"reach": 1})
    result = optimiser.optimise(p)
    assert result["optimal"]["spent"] == 40
    assert any("maximum per organisation" in a["reason"] for a in result["allocation"])


@pytest.mark.parametrize(
    "kwargs, expected",
    [
        ({"budget": 0}, "budget is zero"),
        ({"weights": {"reach": 0, "coverage": 0}}, "weights are zero"),
    ],
)
def test_degenerate_input_is_explained_not_crashed(kwargs, expected):
    result = optimiser.optimise(make([10], [5], **kwargs))
    assert result["status"] == "degenerate"
    assert expected in result["explanation"]


def test_nothing_at_risk_is_explained():
    result = optimiser.optimise(make([], []))
    assert result["status"] == "degenerate" and "nothing to bridge" in result["explanation"]


def test_budget_larger_than_everything_at_risk_funds_all_and_says_what_is_left():
    result = optimiser.optimise(make([10, 20], [1, 1], budget=100, weights={"reach": 1}))
    assert all(a["share"] == 1 for a in result["allocation"])
    assert "70" in result["explanation"]


def test_partial_funding_stopped_by_the_organisation_maximum_says_so_even_when_the_budget_is_spent():
    p = make([100, 100], [50, 10], orgs=[0, 1], budget=110, cap=60.0, weights={"reach": 1}, partial=True)
    result = optimiser.optimise(p)
    reasons = {a["activity"]: a["reason"] for a in result["allocation"]}
    assert result["optimal"]["spent"] == pytest.approx(110)
    assert "maximum per organisation" in reasons["a0"] and "budget runs out" in reasons["a1"]
