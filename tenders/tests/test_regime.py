"""The regime from data (issue 13): CPV codes with Annex XIV of Directive 2014/24/EU, the estimated value and the
thresholds in force on the dispatch date of the notice; and the notice itself, which the portal's publication may
not precede under the European and light regimes (Directive 2014/24/EU art. 52)."""

import datetime as dt
from datetime import date, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from core.models import Role
from core.testing import MunicipalityFactory, login, user_with_role
from tenders import regime, rules, services
from tenders.cpv_data import ANNEX_XIV, CODES, in_annex_xiv
from tenders.models import CPVCode, Phase, Route

from .factories import GENERAL_CPV, SOCIAL_CPV, complete, cpv, draft

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")
JUNE_2026 = date(2026, 6, 1)


def one_year(m, user, code, budget, **fields):
    """A one-year contract (no options) with one lot of `budget`: its estimated value is `budget`."""
    c = draft(m, user, term_years=1, option_count=0, main_cpv=cpv(code) if code else None, **fields)
    services.save_lot(c, user, title="Perceel 1", annual_budget=Decimal(budget))
    return c


# --- CPV codes as data -------------------------------------------------------------------------------------------
def test_annex_xiv_codes_and_ranges_directive_annex_xiv():
    assert in_annex_xiv("85310000-5") and in_annex_xiv("85323000-9")  # "from 85000000-9 to 85323000-9"
    assert in_annex_xiv("79100000-5") and in_annex_xiv("80660000-8") and in_annex_xiv("92700000-8")
    assert in_annex_xiv("98000000-3") and in_annex_xiv("98133110-8")  # single codes of the Annex
    assert not in_annex_xiv("79000000-4")  # business services in general
    assert not in_annex_xiv("79200000-6") and not in_annex_xiv("72000000-5") and not in_annex_xiv("90000000-7")
    assert not in_annex_xiv("79620000-6")  # personnel in general; only domestic, nursing, medical staff are listed


def test_every_shipped_code_is_seeded_with_its_annex_xiv_flag_directive_annex_xiv():
    seeded = {c.code: c.annex_xiv for c in CPVCode.objects.all()}
    assert seeded == {code: in_annex_xiv(code) for code, _nl, _en in CODES}
    for _heading, entries in ANNEX_XIV:  # every code the Annex names is a shipped code with its check digit
        for entry in entries:
            for code in entry if isinstance(entry, tuple) else [entry]:
                assert code in seeded and seeded[code], code


def test_a_cpv_code_carries_its_check_digit_directive_art_23():
    with pytest.raises(IntegrityError), transaction.atomic():
        CPVCode.objects.create(code="85310000", description_nl="x", description_en="x")


def test_main_cpv_code_is_not_repeated_as_additional_directive_art_23(m, user):
    with pytest.raises(ValidationError) as exc:
        draft(m, user, main_cpv=cpv(SOCIAL_CPV), additional_cpv=[cpv(SOCIAL_CPV)])
    assert "not also an additional code" in str(exc.value)
    c = draft(m, user, main_cpv=cpv(SOCIAL_CPV), additional_cpv=[cpv("85320000-8")])
    assert [code.code for code in c.additional_cpv.all()] == ["85320000-8"]
    services.update_commissioning(c, user, additional_cpv=[cpv("85312310-5"), cpv("85320000-8")])
    assert AuditEvent.objects.filter(action="tenders.update").last().summary["after"]["additional_cpv"] == [
        "85312310-5",
        "85320000-8",
    ]


def test_procurement_route_needs_a_main_cpv_code_to_publish_directive_art_23(m, user):
    c = complete(draft(m, user, main_cpv=None), user)
    assert any("main CPV code" in e for e in rules.publish_errors(c))
    grant = complete(draft(m, user, route=Route.GRANT_ROUND), user)
    assert not any("main CPV code" in e for e in rules.publish_errors(grant))


