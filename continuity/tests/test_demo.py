import io

import pytest

from continuity import demo
from continuity.models import Scenario, TransitionPlan

from . import landscape_fixture

pytestmark = pytest.mark.django_db


def test_demo_builds_the_leiden_and_haarlem_scenarios_once():
    landscape_fixture.build("GM0546", "Leiden")
    landscape_fixture.build("GM0392", "Haarlem")
    demo.load(io.StringIO())
    demo.load(io.StringIO())  # idempotent
    leiden = Scenario.objects.filter(municipality__cbs_code="GM0546")
    assert set(leiden.values_list("kind", flat=True)) == {
        "status_quo",
        "tender",
        "tender_subcontracting",
        "bundle_year",
    }
    assert all(s.impact and s.published for s in leiden)
    tender = leiden.get(kind="tender")
    sub = leiden.get(kind="tender_subcontracting")
    assert sub.impact["totals"]["funding_lost"] < tender.impact["totals"]["funding_lost"]
    Scenario.objects.filter(pk=tender.pk).update(impact={})  # e.g. cleared by a migration of the money model
    demo.load(io.StringIO())
    assert Scenario.objects.get(pk=tender.pk).impact["totals"] == tender.impact["totals"]
    plan = TransitionPlan.objects.get(scenario__municipality__cbs_code="GM0392")
    assert plan.budget == 300000 and plan.result["status"] == "optimal"
    assert plan.result["optimal"]["spent"] <= 300000


def test_demo_without_landscape_says_so():
    out = io.StringIO()
    demo.load(out)
    assert "skipping" in out.getvalue()
    assert not Scenario.objects.exists()
