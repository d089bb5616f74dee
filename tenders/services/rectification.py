"""Rectifications: the only way a published commissioning changes. Every change keeps its previous value; a material
change (criteria, budgets, a lot's scope, description, CPV codes or KPIs) extends every submission deadline still
ahead by the municipality's minimum (tenders.time_limits). Selection criteria are frozen at the requests deadline,
everything at the submission deadline."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import events, regime, rules, time_limits
from ..models import Anchor, Deadline, Rectification
from ._common import _audit, _aware, _check_budget, _ensure_open, _lock, _scope_ids
from .design import _cpv_errors
from .kpis import _replace_kpis

# Fields a rectification may change after publication (the route, term and category define the procedure itself).
RECTIFIABLE_FIELDS = ["title", "goals", "selection_criteria"]


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
    """A lot's budget (material: bids are written for it), its scope and description, and its KPIs (material: the
    contractor will be held to them; `kpis` is the lot's whole new list)."""
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
                _change(
                    target,
                    f"{target}:description",
                    name,
                    gettext_lazy("description"),
                    lot.description,
                    after,
                    material=True,
                )
            )
            lot.description = after
        changes += _rectify_lot_cpv(c, lot, new, target, name)
        lot.save()
        if "activities" in new or "districts" in new:
            _scope_ids(c, new.get("activities", ()), new.get("districts", ()))
        if "kpis" in new:
            before, after = _replace_kpis(lot, new["kpis"])
            if before != after:
                changes.append(
                    _change(
                        target,
                        f"{target}:kpis",
                        name,
                        gettext_lazy("KPIs"),
                        "; ".join(before) or "–",
                        "; ".join(after) or "–",
                        material=True,
                    )
                )
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
                        material=True,
                    )
                )
                getattr(lot, relation).set(after)
    return changes


def _codes(codes) -> str:
    return ", ".join(sorted(code.code for code in codes)) or "–"


def _rectify_lot_cpv(c, lot, new: dict, target: str, name: str) -> list[dict]:
    """A lot's main and additional CPV codes (material: they say what is bought, and the main code decides the
    regime, Directive 2014/24/EU art. 3(2) and Annex XIV). Without a main code of its own the lot keeps the
    commissioning's. Saved by the caller (the additional codes here, the main code with the lot)."""
    if "main_cpv" not in new and "additional_cpv" not in new:
        return []
    main = new.get("main_cpv", lot.main_cpv)
    before_additional = set(lot.additional_cpv.all())
    additional = set(new.get("additional_cpv", before_additional))
    if errors := _cpv_errors(main or c.main_cpv, additional):
        raise ValidationError(errors)
    changes = []
    if main != lot.main_cpv:
        own = _data_text(gettext_lazy("the commissioning's"))
        changes.append(
            _change(
                target,
                f"{target}:main_cpv",
                name,
                gettext_lazy("main CPV code"),
                lot.main_cpv.code if lot.main_cpv else f"{own} {c.main_cpv.code if c.main_cpv else '–'}",
                main.code if main else f"{own} {c.main_cpv.code if c.main_cpv else '–'}",
                material=True,
            )
        )
        lot.main_cpv = main
    if additional != before_additional:
        changes.append(
            _change(
                target,
                f"{target}:additional_cpv",
                name,
                gettext_lazy("additional CPV codes"),
                _codes(before_additional),
                _codes(additional),
                material=True,
            )
        )
        lot.additional_cpv.set(additional)
    return changes


def _regime_change(before, after) -> list[dict]:
    """The regime a change of the lots (CPV codes, budgets) leads to, as a published line of the rectification."""
    if before.regime == after.regime:
        return []
    labels = regime.REGIME_LABELS
    return [
        _change(
            "regime",
            "regime",
            None,
            gettext_lazy("regime"),
            _data_text(labels[before.regime]),
            _data_text(labels[after.regime]),
        )
    ]


def _rectify_criteria(c, criteria: dict) -> list[dict]:
    """Weights, anchors and knock-out minimums of the award criteria (material: they decide how bids are scored).
    The changed set must still pass the criteria guards (weights 100%, an anchor for every level, minimums on the
    scale)."""
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
        if "minimum_score" in new and new["minimum_score"] != criterion.minimum_score:
            changes.append(_rectify_minimum(c, criterion, target, new["minimum_score"]))
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


