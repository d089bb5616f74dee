"""Monitoring against the contract's KPIs: the reporting periods, who may report, what may be reported when, the
correction kept in the audit log, and the figures on the contractor's and the municipality's pages agreeing."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from audit.models import AuditEvent
from bids.models import OperatorMember
from contracts import selectors, services
from contracts.models import Contract, KPIMeasurement
from contracts.periods import REPORT_WITHIN_DAYS, Period, add_months, periods
from core.models import Role
from core.testing import MunicipalityFactory, UserFactory, login, user_with_role

from .conftest import START, at

# --- periods (pure) ------------------------------------------------------------------------------------------------


def test_add_months_keeps_the_day_or_takes_the_last_day_of_a_shorter_month():
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2027, 1, 31), 2) == date(2027, 3, 31)
    assert add_months(date(2027, 11, 15), 3) == date(2028, 2, 15)


def test_half_yearly_periods_of_a_five_year_term_counted_from_the_start():
    rows = periods(START, "half_yearly", 5)
    assert len(rows) == 10
    assert rows[0] == Period(date(2027, 1, 31), date(2027, 7, 30))
    assert rows[1] == Period(date(2027, 7, 31), date(2028, 1, 30))
    assert rows[-1].end == date(2032, 1, 30)
    assert rows[0].due == date(2027, 7, 30) + timedelta(days=REPORT_WITHIN_DAYS)


def test_no_periods_without_a_start_date():
    assert periods(None, "yearly", 5) == []


@given(
    start=st.dates(min_value=date(2020, 1, 1), max_value=date(2040, 12, 31)),
    frequency=st.sampled_from(["monthly", "quarterly", "half_yearly", "yearly"]),
    years=st.integers(min_value=1, max_value=9),
)
def test_periods_tile_the_term_without_gap_or_overlap(start, frequency, years):
    rows = periods(start, frequency, years)
    assert rows[0].start == start
    assert all(a.end + timedelta(days=1) == b.start for a, b in zip(rows, rows[1:], strict=False))
    assert all(p.start <= p.end for p in rows)
    assert rows[-1].end + timedelta(days=1) == add_months(start, 12 * years)


# --- the service and its rules -------------------------------------------------------------------------------------


def test_the_contractor_reports_an_ended_period_and_the_audit_log_records_it(contract):
    row = services.report_measurement(
        contract.half_yearly,
        actor=contract.contractor,
        period_start=START,
        value=Decimal("912"),
        explanation="Zomer rustiger dan gedacht",
        now=at(date(2027, 8, 2)),
    )
    assert (row.period_start, row.period_end, row.value, row.corrected) == (
        START,
        date(2027, 7, 30),
        Decimal("912"),
        False,
    )
    event = AuditEvent.objects.get(action="contracts.kpi_reported")
    assert event.summary == {
        "contract": contract.pk,
        "kpi": "Jongeren bereikt",
        "period": "2027-01-31/2027-07-30",
        "value": "912.00",
        "replaced": None,
        "late": False,
    }
    assert event.municipality_code == "GM0546"


def test_a_second_report_corrects_the_first_and_the_audit_log_keeps_the_old_value(contract):
    kpi = contract.half_yearly
    services.report_measurement(kpi, actor=contract.contractor, period_start=START, value=Decimal("912"),
                                now=at(date(2027, 8, 2)))  # fmt: skip
    services.report_measurement(kpi, actor=contract.contractor, period_start=START, value=Decimal("950"),
                                now=at(date(2027, 9, 15)))  # fmt: skip
    row = KPIMeasurement.objects.get()
    assert (row.value, row.corrected) == (Decimal("950"), True)
    latest = AuditEvent.objects.filter(action="contracts.kpi_reported").latest("seq")
    assert (latest.summary["replaced"], latest.summary["late"]) == ("912.00", True)  # due 29 August, reported 15 Sept.


def test_a_period_that_is_still_running_cannot_be_reported(contract):
    with pytest.raises(ValidationError) as exc:
        services.report_measurement(contract.half_yearly, actor=contract.contractor, period_start=START,
                                    value=Decimal("1"), now=at(date(2027, 7, 30), hour=23))  # fmt: skip
    assert exc.value.messages == ["Deze periode loopt tot 30 juli 2027; u kunt erover rapporteren vanaf de dag erna."]
    services.report_measurement(contract.half_yearly, actor=contract.contractor, period_start=START,
                                value=Decimal("1"), now=at(date(2027, 7, 31), hour=0))  # fmt: skip
    assert KPIMeasurement.objects.count() == 1


def test_only_a_period_of_the_contract_can_be_reported(contract):
    with pytest.raises(ValidationError) as exc:
        services.report_measurement(contract.half_yearly, actor=contract.contractor, period_start=date(2027, 2, 1),
                                    value=Decimal("1"), now=at(date(2028, 1, 1)))  # fmt: skip
    assert exc.value.messages == ["Dit is geen rapportageperiode van het contract voor deze KPI."]
    assert not KPIMeasurement.objects.exists()


def test_a_negative_value_is_refused_and_nothing_is_written(contract):
    with pytest.raises(ValidationError) as exc:
        services.report_measurement(contract.half_yearly, actor=contract.contractor, period_start=START,
                                    value=Decimal("-1"), now=at(date(2027, 8, 2)))  # fmt: skip
    assert exc.value.messages == ["De waarde kan niet negatief zijn."]
    assert not KPIMeasurement.objects.exists() and not AuditEvent.objects.filter(action="contracts.kpi_reported")


def test_without_a_start_date_nothing_can_be_reported(contract):
    Contract.objects.update(contract_start=None)
    contract.half_yearly.contract.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.report_measurement(contract.half_yearly, actor=contract.contractor, period_start=START,
                                    value=Decimal("1"), now=at(date(2027, 8, 2)))  # fmt: skip
    assert exc.value.messages == ["Het contract heeft nog geen startdatum en dus nog geen rapportageperiodes."]


def test_nobody_but_the_contractor_reports(contract):
    for someone in (UserFactory(), contract.w.officer, user_with_role(Role.CONTRACT_MANAGER, contract.w.m)):
        with pytest.raises(PermissionDenied):
            services.report_measurement(contract.half_yearly, actor=someone, period_start=START,
                                        value=Decimal("1"), now=at(date(2027, 8, 2)))  # fmt: skip
    assert not KPIMeasurement.objects.exists()


def test_period_statuses_running_due_overdue_reported(contract):
    services.report_measurement(contract.half_yearly, actor=contract.contractor, period_start=START,
                                value=Decimal("900"), now=at(date(2027, 8, 2)))  # fmt: skip
    contract = selectors.contract_for_monitoring(pk=contract.pk)
    by_kpi = {b.kpi.name: b for b in selectors.monitoring(contract, today=date(2028, 3, 1))}
    half = by_kpi["Jongeren bereikt"]
    assert [r.status for r in half.rows] == ["reported", "overdue", "running"]  # 2nd period due 29 Feb 2028
    assert [p.start for p in half.reportable] == [date(2027, 7, 31), START]
    assert half.overdue == 1
    yearly = by_kpi["Ouders tevreden"]
    assert [r.status for r in yearly.rows] == ["overdue", "running"]
    assert yearly.rows[0].period.due == date(2028, 2, 29)  # the year ended on 30 January 2028; 30 days later
    on_the_last_day = selectors.monitoring(contract, today=date(2028, 2, 29))
    assert [r.status for r in on_the_last_day[1].rows] == ["due", "running"]


# --- pages -----------------------------------------------------------------------------------------------------------


def _report_url(contract):
    return reverse("contracts:report", args=[contract.pk])


def test_the_contractor_reports_through_the_page_with_a_dutch_decimal(contract, client):
    url = reverse("contracts:report_kpi", args=[contract.pk, contract.yearly.pk])
    with time_machine.travel(at(date(2028, 2, 10)), tick=False):
        login(client, contract.contractor)  # in the travelled time: the session must not have expired
        response = client.post(url, {f"kpi{contract.yearly.pk}-period": START.isoformat(),
                                      f"kpi{contract.yearly.pk}-value": "81,5"})  # fmt: skip
        assert response.status_code == 302 and response.url == _report_url(contract)
        page = client.get(_report_url(contract)).content.decode()
    assert KPIMeasurement.objects.get().value == Decimal("81.5")
    assert "81,50 %" in page and "Gerapporteerd" in page
    assert page.count("80,50 %") >= 3  # in the caption and beside each of the yearly KPI's two periods


def test_bad_input_on_the_page_is_a_dutch_error_and_a_400(contract, client):
    url = reverse("contracts:report_kpi", args=[contract.pk, contract.yearly.pk])
    p = f"kpi{contract.yearly.pk}"
    with time_machine.travel(at(date(2028, 2, 10)), tick=False):
        login(client, contract.contractor)
        not_a_number = client.post(url, {f"{p}-period": START.isoformat(), f"{p}-value": "veel"})
        negative = client.post(url, {f"{p}-period": START.isoformat(), f"{p}-value": "-3"})
        running = client.post(url, {f"{p}-period": "2028-01-31", f"{p}-value": "3"})
    assert not_a_number.status_code == negative.status_code == running.status_code == 400
    assert "Voer een getal in." in not_a_number.content.decode()
    assert "Zorg ervoor dat deze waarde minstens 0 is." in negative.content.decode()
    assert "Selecteer een geldige keuze." in running.content.decode()  # a running period is not offered
    assert not KPIMeasurement.objects.exists()


def test_only_the_contractor_sees_its_report_page(contract, client):
    assert client.get(_report_url(contract)).status_code == 302  # to the login page
    for someone in (UserFactory(), user_with_role(Role.CONTRACT_MANAGER, contract.w.m)):
        client.logout()
        login(client, someone)
        assert client.get(_report_url(contract)).status_code == 404
        url = reverse("contracts:report_kpi", args=[contract.pk, contract.yearly.pk])
        assert client.post(url, {}).status_code == 404
    client.logout()
    login(client, contract.contractor)
    assert client.get(reverse("contracts:report_kpi", args=[contract.pk, contract.yearly.pk])).status_code == 405
    mine = client.get(reverse("contracts:mine"))
    assert _report_url(contract) in mine.content.decode()
    assert mine["Cache-Control"] == "private, no-store, max-age=0"


def test_another_organisation_sees_no_contract_in_its_list(contract, client):
    other = UserFactory()
    OperatorMember.objects.create(operator=contract.w.bids[1].lead, user=other, joined_at=timezone.now())
    login(client, other)
    page = client.get(reverse("contracts:mine")).content.decode()
    assert _report_url(contract) not in page and "geen overeenkomsten" in page


def test_the_municipality_sees_the_same_figures_on_the_contract_page(contract, client, django_assert_max_num_queries):
    services.report_measurement(contract.half_yearly, actor=contract.contractor, period_start=START,
                                value=Decimal("912"), explanation="Zomer", now=at(date(2027, 8, 2)))  # fmt: skip
    manager = user_with_role(Role.CONTRACT_MANAGER, contract.w.m)
    url = reverse("contracts:detail", args=["GM0546", contract.pk])
    with time_machine.travel(at(date(2028, 3, 1)), tick=False):
        login(client, manager)
        with django_assert_max_num_queries(20):
            page = client.get(url).content.decode()
        login(client, contract.contractor)
        own = client.get(_report_url(contract)).content.decode()
    for html in (page, own):
        assert "912 jongeren" in html and "Zomer" in html
        assert "Te laat" in html  # the second half year, due 29 February 2028
        assert "uiterlijk 29 februari 2028" in html


def test_the_contract_page_queries_do_not_grow_with_the_reports(contract, client, django_assert_num_queries):
    manager = user_with_role(Role.CONTRACT_MANAGER, contract.w.m)
    url = reverse("contracts:detail", args=["GM0546", contract.pk])
    with time_machine.travel(at(date(2030, 3, 1)), tick=False):
        login(client, manager)
        assert client.get(url).status_code == 200
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as before:
            client.get(url)
        for start in [p.start for p in periods(START, "half_yearly", 3)][:5]:
            services.report_measurement(contract.half_yearly, actor=contract.contractor, period_start=start,
                                        value=Decimal("900"), now=at(date(2030, 2, 1)))  # fmt: skip
        with CaptureQueriesContext(connection) as after:
            client.get(url)
    assert len(after) == len(before)


def test_the_municipalitys_contract_overview_counts_reports_due_and_overdue(contract, client):
    services.report_measurement(contract.half_yearly, actor=contract.contractor, period_start=START,
                                value=Decimal("912"), now=at(date(2027, 8, 2)))  # fmt: skip
    url = reverse("contracts:overview", args=["GM0546"])
    with time_machine.travel(at(date(2028, 2, 10)), tick=False):
        login(client, user_with_role(Role.CONTRACT_MANAGER, contract.w.m))
        page = client.get(url)
        rows = selectors.overview(contract.w.m, today=date(2028, 2, 10))
    assert [(r.contract, r.reported, r.due, r.overdue) for r in rows] == [(contract, 1, 2, 0)]
    html = page.content.decode()
    assert reverse("contracts:detail", args=["GM0546", contract.pk]) in html
    assert html.count("Overeenkomsten") >= 2  # the menu entry and the heading
    assert selectors.overview(contract.w.m, today=date(2028, 3, 1))[0].overdue == 2


def test_the_contract_overview_is_for_municipal_staff_of_that_municipality(contract, client):
    url = reverse("contracts:overview", args=["GM0546"])
    assert client.get(url).status_code == 302
    login(client, contract.contractor)
    assert client.get(url).status_code == 403
    client.logout()
    other = MunicipalityFactory(cbs_code="GM0392", name="Haarlem")
    login(client, user_with_role(Role.CONTRACT_MANAGER, other))
    assert client.get(url).status_code == 403
    own = client.get(reverse("contracts:overview", args=["GM0392"]))
    assert (
        own.status_code == 200 and reverse("contracts:detail", args=["GM0546", contract.pk]) not in own.content.decode()
    )


def test_the_contract_overview_queries_do_not_grow_with_the_reports(contract, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("contracts:overview", args=["GM0546"])
    with time_machine.travel(at(date(2030, 3, 1)), tick=False):
        login(client, user_with_role(Role.AUDITOR, contract.w.m))
        assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as before:
            client.get(url)
        for kpi in (contract.half_yearly, contract.yearly):
            for p in periods(START, kpi.frequency, 3)[:3]:
                services.report_measurement(kpi, actor=contract.contractor, period_start=p.start,
                                            value=Decimal("80"), now=at(date(2030, 2, 1)))  # fmt: skip
        with CaptureQueriesContext(connection) as after:
            client.get(url)
    assert len(after) == len(before) <= 14