# --- The regime ------------------------------------------------------------------------------------------------
def test_general_services_500k_is_european_threshold_aw_2_3(m, user):
    c = one_year(m, user, GENERAL_CPV, "500000")
    check = rules.check_threshold(c, JUNE_2026)
    assert check.regime == rules.REGIME_EUROPEAN and check.above
    assert check.threshold.amount == Decimal("216000") and check.warnings == []


def test_social_cpv_code_at_750k_is_the_light_regime_aw_2_38(m, user):
    c = one_year(m, user, SOCIAL_CPV, "750000")
    check = rules.check_threshold(c, JUNE_2026)
    assert check.regime == rules.REGIME_LIGHT and check.threshold.amount == Decimal("750000")
    assert rules.check_threshold(one_year(m, user, SOCIAL_CPV, "749999.99"), JUNE_2026).regime == (
        rules.REGIME_NATIONAL
    )


def test_without_a_cpv_code_nothing_is_social_and_the_check_says_so_aw_2_38(m, user):
    c = one_year(m, user, None, "500000")
    check = rules.check_threshold(c, JUNE_2026)
    assert check.regime == rules.REGIME_EUROPEAN  # the general threshold, not the social one
    assert any("No main CPV code is recorded" in w for w in check.warnings)


def test_mixed_lots_follow_the_larger_value_directive_art_3_2(m, user):
    c = draft(m, user, term_years=1, option_count=0, main_cpv=cpv(SOCIAL_CPV))
    services.save_lot(c, user, title="Welzijn", annual_budget=Decimal("100000"))
    services.save_lot(c, user, title="Advies", annual_budget=Decimal("600000"), main_cpv=cpv(GENERAL_CPV))
    assert regime.social_services(c) is False
    assert rules.check_threshold(c, JUNE_2026).regime == rules.REGIME_EUROPEAN
    services.save_lot(c, user, title="Jeugd", annual_budget=Decimal("700000"))  # social lots now weigh more
    assert regime.social_services(c) is True


def test_national_regime_label_is_aw_part_1_aw_1_4():
    label = str(rules.REGIME_LABELS[rules.REGIME_NATIONAL])
    assert "Aw part 1 (art. 1.4, 1.5, 1.10; Gids Proportionaliteit)" in label and "part 3" not in label


def test_thresholds_of_the_dispatch_date_apply_in_amsterdam_directive_art_5_4(m, user):
    """218,000: below the 221,000 of 2024–2025, above the 216,000 of 2026–2027. Dispatched at 00:30 on 1 January
    2026 in Amsterdam (still 31 December in UTC), the thresholds of 2026 apply."""
    c = one_year(m, user, GENERAL_CPV, "218000")
    late_2025 = dt.datetime(2025, 12, 31, 23, 30, tzinfo=AMS)
    services.record_notice(c, user, tenderned_id="412345", dispatched_at=late_2025, now=late_2025)
    c.refresh_from_db()
    assert regime.regime_date(c) == date(2025, 12, 31)
    assert rules.check_threshold(c, regime.regime_date(c)).regime == rules.REGIME_NATIONAL
    new_year = dt.datetime(2026, 1, 1, 0, 30, tzinfo=AMS)
    services.record_notice(c, user, tenderned_id="412345", dispatched_at=new_year, now=new_year)
    c.refresh_from_db()
    assert c.notice_dispatched_at.astimezone(dt.UTC).date() == date(2025, 12, 31)
    assert regime.regime_date(c) == date(2026, 1, 1)
    assert rules.check_threshold(c, regime.regime_date(c)).regime == rules.REGIME_EUROPEAN


