"""Read-side queries of the landscape registry (aggregates computed in the database, not in Python loops)."""

from decimal import Decimal

from django.db.models import Count, Max, Q, Sum

from .models import Activity, District, Funding, Organisation


def latest_year(municipality) -> int | None:
    return Funding.objects.filter(municipality=municipality).aggregate(y=Max("year"))["y"]


def totals(municipality, year: int | None = None) -> dict:
    year = year or latest_year(municipality)
    orgs = Organisation.objects.filter(municipality=municipality).aggregate(
        organisations=Count("id"), volunteers=Sum("volunteers"), paid_staff_fte=Sum("paid_staff_fte")
    )
    activities = Activity.objects.filter(organisation__municipality=municipality).aggregate(
        activities=Count("id"), reach=Sum("reach"), volunteer_hours=Sum("volunteer_hours")
    )
    money = Funding.objects.filter(municipality=municipality, year=year).aggregate(
        grants=Sum("amount_granted", filter=Q(kind=Funding.Kind.MUNICIPAL_GRANT)),
        co_funding=Sum("amount_granted", filter=Q(kind=Funding.Kind.EXTERNAL)),
        conditional_co_funding=Sum("amount_granted", filter=Q(kind=Funding.Kind.EXTERNAL, conditional=True)),
    )
    result = {"year": year, **orgs, **activities, **money}
    for key in ("volunteers", "reach", "volunteer_hours"):
        result[key] = result[key] or 0
    for key in ("paid_staff_fte", "grants", "co_funding", "conditional_co_funding"):
        result[key] = result[key] or Decimal("0")
    return result


def per_district(municipality) -> list[District]:
    """Districts with the number of activities and organisations active there and their reach."""
    return list(
        District.objects.filter(municipality=municipality)
        .annotate(
            activity_count=Count("activities", distinct=True),
            organisation_count=Count("activities__organisation", distinct=True),
            reach=Sum("activities__reach"),
        )
        .order_by("cbs_code")
    )
