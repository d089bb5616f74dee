from io import StringIO

import pytest
from django.db.models import Count, Max, Min, Q

from landscape import demo
from landscape.models import District, Funding, Organisation

pytestmark = pytest.mark.django_db


def _load_landscape_demo():
    """Only the stages this app's demo needs (core, landscape): later stages refer to its organisations."""
    from core import demo as core_demo

    core_demo.load(StringIO())
    demo.load(StringIO())


@pytest.fixture
def loaded():
    _load_landscape_demo()


def test_leiden_has_its_ten_districts_with_cbs_codes(loaded):
    districts = list(District.objects.filter(municipality__cbs_code="GM0546").values_list("cbs_code", "name"))
    assert districts == demo.LEIDEN_DISTRICTS
    assert [code for code, _ in districts] == [f"WK0546{i:02d}" for i in range(10)]


def test_haarlem_districts_carry_haarlem_codes(loaded):
    codes = District.objects.filter(municipality__cbs_code="GM0392").values_list("cbs_code", flat=True)
    assert codes and all(code.startswith("WK0392") for code in codes)


def test_leiden_has_about_forty_grant_funded_organisations_with_three_to_five_years_of_grants(loaded):
    orgs = Organisation.objects.filter(municipality__cbs_code="GM0546").annotate(
        years=Count("fundings__year", filter=Q(fundings__kind=Funding.Kind.MUNICIPAL_GRANT), distinct=True)
    )
    assert orgs.count() == 40
    assert {o.years for o in orgs} <= {3, 4, 5}
    assert all(o.activities.exists() and o.volunteers > 0 for o in orgs)


def test_every_leiden_organisation_falls_under_one_of_the_three_lots(loaded):
    areas = set(
        Funding.objects.filter(municipality__cbs_code="GM0546", kind=Funding.Kind.MUNICIPAL_GRANT).values_list(
            "policy_area", flat=True
        )
    )
    assert areas == {lot["policy_area"] for lot in demo.LEIDEN_LOTS.values()}


def test_haarlem_co_funding_is_mostly_conditional_on_municipal_funding(loaded):
    external = Funding.objects.filter(municipality__cbs_code="GM0392", kind=Funding.Kind.EXTERNAL)
    assert external.count() > 0
    assert external.filter(conditional=True).count() > external.count() / 2
    kinds = set(Organisation.objects.filter(municipality__cbs_code="GM0392").values_list("kind", flat=True))
    assert {Organisation.Kind.SOCIAL_ENTERPRISE, Organisation.Kind.SELF_ORGANISATION} <= kinds
    assert Organisation.Kind.LARGE_WELFARE not in kinds


def test_demo_figures_are_deterministic(loaded):
    def snapshot():
        return list(
            Organisation.objects.order_by("municipality__cbs_code", "name").values_list(
                "name", "volunteers", "paid_staff_fte", "first_funded_year"
            )
        ), Funding.objects.aggregate(total=Max("amount_granted"), low=Min("amount_granted"), n=Count("id"))

    first = snapshot()
    Organisation.objects.all().delete()  # a fresh landscape, the same figures
    _load_landscape_demo()
    assert snapshot() == first
