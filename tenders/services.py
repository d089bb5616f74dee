"""The only write path of tenders: every change runs in a transaction, locks the commissioning, checks the guards of
tenders.rules, appends an audit event and tells publication (OCDS releases, subscribers) what changed.

Guards raise django.core.exceptions.ValidationError with a Dutch (gettext) message, a dict keyed by form field
where a field is to blame; nothing is written when a guard fails.
"""

from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import diff, record
from core.access import represented_organisation_ids, roles_for
from publication import services as publication

from . import rules
from .models import (
    Anchor,
    Candidate,
    Clarification,
    Commissioning,
    Criterion,
    Deadline,
    DialogueSession,
    InfoSession,
    LibraryCriterion,
    Lot,
    Phase,
    PhaseChange,
    Question,
    Rectification,
    ReservedBudgetLine,
    Route,
)

DESIGN_FIELDS = [
    "title",
    "goals",
    "route",
    "service_category",
    "contract_start",
    "term_years",
    "option_count",
    "option_years",
    "selection_criteria",
    "max_candidates",
    "max_dialogue_participants",
    "grant_ceiling",
    "distribution_rule",
]
# Fields a rectification may change after publication (the route, term and category define the procedure itself).
RECTIFIABLE_FIELDS = ["title", "goals", "selection_criteria"]
MAX_QUESTION_LENGTH = 5000


# --- helpers ------------------------------------------------------------------------------------------------------
def _audit(action, commissioning, user, obj=None, summary=None):
    roles = roles_for(user, commissioning.municipalities()[0])
    record(
        action,
        actor=user,
        role=",".join(sorted(roles)),
        municipality=commissioning.municipality,
        obj=obj or commissioning,
        summary=summary,
    )


def _lock(commissioning) -> Commissioning:
    return Commissioning.objects.select_for_update().get(pk=commissioning.pk)


def _ensure_draft(commissioning):
    if commissioning.is_published:
        raise ValidationError(
            _("A published commissioning can only be changed through a published rectification."), code="published"
        )


def _ensure_open(commissioning):
    if not commissioning.is_published:
        raise ValidationError(_("The commissioning has not been published."), code="draft")
    if commissioning.phase in rules.TERMINAL:
        raise ValidationError(_("The procedure has ended."), code="ended")


def _snapshot(commissioning) -> dict:
    return {f: str(getattr(commissioning, f)) if getattr(commissioning, f) is not None else None for f in DESIGN_FIELDS}


def _check_design(data: dict):
    errors = rules.term_errors(
        data.get("term_years") or 0, data.get("option_count") or 0, data.get("option_years") or 0
    )
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
    if not (data.get("title") or "").strip():
        errors["title"] = _("Give the commissioning a title.")
    if not (data.get("goals") or "").strip():
        errors["goals"] = _("Describe the goals in plain language.")
    if errors:
        raise ValidationError(errors)


def _check_budget(amount, field="annual_budget"):
    if amount is None or Decimal(amount) <= 0:
        raise ValidationError({field: _("The budget must be more than € 0.")})


def _aware(at: datetime, field: str):
    if at is None or timezone.is_naive(at):
        raise ValidationError({field: _("Give a date and time.")})
    if message := rules.plausible_moment_error(at):
        raise ValidationError({field: message})


# --- design (draft only) ------------------------------------------------------------------------------------------
@transaction.atomic
def create_commissioning(user, *, municipality=None, purchasing_organisation=None, scale=None, **fields):
    if (municipality is None) == (purchasing_organisation is None):
        raise ValidationError(_("A commissioning belongs to one municipality or one purchasing organisation."))
    data = {"term_years": 1, "option_count": 0, "option_years": 1, **fields}
    _check_design(data)
    scale = list(scale or rules.DEFAULT_SCALE)
    if errors := rules.scale_errors(scale):
        raise ValidationError({"scale": errors})
    c = Commissioning.objects.create(
        municipality=municipality,
        purchasing_organisation=purchasing_organisation,
        scale=scale,
        created_by=user if getattr(user, "is_authenticated", False) else None,
        **data,
    )
    _audit("tenders.create", c, user, summary={"after": _snapshot(c)})
    return c


