"""impact.compute on small landscapes in memory, every figure computed by hand (docs/continuity.md, "One money model",
"Measures", "Horizon"). The cases the worked example of test_impact.py does not reach: lot budgets below and above
the current grants, a lot whose activities have no grant, lots in which nothing goes on, a current organisation that
is the winner, equal shares when an organisation records no hours or grant, and a horizon that starts a year late."""

import numpy as np
import pytest

from continuity import impact

TENDER = {
    "horizon_years": 4,
    "recommissioning_interval_years": 2,
    "winner_change_share": 50,
    "subcontracting_share": 15,
    "staff_takeover_share": 75,
    "start_delay_years": 1,
}


def landscape(orgs, acts, districts=("WK01", "WK02"), groups=("youth", "elderly")):
    """orgs: (name, small, volunteers, staff fte, first funded year or 0); acts: (organisation index, grant, volunteer
    hours, reach, preventive, since year or 0, conditional co-funding, district indexes, group indexes)."""
    ad = [(a, d) for a, act in enumerate(acts) for d in act[7]]
    at = [(a, g) for a, act in enumerate(acts) for g in act[8]]
    column = lambda k: np.array([act[k] for act in acts], dtype=float)  # noqa: E731
    return impact.Landscape(
        base_year=2024,
        org_id=np.arange(1, len(orgs) + 1, dtype=np.int64),
        org_name=[o[0] for o in orgs],
        org_kind=["volunteer_with_staff" if o[1] else "large_welfare" for o in orgs],
        org_small=np.array([o[1] for o in orgs], dtype=bool),
        org_volunteers=np.array([o[2] for o in orgs], dtype=float),
        org_staff=np.array([o[3] for o in orgs], dtype=float),
        org_first_year=np.array([o[4] for o in orgs], dtype=np.int64),
        act_id=np.arange(101, 101 + len(acts), dtype=np.int64),
        act_title=[f"a{i}" for i in range(len(acts))],
        act_org=np.array([act[0] for act in acts], dtype=np.int64),
        reach=column(3),
        volunteer_hours=column(2),
        preventive=column(4),
        since_year=np.array([act[5] for act in acts], dtype=np.int64),
        grant=column(1),
        conditional=column(6),
        unconditional=np.zeros(len(acts)),
        district_code=list(districts),
        district_name=[f"Wijk {d}" for d in districts],
        ad_act=np.array([a for a, _ in ad], dtype=np.int64),
        ad_district=np.array([d for _, d in ad], dtype=np.int64),
        tg_code=list(groups),
        tg_name=[f"Groep {g}" for g in groups],
        at_act=np.array([a for a, _ in at], dtype=np.int64),
        at_tg=np.array([g for _, g in at], dtype=np.int64),
    )


def run(land, rows, unassigned="continues", budgets=None, **assumptions):
    moves = impact.moves_from_rows(land, rows, unassigned, budgets)
    return impact.compute(land, moves, {**TENDER, **assumptions})


# G: large, 10 years; K: small, 5 years. g0, g1, k0, k1 with grants 60k, 40k, 30k, 0.
LOTS = landscape(
    orgs=[("Groot", False, 20, 10, 2015), ("Klein", True, 40, 2, 2020)],
    acts=[
        (0, 60000, 1000, 100, 1, 2016, 0, [0], [0]),
        (0, 40000, 0, 50, 0, 2016, 0, [1], [0]),
        (1, 30000, 3000, 80, 1, 2020, 10000, [0, 1], [1]),
        (1, 0, 1000, 20, 0, 2021, 0, [1], [1]),
    ],
)
LOT_ROWS = [(101, "transfers", "L1", "X"), (102, "continues", "", ""), (103, "transfers", "L1", "X")]
LOT_ROWS += [(104, "transfers", "L2", "Y")]
LOT_BUDGETS = {"L1": 80000, "L2": 10000}


@pytest.fixture
def lots():  # per test, not per module: mutation testing (mutmut) maps each test to the functions it runs
    return run(LOTS, LOT_ROWS, budgets=LOT_BUDGETS)


