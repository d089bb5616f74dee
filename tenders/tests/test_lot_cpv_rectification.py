"""A lot's CPV codes changed after publication (issue 13): only by a rectification, as a material change that extends
the following deadlines like a change of budget or criteria (Directive 2014/24/EU art. 47(3); the extension is the
municipality's policy, Aw 1.10); and refused when the new codes bring the procedure under a regime that needs a
contract notice that was never dispatched (Directive art. 52). The clock is frozen with time-machine."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from core.testing import login
from tenders import regime, rules, services
from tenders.models import Deadline, Rectification
from tenders.policy import DEFAULTS

from .factories import GENERAL_CPV, SOCIAL_CPV, complete, cpv, draft

pytestmark = pytest.mark.django_db
K = Deadline.Kind
AMS = ZoneInfo("Europe/Amsterdam")
PUBLISH = datetime(2027, 3, 1, 12, 0, tzinfo=AMS)
LATER = PUBLISH + timedelta(days=3)  # the rectification, well before the first deadline
ELDERLY = "85311100-3"  # Welfare services for the elderly: Annex XIV
YOUTH = "85311300-5"  # Welfare services for children and young people: Annex XIV


def published_at(m, user, budget=Decimal("1000000"), **fields):
    """Published at PUBLISH: social services, by default € 1 million a year for 9 years (the light regime, with its
    notice dispatched at PUBLISH); the deadlines 10, 20 days later."""
    with time_machine.travel(PUBLISH, tick=False):
        c = complete(draft(m, user, **fields), user, budget=budget)
        services.publish(c, user)
    c.refresh_from_db()
    return c


def _bids(c):
    return c.deadlines.get(kind=K.BIDS).at


def extended(c):
    return {K.BIDS: _bids(c) + timedelta(days=DEFAULTS["minimum_extension_days"])}


def test_a_change_of_a_lots_main_cpv_code_is_material_and_extends_the_deadline_directive_art_47_3(m, user):
    c = published_at(m, user)
    lot = c.lots.get()
    assert lot.main_cpv is None  # the lot had the commissioning's code
    change = {lot.pk: {"main_cpv": cpv(ELDERLY)}}
    with time_machine.travel(LATER, tick=False):
        with pytest.raises(ValidationError, match="material change"):
            services.rectify(c, user, explanation="Doelgroep ouderen.", lots=change)
        lot.refresh_from_db()
        assert lot.main_cpv is None and not Rectification.objects.exists()  # nothing written
        r = services.rectify(c, user, explanation="Doelgroep ouderen.", lots=change, deadlines=extended(c))
    lot.refresh_from_db()
    assert lot.main_cpv.code == ELDERLY
    cpv_change = next(ch for ch in r.changes if ch["field"] == f"lot:{lot.pk}:main_cpv")
    assert cpv_change["material"] and cpv_change["before"].endswith(SOCIAL_CPV) and cpv_change["after"] == ELDERLY
    event = AuditEvent.objects.filter(action="tenders.rectify").latest("pk")
    assert f"lot:{lot.pk}:main_cpv" in event.summary["changes"] and event.summary["material"] is True


def test_a_change_of_a_lots_additional_cpv_codes_is_material_directive_art_47_3(m, user):
    c = published_at(m, user)
    lot = c.lots.get()
    change = {lot.pk: {"additional_cpv": [cpv(YOUTH), cpv(ELDERLY)]}}
    with time_machine.travel(LATER, tick=False):
        with pytest.raises(ValidationError, match="material change"):
            services.rectify(c, user, explanation="Aanvullende codes.", lots=change)
        assert not lot.additional_cpv.exists()
        r = services.rectify(c, user, explanation="Aanvullende codes.", lots=change, deadlines=extended(c))
    assert {code.code for code in lot.additional_cpv.all()} == {YOUTH, ELDERLY}
    (cpv_change,) = [ch for ch in r.changes if ch["field"] == f"lot:{lot.pk}:additional_cpv"]
    assert cpv_change == cpv_change | {"material": True, "before": "–", "after": f"{ELDERLY}, {YOUTH}"}


def test_unchanged_cpv_codes_are_no_change_and_the_main_code_is_not_also_additional(m, user):
    c = published_at(m, user)
    lot = c.lots.get()
    with time_machine.travel(LATER, tick=False):
        r = services.rectify(c, user, explanation="Titel.", lots={lot.pk: {"title": "Nieuw", "additional_cpv": []}})
        assert [ch["field"] for ch in r.changes] == [f"lot:{lot.pk}:title"]  # not material: no extension needed
        with pytest.raises(ValidationError, match="not also an additional code"):
            services.rectify(c, user, explanation="x", lots={lot.pk: {"additional_cpv": [cpv(SOCIAL_CPV)]}})


def test_a_cpv_change_that_needs_a_notice_never_dispatched_is_refused_directive_art_52(m, user):
    """€ 100,000 a year for 5 years of social services is below the € 750,000 of the light regime: national, published
    without a notice. As general services the same € 500,000 is above the € 216,000 of 2026–2027: the European
    regime, which needs a notice dispatched before publication; a rectification cannot repair that."""
    c = published_at(m, user, budget=Decimal("100000"), term_years=5, option_count=0)
    assert c.notice_dispatched_at is None
    assert rules.check_threshold(c, regime.regime_date(c)).regime == rules.REGIME_NATIONAL
    lot = c.lots.get()
    change = {lot.pk: {"main_cpv": cpv(GENERAL_CPV)}}
    refused = pytest.raises(ValidationError, match="cancel the procedure and publish it anew")
    with time_machine.travel(LATER, tick=False), refused as exc:
        services.rectify(c, user, explanation="Andere dienst.", lots=change, deadlines=extended(c))
    assert any("art. 52" in message for message in exc.value.messages)
    lot.refresh_from_db()
    assert lot.main_cpv is None and not Rectification.objects.exists()
    assert c.deadlines.get(kind=K.BIDS).at == PUBLISH + timedelta(days=20)  # nothing written
    # Another social code keeps the national regime: a material change like any other.
    with time_machine.travel(LATER, tick=False):
        services.rectify(
            c, user, explanation="Ouderen.", lots={lot.pk: {"main_cpv": cpv(ELDERLY)}}, deadlines=extended(c)
        )
    lot.refresh_from_db()
    assert lot.main_cpv.code == ELDERLY


def test_a_cpv_change_within_the_notice_regimes_is_not_refused_for_the_notice_directive_art_52(m, user):
    """From the light to the European regime with the notice dispatched: the notice rule has nothing to refuse."""
    c = published_at(m, user)
    before = rules.check_threshold(c, regime.regime_date(c))
    assert before.regime == rules.REGIME_LIGHT and c.notice_dispatched_at == PUBLISH
    c.main_cpv = cpv(GENERAL_CPV)
    after = rules.check_threshold(c, regime.regime_date(c))
    assert after.regime == rules.REGIME_EUROPEAN
    assert regime.regime_change_errors(c, before, after) == []
    c.notice_dispatched_at = None
    assert regime.regime_change_errors(c, before, after) == []  # the regime before needed one already
    national = rules.check_threshold(published_at(m, user, budget=Decimal("1000"), option_count=0), PUBLISH.date())
    assert regime.regime_change_errors(c, national, after)


def test_the_lot_page_refuses_a_cpv_change_without_extension_in_dutch_with_a_400(client, m, user):
    c = published_at(m, user, budget=Decimal("100000"), term_years=5, option_count=0)
    lot = c.lots.get()
    url = reverse("tenders:lot_edit", args=[m.cbs_code, c.pk, lot.pk])
    form = {
        "lot-explanation": "Andere dienst.",
        "lot-title": lot.title,
        "lot-annual_budget": "100000",
        "lot-main_cpv": cpv(ELDERLY).pk,
        "lot-submission_deadline": _bids(c).astimezone(AMS).strftime("%Y-%m-%dT%H:%M"),
    }
    with time_machine.travel(LATER, tick=False):
        login(client, user)  # the session starts at the frozen moment
        response = client.post(url, form)
        assert response.status_code == 400
        assert "materiële wijziging" in response.content.decode()
        form["lot-main_cpv"] = cpv(GENERAL_CPV).pk
        form["lot-submission_deadline"] = extended(c)[K.BIDS].astimezone(AMS).strftime("%Y-%m-%dT%H:%M")
        response = client.post(url, form)
        assert response.status_code == 400
        assert "opnieuw" in response.content.decode() and "art. 52" in response.content.decode()
        form["lot-main_cpv"] = cpv(ELDERLY).pk
        response = client.post(url, form)
    assert response.status_code == 302
    lot.refresh_from_db()
    assert lot.main_cpv.code == ELDERLY


def test_a_budget_rectified_into_the_light_regime_without_a_notice_is_refused_too_directive_art_52(m, user):
    """€ 500,000 of social services (national) raised to € 800,000: the light regime, whose notice was never sent."""
    c = published_at(m, user, budget=Decimal("100000"), term_years=5, option_count=0)
    lot = c.lots.get()
    raised = {lot.pk: {"annual_budget": Decimal("160000")}}
    refused = pytest.raises(ValidationError, match="publish it anew with a notice")
    with time_machine.travel(LATER, tick=False), refused:
        services.rectify(c, user, explanation="Meer budget.", lots=raised, deadlines=extended(c))
    lot.refresh_from_db()
    assert lot.annual_budget == Decimal("100000") and not Rectification.objects.exists()


def _to_general_services(c):
    """The lot's main code becomes general services, with the bid deadline 50 days after the dispatch: enough for
    the European minimum (40 days with electronic submission) and the municipality's extension."""
    lot = c.lots.get()
    return {
        "lots": {lot.pk: {"main_cpv": cpv(GENERAL_CPV)}},
        "deadlines": {K.BIDS: c.notice_dispatched_at + timedelta(days=50)},
    }