@transaction.atomic
def update_commissioning(commissioning, user, **fields):
    c = _lock(commissioning)
    _ensure_draft(c)
    unknown = set(fields) - set(DESIGN_FIELDS)
    assert not unknown, unknown
    before = _snapshot(c)
    data = {f: getattr(c, f) for f in DESIGN_FIELDS} | fields
    _check_design(data)
    for name, value in fields.items():
        setattr(c, name, value)
    c.save()
    _audit("tenders.update", c, user, summary=diff(before, _snapshot(c)))
    return c


def _scope_ids(commissioning, activities, districts):
    """Scope comes from the registry of the commissioning's own municipalities only."""
    codes = {m.pk for m in commissioning.municipalities()}
    if any(a.organisation.municipality_id not in codes for a in activities):
        raise ValidationError({"activities": _("Choose activities of this municipality's registry.")})
    if any(d.municipality_id not in codes for d in districts):
        raise ValidationError({"districts": _("Choose districts of this municipality.")})


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
):
    """Add a lot (lot=None) or change one, with its scope from the landscape registry and its fixed annual budget."""
    c = _lock(commissioning)
    _ensure_draft(c)
    _check_budget(annual_budget)
    if not title.strip():
        raise ValidationError({"title": _("Give the lot a title.")})
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
    lot.save()
    lot.activities.set(activities)
    lot.districts.set(districts)
    lot.target_groups.set(list(target_groups))
    _audit(
        action,
        c,
        user,
        obj=lot,
        summary={"title": lot.title, "annual_budget": lot.annual_budget, "activities": len(activities)},
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
def add_criterion(commissioning, user, *, title, weight, anchors: dict, description="", parent=None, library_item=None):
    """Add an award criterion with its weight and an anchor (what a bid must show) per score level of the scale."""
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
    position = (c.criteria.filter(parent=parent).aggregate(n=Max("position"))["n"] or 0) + 1
    criterion = Criterion.objects.create(
        commissioning=c,
        parent=parent,
        library_item=library_item,
        position=position,
        title=title.strip(),
        description=description,
        weight=weight,
    )
    Anchor.objects.bulk_create(Anchor(criterion=criterion, score=s, text=t) for s, t in anchors.items() if t)
    _audit("tenders.criterion_add", c, user, obj=criterion, summary={"title": criterion.title, "weight": weight})
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


# --- publishing and the procedure ---------------------------------------------------------------------------------
def publish_errors(commissioning, now=None) -> list[str]:
    """Everything that stands in the way of publishing; empty when the commissioning may be published."""
    now = now or timezone.now()
    c = commissioning
    errors = []
    lots = list(c.lots.all())
    if not lots:
        errors.append(_("Add at least one lot."))
    errors += [str(e) for e in rules.term_errors(c.term_years, c.option_count, c.option_years).values()]
    errors += rules.criteria_errors(c)
    deadlines = {d.kind: d.at for d in c.deadlines.all()}
    required = rules.REQUIRED_DEADLINES[c.route]
    missing = [k for k in required if k not in deadlines]
    for kind in missing:
        errors.append(_("Set the %(deadline)s.") % {"deadline": Deadline.Kind(kind).label.lower()})
    if not missing:
        if deadlines[required[0]] <= now:
            errors.append(_("The %(deadline)s has already passed.") % {"deadline": Deadline.Kind(required[0]).label})
        for earlier, later in zip(required, required[1:], strict=False):
            if deadlines[earlier] >= deadlines[later]:
                errors.append(
                    _("The %(a)s must come before the %(b)s.")
                    % {"a": Deadline.Kind(earlier).label.lower(), "b": Deadline.Kind(later).label.lower()}
                )
    if c.route in (Route.PRESELECTION, Route.COMPETITIVE_DIALOGUE):
        if not c.selection_criteria.strip():
            errors.append(_("Describe the selection criteria."))
        if not c.max_candidates:
            errors.append(_("Set the maximum number of candidates."))
    if c.route == Route.COMPETITIVE_DIALOGUE and not c.max_dialogue_participants:
        errors.append(_("Set the maximum number of participants in dialogue phase 2."))
    if c.route == Route.GRANT_ROUND:
        if not c.grant_ceiling:
            errors.append(_("Set the subsidy ceiling (Awb 4:22)."))
        elif rules.estimated_value(c) > c.grant_ceiling:
            errors.append(_("The lots' budgets over the whole term exceed the subsidy ceiling."))
    return errors


@transaction.atomic
def publish(commissioning, user, now=None):
    now = now or timezone.now()
    c = _lock(commissioning)
    _ensure_draft(c)
    errors = publish_errors(c, now)
    if errors:
        raise ValidationError(errors)
    first = rules.FIRST_PHASE[c.route]
    PhaseChange.objects.create(commissioning=c, from_phase=c.phase, to_phase=first, at=now, by=user)
    c.phase, c.published_at = first, now
    c.save(update_fields=["phase", "published_at"])
    check = rules.check_threshold(c, timezone.localdate(now))
    _audit("tenders.publish", c, user, summary={"phase": first, "regime": check.regime, "value": check.estimated_value})
    publication.commissioning_changed(c, "tender", _("The commissioning was published."))
    return c


def transition_errors(commissioning, to_phase: str, now=None) -> list[str]:
    now = now or timezone.now()
    c = commissioning
    if to_phase not in rules.allowed_transitions(c.route, c.phase):
        return [
            _("From “%(a)s” the procedure cannot go to “%(b)s”.")
            % {"a": Phase(c.phase).label, "b": Phase(to_phase).label}
        ]
    if c.phase == Phase.DRAFT:
        return [_("Publish the commissioning to start the procedure.")]
    if to_phase == Phase.CANCELLED:
        return [_("Cancelling needs a published reason: use the cancellation step.")]
    errors = []
    closing = rules.CLOSES_AT.get(c.phase)
    if closing:
        deadline = c.deadlines.filter(kind=closing).first()
        if deadline is None or now < deadline.at:
            errors.append(
                _("This phase closes at the %(deadline)s; that moment has not come yet.")
                % {"deadline": Deadline.Kind(closing).label.lower()}
            )
    if c.phase == Phase.SELECTION:
        undecided = c.candidates.filter(status=Candidate.Status.APPLIED).count()
        if undecided:
            errors.append(_("Admit or reject every candidate first (%(n)s undecided).") % {"n": undecided})
        elif not c.candidates.filter(status=Candidate.Status.ADMITTED).exists():
            errors.append(_("Admit at least one candidate first."))
    if to_phase == Phase.DIALOGUE_2:
        selected = c.candidates.filter(selected_for_phase_2=True).count()
        if not selected:
            errors.append(_("Select the participants for dialogue phase 2 first."))
    return errors


def _change_phase(c, user, to_phase, now):
    PhaseChange.objects.create(commissioning=c, from_phase=c.phase, to_phase=to_phase, at=now, by=user)
    before, c.phase = c.phase, to_phase
    c.save(update_fields=["phase"])
    return before


@transaction.atomic
def transition(commissioning, user, to_phase: str, now=None):
    """Move the procedure to its next phase along the route's transition table, enforced by the server clock."""
    now = now or timezone.now()
    c = _lock(commissioning)
    errors = transition_errors(c, to_phase, now)
    if errors:
        raise ValidationError(errors)
    before = _change_phase(c, user, to_phase, now)
    _audit("tenders.transition", c, user, summary={"before": {"phase": before}, "after": {"phase": to_phase}})
    publication.commissioning_changed(
        c, "tenderUpdate", _("The procedure moved to the phase “%(phase)s”.") % {"phase": Phase(to_phase).label}
    )
    return c


def may_cancel(commissioning) -> bool:
    return commissioning.is_published and Phase.CANCELLED in rules.allowed_transitions(
        commissioning.route, commissioning.phase
    )


@transaction.atomic
def cancel(commissioning, user, *, reason: str, now=None):
    """Discontinue the procedure (possible in every published phase before the award), with a reason that is
    published on the public page and in the OCDS release (tender.status "cancelled"); subscribers are e-mailed."""
    now = now or timezone.now()
    c = _lock(commissioning)
    reason = (reason or "").strip()
    if not may_cancel(c):
        raise ValidationError(_("This procedure cannot be cancelled (any more)."))
    if not reason:
        raise ValidationError({"reason": _("Give the reason for cancelling; it is published.")})
    before = _change_phase(c, user, Phase.CANCELLED, now)
    c.cancellation_reason = reason
    c.save(update_fields=["cancellation_reason"])
    _audit("tenders.cancel", c, user, summary={"before": {"phase": before}, "reason": reason})
    publication.commissioning_changed(
        c, "tenderCancellation", _("The procedure was cancelled. Reason: %(reason)s") % {"reason": reason}
    )
    return c


# A rectification record is published data (portal, PDF, OCDS): its labels and values are written in the data's
# language, whatever language the officer uses; error messages stay in the officer's language.
def _data_text(text) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)


