"""Lot scope without traps (issue 14): districts and target groups propose activities, they do not add them; the
lot editor warns when lots overlap and when a lot's budget differs from its activities' current grants."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from continuity.tests import landscape_fixture
from core.testing import login
from landscape.models import TargetGroup
from tenders import selectors, services
from tenders.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def land():
    m, org, act, districts = landscape_fixture.build()
    officer = factories.officer(m)
    return m, act, districts, officer, factories.draft(m, officer)


def test_choosing_a_district_proposes_its_activities_and_does_not_add_them(client, land):
    """Issue 14: a "Mantelzorg" lot with 9 chosen activities ended up with 55 after ticking districts."""
    m, act, (d1, d2), officer, c = land
    services.save_lot(c, officer, title="Mantelzorg", annual_budget=Decimal("25000"), activities=[act["b1"]])
    login(client, officer)
    url = reverse("tenders:lot_edit", args=[m.cbs_code, c.pk, c.lots.get().pk])
    response = client.post(
        url,
        {
            "lot-title": "Mantelzorg",
            "lot-annual_budget": "25000",
            "lot-districts": [d2.pk],
            "lot-activities": [act["b1"].pk],
        },
    )
    assert response.status_code == 302 and response.url == url  # back to the editor, to show the proposal
    scope = selectors.lot_scope(c)
    assert [a.pk for a in scope["lots"][0]["activities"]] == [act["b1"].pk]
    page = client.get(url).content.decode()
    assert 'id="proposed"' in page and "Activiteit a2" in page and "Activiteit b2" in page
    proposed = selectors.proposals(c, [d2], [], [act["b1"]])
    assert {a.pk for a in proposed} == {act["a2"].pk, act["b2"].pk}


def test_the_scope_table_warns_when_lots_overlap_and_when_a_budget_differs_from_the_grants(client, land):
    """Issue 14: two lots overlapped and their grants added up to € 8,97 million out of € 5,05 million."""
    m, act, _districts, officer, c = land
    services.save_lot(c, officer, title="Ouderen", annual_budget=Decimal("30000"), activities=[act["b1"], act["c1"]])
    services.save_lot(c, officer, title="Samen", annual_budget=Decimal("200000"), activities=[act["b1"], act["a1"]])
    warnings = selectors.scope_warnings(selectors.lot_scope(c))
    assert any("Activiteit b1" in w and "1. Ouderen, 2. Samen" in w for w in warnings)
    # Ouderen: 30k against 30k of grants (b1 25k + c1 5k): no warning. Samen: 200k against 85k: 115k above.
    assert not any("1. Ouderen: " in w for w in warnings)
    assert any("2. Samen" in w and "€ 200.000" in w and "€ 115.000" in w and "€ 85.000" in w for w in warnings)
    login(client, officer)
    page = client.get(reverse("tenders:manage", args=[m.cbs_code, c.pk])).content.decode()
    assert 'id="scope-warnings"' in page and "in meer dan één perceel" in page


def test_a_budget_below_the_grants_beyond_the_threshold_is_money_the_municipality_stops_paying(land):
    m, act, _districts, officer, c = land
    services.save_lot(c, officer, title="Jeugd", annual_budget=Decimal("80000"), activities=[act["a1"], act["a2"]])
    services.save_lot(c, officer, title="Klein", annual_budget=Decimal("4600"), activities=[act["c1"]])
    with translation.override("nl"):
        warnings = selectors.scope_warnings(selectors.lot_scope(c))
    assert warnings == [
        "Perceel 1. Jeugd: het budget van € 80.000 ligt € 20.000 onder de huidige subsidies van de activiteiten "
        "(€ 100.000): geld dat de gemeente niet meer betaalt."
    ]  # Klein: 400 below 5,000 is within 10%


def test_lot_with_only_districts_or_groups_has_no_activities_until_they_are_chosen(land):
    m, act, (d1, _d2), officer, c = land
    services.save_lot(
        c,
        officer,
        title="Noord",
        annual_budget=Decimal("1000"),
        districts=[d1],
        target_groups=[TargetGroup.objects.get(code="elderly")],
    )
    scope = selectors.lot_scope(c)
    assert scope["lots"][0]["activities"] == [] and len(scope["outside"]["activities"]) == 5
    notes = selectors.proposal_notes(c, scope)
    assert len(notes) == 1 and "2" in notes[0]  # b1 and c1 are elderly activities in Noord
