"""The API under /api/v1/ (NL API Design Rules: versioned path, no trailing slashes, OpenAPI at /openapi.json)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularJSONAPIView

from core.access import PublicReadOnly
from core.api_docs import ApiDocs, ApiRoot


class OpenAPIView(SpectacularJSONAPIView):
    permission_classes = [PublicReadOnly]
    public_cache = True  # core.page_cache


urlpatterns = [
    path("", ApiRoot.as_view(), name="api-root"),
    path("docs", ApiDocs.as_view(), name="api-docs"),
    path("openapi.json", OpenAPIView.as_view(), name="openapi"),
    path("", include("landscape.api_urls")),
    path("", include("continuity.api_urls")),
    path("", include("tenders.api_urls")),
    path("", include("publication.api_urls")),
]
