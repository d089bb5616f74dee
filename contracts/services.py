"""The only write path of contracts: the contract record made from a definitive award (evaluation.events) and the
procurement report (Directive 2014/24/EU art. 84), the contractor's reports against the contract's KPIs,
and the payments to subcontractors under their commitments with the subcontractors' answers."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.services import record
from bids.models import Participation
from core.pdf import render_pdf
from evaluation.models import AwardDecision
from tenders.models import Commissioning

from . import events, report, rules
from .models import (
    CommitmentPayment,
    Contract,
    ContractCommitment,
    ContractKPI,
    ContractParty,
    KPIMeasurement,
    ProcurementReport,
)


def create_from_award(decision, *, actor=None, now=None) -> Contract:
    """The contract of a definitive award: the lot's budget and the commissioning's term, the consortium and every
    subcontract commitment exactly as in the winning bid (a share of the lot budget also as an amount per year), and
    the lot's KPIs as published (frozen since the submission deadline)."""
    lot, bid = decision.lot, decision.winner
    c = lot.commissioning
    with transaction.atomic():
        existing = Contract.objects.filter(award=decision).first()
        if existing:
            return existing
        contract = Contract.objects.create(
            award=decision,
            commissioning=c,
            lot=lot,
            submission=bid,
            supplier_name=str(bid),
            annual_budget=lot.annual_budget,
            contract_start=c.contract_start,
            term_years=c.term_years,
            option_count=c.option_count,
            option_years=c.option_years,
            created_at=now or timezone.now(),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        participations = Participation.objects.filter(
            submission=bid, status=Participation.Status.CONFIRMED
        ).select_related("operator")
        for p in participations:
            ContractParty.objects.create(contract=contract, operator=p.operator, ring=p.ring, role=p.role)
            for commitment in p.commitments.all():
                amount = commitment.amount_per_year
                if amount is None:
                    amount = (lot.annual_budget * commitment.share_of_lot_budget / Decimal("100")).quantize(
                        Decimal("0.01")
                    )
                row = ContractCommitment.objects.create(
                    contract=contract,
                    operator=p.operator,
                    amount_per_year=amount,
                    share_of_lot_budget=commitment.share_of_lot_budget,
                    years=commitment.years,
                    continues_activity=commitment.continues_activity,
                    description=commitment.description,
                )
                row.activities.set(commitment.activities.all())
                row.districts.set(commitment.districts.all())
        ContractKPI.objects.bulk_create(
            ContractKPI(
                contract=contract,
                source=kpi,
                position=kpi.position,
                name=kpi.name,
                measurement=kpi.measurement,
                target_value=kpi.target_value,
                unit=kpi.unit,
                frequency=kpi.frequency,
            )
            for kpi in lot.kpis.all()
        )
        record(
            "contracts.created",
            actor=actor,
            municipality=c.municipalities(),
            obj=contract,
            summary={
                "lot": lot.number,
                "parties": contract.parties.count(),
                "commitments": contract.commitments.count(),
                "kpis": contract.kpis.count(),
            },
        )
        events.contract_created.send(sender=Contract, contract=contract, actor=actor)
        return contract


def generate_report(
    decision, *, actor=None, trigger=ProcurementReport.Trigger.ON_DEMAND, now=None
) -> ProcurementReport:
    """The procurement report of the lot of a standing award decision (art. 84), a Dutch PDF, kept as a new version
    each time: made when the award becomes definitive, or when the procurement officer asks for it."""
    now = now or timezone.now()
    with transaction.atomic():
        Commissioning.objects.select_for_update().get(pk=decision.lot.commissioning_id)
        d = AwardDecision.objects.select_related("lot__commissioning", "winner__lead").get(pk=decision.pk)
        if d.withdrawn_at:
            raise ValidationError(_("This award decision was withdrawn: the report follows the standing decision."))
        with translation.override("nl"):
            pdf = render_pdf("contracts/procurement_report_pdf.html", report.context(d, now=now))
        row = ProcurementReport.objects.create(
            decision=d,
            lot=d.lot,
            trigger=trigger,
            pdf=ContentFile(pdf, name=f"procesverbaal-perceel-{d.lot.number}-{d.pk}.pdf"),
            created_at=now,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        record(
            "contracts.report_generated",
            actor=actor,
            municipality=d.lot.commissioning.municipalities(),
            obj=row,
            summary={"lot": d.lot.number, "trigger": trigger},
        )
        return row


def _cents(value) -> str:
    return str(Decimal(value).quantize(Decimal("0.01")))


def report_measurement(kpi, *, actor, period_start, value, explanation="", now=None):
    """The contractor's value for one KPI over one ended period (contracts.rules); a second report on the same period
    corrects the first, and the audit event keeps the value it replaced."""
    now = now or timezone.now()
    with transaction.atomic():
        kpi = ContractKPI.objects.select_for_update().select_related("contract").get(pk=kpi.pk)
        if not rules.may_report(actor, kpi.contract):
            raise PermissionDenied
        refusals = rules.report_refusals(kpi, period_start, today=timezone.localdate(now))
        if value is None or value < 0:
            refusals.append(_("The value cannot be negative."))
        if refusals:
            raise ValidationError(refusals)
        period = next(p for p in rules.contract_periods(kpi) if p.start == period_start)
        previous = KPIMeasurement.objects.filter(kpi=kpi, period_start=period.start).first()
        row, _created = KPIMeasurement.objects.update_or_create(
            kpi=kpi,
            period_start=period.start,
            defaults={
                "period_end": period.end,
                "value": value,
                "explanation": explanation.strip(),
                "reported_at": now,
                "reported_by": actor,
                "corrected": previous is not None,
            },
        )
        record(
            "contracts.kpi_reported",
            actor=actor,
            municipality=kpi.contract.commissioning.municipalities(),
            obj=row,
            summary={
                "contract": kpi.contract_id,
                "kpi": kpi.name,
                "period": f"{period.start.isoformat()}/{period.end.isoformat()}",
                "value": _cents(row.value),
                "replaced": _cents(previous.value) if previous else None,
                "late": timezone.localdate(now) > period.due,
            },
        )
        return row


def report_payment(commitment, *, actor, year, amount, note="", now=None):
    """The contractor's statement of what it paid a subcontractor in an ended contract year under a commitment
    (contracts.rules); a correction clears the subcontractor's answer, which it then gives again."""
    now = now or timezone.now()
    with transaction.atomic():
        commitment = (
            ContractCommitment.objects.select_for_update(of=("self",))
            .select_related("contract__commissioning", "operator")
            .get(pk=commitment.pk)
        )
        if not rules.may_report(actor, commitment.contract):
            raise PermissionDenied
        refusals = rules.payment_refusals(commitment, year, today=timezone.localdate(now))
        if amount is None or amount < 0:
            refusals.append(_("The amount cannot be negative."))
        if refusals:
            raise ValidationError(refusals)
        previous = CommitmentPayment.objects.filter(commitment=commitment, year=year).first()
        row, _created = CommitmentPayment.objects.update_or_create(
            commitment=commitment,
            year=year,
            defaults={
                "amount_paid": amount,
                "note": note.strip(),
                "reported_at": now,
                "reported_by": actor,
                "answered_at": None,
                "answered_by": None,
                "disputed": False,
                "dispute_reason": "",
            },
        )
        record(
            "contracts.payment_reported",
            actor=actor,
            municipality=commitment.contract.commissioning.municipalities(),
            obj=row,
            summary={
                "contract": commitment.contract_id,
                "subcontractor": commitment.operator.name,
                "year": year,
                "committed": _cents(commitment.amount_per_year),
                "paid": _cents(amount),
                "replaced": _cents(previous.amount_paid) if previous else None,
            },
        )
        return row


def answer_payment(payment, *, actor, agree: bool, reason="", now=None):
    """The subcontractor confirms the amount the contractor reported, or disputes it with its reason."""
    now = now or timezone.now()
    with transaction.atomic():
        payment = (
            CommitmentPayment.objects.select_for_update(of=("self",))
            .select_related("commitment__contract__commissioning", "commitment__operator")
            .get(pk=payment.pk)
        )
        if not rules.is_subcontractor(actor, payment.commitment):
            raise PermissionDenied
        refusals = rules.answer_refusals(agree=agree, reason=reason)
        if refusals:
            raise ValidationError(refusals)
        payment.answered_at, payment.answered_by = now, actor
        payment.disputed, payment.dispute_reason = not agree, "" if agree else reason.strip()
        payment.save(update_fields=["answered_at", "answered_by", "disputed", "dispute_reason"])
        record(
            "contracts.payment_disputed" if payment.disputed else "contracts.payment_confirmed",
            actor=actor,
            municipality=payment.commitment.contract.commissioning.municipalities(),
            obj=payment,
            summary={
                "contract": payment.commitment.contract_id,
                "subcontractor": payment.commitment.operator.name,
                "year": payment.year,
                "paid": _cents(payment.amount_paid),
                "reason": payment.dispute_reason,
            },
        )
        return payment
