from django.urls import include, path

from . import api

ocds_patterns = [
    path("ocds/releases", api.ReleasePackageView.as_view(), name="ocds_releases"),
    path("ocds/records/<str:ocid>", api.RecordPackageView.as_view(), name="ocds_record"),
]
urlpatterns = [path("", include((ocds_patterns, "publication-api")))]
