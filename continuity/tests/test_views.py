"""Scenario pages, API and exports: who may see and do what (forbidden cases first), and the main flows."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEvent
from continuity import services
from continuity.models import Move, Outcome, Scenario, TransitionPlan
from core.models import Job, Role
from core.testing import MunicipalityFactory, login, user_with_role

from . import landscape_fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    m, org, act, districts = landscape_fixture.build()
    s = services.create_scenario(municipality=m, name="Aanbesteding", kind=Scenario.Kind.TENDER)
    services.set_moves(s, [(act["a1"].pk, Outcome.TRANSFERS, "L1", "X"), (act["a2"].pk, Outcome.CONTINUES, "", "")])
    return m, org, act, s


def url(name, s, *extra):
    return reverse(f"continuity:{name}", args=[s.municipality.cbs_code, s.pk, *extra])


def compute(s):
    from continuity import selectors

    return services.store_impact(s, selectors.compute_impact(s))


# --- forbidden cases -------------------------------------------------------------------------------------------


def test_draft_scenario_is_hidden_from_anonymous_users_and_other_municipalities(client, setup):
    m, org, act, s = setup
    assert client.get(url("scenario", s)).status_code == 404
    assert client.get(reverse("continuity:list", args=[m.cbs_code])).content.decode().count("Aanbesteding") == 0
    other = MunicipalityFactory(cbs_code="GM9002")
    login(client, user_with_role(Role.POLICY_ADVISOR, other))
    assert client.get(url("scenario", s)).status_code == 404
    assert client.get(url("moves", s)).status_code == 403


def test_only_a_policy_advisor_builds_computes_publishes_and_optimises(client, setup):
    m, org, act, s = setup
    login(client, user_with_role(Role.EVALUATOR, m))
    assert client.get(url("scenario", s)).status_code == 200  # municipal roles read drafts
    for name in ("moves", "edit", "plan_create"):
        assert client.get(url(name, s)).status_code == 403
    for name in ("compute", "publish"):
        assert client.post(url(name, s)).status_code == 403
    assert client.get(reverse("continuity:create", args=[m.cbs_code])).status_code == 403


def test_anonymous_user_is_sent_to_login_for_the_builder(client, setup):
    m, org, act, s = setup
    response = client.get(url("moves", s))
    assert response.status_code == 302 and reverse("core:login") in response["Location"]


def test_provider_sees_only_their_own_organisation(client, setup):
    m, org, act, s = setup
    compute(s)
    rep = user_with_role(Role.PROVIDER_REPRESENTATIVE, m, organisation=org["A"])
    login(client, rep)
    assert client.get(url("scenario", s)).status_code == 404  # the full draft is not theirs to read
    listing = client.get(reverse("continuity:list", args=[m.cbs_code])).content.decode()
    assert url("exposure", s) in listing and f'href="{url("scenario", s)}"' not in listing
    page = client.get(url("exposure", s)).content.decode()
    assert "Buurtwerk Groot" in page and "Klein Samen" not in page
    data = client.get(f"/api/v1/scenarios/{s.pk}/impact").json()
    assert [o["name"] for o in data["organisations"]] == ["Buurtwerk Groot"]
    assert {a["organisation_id"] for a in data["activities"]} == {org["A"].pk}
    assert "totals" not in data


def test_provider_of_another_municipality_sees_nothing(client, setup):
    m, org, act, s = setup
    compute(s)
    other_m, other_org, *_ = landscape_fixture.build("GM9003", "Elders")
    login(client, user_with_role(Role.PROVIDER_REPRESENTATIVE, other_m, organisation=other_org["A"]))
    assert client.get(f"/api/v1/scenarios/{s.pk}/impact").status_code == 404
    assert client.get(url("exposure", s)).status_code == 403


def test_api_hides_drafts_and_rejects_writes(client, setup):
    m, org, act, s = setup
    assert client.get("/api/v1/scenarios", {"municipality": m.cbs_code}).json()["results"] == []
    assert client.get(f"/api/v1/scenarios/{s.pk}").status_code == 404
    assert client.get(f"/api/v1/scenarios/{s.pk}/impact").status_code == 404
    assert client.post("/api/v1/scenarios", {"name": "x"}).status_code in (403, 405)


def test_api_list_needs_a_known_municipality(client):
    assert client.get("/api/v1/scenarios").status_code == 400
    response = client.get("/api/v1/scenarios", {"municipality": "GM0000"})
    assert response.status_code == 400 and "municipality" in response.json()


# --- flows -----------------------------------------------------------------------------------------------------


def test_policy_advisor_builds_a_scenario_from_a_selection_of_activities(client, setup):
    m, org, act, _ = setup
    login(client, user_with_role(Role.POLICY_ADVISOR, m))
    response = client.post(
        reverse("continuity:create", args=[m.cbs_code]),
        {"name": "Drie percelen", "kind": Scenario.Kind.TENDER_SUBCONTRACTING},
    )
    s = Scenario.objects.get(name="Drie percelen")
    assert response.status_code == 302
    assert s.subcontracting_share == 15 and s.recommissioning_interval_years == 4 and s.unassigned_outcome == "ends"
    response = client.post(
        url("moves", s),
        {
            "activities": [act["b1"].pk, act["b2"].pk],
            "outcome": Outcome.TRANSFERS,
            "lot": "Samen Meedoen",
            "winner": "Incluzio",
        },
    )
    assert response.status_code == 302
    assert set(Move.objects.filter(scenario=s).values_list("winner", flat=True)) == {"Incluzio"}
    assert AuditEvent.objects.filter(action="continuity.moves").exists()


def test_a_transfer_without_winner_is_refused_in_dutch_and_nothing_is_written(client, setup):
    m, org, act, s = setup
    login(client, user_with_role(Role.POLICY_ADVISOR, m))
    before = Move.objects.count()
    response = client.post(url("moves", s), {"activities": [act["b1"].pk], "outcome": Outcome.TRANSFERS})
    assert response.status_code == 200
    assert "heeft de naam van de winnaar nodig" in response.content.decode()
    assert Move.objects.count() == before


def test_activities_of_another_municipality_are_refused(setup):
    m, org, act, s = setup
    _m2, _o2, other_act, _ = landscape_fixture.build("GM9004", "Anders")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.set_moves(s, [(other_act["a1"].pk, Outcome.ENDS, "", ""), (act["b1"].pk, Outcome.ENDS, "", "")])
    assert not Move.objects.filter(scenario=s, activity=act["b1"]).exists()


def test_invalid_assumption_gives_a_form_error_not_a_500(client, setup):
    m, org, act, s = setup
    login(client, user_with_role(Role.POLICY_ADVISOR, m))
    data = {
        "name": s.name,
        "base_year": 2024,
        "horizon_years": 10,
        "recommissioning_interval_years": 4,
        "winner_change_share": "150",
        "unassigned_outcome": "ends",
        "subcontracting_share": "0",
        "staff_takeover_share": "75",
        "start_delay_years": 0,
    }
    response = client.post(url("edit", s), data)
    assert response.status_code == 200
    assert "utrecht-form-field--invalid" in response.content.decode()
    s.refresh_from_db()
    assert s.winner_change_share == 50


def test_compute_publish_and_read_publicly(client, setup):
    m, org, act, s = setup
    advisor = user_with_role(Role.POLICY_ADVISOR, m)
    login(client, advisor)
    assert client.post(url("publish", s), {"published": "1"}).status_code == 302
    s.refresh_from_db()
    assert not s.published  # not computed yet: refused with a message
    response = client.post(url("compute", s))
    assert response.status_code == 200 and "Bekijk het resultaat" in response.content.decode()
    job = Job.objects.get(kind="continuity.impact")
    assert job.status == Job.Status.DONE and job.result["redirect"] == url("scenario", s)
    s.refresh_from_db()
    assert s.impact["totals"]["funding_lost"] > 0
    page = client.get(url("scenario", s)).content.decode()
    assert 'data-chart="chart-funded"' in page and "<table" in page
    client.post(url("publish", s), {"published": "1"})
    client.logout()
    assert client.get(url("scenario", s)).status_code == 200
    api = client.get("/api/v1/scenarios", {"municipality": m.cbs_code}).json()["results"]
    assert [r["name"] for r in api] == ["Aanbesteding"]
    assert client.get(f"/api/v1/scenarios/{s.pk}/impact").json()["totals"]["funding_lost"] > 0


def test_pages_read_the_stored_impact_in_few_queries(client, setup, django_assert_max_num_queries):
    m, org, act, s = setup
    compute(s)
    login(client, user_with_role(Role.POLICY_ADVISOR, m))
    with django_assert_max_num_queries(15):
        assert client.get(url("scenario", s)).status_code == 200


def test_compare_two_scenarios_explains_the_differences(client, setup):
    m, org, act, s = setup
    sq = services.create_scenario(municipality=m, name="Status quo", kind=Scenario.Kind.STATUS_QUO)
    compute(s)
    compute(sq)
    login(client, user_with_role(Role.POLICY_ADVISOR, m))
    response = client.get(reverse("continuity:compare", args=[m.cbs_code]), {"s": [sq.pk, s.pk]})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Aanbesteding vergeleken met Status quo:" in page
    # a1 (60k) moves to another organisation; b1, b2 and c1 (35k) end: two different things, said separately.
    assert "Geld dat naar een andere organisatie gaat, per jaar € 60.000 hoger" in page
    assert "Geld dat de gemeente niet meer betaalt, per jaar € 35.000 hoger" in page


def test_optimiser_flow_stores_a_plan_with_reasons(client, setup):
    m, org, act, s = setup
    login(client, user_with_role(Role.POLICY_ADVISOR, m))
    form = {
        "name": "Overbrugging",
        "budget": "50000",
        "bridging_months": 12,
        "weight_reach": 3,
        "weight_volunteers": 3,
        "weight_co_funding": 2,
        "weight_prevention": 2,
        "weight_coverage": 4,
        "partial_funding": "on",
    }
    client.post(url("plan_create", s), form)
    plan = TransitionPlan.objects.get()
    assert plan.result["status"] == "optimal"
    assert plan.result["optimal"]["spent"] <= 50000
    assert all(a["reason"] for a in plan.result["allocation"])
    page = client.get(url("plan", s, plan.pk)).content.decode()
    assert "Wie het eerst komt, het eerst maalt" in page


def test_optimiser_form_refuses_all_zero_weights(client, setup):
    m, org, act, s = setup
    login(client, user_with_role(Role.POLICY_ADVISOR, m))
    form = {
        "name": "Nul",
        "budget": "1000",
        "bridging_months": 12,
        "weight_reach": 0,
        "weight_volunteers": 0,
        "weight_co_funding": 0,
        "weight_prevention": 0,
        "weight_coverage": 0,
    }
    response = client.post(url("plan_create", s), form)
    assert response.status_code == 200 and "minstens één gewicht" in response.content.decode()
    assert not TransitionPlan.objects.exists()


def test_xlsx_has_every_figure_and_pdf_is_a_pdf(client, setup):
    m, org, act, s = setup
    compute(s)
    login(client, user_with_role(Role.POLICY_ADVISOR, m))
    wb = load_workbook(io.BytesIO(client.get(url("xlsx", s)).content))
    assert {"Aannames", "Organisaties", "Wijken", "Doelgroepen", "Percelen", "Horizon"} <= set(wb.sheetnames)
    orgs = {row[0].value: row for row in wb["Organisaties"].iter_rows(min_row=2)}
    assert orgs["Buurtwerk Groot"][1].value == "Grote welzijnsorganisatie"
    assert orgs["Buurtwerk Groot"][3].value == "nee"  # it keeps a2
    assert orgs["Buurtwerk Groot"][5].value == 100000  # grant before: a1 + a2
    assert orgs["Buurtwerk Groot"][5].number_format == '"€" #,##0'
    assert orgs["Buurtwerk Groot"][8].value == 60000  # moves to another organisation: a1
    activities = [row[2].value for row in wb["Activiteiten"].iter_rows(min_row=2)]
    assert "transfers" not in activities and "Gaat naar de winnaar van een perceel" in activities
    pdf = client.get(url("pdf", s))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_report_of_an_unpublished_scenario_is_not_public(client, setup):
    m, org, act, s = setup
    compute(s)
    assert client.get(url("pdf", s)).status_code == 404
    assert client.get(url("xlsx", s)).status_code == 404


def test_draft_plan_and_comparison_are_not_public(client, setup):
    m, org, act, s = setup
    compute(s)
    sq = services.create_scenario(municipality=m, name="Status quo", kind=Scenario.Kind.STATUS_QUO)
    compute(sq)
    from continuity import jobs

    plan = jobs.run_optimiser(
        s,
        {
            "name": "P",
            "budget": 1000,
            "bridging_months": 12,
            "weight_reach": 1,
            "weight_volunteers": 0,
            "weight_co_funding": 0,
            "weight_prevention": 0,
            "weight_coverage": 0,
            "max_per_organisation": None,
            "partial_funding": True,
        },
    )
    assert client.get(url("plan", s, plan.pk)).status_code == 404
    response = client.get(reverse("continuity:compare", args=[m.cbs_code]), {"s": [s.pk, sq.pk]})
    assert response.status_code == 302  # nothing to compare that they may see
    assert "Aanbesteding" not in client.get(response["Location"]).content.decode()


def test_exposure_page_is_only_for_provider_representatives(client, setup):
    m, org, act, s = setup
    login(client, user_with_role(Role.POLICY_ADVISOR, m))
    assert client.get(url("exposure", s)).status_code == 403
