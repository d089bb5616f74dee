"""The definitive award copies the lot's KPIs, as published, onto the contract record, and the contract page shows
them in Dutch (issue 12)."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from audit.models import AuditEvent
from contracts.models import Contract
from core.testing import login
from evaluation import services
from evaluation.tests.factories import REASON, declare_all, score_all, world
from evaluation.tests.test_award import CHARACTERISTICS
from tenders.models import LotKPI

pytestmark = pytest.mark.django_db
KPIS = [
    {
        "name": "Jongeren bereikt",
        "measurement": "Unieke jongeren per jaar in het jongerenwerk, uit de registratie",
        "target_value": Decimal("1800"),
        "unit": "jongeren",
        "frequency": LotKPI.Frequency.HALF_YEARLY,
    },
    {
        "name": "Ouders tevreden",
        "measurement": "Aandeel ouders dat de steun een 7 of hoger geeft (jaarlijkse enquête)",
        "target_value": Decimal("80.5"),
        "unit": "%",
        "frequency": LotKPI.Frequency.YEARLY,
    },
]


def decided(kpis=KPIS):
    w = world(kpis=kpis)
    declare_all(w)
    score_all(w, {u.username: {(i, j): s for i, s in enumerate((75, 50, 25)) for j in range(len(w.keys))}
                  for u in w.people})  # fmt: skip
    for i, b in enumerate(w.bids):
        for key in w.keys:
            services.record_consensus(w.committee, actor=w.chair, submission=b, criterion_key=key,
                                      score=(75, 50, 25)[i], reason=REASON)  # fmt: skip
    decision = services.decide_award(w.lot, actor=w.officer, winner=w.bids[0], characteristics=CHARACTERISTICS)
    services.record_evidence(decision, actor=w.officer)
    return w, decision


def test_the_definitive_award_copies_the_lots_kpis_onto_the_contract():
    w, decision = decided()
    assert not Contract.objects.exists()
    services.make_definitive(decision, actor=w.officer, now=decision.standstill_ends_at)
    contract = Contract.objects.get()
    rows = [(k.name, k.measurement, k.target_value, k.unit, k.frequency) for k in contract.kpis.all()]
    assert rows == [(k["name"], k["measurement"], k["target_value"], k["unit"], k["frequency"]) for k in KPIS]
    assert [k.source for k in contract.kpis.all()] == list(w.lot.kpis.all())
    assert AuditEvent.objects.get(action="contracts.created").summary["kpis"] == 2


def test_a_lot_without_kpis_gives_a_contract_without_kpis_and_the_page_says_so(client):
    w, decision = decided(kpis=[])
    services.make_definitive(decision, actor=w.officer, now=decision.standstill_ends_at)
    contract = Contract.objects.get()
    assert not contract.kpis.exists()
    login(client, w.officer)
    with translation.override("nl"):
        page = client.get(reverse("contracts:detail", args=["GM0546", contract.pk])).content.decode()
    assert "De aanbesteding stelde geen KPI's voor dit perceel." in page


def test_the_contract_page_shows_the_kpis_in_dutch(client):
    w, decision = decided()
    services.make_definitive(decision, actor=w.officer, now=decision.standstill_ends_at)
    contract = Contract.objects.get()
    login(client, w.officer)
    with translation.override("nl"):
        page = client.get(reverse("contracts:detail", args=["GM0546", contract.pk])).content.decode()
    assert "Jongeren bereikt" in page and "1.800 jongeren" in page and "Per halfjaar" in page
    assert "Ouders tevreden" in page and "80,50 %" in page and "Jaarlijks" in page
    assert "Hoe het wordt gemeten" in page and "Streefwaarde" in page
    # Money as a Dutch reader writes it: thousands grouped with a dot, two decimals after a comma.
    assert contract.annual_budget >= 1000
    euros = f"{contract.annual_budget:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    assert f"€ {euros}" in page
