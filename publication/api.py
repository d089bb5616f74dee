"""OCDS open data: GET /api/v1/ocds/releases (a release package, optionally ?ocid=) and
GET /api/v1/ocds/records/{ocid} (a record package). Public and read-only."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from core.access import PublicReadOnly

from . import selectors


class ReleasePackageView(APIView):
    permission_classes = [PublicReadOnly]
    public_cache = True  # core.page_cache

    @extend_schema(
        summary="OCDS release package",
        parameters=[OpenApiParameter("ocid", str, description="only the releases of this ocid")],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        return Response(selectors.release_package(request.query_params.get("ocid") or None))


class RecordPackageView(APIView):
    permission_classes = [PublicReadOnly]
    public_cache = True  # core.page_cache

    @extend_schema(summary="OCDS record package of one commissioning", responses={200: OpenApiTypes.OBJECT})
    def get(self, request, ocid):
        package = selectors.record_package(ocid)
        if package is None:
            raise NotFound("Onbekende ocid.")
        return Response(package)
