"""Scenarios as JSON (NL API Design Rules: /api/v1/scenarios, no trailing slashes).

Access: published scenarios are public; municipal roles of the municipality see all of its scenarios; a provider
representative sees, in any scenario of their municipality, only their own organisation's exposure.
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
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
        parameters=[OpenApiParameter("municipality", str, required=True, description="CBS code, e.g. GM0546")]
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

    def get_object(self):
        return _readable(self.request, self.kwargs["pk"])


class ScenarioImpact(APIView):
    permission_classes = [ScenarioReadAccess]

    @extend_schema(responses={200: dict})
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
