"""Read-side queries of the landscape registry (aggregates computed in the database, not in Python loops)."""

from decimal import Decimal

from django.db.models import Count, DecimalField, Max, OuterRef, Prefetch, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import Activity, District, Funding, Organisation, TargetGroup

ZERO = Decimal("0")
GRANT = Q(kind=Funding.Kind.MUNICIPAL_GRANT)
EXTERNAL = Q(kind=Funding.Kind.EXTERNAL)
CONDITIONAL = Q(kind=Funding.Kind.EXTERNAL, conditional=True)


def latest_year(municipality) -> int | None:
    return Funding.objects.filter(municipality=municipality).aggregate(y=Max("year"))["y"]


def funding_years(municipality) -> list[int]:
    """Years with any funding line in `municipality`, newest first."""
    return list(
        Funding.objects.filter(municipality=municipality).order_by("-year").values_list("year", flat=True).distinct()
    )


def _money_sums() -> dict:
    """Sum of granted amounts split into municipal grant, external co-funding and its conditional part."""
    return {
        "grants": Coalesce(Sum("amount_granted", filter=GRANT), Value(ZERO)),
        "co_funding": Coalesce(Sum("amount_granted", filter=EXTERNAL), Value(ZERO)),
        "conditional_co_funding": Coalesce(Sum("amount_granted", filter=CONDITIONAL), Value(ZERO)),
    }


def totals(municipality, year: int | None = None) -> dict:
    year = year or latest_year(municipality)
    orgs = Organisation.objects.filter(municipality=municipality).aggregate(
        organisations=Count("id"),
        volunteers=Coalesce(Sum("volunteers"), 0),
        paid_staff_fte=Coalesce(Sum("paid_staff_fte"), Value(ZERO)),
    )
    activities = Activity.objects.filter(organisation__municipality=municipality).aggregate(
        activities=Count("id"),
        reach=Coalesce(Sum("reach"), 0),
        volunteer_hours=Coalesce(Sum("volunteer_hours"), 0),
        preventive_activities=Count("id", filter=Q(preventive=True)),
    )
    money = Funding.objects.filter(municipality=municipality, year=year).aggregate(**_money_sums())
    return {"year": year, **orgs, **activities, **money}


def per_district(municipality) -> list[District]:
    """Districts with the organisations and activities active there, their reach, volunteer hours and the number of
    preventive activities. An activity serving several districts counts fully in each of them."""
    return list(
        District.objects.filter(municipality=municipality)
        .annotate(
            activity_count=Count("activities", distinct=True),
            organisation_count=Count("activities__organisation", distinct=True),
            reach=Coalesce(Sum("activities__reach"), 0),
            volunteer_hours=Coalesce(Sum("activities__volunteer_hours"), 0),
            preventive_count=Count("activities", filter=Q(activities__preventive=True), distinct=True),
        )
        .order_by("cbs_code")
    )


def target_group_coverage(municipality, districts: list[District]) -> tuple[list[TargetGroup], list[dict]]:
    """Per district and target group: how many activities reach that group there (0 = a gap).

    Returns the target groups (columns) and one row per district: {"district": d, "counts": [n per target group]}.
    One grouped query; Python only arranges the result into a table.
    """
    groups = list(TargetGroup.objects.all())
    Through = Activity.districts.through
    counts = {
        (row["district_id"], row["activity__target_groups"]): row["n"]
        for row in Through.objects.filter(district__municipality=municipality, activity__target_groups__isnull=False)
        .values("district_id", "activity__target_groups")
        .annotate(n=Count("activity_id"))
    }
    rows = [{"district": d, "counts": [counts.get((d.pk, g.pk), 0) for g in groups]} for d in districts]
    return groups, rows


def _grant_in_year(year):
    """Subquery: the municipal grant an organisation received in `year` (0 when none)."""
    sums = (
        Funding.objects.filter(GRANT, organisation=OuterRef("pk"), year=year)
        .values("organisation")
        .annotate(total=Sum("amount_granted"))
        .values("total")
    )
    return Coalesce(Subquery(sums, output_field=DecimalField(max_digits=14, decimal_places=2)), Value(ZERO))


def organisations(municipality, year: int | None = None):
    """Organisations of `municipality` with their number of activities, reach, and municipal grant in `year`."""
    return (
        Organisation.objects.filter(municipality=municipality)
        .annotate(
            activity_count=Count("activities", distinct=True),
            reach=Coalesce(Sum("activities__reach"), 0),
            grant=_grant_in_year(year),
        )
        .order_by("name", "pk")
    )


def activities(municipality):
    return (
        Activity.objects.filter(organisation__municipality=municipality)
        .select_related("organisation")
        .prefetch_related(
            Prefetch("districts", queryset=District.objects.order_by("cbs_code")),
            "target_groups",
        )
        .order_by("title", "pk")
    )


def organisation_profile(organisation, today=None) -> dict:
    """What council members should see about one organisation: reach, districts, activities, funding history."""
    today = today or timezone.localdate()
    acts = activities(organisation.municipality_id).filter(organisation=organisation)
    reach = acts.aggregate(
        reach=Coalesce(Sum("reach"), 0),
        volunteer_hours=Coalesce(Sum("volunteer_hours"), 0),
    )
    history = list(
        Funding.objects.filter(organisation=organisation).values("year").annotate(**_money_sums()).order_by("-year")
    )
    first = organisation.first_funded_year
    return {
        **reach,
        "activities": list(acts),
        "districts": list(District.objects.filter(activities__organisation=organisation).distinct().order_by("name")),
        "funding_history": history,
        "funding_lines": list(
            Funding.objects.filter(organisation=organisation).select_related("activity").order_by("-year", "kind", "pk")
        ),
        # Counted inclusively: first funded in 2024, seen in 2026 → 2024, 2025, 2026 = 3 years.
        "years_funded": today.year - first + 1 if first and first <= today.year else None,
    }


def grants_per_activity(municipalities, year, activities) -> dict[int, Decimal]:
    """The one attribution of municipal grant money to activities, used by the tenders' lot scope table and by the
    continuity analysis (docs/continuity.md, "One money model").

    `activities`: objects with `pk` and `organisation_id` (or (activity id, organisation id) pairs) — all activities
    of the organisations concerned. A grant line of `year` naming an activity counts for that activity; a line for
    the organisation as a whole is shared equally by the organisation's activities, each share rounded to the cent.
    """
    pairs = [(a.pk, a.organisation_id) if hasattr(a, "pk") else (int(a[0]), int(a[1])) for a in activities]
    if year is None or not pairs:
        return {pk: ZERO for pk, _org in pairs}
    lines = Funding.objects.filter(municipality__in=municipalities, year=year, kind=Funding.Kind.MUNICIPAL_GRANT)
    per_activity = dict(
        lines.filter(activity__isnull=False)
        .values("activity")
        .annotate(t=Sum("amount_granted"))
        .values_list("activity", "t")
    )
    per_organisation = dict(
        lines.filter(activity__isnull=True)
        .values("organisation")
        .annotate(t=Sum("amount_granted"))
        .values_list("organisation", "t")
    )
    count: dict[int, int] = {}
    for _pk, org in pairs:
        count[org] = count.get(org, 0) + 1
    return {
        pk: per_activity.get(pk, ZERO) + (per_organisation.get(org, ZERO) / count[org]).quantize(Decimal("0.01"))
        for pk, org in pairs
    }
