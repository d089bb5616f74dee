"""impact.load_landscape: the landscape of landscape_fixture.py read into columns, figure by figure (docs/continuity.md,
"Computation"). Several municipalities are read in one call and split apart; each keeps only its own base year."""

from decimal import Decimal

import pytest

from continuity import impact
from core.testing import MunicipalityFactory
from landscape.models import Activity, Funding, Organisation, TargetGroup

from . import landscape_fixture

pytestmark = pytest.mark.django_db


STATUS_QUO_ASSUMPTIONS = {
    "horizon_years": 4,
    "recommissioning_interval_years": 2,
    "winner_change_share": 50,
    "subcontracting_share": 0,
    "staff_takeover_share": 0,
    "start_delay_years": 0,
}


def pairs(act_index, group_index, codes):
    return sorted((int(a), codes[int(g)]) for a, g in zip(act_index, group_index, strict=True))


@pytest.fixture
def two_towns():
    """Voorbeeldstad (the worked example, plus an organisation with a grant and no activity, and a grant of 1,000 to
    Zelforganisatie without an activity) and Anderstad (the same landscape again), read together."""
    m1, org1, act1, _ = landscape_fixture.build()
    m2, org2, act2, _ = landscape_fixture.build(code="GM9002", name="Anderstad")
    idle = Organisation.objects.create(
        municipality=m1, name="Zonder activiteit", kind=Organisation.Kind.VOLUNTEER_ONLY, volunteers=3
    )
    fund(m1, idle, None, 7000)
    fund(m1, Organisation.objects.get(municipality=m1, name="Zelforganisatie"), None, 1000)
    return m1, m2


def fund(municipality, organisation, activity, amount):
    Funding.objects.create(
        municipality=municipality,
        organisation=organisation,
        activity=activity,
        year=2024,
        kind=Funding.Kind.MUNICIPAL_GRANT,
        source_name="Subsidie",
        amount_granted=Decimal(amount),
    )


def test_each_column_of_the_worked_example(two_towns):
    m1, m2 = two_towns
    land = impact.load_landscape([m2.pk, m1.pk], {m1.pk: 2024, m2.pk: 2024})[m1.pk]
    assert land.base_year == 2024
    assert land.org_name == ["Buurtwerk Groot", "Klein Samen", "Zelforganisatie", "Zonder activiteit"]
    assert land.org_kind == ["large_welfare", "volunteer_with_staff", "self_organisation", "volunteer_only"]
    assert land.org_small.tolist() == [False, True, True, True]
    assert land.org_volunteers.tolist() == [20, 40, 10, 3]
    assert land.org_staff.tolist() == [10, 2, 0, 0]
    assert land.org_first_year.tolist() == [2015, 2020, 0, 0]  # unknown first year: 0
    assert land.act_title == [f"Activiteit {k}" for k in ("a1", "a2", "b1", "b2", "c1")]
    assert land.act_org.tolist() == [0, 0, 1, 1, 2]
    assert land.reach.tolist() == [100, 50, 80, 20, 30]
    assert land.volunteer_hours.tolist() == [1000, 0, 3000, 1000, 500]
    assert land.preventive.tolist() == [1, 0, 1, 0, 1]
    assert land.since_year.tolist() == [2016, 2016, 2020, 2021, 2022]
    # B's 10,000 without an activity is shared equally by b1 and b2, C's 1,000 goes to its one activity c1; the 2023
    # grant of 99,999 is not the base year.
    assert land.grant.tolist() == [60000, 40000, 25000, 5000, 6000]
    assert land.conditional.tolist() == [0, 0, 10000, 0, 2000]
    assert land.unconditional.tolist() == [0, 0, 5000, 0, 0]
    assert land.unlinked_grant == 7000  # the organisation without an activity: outside the analysis
    assert land.district_code == ["WK900101", "WK900102"]
    assert land.district_name == ["Noord", "Zuid"]
    assert pairs(land.ad_act, land.ad_district, land.district_code) == [
        (0, "WK900101"),
        (1, "WK900102"),
        (2, "WK900101"),
        (2, "WK900102"),
        (3, "WK900102"),
        (4, "WK900101"),
    ]
    groups = list(TargetGroup.objects.order_by("name").values_list("code", flat=True))
    assert land.tg_code == groups
    assert land.tg_name == list(TargetGroup.objects.order_by("name").values_list("name", flat=True))
    assert pairs(land.at_act, land.at_tg, land.tg_code) == [
        (0, "youth"),
        (1, "youth"),
        (2, "elderly"),
        (3, "elderly"),
        (4, "elderly"),
    ]