def _euro(amount) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return "€ " + formats.number_format(Decimal(amount), 2, use_l10n=True, force_grouping=True)


def _moment(at) -> str:
    local = timezone.localtime(at)
    with translation.override(settings.LANGUAGE_CODE):
        return f"{formats.date_format(local, 'j F Y H:i')} {local.tzname()}"


def _change(target, field, subject, attribute, before, after, material=False) -> dict:
    """One change of a rectification: `target` names the changed item (shown as "changed by rectification N" next
    to it); `subject` (the item, or None) and `attribute` (lazy text) make the label; before/after are display
    values."""
    attribute = _data_text(attribute)
    return {
        "target": target,
        "field": field,
        "label": f"{subject}: {attribute}" if subject else attribute,
        "attribute": attribute,
        "before": before,
        "after": after,
        "material": material,
    }


def _names(objects) -> str:
    return ", ".join(sorted(str(o) for o in objects)) or "–"


def _rectify_fields(c, fields: dict) -> list[dict]:
    assert not set(fields) - set(RECTIFIABLE_FIELDS), fields
    changes = []
    for name, value in fields.items():
        if not str(value).strip():
            raise ValidationError({name: _("This field cannot be empty.")})
        if getattr(c, name) != value:
            label = c._meta.get_field(name).verbose_name
            changes.append(_change("commissioning", name, None, label, getattr(c, name), value))
            setattr(c, name, value)
    c.save()
    return changes


