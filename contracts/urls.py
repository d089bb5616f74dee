from django.urls import path

from . import report_views, views

app_name = "contracts"
BASE = "gemeenten/<str:municipality>/opdrachten/<int:pk>"

urlpatterns = [
    path("gemeenten/<str:municipality>/<int:pk>", views.detail, name="detail"),
    path(
        "gemeenten/<str:municipality>/processen-verbaal", report_views.municipality_reports, name="municipality_reports"
    ),
    path(f"{BASE}/procesverbaal", report_views.reports, name="reports"),
    path(f"{BASE}/procesverbaal/perceel-<int:lot>/maken", report_views.report_generate, name="report_generate"),
    path(f"{BASE}/procesverbaal/<int:report>.pdf", report_views.report_pdf, name="report_pdf"),
]
