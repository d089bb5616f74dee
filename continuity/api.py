"""Scenarios as JSON (NL API Design Rules: /api/v1/scenarios, no trailing slashes).

Access: published scenarios are public; municipal roles of the municipality see all of its scenarios; a provider
representative sees, in any scenario of their municipality, only their own organisation's exposure.
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from core.models import Municipality

from . import selectors
from .models import Scenario


class ScenarioReadAccess(BasePermission):
    """Read-only; which scenarios and figures a user gets is decided per object by `selectors`."""

    declared = "public for published scenarios; municipal roles; provider representatives (own organisation)"

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS


# Realistic examples for the OpenAPI document (figures of the fictional Leiden demo).
_EXAMPLE_SCENARIO = {
    "id": 2,
    "municipality": "GM0546",
    "name": "Aanbesteding in 3 percelen",
    "kind": "tender",
    "description": "Drie percelen: Samen Opgroeien, Samen Meedoen en Basiskracht.",
    "published": True,
    "assumptions": {
        "base_year": 2025,
        "horizon_years": 10,
        "recommissioning_interval_years": 4,
        "winner_change_share": "50.00",
        "unassigned_outcome": "ends",
        "subcontracting_share": "0.00",
        "staff_takeover_share": "75.00",
        "start_delay_years": 0,
    },
    "computed": True,
    "impact_computed_at": "2026-11-30T14:05:33+01:00",
    "updated_at": "2026-11-30T14:05:33+01:00",
}
_EXAMPLE_BUNDLE = {
    **_EXAMPLE_SCENARIO,
    "id": 4,
    "name": "Een jaar om te bundelen",
    "kind": "bundle_year",
    "description": "Het alternatief van de Leidse organisaties: eerst een jaar om activiteiten te bundelen.",
    "assumptions": {
        **_EXAMPLE_SCENARIO["assumptions"],
        "recommissioning_interval_years": 0,
        "unassigned_outcome": "continues",
        "start_delay_years": 1,
    },
}
SCENARIO_LIST_EXAMPLE = OpenApiExample(
    "Published scenario of Leiden",
    summary="A published scenario of Leiden (GM0546)",
    value=_EXAMPLE_BUNDLE,
    response_only=True,
)
SCENARIO_EXAMPLE = OpenApiExample(
    "Tender in three lots", summary="A published, computed scenario", value=_EXAMPLE_SCENARIO, response_only=True
)
IMPACT_EXAMPLE = OpenApiExample(
    "Impact of a tender in three lots",
    summary="Computed impact (shortened: one organisation of 40)",
    value={
        "scenario": 2,
        "name": "Aanbesteding in 3 percelen",
        "base_year": 2025,
        "assumptions": {**_EXAMPLE_SCENARIO["assumptions"], "winner_change_share": 50.0},
        "totals": {
            "grant_before": 5048700.0,
            "funding_lost": 5048700.0,
            "co_funding_at_risk": 42500.0,
            "volunteers_affected": 2526.0,
            "volunteer_hours_affected": 381155.0,
            "staff_affected_fte": 198.4,
            "staff_taken_over_fte": 148.8,
            "relationship_years_lost": 844.0,
            "activities": 64.0,
            "activities_transferred": 64.0,
            "organisations_dropping_out": 40.0,
        },
        "fragmentation": {
            "funded_recipients_before": 40,
            "funded_recipients_after": 3,
            "hhi_before": 1682.85,
            "hhi_after": 4013.97,
            "coverage_gaps": 0,
        },
        "organisations": [
            {
                "id": 1,
                "name": "Stichting Kinderwerk Rijnoever",
                "kind": "volunteer_with_staff",
                "small": True,
                "relationship_years": 12.0,
                "grant_before": 58100.0,
                "funding_lost": 58100.0,
                "co_funding_at_risk": 13200.0,
                "volunteers_affected": 63.0,
                "staff_affected_fte": 5.2,
                "staff_taken_over_fte": 3.9,
            }
        ],
    },
    response_only=True,
)


class ScenarioSerializer(serializers.ModelSerializer):
    municipality = serializers.CharField(source="municipality.cbs_code")
    assumptions = serializers.SerializerMethodField()
    computed = serializers.SerializerMethodField()

    class Meta:
        model = Scenario
        fields = [
            "id",
            "municipality",
            "name",
            "kind",
            "description",
            "published",
            "assumptions",
            "computed",
            "impact_computed_at",
            "updated_at",
        ]

    def get_assumptions(self, obj) -> dict:
        return {k: (str(v) if not isinstance(v, int | str) else v) for k, v in obj.assumptions().items()}

    def get_computed(self, obj) -> bool:
        return bool(obj.impact)


def _readable(request, pk) -> Scenario:
    scenario = get_object_or_404(Scenario.objects.select_related("municipality"), pk=pk)
    if scenario.published or selectors.is_municipal_reader(request.user, scenario.municipality):
        return scenario
    raise NotFound


class ScenarioList(generics.ListAPIView):
    permission_classes = [ScenarioReadAccess]
    serializer_class = ScenarioSerializer

    @extend_schema(
        summary="Scenarios of a municipality",
        description="Published scenarios for everyone; all scenarios for the municipality's own staff.",
        parameters=[OpenApiParameter("municipality", str, required=True, description="CBS code, e.g. GM0546")],
        examples=[SCENARIO_LIST_EXAMPLE],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Scenario.objects.none()
        code = self.request.query_params.get("municipality")
        if not code:
            raise ValidationError({"municipality": ["Geef een gemeente op met haar CBS-code, bijvoorbeeld GM0546."]})
        municipality = Municipality.objects.filter(cbs_code=code).first()
        if municipality is None:
            raise ValidationError({"municipality": [f"Onbekende gemeente: {code}."]})
        return selectors.visible_scenarios(self.request.user, municipality).select_related("municipality")


class ScenarioDetail(generics.RetrieveAPIView):
    permission_classes = [ScenarioReadAccess]
    serializer_class = ScenarioSerializer

    @extend_schema(summary="One scenario", examples=[SCENARIO_EXAMPLE])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_object(self):
        return _readable(self.request, self.kwargs["pk"])


class ScenarioImpact(APIView):
    permission_classes = [ScenarioReadAccess]

    @extend_schema(
        summary="Computed impact of a scenario",
        description="Totals, fragmentation and the figures per organisation; a provider representative gets only "
        "the exposure of the organisations they represent.",
        responses={200: OpenApiTypes.OBJECT},
        examples=[IMPACT_EXAMPLE],
    )
    def get(self, request, pk):
        scenario = get_object_or_404(Scenario.objects.select_related("municipality"), pk=pk)
        if scenario.published or selectors.is_municipal_reader(request.user, scenario.municipality):
            if not scenario.impact:
                raise NotFound("De effecten van dit scenario zijn nog niet berekend.")
            return Response({"scenario": scenario.pk, "name": scenario.name, **scenario.impact})
        own = selectors.represented_in(request.user, scenario.municipality)
        if own:
            return Response({"scenario": scenario.pk, **selectors.exposure(scenario, own)})
        raise NotFound
