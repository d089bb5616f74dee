"""Read-side of publication: OCDS packages assembled from the stored releases (drafts never have releases)."""

from collections import defaultdict

from django.urls import reverse

from . import ocds
from .models import Release


def releases(ocid: str | None = None):
    qs = Release.objects.order_by("date", "id")
    return qs.filter(ocid=ocid) if ocid else qs


def release_package(ocid: str | None = None) -> dict:
    return ocds.release_package(releases(ocid), reverse("publication-api:ocds_releases"))


def record_package(ocid: str | None = None) -> dict | None:
    grouped = defaultdict(list)
    for release in releases(ocid):
        grouped[release.ocid].append(release)
    if ocid and not grouped:
        return None
    uri = reverse("publication-api:ocds_record", args=[ocid]) if ocid else reverse("publication-api:ocds_releases")
    return ocds.record_package([ocds.record(rs) for rs in grouped.values()], uri)
