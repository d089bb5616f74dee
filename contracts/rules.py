"""May this happen now? Rules of contract monitoring. No law sets these: they are the contract's own terms (the
KPIs and their frequency as published in the tender, contracts.periods for the periods)."""

from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bids.models import OperatorMember

from .periods import Period, periods


def contract_periods(kpi) -> list[Period]:
    contract = kpi.contract
    return periods(contract.contract_start, kpi.frequency, contract.total_years)


def may_report(user, contract) -> bool:
    """The contractor reports: a member of the organisation that led the winning bid."""
    if not getattr(user, "is_authenticated", False):
        return False
    return OperatorMember.objects.filter(user=user, operator__led_submissions=contract.submission_id).exists()


def report_refusals(kpi, period_start: date, *, today: date) -> list[str]:
    """Why a value for `kpi` over the period starting on `period_start` may not be reported today (empty: it may).
    A period is reported on once it has ended; a correction of an earlier report is always possible."""
    if kpi.contract.contract_start is None:
        return [_("The contract has no start date yet, so it has no reporting periods.")]
    period = next((p for p in contract_periods(kpi) if p.start == period_start), None)
    if period is None:
        return [_("This is not one of the contract's reporting periods for this KPI.")]
    if not period.has_ended(today):
        return [
            _("This period runs until %(end)s; you can report on it from the day after.")
            % {"end": date_format(period.end, "j F Y")}
        ]
    return []


def contract_years(commitment) -> list[Period]:
    """The contract years of a subcontract commitment: from the contract's start, as many as the commitment's years."""
    return periods(commitment.contract.contract_start, "yearly", commitment.years)


def is_subcontractor(user, commitment) -> bool:
    """A member of the organisation the commitment was made to."""
    if not getattr(user, "is_authenticated", False):
        return False
    return OperatorMember.objects.filter(user=user, operator=commitment.operator_id).exists()


def payment_refusals(commitment, year: int, *, today: date) -> list[str]:
    """Why the contractor may not report a payment for contract year `year` of `commitment` today (empty: it may).
    A year is reported once it has ended, as the KPIs' periods are."""
    if commitment.contract.contract_start is None:
        return [_("The contract has no start date yet, so it has no contract years.")]
    years = contract_years(commitment)
    if not 1 <= year <= len(years):
        return [_("The commitment runs for %(n)s year(s); year %(year)s is not one of them.") % {
            "n": len(years), "year": year}]  # fmt: skip
    period = years[year - 1]
    if not period.has_ended(today):
        return [
            _("Contract year %(year)s runs until %(end)s; you can report on it from the day after.")
            % {"year": year, "end": date_format(period.end, "j F Y")}
        ]
    return []


def answer_refusals(*, agree: bool, reason: str) -> list[str]:
    if not agree and not reason.strip():
        return [_("Say why the amount is not right: the municipality reads it.")]
    return []