def test_before_the_dispatch_the_thresholds_of_today_apply_directive_art_5_4(m, user):
    c = one_year(m, user, SOCIAL_CPV, "218000")  # national: no notice
    assert regime.regime_date(c, now=dt.datetime(2025, 6, 1, 12, tzinfo=AMS)) == date(2025, 6, 1)
    assert regime.regime_date(c, now=dt.datetime(2026, 6, 1, 0, 15, tzinfo=AMS)) == date(2026, 6, 1)
    published = dt.datetime(2026, 3, 2, 0, 30, tzinfo=AMS)  # 1 March in UTC
    complete(c, user, budget=Decimal("1000"), now=published - timedelta(days=1))
    services.set_deadline(c, user, "bids", published + timedelta(days=30))
    services.publish(c, user, now=published)
    c.refresh_from_db()
    assert c.notice_dispatched_at is None
    assert regime.regime_date(c, now=dt.datetime(2026, 6, 1, 12, tzinfo=AMS)) == date(2026, 3, 2)


def test_no_threshold_known_after_2027_warns_directive_art_6(m, user):
    c = one_year(m, user, GENERAL_CPV, "500000")
    check = rules.check_threshold(c, date(2028, 1, 1))
    assert any("No European threshold is known for 1 January 2028" in w for w in check.warnings)
    assert check.threshold.amount == Decimal("216000") and check.regime == rules.REGIME_EUROPEAN
    assert rules.check_threshold(c, date(2027, 12, 31)).warnings == []


# --- The notice (Directive 2014/24/EU art. 52) --------------------------------------------------------------------
def test_publishing_before_the_notice_is_dispatched_is_refused_directive_art_52(m, user):
    c = draft(m, user)  # social services, 9 years of € 1,000,000: the light regime
    complete(c, user)
    c.__class__.objects.filter(pk=c.pk).update(notice_dispatched_at=None)  # as if never dispatched
    c.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.publish(c, user)
    assert "art. 52" in str(exc.value)
    now = timezone.now()
    services.record_notice(
        c, user, tenderned_id="412345", ted_id="123456-2026", dispatched_at=now, ted_published_at=now, now=now
    )
    assert "art. 52" in " ".join(rules.publish_errors(c, now=now - timedelta(minutes=1)))  # not before it
    services.publish(c, user, now=now + timedelta(minutes=1))
    c.refresh_from_db()
    assert c.phase == Phase.TENDERING and c.published_at > c.notice_dispatched_at


def test_european_regime_needs_the_notice_too_directive_art_52(m, user):
    c = one_year(m, user, GENERAL_CPV, "500000")
    assert any("art. 52" in e for e in rules.publish_errors(c))


def test_national_regime_needs_no_notice_directive_art_52(m, user):
    c = complete(one_year(m, user, SOCIAL_CPV, "100000"), user, budget=Decimal("1000"))
    assert c.notice_dispatched_at is None  # the factory records a dispatch only where a notice is required
    services.publish(c, user)
    assert c.__class__.objects.get(pk=c.pk).is_published


def test_the_dispatch_is_a_fact_not_a_plan_directive_art_52(m, user):
    c = draft(m, user)
    now = timezone.now()
    with pytest.raises(ValidationError) as exc:
        services.record_notice(c, user, tenderned_id="412345", dispatched_at=now + timedelta(hours=1), now=now)
    assert "future" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        services.record_notice(c, user, dispatched_at=now, now=now)
    assert "TenderNed publication number or the TED notice number" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        services.record_notice(c, user, tenderned_id="TN-1", ted_id="2026/S 001", dispatched_at=now, now=now)
    assert set(exc.value.message_dict) == {"tenderned_id", "ted_id"}
    assert not AuditEvent.objects.filter(action="tenders.notice").exists()


def test_the_dispatch_cannot_move_after_the_publication_directive_art_52(m, user):
    c = complete(draft(m, user), user)
    services.publish(c, user)
    c.refresh_from_db()
    later = c.published_at + timedelta(hours=1)
    with pytest.raises(ValidationError) as exc:
        services.record_notice(c, user, tenderned_id="412345", dispatched_at=later, now=later)
    assert "before the publication" in str(exc.value)
    earlier = c.published_at - timedelta(days=1)
    services.record_notice(
        c,
        user,
        tenderned_id="412345",
        ted_id="654321-2026",
        dispatched_at=earlier,
        ted_published_at=c.published_at,
        now=later,
    )
    event = AuditEvent.objects.filter(action="tenders.notice").last()
    assert event.summary["after"]["ted_id"] == "654321-2026"


