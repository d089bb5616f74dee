"""Designing a commissioning while it is a draft: its details, lots, reserved budget lines, award criteria with
their anchors, and deadlines. After publication only a rectification changes it (services.rectification)."""

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from audit.services import diff

from .. import rules, time_limits
from ..models import Anchor, Commissioning, Criterion, Deadline, LibraryCriterion, Lot, ReservedBudgetLine
from ._common import _audit, _aware, _check_budget, _ensure_draft, _lock, _scope_ids

DESIGN_FIELDS = [
    "title",
    "goals",
    "route",
    "main_cpv",
    "additional_cpv",
    "contract_start",
    "term_years",
    "option_count",
    "option_years",
    "selection_criteria",
    "max_candidates",
    "max_dialogue_participants",
    "selection_scoring",
    "selection_minimum_score",
    "tie_break",
    "dialogue_reduction",
    "dialogue_reduction_method",
    "procedure_grounds",
    "lot_reasons",
    "grant_ceiling",
    "distribution_rule",
    "documents_electronically_available",
    "accelerated",
    "accelerated_reasons",
    "short_period_reasons",
    "framework_agreement",
    "grant_ceiling_announced_on",
    "grant_regulation",
    "grant_regulation_reference",
    "grant_multi_year",
    "grant_enforceable_obligations",
    "grant_fixed_budget_for_defined_services",
    "grant_acquires_services",
    "grant_assessment_reasons",
    "grant_despite_reasons",
    "wmo_services",
    "wmo_price_basis",
    "wmo_cost_price",
    "wmo_indexation",
]


M2M_FIELDS = ("additional_cpv",)
MAX_ADDITIONAL_CPV = 10


def _value(obj, name):
    if name in M2M_FIELDS:
        return sorted(code.code for code in getattr(obj, name).all()) if obj.pk else []
    value = getattr(obj, name)
    return str(value) if value is not None else None


def _snapshot(commissioning) -> dict:
    return {f: _value(commissioning, f) for f in DESIGN_FIELDS}


def _cpv_errors(main, additional) -> dict:
    """The main CPV code is not repeated among the additional codes, and a few additional codes are enough."""
    additional = list(additional or [])
    if main is not None and main in additional:
        return {"additional_cpv": _("The main CPV code is not also an additional code.")}
    if len(additional) > MAX_ADDITIONAL_CPV:
        return {"additional_cpv": _("Choose at most %(n)s additional CPV codes.") % {"n": MAX_ADDITIONAL_CPV}}
    return {}


def _check_design(data: dict, owner):
    errors = rules.term_errors(
        data.get("term_years") or 0,
        data.get("option_count") or 0,
        data.get("option_years") or 0,
        time_limits.policy_for(owner),
    )
    errors |= _cpv_errors(data.get("main_cpv"), data.get("additional_cpv"))
    if data.get("grant_ceiling") is not None and data["grant_ceiling"] <= 0:
        errors["grant_ceiling"] = _("The subsidy ceiling must be more than € 0.")
    if data.get("max_candidates") is not None and data["max_candidates"] < 1:
        errors["max_candidates"] = _("Admit at least one candidate.")
    phase_2 = data.get("max_dialogue_participants")
    if phase_2 is not None and phase_2 < 1:
        errors["max_dialogue_participants"] = _("At least one participant goes on to dialogue phase 2.")
    elif phase_2 is not None and data.get("max_candidates") and phase_2 > data["max_candidates"]:
        errors["max_dialogue_participants"] = _(
            "Dialogue phase 2 cannot have more participants than the candidates admitted to the dialogue."
        )
    minimum = data.get("selection_minimum_score")
    if minimum is not None and not 0 <= minimum <= 100:
        errors["selection_minimum_score"] = _("The minimum score to qualify is a whole number from 0 to 100.")
    if not (data.get("title") or "").strip():
        errors["title"] = _("Give the commissioning a title.")
    if not (data.get("goals") or "").strip():
        errors["goals"] = _("Describe the goals in plain language.")
    if errors:
        raise ValidationError(errors)


