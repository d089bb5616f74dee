"""A synthetic national-scale landscape for benchmarks (`manage.py generate_landscape`).

Reproducible: every figure comes from a random generator seeded by (seed, municipality code), so the same seed
gives the same landscape, and a municipality's data does not depend on how many others are generated.
Fast: rows are built as plain values and written in one transaction (COPY on PostgreSQL, bulk_create elsewhere),
with one audit event for the whole run (not one per row as landscape.services does for real data).

Synthetic municipalities get the codes GM8001… (GM8000 + n): real CBS municipality codes stay below GM2000 and the
test factories use GM9000…, so they never clash with the demo (GM0546, GM0392) or real data.
"""

import random
from collections.abc import Callable
from decimal import Decimal

from django.db import connection, transaction

from audit.services import record
from core.services import ensure_municipalities

from .models import Activity, District, Funding, Organisation, TargetGroup

CODE_BASE = 8000
MAX_MUNICIPALITIES = 999
YEARS = range(2021, 2026)
BATCH_SIZE = 1000

PREFIXES = ["Stichting", "Vereniging", "Buurtcollectief", "Wijkcoöperatie", "Steunpunt", "Huis van de Buurt"]
WORDS = ["Samen", "Noorderlicht", "De Brug", "Buurtkracht", "Het Anker", "De Linde", "Meedoen", "De Kring", "Horizon"]
ACTIVITY_TITLES = [
    "Ontmoetingsochtend",
    "Huiswerkbegeleiding",
    "Spreekuur geldzorgen",
    "Maaltijd in de buurt",
    "Mantelzorgondersteuning",
    "Taalmaatjes",
    "Tienerwerk",
    "Repair café",
    "Klussendienst",
    "Bewegen voor ouderen",
]
FUNDS = ["Fonds DOEN", "VSBfonds", "Oranje Fonds", "Kansfonds", "Lokaal fonds"]
KINDS = [  # (kind, weight, FTE range, volunteers range, yearly grant range in euros)
    (Organisation.Kind.LARGE_WELFARE, 2, (15, 60), (100, 400), (300_000, 1_500_000)),
    (Organisation.Kind.VOLUNTEER_WITH_STAFF, 25, (1, 8), (20, 150), (30_000, 200_000)),
    (Organisation.Kind.VOLUNTEER_ONLY, 45, (0, 0), (5, 60), (1_000, 25_000)),
    (Organisation.Kind.SOCIAL_ENTERPRISE, 13, (2, 12), (5, 40), (10_000, 90_000)),
    (Organisation.Kind.SELF_ORGANISATION, 15, (0, 1), (5, 35), (1_000, 20_000)),
]


class SyntheticDataExists(Exception):
    pass


def municipality_code(n: int) -> str:
    return f"GM{CODE_BASE + n:04d}"


def _money(value: float) -> Decimal:
    return Decimal(int(round(value / 100)) * 100)


def _copy_supported() -> bool:
    return connection.vendor == "postgresql"


def _insert(model, rows: list[dict], *, returning_ids: bool = False) -> list[int] | None:
    """Write `rows` ({field attname: value}; the others take their default) and return their ids if asked.

    PostgreSQL: COPY, with ids taken from the table's sequence beforehand; other databases: bulk_create. Measured
    in docs/benchmarks.md: COPY writes the national landscape several times faster than bulk_create, whose time
    goes to building model instances and compiling the INSERTs rather than to the database.
    """
    if not rows:
        return [] if returning_ids else None
    if not _copy_supported():
        objs = model.objects.bulk_create([model(**row) for row in rows], batch_size=BATCH_SIZE)
        return [obj.pk for obj in objs] if returning_ids else None
    table, pk = model._meta.db_table, model._meta.pk
    fields = [f for f in model._meta.concrete_fields if f is not pk]
    defaults = {f.attname: f.get_default() for f in fields}
    ids = None
    with connection.cursor() as cursor:
        if returning_ids:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk.column, len(rows)],
            )
            ids = [row[0] for row in cursor.fetchall()]
        columns = ([pk] if returning_ids else []) + fields
        names = ", ".join(connection.ops.quote_name(f.column) for f in columns)
        with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({names}) FROM STDIN") as copy:
            for i, row in enumerate(rows):
                values = [row.get(f.attname, defaults[f.attname]) for f in fields]
                copy.write_row([ids[i], *values] if returning_ids else values)
    return ids


