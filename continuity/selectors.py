"""Read side of the continuity app: computing a scenario's impact from the landscape, and who may see what."""

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.access import has_role, represented_organisation_ids
from core.models import MUNICIPAL_ROLES, Role
from landscape import selectors as landscape_selectors

from . import impact
from .models import Outcome, Scenario


def scenario_inputs(scenario: Scenario):
    """The landscape columns and the aligned moves of `scenario` (a fixed number of queries, whatever the landscape's
    size). The grant per activity is the landscape's one attribution, the same as in a tender's lot scope table."""
    mid = scenario.municipality_id
    land = impact.load_landscape([mid], {mid: scenario.base_year})[mid]
    land.grant = shared_grants(land, [mid])
    rows = scenario.moves.values_list("activity_id", "outcome", "lot", "winner")
    budgets = dict(scenario.lot_budgets.values_list("lot", "annual_budget"))
    return land, impact.moves_from_rows(land, rows, scenario.unassigned_outcome, budgets)


def shared_grants(land, municipality_ids) -> np.ndarray:
    """The grant column of `land` from landscape.selectors.grants_per_activity (also used by tenders.lot_scope)."""
    pairs = list(zip(land.act_id.tolist(), land.org_id[land.act_org].tolist(), strict=True))
    grants = landscape_selectors.grants_per_activity(municipality_ids, land.base_year, pairs)
    return np.array([float(grants[a]) for a, _org in pairs], dtype=float)


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
    labels = dict(Outcome.choices)
    return {
        "scenario": scenario.name,
        "base_year": data.get("base_year"),
        "organisations": [o for o in data.get("organisations", []) if o["id"] in ids],
        "activities": [
            {**a, "outcome_label": str(labels[a["outcome"]])}
            for a in data.get("activities", [])
            if a["organisation_id"] in ids
        ],
    }


def represented_in(user, municipality) -> set[int]:
    from landscape.models import Organisation

    ids = represented_organisation_ids(user)
    if not ids:
        return set()
    return set(Organisation.objects.filter(pk__in=ids, municipality=municipality).values_list("pk", flat=True))


def is_advisor(user, municipality) -> bool:
    return has_role(user, {Role.POLICY_ADVISOR}, municipality)


# The headline figures shown side by side: (key in totals/fragmentation, label, kind of number)
HEADLINES = (
    ("totals", "funding_lost", gettext_lazy("Municipal funding lost per year by current organisations"), "euro"),
    ("totals", "funding_to_winners", gettext_lazy("of which moves to winners"), "euro"),
    ("totals", "co_funding_at_risk", gettext_lazy("Conditional co-funding at risk per year"), "euro"),
    ("totals", "volunteers_affected", gettext_lazy("Volunteers affected"), "number"),
    ("totals", "volunteer_hours_affected", gettext_lazy("Volunteer hours affected per year"), "number"),
    ("totals", "staff_affected_fte", gettext_lazy("Paid staff affected (FTE)"), "decimal"),
    ("totals", "staff_taken_over_fte", gettext_lazy("Paid staff taken over by winners (FTE)"), "decimal"),
    ("totals", "reach_lost", gettext_lazy("Participants per year in activities that end"), "number"),
    ("totals", "preventive_lost", gettext_lazy("Preventive activities lost"), "decimal"),
    ("totals", "relationship_years_lost", gettext_lazy("Relationship-years lost"), "decimal"),
    ("fragmentation", "coverage_gaps", gettext_lazy("District × target group gaps"), "number"),
    ("fragmentation", "funded_recipients_after", gettext_lazy("Funded organisations afterwards"), "number"),
    ("fragmentation", "hhi_after", gettext_lazy("Concentration of funding afterwards (HHI, 0–10,000)"), "number"),
    ("horizon", "total_funding_lost", gettext_lazy("Funding lost over the horizon"), "euro"),
    (
        "horizon",
        "total_volunteers_affected",
        gettext_lazy("Volunteers affected over the horizon (incl. re-commissioning)"),
        "decimal",
    ),
)


def headline_rows(impacts: list[dict]) -> list[dict]:
    return [
        {"key": key, "label": label, "format": fmt, "values": [d.get(section, {}).get(key, 0) for d in impacts]}
        for section, key, label, fmt in HEADLINES
    ]


# The differences worth a sentence in a comparison (the table shows all headline figures).
EXPLAINED = (
    "funding_lost",
    "co_funding_at_risk",
    "volunteers_affected",
    "reach_lost",
    "relationship_years_lost",
    "coverage_gaps",
    "funded_recipients_after",
    "hhi_after",
)


def compare(scenarios) -> dict:
    """Headline figures side by side, and per scenario one plain sentence on how it differs from the first."""
    impacts = [s.impact for s in scenarios]
    rows = headline_rows(impacts)
    base = scenarios[0]
    explanations = []
    for j, other in enumerate(scenarios[1:], start=1):
        parts = []
        for row in rows:
            a, b = row["values"][0], row["values"][j]
            if row["key"] not in EXPLAINED or abs(b - a) < 0.5:
                continue
            parts.append(
                _("%(label)s %(dir)s by %(diff)s")
                % {
                    "label": row["label"],
                    "dir": _("higher") if b > a else _("lower"),
                    "diff": _fmt(abs(b - a), row["format"]),
                }
            )
        if parts:
            explanations.append(
                _("%(other)s compared with %(base)s: %(parts)s.")
                % {"other": other.name, "base": base.name, "parts": "; ".join(parts)}
            )
        else:
            explanations.append(
                _("%(other)s does not differ from %(base)s on these figures.")
                % {"other": other.name, "base": base.name}
            )
    return {"rows": rows, "explanations": explanations}


def _fmt(value, kind) -> str:
    if kind == "euro":
        return "€ " + f"{value:,.0f}".replace(",", ".")
    if kind == "decimal":
        return f"{value:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"{value:,.0f}".replace(",", ".")


def district_rows(scenarios) -> list:
    """(district name, [funding lost in each scenario]) for the comparison table."""
    names, values = {}, {}
    for j, s in enumerate(scenarios):
        for d in s.impact.get("districts", []):
            names[d["code"]] = d["name"]
            values.setdefault(d["code"], [0.0] * len(scenarios))[j] = d["funding_lost"]
    return [(names[c], values[c]) for c in sorted(names)]
