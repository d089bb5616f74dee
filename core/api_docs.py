"""The front door of the API: a root listing the resources, readable documentation, and OpenAPI links.

The documentation page is Swagger UI served from drf-spectacular-sidecar (static files, no CDN), so it also works
offline. `add_links` is a drf-spectacular postprocessing hook: every list operation gets an OpenAPI link to the
detail operation of its items, so generated clients and testing tools can walk from a list to an item.
"""

from collections import OrderedDict

from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from .access import PublicReadOnly

# (name in the root, URL name, description). Lists take ?municipality=<CBS code>.
RESOURCES = [
    ("organisations", "landscape-organisation-list", "Organisations in the social base per municipality."),
    ("activities", "landscape-activity-list", "Activities with target groups, districts, reach and volunteer hours."),
    ("districts", "landscape-district-list", "Districts (CBS codes) with their neighbourhoods and figures."),
    ("fundings", "landscape-funding-list", "Municipal grants and external co-funding per year."),
    ("scenarios", "api-scenarios", "Continuity scenarios of a commissioning (published ones are public)."),
    ("ocds_releases", "publication-api:ocds_releases", "Published procedures as OCDS release packages."),
]


class ApiRoot(APIView):
    """GET /api/v1/: the resources of this API, the OpenAPI document and its readable documentation."""

    permission_classes = [PublicReadOnly]

    @extend_schema(exclude=True)
    def get(self, request):
        resources = OrderedDict(
            (name, {"href": reverse(url_name, request=request), "description": description})
            for name, url_name, description in RESOURCES
        )
        return Response(
            {
                "name": "wijkwaarde API",
                "version": "v1",
                "resources": resources,
                "openapi": reverse("openapi", request=request),
                "documentation": reverse("api-docs", request=request),
            }
        )


class ApiDocs(SpectacularSwaggerSplitView):
    """Swagger UI for the OpenAPI document; assets from drf-spectacular-sidecar, its start script from `?script`
    (no inline script, for a strict Content-Security-Policy)."""

    permission_classes = [PublicReadOnly]
    template_name = "core/api_docs.html"
    url_name = "openapi"
    title = "wijkwaarde API"


def _detail_path(paths, list_path):
    """The detail path of a list path (`/api/v1/organisations` → `/api/v1/organisations/{id}`), if there is one."""
    for candidate in paths:
        if candidate.startswith(list_path + "/{") and candidate.count("/") == list_path.count("/") + 1:
            return candidate
    return None


# Links that do not follow from the paths: (from path, link name, to path, parameter, runtime expression).
EXTRA_LINKS = [
    ("/api/v1/ocds/releases", "GetRecord", "/api/v1/ocds/records/{ocid}", "ocid", "$response.body#/releases/0/ocid"),
]


def _link(result, from_path, name, to_path, parameter, expression, description):
    paths = result.get("paths", {})
    target = paths.get(to_path, {}).get("get", {})
    response = paths.get(from_path, {}).get("get", {}).get("responses", {}).get("200")
    if response is not None and "operationId" in target:
        response.setdefault("links", {})[name] = {
            "operationId": target["operationId"],
            "parameters": {parameter: expression},
            "description": description,
        }


def add_links(result, generator, request, public):
    """Postprocessing hook: link every list response to the detail operation of its items, and every item to the
    operations below it (OpenAPI 3 links)."""
    paths = result.get("paths", {})
    for from_path, name, to_path, parameter, expression in EXTRA_LINKS:
        _link(result, from_path, name, to_path, parameter, expression, "The record of the first release.")
    for path in list(paths):
        if not path.endswith("}"):
            continue
        parameter = path[path.rindex("{") + 1 : -1]
        for sub in paths:
            if sub.startswith(path + "/") and "{" not in sub[len(path) :]:
                name = "Get" + sub.rsplit("/", 1)[-1].title().replace("_", "")
                _link(result, path, name, sub, parameter, f"$request.path.{parameter}", "A part of this item.")
    for list_path, operations in paths.items():
        detail = _detail_path(paths, list_path)
        if not detail or "get" not in operations or "get" not in paths[detail]:
            continue
        list_op, detail_op = operations["get"], paths[detail]["get"]
        parameter = detail[detail.rindex("{") + 1 : -1]
        response = list_op.get("responses", {}).get("200")
        if response is None or "operationId" not in detail_op:
            continue
        schema_ref = response.get("content", {}).get("application/json", {}).get("schema", {}).get("$ref", "")
        paginated = schema_ref.rsplit("/", 1)[-1].startswith("Paginated")
        expression = "$response.body#/results/0/id" if paginated else "$response.body#/0/id"
        response.setdefault("links", {})["GetItem"] = {
            "operationId": detail_op["operationId"],
            "parameters": {parameter: expression},
            "description": "The first item of the list; use the `id` of any item the same way.",
        }
    return result