def _rectify_lots(c, lots: dict) -> list[dict]:
    """A lot's budget (material: bids are written for it) and its scope and description."""
    changes = []
    for lot_id, new in lots.items():
        lot = c.lots.select_for_update().filter(pk=lot_id).first()
        if lot is None:
            raise ValidationError(_("Choose a lot of this commissioning."))
        target, name = f"lot:{lot.pk}", f"{_data_text(gettext_lazy('Lot'))} {lot.number} {lot.title}"
        if "annual_budget" in new:
            _check_budget(new["annual_budget"], f"lot_{lot.pk}")
            amount = Decimal(new["annual_budget"])
            if amount != lot.annual_budget:
                changes.append(
                    _change(
                        target,
                        f"{target}:annual_budget",
                        name,
                        gettext_lazy("fixed budget per year"),
                        _euro(lot.annual_budget),
                        _euro(amount),
                        material=True,
                    )
                )
                lot.annual_budget = amount
        if "title" in new and new["title"].strip() != lot.title:
            if not new["title"].strip():
                raise ValidationError({"title": _("Give the lot a title.")})
            after = new["title"].strip()
            changes.append(_change(target, f"{target}:title", name, gettext_lazy("title"), lot.title, after))
            lot.title = after
        if "description" in new and new["description"].strip() != lot.description:
            after = new["description"].strip()
            changes.append(
                _change(target, f"{target}:description", name, gettext_lazy("description"), lot.description, after)
            )
            lot.description = after
        lot.save()
        if "activities" in new or "districts" in new:
            _scope_ids(c, new.get("activities", ()), new.get("districts", ()))
        for relation, attribute in (
            ("activities", gettext_lazy("activities taken over")),
            ("districts", gettext_lazy("districts")),
            ("target_groups", gettext_lazy("target groups")),
        ):
            if relation not in new:
                continue
            before, after = set(getattr(lot, relation).all()), set(new[relation])
            if before != after:
                changes.append(
                    _change(
                        target,
                        f"{target}:{relation}",
                        name,
                        attribute,
                        _names(before),
                        _names(after),
                    )
                )
                getattr(lot, relation).set(after)
    return changes