def test_two_municipalities_in_one_call_each_with_its_own_base_year(two_towns):
    m1, m2 = two_towns
    # An organisation and an activity of Voorbeeldstad created after Anderstad's: the ids of the two towns interleave.
    late = Organisation.objects.create(municipality=m1, name="Laat", kind=Organisation.Kind.LARGE_WELFARE)
    fund(m1, late, Activity.objects.create(organisation=late, title="Laat", reach=7), 1000)  # since: unknown
    lands = impact.load_landscape([m1.pk, m2.pk], {m1.pk: 2024, m2.pk: 2023}, titles=False)
    assert sorted(lands) == sorted([m1.pk, m2.pk])
    first, other = lands[m1.pk], lands[m2.pk]
    assert other.base_year == 2023
    assert other.district_code == ["WK900201", "WK900202"]
    assert other.org_name == ["Buurtwerk Groot", "Klein Samen", "Zelforganisatie"]
    assert other.grant.tolist() == [99999, 0, 0, 0, 0]  # only the 2023 line
    assert other.conditional.tolist() == [0, 0, 0, 0, 0]
    assert other.unlinked_grant == 0
    assert len(other.ad_act) == len(first.ad_act) == 6 and len(other.at_act) == len(first.at_act) == 5
    assert other.reach.tolist() == [100, 50, 80, 20, 30]
    assert pairs(other.ad_act, other.ad_district, other.district_code) == [
        (a, code.replace("9001", "9002")) for a, code in pairs(first.ad_act, first.ad_district, first.district_code)
    ]
    assert first.org_name[-1] == "Laat" and first.act_org.tolist() == [0, 0, 1, 1, 2, 4]
    assert first.grant.tolist() == [60000, 40000, 25000, 5000, 6000, 1000]
    assert first.reach.tolist() == [100, 50, 80, 20, 30, 7]
    assert first.since_year.tolist() == [2016, 2016, 2020, 2021, 2022, 0]  # unknown: 0
    assert first.act_title == [""] * 6  # titles=False skips the titles
    assert other.act_id.tolist() != first.act_id.tolist()


def test_a_municipality_without_organisations_has_an_empty_landscape_and_breaks_nothing():
    m, *_ = landscape_fixture.build()
    empty = MunicipalityFactory(cbs_code="GM9003", name="Leegdorp")
    land = impact.load_landscape([empty.pk], {empty.pk: 2024})[empty.pk]
    assert (len(land.org_id), len(land.act_id), land.unlinked_grant) == (0, 0, 0.0)
    assert land.district_code == [] and land.grant.tolist() == []
    moves = impact.moves_from_rows(land, [], "ends")
    result = impact.compute(land, moves, STATUS_QUO_ASSUMPTIONS)
    assert result["totals"]["grant_before"] == 0 and result["totals"]["activities"] == 0
    assert result["organisations"] == [] and result["lots"] == [] and result["coverage_gaps"] == []
    assert result["districts"] == [] and result["target_groups"] == []  # no group without figures is listed


def test_latest_funding_year_is_the_newest_year_with_a_funding_line():
    m, *_ = landscape_fixture.build()
    other = MunicipalityFactory(cbs_code="GM9004", name="Zonderjaar")
    assert impact.latest_funding_year(m.pk) == 2024
    assert impact.latest_funding_year(other.pk) is None


def test_column_helpers_keep_their_contract_float_int_and_minus_one_for_missing():
    # Mutation testing (docs/continuity.md): the loading helpers promise float64 and int64 columns, None as 0.0 in a
    # money column and -1 in an id column; a column of Python objects would compute the same figures, only slowly.
    import numpy as np

    floats = impact._floats([Decimal("1.50"), None, True, 2])
    assert floats.dtype == np.float64 and floats.tolist() == [1.5, 0.0, 1.0, 2.0]
    ids = impact._ids([7, None, 3])
    assert ids.dtype == np.int64 and ids.tolist() == [7, -1, 3]
    from_matrix = impact._ids(np.array([4.0, np.nan]))
    assert from_matrix.dtype == np.int64 and from_matrix.tolist() == [4, -1]
    columns = impact._matrix([(1, None, Decimal("2.5")), (2, 3, 0)], 3)
    assert [c.tolist() for c in columns[:1] + columns[2:]] == [[1.0, 2.0], [2.5, 0.0]]
    assert np.isnan(columns[1][0]) and columns[1][1] == 3.0
    assert [c.shape for c in impact._matrix([], 2)] == [(0,), (0,)]
