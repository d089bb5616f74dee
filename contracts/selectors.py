"""Reads of contract monitoring: per KPI the reporting periods that have begun, what was reported and what is due."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import pgettext_lazy

from tenders import selectors as tender_selectors

from .models import Contract, KPIMeasurement
from .periods import Period, periods

STATUS_LABELS = {
    "reported": pgettext_lazy("monitoring status", "Reported"),
    "corrected": pgettext_lazy("monitoring status", "Reported (corrected)"),
    "running": pgettext_lazy("monitoring status", "Period running"),
    "due": pgettext_lazy("monitoring status", "To report"),
    "overdue": pgettext_lazy("monitoring status", "Overdue"),
}


@dataclass(frozen=True)
class PeriodRow:
    period: Period
    measurement: KPIMeasurement | None
    status: str

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]


@dataclass(frozen=True)
class KPIMonitoring:
    kpi: object
    rows: list[PeriodRow]

    @property
    def reportable(self) -> list[Period]:
        """Ended periods, newest first: what the contractor can report on (or correct)."""
        return [r.period for r in reversed(self.rows) if r.status != "running"]

    @property
    def overdue(self) -> int:
        return sum(r.status == "overdue" for r in self.rows)


def _status(period: Period, measurement, today: date) -> str:
    if measurement is not None:
        return "corrected" if measurement.corrected else "reported"
    if not period.has_ended(today):
        return "running"
    return "due" if today <= period.due else "overdue"


def monitoring(contract, *, today: date) -> list[KPIMonitoring]:
    """Every KPI of the contract with its periods that have begun by `today`, oldest first. Uses the prefetched
    `kpis__measurements` when the caller prefetched them (contract_for_monitoring)."""
    result = []
    for kpi in contract.kpis.all():
        reported = {m.period_start: m for m in kpi.measurements.all()}
        rows = [
            PeriodRow(p, reported.get(p.start), _status(p, reported.get(p.start), today))
            for p in periods(contract.contract_start, kpi.frequency, contract.total_years)
            if p.start <= today
        ]
        result.append(KPIMonitoring(kpi, rows))
    return result


def contract_for_monitoring(**filters) -> Contract:
    return (
        Contract.objects.select_related("commissioning", "lot")
        .prefetch_related("kpis__measurements", "kpis__measurements__reported_by")
        .get(**filters)
    )


def contracts_of(user):
    """The contracts whose winning bid was led by an organisation the user acts for, newest first."""
    if not getattr(user, "is_authenticated", False):
        return Contract.objects.none()
    return (
        Contract.objects.filter(submission__lead__members__user=user)
        .select_related("commissioning", "lot")
        .distinct()
        .order_by("-created_at", "-id")
    )


@dataclass(frozen=True)
class ContractSummary:
    contract: Contract
    reported: int
    due: int
    overdue: int


def overview(municipality, *, today: date) -> list[ContractSummary]:
    """The municipality's contracts, each with the number of its KPI periods reported, to report and overdue (three
    queries, however many contracts and reports)."""
    contracts = (
        Contract.objects.filter(commissioning__in=tender_selectors.published(municipality))
        .select_related("commissioning", "lot")
        .prefetch_related("kpis__measurements")
        .order_by("commissioning__title", "lot__number")
    )
    result = []
    for contract in contracts:
        statuses = [r.status for block in monitoring(contract, today=today) for r in block.rows]
        result.append(
            ContractSummary(
                contract,
                reported=sum(s in ("reported", "corrected") for s in statuses),
                due=statuses.count("due"),
                overdue=statuses.count("overdue"),
            )
        )
    return result
