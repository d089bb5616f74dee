"""Independent scoring, then consensus (issue 12): declare before seeing any bid (Directive 2014/24/EU art. 24),
score every leaf criterion on the anchored scale with a reason, nobody sees another's scores before all have
submitted, the chair explains a consensus away from the median, and totals depend on a bid's own scores only."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evaluation import rules, selectors, services
from evaluation.models import Member

from .factories import REASON, declare_all, score_all, world

pytestmark = pytest.mark.django_db


def test_no_bid_before_a_declaration_without_conflict_directive_art_24():
    w = world()
    first, second, third = (w.member(u) for u in w.people)
    assert not rules.may_see_bids(first, opened=True)
    with pytest.raises(ValidationError):
        services.save_score(first, actor=w.people[0], submission=w.bids[0], criterion_key=w.keys[0], score=50,
                            reason=REASON)  # fmt: skip
    services.declare_interests(first, actor=w.people[0], has_conflict=False)
    services.declare_interests(second, actor=w.people[1], has_conflict=True, relations="Bestuurslid inschrijver 2")
    first.refresh_from_db(), second.refresh_from_db()
    assert rules.may_see_bids(first, opened=True) and not rules.may_see_bids(first, opened=False)
    assert second.excluded and not rules.may_see_bids(second, opened=True)
    with pytest.raises(ValidationError):  # excluded from this lot
        services.save_score(second, actor=w.people[1], submission=w.bids[0], criterion_key=w.keys[0], score=50,
                            reason=REASON)  # fmt: skip
    with pytest.raises(ValidationError):  # a conflict needs its description
        services.declare_interests(third, actor=w.people[2], has_conflict=True, relations="")


def test_a_member_declares_and_scores_only_for_themselves():
    w = world()
    with pytest.raises(PermissionDenied):
        services.declare_interests(w.member(w.people[0]), actor=w.people[1], has_conflict=False)
    with pytest.raises(ValidationError):  # once
        services.declare_interests(w.member(w.people[0]), actor=w.people[0], has_conflict=False)
        services.declare_interests(w.member(w.people[0]), actor=w.people[0], has_conflict=False)


def test_score_must_be_a_level_of_the_scale_with_a_reason_on_a_leaf_criterion():
    w = world()
    declare_all(w)
    member, user = w.member(w.people[0]), w.people[0]
    for score, reason, key in [(60, REASON, w.keys[0]), (50, "ok", w.keys[0]), (50, REASON, "c999999")]:
        with pytest.raises(ValidationError):
            services.save_score(member, actor=user, submission=w.bids[0], criterion_key=key, score=score,
                                reason=reason)  # fmt: skip
    row = services.save_score(member, actor=user, submission=w.bids[0], criterion_key=w.keys[0], score=75,
                              reason=REASON)  # fmt: skip
    assert row.score == 75


def test_scores_of_others_stay_hidden_until_every_member_has_submitted():
    w = world()
    declare_all(w)
    first = w.member(w.people[0])
    for b in w.bids:
        for key in w.keys:
            services.save_score(first, actor=w.people[0], submission=b, criterion_key=key, score=50, reason=REASON)
    services.submit_scores(first, actor=w.people[0])
    assert not rules.may_see_all_scores(w.chair, w.committee)
    assert selectors.spread(w.committee, w.snapshot) == []
    with pytest.raises(ValidationError):  # final
        services.save_score(first, actor=w.people[0], submission=w.bids[0], criterion_key=w.keys[0], score=25,
                            reason=REASON)  # fmt: skip
    with pytest.raises(ValidationError):  # incomplete
        services.submit_scores(w.member(w.people[1]), actor=w.people[1])
    score_all(w, {"lid1": {}, "lid2": {(0, 0): 100}, "lid3": {(0, 0): 0}})  # lid1 already final: skipped by rules
    assert rules.may_see_all_scores(w.chair, w.committee)
    rows = selectors.spread(w.committee, w.snapshot)
    assert len(rows) == len(w.bids) * len(w.keys)
    top = next(r for r in rows if r["submission"] == w.bids[0] and r["key"] == w.keys[0])
    assert sorted(s.score for s in top["scores"]) == [0, 50, 100] and top["median"] == 50 and top["disagree"]
    assert not any(r["disagree"] for r in rows if r is not top)


def test_an_excluded_member_does_not_hold_up_the_others():
    w = world()
    declare_all(w, conflict_for=[w.people[2]])
    score_all(w, {})
    assert rules.all_submitted(w.committee)
    assert all(len(r["scores"]) == 2 for r in selectors.spread(w.committee, w.snapshot))


def test_consensus_by_the_chair_explains_a_deviation_from_the_median():
    w = world()
    declare_all(w)
    score_all(w, {"lid1": {(0, 0): 25}, "lid2": {(0, 0): 50}, "lid3": {(0, 0): 50}})
    with pytest.raises(ValidationError):  # not the chair
        services.record_consensus(w.committee, actor=w.people[0], submission=w.bids[0], criterion_key=w.keys[0],
                                  score=50, reason=REASON)  # fmt: skip
    with pytest.raises(ValidationError):  # away from the median 50 without explanation
        services.record_consensus(w.committee, actor=w.chair, submission=w.bids[0], criterion_key=w.keys[0],
                                  score=75, reason=REASON)  # fmt: skip
    row = services.record_consensus(w.committee, actor=w.chair, submission=w.bids[0], criterion_key=w.keys[0],
                                    score=75, reason=REASON, deviation_reason="Bijlage 3 telt wel mee.")  # fmt: skip
    assert row.score == 75


def test_consensus_waits_for_every_member():
    w = world()
    declare_all(w)
    with pytest.raises(ValidationError):
        services.record_consensus(w.committee, actor=w.chair, submission=w.bids[0], criterion_key=w.keys[0],
                                  score=50, reason=REASON)  # fmt: skip


def test_total_is_leaf_score_times_leaf_weight_times_parent_weight():
    w = world(bids=1)
    data = {
        "scale": [0, 25, 50, 75, 100],
        "criteria": [
            {"key": "p", "weight": "60", "parent": None, "leaf": False},
            {"key": "a", "weight": "50", "parent": "p", "leaf": True},
            {"key": "b", "weight": "50", "parent": "p", "leaf": True},
            {"key": "q", "weight": "40", "parent": None, "leaf": True},
        ],
    }
    w.snapshot.data = data
    # 100 × .5 × .6 + 50 × .5 × .6 + 25 × .4 = 30 + 15 + 10
    assert selectors.total(w.snapshot, {"a": 100, "b": 50, "q": 25}) == Decimal("55.00")


def test_the_chair_does_not_score():
    w = world()
    chair = w.committee.members.get(role=Member.Role.CHAIR)
    services.declare_interests(chair, actor=w.chair, has_conflict=False)
    with pytest.raises(ValidationError):
        services.save_score(w.committee.members.get(pk=chair.pk), actor=w.chair, submission=w.bids[0],
                            criterion_key=w.keys[0], score=50, reason=REASON)  # fmt: skip


def test_anonymous_committee_sees_letters_not_names():
    w = world(anonymous=True)
    names = {selectors.display_name(w.committee, b) for b in w.bids}
    assert names == {"Inschrijving A", "Inschrijving B", "Inschrijving C"}
    assert not any(b.lead.name in names for b in w.bids)


def test_no_bids_to_evaluate_before_the_opening():
    w = world(opened=False)
    assert selectors.bids_of(w.committee) == []


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    scores=st.lists(st.tuples(*[st.sampled_from([0, 25, 50, 75, 100])] * 3), min_size=2, max_size=6),
    removed=st.integers(min_value=0, max_value=5),
)
def test_adding_or_removing_a_bid_never_changes_the_order_of_the_others(scores, removed):
    """Absolute scoring: the total of a bid is a function of its own scores only (ADR 0004)."""
    snapshot = type("S", (), {})()
    snapshot.data = {
        "scale": [0, 25, 50, 75, 100],
        "criteria": [
            {"key": "a", "weight": "50", "parent": None, "leaf": True},
            {"key": "p", "weight": "50", "parent": None, "leaf": False},
            {"key": "b", "weight": "30", "parent": "p", "leaf": True},
            {"key": "c", "weight": "70", "parent": "p", "leaf": True},
        ],
    }
    totals = [selectors.total(snapshot, dict(zip("abc", s, strict=True))) for s in scores]
    order = sorted(range(len(scores)), key=lambda i: -totals[i])
    gone = removed % len(scores)
    rest = [i for i in range(len(scores)) if i != gone]
    totals_without = {i: selectors.total(snapshot, dict(zip("abc", scores[i], strict=True))) for i in rest}
    assert [i for i in order if i != gone] == sorted(rest, key=lambda i: (-totals_without[i], order.index(i)))
