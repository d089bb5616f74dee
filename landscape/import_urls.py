"""URLs of the import screens (upload, preview, confirm, progress and result, template download)."""

from django.urls import path

from . import import_views

urlpatterns = [
    path("gemeenten/<str:municipality>/importeren", import_views.upload, name="import_upload"),
    path(
        "gemeenten/<str:municipality>/importeren/sjabloon.xlsx", import_views.template_download, name="import_template"
    ),
    path("gemeenten/<str:municipality>/importeren/<uuid:job_id>", import_views.job, name="import_job"),
    path(
        "gemeenten/<str:municipality>/importeren/<uuid:job_id>/bevestigen", import_views.confirm, name="import_confirm"
    ),
    path("gemeenten/<str:municipality>/importeren/<uuid:job_id>/kolommen", import_views.remap, name="import_remap"),
]
