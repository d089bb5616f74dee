"""The only write path of the continuity app: scenarios, their moves, computed impact, transition plans.

Every service runs in one transaction, locks what it changes and appends an audit event.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import diff, record
from landscape.models import Activity

from . import impact
from .models import Move, Outcome, Scenario, TransitionPlan


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
    """Adapter for the tenders app: every activity in a lot's scope moves to that lot's winner (named in `winners`
    by lot number, else "Winnaar perceel N"); an activity in several lots goes to the first. Returns the count."""
    from tenders.selectors import lot_scope

    if commissioning.municipality_id not in (None, scenario.municipality_id) and scenario.municipality not in (
        commissioning.municipalities()
    ):
        raise ValidationError(_("This commissioning is not for this municipality."))
    winners = winners or {}
    moves = {}
    for row in lot_scope(commissioning)["lots"]:
        lot = row["lot"]
        winner = (winners.get(lot.number) or "").strip() or _("Winner of lot %(n)s") % {"n": lot.number}
        for a in row["activities"]:
            if a.organisation.municipality_id == scenario.municipality_id:
                moves.setdefault(a.pk, (a.pk, Outcome.TRANSFERS, f"{lot.number}. {lot.title}", winner))
    if not moves:
        raise ValidationError(_("The lots of this commissioning contain no activities of this municipality."))
    return set_moves(scenario, moves.values(), actor=actor, role=role)
