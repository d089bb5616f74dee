"""An import checked against the registry, read-only: which records create, update or leave unchanged a district,
organisation, activity or funding, or the problems (with sheet, row and column) that refuse the import."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ..imports.reading import Problem
from ..imports.records import ImportData, OrganisationRef, name_key
from ..models import Activity, District, Funding, Organisation, TargetGroup

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

    def organisation_of(self, rec):
        """The organisation an activity or funding record names, or None: then the record is left out, with a
        problem unless its organisation already failed (that problem was reported)."""
        org = self.find_organisation(rec.organisation)
        if org is None and self.data.organisation_failed(rec.organisation):
            self.data.fail_activity(rec.organisation, getattr(rec, "title", ""))
        elif org is None:
            self.problem(
                rec,
                _("Organisation %(ref)s is neither in this file nor in the registry.") % {"ref": rec.organisation},
                "Organisatie",
            )
        return org

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
            org = self.organisation_of(rec)
            if org is None:
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
            org = self.organisation_of(rec)
            if org is None:
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
