"""The only write path of the landscape registry. Every function runs in a transaction, locks the row it changes,
validates it, and appends an audit event.

Natural keys (re-importing or re-loading the same data updates, never duplicates):
- District: CBS code.
- Organisation: KvK number within the municipality when known, else the exact name.
- Activity: (organisation, title).
- Funding: (organisation, activity, year, kind, source_name, description).

Imports (`import_records`) are audited differently from the single upserts: ONE event per import (action
"landscape.import", summary: file name, SHA-256 of the file, counts per record type), and nothing per row. A grant
register or a national-scale template has up to 100k rows; one chained event per row would flood the audit chain,
make `verify_audit` slow and hide the other events, while the file's hash identifies exactly what was imported (keep
the file to replay it). Imports validate every record against the registry first and then write everything in one
transaction with bulk inserts and updates (a fixed number of queries per batch, not per row): all or nothing.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import diff, record
from core.models import Municipality

from .imports.reading import ImportRefused, Problem
from .imports.records import ImportData, OrganisationRef, name_key
from .models import Activity, District, Funding, GrantColumnMapping, Organisation, TargetGroup

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
    _save_audited(
        activity,
        ACTIVITY_FIELDS,
        {**values, "title": title},
        action="landscape.activity",
        actor=actor,
        role=role,
        municipality=municipality,
    )
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
    return activity


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


# --- Imports -----------------------------------------------------------------------------------------------------

BATCH_SIZE = 1000
RECORD_TYPES = ("districts", "organisations", "activities", "fundings")


@dataclass
class _Plan:
    """The outcome of checking an import against the registry: what to create and update, or the problems."""

    problems: list = field(default_factory=list)
    counts: dict = field(default_factory=lambda: {t: {"create": 0, "update": 0, "unchanged": 0} for t in RECORD_TYPES})
    new: dict = field(default_factory=lambda: {t: [] for t in RECORD_TYPES})
    changed: dict = field(default_factory=lambda: {t: {} for t in RECORD_TYPES})  # id(obj) -> (obj, fields)
    m2m: list = field(default_factory=list)  # (activity, "districts"|"target_groups", codes)

    def count(self, kind, obj, created, changed_fields):
        if created:
            self.counts[kind]["create"] += 1
            self.new[kind].append(obj)
        elif changed_fields:
            self.counts[kind]["update"] += 1
            _, fields = self.changed[kind].setdefault(id(obj), (obj, set()))
            fields.update(changed_fields)
        else:
            self.counts[kind]["unchanged"] += 1


def _key(obj):
    """A dict key for a model instance that may not be saved yet."""
    return obj.pk if obj.pk is not None else ("new", id(obj))


def _apply_changes(obj, values: dict) -> list[str]:
    changed = [f for f, v in values.items() if getattr(obj, f) != v]
    for f in changed:
        setattr(obj, f, values[f])
    return changed


class _Resolver:
    """Matches import records to the registry with one query per model (prefetch), never one per row."""

    def __init__(self, municipality, data: ImportData):
        self.m = municipality
        self.data = data
        self.plan = _Plan()

    def problem(self, rec, message, column=""):
        self.plan.problems.append(Problem(message, sheet=rec.sheet, row=rec.row, column=column))

    def run(self) -> _Plan:
        self.districts()
        self.organisations()
        self.activities()
        self.fundings()
        return self.plan

    def districts(self):
        codes = [r.cbs_code for r in self.data.districts]
        existing = {d.cbs_code: d for d in District.objects.filter(cbs_code__in=codes)}
        prefix = "WK" + self.m.cbs_code[2:]
        for rec in self.data.districts:
            district = existing.get(rec.cbs_code)
            if not rec.cbs_code.startswith(prefix):
                self.data.failed.add(("district", rec.cbs_code))
                self.problem(
                    rec,
                    _("District code %(code)s does not belong to municipality %(m)s (it should start with %(p)s).")
                    % {"code": rec.cbs_code, "m": self.m.cbs_code, "p": prefix},
                    "Wijkcode",
                )
            elif district is not None and district.municipality_id != self.m.pk:
                self.data.failed.add(("district", rec.cbs_code))
                self.problem(rec, _("District %(code)s belongs to another municipality.") % {"code": rec.cbs_code})
            elif district is None:
                district = District(municipality=self.m, cbs_code=rec.cbs_code, name=rec.name)
                existing[rec.cbs_code] = district
                self.plan.count("districts", district, True, [])
            else:
                self.plan.count("districts", district, False, _apply_changes(district, {"name": rec.name}))
        self.district_by_code = {d.cbs_code: d for d in District.objects.filter(municipality=self.m)}
        self.district_by_code.update({d.cbs_code: d for d in self.plan.new["districts"]})

    def _index_organisations(self, orgs):
        self.org_by_kvk = {o.kvk_number: o for o in orgs if o.kvk_number}
        self.org_by_name = {name_key(o.name): o for o in orgs}

    def find_organisation(self, ref: OrganisationRef):
        if ref.kvk_number and ref.kvk_number in self.org_by_kvk:
            return self.org_by_kvk[ref.kvk_number]
        return self.org_by_name.get(name_key(ref.name)) if ref.name else None

    def organisations(self):
        orgs = list(Organisation.objects.filter(municipality=self.m))
        self._index_organisations(orgs)
        for rec in self.data.organisations:
            ref = rec.ref
            org = self.org_by_kvk.get(ref.kvk_number) if ref.kvk_number else None
            same_name = self.org_by_name.get(name_key(ref.name)) if ref.name else None
            if org is None and same_name is not None:
                if ref.kvk_number and same_name.kvk_number and same_name.kvk_number != ref.kvk_number:
                    self.problem(
                        rec,
                        _("The name %(name)s is already used by an organisation with KvK number %(kvk)s.")
                        % {"name": ref.name, "kvk": same_name.kvk_number},
                        "Naam",
                    )
                    self.data.fail_organisation(ref.kvk_number, ref.name)
                    continue
                org = same_name
            elif org is not None and same_name is not None and same_name is not org and "name" in rec.values:
                self.problem(
                    rec,
                    _("The name %(name)s is already used by another organisation in the registry.")
                    % {"name": ref.name},
                    "Naam",
                )
                continue
            if org is None:
                values = {**rec.create_values, **rec.values}
                if not values.get("kind") or not values.get("name"):
                    self.problem(rec, _("A new organisation needs a name and a kind."), "Soort")
                    self.data.fail_organisation(ref.kvk_number, ref.name)
                    continue
                org = Organisation(municipality=self.m, **values)
                orgs.append(org)
                self.org_by_name[name_key(org.name)] = org
                if org.kvk_number:
                    self.org_by_kvk[org.kvk_number] = org
                self.plan.count("organisations", org, True, [])
            else:
                self.plan.count("organisations", org, False, _apply_changes(org, rec.values))
        self._index_organisations(orgs)

    def activities(self):
        self.activity_by_key = {
            (a.organisation_id, a.title): a for a in Activity.objects.filter(organisation__municipality=self.m)
        }
        current = {"districts": {}, "target_groups": {}}
        district_codes = {d.pk: d.cbs_code for d in self.district_by_code.values() if d.pk}
        for activity_id, district_id in Activity.districts.through.objects.filter(
            activity__organisation__municipality=self.m
        ).values_list("activity_id", "district_id"):
            current["districts"].setdefault(activity_id, set()).add(district_codes.get(district_id))
        self.target_groups = {t.code: t for t in TargetGroup.objects.all()}
        group_codes = {t.pk: t.code for t in self.target_groups.values()}
        for activity_id, group_id in Activity.target_groups.through.objects.filter(
            activity__organisation__municipality=self.m
        ).values_list("activity_id", "targetgroup_id"):
            current["target_groups"].setdefault(activity_id, set()).add(group_codes[group_id])
        for rec in self.data.activities:
            org = self.find_organisation(rec.organisation)
            if org is None and self.data.organisation_failed(rec.organisation):
                self.data.fail_activity(rec.organisation, getattr(rec, "title", ""))
                continue
            if org is None:
                self.problem(
                    rec,
                    _("Organisation %(ref)s is neither in this file nor in the registry.") % {"ref": rec.organisation},
                    "Organisatie",
                )
                continue
            unknown = [
                c
                for c in rec.districts or []
                if c not in self.district_by_code and ("district", c) not in self.data.failed
            ]
            if len(unknown) < len([c for c in rec.districts or [] if c not in self.district_by_code]):
                self.data.fail_activity(rec.organisation, rec.title)
                continue
            if unknown:
                self.data.fail_activity(rec.organisation, rec.title)
                self.problem(
                    rec,
                    _("Unknown district codes for %(m)s: %(codes)s.")
                    % {"m": self.m.cbs_code, "codes": ", ".join(unknown)},
                    "Wijken",
                )
                continue
            key = (_key(org), rec.title)
            activity = self.activity_by_key.get(key)
            created = activity is None
            if created:
                activity = Activity(organisation=org, title=rec.title, **rec.values)
                self.activity_by_key[key] = activity
                changed = []
            else:
                changed = _apply_changes(activity, rec.values)
            for relation, codes in (("districts", rec.districts), ("target_groups", rec.target_groups)):
                if codes is not None:
                    before = set() if created else current[relation].get(activity.pk, set())
                    if set(codes) != before:
                        self.plan.m2m.append((activity, relation, sorted(set(codes))))
                        changed.append(relation)
            self.plan.count("activities", activity, created, changed)

    def fundings(self):
        existing = {}
        for f in Funding.objects.filter(municipality=self.m):
            existing[(f.organisation_id, f.activity_id, f.year, f.kind, f.source_name, f.description)] = f
        for rec in self.data.fundings:
            org = self.find_organisation(rec.organisation)
            if org is None and self.data.organisation_failed(rec.organisation):
                self.data.fail_activity(rec.organisation, getattr(rec, "title", ""))
                continue
            if org is None:
                self.problem(
                    rec,
                    _("Organisation %(ref)s is neither in this file nor in the registry.") % {"ref": rec.organisation},
                    "Organisatie",
                )
                continue
            activity = None
            if rec.activity_title:
                activity = self.activity_by_key.get((_key(org), rec.activity_title))
                if activity is None and self.data.activity_failed(rec.organisation, rec.activity_title):
                    continue
                if activity is None:
                    self.problem(
                        rec,
                        _("Organisation %(org)s has no activity %(title)s.")
                        % {"org": org.name, "title": rec.activity_title},
                        "Activiteit",
                    )
                    continue
            key = (
                _key(org),
                _key(activity) if activity else None,
                rec.year,
                rec.kind,
                rec.source_name,
                rec.description,
            )
            funding = existing.get(key)
            if funding is None:
                if rec.values.get("amount_granted") is None:
                    self.problem(rec, _("A new funding line needs the amount granted."), "Verleend bedrag")
                    continue
                funding = Funding(
                    municipality=self.m,
                    organisation=org,
                    activity=activity,
                    year=rec.year,
                    kind=rec.kind,
                    source_name=rec.source_name,
                    description=rec.description,
                    **rec.values,
                )
                existing[key] = funding
                self.plan.count("fundings", funding, True, [])
            else:
                self.plan.count("fundings", funding, False, _apply_changes(funding, rec.values))


def _batches(items, size=BATCH_SIZE):
    for start in range(0, len(items), size):
        yield items[start : start + size]


class _Writer:
    def __init__(self, plan: _Plan):
        self.plan = plan

    def write(self, model, kind):
        for batch in _batches(self.plan.new[kind]):
            # bulk_create points foreign keys at parents created moments ago (their pk is set by now).
            model.objects.bulk_create(batch)
        groups = {}
        for obj, fields in self.plan.changed[kind].values():
            db_fields = tuple(sorted(f for f in fields if f not in ("districts", "target_groups")))
            if db_fields:
                groups.setdefault(db_fields, []).append(obj)
        for fields, objs in groups.items():
            for batch in _batches(objs):
                model.objects.bulk_update(batch, list(fields))

    def write_relations(self, district_by_code, target_groups):
        lookups = {
            "districts": (Activity.districts.through, "district_id", district_by_code),
            "target_groups": (Activity.target_groups.through, "targetgroup_id", target_groups),
        }
        for relation, (through, column, by_code) in lookups.items():
            items = [(a, codes) for a, rel, codes in self.plan.m2m if rel == relation]
            for batch in _batches(items):
                ids = [a.pk for a, _codes in batch]
                through.objects.filter(activity_id__in=ids).delete()
                through.objects.bulk_create(
                    [through(activity_id=a.pk, **{column: by_code[c].pk}) for a, codes in batch for c in codes]
                )


def check_records(municipality, data: ImportData) -> list[Problem]:
    """The problems of matching `data` to the registry (read-only); used to report them together with the
    problems of reading the file."""
    return _Resolver(municipality, data).run().problems


def import_records(municipality, data: ImportData, *, actor=None, role="", source=None, dry_run=False) -> dict:
    """Check `data` against the registry and, unless `dry_run`, write it all in one transaction (or nothing).

    Raises ImportRefused listing every problem (with sheet and row). Returns the counts per record type
    ({"organisations": {"create": n, "update": n, "unchanged": n}, ...}). `source` (file name, SHA-256, format)
    goes into the single audit event. No progress is reported from inside: it would not be visible outside this
    transaction before it commits (see `landscape.imports.run.run_import`).
    """
    with transaction.atomic():
        # One import per municipality at a time: two imports racing to create the same organisation would collide.
        municipality = Municipality.objects.select_for_update().get(pk=municipality.pk)
        resolver = _Resolver(municipality, data)
        plan = resolver.run()
        if plan.problems:
            raise ImportRefused(plan.problems)
        if dry_run:
            return plan.counts
        writer = _Writer(plan)
        writer.write(District, "districts")
        writer.write(Organisation, "organisations")
        writer.write(Activity, "activities")
        writer.write_relations(resolver.district_by_code, resolver.target_groups)
        writer.write(Funding, "fundings")
        record(
            "landscape.import",
            actor=actor,
            role=role,
            municipality=municipality,
            summary={**(source or {}), "counts": plan.counts, **data.extra},
        )
    return plan.counts


def save_grant_mapping(municipality, *, columns: dict, amount: str, actor=None, role="") -> GrantColumnMapping:
    """Remember how a municipality's grant register maps to our fields, for its next import (the preview and
    `import_grants`). `columns` {header: field or ""} is merged into what was remembered (a header seen again takes
    the new choice); `amount` ("granted" or "settled") replaces the choice of the amount that counts."""
    from .imports.grants import FIELDS
    from .imports.reading import normalise_header

    if amount not in GrantColumnMapping.Amount.values:
        raise ValueError(f"unknown amount {amount!r}")
    cleaned = {normalise_header(h): f for h, f in columns.items() if normalise_header(h) and f in [*FIELDS, ""]}
    with transaction.atomic():
        mapping, created = GrantColumnMapping.objects.select_for_update().get_or_create(municipality=municipality)
        before = {"columns": dict(mapping.columns), "amount": mapping.amount}
        mapping.columns = {**mapping.columns, **cleaned}
        mapping.amount = amount
        after = {"columns": mapping.columns, "amount": mapping.amount}
        if before != after or created:
            mapping.save()
            record(
                "landscape.grant_mapping",
                actor=actor,
                role=role,
                municipality=municipality,
                obj=mapping,
                summary=diff(before, after),
            )
    return mapping
