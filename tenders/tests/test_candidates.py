"""The selection stage (procedure with preselection, competitive dialogue): providers apply as candidates before the
deadline for requests (server clock), or, where requests are received sealed, the opening registers them with their
participants (ADR 0011); the procurement officer scores, admits at most the maximum and rejects with
reasons; only admitted candidates go on. Each candidate sees only its own status; the municipality sees the list."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from audit.models import AuditEvent
from core.models import Role
from core.testing import MunicipalityFactory, login, user_with_role
from tenders import intake, rules, selectors, services
from tenders.models import Candidate, Deadline, Phase, Route

from .factories import advance_to, after, candidate, complete, draft, officer, provider, published

pytestmark = pytest.mark.django_db
K = Deadline.Kind
HOUR = timedelta(hours=1)


@pytest.fixture
def m():
    return MunicipalityFactory(cbs_code="GM0392", name="Haarlem")


@pytest.fixture
def c(m, user):
    return published(m, route=Route.PRESELECTION, user=user, max_candidates=2)


def _before(c):
    return c.deadlines.get(kind=K.REQUESTS).at - HOUR


@pytest.fixture
def tenders_only():
    """Tenders without a later stage that receives the requests sealed: tenders.intake has no provider."""
    with intake.providers.replaced():
        yield


def test_a_provider_applies_for_its_own_organisation_before_the_deadline(c, m, tenders_only):
    rep, org = provider(m)
    applied = services.apply_as_candidate(c, rep, organisation=org)
    assert applied.status == Candidate.Status.APPLIED and applied.name == org.name and not applied.is_consortium
    assert applied.members == [{"name": org.name, "ring": 0, "role": "", "registration": ""}]
    event = AuditEvent.objects.get(action="tenders.candidate_apply")
    assert event.summary["organisation"] == org.name
    with pytest.raises(ValidationError, match="already applied"):
        services.apply_as_candidate(c, rep, organisation=org)


def test_applications_close_at_the_deadline_for_requests_by_the_server_clock(c, m, tenders_only):
    rep, org = provider(m)
    deadline = c.deadlines.get(kind=K.REQUESTS).at
    with pytest.raises(ValidationError, match="Applications are closed"):
        services.apply_as_candidate(c, rep, organisation=org, now=deadline)
    assert not c.candidates.exists()
    services.apply_as_candidate(c, rep, organisation=org, now=deadline - timedelta(seconds=1))


def test_nobody_applies_for_an_organisation_they_do_not_represent(c, m, tenders_only):
    rep, _org = provider(m, "Eigen")
    _other_rep, other = provider(m, "Ander")
    with pytest.raises(ValidationError, match="you represent"):
        services.apply_as_candidate(c, rep, organisation=other)
    with pytest.raises(ValidationError, match="you represent"):
        services.apply_as_candidate(c, officer(m), organisation=other)


def test_an_open_procedure_has_no_candidates(m, user, tenders_only):
    c = published(m, route=Route.OPEN, user=user)
    rep, org = provider(m)
    with pytest.raises(ValidationError, match="Applications are closed"):
        services.apply_as_candidate(c, rep, organisation=org)


def test_where_requests_are_received_sealed_the_apply_route_is_closed(c, m):
    rep, org = provider(m)
    sealed = intake.providers.replaced(lambda commissioning: commissioning.pk == c.pk)
    with sealed, pytest.raises(ValidationError, match="sealed request"):
        services.apply_as_candidate(c, rep, organisation=org, now=_before(c))
    assert not c.candidates.exists() and not AuditEvent.objects.filter(action="tenders.candidate_apply").exists()


# --- candidates of opened requests (ADR 0011) ---------------------------------------------------------------------
def _register(c, actor, **kw):
    fields = {
        "display_name": "Samen Sterk",
        "members": [{"name": "Stichting Lid", "ring": 1, "role": "lid"}, {"name": "Stichting Leider", "ring": 0}],
    }
    if "applied_at" not in kw:
        fields["applied_at"] = _before(c)
    if "now" not in kw:
        fields["now"] = after(c, K.REQUESTS)
    return services.register_candidate(c, actor, **{**fields, **kw})


def test_a_registered_candidate_keeps_the_participants_of_its_request_lead_first(c, user):
    registered = _register(c, user)
    assert registered.name == "Samen Sterk" and registered.organisation is None and registered.is_consortium
    with translation.override("nl"):
        labels = [(p["name"], p["ring"], str(p["ring_label"])) for p in registered.participants()]
    assert labels == [
        ("Stichting Leider", 0, "Penvoerder"),
        ("Stichting Lid", 1, "Lid van het samenwerkingsverband"),
    ]
    event = AuditEvent.objects.get(action="tenders.candidate_register")
    assert event.summary == {"name": "Samen Sterk", "participants": 2, "organisation": False}


def test_no_candidate_is_registered_before_the_deadline_for_requests_art_22_3(c, user):
    with pytest.raises(ValidationError, match="after their deadline"):
        _register(c, user, now=_before(c))
    with pytest.raises(ValidationError, match="not received before the deadline"):
        _register(c, user, applied_at=c.deadlines.get(kind=K.REQUESTS).at)
    assert not c.candidates.exists()


def test_candidates_are_registered_only_in_the_selection_stage(m, user):
    with pytest.raises(ValidationError, match="selection stage"):
        now = timezone.now()
        _register(published(m, route=Route.OPEN, user=user), user, applied_at=now - HOUR, now=now)


def test_a_candidate_has_exactly_one_lead(c, user):
    with pytest.raises(ValueError, match="one lead"):
        _register(c, user, members=[{"name": "A", "ring": 1}])
    with pytest.raises(ValueError, match="name"):
        _register(c, user, members=[{"name": " ", "ring": 0}])
    assert not c.candidates.exists()


def test_an_organisation_that_is_already_a_candidate_is_not_linked_twice(c, m, user):
    first = candidate(c, "Wijkkracht")
    second = _register(c, user, organisation=first.organisation)
    assert second.organisation is None and c.candidates.count() == 2


def test_candidates_are_assessed_only_after_the_deadline_so_all_alike(c, user):
    applied = candidate(c)
    with pytest.raises(ValidationError, match="after the deadline"):
        services.decide_candidate(applied, user, admit=True, now=_before(c))
    decided = services.decide_candidate(applied, user, admit=True, score=80, now=after(c, K.REQUESTS))
    assert (decided.status, decided.selection_score, decided.decided_by) == (Candidate.Status.ADMITTED, 80, user)
    assert AuditEvent.objects.filter(action="tenders.candidate_decide").count() == 1


def test_a_rejection_states_its_reasons_aw_2_103(c, user):
    applied = candidate(c)
    with pytest.raises(ValidationError, match="reasons"):
        services.decide_candidate(applied, user, admit=False, reasons="  ", now=after(c, K.REQUESTS))
    applied.refresh_from_db()
    assert applied.status == Candidate.Status.APPLIED
    with pytest.raises(ValidationError, match="0 to 100"):
        services.decide_candidate(applied, user, admit=True, score=101, now=after(c, K.REQUESTS))


def test_at_most_the_maximum_number_of_candidates_is_admitted(c, user):
    a, b, third = (candidate(c, name) for name in ("A", "B", "C"))
    now = after(c, K.REQUESTS)
    services.decide_candidate(a, user, admit=True, score=80, now=now)
    services.decide_candidate(b, user, admit=True, score=60, now=now)
    with pytest.raises(ValidationError, match="At most 2 candidates"):
        services.decide_candidate(third, user, admit=True, score=75, now=now)
    services.decide_candidate(b, user, admit=False, score=60, reasons="Minder ervaring dan A en C.", now=now)
    services.decide_candidate(third, user, admit=True, score=75, now=now)  # a decision can be revised in the stage
    assert set(c.candidates.filter(status="admitted").values_list("pk", flat=True)) == {a.pk, third.pk}


def test_the_selection_stage_ends_only_when_every_candidate_is_decided_and_one_admitted(c, user):
    applied = candidate(c)
    now = after(c, K.REQUESTS)
    with pytest.raises(ValidationError, match="1 undecided"):
        services.transition(c, user, Phase.INVITATION, now=now)
    services.decide_candidate(applied, user, admit=False, reasons="Geen ervaring.", now=now)
    with pytest.raises(ValidationError, match="at least one candidate"):
        services.transition(c, user, Phase.INVITATION, now=now)
    services.decide_candidate(applied, user, admit=True, score=70, now=now)
    services.transition(c, user, Phase.INVITATION, now=now)
    with pytest.raises(ValidationError, match="selection stage"):
        services.decide_candidate(applied, user, admit=False, reasons="Te laat.", now=now)


def test_only_admitted_candidates_are_invited_to_bid(c, user):
    admitted = candidate(c, "A", admit=True, user=user)
    rejected = candidate(c, "B", admit=False, user=user)
    assert selectors.invited(c, admitted.organisation_id) and not selectors.invited(c, rejected.organisation_id)


def test_in_a_dialogue_only_admitted_candidates_take_part_and_at_most_n_go_to_phase_2(m, user):
    c = published(m, route=Route.COMPETITIVE_DIALOGUE, user=user)
    a, b, third = (candidate(c, name, admit=True, user=user) for name in ("A", "B", "C"))
    rejected = candidate(c, "R", admit=False, user=user)
    advance_to(c, user, Phase.DIALOGUE_SELECTION)
    with pytest.raises(ValidationError, match="admitted"):
        services.select_for_phase_2(c, user, [a, rejected])
    with pytest.raises(ValidationError, match="At most 2"):
        services.select_for_phase_2(c, user, [a, b, third])
    scores, reasons = {a: 80, b: 70, third: 60}, {third: "Uw oplossing scoort lager."}
    services.select_for_phase_2(c, user, [a, b], scores=scores, reasons=reasons)
    advance_to(c, user, Phase.DIALOGUE_2)
    with pytest.raises(ValidationError, match="not selected"):
        services.record_dialogue_session(third, user, held_at=timezone.now(), minutes="x")
    assert selectors.invited(c, a.organisation_id) and not selectors.invited(c, third.organisation_id)


def test_dialogue_phase_2_cannot_be_larger_than_the_number_admitted(m, user):
    with pytest.raises(ValidationError):
        draft(m, user, route=Route.COMPETITIVE_DIALOGUE, max_candidates=2, max_dialogue_participants=3)
    c = draft(m, user, route=Route.COMPETITIVE_DIALOGUE, max_dialogue_participants=None)
    complete(c, user)
    assert "Set the maximum number of participants in dialogue phase 2." in rules.publish_errors(c)


# --- pages --------------------------------------------------------------------------------------------------------
@pytest.fixture
def closed(m, user):
    """A preselection whose deadline for requests passed five days ago (published 25 days ago): time to decide."""
    past = timezone.now() - timedelta(days=25)
    c = complete(draft(m, user, route=Route.PRESELECTION, max_candidates=2), user, now=past)
    services.publish(c, user, now=past)
    c.refresh_from_db()
    return c


def _apply_url(c, m):
    return reverse("tenders:apply", args=[m.cbs_code, c.pk])


def test_apply_page_lets_a_provider_apply_and_shows_only_its_own_status(client, c, m, tenders_only):
    rep, org = provider(m, "Wijkkracht")
    other = candidate(c, "Concurrent", consortium_name="Consortium Concurrent")
    login(client, rep)
    assert client.post(_apply_url(c, m), {"organisation": ""}).status_code == 400
    response = client.post(_apply_url(c, m), {"organisation": org.pk})
    assert response.status_code == 302
    page = client.get(_apply_url(c, m)).content.decode()
    assert org.name in page and "Aangemeld" in page
    assert 'name="organisation"' not in page  # its only organisation has applied: no form any more
    assert other.name not in page and other.organisation.name not in page


def test_apply_page_points_to_the_sealed_request_where_requests_are_sealed(client, c, m):
    rep, org = provider(m, "Wijkkracht")
    login(client, rep)
    with intake.providers.replaced(lambda commissioning: True):
        page = client.get(_apply_url(c, m)).content.decode()
        refused = client.post(_apply_url(c, m), {"organisation": org.pk})
    assert "verzegeld verzoek tot deelneming" in page and 'name="organisation"' not in page
    assert refused.status_code == 400 and "verzegeld verzoek" in refused.content.decode()
    assert not c.candidates.exists()


def test_a_candidate_sees_its_consortium_members(client, closed, m):
    applied = candidate(closed, "Wijkkracht", consortium_name="Samen Sterk", partners=["Buurthuis De Linde"])
    login(client, applied.applied_by)
    page = client.get(_apply_url(closed, m)).content.decode()
    assert "Samen Sterk" in page and "Buurthuis De Linde (Lid van het samenwerkingsverband)" in page


def test_apply_page_is_for_provider_representatives_of_a_selection_procedure(client, c, m, user):
    assert client.get(_apply_url(c, m)).status_code == 302  # to the login
    login(client, user_with_role(Role.POLICY_ADVISOR, m))
    assert client.get(_apply_url(c, m)).status_code == 403  # represents no organisation
    client.logout()
    login(client, provider(m)[0])
    open_procedure = published(m, route=Route.OPEN, user=user)
    assert client.get(_apply_url(open_procedure, m)).status_code == 404
    assert client.get(_apply_url(draft(m, user, route=Route.PRESELECTION), m)).status_code == 404


def test_a_rejected_candidate_reads_its_reasons(client, closed, m, user):
    applied = candidate(closed)
    services.decide_candidate(applied, user, admit=False, reasons="Geen ervaring met dagopvang.", score=30)
    login(client, applied.applied_by)
    page = client.get(_apply_url(closed, m)).content.decode()
    assert "Afgewezen" in page and "Geen ervaring met dagopvang." in page and "score 30 van 100" in page


def test_officer_decides_on_the_dashboard_and_bad_input_is_a_400_in_dutch(client, closed, m, user):
    candidate(closed, "A", consortium_name="Consortium A")
    b = candidate(closed, "B")
    url = reverse("tenders:candidate_decide", args=[m.cbs_code, closed.pk, b.pk])
    login(client, user)
    dashboard = client.get(reverse("tenders:manage", args=[m.cbs_code, closed.pk])).content.decode()
    assert "Consortium A" in dashboard and "Stichting A (penvoerder)" in dashboard and b.name in dashboard
    bad = client.post(url, {f"cand{b.pk}-decision": "reject", f"cand{b.pk}-reasons": ""})
    assert bad.status_code == 400 and "Motiveer de afwijzing" in bad.content.decode()
    assert client.post(url, {f"cand{b.pk}-decision": "maybe"}).status_code == 400
    b.refresh_from_db()
    assert b.status == Candidate.Status.APPLIED
    ok = client.post(url, {f"cand{b.pk}-decision": "reject", f"cand{b.pk}-reasons": "Te weinig ervaring."})
    assert ok.status_code == 302
    b.refresh_from_db()
    assert b.status == Candidate.Status.REJECTED and b.reasons == "Te weinig ervaring."


def test_deciding_is_for_the_procurement_officer_of_the_municipality_only(client, closed, m):
    applied = candidate(closed)
    url = reverse("tenders:candidate_decide", args=[m.cbs_code, closed.pk, applied.pk])
    data = {f"cand{applied.pk}-decision": "admit"}
    assert client.post(url, data)["Location"].startswith(reverse("core:login"))
    for u in (user_with_role(Role.POLICY_ADVISOR, m), applied.applied_by, officer(MunicipalityFactory())):
        login(client, u)
        assert client.post(url, data).status_code == 403
        client.logout()
    applied.refresh_from_db()
    assert applied.status == Candidate.Status.APPLIED


def test_the_public_page_does_not_list_the_candidates(client, c, m):
    applied = candidate(c, "Geheim", consortium_name="Consortium Geheim")
    page = client.get(reverse("publication:detail", args=[m.cbs_code, c.pk])).content.decode()
    assert applied.name not in page and "Aanmelden als gegadigde" in page