def test_a_lot_budget_below_its_grants_is_shared_by_grant_and_the_rest_stops(lots):
    """L1 holds g0 (60k) and k0 (30k) with a budget of 80k: g0 gets 53,333.33 and k0 26,666.67; 10k stops. Of L1's
    budget 15% (12k) goes back to Klein as a subcontract: 45% of k0's money; the rest goes to X."""
    t = lots["totals"]
    assert t["grant_before"] == 130000
    assert t["funding_kept"] == 40000  # g1 continues
    assert t["funding_subcontracted"] == 12000
    assert t["funding_to_winners"] == 68000  # 53,333.33 + 26,666.67 × 55%
    assert t["funding_ended"] == 10000
    assert t["funding_lost"] == 78000
    assert (t["lot_budgets"], t["grants_in_lots"]) == (90000, 90000)
    g0, g1, k0, k1 = lots["activities"]
    assert (g0["grant_after"], g0["funding_to_winners"], g0["funding_ended"]) == (53333.33, 53333.33, 6666.67)
    assert (k0["grant_after"], k0["kept"], k0["funding_subcontracted"]) == (26666.67, 0.45, 12000)
    assert (k0["funding_to_winners"], k0["funding_ended"]) == (14666.67, 3333.33)
    assert (g1["grant_after"], g1["kept"], g1["funding_kept"]) == (40000, 1, 40000)
    assert [a["lot"] for a in lots["activities"]] == ["L1", "", "L1", "L2"]
    assert [a["winner"] for a in lots["activities"]] == ["X", "", "X", "Y"]
    assert [a["outcome"] for a in lots["activities"]] == ["transfers", "continues", "transfers", "transfers"]


def test_a_lot_whose_activities_have_no_grant_shares_its_budget_equally_and_all_of_it_is_added(lots):
    """L2 holds only k1 (no grant today) with a budget of 10k: all of it is added; 15% of it goes to Klein."""
    assert lots["totals"]["funding_added"] == 10000
    k1 = lots["activities"][3]
    assert (k1["grant_after"], k1["funding_added"], k1["funding_to_winners"], k1["kept"]) == (10000, 10000, 0, 0.15)
    by_lot = {lot["name"]: lot for lot in lots["lots"]}
    assert set(by_lot) == {"L1", "L2", ""}
    l1, l2, rest = by_lot["L1"], by_lot["L2"], by_lot[""]
    assert (l1["grants_in_scope"], l1["budget"], l1["budget_set"]) == (90000, 80000, True)
    assert (l1["municipality_stops"], l1["municipality_adds"], l1["subcontracting"]) == (10000, 0, 12000)
    assert (l1["funding_to_winners"], l1["funding_ended"], l1["grant_before"]) == (68000, 10000, 90000)
    assert (l2["grants_in_scope"], l2["budget"], l2["budget_set"]) == (0, 10000, True)
    assert (l2["municipality_stops"], l2["municipality_adds"], l2["subcontracting"]) == (0, 10000, 1500)
    assert (rest["grants_in_scope"], rest["budget"], rest["budget_set"]) == (40000, None, False)
    assert (rest["funding_kept"], rest["municipality_stops"], rest["subcontracting"]) == (40000, 0, 0)


def test_people_and_co_funding_follow_the_share_of_the_work_that_leaves(lots):
    t = lots["totals"]
    # Klein keeps 45% of k0's work (its subcontract) and 15% of k1's; Groot loses g0 entirely.
    assert t["co_funding_at_risk"] == 6000  # k0's 10k × the 60% of its money Klein no longer receives
    assert t["volunteers_affected"] == 45  # Groot 20 (all on g0) + Klein 30 × 55% + 10 × 85%
    assert t["volunteer_hours_affected"] == 3500  # 1000 + 3000 × 55% + 1000 × 85%
    assert t["staff_affected_fte"] == 7.1  # Groot 10 × 60% + Klein 2 × 55% (k1 has no grant: no staff)
    assert t["staff_taken_over_fte"] == 5.33  # (6 + 1.1) × 75%
    assert t["relationship_years_lost"] == 8.75  # Groot 10 years × 60% + Klein 5 years × 55%
    assert t["reach_lost"] == 0 and t["preventive_lost"] == 0  # nothing ends
    assert (t["activities"], t["activities_ending"], t["activities_transferred"]) == (4, 0, 3)
    assert t["co_funding_conditional_before"] == 10000
    assert (t["reach_before"], t["volunteer_hours_before"], t["preventive_before"]) == (250, 5000, 2)
    groot, klein = lots["organisations"]
    assert (groot["relationship_years"], klein["relationship_years"]) == (10, 5)
    assert (groot["grant_after"], klein["grant_after"]) == (40000, 13500)  # Klein: 12,000 + 15% of k1's 10,000
    assert (groot["volunteers_affected"], klein["volunteers_affected"]) == (20, 25)
    assert not groot["loses_grant"] and not klein["loses_grant"] and not klein["work_ends"]
    assert (groot["name"], groot["kind"], groot["small"], klein["small"]) == ("Groot", "large_welfare", False, True)


