import pytest

from landscape.models import Funding

from .factories import ActivityFactory, DistrictFactory, ExternalFundingFactory, FundingFactory, NeighbourhoodFactory


@pytest.mark.django_db
def test_factories_build_valid_records_with_cbs_codes_of_their_municipality():
    district = DistrictFactory()
    neighbourhood = NeighbourhoodFactory(district=district)
    activity = ActivityFactory(
        organisation__municipality=district.municipality, districts=[district], target_groups=["elderly"]
    )
    grant = FundingFactory(organisation=activity.organisation, activity=activity)
    external = ExternalFundingFactory(organisation=activity.organisation, conditional=True)
    for obj in (district, neighbourhood, activity.organisation, activity, grant, external):
        obj.full_clean()
    assert district.cbs_code[2:6] == district.municipality.cbs_code[2:]
    assert neighbourhood.cbs_code.startswith("BU" + district.cbs_code[2:])
    assert [g.code for g in activity.target_groups.all()] == ["elderly"]
    assert grant.municipality == external.municipality == district.municipality
    assert external.kind == Funding.Kind.EXTERNAL and external.conditional
