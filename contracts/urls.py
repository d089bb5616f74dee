from django.urls import path

from . import views

app_name = "contracts"
BASE = "gemeenten/<str:municipality>/opdrachten/<int:pk>"

urlpatterns = [
    path("gemeenten/<str:municipality>/processen-verbaal", views.municipality_reports, name="municipality_reports"),
    path(f"{BASE}/procesverbaal", views.reports, name="reports"),
    path(f"{BASE}/procesverbaal/perceel-<int:lot>/maken", views.report_generate, name="report_generate"),
    path(f"{BASE}/procesverbaal/<int:report>.pdf", views.report_pdf, name="report_pdf"),
]
