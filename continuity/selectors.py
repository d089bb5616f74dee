"""Read side of the continuity app: computing a scenario's impact from the landscape, and who may see what."""

from core.access import has_role, represented_organisation_ids
from core.models import MUNICIPAL_ROLES

from . import impact
from .models import Scenario


def scenario_inputs(scenario: Scenario):
    """The landscape columns and the aligned moves of `scenario` (8 queries, whatever the landscape's size)."""
    land = impact.load_landscape([scenario.municipality_id], {scenario.municipality_id: scenario.base_year})[
        scenario.municipality_id
    ]
    rows = scenario.moves.values_list("activity_id", "outcome", "lot", "winner")
    return land, impact.moves_from_rows(land, rows, scenario.unassigned_outcome)


def compute_impact(scenario: Scenario) -> dict:
    land, moves = scenario_inputs(scenario)
    return impact.compute(land, moves, scenario.assumptions())


def is_municipal_reader(user, municipality) -> bool:
    return has_role(user, MUNICIPAL_ROLES, municipality)


def visible_scenarios(user, municipality):
    """Municipal roles see every scenario of their municipality; everyone else only the published ones."""
    qs = Scenario.objects.filter(municipality=municipality)
    return qs if is_municipal_reader(user, municipality) else qs.filter(published=True)


def exposure(scenario: Scenario, organisation_ids) -> dict:
    """Only the named organisations' rows of a computed impact (what a provider representative may see)."""
    ids = set(organisation_ids)
    data = scenario.impact or {}
    return {
        "scenario": scenario.name,
        "base_year": data.get("base_year"),
        "organisations": [o for o in data.get("organisations", []) if o["id"] in ids],
        "activities": [a for a in data.get("activities", []) if a["organisation_id"] in ids],
    }


def represented_in(user, municipality) -> set[int]:
    from landscape.models import Organisation

    ids = represented_organisation_ids(user)
    if not ids:
        return set()
    return set(Organisation.objects.filter(pk__in=ids, municipality=municipality).values_list("pk", flat=True))
