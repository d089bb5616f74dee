"""An import written all-or-nothing (one audit event for the whole file), and the remembered column mapping of a
municipality's grant register."""

from django.db import transaction

from audit.services import diff, record
from core.models import Municipality

from ..imports.reading import ImportRefused, Problem
from ..imports.records import ImportData
from ..models import Activity, District, Funding, GrantColumnMapping, Organisation
from .matching import _Plan, _Resolver

BATCH_SIZE = 1000


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
    from ..imports.grants import FIELDS
    from ..imports.reading import normalise_header

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
