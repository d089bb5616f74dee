"""Districts, organisations, activities and fundings one at a time, each on its natural key (see the package
docstring): the upserts of the demo, the factories and the UI. One audit event per record that changed."""

from django.db import transaction

from audit.services import diff, record

from ..models import Activity, District, Funding, Organisation, TargetGroup

ORGANISATION_FIELDS = [
    "name",
    "kvk_number",
    "legal_form",
    "kind",
    "paid_staff_fte",
    "volunteers",
    "own_income_share",
    "first_funded_year",
    "website",
    "description",
    "needs_review",
]
ACTIVITY_FIELDS = ["title", "description", "reach", "volunteer_hours", "since_year", "preventive"]
FUNDING_FIELDS = [
    "amount_requested",
    "amount_granted",
    "amount_settled",
    "policy_area",
    "periodic",
    "conditional",
]


def _snapshot(obj, fields) -> dict:
    return {f: getattr(obj, f) for f in fields}


def _apply(obj, fields, values: dict) -> None:
    for f in fields:
        if f in values:
            setattr(obj, f, values[f])


def _save_audited(obj, fields, values, *, action, actor, role, municipality) -> bool:
    """Apply `values`, validate and save; record an audit event when something changed. Returns `created`."""
    created = obj.pk is None
    before = {} if created else _snapshot(obj, fields)
    _apply(obj, fields, values)
    obj.full_clean(validate_unique=False)
    after = _snapshot(obj, fields)
    if created or before != after:
        obj.save()
        record(
            f"{action}.{'create' if created else 'update'}",
            actor=actor,
            role=role,
            municipality=municipality,
            obj=obj,
            summary=diff(before, after),
        )
    return created


@transaction.atomic
def upsert_district(municipality, *, cbs_code: str, name: str, actor=None, role="") -> District:
    district = District.objects.select_for_update().filter(cbs_code=cbs_code).first()
    if district is None:
        district = District(municipality=municipality, cbs_code=cbs_code)
    elif district.municipality_id != municipality.pk:
        raise ValueError(f"district {cbs_code} belongs to another municipality")
    _save_audited(
        district,
        ["cbs_code", "name"],
        {"name": name},
        action="landscape.district",
        actor=actor,
        role=role,
        municipality=municipality,
    )
    return district


def find_organisation(municipality, *, kvk_number: str = "", name: str = "", lock: bool = False):
    qs = Organisation.objects.filter(municipality=municipality)
    if lock:
        qs = qs.select_for_update()
    if kvk_number:
        found = qs.filter(kvk_number=kvk_number).first()
        if found:
            return found
    return qs.filter(name=name).first() if name else None


@transaction.atomic
def upsert_organisation(municipality, *, actor=None, role="", **values) -> Organisation:
    """Create or update an organisation; `values` are Organisation fields (name and kind required for a new one)."""
    unknown = set(values) - set(ORGANISATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown organisation fields: {sorted(unknown)}")
    org = find_organisation(
        municipality, kvk_number=values.get("kvk_number", ""), name=values.get("name", ""), lock=True
    ) or Organisation(municipality=municipality)
    _save_audited(
        org,
        ORGANISATION_FIELDS,
        values,
        action="landscape.organisation",
        actor=actor,
        role=role,
        municipality=municipality,
    )
    return org


@transaction.atomic
def upsert_activity(
    organisation, *, title: str, districts=None, target_groups=None, actor=None, role="", **values
) -> Activity:
    """Create or update an activity. `districts` are CBS codes or District objects of the organisation's
    municipality; `target_groups` are TargetGroup codes or objects. None leaves them unchanged."""
    municipality = organisation.municipality
    activity = Activity.objects.select_for_update().filter(organisation=organisation, title=title).first() or Activity(
        organisation=organisation
    )
    created = _save_audited(
        activity,
        ACTIVITY_FIELDS,
        {**values, "title": title},
        action="landscape.activity",
        actor=actor,
        role=role,
        municipality=municipality,
    )
    scope_before = {} if created else _scope(activity)
    if districts is not None:
        codes = [d if isinstance(d, str) else d.cbs_code for d in districts]
        found = list(District.objects.filter(municipality=municipality, cbs_code__in=codes))
        missing = sorted(set(codes) - {d.cbs_code for d in found})
        if missing:
            raise ValueError(f"unknown districts for {municipality.cbs_code}: {', '.join(missing)}")
        activity.districts.set(found)
    if target_groups is not None:
        codes = [t if isinstance(t, str) else t.code for t in target_groups]
        found = list(TargetGroup.objects.filter(code__in=codes))
        missing = sorted(set(codes) - {t.code for t in found})
        if missing:
            raise ValueError(f"unknown target groups: {', '.join(missing)}")
        activity.target_groups.set(found)
    if not created and (scope_after := _scope(activity)) != scope_before:
        # Districts and target groups alone changed: audited like any other change of the activity.
        record(
            "landscape.activity.update",
            actor=actor,
            role=role,
            municipality=municipality,
            obj=activity,
            summary=diff(scope_before, scope_after),
        )
    return activity


def _scope(activity) -> dict:
    return {
        "districts": sorted(activity.districts.values_list("cbs_code", flat=True)),
        "target_groups": sorted(activity.target_groups.values_list("code", flat=True)),
    }


@transaction.atomic
def upsert_funding(
    organisation,
    *,
    year: int,
    kind: str,
    source_name: str,
    activity=None,
    description: str = "",
    actor=None,
    role="",
    **values,
) -> Funding:
    municipality = organisation.municipality
    funding = Funding.objects.select_for_update().filter(
        organisation=organisation,
        activity=activity,
        year=year,
        kind=kind,
        source_name=source_name,
        description=description,
    ).first() or Funding(
        municipality=municipality,
        organisation=organisation,
        activity=activity,
        year=year,
        kind=kind,
        source_name=source_name,
        description=description,
    )
    _save_audited(
        funding,
        ["year", "kind", "source_name", "description", *FUNDING_FIELDS],
        values,
        action="landscape.funding",
        actor=actor,
        role=role,
        municipality=municipality,
    )
    return funding
