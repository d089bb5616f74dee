"""Key performance indicators per lot: what the contractor will report on, how it is measured, the target and how
often. Added and removed while the commissioning is a draft; published with the tender and frozen with it: after
publication only a rectification replaces a lot's KPIs (a material change, see services.rectification), and after the
submission deadline nothing changes them. The definitive award copies them onto the contract (contracts)."""

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext as _

from ..models import LotKPI
from ._common import _audit, _ensure_draft, _lock

MAX_TARGET = Decimal("9999999999.99")  # max_digits=12, decimal_places=2


def _clean_kpi(*, name, measurement, target_value, unit, frequency) -> dict:
    """The KPI's fields, stripped and checked; a ValidationError keyed by field otherwise."""
    errors = {}
    name, measurement, unit = (name or "").strip(), (measurement or "").strip(), (unit or "").strip()
    if not name:
        errors["name"] = _("Name the KPI.")
    elif len(name) > 255:
        errors["name"] = _("A KPI name has at most 255 characters.")
    if not measurement:
        errors["measurement"] = _("Describe how the KPI is measured.")
    if not unit:
        errors["unit"] = _("Give the unit of the target value, e.g. percent or participants.")
    elif len(unit) > 64:
        errors["unit"] = _("A unit has at most 64 characters.")
    try:
        target = Decimal(str(target_value)).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        target = None
    if target is None or not target.is_finite() or target < 0 or target > MAX_TARGET:
        errors["target_value"] = _("The target value is a number of at least 0.")
    if frequency not in LotKPI.Frequency.values:
        errors["frequency"] = _("Choose how often the contractor reports on this KPI.")
    if errors:
        raise ValidationError(errors)
    return {"name": name, "measurement": measurement, "target_value": target, "unit": unit, "frequency": frequency}


FIELDS = ("name", "measurement", "target_value", "unit", "frequency")


def _kpi_text(kpi) -> str:
    """One KPI (a LotKPI or _clean_kpi's dict) as published data, in the data's language: name, target, unit,
    frequency and how it is measured."""
    k = kpi if isinstance(kpi, dict) else {f: getattr(kpi, f) for f in FIELDS}
    with translation.override(settings.LANGUAGE_CODE):
        frequency = str(LotKPI.Frequency(k["frequency"]).label)
    return f"{k['name']}: {Decimal(k['target_value']).normalize():f} {k['unit']} ({frequency}; {k['measurement']})"


@transaction.atomic
def add_kpi(lot, user, *, name, measurement, target_value, unit, frequency) -> LotKPI:
    """Add a KPI to a lot of a draft commissioning; names are unique within the lot."""
    c = _lock(lot.commissioning)
    _ensure_draft(c)
    data = _clean_kpi(name=name, measurement=measurement, target_value=target_value, unit=unit, frequency=frequency)
    if LotKPI.objects.filter(lot=lot, name__iexact=data["name"]).exists():
        raise ValidationError({"name": _("This lot already has a KPI with this name.")})
    position = (LotKPI.objects.filter(lot=lot).aggregate(n=Max("position"))["n"] or 0) + 1
    kpi = LotKPI.objects.create(lot=lot, position=position, **data)
    _audit(
        "tenders.kpi_add",
        c,
        user,
        obj=kpi,
        summary={"lot": lot.number, "name": kpi.name, "target_value": kpi.target_value, "unit": kpi.unit},
    )
    return kpi


@transaction.atomic
def delete_kpi(kpi, user):
    c = _lock(kpi.lot.commissioning)
    _ensure_draft(c)
    _audit("tenders.kpi_delete", c, user, summary={"lot": kpi.lot.number, "name": kpi.name})
    kpi.delete()


def _replace_kpis(lot, kpis: list[dict]) -> tuple[list[str], list[str]]:
    """For a rectification (the caller locks and checks the phase): replace the lot's KPIs by `kpis` (each as
    _clean_kpi's arguments). Returns the before and after texts; unchanged when they are equal."""
    cleaned = [_clean_kpi(**k) for k in kpis]
    names = [k["name"].lower() for k in cleaned]
    if len(set(names)) != len(names):
        raise ValidationError({"kpis": _("Every KPI of a lot has its own name.")})
    current = list(LotKPI.objects.select_for_update().filter(lot=lot))
    before, after = [_kpi_text(k) for k in current], [_kpi_text(k) for k in cleaned]
    if before != after:
        LotKPI.objects.filter(lot=lot).delete()
        LotKPI.objects.bulk_create(LotKPI(lot=lot, position=i, **k) for i, k in enumerate(cleaned, start=1))
    return before, after
