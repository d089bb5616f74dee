"""Every impact measure on the hand-computed landscape of landscape_fixture.py (definitions: docs/continuity.md)."""

import pytest

from continuity import selectors, services
from continuity.models import Outcome, Scenario

from . import landscape_fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def land():
    return landscape_fixture.build()


def tender(m, act, kind=Scenario.Kind.TENDER, **assumptions):
    """a1, b1 move to winner X in lot L1, c1 to winner Y in lot L2, a2 continues (A is lead), b2 has no move (ends)."""
    s = services.create_scenario(municipality=m, name=f"Aanbesteding {kind}", kind=kind, **assumptions)
    services.set_moves(
        s,
        [
            (act["a1"].pk, Outcome.TRANSFERS, "L1", "X"),
            (act["b1"].pk, Outcome.TRANSFERS, "L1", "X"),
            (act["c1"].pk, Outcome.TRANSFERS, "L2", "Y"),
            (act["a2"].pk, Outcome.CONTINUES, "L1", ""),
        ],
    )
    return selectors.compute_impact(s)


def test_status_quo_breaks_nothing(land):
    m, *_ = land
    s = services.create_scenario(municipality=m, name="Status quo", kind=Scenario.Kind.STATUS_QUO)
    t = selectors.compute_impact(s)["totals"]
    assert s.base_year == 2024
    assert t["grant_before"] == 135000
    assert t["funding_lost"] == t["co_funding_at_risk"] == t["volunteers_affected"] == t["reach_lost"] == 0
    assert t["relationship_years_lost"] == 0


def test_municipal_funding_lost_per_year_counts_only_the_base_year_and_shares_unlinked_grants(land):
    m, org, act, _ = land
    t = tender(m, act)["totals"]
    assert t["funding_lost"] == 95000  # a1 60k + b1 25k + b2 5k + c1 5k
    assert t["funding_to_winners"] == 90000
    assert t["funding_ended"] == 5000


def test_conditional_co_funding_at_risk_stops_with_the_municipal_grant(land):
    m, org, act, _ = land
    t = tender(m, act)["totals"]
    assert t["co_funding_at_risk"] == 12000  # b1's 10k from Doen and c1's 2k from VSB; unconditional 5k survives
    assert t["co_funding_conditional_before"] == 12000


def test_volunteers_are_split_over_activities_by_volunteer_hours(land):
    m, org, act, _ = land
    data = tender(m, act)
    assert data["totals"]["volunteer_hours_affected"] == 5500
    assert data["totals"]["volunteers_affected"] == 70  # A 20 (all on a1) + B 30 + 10 + C 10
    by_org = {o["name"]: o for o in data["organisations"]}
    assert by_org["Klein Samen"]["volunteers_affected"] == 40


def test_paid_staff_affected_and_taken_over_by_the_winner(land):
    m, org, act, _ = land
    t = tender(m, act)["totals"]
    assert t["staff_affected_fte"] == 8  # A 6 (a1 = 60% of A's grant) + B 2
    assert t["staff_taken_over_fte"] == 5.75  # (6 + 1.667) transferred × 75%


def test_participants_and_preventive_activities_lost_only_when_an_activity_ends(land):
    m, org, act, _ = land
    t = tender(m, act)["totals"]
    assert t["reach_lost"] == 20  # only b2 ends; transferred activities keep their participants
    assert t["preventive_lost"] == 0
    s = services.create_scenario(municipality=m, name="Alles stopt", kind=Scenario.Kind.TENDER)
    t = selectors.compute_impact(s)["totals"]
    assert t["reach_lost"] == 280
    assert t["preventive_lost"] == 3


def test_relationship_years_lost_weigh_the_years_of_funding_by_the_share_that_drops_out(land):
    m, org, act, _ = land
    data = tender(m, act)
    assert data["totals"]["relationship_years_lost"] == 14  # A 10 × 60% + B 5 + C 3 (since its activity of 2022)
    by_org = {o["name"]: o for o in data["organisations"]}
    # B and C lose their whole grant (their work moves or ends); A keeps a2. No organisation's work ends entirely.
    assert [n for n, o in by_org.items() if o["loses_grant"]] == ["Klein Samen", "Zelforganisatie"]
    assert data["totals"]["organisations_losing_grant"] == 2
    assert data["totals"]["organisations_work_ending"] == 0


def test_coverage_gap_when_every_activity_for_a_district_and_group_ends(land):
    m, org, act, (d1, d2) = land
    s = services.create_scenario(municipality=m, name="Zuid ouderen stopt", kind=Scenario.Kind.STATUS_QUO)
    services.set_moves(s, [(act["b1"].pk, Outcome.ENDS, "", ""), (act["b2"].pk, Outcome.ENDS, "", "")])
    data = selectors.compute_impact(s)
    assert [(g["district"], g["target_group"]) for g in data["coverage_gaps"]] == [(d2.cbs_code, "elderly")]
    assert {d["code"]: d["coverage_gaps"] for d in data["districts"]} == {d1.cbs_code: 0, d2.cbs_code: 1}
    assert data["fragmentation"]["covered_cells_before"] == 4
    assert data["fragmentation"]["covered_cells_after"] == 3


def test_transfers_keep_coverage(land):
    m, org, act, _ = land
    assert tender(m, act)["coverage_gaps"] == []


