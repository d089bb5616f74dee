from django.urls import path

from . import audit_views as views

app_name = "audit"  # URL names stay audit:log, audit:checkpoints, ...
urlpatterns = [
    path("audit", views.audit_log, name="log"),
    path("audit/export.csv", views.audit_export, {"fmt": "csv"}, name="export_csv"),
    path("audit/export.xlsx", views.audit_export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("audit/controleren", views.audit_check, name="check"),
    path("audit/ankers", views.checkpoints, name="checkpoints"),
    path("audit/ankers.json", views.checkpoints_json, name="checkpoints_json"),
]
