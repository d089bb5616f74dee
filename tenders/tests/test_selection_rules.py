"""Objective selection and the dialogue (tenders/selection_rules.py): the method is announced before publication,
admission follows the scores, enough candidates are invited under the EU regime, participants are reduced between the
dialogue phases only as announced, and the grounds for the procedure and the lots are recorded."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from core.models import Role
from core.testing import MunicipalityFactory, login, user_with_role
from tenders import rules, selection_rules, services
from tenders.models import Deadline, Phase, Route, ServiceCategory

from .factories import advance_to, after, candidate, complete, draft, officer, published

pytestmark = pytest.mark.django_db
K = Deadline.Kind
EU = rules.REGIME_EUROPEAN


@pytest.fixture
def m():
    return MunicipalityFactory(cbs_code="GM0392", name="Haarlem")


def _eu(m, user, route, **fields):
    """A commissioning of general services worth € 9 million: the European regime (threshold € 216,000)."""
    return complete(draft(m, user, route=route, service_category=ServiceCategory.GENERAL, **fields), user)


def _decide(c, user, cand, *, admit, score, reasons="Voldoet."):
    return services.decide_candidate(cand, user, admit=admit, score=score, reasons=reasons, now=after(c, K.REQUESTS))


# --- the method, announced before publication ---------------------------------------------------------------------
def test_selection_method_announced_before_publication_directive_art_65_2(m, user):
    c = complete(draft(m, user, route=Route.PRESELECTION, selection_scoring=" "), user)
    assert "Describe how the selection criteria are scored." in rules.publish_errors(c)
    with pytest.raises(ValidationError, match="how the selection criteria are scored"):
        services.publish(c, user)
    c = services.update_commissioning(c, user, selection_scoring="Eén score 0–100.", selection_minimum_score=40)
    assert rules.publish_errors(c) == []
    with pytest.raises(ValidationError, match="0 to 100"):
        services.update_commissioning(c, user, selection_minimum_score=101)


def test_tie_break_rule_published_for_every_route_directive_art_18_1(m, user):
    for route in Route.values:
        c = complete(draft(m, user, route=route, tie_break=""), user)
        c = services.update_commissioning(c, user, tie_break="")
        assert "Publish the tie-break rule: how equal scores are decided." in rules.publish_errors(c), route


def test_selection_method_on_the_public_page_directive_art_65_2(client, m, user):
    c = published(m, route=Route.COMPETITIVE_DIALOGUE, user=user, selection_minimum_score=50)
    page = client.get(reverse("publication:detail", args=[m.cbs_code, c.pk])).content.decode()
    for text in (c.selection_scoring, c.tie_break, c.dialogue_reduction_method, c.procedure_grounds, c.lot_reasons):
        assert text in page
    assert "ten minste 50 van 100" in page


# --- admission follows the scores ---------------------------------------------------------------------------------
def test_admitting_needs_a_score_directive_art_65_2(m, user):
    c = published(m, route=Route.PRESELECTION, user=user, selection_minimum_score=50)
    applied = candidate(c)
    with pytest.raises(ValidationError, match="Score the candidate"):
        _decide(c, user, applied, admit=True, score=None)
    with pytest.raises(ValidationError, match="minimum score to qualify is 50"):
        _decide(c, user, applied, admit=True, score=49)
    applied.refresh_from_db()
    assert applied.status == "applied"
    assert _decide(c, user, applied, admit=True, score=50).status == "admitted"


def test_admission_follows_ranking_directive_art_55_2(m, user):
    c = published(m, route=Route.PRESELECTION, user=user, max_candidates=2)
    low, lower, best = (candidate(c, name) for name in ("Laag", "Lager", "Best"))
    _decide(c, user, low, admit=True, score=20)
    _decide(c, user, lower, admit=True, score=10)
    # Scores 10 and 20 admitted while 95 is rejected: refused at the decision ...
    with pytest.raises(ValidationError, match="Stichting Laag, Stichting Lager scored lower and was admitted"):
        _decide(c, user, best, admit=False, score=95, reasons="Geen plek meer.")
    _decide(c, user, lower, admit=False, score=10, reasons="Laagste score van de drie.")
    _decide(c, user, best, admit=True, score=95)
    _decide(c, user, low, admit=False, score=20, reasons="Herzien.")
    with pytest.raises(ValidationError, match="Stichting Laag scored higher and was rejected"):
        _decide(c, user, lower, admit=True, score=10)
    _decide(c, user, low, admit=True, score=20)
    # ... and at the end of the selection stage: the admitted are exactly the best-scoring (here data decided
    # before the rule existed).
    now = after(c, K.REQUESTS)
    c.candidates.filter(pk=best.pk).update(status="rejected", reasons="Geen plek meer.")
    c.candidates.filter(pk=lower.pk).update(status="admitted")
    errors = rules.transition_errors(c, Phase.INVITATION, now)
    assert "Rejected while scoring higher than an admitted candidate: Stichting Best." in errors
    with pytest.raises(ValidationError):
        services.transition(c, user, Phase.INVITATION, now=now)
    c.candidates.filter(pk=best.pk).update(status="admitted")
    c.candidates.filter(pk=lower.pk).update(status="rejected")
    services.transition(c, user, Phase.INVITATION, now=now)


def test_all_qualified_are_admitted_up_to_the_maximum_directive_art_65_2(m, user):
    c = published(m, route=Route.PRESELECTION, user=user, max_candidates=2, selection_minimum_score=50)
    a, b, weak = (candidate(c, name) for name in ("A", "B", "Zwak"))
    _decide(c, user, a, admit=True, score=70)
    _decide(c, user, b, admit=False, score=60, reasons="Toch niet.")
    _decide(c, user, weak, admit=False, score=30, reasons="Onder de minimumscore.")
    errors = rules.transition_errors(c, Phase.INVITATION, after(c, K.REQUESTS))
    assert "2 candidates qualify and at most 2 are admitted: admit 2, the best-scoring ones." in errors
    _decide(c, user, b, admit=True, score=60)
    assert rules.transition_errors(c, Phase.INVITATION, after(c, K.REQUESTS)) == []


def test_a_tie_at_the_cut_off_is_decided_by_the_announced_rule_directive_art_55_2(m, user):
    c = published(m, route=Route.PRESELECTION, user=user, max_candidates=1)
    a, b = candidate(c, "A"), candidate(c, "B")
    _decide(c, user, a, admit=True, score=70)
    _decide(c, user, b, admit=False, score=70, reasons="Gelijke score; de beslisregel (eerste criterium) gaf A.")
    assert rules.transition_errors(c, Phase.INVITATION, after(c, K.REQUESTS)) == []


def test_admission_errors_report_unscored_and_below_minimum_directive_art_65_2(m, user):
    c = published(m, route=Route.PRESELECTION, user=user, max_candidates=2, selection_minimum_score=50)
    a, b = candidate(c, "A"), candidate(c, "B")
    _decide(c, user, a, admit=True, score=80)
    _decide(c, user, b, admit=True, score=60)
    # Decisions made before the method changed (data of an older version) are caught at the end of the stage too.
    c.candidates.filter(pk=a.pk).update(selection_score=None)
    c.candidates.filter(pk=b.pk).update(selection_score=40)
    errors = selection_rules.admission_errors(c, rules.REGIME_LIGHT)
    assert "Admitted without a score: Stichting A." in errors
    assert "Admitted below the minimum score: Stichting B." in errors


# --- minimum number invited under the EU regime -------------------------------------------------------------------
def test_at_least_5_invited_restricted_directive_art_65_2(m, user):
    c = _eu(m, user, Route.PRESELECTION, max_candidates=4)
    assert rules.check_threshold(c, timezone.localdate()).regime == EU
    message = "at least 5 candidates are invited"
    assert any(message in e for e in rules.publish_errors(c))
    c = services.update_commissioning(c, user, max_candidates=5)
    assert not any(message in e for e in rules.publish_errors(c))
    light = complete(draft(m, user, route=Route.PRESELECTION, max_candidates=1), user)
    assert rules.check_threshold(light, timezone.localdate()).regime == rules.REGIME_LIGHT
    assert not any(message in e for e in rules.publish_errors(light))


def test_at_least_3_invited_competitive_dialogue_directive_art_65_2(m, user):
    c = _eu(m, user, Route.COMPETITIVE_DIALOGUE, max_candidates=2, max_dialogue_participants=None)
    c = services.update_commissioning(c, user, dialogue_reduction=False)
    assert any("at least 3 candidates are invited" in e for e in rules.publish_errors(c))
    assert selection_rules.minimum_invited(c, EU) == 3
    assert selection_rules.minimum_invited(c, rules.REGIME_NATIONAL) == 1


def test_fewer_qualified_than_5_continue_and_are_recorded_directive_art_65_2(m, user):
    c = _eu(m, user, Route.PRESELECTION, max_candidates=5, selection_minimum_score=50)
    now = timezone.now()  # the European minimum periods: 30 days for requests, then 40 for bids
    services.set_deadline(c, user, K.REQUESTS, now + timedelta(days=31))
    services.set_deadline(c, user, K.BIDS, now + timedelta(days=31 + 41))
    services.publish(c, user, now=now)
    c.refresh_from_db()
    a, b, weak = (candidate(c, name) for name in ("A", "B", "Zwak"))
    _decide(c, user, a, admit=True, score=70)
    _decide(c, user, b, admit=True, score=55)
    _decide(c, user, weak, admit=False, score=20, reasons="Onder de minimumscore van 50.")
    services.transition(c, user, Phase.INVITATION, now=after(c, K.REQUESTS))
    event = AuditEvent.objects.filter(action="tenders.transition").latest("pk")
    assert event.summary["shortfall"]["admitted"] == 2 and event.summary["shortfall"]["legal_minimum"] == 5


# --- reducing the participants between the dialogue phases --------------------------------------------------------
def _at_dialogue_selection(m, user, **fields):
    c = published(m, route=Route.COMPETITIVE_DIALOGUE, user=user, **fields)
    participants = [candidate(c, name, admit=True, user=user) for name in ("A", "B", "C")]
    advance_to(c, user, Phase.DIALOGUE_SELECTION)
    return c, participants


def test_dialogue_reduction_needs_announcement_directive_art_66(m, user):
    c, (a, b, third) = _at_dialogue_selection(m, user, dialogue_reduction=False, max_dialogue_participants=None)
    scores, reasons = {a: 80, b: 70, third: 60}, {third: "Scoort lager."}
    with pytest.raises(ValidationError, match="did not announce a reduction"):
        services.select_for_phase_2(c, user, [a, b], scores=scores, reasons=reasons)
    assert not c.candidates.filter(selected_for_phase_2=True).exists()
    services.select_for_phase_2(c, user, [a, b, third])
    assert c.candidates.filter(selected_for_phase_2=True).count() == 3


def test_dialogue_reduction_announced_with_method_before_publication_directive_art_66(m, user):
    c = complete(draft(m, user, route=Route.COMPETITIVE_DIALOGUE, dialogue_reduction_method=""), user)
    assert "Describe how the participants are reduced after dialogue phase 1." in rules.publish_errors(c)
    c = services.update_commissioning(c, user, dialogue_reduction=False)
    assert any("announce the reduction" in e for e in rules.publish_errors(c))  # a maximum without announcement
    c = services.update_commissioning(c, user, max_dialogue_participants=None)
    assert rules.publish_errors(c) == []


def test_dialogue_reduction_by_the_scores_of_the_solutions_directive_art_66(m, user):
    c, (a, b, third) = _at_dialogue_selection(m, user)
    with pytest.raises(ValidationError, match="Score the solution"):
        services.select_for_phase_2(c, user, [a, b], reasons={third: "Scoort lager."})
    with pytest.raises(ValidationError, match="Left out while scoring higher"):
        services.select_for_phase_2(c, user, [a, third], scores={a: 80, b: 90, third: 60}, reasons={b: "Nee."})
    services.select_for_phase_2(c, user, [a, b], scores={a: 80, b: 90, third: 60}, reasons={third: "Scoort lager."})
    third.refresh_from_db()
    assert (third.selected_for_phase_2, third.solution_score, third.solution_reasons) == (False, 60, "Scoort lager.")


def test_dialogue_reduction_gives_reasons_to_those_eliminated_directive_art_55_2(m, user):
    c, (a, b, third) = _at_dialogue_selection(m, user)
    with pytest.raises(ValidationError, match="Give the reasons to Stichting C"):
        services.select_for_phase_2(c, user, [a, b], scores={a: 80, b: 70, third: 60}, reasons={third: " "})


def test_dialogue_reduction_leaves_3_for_real_competition_directive_art_66(m, user):
    c = _eu(m, user, Route.COMPETITIVE_DIALOGUE, max_candidates=3, max_dialogue_participants=2)
    assert any("at least 3 participants remain" in e for e in rules.publish_errors(c))
    participants = [type("P", (), {"pk": i, "name": f"P{i}"})() for i in range(1, 5)]
    c.max_dialogue_participants = 4
    scores = {1: 90, 2: 80, 3: 70, 4: 60}
    errors = selection_rules.reduction_errors(c, EU, participants, {1, 2}, scores, {3: "x", 4: "y"})
    assert "At least 3 participants remain for real competition." in errors
    light = selection_rules.reduction_errors(c, rules.REGIME_LIGHT, participants, {1, 2}, scores, {3: "x", 4: "y"})
    assert "At least 3 participants remain for real competition." not in light


def test_at_most_the_announced_number_go_on_directive_art_66(m, user):
    c, (a, b, third) = _at_dialogue_selection(m, user)
    with pytest.raises(ValidationError, match="At most 2"):
        services.select_for_phase_2(c, user, [a, b, third], scores={a: 1, b: 2, third: 3})
    with pytest.raises(ValidationError, match="select 2, the best-scoring"):
        services.select_for_phase_2(c, user, [b], scores={a: 80, b: 90, third: 60}, reasons={a: "x", third: "y"})


# --- grounds for the procedure and the lots -----------------------------------------------------------------------
def test_competitive_dialogue_needs_grounds_aw_2_28(m, user):
    c = complete(draft(m, user, route=Route.COMPETITIVE_DIALOGUE, procedure_grounds=""), user)
    assert "Record the grounds for choosing the competitive dialogue (Aw 2.28)." in rules.publish_errors(c)
    c = services.update_commissioning(c, user, procedure_grounds="Innovatieve oplossing nodig.")
    assert rules.publish_errors(c) == []
    assert "Innovatieve oplossing nodig." in c.procedure_rationale()


def test_single_lot_needs_reasons_directive_art_46(m, user):
    c = complete(draft(m, user, lot_reasons=""), user)
    c = services.update_commissioning(c, user, lot_reasons="")
    assert "Give the reasons for not dividing the contract into lots (Aw 1.5)." in rules.publish_errors(c)
    services.save_lot(c, user, title="Perceel 2", annual_budget=Decimal("500000"))
    assert selection_rules.lot_errors(c) == []  # divided into lots: no reasons required
    grant = complete(draft(m, user, route=Route.GRANT_ROUND, lot_reasons=""), user)
    grant = services.update_commissioning(grant, user, lot_reasons="")
    assert selection_rules.lot_errors(grant) == []  # a grant round is no public contract


def test_procedure_rationale_joins_the_grounds_and_the_lot_reasons_directive_art_46(m, user):
    c = draft(m, user, route=Route.COMPETITIVE_DIALOGUE, procedure_grounds="Complex.", lot_reasons="Samenhang.")
    assert c.procedure_rationale() == "Choice of procedure: Complex.\n\nDivision into lots: Samenhang."
    assert draft(m, user, procedure_grounds="", lot_reasons="").procedure_rationale() == ""


# --- pages --------------------------------------------------------------------------------------------------------
def test_officer_reduces_on_the_dashboard_with_scores_and_reasons_directive_art_66(client, m, user):
    c, (a, b, third) = _at_dialogue_selection(m, user)
    url = reverse("tenders:dialogue_select", args=[m.cbs_code, c.pk])
    login(client, user)
    dashboard = client.get(reverse("tenders:manage", args=[m.cbs_code, c.pk])).content.decode()
    assert f'name="select-score_{third.pk}"' in dashboard and f'name="select-reasons_{third.pk}"' in dashboard
    data = {"select-participants": [a.pk, b.pk], f"select-score_{a.pk}": 80, f"select-score_{b.pk}": 70}
    data |= {f"select-score_{third.pk}": 60}
    bad = client.post(url, data)  # no reasons for the participant left out
    assert bad.status_code == 400 and f"Geef {third.name} een motivering." in bad.content.decode()
    assert client.post(url, data | {f"select-score_{a.pk}": 101}).status_code == 400
    assert not c.candidates.filter(selected_for_phase_2=True).exists()
    ok = client.post(url, data | {f"select-reasons_{third.pk}": "Uw oplossing scoort lager."})
    assert ok.status_code == 302
    assert set(c.candidates.filter(selected_for_phase_2=True).values_list("pk", flat=True)) == {a.pk, b.pk}
    client.logout()
    login(client, third.applied_by)
    page = client.get(reverse("tenders:apply", args=[m.cbs_code, c.pk])).content.decode()
    assert "Uw oplossing scoort lager." in page and "uw oplossing scoorde 60 van 100" in page


def test_reducing_is_for_the_procurement_officer_of_the_municipality_only_directive_art_66(client, m, user):
    c, (a, b, third) = _at_dialogue_selection(m, user)
    url = reverse("tenders:dialogue_select", args=[m.cbs_code, c.pk])
    data = {"select-participants": [a.pk, b.pk, third.pk]}
    assert client.post(url, data)["Location"].startswith(reverse("core:login"))
    for u in (user_with_role(Role.POLICY_ADVISOR, m), a.applied_by, officer(MunicipalityFactory())):
        login(client, u)
        assert client.post(url, data).status_code == 403
        client.logout()
    assert not c.candidates.filter(selected_for_phase_2=True).exists()