def _generate_municipality(m, seed: int, target_group_ids: list[int]) -> dict:
    rng = random.Random(f"{seed}:{m.cbs_code}")
    number = int(m.cbs_code[2:]) - CODE_BASE
    districts = [
        {"municipality_id": m.pk, "cbs_code": f"WK{m.cbs_code[2:]}{d:02d}", "name": f"Wijk {d:02d}"}
        for d in range(rng.randint(3, 12))
    ]
    district_ids = _insert(District, districts, returning_ids=True)
    weights = [k[1] for k in KINDS]
    n_orgs = min(1500, max(8, int(66 * rng.lognormvariate(0, 0.75))))
    orgs, profiles = [], []
    for k in range(n_orgs):
        kind, _w, fte, volunteers, grant = rng.choices(KINDS, weights)[0]
        orgs.append(
            {
                "municipality_id": m.pk,
                "name": f"{rng.choice(PREFIXES)} {rng.choice(WORDS)} {number}-{k + 1}",
                "kind": kind.value,
                "paid_staff_fte": Decimal(str(round(rng.uniform(*fte), 1))),
                "volunteers": rng.randint(*volunteers),
                "own_income_share": Decimal(rng.randint(0, 60)),
                "first_funded_year": rng.randint(1990, 2023),
            }
        )
        profiles.append(grant)
    org_ids = _insert(Organisation, orgs, returning_ids=True)

    activities, served, groups = [], [], []
    for org, org_id in zip(orgs, org_ids, strict=True):
        for j in range(rng.randint(3, 17)):
            activities.append(
                {
                    "organisation_id": org_id,
                    "title": f"{rng.choice(ACTIVITY_TITLES)} {j + 1}",
                    "reach": rng.randint(10, 600),
                    "volunteer_hours": rng.randint(0, 3000),
                    "since_year": rng.randint(max(org["first_funded_year"], 2000), 2025),
                    "preventive": rng.random() < 0.7,
                }
            )
            served.append(rng.sample(district_ids, rng.randint(1, min(2, len(district_ids)))))
            groups.append(rng.sample(target_group_ids, rng.randint(1, 2)))
    activity_ids = _insert(Activity, activities, returning_ids=True)
    _insert(
        Activity.districts.through,
        [{"activity_id": a, "district_id": d} for a, ds in zip(activity_ids, served, strict=True) for d in ds],
    )
    _insert(
        Activity.target_groups.through,
        [{"activity_id": a, "targetgroup_id": t} for a, ts in zip(activity_ids, groups, strict=True) for t in ts],
    )

    fundings = []
    for org, org_id, grant_range in zip(orgs, org_ids, profiles, strict=True):
        grant = rng.uniform(*grant_range)
        fund = rng.choice(FUNDS) if rng.random() < 0.35 else None
        conditional = rng.random() < 0.6
        for year in YEARS:
            if year < org["first_funded_year"]:
                continue
            granted = _money(grant * (1 + 0.02 * (year - YEARS.start)))
            line = {"municipality_id": m.pk, "organisation_id": org_id, "year": year}
            fundings.append(
                {
                    **line,
                    "kind": Funding.Kind.MUNICIPAL_GRANT.value,
                    "source_name": "Subsidieregeling sociale basis",
                    "amount_requested": _money(float(granted) * rng.uniform(1.0, 1.2)),
                    "amount_granted": granted,
                    "amount_settled": None if year == YEARS[-1] else _money(float(granted) * rng.uniform(0.9, 1.0)),
                    "periodic": True,
                }
            )
            if fund:
                fundings.append(
                    {
                        **line,
                        "kind": Funding.Kind.EXTERNAL.value,
                        "source_name": fund,
                        "amount_granted": _money(float(granted) * rng.uniform(0.1, 0.6)),
                        "conditional": conditional,
                    }
                )
    _insert(Funding, fundings)
    return {
        "districts": len(districts),
        "organisations": len(orgs),
        "activities": len(activities),
        "fundings": len(fundings),
    }


def delete_synthetic(codes: list[str]) -> None:
    """Remove the landscape of the given (synthetic) municipalities, so that a run can start afresh."""
    Funding.objects.filter(municipality__cbs_code__in=codes).delete()
    Organisation.objects.filter(municipality__cbs_code__in=codes).delete()
    District.objects.filter(municipality__cbs_code__in=codes).delete()


@transaction.atomic
def generate(
    municipalities: int,
    seed: int,
    *,
    replace: bool = False,
    actor=None,
    progress: Callable[[int, int, dict], None] | None = None,
) -> dict:
    """Generate the landscape of `municipalities` synthetic municipalities; returns the row counts."""
    if not 1 <= municipalities <= MAX_MUNICIPALITIES:
        raise ValueError(f"between 1 and {MAX_MUNICIPALITIES} municipalities")
    codes = [municipality_code(n) for n in range(1, municipalities + 1)]
    if (
        Organisation.objects.filter(municipality__cbs_code__in=codes).exists()
        or District.objects.filter(municipality__cbs_code__in=codes).exists()
    ):
        if not replace:
            raise SyntheticDataExists(", ".join(codes[:3]) + ("…" if len(codes) > 3 else ""))
        delete_synthetic(codes)
    by_code = ensure_municipalities([(code, f"Synthetische gemeente {code[2:]}") for code in codes])
    target_group_ids = list(TargetGroup.objects.order_by("code").values_list("pk", flat=True))
    totals = {"municipalities": municipalities, "districts": 0, "organisations": 0, "activities": 0, "fundings": 0}
    for i, code in enumerate(codes, start=1):
        counts = _generate_municipality(by_code[code], seed, target_group_ids)
        for key, value in counts.items():
            totals[key] += value
        if progress:
            progress(i, municipalities, totals)
    record("landscape.generate_synthetic", actor=actor, summary={"seed": seed, **totals})
    transaction.on_commit(_analyze)
    return totals


def _analyze() -> None:
    """Refresh PostgreSQL's planner statistics after the bulk load, as autovacuum would do some minutes later.
    Measured (docs/benchmarks.md): without them the landscape overview's queries take about five times as long."""
    if connection.vendor == "postgresql":
        tables = [m._meta.db_table for m in (District, Organisation, Activity, Funding)]
        tables += [Activity.districts.through._meta.db_table, Activity.target_groups.through._meta.db_table]
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))