def _rectify_minimum(c, criterion, target, minimum) -> dict:
    """A knock-out minimum set, changed or removed: material, as it decides which bids are ranked at all."""
    minimum = None if minimum in (None, "") else int(minimum)
    has_subs = criterion.children.exists()
    if errors := rules.minimum_errors(criterion.title, minimum, c.scale, has_subs=has_subs, route=c.route):
        raise ValidationError({f"criterion_{criterion.pk}_minimum": errors})
    before, criterion.minimum_score = criterion.minimum_score, minimum
    criterion.save(update_fields=["minimum_score"])
    return _change(
        target,
        f"{target}:minimum_score",
        criterion.title,
        gettext_lazy("minimum score"),
        "–" if before is None else str(before),
        "–" if minimum is None else str(minimum),
        material=True,
    )


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


def _check_deadlines(c, before: dict, after: dict, material: bool, now):
    """After the change: a material change extends every submission deadline still ahead by the policy minimum;
    the minimum periods by regime (counted from the dispatch of the notice, tenders.regime.dispatch_moment) and the
    order of all deadlines still hold."""
    errors = time_limits.extension_errors(c, before, after, now) if material else {}
    if before != after:
        periods = time_limits.period_errors(c, regime.dispatch_moment(c, now), after)
        errors |= {k: v for k, v in periods.items() if k in after}
        errors |= time_limits.question_window_errors(c, after)
        if order := time_limits.order_errors(c.route, after):
            errors.setdefault(NON_FIELD_ERRORS, []).extend(order)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def rectify(commissioning, user, *, explanation, fields=None, lots=None, criteria=None, deadlines=None, now=None):
    """Publish a correction of a published commissioning: the only way it changes, until the submission deadline
    (selection criteria until the requests deadline). It may change the title, goals and selection criteria, the
    lots (budget, description, scope, CPV codes, KPIs), the award criteria (weights, anchors, minimum scores) and
    the deadlines. The rectification record keeps every previous value, shown next to the item as "changed by
    rectification N". A change of the lots that moves the procedure into another regime is published as a change of
    the regime too, and after the dispatch of the contract notice the rectification records that a corrigendum notice
    must be sent to TenderNed/TED (tenders.regime.corrigendum_required). Nothing is written when a guard fails."""
    now = now or timezone.now()
    c = _lock(commissioning)
    _ensure_open(c)
    if not explanation.strip():
        raise ValidationError({"explanation": _("Explain what is corrected and why.")})
    deadlines, fields = deadlines or {}, fields or {}
    changed_selection = "selection_criteria" in fields and fields["selection_criteria"] != c.selection_criteria
    if errors := time_limits.freeze_errors(c, now, selection_criteria_changed=changed_selection):
        raise ValidationError(errors)
    old_deadlines = {d.kind: d.at for d in c.deadlines.all()}
    regime_before = rules.check_threshold(c, regime.regime_date(c, now))
    changes = _rectify_fields(c, fields)
    changes += _rectify_lots(c, lots or {})
    corrigendum = False
    if lots:
        regime_after = rules.check_threshold(c, regime.regime_date(c, now))
        if errors := regime.regime_change_errors(c, regime_before, regime_after):
            raise ValidationError(errors)
        changes += _regime_change(regime_before, regime_after)
        corrigendum = regime.corrigendum_required(c, regime_before, regime_after)
    changes += _rectify_criteria(c, criteria or {})
    material = any(ch["material"] for ch in changes)
    changes += _rectify_deadlines(c, deadlines, now)
    _check_deadlines(c, old_deadlines, {**old_deadlines, **deadlines}, material, now)
    number = c.rectifications.count() + 1
    rectification = Rectification.objects.create(
        commissioning=c,
        number=number,
        explanation=explanation.strip(),
        changes=changes,
        published_at=now,
        published_by=user,
        corrigendum_required=corrigendum,
    )
    summary = {"number": number, "material": material, "changes": [ch["field"] for ch in changes]}
    _audit(
        "tenders.rectify",
        c,
        user,
        obj=rectification,
        summary=summary | ({"corrigendum_required": True} if corrigendum else {}),
    )
    events.send(
        events.RECTIFIED,
        c,
        user,
        message=_("Rectification %(n)s was published.") % {"n": number},
        rectification=rectification,
    )
    return rectification
