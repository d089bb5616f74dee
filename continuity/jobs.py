"""Background jobs of the continuity app: computing a scenario's impact and optimising a transition budget."""

from django.urls import reverse

from core.jobs import job_progress, register

from . import optimiser, selectors, services
from .models import Scenario


def _scenario(scenario_id) -> Scenario:
    return Scenario.objects.select_related("municipality").get(pk=scenario_id)


@register("continuity.impact")
def compute_impact(job, scenario_id, role=""):
    scenario = _scenario(scenario_id)
    job_progress(job, 0, 2, "Landschap lezen")
    data = selectors.compute_impact(scenario)
    job_progress(job, 1, 2, "Effecten opslaan")
    services.store_impact(scenario, data, actor=job.created_by, role=role)
    job_progress(job, 2, 2, "Klaar")
    return {"redirect": reverse("continuity:scenario", args=[scenario.municipality.cbs_code, scenario.pk])}


def run_optimiser(scenario: Scenario, fields: dict, *, actor=None, role=""):
    """Optimise a transition budget over the scenario's at-risk activities and store the plan (impact computed
    first if needed)."""
    if not scenario.impact:
        scenario = services.store_impact(scenario, selectors.compute_impact(scenario), actor=actor, role=role)
    weights = {
        "reach": fields["weight_reach"],
        "volunteers": fields["weight_volunteers"],
        "co_funding": fields["weight_co_funding"],
        "prevention": fields["weight_prevention"],
        "coverage": fields["weight_coverage"],
    }
    problem = optimiser.problem_from_impact(
        scenario.impact,
        budget=fields["budget"],
        bridging_months=fields["bridging_months"],
        weights=weights,
        partial=fields["partial_funding"],
        max_per_org=fields.get("max_per_organisation"),
    )
    return services.save_transition_plan(scenario, actor=actor, role=role, result=optimiser.optimise(problem), **fields)


@register("continuity.optimise")
def optimise(job, scenario_id, fields, role=""):
    from decimal import Decimal

    scenario = _scenario(scenario_id)
    job_progress(job, 0, 1, "Transitiebudget verdelen")
    fields = {**fields, "budget": Decimal(fields["budget"])}
    if fields.get("max_per_organisation") not in (None, ""):
        fields["max_per_organisation"] = Decimal(fields["max_per_organisation"])
    else:
        fields["max_per_organisation"] = None
    plan = run_optimiser(scenario, fields, actor=job.created_by, role=role)
    job_progress(job, 1, 1, "Klaar")
    return {"redirect": reverse("continuity:plan", args=[scenario.municipality.cbs_code, scenario.pk, plan.pk])}
