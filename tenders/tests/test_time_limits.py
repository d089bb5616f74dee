"""Time limits by regime (issue 13), at fixed instants: the minimum periods for requests and bids, the clarifications
and question rounds, the freeze points and the extension after a material change, in calendar days in
Europe/Amsterdam; the term caps of the municipal policy and the framework agreement."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from tenders import rules, services, time_limits
from tenders.models import Deadline, Phase, Route, ServiceCategory

from .factories import ANNOUNCED, GENERAL_CPV, SOCIAL_CPV, anchors, candidate, cpv, dispatch_notice, officer

pytestmark = pytest.mark.django_db
K = Deadline.Kind
AMS = ZoneInfo("Europe/Amsterdam")
DISPATCH = datetime(2027, 3, 1, 12, 0, tzinfo=AMS)  # thresholds 2026–2027 are known


def at(day: int, hour=12, minute=0, month=3) -> datetime:
    """A moment in 2027, Amsterdam time."""
    return datetime(2027, month, day, hour, minute, tzinfo=AMS)


def days(n: int) -> datetime:
    return time_limits.add_calendar_days(DISPATCH, n)


def draft(m, user, deadlines: dict, route=Route.OPEN, budget=Decimal("1000000"), **fields):
    """A complete draft with the given deadlines (days after DISPATCH, or moments). Social services by default:
    € 1 million a year for 9 years is the light regime; GENERAL makes it the European regime."""
    defaults = {"title": "Samen Opgroeien", "goals": "Veilig opgroeien.", "route": route, "term_years": 5}
    defaults |= {"option_count": 4, "option_years": 1, **ANNOUNCED}
    if route in (Route.PRESELECTION, Route.COMPETITIVE_DIALOGUE):
        defaults |= {"selection_criteria": "Ervaring in alle wijken.", "max_candidates": 5}
        defaults |= {"selection_scoring": "Eén score van 0 tot 100."}
    if route == Route.COMPETITIVE_DIALOGUE:
        defaults |= {"max_dialogue_participants": 3, "dialogue_reduction": True}
        defaults |= {
            "dialogue_reduction_method": "Gunningscriteria op de oplossingen.",
            "procedure_grounds": "Complex.",
        }
    category = fields.pop("service_category", ServiceCategory.SOCIAL)
    defaults["main_cpv"] = cpv(GENERAL_CPV if category == ServiceCategory.GENERAL else SOCIAL_CPV)
    c = services.create_commissioning(user, municipality=m, **(defaults | fields))
    services.save_lot(c, user, title="Perceel 1", annual_budget=budget)
    services.add_criterion(c, user, title="Plan", weight=100, anchors=anchors(c.scale))
    for kind, moment in deadlines.items():
        services.set_deadline(c, user, kind, days(moment) if isinstance(moment, int) else moment)
    return dispatch_notice(c, user, now=DISPATCH)  # the notice goes out at DISPATCH (Directive art. 52)


def publish(c, user, now=DISPATCH):
    services.publish(c, user, now=now)
    c.refresh_from_db()
    return c


def eu(m, user, deadlines, route=Route.OPEN, **fields):
    return draft(m, user, deadlines, route=route, service_category=ServiceCategory.GENERAL, **fields)


# --- calendar days ------------------------------------------------------------------------------------------------
def test_add_calendar_days_keeps_the_amsterdam_clock_time_across_the_switch_to_summer_time():
    before = at(27, 12)  # Saturday before the last Sunday of March 2027
    later = time_limits.add_calendar_days(before, 10)
    assert later.astimezone(AMS) == at(6, 12, month=4)
    assert later - before == timedelta(days=10) - timedelta(hours=1)  # 239 hours, not 240
    assert time_limits.calendar_days_between(before, later) == 10
    assert time_limits.calendar_days_between(at(1, 23, 59), at(2, 0, 1)) == 1


def test_extension_counts_calendar_days_across_dst_policy(m, user):
    c = publish(draft(m, user, {K.QUESTIONS: at(12), K.BIDS: at(27)}, short_period_reasons="x"), user)
    change = {c.lots.get().pk: {"annual_budget": Decimal("1100000")}}
    now = at(5)
    with pytest.raises(ValidationError, match="by at least 10 days"):
        services.rectify(c, user, explanation="x", lots=change, deadlines={K.BIDS: at(6, 11, 59, month=4)}, now=now)
    # Ten days later at the same clock time: 239 hours across the switch to summer time, and accepted.
    services.rectify(c, user, explanation="Meer budget", lots=change, deadlines={K.BIDS: at(6, month=4)}, now=now)
    assert c.deadlines.get(kind=K.BIDS).at == at(6, month=4)


# --- minimum periods ----------------------------------------------------------------------------------------------
def test_open_bid_period_at_least_45_days_aw_2_71(m, user):
    """45 days, 5 less because bids are always submitted electronically here (Aw 2.74a): 40."""
    c = eu(m, user, {K.QUESTIONS: 20, K.BIDS: 39})
    assert rules.check_threshold(c, DISPATCH.date()).regime == rules.REGIME_EUROPEAN
    with pytest.raises(ValidationError, match="at least 40 calendar days after the dispatch of the notice"):
        publish(c, user)
    services.set_deadline(c, user, K.BIDS, days(40))
    assert publish(c, user).phase == Phase.TENDERING


def test_bid_period_5_days_longer_when_documents_are_not_electronic_aw_2_72(m, user):
    c = eu(m, user, {K.QUESTIONS: 20, K.BIDS: 44}, documents_electronically_available=False)
    with pytest.raises(ValidationError, match="at least 45 calendar days"):
        publish(c, user)
    services.set_deadline(c, user, K.BIDS, days(45))
    publish(c, user)


def test_one_day_bid_period_above_the_threshold_is_refused_aw_2_71(m, user):
    c = eu(m, user, {K.QUESTIONS: at(1, 14), K.BIDS: 1}, short_period_reasons="Spoed")
    with pytest.raises(ValidationError) as exc:
        publish(c, user)
    assert any("Aw 2.71" in e for e in exc.value.messages)  # reasons do not help under the European regime


def test_restricted_requests_at_least_30_days_directive_art_28_1(m, user):
    c = eu(m, user, {K.QUESTIONS: 10, K.REQUESTS: 29, K.BIDS: 70}, route=Route.PRESELECTION)
    with pytest.raises(ValidationError, match="deadline for requests to participate must lie at least 30") as exc:
        publish(c, user)
    assert any("(Richtlijn art. 28(1))" in e for e in exc.value.messages)  # Aw 2.74 is the accelerated procedure
    services.set_deadline(c, user, K.REQUESTS, days(30))
    publish(c, user)


def test_restricted_bids_at_least_35_days_after_the_invitation_aw_2_74a(m, user):
    c = eu(m, user, {K.QUESTIONS: 10, K.REQUESTS: 30, K.BIDS: 64}, route=Route.PRESELECTION)
    with pytest.raises(ValidationError, match="at least 35 calendar days after the deadline for requests"):
        publish(c, user)
    services.set_deadline(c, user, K.BIDS, days(65))
    publish(c, user)
    candidate(c, "A", admit=True, user=user)
    # Invited two days after the requests deadline: the bid deadline then leaves 33 days, too few.
    with pytest.raises(ValidationError, match="at least 35 calendar days for their bids"):
        services.transition(c, user, Phase.INVITATION, now=days(32))
    services.transition(c, user, Phase.INVITATION, now=days(30) + timedelta(hours=1))


def test_dialogue_requests_at_least_30_days_directive_art_30_1(m, user):
    deadlines = {K.QUESTIONS: 10, K.REQUESTS: 29, K.DIALOGUE_1_SUBMISSIONS: 60, K.FINAL_BIDS: 90}
    c = eu(m, user, deadlines, route=Route.COMPETITIVE_DIALOGUE)
    with pytest.raises(ValidationError, match="Richtlijn art. 30"):
        publish(c, user)


def test_light_regime_period_is_the_municipal_minimum_aw_1_10_policy(m, user):
    c = draft(m, user, {K.QUESTIONS: 5, K.BIDS: 19}, short_period_reasons="Kleine opdracht")
    assert rules.check_threshold(c, DISPATCH.date()).regime == rules.REGIME_LIGHT
    with pytest.raises(ValidationError, match="at least 20 calendar days"):
        publish(c, user)
    services.save_policy(m, user, light_minimum_days=25)
    services.set_deadline(c, user, K.BIDS, days(24))
    with pytest.raises(ValidationError, match="at least 25 calendar days"):
        publish(c, user)
    services.set_deadline(c, user, K.BIDS, days(25))
    publish(c, user)


def test_shorter_than_the_european_period_needs_recorded_reasons_aw_1_10(m, user):
    c = draft(m, user, {K.QUESTIONS: 10, K.BIDS: 30})
    with pytest.raises(ValidationError, match="record the reasons"):
        publish(c, user)
    services.update_commissioning(c, user, short_period_reasons="Bekende markt, eenvoudige opdracht.")
    publish(c, user)


def test_national_regime_period_is_the_municipal_minimum_aw_1_10_policy(m, user):
    c = draft(
        m,
        user,
        {K.QUESTIONS: 4, K.BIDS: 14},
        budget=Decimal("10000"),
        term_years=1,
        option_count=0,
        short_period_reasons="Kleine opdracht",
    )
    assert rules.check_threshold(c, DISPATCH.date()).regime == rules.REGIME_NATIONAL
    services.save_policy(m, user, national_minimum_days=15)
    with pytest.raises(ValidationError, match="at least 15 calendar days"):
        publish(c, user)
    services.save_policy(m, user, national_minimum_days=14)
    publish(c, user)


# --- questions and clarifications ---------------------------------------------------------------------------------
def _answered(c, user, m, now):
    from .factories import provider

    rep, _org = provider(m)
    q = services.ask_question(c, rep, "Mag een consortium inschrijven?", now=now)
    services.answer_question(q, user, answer="Ja.")


def test_clarification_at_least_10_days_before_bids_aw_2_54(m, user):
    c = publish(draft(m, user, {K.QUESTIONS: 10, K.BIDS: 30}, short_period_reasons="x"), user)
    _answered(c, user, m, days(9))
    late = days(21)  # 9 days before the bid deadline
    with pytest.raises(ValidationError, match="at least 10 calendar days before the deadline for bids"):
        services.publish_clarification(c, user, now=late)
    with pytest.raises(ValidationError, match="at least 10 calendar days"):
        services.publish_clarification(c, user, extend_to=days(30) + timedelta(days=0, hours=3), now=late)
    assert not c.clarifications.exists() and not c.rectifications.exists()
    services.publish_clarification(c, user, extend_to=days(31), now=late)
    assert c.clarifications.count() == 1
    assert c.deadlines.get(kind=K.BIDS).at == days(31)
    assert c.rectifications.get().changes[0]["field"] == "deadline:bids"


def test_clarification_in_time_needs_no_extension_aw_2_54(m, user):
    c = publish(draft(m, user, {K.QUESTIONS: 10, K.BIDS: 30}, short_period_reasons="x"), user)
    _answered(c, user, m, days(9))
    services.publish_clarification(c, user, now=days(20))
    assert not c.rectifications.exists()


def test_clarification_4_days_in_an_accelerated_procedure_aw_2_54_2(m, user):
    fields = {"accelerated": True, "accelerated_reasons": "Wettelijke taak per 1 juli", "short_period_reasons": "x"}
    c = publish(draft(m, user, {K.QUESTIONS: 20, K.BIDS: 30}, **fields), user)
    _answered(c, user, m, days(9))
    with pytest.raises(ValidationError, match="at least 4 calendar days"):
        services.publish_clarification(c, user, now=days(27))
    services.publish_clarification(c, user, now=days(26))


def test_questions_deadline_leaves_room_for_the_clarifications_aw_2_54(m, user):
    c = draft(m, user, {K.QUESTIONS: 25, K.BIDS: 30}, short_period_reasons="x")
    with pytest.raises(ValidationError, match="deadline for questions must lie at least 10 calendar days before"):
        publish(c, user)


def test_invited_candidates_have_a_question_round_of_their_own_aw_2_54(m, user):
    from .factories import provider

    deadlines = {K.QUESTIONS: 10, K.REQUESTS: 30, K.INVITATION_QUESTIONS: 45, K.BIDS: 70}
    c = publish(draft(m, user, deadlines, route=Route.PRESELECTION, short_period_reasons="x"), user)
    invited = candidate(c, "A", admit=True, user=user)
    services.transition(c, user, Phase.INVITATION, now=days(31))
    c.refresh_from_db()
    assert rules.questions_open(c, days(40)) and not rules.questions_open(c, days(46))
    rep = invited.applied_by
    services.ask_question(c, rep, "Wat valt onder de begeleiding?", now=days(40))
    outsider, _org = provider(m, "Buiten")
    assert not rules.may_ask(outsider, m, c)
    with pytest.raises(ValidationError, match="only the candidates taking part"):
        services.ask_question(c, outsider, "Mag ik ook?", now=days(40))


# --- rectifications -----------------------------------------------------------------------------------------------
def test_selection_criteria_are_frozen_at_the_requests_deadline_aw_1_8(m, user):
    deadlines = {K.QUESTIONS: 10, K.REQUESTS: 30, K.BIDS: 70}
    c = publish(draft(m, user, deadlines, route=Route.PRESELECTION, short_period_reasons="x"), user)
    new = {"selection_criteria": "Ervaring in twee wijken."}
    with pytest.raises(ValidationError, match="selection criteria are frozen"):
        services.rectify(c, user, explanation="x", fields=new, now=days(31))
    services.rectify(c, user, explanation="Verduidelijkt", fields=new, now=days(29))


def test_everything_is_frozen_at_the_bid_deadline_cancel_and_publish_anew_aw_1_8(m, user):
    c = publish(draft(m, user, {K.QUESTIONS: 10, K.BIDS: 30}, short_period_reasons="x"), user)
    with pytest.raises(ValidationError, match="cancel the procedure and publish it anew"):
        services.rectify(c, user, explanation="x", fields={"title": "Andere titel"}, now=days(30) + timedelta(hours=1))


def test_material_change_in_the_selection_stage_extends_the_requests_deadline_too_directive_art_47_3(m, user):
    deadlines = {K.QUESTIONS: 10, K.REQUESTS: 30, K.BIDS: 70}
    c = publish(draft(m, user, deadlines, route=Route.PRESELECTION, short_period_reasons="x"), user)
    change = {c.lots.get().pk: {"annual_budget": Decimal("1100000")}}
    with pytest.raises(ValidationError, match="extend the deadline for requests to participate by at least 10"):
        services.rectify(c, user, explanation="x", lots=change, deadlines={K.BIDS: days(80)}, now=days(20))
    services.rectify(
        c, user, explanation="x", lots=change, deadlines={K.REQUESTS: days(40), K.BIDS: days(80)}, now=days(20)
    )


def test_questions_deadline_may_not_move_past_the_bid_deadline_directive_art_47_3(m, user):
    c = publish(draft(m, user, {K.QUESTIONS: 10, K.BIDS: 30}, short_period_reasons="x"), user)
    with pytest.raises(ValidationError, match="deadline for questions must come before the deadline for bids"):
        services.rectify(c, user, explanation="x", deadlines={K.QUESTIONS: days(31)}, now=days(5))
    assert c.deadlines.get(kind=K.QUESTIONS).at == days(10)


# --- term caps ----------------------------------------------------------------------------------------------------
def test_term_caps_are_municipal_policy_policy(m, user):
    assert "term_years" in rules.term_errors(7, 0, 1)
    policy = services.save_policy(m, user, max_initial_years=8, max_total_years=12)
    assert rules.term_errors(7, 0, 1, policy) == {}
    assert "option_count" in rules.term_errors(8, 5, 1, policy)
    c = services.create_commissioning(user, municipality=m, title="Lang", goals="x", route=Route.OPEN, term_years=8)
    assert c.term_years == 8
    with pytest.raises(ValidationError, match="cannot be shorter"):
        services.save_policy(m, user, max_initial_years=9, max_total_years=8)


def test_framework_agreement_at_most_4_years_under_the_eu_regime_directive_art_33_1(m, user):
    c = eu(m, user, {K.QUESTIONS: 20, K.BIDS: 45}, framework_agreement=True)
    with pytest.raises(ValidationError, match="framework agreement may run at most 4 years"):
        publish(c, user)
    services.update_commissioning(c, user, term_years=2, option_count=2, option_years=1)
    publish(c, user)


def test_each_dialogue_phase_has_a_question_round_for_its_participants_aw_2_54(m, user):
    deadlines = {
        K.QUESTIONS: 10,
        K.REQUESTS: 30,
        K.DIALOGUE_1_QUESTIONS: 40,
        K.DIALOGUE_1_SUBMISSIONS: 60,
        K.DIALOGUE_2_QUESTIONS: 70,
        K.FINAL_BIDS: 90,
    }
    c = draft(m, user, deadlines, route=Route.COMPETITIVE_DIALOGUE, short_period_reasons="x")
    c = publish(services.update_commissioning(c, user, max_dialogue_participants=1), user)
    first = candidate(c, "A", admit=True, user=user)
    second = candidate(c, "B", admit=True, user=user)
    services.transition(c, user, Phase.DIALOGUE_1, now=days(31))
    services.ask_question(c, second.applied_by, "Hoe ziet fase 1 eruit?", now=days(35))
    services.transition(c, user, Phase.DIALOGUE_SELECTION, now=days(61))
    c.refresh_from_db()
    assert not rules.questions_open(c, days(61))  # no round while the finalists are chosen
    services.select_for_phase_2(c, user, [first], scores={first: 80, second: 60}, reasons={second: "Scoort lager."})
    services.transition(c, user, Phase.DIALOGUE_2, now=days(62))
    c.refresh_from_db()
    services.ask_question(c, first.applied_by, "Wat verwacht u in fase 2?", now=days(65))
    with pytest.raises(ValidationError, match="only the candidates taking part"):
        services.ask_question(c, second.applied_by, "Mag ik nog vragen?", now=days(65))
    with pytest.raises(ValidationError, match="deadline for questions has passed"):
        services.ask_question(c, first.applied_by, "Te laat", now=days(71))


# --- the pages ----------------------------------------------------------------------------------------------------
def test_a_late_clarification_is_a_400_in_dutch_until_the_bid_deadline_is_extended_in_the_same_act_aw_2_54(client, m):
    import time_machine
    from django.urls import reverse

    from core.testing import login

    user = officer(m)
    c = publish(draft(m, user, {K.QUESTIONS: 10, K.BIDS: 30}, short_period_reasons="x"), user)
    _answered(c, user, m, days(9))
    url = reverse("tenders:clarify", args=[m.cbs_code, c.pk])
    with time_machine.travel(days(25), tick=False):
        login(client, user)
        late = client.post(url, {"clarify-introduction": "Nota 1"})
        assert late.status_code == 400 and "verleng die in dezelfde handeling" in late.content.decode()
        assert not c.clarifications.exists()
        extended = days(36).astimezone(AMS).strftime("%Y-%m-%dT%H:%M")
        assert client.post(url, {"clarify-introduction": "Nota 1", "clarify-extend_to": extended}).status_code == 302
    assert c.clarifications.count() == 1 and c.deadlines.get(kind=K.BIDS).at == days(36)


def test_only_the_candidates_taking_part_reach_the_question_page_of_the_invited_round(client, m, user):
    from django.urls import reverse

    from core.testing import login

    from .factories import provider

    deadlines = {K.QUESTIONS: 10, K.REQUESTS: 30, K.INVITATION_QUESTIONS: 45, K.BIDS: 70}
    c = publish(draft(m, user, deadlines, route=Route.PRESELECTION, short_period_reasons="x"), user)
    invited = candidate(c, "A", admit=True, user=user)
    services.transition(c, user, Phase.INVITATION, now=days(31))
    url = reverse("tenders:ask", args=[m.cbs_code, c.pk])
    outsider, _org = provider(m, "Buiten")
    login(client, outsider)
    assert client.get(url).status_code == 403
    client.logout()
    login(client, invited.applied_by)
    assert client.get(url).status_code == 200


def test_the_dashboard_lists_the_time_limits_of_the_regime_aw_2_71(client, m, user):
    from django.urls import reverse

    from core.testing import login

    c = eu(m, user, {K.QUESTIONS: 20, K.BIDS: 40})
    login(client, user)
    page = client.get(reverse("tenders:manage", args=[m.cbs_code, c.pk])).content.decode()
    section = page[page.index('id="time-limits"') :]
    assert "Termijn voor inschrijvingen: ten minste 40 kalenderdagen na de verzending van de aankondiging" in section
    assert "ten minste 10 kalenderdagen voor de eerstvolgende indieningstermijn" in section
