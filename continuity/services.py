"""The only write path of the continuity app: scenarios, their moves, computed impact, transition plans.

Every service runs in one transaction, locks what it changes and appends an audit event.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import diff, record
from landscape.models import Activity

from . import impact
from .models import LotBudget, Move, Outcome, Scenario, TransitionPlan


def _name_taken() -> ValidationError:
    return ValidationError({"name": _("A scenario with this name already exists.")})


def _summary(scenario: Scenario) -> dict:
    return {"name": scenario.name, "kind": scenario.kind, **{k: str(v) for k, v in scenario.assumptions().items()}}


def create_scenario(*, municipality, name: str, kind: str, actor=None, role="", description="", **assumptions):
    """A new scenario with the documented defaults for its kind; any assumption may be given explicitly."""
    base_year = assumptions.pop("base_year", None) or impact.latest_funding_year(municipality.pk)
    if base_year is None:
        raise ValidationError(_("This municipality has no funding registered yet: there is nothing to analyse."))
    values = {**Scenario.default_assumptions(kind), **{k: v for k, v in assumptions.items() if v is not None}}
    scenario = Scenario(
        municipality=municipality,
        name=name,
        kind=kind,
        description=description,
        base_year=base_year,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **values,
    )
    scenario.full_clean()
    try:
        with transaction.atomic():
            scenario.save()
            record(
                "continuity.create",
                actor=actor,
                role=role,
                municipality=municipality,
                obj=scenario,
                summary=_summary(scenario),
            )
    except IntegrityError:
        # Two requests with one name passed full_clean at the same moment: the unique constraint decides.
        if Scenario.objects.filter(municipality=municipality, name=name).exists():
            raise _name_taken() from None
        raise
    return scenario


def update_scenario(scenario: Scenario, *, actor=None, role="", **changes) -> Scenario:
    """Change name, description or assumptions; the stored impact is cleared (it no longer matches)."""
    try:
        return _update_scenario(scenario, actor=actor, role=role, **changes)
    except IntegrityError:
        if Scenario.objects.filter(municipality=scenario.municipality_id, name=changes.get("name")).exists():
            raise _name_taken() from None
        raise


def _update_scenario(scenario: Scenario, *, actor, role, **changes) -> Scenario:
    with transaction.atomic():
        scenario = Scenario.objects.select_for_update().get(pk=scenario.pk)
        before = _summary(scenario)
        for key, value in changes.items():
            if key not in (*Scenario.ASSUMPTION_FIELDS, "name", "description"):
                raise ValueError(f"not an editable field: {key}")
            setattr(scenario, key, value)
        scenario.full_clean()
        scenario.impact, scenario.impact_computed_at = {}, None
        scenario.save()
        record(
            "continuity.update",
            actor=actor,
            role=role,
            municipality=scenario.municipality,
            obj=scenario,
            summary=diff(before, _summary(scenario)),
        )
    return scenario


def set_moves(scenario: Scenario, moves, *, actor=None, role="") -> int:
    """Set the fate of a selection of activities: `moves` is an iterable of (activity_id, outcome, lot, winner).

    All-or-nothing: an activity of another municipality, an unknown outcome or a transfer without a winner rejects
    the whole selection.
    """
    moves = [(int(a), o, (lot or "").strip(), (winner or "").strip()) for a, o, lot, winner in moves]
    ids = {a for a, *_ in moves}
    known = set(
        Activity.objects.filter(pk__in=ids, organisation__municipality=scenario.municipality_id).values_list(
            "pk", flat=True
        )
    )
    errors = []
    if ids - known:
        errors.append(_("Some activities do not belong to this municipality."))
    for _a, outcome, _lot, winner in moves:
        if outcome not in Outcome.values:
            errors.append(_("Unknown outcome: %(outcome)s.") % {"outcome": outcome})
        elif outcome == Outcome.TRANSFERS and not winner:
            errors.append(_("An activity that moves to a lot needs the name of the winner."))
    if errors:
        raise ValidationError(sorted(set(errors)))
    with transaction.atomic():
        scenario = Scenario.objects.select_for_update().get(pk=scenario.pk)
        Move.objects.filter(scenario=scenario, activity_id__in=ids).delete()
        Move.objects.bulk_create(
            [Move(scenario=scenario, activity_id=a, outcome=o, lot=lot, winner=w) for a, o, lot, w in moves]
        )
        scenario.impact, scenario.impact_computed_at = {}, None
        scenario.save(update_fields=["impact", "impact_computed_at", "updated_at"])
        record(
            "continuity.moves",
            actor=actor,
            role=role,
            municipality=scenario.municipality,
            obj=scenario,
            summary={"activities": len(ids), "outcomes": sorted({o for _, o, _, _ in moves})},
        )
    return len(ids)


def set_lot_budgets(scenario: Scenario, budgets: dict, *, actor=None, role="") -> None:
    """Set the budget per year of the scenario's lots ({lot name: € or None}); None removes a lot's budget, which
    makes that lot budget-neutral. A negative amount rejects the whole set."""
    budgets = {(name or "").strip(): value for name, value in budgets.items()}
    if "" in budgets:
        raise ValidationError(_("A lot budget needs the name of the lot."))
    if any(v is not None and Decimal(v) < 0 for v in budgets.values()):
        raise ValidationError(_("A lot budget cannot be negative."))
    with transaction.atomic():
        scenario = Scenario.objects.select_for_update().get(pk=scenario.pk)
        LotBudget.objects.filter(scenario=scenario, lot__in=list(budgets)).delete()
        LotBudget.objects.bulk_create(
            [
                LotBudget(scenario=scenario, lot=name, annual_budget=Decimal(value).quantize(Decimal("0.01")))
                for name, value in budgets.items()
                if value is not None
            ]
        )
        scenario.impact, scenario.impact_computed_at = {}, None
        scenario.save(update_fields=["impact", "impact_computed_at", "updated_at"])
        record(
            "continuity.lot_budgets",
            actor=actor,
            role=role,
            municipality=scenario.municipality,
            obj=scenario,
            summary={name: (str(v) if v is not None else None) for name, v in sorted(budgets.items())},
        )


def clear_moves(scenario: Scenario, activity_ids, *, actor=None, role="") -> None:
    with transaction.atomic():
        scenario = Scenario.objects.select_for_update().get(pk=scenario.pk)
        Move.objects.filter(scenario=scenario, activity_id__in=list(activity_ids)).delete()
        scenario.impact, scenario.impact_computed_at = {}, None
        scenario.save(update_fields=["impact", "impact_computed_at", "updated_at"])
        record(
            "continuity.moves",
            actor=actor,
            role=role,
            municipality=scenario.municipality,
            obj=scenario,
            summary={"cleared": len(list(activity_ids))},
        )


def store_impact(scenario: Scenario, data: dict, *, actor=None, role="") -> Scenario:
    with transaction.atomic():
        scenario = Scenario.objects.select_for_update().get(pk=scenario.pk)
        scenario.impact, scenario.impact_computed_at = data, timezone.now()
        scenario.save(update_fields=["impact", "impact_computed_at"])
        record(
            "continuity.compute",
            actor=actor,
            role=role,
            municipality=scenario.municipality,
            obj=scenario,
            summary={"funding_lost": data["totals"]["funding_lost"]},
        )
    return scenario


def set_published(scenario: Scenario, published: bool, *, actor=None, role="") -> Scenario:
    """Publishing makes the scenario's report public; only a computed scenario can be published."""
    with transaction.atomic():
        scenario = Scenario.objects.select_for_update().get(pk=scenario.pk)
        if published and not scenario.impact:
            raise ValidationError(_("Compute the impact before publishing the scenario."))
        scenario.published = published
        scenario.save(update_fields=["published", "updated_at"])
        record(
            "continuity.publish" if published else "continuity.unpublish",
            actor=actor,
            role=role,
            municipality=scenario.municipality,
            obj=scenario,
            summary={"published": published},
        )
    return scenario


