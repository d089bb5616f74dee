"""Demo scenarios (run by `manage.py load_demo` after the landscape demo). Idempotent: existing scenarios are kept.

Leiden (GM0546) compares the status quo, the 3-lot tender of 2019 (lots and winners from the 2021 interview),
the same tender with 15% subcontracting to small organisations, and the organisations' own alternative "a year to
bundle". Haarlem (GM0392) tenders "Gewoon in de Wijk" to one consortium and optimises a €300,000 transition budget.
"""

from decimal import Decimal

from core.models import Municipality
from landscape.models import Activity, Organisation

from . import jobs, selectors, services
from .models import Outcome, Scenario

ACTOR = "demo"

# Leiden's three lots (seed 002): name, winner, the target groups (codes) each lot covers. The winners are the
# demo's own fictional large welfare organisations (landscape/demo.py), never the real organisations of 2021.
LEIDEN_LOTS = [
    ("Samen Opgroeien", "Stichting Welzijnsgroep Lakenveld", {"youth", "families", "young_informal_caregivers"}),
    (
        "Samen Meedoen",
        "Stichting Ouderenwerk Hooglandse Kring",
        {"elderly", "informal_caregivers", "disabilities", "loneliness", "newcomers"},
    ),
    ("Basiskracht", "Stichting Welzijnshuis Sleutelstad", {"money_worries", "residents", "volunteers"}),
]
HAARLEM_LOT = ("Gewoon in de Wijk", "Consortium Gewoon in de Wijk")


def _activities(municipality):
    return list(
        Activity.objects.filter(organisation__municipality=municipality)
        .select_related("organisation")
        .prefetch_related("target_groups")
        .order_by("id")
    )


def _lot_of(activity, lots):
    codes = {t.code for t in activity.target_groups.all()}
    return next(((name, winner) for name, winner, groups in lots if codes & groups), None)


def tender_moves(activities, lots):
    """Each activity goes to the first lot that covers one of its target groups; the winner's own activities
    continue (it is the lead); activities in no lot get no move (they end)."""
    moves = []
    for a in activities:
        lot = _lot_of(a, lots)
        if lot is None:
            continue
        name, winner = lot
        is_winner = winner.lower() in a.organisation.name.lower()
        moves.append((a.pk, Outcome.CONTINUES if is_winner else Outcome.TRANSFERS, name, winner))
    return moves


def bundle_moves(activities, lots):
    """A year to bundle: every organisation continues, inside one bundle (cooperative) per lot."""
    moves = []
    for a in activities:
        lot = _lot_of(a, lots)
        name = lot[0] if lot else lots[-1][0]
        moves.append((a.pk, Outcome.CONTINUES, name, f"Bundel {name}"))
    return moves


def consortium_moves(activities, lot):
    """Haarlem: large welfare organisations are members of the consortium (ring 1) and continue; small
    organisations' activities move to the consortium (they may end up in the third ring)."""
    name, winner = lot
    return [
        (
            a.pk,
            Outcome.CONTINUES if a.organisation.kind == Organisation.Kind.LARGE_WELFARE else Outcome.TRANSFERS,
            name,
            winner,
        )
        for a in activities
    ]


def _scenario(municipality, name, kind, moves, description, stdout):
    existing = Scenario.objects.filter(municipality=municipality, name=name).first()
    if existing is not None:
        return existing
    s = services.create_scenario(municipality=municipality, name=name, kind=kind, description=description, actor=ACTOR)
    if moves:
        services.set_moves(s, moves, actor=ACTOR)
    s = services.store_impact(s, selectors.compute_impact(s), actor=ACTOR)
    s = services.set_published(s, True, actor=ACTOR)
    stdout.write(
        f"  scenario {municipality.cbs_code} {name}: € {s.impact['totals']['funding_lost']:,.0f} lost per year"
    )
    return s


def load(stdout):
    leiden = Municipality.objects.filter(cbs_code="GM0546").first()
    haarlem = Municipality.objects.filter(cbs_code="GM0392").first()
    for m in (leiden, haarlem):
        if m is None or not Activity.objects.filter(organisation__municipality=m).exists():
            stdout.write(f"continuity: no landscape for {m or 'GM0546/GM0392'} yet, skipping its scenarios")
    if leiden and Activity.objects.filter(organisation__municipality=leiden).exists():
        acts = _activities(leiden)
        tender = tender_moves(acts, LEIDEN_LOTS)
        _scenario(leiden, "Status quo", Scenario.Kind.STATUS_QUO, [], "De subsidies lopen door.", stdout)
        _scenario(
            leiden,
            "Aanbesteding in 3 percelen",
            Scenario.Kind.TENDER,
            tender,
            "Samen Opgroeien (Welzijnsgroep Lakenveld), Samen Meedoen (Ouderenwerk Hooglandse Kring) en "
            "Basiskracht (Welzijnshuis Sleutelstad).",
            stdout,
        )
        _scenario(
            leiden,
            "Aanbesteding met 15% onderaanneming",
            Scenario.Kind.TENDER_SUBCONTRACTING,
            tender,
            "Als de aanbesteding, met 15% van het werk van kleine organisaties in onderaanneming.",
            stdout,
        )
        _scenario(
            leiden,
            "Een jaar om te bundelen",
            Scenario.Kind.BUNDLE_YEAR,
            bundle_moves(acts, LEIDEN_LOTS),
            "Het alternatief van de Leidse organisaties: eerst een jaar om activiteiten te bundelen.",
            stdout,
        )
    if haarlem and Activity.objects.filter(organisation__municipality=haarlem).exists():
        s = _scenario(
            haarlem,
            "Gewoon in de Wijk",
            Scenario.Kind.TENDER,
            consortium_moves(_activities(haarlem), HAARLEM_LOT),
            "Strategisch partnerschap met één samenwerkingsverband; kleine organisaties in de derde schil.",
            stdout,
        )
        if not s.transition_plans.exists():
            plan = jobs.run_optimiser(
                s,
                {
                    "name": "Transitiebudget € 300.000",
                    "budget": Decimal("300000"),
                    "bridging_months": 12,
                    "weight_reach": 3,
                    "weight_volunteers": 3,
                    "weight_co_funding": 2,
                    "weight_prevention": 2,
                    "weight_coverage": 4,
                    "max_per_organisation": Decimal("60000"),
                    "partial_funding": True,
                },
                actor=ACTOR,
            )
            stdout.write(f"  transition plan {haarlem.cbs_code}: score {plan.result.get('optimal', {}).get('score')}")
