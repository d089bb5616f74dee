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


# The headline figures: (section of the impact, key, label, kind of number, one plain sentence that explains it). The
# sentence is filled in with the figure itself (%(value)s) and, where it helps, the figure it is compared with; the
# same words explain each figure in docs/continuity.md.
HEADLINES = (
    (
        "totals",
        "grant_before",
        gettext_lazy("Municipal grants now, per year"),
        "euro",
        gettext_lazy("Today the municipality pays %(value)s a year in grants for these activities."),
    ),
    (
        "totals",
        "funding_kept",
        gettext_lazy("Stays with the current organisation, per year"),
        "euro",
        gettext_lazy("%(value)s a year keeps going to the organisation that receives it today."),
    ),
    (
        "totals",
        "funding_subcontracted",
        gettext_lazy("Back to small organisations as subcontracts, per year"),
        "euro",
        gettext_lazy(
            "Small organisations whose work moves to a winner get %(value)s a year of the money they receive today "
            "back, as subcontracts."
        ),
    ),
    (
        "totals",
        "funding_to_winners",
        gettext_lazy("Money that moves to another organisation, per year"),
        "euro",
        gettext_lazy(
            "%(value)s a year that organisations receive today goes to another organisation (the winner of a lot); "
            "the municipality keeps paying it."
        ),
    ),
    (
        "totals",
        "funding_ended",
        gettext_lazy("Money the municipality stops paying, per year"),
        "euro",
        gettext_lazy(
            "The municipality stops paying %(value)s a year: for activities that end, and where a lot's budget is "
            "below the current grants in it."
        ),
    ),
    (
        "totals",
        "funding_added",
        gettext_lazy("Money the municipality adds, per year"),
        "euro",
        gettext_lazy(
            "The municipality pays %(value)s a year more than today, where a lot's budget is above the "
            "current grants in it."
        ),
    ),
    (
        "totals",
        "organisations_losing_grant",
        gettext_lazy("Organisations that lose their grant"),
        "number",
        gettext_lazy(
            "%(value)s of the %(before)s organisations funded today no longer receive municipal money themselves; "
            "their work may go on with another organisation."
        ),
    ),
    (
        "totals",
        "organisations_work_ending",
        gettext_lazy("Organisations whose work stops"),
        "number",
        gettext_lazy("For %(value)s organisations every activity ends."),
    ),
    (
        "totals",
        "co_funding_at_risk",
        gettext_lazy("Conditional co-funding at risk, per year"),
        "euro",
        gettext_lazy(
            "%(value)s a year from funds that only pay when the municipality pays the organisation too may stop."
        ),
    ),
    (
        "totals",
        "volunteers_affected",
        gettext_lazy("Volunteers whose activity moves or ends"),
        "number",
        gettext_lazy("About %(value)s volunteers work in activities that move to another organisation or end."),
    ),
    (
        "totals",
        "volunteer_hours_affected",
        gettext_lazy("Volunteer hours in activities that move or end, per year"),
        "number",
        gettext_lazy("Volunteers give %(value)s hours a year to activities that move to another organisation or end."),
    ),
    (
        "totals",
        "staff_affected_fte",
        gettext_lazy("Paid staff in work that moves or ends (FTE)"),
        "decimal",
        gettext_lazy("%(value)s FTE of paid staff work in activities that move to another organisation or end."),
    ),
    (
        "totals",
        "staff_taken_over_fte",
        gettext_lazy("Paid staff taken over by winners (FTE)"),
        "decimal",
        gettext_lazy("Of them, the winners are assumed to take over %(value)s FTE."),
    ),
    (
        "totals",
        "reach_lost",
        gettext_lazy("Participants per year in activities that end"),
        "number",
        gettext_lazy("%(value)s participants a year take part in activities that end."),
    ),
    (
        "totals",
        "preventive_lost",
        gettext_lazy("Preventive activities that end"),
        "decimal",
        gettext_lazy("%(value)s preventive activities end."),
    ),
    (
        "totals",
        "relationship_years_lost",
        gettext_lazy("Years of working together that are lost"),
        "decimal",
        gettext_lazy(
            "%(value)s years: for each organisation, the years the municipality has funded it, times the share of its "
            "work that leaves it, added up."
        ),
    ),
    (
        "fragmentation",
        "coverage_gaps",
        gettext_lazy("District × target group gaps"),
        "number",
        gettext_lazy("In %(value)s combinations of district and target group no activity is left."),
    ),
    (
        "fragmentation",
        "funded_recipients_after",
        gettext_lazy("Funded organisations afterwards"),
        "number",
        gettext_lazy(
            "Afterwards the municipality pays %(value)s organisations directly, each winner counted once; today "
            "%(before)s."
        ),
    ),
    (
        "fragmentation",
        "hhi_after",
        gettext_lazy("Concentration of funding afterwards (HHI, 0–10,000)"),
        "number",
        gettext_lazy(
            "The concentration index goes from %(before)s to %(value)s (10,000: one organisation receives all "
            "the money)."
        ),
    ),
    (
        "horizon",
        "total_funding_stopped",
        gettext_lazy("Money the municipality stops paying over the horizon"),
        "euro",
        gettext_lazy("Over the whole period the municipality stops paying %(value)s in total."),
    ),
    (
        "horizon",
        "total_funding_moved",
        gettext_lazy("Money that goes to another organisation over the horizon"),
        "euro",
        gettext_lazy("Over the whole period %(value)s in total goes to another organisation than today's."),
    ),
)

# For a sentence that compares: the figure before (section, key).
BEFORE = {
    "organisations_losing_grant": ("totals", "organisations_funded_before"),
    "funded_recipients_after": ("fragmentation", "funded_recipients_before"),
    "hhi_after": ("fragmentation", "hhi_before"),
}


def explain(data: dict, section: str, key: str, fmt: str, sentence) -> str:
    """The plain sentence beside a headline figure, with the figure (and its counterpart before) filled in."""
    value = data.get(section, {}).get(key, 0)
    before_section, before_key = BEFORE.get(key, (section, key))
    before = data.get(before_section, {}).get(before_key, 0)
    return str(sentence) % {"value": _fmt(value, fmt), "before": _fmt(before, fmt)}


def headline_rows(impacts: list[dict]) -> list[dict]:
    return [
        {
            "key": key,
            "label": label,
            "format": fmt,
            "values": [d.get(section, {}).get(key, 0) for d in impacts],
            "explanations": [explain(d, section, key, fmt, sentence) for d in impacts],
        }
        for section, key, label, fmt, sentence in HEADLINES
    ]


# The differences worth a sentence in a comparison (the table shows all headline figures).
EXPLAINED = (
    "funding_to_winners",
    "funding_ended",
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
    """(district name, [money the municipality stops paying in each scenario]) for the comparison table."""
    names, values = {}, {}
    for j, s in enumerate(scenarios):
        for d in s.impact.get("districts", []):
            names[d["code"]] = d["name"]
            values.setdefault(d["code"], [0.0] * len(scenarios))[j] = d["funding_ended"]
    return [(names[c], values[c]) for c in sorted(names)]