def delete_scenario(scenario: Scenario, *, actor=None, role="") -> None:
    with transaction.atomic():
        scenario = Scenario.objects.select_for_update().get(pk=scenario.pk)
        record(
            "continuity.delete",
            actor=actor,
            role=role,
            municipality=scenario.municipality,
            obj=scenario,
            summary={"name": scenario.name},
        )
        scenario.delete()


def save_transition_plan(scenario: Scenario, *, actor=None, role="", result: dict, **fields) -> TransitionPlan:
    plan = TransitionPlan(
        scenario=scenario,
        result=result,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **fields,
    )
    plan.full_clean()
    with transaction.atomic():
        Scenario.objects.select_for_update().get(pk=scenario.pk)
        plan.save()
        record(
            "continuity.optimise",
            actor=actor,
            role=role,
            municipality=scenario.municipality,
            obj=plan,
            summary={"budget": str(plan.budget), "status": result.get("status")},
        )
    return plan


def moves_from_lots(scenario: Scenario, commissioning, winners: dict | None = None, *, actor=None, role="") -> int:
    """Adapter for the tenders app: every activity in a lot's scope (tenders.selectors.lot_scope, the same set and
    the same grant attribution as the tender's scope table) moves to that lot's winner (named in `winners` by lot
    number, else "Winner of lot N", an assumption until bids exist), and each lot's budget becomes the scenario's
    lot budget. An activity in several lots goes to the first. A commissioning for several municipalities gives
    this municipality the share of each lot budget that its current grants in the lot have. Returns the count."""
    winners = winners or {}

    def fate(lot, activity):
        winner = (winners.get(lot.number) or "").strip() or _("Winner of lot %(n)s") % {"n": lot.number}
        return Outcome.TRANSFERS, winner

    return _moves_for_lots(scenario, commissioning, fate, actor=actor, role=role)