def test_funded_recipients_and_concentration_before_and_after(lots):
    f = lots["fragmentation"]
    assert (f["funded_recipients_before"], f["funded_recipients_after"]) == (2, 4)  # + X and Y
    assert f["hhi_before"] == pytest.approx((100**2 + 30**2) / 130**2 * 10000, abs=0.01)
    assert f["hhi_after"] == pytest.approx((40**2 + 13.5**2 + 68**2 + 8.5**2) / 130**2 * 10000, abs=0.01)
    assert f["funding_after"] == 130000  # 130k today − 10k stopped + 10k added
    # WK01 (g0, k0) and WK02 (g1, k0, k1): before Groot and Klein in each. After: in WK01 Klein (its subcontract) and
    # X (Groot's g0 went to X); in WK02 Groot (g1), Klein, X and Y.
    assert (f["funded_organisations_per_district_before"], f["funded_organisations_per_district_after"]) == (2, 3)
    districts = {d["code"]: d for d in lots["districts"]}
    assert [(d["funded_organisations_before"], d["funded_organisations_after"]) for d in lots["districts"]] == [
        (2, 2),
        (2, 4),
    ]
    assert districts["WK01"]["funding_to_winners"] == pytest.approx(53333.33 + 14666.67 / 2, abs=0.01)
    assert (f["covered_cells_before"], f["covered_cells_after"], f["coverage_gaps"]) == (4, 4, 0)


def test_horizon_that_starts_a_year_late_and_recommissions_every_two_years(lots):
    h = lots["horizon"]
    assert h["years"] == [2025, 2026, 2027, 2028]
    assert h["cumulative_funding_stopped"] == [0, 10000, 20000, 30000]
    assert h["cumulative_funding_moved"] == [0, 68000, 136000, 204000]
    assert h["cumulative_volunteer_changes"] == [0, 45, 45, 67.5]  # 45 at the change, half of them again at year 4
    assert h["cumulative_provider_switches"] == [0, 1, 1, 1.5]
    assert h["recommissionings"] == 1
    assert (h["total_funding_stopped"], h["total_funding_moved"], h["total_volunteer_changes"]) == (30000, 204000, 67.5)
    assert h["total_co_funding_at_risk"] == 18000  # 6,000 a year for the three years after the change
    # Relationship age: Groot's euros are 10 years old, Klein's 5, a euro that moved starts again at one year.
    assert h["relationship_age_status_quo"] == [
        round((100000 * (11 + t) + 30000 * (6 + t)) / 130000, 2) for t in range(4)
    ]
    assert h["relationship_age"][0] == h["relationship_age_status_quo"][0]
    assert h["relationship_age"][1] == round((40000 * 12 + 12000 * 7 + 68000 * 1) / 120000, 2)
    assert h["relationship_age"][2] == round((40000 * 13 + 12000 * 8 + 68000 * 2) / 120000, 2)
    assert h["relationship_age"][3] == round((40000 * 14 + 12000 * 9 + 68000 * 2) / 120000, 2)  # half starts again