def test_fragmentation_herfindahl_index_and_funded_organisations_per_district(land):
    m, org, act, (d1, d2) = land
    f = tender(m, act)["fragmentation"]
    assert f["hhi_before"] == pytest.approx(10925 / 18225 * 10000, abs=0.01)  # A 100k, B 30k, C 5k
    assert f["hhi_after"] == pytest.approx(8850 / 16900 * 10000, abs=0.01)  # A 40k, X 85k, Y 5k
    assert (f["funded_recipients_before"], f["funded_recipients_after"]) == (3, 3)


def test_funded_organisations_per_district_before_and_after(land):
    m, org, act, (d1, d2) = land
    districts = {d["code"]: d for d in tender(m, act)["districts"]}
    assert (
        districts[d1.cbs_code]["funded_organisations_before"],
        districts[d1.cbs_code]["funded_organisations_after"],
    ) == (3, 2)
    assert (
        districts[d2.cbs_code]["funded_organisations_before"],
        districts[d2.cbs_code]["funded_organisations_after"],
    ) == (2, 2)


def test_breakdowns_per_district_target_group_lot_and_organisation_add_up_to_the_total(land):
    m, org, act, (d1, d2) = land
    data = tender(m, act)
    districts = {d["code"]: d["funding_lost"] for d in data["districts"]}
    assert districts == {d1.cbs_code: 77500, d2.cbs_code: 17500}  # b1 counts half in each district
    assert {g["code"]: g["funding_lost"] for g in data["target_groups"]} == {"youth": 60000, "elderly": 35000}
    assert {lot["name"]: lot["funding_lost"] for lot in data["lots"]} == {"L1": 85000, "L2": 5000, "": 5000}
    assert {o["name"]: o["funding_lost"] for o in data["organisations"]} == {
        "Buurtwerk Groot": 60000,
        "Klein Samen": 30000,
        "Zelforganisatie": 5000,
    }


def test_subcontracting_share_is_a_share_of_the_lot_budget_for_small_organisations(land):
    m, org, act, _ = land
    data = tender(m, act, kind=Scenario.Kind.TENDER_SUBCONTRACTING)
    t = data["totals"]
    # L1 (budget-neutral: 125k) keeps 15% = 18,750 for B's 25k; L2 (5k) 750 for C; the large organisation gets none.
    assert t["funding_subcontracted"] == 19500
    assert t["funding_lost"] == 75500  # 135k - 40k kept (a2) - 19.5k subcontracted
    assert {lot["name"]: lot["subcontracting"] for lot in data["lots"] if lot["name"]} == {"L1": 18750, "L2": 750}


def test_horizon_recommissioning_every_four_years(land):
    m, org, act, _ = land
    h = tender(m, act)["horizon"]
    assert h["years"][0] == 2025 and len(h["years"]) == 10
    assert h["recommissionings"] == 2  # years 5 and 9 of the horizon
    assert h["cumulative_funding_stopped"][-1] == 50000  # b2's 5k, ten years
    assert h["cumulative_funding_moved"][-1] == 900000
    assert h["cumulative_volunteer_changes"][-1] == 120  # 60 in moved activities, + 2 × 50% × 60
    assert h["cumulative_provider_switches"][-1] == 2
    assert h["relationship_age_status_quo"][0] == pytest.approx(1300000 / 135000, abs=0.01)
    assert h["relationship_age"][0] == pytest.approx((40000 * 11 + 90000 * 1) / 130000, abs=0.01)
    assert h["relationship_age"][4] == pytest.approx((40000 * 15 + 90000 * 3) / 130000, abs=0.01)


def test_a_year_to_bundle_changes_nothing_in_the_first_year(land):
    m, org, act, _ = land
    s = services.create_scenario(municipality=m, name="Bundelen", kind=Scenario.Kind.BUNDLE_YEAR)
    services.set_moves(s, [(act["c1"].pk, Outcome.TRANSFERS, "Bundel", "Samen Buurtwerk")])
    h = selectors.compute_impact(s)["horizon"]
    assert s.start_delay_years == 1 and s.recommissioning_interval_years == 0
    assert h["relationship_age"][0] == h["relationship_age_status_quo"][0]
    assert h["cumulative_funding_moved"][0] == 0
    assert h["cumulative_funding_moved"][1] == 5000
    assert h["recommissionings"] == 0


def test_impact_reads_the_landscape_in_a_fixed_number_of_queries(land, django_assert_max_num_queries):
    m, org, act, _ = land
    s = services.create_scenario(municipality=m, name="Q", kind=Scenario.Kind.TENDER)
    with django_assert_max_num_queries(12):
        selectors.compute_impact(s)


def test_a_bundle_where_every_organisation_continues_keeps_every_grant_and_funded_organisation(land):
    """A year to bundle: every organisation continues with its own grant, cooperating in a bundle (issue 14: "€ 0
    lost" next to "3 funded organisations afterwards" contradicted itself)."""
    m, org, act, _ = land
    s = services.create_scenario(municipality=m, name="Bundel", kind=Scenario.Kind.BUNDLE_YEAR)
    services.set_moves(s, [(a.pk, Outcome.CONTINUES, "Bundel", "Samen Sterk") for a in act.values()])
    data = selectors.compute_impact(s)
    assert data["totals"]["funding_lost"] == 0 and data["totals"]["relationship_years_lost"] == 0
    assert (data["fragmentation"]["funded_recipients_before"], data["fragmentation"]["funded_recipients_after"]) == (
        3,
        3,
    )
    assert data["fragmentation"]["hhi_after"] == data["fragmentation"]["hhi_before"]
    assert data["totals"]["organisations_losing_grant"] == 0
