"""Demo scenarios (run by `manage.py load_demo` after the landscape and tenders demos). Idempotent: existing
scenarios are kept.

Leiden (GM0546) compares the status quo, the 3-lot tender (its lots, scopes and budgets taken from the tenders demo's
commissioning, so that the figures reconcile with the lot budgets; the winners are placeholders "Winnaar perceel N"
until there are bids), the same tender with 15% of each lot budget subcontracted to small organisations, and the
organisations' own alternative "a year to bundle" (every organisation keeps its grant). Haarlem (GM0392) tenders
"Gewoon in de Wijk" to one consortium with the lot budget of its commissioning, and optimises a €300,000 transition
budget. Without the tenders demo, the lots are made from target groups instead (no budgets: budget-neutral).
"""

from decimal import Decimal

from core.models import Municipality
from landscape.models import Activity, Organisation
from tenders.models import Commissioning

from . import jobs, selectors, services
from .models import Outcome, Scenario

ACTOR = "demo"

# Leiden's three lots (seed 002): name, winner, the target groups (codes) each lot covers.
LEIDEN_LOTS = [
    ("Samen Opgroeien", "Stichting SOL", {"youth", "families", "young_informal_caregivers"}),
    ("Samen Meedoen", "Incluzio", {"elderly", "informal_caregivers", "disabilities", "loneliness", "newcomers"}),
    ("Basiskracht", "BuZz", {"money_worries", "residents", "volunteers"}),
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


LEIDEN_TENDER = "Welzijn Leiden: Samen Opgroeien, Samen Meedoen, Basiskracht"
HAARLEM_TENDER = "Gewoon in de Wijk"


def _commissioning(municipality, title):
    return Commissioning.objects.filter(municipality=municipality, title=title).first()


def from_lots(commissioning, winners=None, continues=None):
    """Moves (and lot budgets) from the lots of `commissioning`; `continues(activity)` marks the activities whose
    own organisation goes on with them inside the lot (a consortium member of ring 1)."""

    def apply(s):
        services.moves_from_lots(s, commissioning, winners, actor=ACTOR)
        if continues is not None:
            kept = [
                (m.activity_id, Outcome.CONTINUES, m.lot, m.winner)
                for m in s.moves.select_related("activity__organisation")
                if continues(m.activity)
            ]
            if kept:
                services.set_moves(s, kept, actor=ACTOR)

    return apply


def _scenario(municipality, name, kind, moves, description, stdout):
    existing = Scenario.objects.filter(municipality=municipality, name=name).first()
    if existing is not None:
        if not existing.impact:  # cleared (a change of the model) or never computed: compute it again
            existing = services.store_impact(existing, selectors.compute_impact(existing), actor=ACTOR)
        return existing
    s = services.create_scenario(municipality=municipality, name=name, kind=kind, description=description, actor=ACTOR)
    if callable(moves):
        moves(s)
    elif moves:
        services.set_moves(s, moves, actor=ACTOR)
    s = services.store_impact(s, selectors.compute_impact(s), actor=ACTOR)
    s = services.set_published(s, True, actor=ACTOR)
    t = s.impact["totals"]
    stdout.write(
        f"  scenario {municipality.cbs_code} {name}: € {t['funding_to_winners']:,.0f} moves, "
        f"€ {t['funding_ended']:,.0f} stops per year"
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
        c = _commissioning(leiden, LEIDEN_TENDER)
        tender = from_lots(c) if c else tender_moves(acts, LEIDEN_LOTS)
        lots = (
            "de percelen, hun activiteiten en budgetten van de opdracht „" + c.title + "”"
            if c
            else "drie percelen naar doelgroep"
        )
        _scenario(leiden, "Status quo", Scenario.Kind.STATUS_QUO, [], "De subsidies lopen door.", stdout)
        _scenario(
            leiden,
            "Aanbesteding in 3 percelen",
            Scenario.Kind.TENDER,
            tender,
            f"Samen Opgroeien, Samen Meedoen en Basiskracht: {lots}. De winnaars zijn een aanname "
            "(„Winnaar perceel N”) tot er inschrijvingen zijn.",
            stdout,
        )
        _scenario(
            leiden,
            "Aanbesteding met 15% onderaanneming",
            Scenario.Kind.TENDER_SUBCONTRACTING,
            tender,
            "Als de aanbesteding, met 15% van het budget van elk perceel in onderaanneming bij kleine organisaties "
            "waarvan het werk naar de winnaar gaat.",
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
        c = _commissioning(haarlem, HAARLEM_TENDER)
        large = Organisation.Kind.LARGE_WELFARE
        s = _scenario(
            haarlem,
            "Gewoon in de Wijk",
            Scenario.Kind.TENDER,
            from_lots(c, {1: HAARLEM_LOT[1]}, lambda a: a.organisation.kind == large)
            if c
            else consortium_moves(_activities(haarlem), HAARLEM_LOT),
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
