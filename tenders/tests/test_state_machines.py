"""The procedure state machines: every allowed transition succeeds and every other one is refused, per route."""

import itertools
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from core.testing import MunicipalityFactory
from tenders import rules, services
from tenders.models import Candidate, Deadline, Phase, Route
from tenders.rules import CANDIDATE_TRANSITIONS, TRANSITIONS

from .factories import advance_to, after, candidate, complete, draft, officer, published

K = Deadline.Kind
ALL_PAIRS = [
    (route, source, target)
    for route in Route.values
    for source, target in itertools.product(Phase.values, Phase.values)
    if source != target
]
ALLOWED = [(r, s, t) for r, s, t in ALL_PAIRS if t in TRANSITIONS[r].get(s, ())]
FORBIDDEN = [(r, s, t) for r, s, t in ALL_PAIRS if t not in TRANSITIONS[r].get(s, ())]


def test_every_route_runs_from_draft_to_award_without_dead_ends():
    for route, table in TRANSITIONS.items():
        phases = rules.phases_of(route)
        assert phases[0] == Phase.DRAFT and phases[-1] == Phase.AWARDED, route
        assert set(table) == set(phases[:-1]), route


def test_competitive_dialogue_has_the_haarlem_phases_aw_2_29():
    assert rules.phases_of(Route.COMPETITIVE_DIALOGUE) == [
        Phase.DRAFT,
        Phase.SELECTION,
        Phase.DIALOGUE_1,
        Phase.DIALOGUE_SELECTION,
        Phase.DIALOGUE_2,
        Phase.FINAL_BIDS,
        Phase.EVALUATION,
        Phase.AWARDED,
    ]


def _at(route, phase):
    """A published commissioning of `route` standing in `phase` (reached through the services)."""
    m = MunicipalityFactory()
    user = officer(m)
    c = published(m, route=route, user=user)
    if route in (Route.PRESELECTION, Route.COMPETITIVE_DIALOGUE):
        candidate(c, admit=True, user=user)
    if phase == Phase.CANCELLED:
        services.cancel(c, user, reason="Budget vervalt.")
    elif phase != c.phase:
        advance_to(c, user, phase)
    c.refresh_from_db()
    assert c.phase == phase
    return c, user


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "source", "target"), [a for a in ALLOWED if a[1] != Phase.DRAFT])
def test_allowed_transition_succeeds_once_the_phase_has_closed(route, source, target):
    c, user = _at(route, source)
    closing = rules.CLOSES_AT.get(source)
    now = after(c, closing) if closing else None
    if target == Phase.DIALOGUE_2:
        services.select_for_phase_2(c, user, c.candidates.all())
    if target == Phase.CANCELLED:
        services.cancel(c, user, reason="Budget vervalt.", now=now)
    else:
        services.transition(c, user, target, now=now)
    c.refresh_from_db()
    assert c.phase == target
    assert c.phase_changes.order_by("pk").last().to_phase == target


@pytest.mark.django_db
@pytest.mark.parametrize("route", Route.values)
def test_publishing_starts_the_first_phase_of_the_route(route):
    m = MunicipalityFactory()
    c = published(m, route=route)
    assert c.phase == rules.FIRST_PHASE[route]
    assert c.published_at is not None


def _reachable(route):
    return set(rules.phases_of(route)) | {Phase.CANCELLED}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("route", "source"), [(r, s) for r in Route.values for s in sorted(_reachable(r)) if s != Phase.DRAFT]
)
def test_every_forbidden_transition_is_refused_and_changes_nothing(route, source):
    """One commissioning per (route, phase); each target outside the table is tried and must be refused."""
    c, user = _at(route, source)
    targets = [t for r, s, t in FORBIDDEN if r == route and s == source]
    assert targets
    late = after(c, rules.REQUIRED_DEADLINES[route][-1])
    for target in targets:
        with pytest.raises(ValidationError, match="cannot go to"):
            services.transition(c, user, target, now=late)
        c.refresh_from_db()
        assert c.phase == source, target


@pytest.mark.django_db
@pytest.mark.parametrize("route", Route.values)
def test_a_draft_moves_only_by_publishing(route):
    m = MunicipalityFactory()
    user = officer(m)
    c = complete(draft(m, user, route=route), user)
    with pytest.raises(ValidationError):
        services.transition(c, user, rules.FIRST_PHASE[route])
    c.refresh_from_db()
    assert c.phase == Phase.DRAFT and not c.is_published