# --- design (draft only) ------------------------------------------------------------------------------------------
@transaction.atomic
def create_commissioning(user, *, municipality=None, purchasing_organisation=None, scale=None, **fields):
    if (municipality is None) == (purchasing_organisation is None):
        raise ValidationError(_("A commissioning belongs to one municipality or one purchasing organisation."))
    data = {"term_years": 1, "option_count": 0, "option_years": 1, **fields}
    _check_design(data, municipality or purchasing_organisation)
    scale = list(scale or rules.DEFAULT_SCALE)
    if errors := rules.scale_errors(scale):
        raise ValidationError({"scale": errors})
    many = {name: data.pop(name) for name in M2M_FIELDS if name in data}
    c = Commissioning.objects.create(
        municipality=municipality,
        purchasing_organisation=purchasing_organisation,
        scale=scale,
        created_by=user if getattr(user, "is_authenticated", False) else None,
        **data,
    )
    for name, values in many.items():
        getattr(c, name).set(values or [])
    _audit("tenders.create", c, user, summary={"after": _snapshot(c)})
    return c


@transaction.atomic
def update_commissioning(commissioning, user, **fields):
    c = _lock(commissioning)
    _ensure_draft(c)
    unknown = set(fields) - set(DESIGN_FIELDS)
    assert not unknown, unknown
    before = _snapshot(c)
    data = {f: (list(getattr(c, f).all()) if f in M2M_FIELDS else getattr(c, f)) for f in DESIGN_FIELDS} | fields
    _check_design(data, c.owner)
    for name, value in fields.items():
        if name in M2M_FIELDS:
            getattr(c, name).set(value or [])
        else:
            setattr(c, name, value)
    c.save()
    _audit("tenders.update", c, user, summary=diff(before, _snapshot(c)))
    return c


@transaction.atomic
def save_lot(
    commissioning,
    user,
    *,
    lot=None,
    title,
    annual_budget,
    description="",
    activities=(),
    districts=(),
    target_groups=(),
    main_cpv=None,
    additional_cpv=(),
):
    """Add a lot (lot=None) or change one, with its scope from the landscape registry, its fixed annual budget and,
    optionally, its own CPV codes (without them the lot has the commissioning's)."""
    c = _lock(commissioning)
    _ensure_draft(c)
    _check_budget(annual_budget)
    if not title.strip():
        raise ValidationError({"title": _("Give the lot a title.")})
    additional_cpv = list(additional_cpv or [])
    if errors := _cpv_errors(main_cpv, additional_cpv):
        raise ValidationError(errors)
    activities, districts = list(activities), list(districts)
    _scope_ids(c, activities, districts)
    if lot is None:
        number = (c.lots.aggregate(n=Max("number"))["n"] or 0) + 1
        lot = Lot(commissioning=c, number=number)
        action = "tenders.lot_add"
    else:
        assert lot.commissioning_id == c.pk
        action = "tenders.lot_change"
    lot.title, lot.description, lot.annual_budget = title.strip(), description, Decimal(annual_budget)
    lot.main_cpv = main_cpv
    lot.save()
    lot.additional_cpv.set(additional_cpv)
    lot.activities.set(activities)
    lot.districts.set(districts)
    lot.target_groups.set(list(target_groups))
    _audit(
        action,
        c,
        user,
        obj=lot,
        summary={
            "title": lot.title,
            "annual_budget": lot.annual_budget,
            "activities": len(activities),
            "main_cpv": main_cpv.code if main_cpv else None,
            "additional_cpv": sorted(code.code for code in additional_cpv),
        },
    )
    return lot


@transaction.atomic
def delete_lot(lot, user):
    c = _lock(lot.commissioning)
    _ensure_draft(c)
    _audit("tenders.lot_delete", c, user, summary={"title": lot.title})
    lot.delete()
    for i, other in enumerate(c.lots.order_by("number"), start=1):
        if other.number != i:
            Lot.objects.filter(pk=other.pk).update(number=i)


@transaction.atomic
def add_reserved_line(commissioning, user, *, kind, description, annual_amount, years=1):
    c = _lock(commissioning)
    _ensure_draft(c)
    _check_budget(annual_amount, "annual_amount")
    if not description.strip():
        raise ValidationError({"description": _("Describe what the money is for.")})
    if years < 1:
        raise ValidationError({"years": _("At least one year.")})
    line = ReservedBudgetLine.objects.create(
        commissioning=c, kind=kind, description=description.strip(), annual_amount=annual_amount, years=years
    )
    _audit("tenders.reserve", c, user, obj=line, summary={"kind": kind, "annual_amount": line.annual_amount})
    return line


