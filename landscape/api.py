"""Public, read-only open data of the landscape registry (NL API Design Rules: /api/v1/, no trailing slashes).

Only registry facts, never personal data: no users, no provider representatives. Filter with
`?municipality=GM0546`; an unknown code is a field-level 400, not an empty list.
"""

from django.db.models import Count, Prefetch, Sum
from django.db.models.functions import Coalesce
from rest_framework import serializers, viewsets

from core.access import PublicReadOnly

from .filters import ActivityApiFilter, DistrictApiFilter, FundingApiFilter, OrganisationApiFilter
from .models import Activity, District, Funding, Neighbourhood, Organisation


def _municipality_code():
    return serializers.SlugRelatedField(
        slug_field="cbs_code", read_only=True, help_text="CBS code of the municipality, e.g. GM0546."
    )


class OrganisationSerializer(serializers.ModelSerializer):
    municipality = _municipality_code()

    class Meta:
        model = Organisation
        fields = [
            "id",
            "municipality",
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
        ]


class ActivitySerializer(serializers.ModelSerializer):
    municipality = serializers.CharField(
        source="organisation.municipality.cbs_code", read_only=True, help_text="CBS code of the municipality."
    )
    target_groups = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    districts = serializers.SlugRelatedField(
        slug_field="cbs_code", many=True, read_only=True, help_text="CBS codes of the districts served."
    )

    class Meta:
        model = Activity
        fields = [
            "id",
            "municipality",
            "organisation",
            "title",
            "description",
            "target_groups",
            "districts",
            "reach",
            "volunteer_hours",
            "since_year",
            "preventive",
        ]


class NeighbourhoodSerializer(serializers.ModelSerializer):
    class Meta:
        model = Neighbourhood
        fields = ["cbs_code", "name"]


class DistrictSerializer(serializers.ModelSerializer):
    municipality = _municipality_code()
    neighbourhoods = NeighbourhoodSerializer(many=True, read_only=True)
    organisation_count = serializers.IntegerField(read_only=True, help_text="Organisations active in the district.")
    activity_count = serializers.IntegerField(read_only=True, help_text="Activities serving the district.")
    reach = serializers.IntegerField(read_only=True, help_text="Participants per year of those activities.")

    class Meta:
        model = District
        fields = [
            "id",
            "municipality",
            "cbs_code",
            "name",
            "neighbourhoods",
            "organisation_count",
            "activity_count",
            "reach",
        ]


class FundingSerializer(serializers.ModelSerializer):
    municipality = _municipality_code()

    class Meta:
        model = Funding
        fields = [
            "id",
            "municipality",
            "organisation",
            "activity",
            "year",
            "kind",
            "source_name",
            "description",
            "policy_area",
            "periodic",
            "amount_requested",
            "amount_granted",
            "amount_settled",
            "conditional",
        ]


class PublicViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [PublicReadOnly]
    public_cache = True  # core.page_cache: anonymous responses are cached until the next write


class OrganisationViewSet(PublicViewSet):
    """Organisations in the social base (per municipality, like its grant register)."""

    serializer_class = OrganisationSerializer
    filterset_class = OrganisationApiFilter
    queryset = Organisation.objects.select_related("municipality").order_by("municipality__cbs_code", "name", "pk")


class ActivityViewSet(PublicViewSet):
    """Activities with their target groups, districts served, reach and volunteer hours."""

    serializer_class = ActivitySerializer
    filterset_class = ActivityApiFilter
    queryset = (
        Activity.objects.select_related("organisation__municipality")
        .prefetch_related(Prefetch("districts", queryset=District.objects.order_by("cbs_code")), "target_groups")
        .order_by("organisation__municipality__cbs_code", "title", "pk")
    )


class DistrictViewSet(PublicViewSet):
    """Districts (CBS codes) with their neighbourhoods and the organisations and activities active there."""

    serializer_class = DistrictSerializer
    filterset_class = DistrictApiFilter
    queryset = (
        District.objects.select_related("municipality")
        .prefetch_related("neighbourhoods")
        .annotate(
            activity_count=Count("activities", distinct=True),
            organisation_count=Count("activities__organisation", distinct=True),
            reach=Coalesce(Sum("activities__reach"), 0),
        )
        .order_by("cbs_code")
    )


class FundingViewSet(PublicViewSet):
    """Funding lines per year: municipal grants and external co-funding (`conditional`: pays only while the
    municipality pays too)."""

    serializer_class = FundingSerializer
    filterset_class = FundingApiFilter
    queryset = Funding.objects.select_related("municipality").order_by(
        "municipality__cbs_code", "-year", "organisation_id", "pk"
    )