@pytest.mark.django_db
@pytest.mark.parametrize("route", Route.values)
def test_a_phase_cannot_close_before_its_deadline_by_the_server_clock(route):
    c, user = _at(route, rules.FIRST_PHASE[route])
    closing = rules.CLOSES_AT[c.phase]
    deadline = c.deadlines.get(kind=closing).at
    next_phase = rules.phases_of(route)[2]
    with pytest.raises(ValidationError, match="has not come yet"):
        services.transition(c, user, next_phase, now=deadline - timedelta(seconds=1))
    services.transition(c, user, next_phase, now=deadline)
    c.refresh_from_db()
    assert c.phase == next_phase


@pytest.mark.django_db
def test_dialogue_phase_2_needs_selected_participants():
    c, user = _at(Route.COMPETITIVE_DIALOGUE, Phase.DIALOGUE_SELECTION)
    with pytest.raises(ValidationError, match="Select"):
        services.transition(c, user, Phase.DIALOGUE_2)


@pytest.mark.django_db
def test_at_most_n_consortia_go_on_to_dialogue_phase_2_aw_2_111():
    m = MunicipalityFactory()
    user = officer(m)
    c = published(m, route=Route.COMPETITIVE_DIALOGUE, user=user, max_candidates=3, max_dialogue_participants=2)
    participants = [candidate(c, f"Org {i}", admit=True, user=user) for i in range(3)]
    advance_to(c, user, Phase.DIALOGUE_SELECTION)
    with pytest.raises(ValidationError, match="At most 2"):
        services.select_for_phase_2(c, user, participants)
    scores, reasons = dict(zip(participants, (80, 70, 60), strict=True)), {participants[2]: "Scoort lager."}
    services.select_for_phase_2(c, user, participants[:2], scores=scores, reasons=reasons)
    assert c.candidates.filter(selected_for_phase_2=True).count() == 2


# --- Candidate.Status: applied → admitted/rejected, a decision revised within the selection stage ------------------
CANDIDATE_PAIRS = list(itertools.product(Candidate.Status.values, Candidate.Status.values))
CANDIDATE_ALLOWED = [(s, t) for s, t in CANDIDATE_PAIRS if t in CANDIDATE_TRANSITIONS.get(s, ())]
CANDIDATE_FORBIDDEN = [(s, t) for s, t in CANDIDATE_PAIRS if t not in CANDIDATE_TRANSITIONS.get(s, ())]


def test_a_decided_candidate_never_goes_back_to_applied():
    assert all(Candidate.Status.APPLIED not in targets for targets in CANDIDATE_TRANSITIONS.values())
    assert set(CANDIDATE_TRANSITIONS) == set(Candidate.Status.values)
    assert CANDIDATE_FORBIDDEN


def _candidate_in(status):
    """A candidate of a preselection standing in `status`, the deadline for requests just passed."""
    m = MunicipalityFactory()
    user = officer(m)
    c = published(m, route=Route.PRESELECTION, user=user)
    if status == Candidate.Status.APPLIED:
        subject = candidate(c)
    else:
        subject = candidate(c, admit=status == Candidate.Status.ADMITTED, user=user)
    assert subject.status == status
    return c, subject, user


@pytest.mark.django_db
@pytest.mark.parametrize(("source", "target"), CANDIDATE_ALLOWED)
def test_allowed_candidate_transition_succeeds(source, target):
    c, subject, user = _candidate_in(source)
    reasons = "Voldoet niet aan de selectie-eisen." if target == Candidate.Status.REJECTED else ""
    services.decide_candidate(subject, user, status=target, reasons=reasons, score=60, now=after(c, K.REQUESTS))
    subject.refresh_from_db()
    assert (subject.status, subject.selection_score) == (target, 60)


@pytest.mark.django_db
@pytest.mark.parametrize(("source", "target"), CANDIDATE_FORBIDDEN)
def test_forbidden_candidate_transition_is_refused_and_changes_nothing(source, target):
    c, subject, user = _candidate_in(source)
    before = (subject.status, subject.selection_score, subject.decided_at)
    with pytest.raises(ValidationError, match="A candidate cannot go from"):
        services.decide_candidate(subject, user, status=target, reasons="Herzien.", now=after(c, K.REQUESTS))
    subject.refresh_from_db()
    assert (subject.status, subject.selection_score, subject.decided_at) == before


@pytest.mark.django_db
def test_an_unknown_candidate_status_is_refused():
    c, subject, user = _candidate_in(Candidate.Status.APPLIED)
    with pytest.raises(ValidationError, match="A candidate cannot go from"):
        services.decide_candidate(subject, user, status="withdrawn", now=after(c, K.REQUESTS))
    subject.refresh_from_db()
    assert subject.status == Candidate.Status.APPLIED