def _rectify_criteria(c, criteria: dict) -> list[dict]:
    """Weights and anchors of the award criteria (material: they decide how bids are scored). The changed set must
    still pass the criteria guards (weights 100%, an anchor for every level)."""
    changes = []
    for criterion_id, new in criteria.items():
        criterion = c.criteria.select_for_update().filter(pk=criterion_id).first()
        if criterion is None:
            raise ValidationError(_("Choose a criterion of this commissioning."))
        target = f"criterion:{criterion.pk}"
        if "weight" in new and Decimal(new["weight"]) != criterion.weight:
            weight = Decimal(new["weight"])
            if weight <= 0 or weight > 100:
                raise ValidationError(
                    {f"criterion_{criterion.pk}_weight": _("A weight is more than 0% and at most 100%.")}
                )
            changes.append(
                _change(
                    target,
                    f"{target}:weight",
                    criterion.title,
                    gettext_lazy("weight"),
                    f"{criterion.weight.normalize():f}%",
                    f"{weight.normalize():f}%",
                    material=True,
                )
            )
            criterion.weight = weight
            criterion.save(update_fields=["weight"])
        anchors = {a.score: a for a in criterion.anchors.all()}
        for score, text in new.get("anchors", {}).items():
            score, text = int(score), (text or "").strip()
            if score not in c.scale:
                raise ValidationError(_("Score %(s)s is not on the scale.") % {"s": score})
            before = anchors[score].text if score in anchors else ""
            if text == before:
                continue
            if not text:
                raise ValidationError(
                    {f"criterion_{criterion.pk}_anchor_{score}": _("Every score level keeps a written anchor.")}
                )
            changes.append(
                _change(
                    f"anchor:{criterion.pk}:{score}",
                    f"{target}:anchor:{score}",
                    criterion.title,
                    _data_text(gettext_lazy("anchor for score %(s)s")) % {"s": score},
                    before or "–",
                    text,
                    material=True,
                )
            )
            Anchor.objects.update_or_create(criterion=criterion, score=score, defaults={"text": text})
    if changes and (errors := rules.criteria_errors(c)):
        raise ValidationError(errors)
    return changes


def _rectify_deadlines(c, deadlines: dict, now) -> list[dict]:
    """A changed deadline may only move later (a rectification extends, never shortens, the time bidders have) and
    must lie in the future."""
    changes = []
    for kind, at in deadlines.items():
        _aware(at, kind)
        deadline = c.deadlines.select_for_update().filter(kind=kind).first()
        if deadline is None:
            raise ValidationError({kind: _("This commissioning has no such deadline.")})
        if at <= deadline.at:
            raise ValidationError({kind: _("A rectification can only extend a deadline, not bring it forward.")})
        if at <= now:
            raise ValidationError({kind: _("The new deadline must lie in the future.")})
        label = Deadline.Kind(kind).label
        changes.append(_change(f"deadline:{kind}", f"deadline:{kind}", None, label, _moment(deadline.at), _moment(at)))
        deadline.at = at
        deadline.save(update_fields=["at"])
    return changes


