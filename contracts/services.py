"""The only write path of contracts: the contract record made from a definitive award (evaluation.events)."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from audit.services import record
from bids.models import Participation

from .models import Contract, ContractCommitment, ContractParty


def create_from_award(decision, *, actor=None, now=None) -> Contract:
    """The contract of a definitive award: the lot's budget and the commissioning's term, the consortium and every
    subcontract commitment exactly as in the winning bid (a share of the lot budget also as an amount per year)."""
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
        record(
            "contracts.created",
            actor=actor,
            municipality=c.municipalities(),
            obj=contract,
            summary={
                "lot": lot.number,
                "parties": contract.parties.count(),
                "commitments": contract.commitments.count(),
            },
        )
        return contract