# --- The notice page ---------------------------------------------------------------------------------------------
def _notice_url(c, m):
    return reverse("tenders:notice_record", args=[m.cbs_code, c.pk])


def test_only_the_procurement_officer_records_the_notice_directive_art_52(client, m, user):
    c = draft(m, user)
    data = {"notice-tenderned_id": "412345", "notice-dispatched_at": "2026-01-05T10:00"}
    response = client.post(_notice_url(c, m), data)
    assert response.status_code == 302 and response["Location"].startswith(reverse("core:login"))
    other = MunicipalityFactory()
    for someone in (user_with_role(Role.POLICY_ADVISOR, m), user_with_role(Role.PROCUREMENT_OFFICER, other)):
        client.logout()
        login(client, someone)
        assert client.post(_notice_url(c, m), data).status_code == 403
    client.logout()
    login(client, user)
    assert client.get(_notice_url(c, m)).status_code == 405
    c.refresh_from_db()
    assert c.notice_dispatched_at is None


def test_bad_notice_input_is_a_400_in_dutch_and_nothing_is_written_directive_art_52(client, m, user):
    c = draft(m, user)
    login(client, user)
    response = client.post(_notice_url(c, m), {"notice-tenderned_id": "TN-1", "notice-dispatched_at": "morgen"})
    page = response.content.decode()
    assert response.status_code == 400 and "notice-dispatched_at" in page
    future = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(_notice_url(c, m), {"notice-tenderned_id": "TN-1", "notice-dispatched_at": future})
    page = response.content.decode()
    assert response.status_code == 400
    assert "alleen uit cijfers" in page and "in de toekomst" in page
    c.refresh_from_db()
    assert c.notice_dispatched_at is None and c.tenderned_notice_id == ""


def test_the_manage_page_shows_regime_cpv_and_notice_directive_art_52(client, m, user):
    c = complete(draft(m, user, additional_cpv=[cpv("85320000-8")]), user)
    login(client, user)
    page = client.get(reverse("tenders:manage", args=[m.cbs_code, c.pk])).content.decode()
    assert "Verlicht regime" in page and "85310000-5 Maatschappelijk werk" in page and "85320000-8" in page
    assert "412345" in page and "de dag waarop de aankondiging is verzonden" in page


def test_cpv_codes_are_chosen_in_the_editor_with_dutch_messages_directive_art_23(client, m, user):
    c = draft(m, user)
    login(client, user)
    edit = reverse("tenders:edit", args=[m.cbs_code, c.pk])
    data = {
        "title": c.title,
        "goals": c.goals,
        "route": c.route,
        "term_years": 5,
        "option_count": 4,
        "option_years": 1,
        "main_cpv": cpv(SOCIAL_CPV).pk,
        "additional_cpv": [cpv(SOCIAL_CPV).pk],
    }
    response = client.post(edit, data)
    assert response.status_code == 400 and "De hoofd-CPV-code is niet ook een aanvullende code." in (
        response.content.decode()
    )
    response = client.post(edit, data | {"main_cpv": "999999"})
    assert response.status_code == 400 and "Kies een CPV-code uit de lijst." in response.content.decode()
    assert client.post(edit, data | {"additional_cpv": [cpv("85320000-8").pk]}).status_code == 302
    assert [code.code for code in c.additional_cpv.all()] == ["85320000-8"]
    lot_add = reverse("tenders:lot_add", args=[m.cbs_code, c.pk])
    lot = {"lot-title": "Geldzorgen", "lot-annual_budget": "100000", "lot-main_cpv": cpv("85312320-8").pk}
    assert client.post(lot_add, lot).status_code == 302
    assert c.lots.get().main_cpv.code == "85312320-8"