def _check_material_extension(c, before: dict, after: dict, now):
    """A material change (criteria or budgets) extends the route's submission deadline by at least the minimum of
    rules.MINIMUM_EXTENSIONS in force; once that deadline has passed, bids are in and criteria and budgets are
    fixed."""
    kind = rules.SUBMISSION_DEADLINE[c.route]
    label = Deadline.Kind(kind).label.lower()
    old = before.get(kind)
    if old is None or old <= now:
        raise ValidationError(
            _("Criteria and budgets can no longer be changed: the %(deadline)s has passed.") % {"deadline": label}
        )
    days = rules.minimum_extension(timezone.localdate(now)).days
    new = after.get(kind)
    if new is None or new - old < timedelta(days=days):
        raise ValidationError(
            {
                kind: _(
                    "Changing criteria or budgets is a material change: extend the %(deadline)s by at least "
                    "%(days)s days, to %(date)s or later."
                )
                % {"deadline": label, "days": days, "date": _moment(old + timedelta(days=days))}
            }
        )


@transaction.atomic
def rectify(commissioning, user, *, explanation, fields=None, lots=None, criteria=None, deadlines=None, now=None):
    """Publish a correction of a published commissioning: the only way it changes. It may change the title, goals
    and selection criteria, the lots (budget, description, scope), the award criteria (weights, anchors) and the
    deadlines. The rectification record keeps every previous value, shown next to the item as "changed by
    rectification N". Nothing is written when a guard fails."""
    now = now or timezone.now()
    c = _lock(commissioning)
    _ensure_open(c)
    if not explanation.strip():
        raise ValidationError({"explanation": _("Explain what is corrected and why.")})
    deadlines = deadlines or {}
    old_deadlines = {d.kind: d.at for d in c.deadlines.all()}
    changes = _rectify_fields(c, fields or {})
    changes += _rectify_lots(c, lots or {})
    changes += _rectify_criteria(c, criteria or {})
    material = any(ch["material"] for ch in changes)
    changes += _rectify_deadlines(c, deadlines, now)
    if material:
        _check_material_extension(c, old_deadlines, {**old_deadlines, **deadlines}, now)
    number = c.rectifications.count() + 1
    rectification = Rectification.objects.create(
        commissioning=c,
        number=number,
        explanation=explanation.strip(),
        changes=changes,
        published_at=now,
        published_by=user,
    )
    _audit(
        "tenders.rectify",
        c,
        user,
        obj=rectification,
        summary={"number": number, "material": material, "changes": [ch["field"] for ch in changes]},
    )
    publication.commissioning_changed(
        c, "tenderAmendment", _("Rectification %(n)s was published.") % {"n": number}, rectification=rectification
    )
    return rectification


# --- questions, clarifications, info sessions ---------------------------------------------------------------------
def questions_open(commissioning, now=None) -> bool:
    now = now or timezone.now()
    if not commissioning.is_published or commissioning.phase in rules.TERMINAL:
        return False
    deadline = commissioning.deadlines.filter(kind=Deadline.Kind.QUESTIONS).first()
    return deadline is not None and now < deadline.at


