"""The grant route (Awb title 4.2) and the price of Wmo services: what tenders.grant_rules refuses before publication
and what the threshold check shows instead of "a grant round is not a public contract"."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.testing import login
from tenders import grant_rules, rules, services
from tenders.models import Phase, Route, WmoPriceBasis

from .factories import complete, draft

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=AMS)
START = date(2028, 1, 1)


def grant_round(m, user, **fields):
    """A complete grant round, deadlines relative to NOW, its ceiling announced the day before NOW."""
    fields = {"contract_start": START, "grant_ceiling_announced_on": date(2026, 11, 30), **fields}
    return complete(draft(m, user, route=Route.GRANT_ROUND, **fields), user, now=NOW)


def test_a_complete_grant_round_may_be_published(m, user):
    c = grant_round(m, user)
    assert rules.publish_errors(c, NOW) == []
    assert services.publish(c, user, now=NOW).phase == Phase.APPLICATION_PERIOD


# --- grant or public contract ---------------------------------------------------------------------------------------
CONTRACT = {
    "grant_enforceable_obligations": True,
    "grant_acquires_services": True,
    "grant_fixed_budget_for_defined_services": True,
}


@pytest.mark.parametrize(
    ("answers", "contract"),
    [
        ({}, False),  # the factory's answers: multi-year, nothing else
        ({"grant_enforceable_obligations": True}, False),  # obligations, but nothing acquired or paid for
        ({"grant_fixed_budget_for_defined_services": True, "grant_acquires_services": True}, False),  # no obligation
        ({"grant_enforceable_obligations": True, "grant_acquires_services": True}, True),
        ({"grant_enforceable_obligations": True, "grant_fixed_budget_for_defined_services": True}, True),
        (CONTRACT, True),
    ],
)
def test_grant_or_public_contract_follows_the_recorded_answers_directive_art_2_1_5(m, user, answers, contract):
    c = draft(m, user, route=Route.GRANT_ROUND, **answers)
    assessment = grant_rules.assess_grant(c)
    assert assessment.answered and assessment.points_to_public_contract is contract


def test_a_grant_round_with_unanswered_substance_questions_is_not_published_directive_art_2_1_5(m, user):
    c = grant_round(m, user, grant_acquires_services=None, grant_assessment_reasons="")
    assert not grant_rules.assess_grant(c).answered
    errors = rules.publish_errors(c, NOW)
    assert "Answer every question on grant or public contract." in errors
    assert "Give the reasons for the answers on grant or public contract." in errors


def test_publishing_a_grant_round_that_points_to_a_public_contract_needs_reasons_directive_art_2_1_5(m, user):
    c = grant_round(m, user, **CONTRACT)
    with pytest.raises(ValidationError, match="point to a public contract"):
        services.publish(c, user, now=NOW)
    c.refresh_from_db()
    assert c.phase == Phase.DRAFT and not c.is_published
    why = "Het college verstrekt de subsidie op grond van artikel 4:23 Awb aan een activiteit van algemeen belang."
    services.update_commissioning(c, user, grant_despite_reasons=why)
    assert services.publish(c, user, now=NOW).is_published


def test_the_threshold_check_shows_the_recorded_assessment_directive_art_2_1_5(m, user):
    grant = draft(m, user, route=Route.GRANT_ROUND)
    check = rules.check_threshold(grant, date(2026, 12, 1))
    assert check.regime == rules.REGIME_GRANT
    assert "not a public contract" not in check.explanation
    assert "point to a grant" in check.explanation and grant.grant_assessment_reasons in check.explanation
    contract = draft(m, user, route=Route.GRANT_ROUND, **CONTRACT, grant_despite_reasons="Omdat het zo is.")
    explanation = rules.check_threshold(contract, date(2026, 12, 1)).explanation
    assert "point to a public contract" in explanation and "Omdat het zo is." in explanation
    assert any("Awb 4:26, 4:27" in r for r in rules.check_threshold(contract, date(2026, 12, 1)).requirements)


# --- the subsidy ceiling --------------------------------------------------------------------------------------------
def test_ceiling_applies_per_year_awb_4_22(m, user):
    """Two years of € 1,000,000 fit a ceiling of € 1,000,000 per year (the multi-year total of € 2,000,000 is not
    compared with it); € 1 more per year does not fit."""
    c = grant_round(m, user, grant_ceiling=Decimal("1000000"), term_years=2)
    assert grant_rules.annual_budget(c) == Decimal("1000000") and rules.estimated_value(c) == Decimal("2000000")
    assert grant_rules.ceiling_errors(c) == [] and rules.publish_errors(c, NOW) == []
    services.update_commissioning(c, user, grant_ceiling=Decimal("999999"))
    c.refresh_from_db()
    assert grant_rules.ceiling_errors(c) == [
        "The lots' budgets per year (€ 1.000.000,00) exceed the subsidy ceiling per year (€ 999.999,00)."
    ]
    services.update_commissioning(c, user, grant_ceiling=None)
    c.refresh_from_db()
    assert "Set the subsidy ceiling per year (Awb 4:22)." in rules.publish_errors(c, NOW)


def test_ceiling_announced_before_period_awb_4_27(m, user):
    """The ceiling and its distribution rule (Awb 4:26(2)) are announced before the subsidy period starts and
    before the applications open at publication (Awb 4:27)."""
    c = grant_round(m, user, grant_ceiling_announced_on=None)
    assert "Record when the subsidy ceiling and the distribution rule were announced (Awb 4:26, 4:27)." in (
        rules.publish_errors(c, NOW)
    )
    before_period = "The subsidy ceiling and the distribution rule are announced before the subsidy period starts"
    services.update_commissioning(c, user, grant_ceiling_announced_on=START)
    c.refresh_from_db()
    assert any(e.startswith(before_period) for e in grant_rules.announcement_errors(c, NOW))
    services.update_commissioning(c, user, grant_ceiling_announced_on=date(2026, 12, 2))  # tomorrow
    c.refresh_from_db()
    assert grant_rules.announcement_errors(c, NOW) == [
        "Announce the subsidy ceiling and the distribution rule before the application period opens (Awb 4:27)."
    ]
    services.update_commissioning(c, user, grant_ceiling_announced_on=date(2026, 12, 1))  # today, Amsterdam
    c.refresh_from_db()
    assert grant_rules.announcement_errors(c, NOW) == []
    assert grant_rules.announcement_errors(c, NOW - timedelta(days=1)) != []
    services.update_commissioning(c, user, contract_start=None)
    c.refresh_from_db()
    assert grant_rules.announcement_errors(c, NOW) == ["Set the start of the subsidy period (the contract start)."]


def test_subsidy_regulation_recorded_before_publication_awb_4_23(m, user):
    c = grant_round(m, user, grant_regulation="", grant_regulation_reference=" ")
    with pytest.raises(ValidationError) as exc:
        services.publish(c, user, now=NOW)
    assert "Name the subsidy regulation the grant round rests on (Awb 4:23)." in exc.value.messages
    assert any("Gemeenteblad" in message for message in exc.value.messages)
    services.update_commissioning(
        c, user, grant_regulation="Subsidieregeling Sociale Basis Leiden 2027", grant_regulation_reference="gmb-2026-1"
    )
    assert services.publish(c, user, now=NOW).is_published


def test_grant_rules_do_not_apply_to_tenders_awb_title_4_2(m, user):
    c = complete(draft(m, user, route=Route.OPEN), user, now=NOW)
    assert grant_rules.grant_publish_errors(c, NOW) == [] and rules.publish_errors(c, NOW) == []


# --- Wmo services ---------------------------------------------------------------------------------------------------
def test_wmo_price_basis_required_uitvoeringsbesluit_wmo_art_5_4(m, user):
    c = complete(draft(m, user, route=Route.OPEN, wmo_services=True), user, now=NOW)
    errors = rules.publish_errors(c, NOW)
    assert "Wmo services: choose the price basis (Uitvoeringsbesluit Wmo 2015 art. 5.4)." in errors
    assert "Wmo services: describe the cost price the price is based on (art. 5.4(3))." in errors
    assert "Wmo services: state how the price is indexed (art. 5.4(3)(e))." in errors
    with pytest.raises(ValidationError, match="price basis"):
        services.publish(c, user, now=NOW)
    services.update_commissioning(
        c,
        user,
        wmo_price_basis=WmoPriceBasis.FIXED_PRICE,
        wmo_cost_price="Loonkosten schaal 8 cao Sociaal Werk, 20% overhead, 15% niet-productieve uren, reiskosten.",
        wmo_indexation="Jaarlijks met de OVA-index van het voorgaande jaar.",
    )
    c.refresh_from_db()
    assert grant_rules.wmo_price_errors(c) == []
    assert services.publish(c, user, now=NOW).is_published


def test_without_wmo_services_no_price_basis_is_asked_uitvoeringsbesluit_wmo_art_5_4(m, user):
    assert grant_rules.wmo_price_errors(draft(m, user, route=Route.OPEN)) == []


# --- objection ------------------------------------------------------------------------------------------------------
def test_objection_term_is_six_weeks_from_the_day_after_sending_awb_6_7_6_8():
    # Sent Tuesday 1 December 2026: day 1 is 2 December, the last day of six weeks Tuesday 12 January 2027.
    assert grant_rules.objection_deadline(date(2026, 12, 1)) == date(2027, 1, 12)


def test_objection_term_ending_on_a_sunday_or_holiday_runs_to_the_next_working_day_algemene_termijnenwet_art_1():
    assert grant_rules.objection_deadline(date(2027, 2, 28)) == date(2027, 4, 12)  # Sunday 11 April → Monday
    assert grant_rules.objection_deadline(date(2027, 3, 16)) == date(2027, 4, 28)  # King's Day 27 April → 28th


# --- the design form asks the questions -----------------------------------------------------------------------------
def test_the_design_form_records_the_grant_answers_and_the_wmo_price_basis_awb_4_23(client, m, user):
    data = {
        "title": "Subsidie Sociale Basis",
        "goals": "Bewoners organiseren zelf activiteiten in hun wijk.",
        "route": "grant_round",
        "service_category": "social",
        "contract_start": "2028-01-01",
        "term_years": 2,
        "option_count": 0,
        "option_years": 1,
        "grant_ceiling": "500000",
        "grant_ceiling_announced_on": "2026-11-30",
        "grant_regulation": "Subsidieregeling Sociale Basis Leiden 2027",
        "grant_regulation_reference": "Gemeenteblad 2026, 4711",
        "grant_multi_year": "true",
        "grant_enforceable_obligations": "false",
        "grant_fixed_budget_for_defined_services": "false",
        "grant_acquires_services": "false",
        "grant_assessment_reasons": "De gemeente neemt niets af; bewoners bepalen de activiteiten.",
        "wmo_services": "on",
        "wmo_price_basis": "real_price_floor",
        "wmo_cost_price": "Loonkosten, overhead en reiskosten.",
        "wmo_indexation": "OVA-index.",
    }
    with time_machine.travel(NOW, tick=False):
        login(client, user)
        page = client.get(reverse("tenders:create", args=[m.cbs_code])).content.decode()
        assert "Subsidieregeling (Awb 4:23)" in page and "Prijsgrondslag (Uitvoeringsbesluit Wmo 2015 art. 5.4)" in page
        assert client.post(reverse("tenders:create", args=[m.cbs_code]), data).status_code == 302
    c = m.commissionings.get()
    assert (c.grant_multi_year, c.grant_enforceable_obligations, c.grant_acquires_services) == (True, False, False)
    assert c.grant_ceiling_announced_on == date(2026, 11, 30) and c.wmo_price_basis == WmoPriceBasis.REAL_PRICE_FLOOR
    assert grant_rules.assess_grant(c).answered and grant_rules.wmo_price_errors(c) == []
