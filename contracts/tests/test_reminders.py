"""Reminders to the contractor: a week before a report is due, the day after it became overdue and weekly after
that while it is missing; a report that came in is not reminded of; one mail per contract to the lead's people."""

from datetime import date
from decimal import Decimal

from django.core.management import call_command

from contracts import services
from contracts.reminders import due_reminders, send_reminders

from .conftest import START, at

# Half-yearly KPI: first period ends 30 July 2027, due 29 August 2027. Yearly KPI and contract year 1 of the
# commitment: end 30 January 2028, due 29 February 2028.


def test_a_week_before_the_due_date_the_contractor_is_reminded(subcontracted, mailoutbox):
    subcontracted.contractor.email = "contractant@example.org"
    subcontracted.contractor.save()
    assert send_reminders(date(2027, 8, 22)) == 1
    [mail] = mailoutbox
    assert mail.to == ["contractant@example.org"]
    assert mail.subject == "Rapportages nodig voor Samen Opgroeien · 1. Perceel 1"
    assert "KPI “Jongeren bereikt”, periode 31 januari 2027 – 30 juli 2027: uiterlijk 29 augustus 2027." in mail.body
    assert f"/contracten/mijn/{subcontracted.pk}" in mail.body
    assert "Ouders tevreden" not in mail.body  # its year has not ended


def test_overdue_reports_are_reminded_the_day_after_and_weekly_but_not_in_between(subcontracted):
    subcontracted.contractor.email = "contractant@example.org"
    subcontracted.contractor.save()

    def lines(day):
        return [line for r in due_reminders(day) for line in r.lines]

    assert lines(date(2028, 2, 22)) == [
        "KPI “Jongeren bereikt”, periode 31 juli 2027 – 30 januari 2028: uiterlijk 29 februari 2028.",
        "KPI “Ouders tevreden”, periode 31 januari 2027 – 30 januari 2028: uiterlijk 29 februari 2028.",
        "Betaling aan Stichting Huisbezoek 75+, contractjaar 1: uiterlijk 29 februari 2028.",
    ]
    assert lines(date(2027, 8, 30)) == [
        "KPI “Jongeren bereikt”, periode 31 januari 2027 – 30 juli 2027: te laat sinds 29 augustus 2027."
    ]
    assert lines(date(2027, 8, 31)) == []
    assert len(lines(date(2027, 9, 6))) == 1  # a week later, still missing


def test_a_report_that_came_in_is_not_reminded_of(subcontracted):
    subcontracted.contractor.email = "contractant@example.org"
    subcontracted.contractor.save()
    assert len(due_reminders(date(2027, 8, 22))) == 1
    services.report_measurement(subcontracted.half_yearly, actor=subcontracted.contractor, period_start=START,
                                value=Decimal("900"), now=at(date(2027, 8, 2)))  # fmt: skip
    assert due_reminders(date(2027, 8, 22)) == []
    assert due_reminders(date(2027, 8, 30)) == []


def test_no_mail_without_an_address_and_the_command_says_how_many(subcontracted, mailoutbox, capsys):
    subcontracted.contractor.email = ""
    subcontracted.contractor.save()
    assert send_reminders(date(2027, 8, 22)) == 0
    call_command("remind_contract_reports")
    assert "Herinneringen verstuurd:" in capsys.readouterr().out