def test_a_horizon_without_recommissioning_and_a_delay_longer_than_the_horizon(lots):
    once = run(LOTS, LOT_ROWS, budgets=LOT_BUDGETS, recommissioning_interval_years=0, start_delay_years=0)["horizon"]
    assert once["cumulative_volunteer_changes"] == [45, 45, 45, 45] and once["recommissionings"] == 0
    assert once["cumulative_funding_moved"] == [68000, 136000, 204000, 272000]
    never = run(LOTS, LOT_ROWS, budgets=LOT_BUDGETS, start_delay_years=9)["horizon"]
    assert never["cumulative_funding_moved"] == [0, 0, 0, 0] and never["total_co_funding_at_risk"] == 0
    assert never["relationship_age"] == never["relationship_age_status_quo"]


# Lots in which nothing goes on: their budget is money added, paid to the winner they name (or to nobody known yet).
EMPTY_LOTS = landscape(
    orgs=[("Een", False, 0, 0, 2024), ("Twee", False, 0, 0, 2024), ("Drie", False, 0, 0, 2024)],
    acts=[(0, 2000, 0, 10, 1, 0, 0, [0], [0]), (1, 1000, 0, 5, 0, 0, 0, [1], [0]), (2, 500, 0, 0, 0, 0, 0, [1], [1])],
)


def test_the_budget_of_a_lot_in_which_nothing_goes_on_is_added_and_paid_to_its_winner():
    rows = [(101, "ends", "Nieuw A", "W"), (102, "ends", "Nieuw B", "")]
    data = run(EMPTY_LOTS, rows, budgets={"Nieuw A": 5000, "Nieuw B": 3000}, subcontracting_share=0)
    t, f = data["totals"], data["fragmentation"]
    assert (t["funding_ended"], t["funding_added"], t["funding_kept"]) == (3000, 8000, 500)
    assert (t["reach_lost"], t["preventive_lost"], t["activities_ending"]) == (15, 1, 2)
    assert f["funding_after"] == 8500  # 500 kept + 5,000 to W + 3,000 to a winner not known yet
    assert (f["funded_recipients_before"], f["funded_recipients_after"]) == (3, 2)  # Drie and W
    by_lot = {lot["name"]: lot for lot in data["lots"]}
    assert (by_lot["Nieuw A"]["funding_added"], by_lot["Nieuw A"]["municipality_adds"]) == (5000, 5000)
    assert (by_lot["Nieuw B"]["funding_added"], by_lot["Nieuw B"]["grants_in_scope"]) == (3000, 0)
    assert by_lot[""]["funding_ended"] == 3000  # activities that end belong to no lot
    assert (by_lot[""]["grants_in_scope"], by_lot[""]["funding_kept"]) == (3500, 500)  # today's grants in no lot
    assert [o["work_ends"] for o in data["organisations"]] == [True, True, False]
    assert data["totals"]["organisations_work_ending"] == 2 and data["totals"]["organisations_losing_grant"] == 2
    # WK01 (youth) loses its only activity; WK02 keeps Drie's activity for elderly, loses Twee's for youth.
    assert data["coverage_gaps"] == [
        {"district": "WK01", "district_name": "Wijk WK01", "target_group": "youth", "target_group_name": "Groep youth"}
        | {"cell": 0},  # cell = district × number of groups + group, as in each activity's gap_cells
        {"district": "WK02", "district_name": "Wijk WK02", "target_group": "youth", "target_group_name": "Groep youth"}
        | {"cell": 2},
    ]
    assert [a["gap_cells"] for a in data["activities"]] == [[0], [2], []]
    assert [a["districts"] for a in data["activities"]] == [["WK01"], ["WK02"], ["WK02"]]
    assert [(a["reach"], a["volunteer_hours"], a["preventive"]) for a in data["activities"]] == [
        (10, 0, True),
        (5, 0, False),
        (0, 0, False),
    ]