@transaction.atomic
def add_criterion(
    commissioning,
    user,
    *,
    title,
    weight,
    anchors: dict,
    description="",
    parent=None,
    library_item=None,
    minimum_score=None,
):
    """Add an award criterion with its weight, an anchor (what a bid must show) per score level of the scale and an
    optional knock-out minimum score."""
    c = _lock(commissioning)
    _ensure_draft(c)
    weight = Decimal(weight) if weight is not None else None
    if weight is None or weight <= 0 or weight > 100:
        raise ValidationError({"weight": _("A weight is more than 0% and at most 100%.")})
    if not title.strip():
        raise ValidationError({"title": _("Give the criterion a title.")})
    if parent is not None and parent.commissioning_id != c.pk:
        raise ValidationError({"parent": _("The main criterion belongs to another commissioning.")})
    anchors = {int(k): (v or "").strip() for k, v in anchors.items()}
    unknown = sorted(set(anchors) - set(c.scale))
    if unknown:
        raise ValidationError({"anchors": _("Score %(s)s is not on the scale.") % {"s": unknown[0]}})
    _check_minimum(c, title.strip(), minimum_score)
    position = (c.criteria.filter(parent=parent).aggregate(n=Max("position"))["n"] or 0) + 1
    criterion = Criterion.objects.create(
        commissioning=c,
        parent=parent,
        library_item=library_item,
        position=position,
        title=title.strip(),
        description=description,
        weight=weight,
        minimum_score=minimum_score,
    )
    Anchor.objects.bulk_create(Anchor(criterion=criterion, score=s, text=t) for s, t in anchors.items() if t)
    _audit(
        "tenders.criterion_add",
        c,
        user,
        obj=criterion,
        summary={"title": criterion.title, "weight": weight, "minimum_score": minimum_score},
    )
    return criterion


def _check_minimum(c, title, minimum_score, *, has_subs=False):
    if errors := rules.minimum_errors(title, minimum_score, c.scale, has_subs=has_subs, route=c.route):
        raise ValidationError({"minimum_score": errors})


@transaction.atomic
def set_criterion_minimum(criterion, user, minimum_score):
    """Set or clear (None) the knock-out minimum of a criterion while the commissioning is a draft; after
    publication only a rectification changes it (a material change)."""
    c = _lock(criterion.commissioning)
    _ensure_draft(c)
    criterion = c.criteria.select_for_update().get(pk=criterion.pk)
    _check_minimum(c, criterion.title, minimum_score, has_subs=criterion.children.exists())
    before = criterion.minimum_score
    criterion.minimum_score = minimum_score
    criterion.save(update_fields=["minimum_score"])
    _audit("tenders.criterion_minimum", c, user, obj=criterion, summary={"before": before, "after": minimum_score})
    return criterion


def add_library_criterion(commissioning, user, item: LibraryCriterion, weight, parent=None):
    """Start from the library: copy its title, description and those anchors that fit the commissioning's scale."""
    anchors = {int(k): v for k, v in item.anchors.items() if int(k) in commissioning.scale}
    return add_criterion(
        commissioning,
        user,
        title=item.title,
        description=item.description,
        weight=weight,
        anchors=anchors,
        parent=parent,
        library_item=item,
    )


@transaction.atomic
def set_anchor(criterion, user, score: int, text: str):
    c = _lock(criterion.commissioning)
    _ensure_draft(c)
    if score not in c.scale:
        raise ValidationError({"score": _("Score %(s)s is not on the scale.") % {"s": score}})
    if text.strip():
        Anchor.objects.update_or_create(criterion=criterion, score=score, defaults={"text": text.strip()})
    else:
        Anchor.objects.filter(criterion=criterion, score=score).delete()
    _audit("tenders.anchor", c, user, obj=criterion, summary={"score": score})


@transaction.atomic
def delete_criterion(criterion, user):
    c = _lock(criterion.commissioning)
    _ensure_draft(c)
    _audit("tenders.criterion_delete", c, user, summary={"title": criterion.title})
    criterion.delete()


@transaction.atomic
def set_deadline(commissioning, user, kind: str, at: datetime):
    c = _lock(commissioning)
    _ensure_draft(c)
    _aware(at, "at")
    if kind not in Deadline.Kind.values:
        raise ValidationError({"kind": _("Unknown kind of deadline.")})
    deadline, _created = Deadline.objects.update_or_create(commissioning=c, kind=kind, defaults={"at": at})
    _audit("tenders.deadline", c, user, obj=deadline, summary={"kind": kind, "at": at})
    return deadline