def moves_from_bids(scenario: Scenario, commissioning, bids: dict, *, actor=None, role="") -> int:
    """The scenario "after award" from real bids: `bids` maps a lot number to the opened bid assumed to win it
    (bids.Submission). An activity whose organisation takes part in that bid — as lead, consortium member, or as
    a subcontractor with a commitment that continues this activity — continues with its organisation; every other
    activity in the lot moves to the bid's consortium. Organisations are recognised by their confirmed match to
    the landscape registry (bids.OperatorMatch). Lot budgets as in moves_from_lots."""
    from bids.selectors_continuity import continuing_activities, winning_name

    if not bids:
        raise ValidationError(_("Choose a bid for at least one lot."))
    plans = {}
    for number, bid in bids.items():
        if bid.commissioning_id != commissioning.pk or bid.lot is None or bid.lot.number != number:
            raise ValidationError(_("This bid is not a bid on lot %(n)s of this commissioning.") % {"n": number})
        plans[number] = (winning_name(bid), continuing_activities(bid))

    def fate(lot, activity):
        if lot.number not in plans:
            return None
        winner, continuing = plans[lot.number]
        return (Outcome.CONTINUES, "") if activity.pk in continuing else (Outcome.TRANSFERS, winner)

    return _moves_for_lots(scenario, commissioning, fate, actor=actor, role=role)


def _moves_for_lots(scenario: Scenario, commissioning, fate, *, actor=None, role="") -> int:
    """Moves for every activity of this municipality in the lots' scope, as `fate(lot, activity)` decides
    ((outcome, winner), or None to leave the lot out), and the lots' budgets as the scenario's lot budgets."""
    from tenders.selectors import lot_scope

    if commissioning.municipality_id not in (None, scenario.municipality_id) and scenario.municipality not in (
        commissioning.municipalities()
    ):
        raise ValidationError(_("This commissioning is not for this municipality."))
    moves, budgets = {}, {}
    scope = lot_scope(commissioning)
    for row in scope["lots"]:
        lot = row["lot"]
        name = f"{lot.number}. {lot.title}"
        mine = [a for a in row["activities"] if a.organisation.municipality_id == scenario.municipality_id]
        decided = [(a, fate(lot, a)) for a in mine]
        decided = [(a, f) for a, f in decided if f is not None]
        for a, (outcome, winner) in decided:
            moves.setdefault(a.pk, (a.pk, outcome, name, winner))
        if decided:
            own = sum((scope["grants"].get(a.pk) or Decimal("0") for a in mine), Decimal("0"))
            share = own / row["grants"] if row["grants"] and len(mine) < len(row["activities"]) else Decimal("1")
            budgets[name] = (lot.annual_budget * share).quantize(Decimal("0.01"))
    if not moves:
        raise ValidationError(_("The lots of this commissioning contain no activities of this municipality."))
    with transaction.atomic():
        count = set_moves(scenario, moves.values(), actor=actor, role=role)
        set_lot_budgets(scenario, budgets, actor=actor, role=role)
    return count
