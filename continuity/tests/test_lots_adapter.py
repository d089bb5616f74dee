"""Scenarios from the lots of a commissioning (adapter to the tenders app)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from continuity import selectors, services
from continuity.models import Move, Scenario
from core.models import Role
from core.testing import login, user_with_role
from landscape.models import TargetGroup
from tenders import services as tender_services
from tenders.tests import factories as tender_factories

from . import landscape_fixture

pytestmark = pytest.mark.django_db


def test_activities_in_a_lot_move_to_its_winner_and_the_rest_ends(client):
    m, org, act, (d1, d2) = landscape_fixture.build()
    officer = tender_factories.officer(m)
    c = tender_factories.draft(m, officer)
    tender_services.save_lot(
        c,
        officer,
        title="Ouderen",
        annual_budget=Decimal("50000"),
        target_groups=[TargetGroup.objects.get(code="elderly")],
        activities=[act["b1"], act["b2"], act["c1"]],
    )
    s = services.create_scenario(municipality=m, name="Uit percelen", kind=Scenario.Kind.TENDER)
    advisor = user_with_role(Role.POLICY_ADVISOR, m)
    login(client, advisor)
    response = client.post(reverse("continuity:from_lots", args=[m.cbs_code, s.pk]), {"commissioning": c.pk})
    assert response.status_code == 302
    moves = dict(Move.objects.filter(scenario=s).values_list("activity_id", "winner"))
    assert moves == {
        act["b1"].pk: "Winnaar perceel 1",
        act["b2"].pk: "Winnaar perceel 1",
        act["c1"].pk: "Winnaar perceel 1",
    }
    t = selectors.compute_impact(s)["totals"]
    assert t["funding_ended"] == 100000  # a1 and a2 (youth) are in no lot; the lot pays 50k for 35k of grants: adds
    assert t["funding_added"] == 15000
    services.store_impact(s, selectors.compute_impact(s))
    page = client.get(reverse("continuity:scenario", args=[m.cbs_code, s.pk])).content.decode()
    assert 'id="assumed-winners"' in page  # the placeholder winner is marked as an assumption


def test_commissioning_of_another_municipality_is_refused(client):
    m, *_ = landscape_fixture.build()
    other, *_ = landscape_fixture.build("GM9005", "Anders")
    c = tender_factories.draft(other)
    s = services.create_scenario(municipality=m, name="X", kind=Scenario.Kind.TENDER)
    login(client, user_with_role(Role.POLICY_ADVISOR, m))
    client.post(reverse("continuity:from_lots", args=[m.cbs_code, s.pk]), {"commissioning": c.pk})
    assert not Move.objects.filter(scenario=s).exists()
    login(client, user_with_role(Role.EVALUATOR, m))
    assert (
        client.post(reverse("continuity:from_lots", args=[m.cbs_code, s.pk]), {"commissioning": c.pk}).status_code
        == 403
    )
