"""Monitoring of the subcontract commitments: the contractor states what it paid each subcontractor per ended
contract year, the subcontractor confirms or disputes it, the municipality sees committed, paid and the answer."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from contracts import selectors, services
from contracts.models import CommitmentPayment, Contract
from core.models import Role
from core.testing import UserFactory, login, user_with_role

from .conftest import at

AFTER_YEAR_1 = at(date(2028, 2, 10))  # contract year 1 ran from 31 January 2027 to 30 January 2028


def _pay(c, amount="24000", year=1, now=AFTER_YEAR_1, note=""):
    return services.report_payment(c.commitment, actor=c.contractor, year=year, amount=Decimal(amount), note=note,
                                   now=now)  # fmt: skip


def test_the_contractor_reports_a_payment_for_an_ended_contract_year(subcontracted):
    row = _pay(subcontracted, "20000", note="Eerste maanden minder huisbezoeken")
    assert (row.year, row.amount_paid, row.answered_at) == (1, Decimal("20000"), None)
    event = AuditEvent.objects.get(action="contracts.payment_reported")
    assert event.summary == {
        "contract": subcontracted.pk,
        "subcontractor": "Stichting Huisbezoek 75+",
        "year": 1,
        "committed": "24000.00",
        "paid": "20000.00",
        "replaced": None,
    }


def test_a_running_year_a_year_past_the_commitment_and_a_negative_amount_are_refused(subcontracted):
    with pytest.raises(ValidationError) as running:
        _pay(subcontracted, year=2)
    assert running.value.messages == [
        "Contractjaar 2 loopt tot 30 januari 2029; u kunt erover rapporteren vanaf de dag erna."
    ]
    with pytest.raises(ValidationError) as past:
        _pay(subcontracted, year=6, now=at(date(2033, 3, 1)))
    assert past.value.messages == ["De toezegging loopt 5 jaar; jaar 6 hoort daar niet bij."]
    with pytest.raises(ValidationError) as negative:
        _pay(subcontracted, "-1")
    assert negative.value.messages == ["Het bedrag kan niet negatief zijn."]
    assert not CommitmentPayment.objects.exists()
    assert not AuditEvent.objects.filter(action="contracts.payment_reported").exists()


def test_the_subcontractor_confirms_and_only_the_subcontractor_may(subcontracted):
    row = _pay(subcontracted)
    for someone in (subcontracted.contractor, UserFactory()):
        with pytest.raises(PermissionDenied):
            services.answer_payment(row, actor=someone, agree=True)
    services.answer_payment(row, actor=subcontracted.subcontractor, agree=True)
    row.refresh_from_db()
    assert row.answered_by == subcontracted.subcontractor and not row.disputed
    assert AuditEvent.objects.filter(action="contracts.payment_confirmed").count() == 1


def test_a_dispute_needs_a_reason_and_a_correction_asks_the_subcontractor_again(subcontracted):
    row = _pay(subcontracted, "20000")
    with pytest.raises(ValidationError) as exc:
        services.answer_payment(row, actor=subcontracted.subcontractor, agree=False, reason="  ")
    assert exc.value.messages == ["Geef aan waarom het bedrag niet klopt: de gemeente leest het."]
    services.answer_payment(row, actor=subcontracted.subcontractor, agree=False, reason="Wij ontvingen € 18.000")
    row.refresh_from_db()
    assert (row.disputed, row.dispute_reason) == (True, "Wij ontvingen € 18.000")
    assert AuditEvent.objects.get(action="contracts.payment_disputed").summary["reason"] == "Wij ontvingen € 18.000"

    corrected = _pay(subcontracted, "18000", now=at(date(2028, 2, 20)))
    assert (corrected.answered_at, corrected.disputed, corrected.dispute_reason) == (None, False, "")
    latest = AuditEvent.objects.filter(action="contracts.payment_reported").latest("seq")
    assert (latest.summary["paid"], latest.summary["replaced"]) == ("18000.00", "20000.00")


def test_only_the_contractor_reports_payments(subcontracted):
    for someone in (subcontracted.subcontractor, user_with_role(Role.CONTRACT_MANAGER, subcontracted.w.m)):
        with pytest.raises(PermissionDenied):
            services.report_payment(subcontracted.commitment, actor=someone, year=1, amount=Decimal("1"),
                                    now=AFTER_YEAR_1)  # fmt: skip
    assert not CommitmentPayment.objects.exists()


def test_statuses_and_shortfall_per_contract_year(subcontracted):
    _pay(subcontracted, "20000")
    contract = selectors.contract_for_monitoring(pk=subcontracted.pk)
    [block] = selectors.payments(contract, today=date(2029, 3, 5))
    assert [r.status for r in block.rows] == ["waiting", "overdue", "running"]  # year 2 was due 1 March 2029
    assert block.rows[0].shortfall == Decimal("4000")
    assert block.reportable_years == [2, 1]
    assert (block.committed_so_far, block.paid_so_far) == (Decimal("48000"), Decimal("20000"))
    [summary] = selectors.overview(subcontracted.w.m, today=date(2029, 3, 5))
    assert (summary.payments_overdue, summary.payments_disputed) == (1, 0)


# --- pages -----------------------------------------------------------------------------------------------------------


def test_the_three_sides_see_the_same_amounts(subcontracted, client):
    _pay(subcontracted, "20000", note="Minder huisbezoeken in de zomer")
    services.answer_payment(CommitmentPayment.objects.get(), actor=subcontracted.subcontractor, agree=False,
                            reason="Wij ontvingen € 18.000")  # fmt: skip
    pages = {}
    with time_machine.travel(at(date(2028, 3, 1)), tick=False):
        login(client, user_with_role(Role.CONTRACT_MANAGER, subcontracted.w.m))
        pages["municipality"] = client.get(reverse("contracts:detail", args=["GM0546", subcontracted.pk]))
        overview = client.get(reverse("contracts:overview", args=["GM0546"])).content.decode()
        client.logout()
        login(client, subcontracted.contractor)
        pages["contractor"] = client.get(reverse("contracts:report", args=[subcontracted.pk]))
        client.logout()
        login(client, subcontracted.subcontractor)
        pages["subcontractor"] = client.get(reverse("contracts:commitments"))
    for side, response in pages.items():
        html = response.content.decode()
        assert response.status_code == 200, side
        assert "€ 20.000,00" in html and "Wij ontvingen € 18.000" in html, side
    for side in ("municipality", "contractor"):
        html = pages[side].content.decode()
        assert "€ 4.000,00 minder dan toegezegd" in html and "Betwist door de onderaannemer" in html
    assert "Minder huisbezoeken in de zomer" in pages["subcontractor"].content.decode()
    assert "Betwist door een onderaannemer" in overview


def test_the_subcontractor_answers_through_the_page_and_bad_input_is_a_dutch_400(subcontracted, client):
    row = _pay(subcontracted)
    url = reverse("contracts:answer_payment", args=[row.pk])
    p = f"p{row.pk}"
    with time_machine.travel(at(date(2028, 3, 1)), tick=False):
        login(client, subcontracted.subcontractor)
        missing = client.post(url, {})
        no_reason = client.post(url, {f"{p}-agree": "0", f"{p}-reason": ""})
        assert missing.status_code == no_reason.status_code == 400
        assert "Dit veld is vereist." in missing.content.decode()
        assert "Geef aan waarom het bedrag niet klopt" in no_reason.content.decode()
        row.refresh_from_db()
        assert row.answered_at is None
        ok = client.post(url, {f"{p}-agree": "1"})
    assert ok.status_code == 302 and ok.url == reverse("contracts:commitments")
    row.refresh_from_db()
    assert row.answered_at is not None and not row.disputed


def test_the_contractor_reports_a_payment_through_the_page(subcontracted, client):
    url = reverse("contracts:report_payment", args=[subcontracted.pk, subcontracted.commitment.pk])
    p = f"c{subcontracted.commitment.pk}"
    with time_machine.travel(AFTER_YEAR_1, tick=False):
        login(client, subcontracted.contractor)
        running = client.post(url, {f"{p}-year": "2", f"{p}-amount": "100"})
        assert running.status_code == 400 and "Selecteer een geldige keuze." in running.content.decode()
        words = client.post(url, {f"{p}-year": "1", f"{p}-amount": "veel"})
        assert (
            words.status_code == 400
            and "veel is geen bedrag (schrijf bijvoorbeeld € 12.500,00)." in words.content.decode()
        )
        negative = client.post(url, {f"{p}-year": "1", f"{p}-amount": "-5"})
        assert negative.status_code == 400 and "Een bedrag kan niet negatief zijn." in negative.content.decode()
        assert not CommitmentPayment.objects.exists()
        ok = client.post(url, {f"{p}-year": "1", f"{p}-amount": "23.999,50"})
    assert ok.status_code == 302
    assert CommitmentPayment.objects.get().amount_paid == Decimal("23999.50")


def test_nobody_else_sees_or_answers_a_commitment(subcontracted, client):
    row = _pay(subcontracted)
    assert client.get(reverse("contracts:commitments")).status_code == 302  # to the login page
    outsider = UserFactory()
    login(client, outsider)
    page = client.get(reverse("contracts:commitments")).content.decode()
    assert "Stichting Huisbezoek" not in page and "Geen overeenkomst bevat (nog) een toezegging" in page
    assert client.post(reverse("contracts:answer_payment", args=[row.pk]), {f"p{row.pk}-agree": "1"}).status_code == 404
    report = reverse("contracts:report_payment", args=[subcontracted.pk, subcontracted.commitment.pk])
    client.logout()
    login(client, subcontracted.subcontractor)  # a subcontractor does not report for the contractor
    assert client.post(report, {}).status_code == 404
    assert client.get(reverse("contracts:report", args=[subcontracted.pk])).status_code == 404
    row.refresh_from_db()
    assert row.answered_at is None and Contract.objects.count() == 1


def test_the_pages_queries_do_not_grow_with_the_payments(subcontracted, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    urls = {
        subcontracted.subcontractor: reverse("contracts:commitments"),
        subcontracted.contractor: reverse("contracts:report", args=[subcontracted.pk]),
    }
    counts = {}
    with time_machine.travel(at(date(2031, 3, 1)), tick=False):
        for user, url in urls.items():
            client.logout()
            login(client, user)
            with CaptureQueriesContext(connection) as before:
                assert client.get(url).status_code == 200
            counts[url] = len(before)
        for year in (1, 2, 3):
            _pay(subcontracted, "24000", year=year, now=at(date(2031, 2, 1)))
        for user, url in urls.items():
            client.logout()
            login(client, user)
            with CaptureQueriesContext(connection) as after:
                assert client.get(url).status_code == 200
            assert len(after) == counts[url], url