def test_a_regime_change_after_the_notice_was_dispatched_records_a_corrigendum_directive_art_51_1(m, user):
    """Light regime with its notice dispatched at publication; the lot's code becomes general services at € 9 million:
    the European regime. The notice on TenderNed/TED no longer says what applies, so the rectification records that
    a corrigendum notice must be sent (the standard forms include forms for corrigenda, Directive art. 51(1)), shows
    the regime change among its published changes and in the audit trail."""
    c = published_at(m, user)
    assert c.notice_dispatched_at == PUBLISH
    with time_machine.travel(LATER, tick=False):
        r = services.rectify(c, user, explanation="Algemene dienstverlening.", **_to_general_services(c))
    assert r.corrigendum_required is True
    (line,) = [ch for ch in r.changes if ch["field"] == "regime"]
    assert line["before"].startswith("Verlicht regime") and line["after"].startswith("Europese procedure")
    event = AuditEvent.objects.filter(action="tenders.rectify").latest("pk")
    assert event.summary["corrigendum_required"] is True and "regime" in event.summary["changes"]


def test_no_corrigendum_when_the_regime_stays_or_no_notice_was_dispatched_directive_art_51_1(m, user):
    """Another social code keeps the light regime: no corrigendum is recorded for the regime. Below the threshold
    (national, no notice dispatched) a change that keeps the national regime records none either."""
    c = published_at(m, user)
    lot = c.lots.get()
    with time_machine.travel(LATER, tick=False):
        r = services.rectify(
            c, user, explanation="Ouderen.", lots={lot.pk: {"main_cpv": cpv(ELDERLY)}}, deadlines=extended(c)
        )
    assert r.corrigendum_required is False and not [ch for ch in r.changes if ch["field"] == "regime"]
    national = published_at(m, user, budget=Decimal("100000"), term_years=5, option_count=0)
    assert national.notice_dispatched_at is None
    before = rules.check_threshold(national, regime.regime_date(national))
    after = rules.check_threshold(c, regime.regime_date(c))
    assert before.regime != after.regime and regime.corrigendum_required(national, before, after) is False
    assert regime.corrigendum_required(c, before, after) is True  # c's notice was dispatched


def test_the_manage_page_says_in_dutch_that_a_corrigendum_must_be_sent_directive_art_51_1(client, m, user):
    c = published_at(m, user)
    url = reverse("tenders:manage", args=[m.cbs_code, c.pk])
    with time_machine.travel(LATER, tick=False):
        login(client, user)
        assert "corrigendum" not in client.get(url).content.decode()
        services.rectify(c, user, explanation="Algemene dienstverlening.", **_to_general_services(c))
        page = client.get(url).content.decode()
    assert 'id="corrigendum-1"' in page
    assert "Rectificatie 1 heeft het regime gewijzigd nadat de aankondiging was verzonden" in page
    assert "art. 51 lid 1" in page
