"""The contract of a definitive award with two KPIs (half-yearly and yearly), a fixed start date and a user who acts
for the winning bid's lead: for the monitoring tests."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from bids.models import OperatorMember
from contracts.models import Contract
from core.testing import UserFactory
from evaluation import services as evaluation_services

from .test_contract_kpis import decided

AMS = ZoneInfo("Europe/Amsterdam")
START = date(2027, 1, 31)  # the 31st: periods must not drift to the 28th


def at(day: date, hour=12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=AMS)


@pytest.fixture
def contract(db):
    w, decision = decided()
    evaluation_services.make_definitive(decision, actor=w.officer, now=decision.standstill_ends_at)
    Contract.objects.update(contract_start=START)  # a fixed start: the tests never depend on today's date
    contract = Contract.objects.get()
    contractor = UserFactory(username="contractant")
    OperatorMember.objects.create(operator=contract.submission.lead, user=contractor, joined_at=timezone.now())
    contract.w, contract.contractor = w, contractor
    contract.half_yearly = contract.kpis.get(frequency="half_yearly")
    contract.yearly = contract.kpis.get(frequency="yearly")
    return contract


@pytest.fixture
def subcontracted(contract):
    """The contract with one subcontract commitment (€ 24.000 a year for 5 years) to a volunteer organisation, as the
    definitive award copies it from the bid, and a user who acts for that organisation."""
    from bids.models import EconomicOperator
    from contracts.models import ContractCommitment, ContractParty

    small = EconomicOperator.objects.create(
        name="Stichting Huisbezoek 75+", kind="volunteer", kvk_number="71234567", street="Straat 2",
        postcode="2311 CS", city="Leiden", contact_name="H", contact_email="h@example.org",
    )  # fmt: skip
    ContractParty.objects.create(contract=contract, operator=small, ring=2, role="Huisbezoek")
    contract.commitment = ContractCommitment.objects.create(
        contract=contract, operator=small, amount_per_year=Decimal("24000"), years=5
    )
    contract.subcontractor = UserFactory(username="huisbezoek")
    OperatorMember.objects.create(operator=small, user=contract.subcontractor, joined_at=timezone.now())
    return contract