@transaction.atomic
def ask_question(commissioning, user, text: str, lot=None, now=None):
    now = now or timezone.now()
    c = _lock(commissioning)
    if not questions_open(c, now):
        raise ValidationError(_("Questions can no longer be asked: the deadline for questions has passed."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write your question.")})
    if len(text) > MAX_QUESTION_LENGTH:
        raise ValidationError({"text": _("A question is at most %(n)s characters.") % {"n": MAX_QUESTION_LENGTH}})
    if lot is not None and lot.commissioning_id != c.pk:
        raise ValidationError({"lot": _("Choose a lot of this commissioning.")})
    question = Question.objects.create(commissioning=c, lot=lot, asked_by=user, text=text, asked_at=now)
    # The audit summary leaves the text out: who asked what stays inside the municipality's records.
    _audit("tenders.question_ask", c, user, obj=question)
    return question


@transaction.atomic
def answer_question(question, user, *, answer: str, topic: str = ""):
    c = _lock(question.commissioning)
    question = Question.objects.select_for_update().get(pk=question.pk)
    if question.clarification_id:
        raise ValidationError(_("This answer has been published; correct it in a later clarification."))
    if not (answer or "").strip():
        raise ValidationError({"answer": _("Write the answer.")})
    question.answer, question.topic = answer.strip(), topic.strip()
    question.answered_by, question.answered_at = user, timezone.now()
    question.save()
    _audit("tenders.question_answer", c, user, obj=question, summary={"topic": question.topic})
    return question


@transaction.atomic
def publish_clarification(commissioning, user, *, introduction="", now=None):
    """Publish all answered, unpublished questions as the next numbered clarifications document. Questions are
    numbered on from the previous document, grouped by topic, so later clarifications extend earlier ones."""
    now = now or timezone.now()
    c = _lock(commissioning)
    _ensure_open(c)
    pending = list(
        c.questions.select_for_update()
        .filter(clarification__isnull=True)
        .exclude(answer="")
        .order_by("topic", "asked_at", "pk")
    )
    if not pending:
        raise ValidationError(_("There are no answered questions to publish."))
    number = c.clarifications.count() + 1
    clarification = Clarification.objects.create(
        commissioning=c, number=number, introduction=introduction.strip(), published_at=now, published_by=user
    )
    next_number = (c.questions.aggregate(n=Max("number"))["n"] or 0) + 1
    for i, question in enumerate(pending):
        question.clarification, question.number = clarification, next_number + i
        question.save(update_fields=["clarification", "number"])
    _audit("tenders.clarify", c, user, obj=clarification, summary={"number": number, "questions": len(pending)})
    publication.commissioning_changed(
        c, "tenderUpdate", _("Clarifications %(n)s were published.") % {"n": number}, clarification=clarification
    )
    return clarification


@transaction.atomic
def add_info_session(commissioning, user, *, title, held_at, location="", summary=""):
    c = _lock(commissioning)
    _ensure_open(c)
    _aware(held_at, "held_at")
    if not title.strip():
        raise ValidationError({"title": _("Give the session a title.")})
    session = InfoSession.objects.create(
        commissioning=c, title=title.strip(), held_at=held_at, location=location, summary=summary
    )
    _audit("tenders.info_session", c, user, obj=session, summary={"title": session.title})
    return session


# --- selection stage: candidates (preselection and competitive dialogue) -----------------------------------------
SELECTION_ROUTES = (Route.PRESELECTION, Route.COMPETITIVE_DIALOGUE)
ADMITTED = Candidate.Status.ADMITTED


def _requests_deadline(c):
    return c.deadlines.filter(kind=Deadline.Kind.REQUESTS).first()


def applications_open(commissioning, now=None) -> bool:
    """Providers apply as candidates during the selection stage, until the deadline for requests to participate
    (server clock)."""
    now = now or timezone.now()
    if commissioning.route not in SELECTION_ROUTES or commissioning.phase != Phase.SELECTION:
        return False
    deadline = _requests_deadline(commissioning)
    return deadline is not None and now < deadline.at


@transaction.atomic
def apply_as_candidate(commissioning, user, *, organisation, consortium_name="", now=None):
    """A provider representative applies for an organisation they represent, alone or as the lead of a consortium."""
    now = now or timezone.now()
    c = _lock(commissioning)
    if not applications_open(c, now):
        raise ValidationError(_("Applications are closed: the deadline for requests to participate has passed."))
    if organisation.pk not in represented_organisation_ids(user):
        raise ValidationError({"organisation": _("Apply for an organisation you represent.")})
    if c.candidates.filter(organisation=organisation).exists():
        raise ValidationError({"organisation": _("This organisation has already applied.")})
    candidate = Candidate.objects.create(
        commissioning=c,
        organisation=organisation,
        consortium_name=consortium_name.strip(),
        applied_by=user,
        applied_at=now,
    )
    _audit(
        "tenders.candidate_apply",
        c,
        user,
        obj=candidate,
        summary={"organisation": organisation.name, "consortium": candidate.consortium_name},
    )
    return candidate


@transaction.atomic
def decide_candidate(candidate, user, *, admit: bool, reasons: str = "", score=None, now=None):
    """Score a candidate against the selection criteria and admit or reject it, after the deadline for requests
    (when every application is in, so all are judged alike). At most `max_candidates` are admitted; a rejection
    states its reasons (Aw 2.130). A decision can be revised until the selection stage ends."""
    now = now or timezone.now()
    c = _lock(candidate.commissioning)
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk, commissioning=c)
    if c.phase != Phase.SELECTION:
        raise ValidationError(_("Candidates are admitted or rejected during the selection stage."))
    deadline = _requests_deadline(c)
    if deadline is None or now < deadline.at:
        raise ValidationError(
            _("Candidates are assessed after the deadline for requests to participate, when every application is in.")
        )
    if score is not None and not 0 <= score <= 100:
        raise ValidationError({"score": _("A score is a whole number from 0 to 100.")})
    reasons = (reasons or "").strip()
    if not admit and not reasons:
        raise ValidationError({"reasons": _("Give the reasons for rejecting this candidate.")})
    if admit and c.max_candidates:
        admitted = c.candidates.filter(status=ADMITTED).exclude(pk=candidate.pk).count()
        if admitted >= c.max_candidates:
            raise ValidationError(
                _("At most %(n)s candidates are admitted; reject another candidate first.") % {"n": c.max_candidates}
            )
    before = {"status": candidate.status, "score": candidate.selection_score}
    candidate.status = ADMITTED if admit else Candidate.Status.REJECTED
    candidate.selection_score, candidate.reasons = score, reasons
    candidate.decided_at, candidate.decided_by = now, user
    candidate.save()
    _audit(
        "tenders.candidate_decide",
        c,
        user,
        obj=candidate,
        summary=diff(before, {"status": candidate.status, "score": candidate.selection_score}),
    )
    return candidate


# --- competitive dialogue -----------------------------------------------------------------------------------------
@transaction.atomic
def select_for_phase_2(commissioning, user, candidates):
    """Aw 2.30: reduce the number of participants; at most `max_dialogue_participants` of the admitted candidates
    go on to dialogue phase 2."""
    c = _lock(commissioning)
    if c.phase != Phase.DIALOGUE_SELECTION:
        raise ValidationError(_("Participants are selected for phase 2 after dialogue phase 1."))
    candidates = list(candidates)
    if not candidates:
        raise ValidationError(_("Select at least one participant."))
    ids = {p.pk for p in candidates}
    if c.candidates.filter(pk__in=ids, status=ADMITTED).count() != len(ids):
        raise ValidationError(_("Select admitted participants of this dialogue."))
    limit = c.max_dialogue_participants
    if limit and len(candidates) > limit:
        raise ValidationError(_("At most %(n)s participants go on to dialogue phase 2.") % {"n": limit})
    c.candidates.update(selected_for_phase_2=False)
    c.candidates.filter(pk__in=ids).update(selected_for_phase_2=True)
    _audit("tenders.dialogue_select", c, user, summary={"selected": sorted(p.name for p in candidates)})


@transaction.atomic
def record_dialogue_session(candidate, user, *, held_at, minutes):
    c = _lock(candidate.commissioning)
    candidate = Candidate.objects.get(pk=candidate.pk, commissioning=c)
    if c.phase not in (Phase.DIALOGUE_1, Phase.DIALOGUE_2):
        raise ValidationError(_("Dialogue sessions are held during a dialogue phase."))
    if candidate.status != ADMITTED:
        raise ValidationError(_("Only admitted candidates take part in the dialogue."))
    if c.phase == Phase.DIALOGUE_2 and not candidate.selected_for_phase_2:
        raise ValidationError(_("This participant was not selected for dialogue phase 2."))
    _aware(held_at, "held_at")
    if not minutes.strip():
        raise ValidationError({"minutes": _("Write the minutes.")})
    session = DialogueSession.objects.create(
        candidate=candidate, phase=c.phase, held_at=held_at, minutes=minutes.strip(), recorded_by=user
    )
    # Minutes are confidential between the municipality and the participant: not in the audit summary.
    _audit("tenders.dialogue_session", c, user, obj=session, summary={"participant": candidate.name})
    return session