def test_a_current_organisation_that_wins_is_counted_once_as_itself():
    """Een continues as the lead of "Samen" and Twee's activity goes to Samen: Samen's money is Een's money."""
    data = run(EMPTY_LOTS, [(101, "continues", "", "Samen"), (102, "transfers", "", "Samen")], subcontracting_share=0)
    f = data["fragmentation"]
    assert (f["funded_recipients_before"], f["funded_recipients_after"]) == (3, 2)  # Een (with Twee's money), Drie
    assert f["hhi_after"] == pytest.approx((3000**2 + 500**2) / 3500**2 * 10000, abs=0.01)
    een, twee, drie = data["organisations"]
    assert (een["grant_after"], twee["grant_after"], drie["grant_after"]) == (3000, 0, 500)
    assert twee["loses_grant"] and not twee["work_ends"] and not een["loses_grant"]
    # Two current organisations continue under one name: that winner is a new recipient, not one of them.
    rows = [(101, "continues", "", "Samen"), (102, "transfers", "", "Samen"), (103, "continues", "", "Samen")]
    shared = run(EMPTY_LOTS, rows, subcontracting_share=0)
    assert shared["fragmentation"]["funded_recipients_after"] == 3  # Een, Drie and Samen
    assert [o["grant_after"] for o in shared["organisations"]] == [2000, 0, 500]


def test_volunteers_and_staff_are_shared_equally_when_an_organisation_records_no_hours_or_grant():
    """Leeg has three activities without hours or grant (so it is not funded today); Vol's two share by hours."""
    land = landscape(
        orgs=[("Leeg", True, 30, 4, 2020), ("Vol", False, 10, 2, 0)],
        acts=[
            (0, 0, 0, 10, 1, 0, 0, [0], [0]),
            (0, 0, 0, 20, 0, 0, 0, [0], [0]),
            (0, 0, 0, 30, 0, 0, 0, [0], [0]),
            (1, 1000, 100, 40, 1, 2022, 0, [1], [1]),
            (1, 3000, 300, 0, 0, 0, 0, [1], [1]),
        ],
        groups=("youth", "elderly", "families"),
    )
    data = run(land, [(105, "continues", "", "")], unassigned="ends")
    t = data["totals"]
    assert t["volunteers_affected"] == 32.5  # Leeg 30 (10 each) + Vol 10 × 100/400
    assert t["staff_affected_fte"] == 4.5  # Leeg 4 (equal shares) + Vol 2 × 1000/4000
    assert t["relationship_years_lost"] == 0.75  # Vol: since 2022 = 3 years × 25%; Leeg is not funded today
    assert (t["reach_lost"], t["preventive_lost"], t["funding_ended"], t["funding_kept"]) == (100, 2, 1000, 3000)
    assert [round(a["volunteers_affected"], 2) for a in data["activities"]] == [10, 10, 10, 2.5, 0]
    leeg, vol = data["organisations"]
    assert (leeg["relationship_years"], vol["relationship_years"]) == (0, 3)
    assert leeg["work_ends"] and not leeg["loses_grant"]  # no grant to lose
    assert t["organisations_work_ending"] == 0 and t["organisations_funded_before"] == 1
    assert [g["code"] for g in data["target_groups"]] == ["youth", "elderly"]  # families: no activity, left out
    # Vol (elderly, WK02) keeps its second activity: only Leeg's youth cell in WK01 is left without any.
    assert [(g["district"], g["target_group"]) for g in data["coverage_gaps"]] == [("WK01", "youth")]
    assert [d["coverage_gaps"] for d in data["districts"]] == [1, 0]


def test_cents_count_a_small_organisation_with_a_few_cents_gets_them_back_and_moving_them_is_a_switch():
    """Subcontracting and provider switches have no threshold of a euro: Klein's €0.50 in a lot of €100 comes back
    in full (15% of the lot is €15, more than it had), and €0.50 that moves is a change of provider."""
    land = landscape(
        orgs=[("Groot", False, 0, 0, 2024), ("Klein", True, 0, 0, 2024)],
        acts=[(0, 99.5, 0, 0, 0, 0, 0, [0], [0]), (1, 0.5, 0, 0, 0, 0, 0, [0], [0])],
    )
    rows = [(101, "transfers", "L", "X"), (102, "transfers", "L", "X")]
    t = run(land, rows, budgets={"L": 100})["totals"]
    assert (t["funding_subcontracted"], t["funding_to_winners"], t["funding_ended"]) == (0.5, 99.5, 0)
    h = run(land, [(102, "transfers", "", "X")], subcontracting_share=0)["horizon"]
    assert h["cumulative_funding_moved"] == [0, 0.5, 1, 1.5]
    assert h["cumulative_provider_switches"] == [0, 1, 1, 1.5]
