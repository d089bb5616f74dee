"""Reads of contract monitoring: per KPI the reporting periods that have begun, what was reported and what is due."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import pgettext_lazy

from tenders import selectors as tender_selectors

from .models import Contract, ContractCommitment, KPIMeasurement
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
        .prefetch_related("kpis__measurements", "commitments__operator", "commitments__payments")
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
    payments_overdue: int = 0
    payments_disputed: int = 0


def overview(municipality, *, today: date) -> list[ContractSummary]:
    """The municipality's contracts, each with the number of its KPI periods reported, to report and overdue, and of
    its subcontract payments overdue or disputed (a fixed number of queries, however many contracts and reports)."""
    contracts = (
        Contract.objects.filter(commissioning__in=tender_selectors.published(municipality))
        .select_related("commissioning", "lot")
        .prefetch_related("kpis__measurements", "commitments__payments")
        .order_by("commissioning__title", "lot__number")
    )
    result = []
    for contract in contracts:
        statuses = [r.status for block in monitoring(contract, today=today) for r in block.rows]
        paid = [r.status for block in payments(contract, today=today) for r in block.rows]
        result.append(
            ContractSummary(
                contract,
                reported=sum(s in ("reported", "corrected") for s in statuses),
                due=statuses.count("due"),
                overdue=statuses.count("overdue"),
                payments_overdue=paid.count("overdue"),
                payments_disputed=paid.count("disputed"),
            )
        )
    return result


PAYMENT_STATUS_LABELS = {
    "running": pgettext_lazy("payment status", "Year running"),
    "due": pgettext_lazy("payment status", "To report"),
    "overdue": pgettext_lazy("payment status", "Overdue"),
    "waiting": pgettext_lazy("payment status", "Reported, awaiting the subcontractor"),
    "confirmed": pgettext_lazy("payment status", "Confirmed by the subcontractor"),
    "disputed": pgettext_lazy("payment status", "Disputed by the subcontractor"),
}


@dataclass(frozen=True)
class YearRow:
    year: int
    period: Period
    payment: object  # CommitmentPayment or None
    status: str
    committed: object  # the commitment's amount per year

    @property
    def status_label(self):
        return PAYMENT_STATUS_LABELS[self.status]

    @property
    def shortfall(self):
        """How much less than committed was paid (None when nothing was reported or nothing is short)."""
        if self.payment is None:
            return None
        short = self.committed - self.payment.amount_paid
        return short if short > 0 else None


@dataclass(frozen=True)
class CommitmentMonitoring:
    commitment: object
    rows: list[YearRow]

    @property
    def reportable_years(self) -> list[int]:
        """Ended contract years, newest first: what the contractor can report on (or correct)."""
        return [r.year for r in reversed(self.rows) if r.status != "running"]

    @property
    def committed_so_far(self):
        return sum((self.commitment.amount_per_year for r in self.rows if r.status != "running"), start=0)

    @property
    def paid_so_far(self):
        return sum((r.payment.amount_paid for r in self.rows if r.payment is not None), start=0)


def _payment_status(period: Period, payment, today: date) -> str:
    if payment is not None:
        if payment.answered_at is None:
            return "waiting"
        return "disputed" if payment.disputed else "confirmed"
    if not period.has_ended(today):
        return "running"
    return "due" if today <= period.due else "overdue"


def payments(contract, *, today: date) -> list[CommitmentMonitoring]:
    """Every subcontract commitment of the contract with its contract years that have begun by `today`. Uses the
    prefetched `commitments__payments` (contract_for_monitoring)."""
    return [
        commitment_monitoring(commitment, contract.contract_start, today=today)
        for commitment in contract.commitments.all()
    ]


def commitment_monitoring(commitment, contract_start, *, today: date) -> CommitmentMonitoring:
    """One commitment's contract years that have begun by `today`, with the payment reported for each (prefetched
    `payments`)."""
    paid = {p.year: p for p in commitment.payments.all()}
    rows = [
        YearRow(n, period, paid.get(n), _payment_status(period, paid.get(n), today), commitment.amount_per_year)
        for n, period in enumerate(periods(contract_start, "yearly", commitment.years), start=1)
        if period.start <= today
    ]
    return CommitmentMonitoring(commitment, rows)


def commitments_of(user):
    """The subcontract commitments made to an organisation the user acts for, with their contracts and payments."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        ContractCommitment.objects.filter(operator__members__user=user)
        .select_related("contract__commissioning", "contract__lot", "operator")
        .prefetch_related("payments")
        .distinct()
        .order_by("-contract__created_at", "id")
    )
