from django.urls import path

from . import monitoring_views, report_views, views

app_name = "contracts"
BASE = "gemeenten/<str:municipality>/opdrachten/<int:pk>"

urlpatterns = [
    # the contractor's reports against the KPIs
    path("mijn", monitoring_views.my_contracts, name="mine"),
    path("mijn/<int:pk>", monitoring_views.report, name="report"),
    path("mijn/<int:pk>/kpi/<int:kpi>", monitoring_views.report_kpi, name="report_kpi"),
    path("mijn/<int:pk>/toezegging/<int:commitment>", monitoring_views.report_payment, name="report_payment"),
    # the subcontractor's side: confirm or dispute what the contractor says it paid
    path("toezeggingen", monitoring_views.my_commitments, name="commitments"),
    path("toezeggingen/betaling/<int:payment>", monitoring_views.answer_payment, name="answer_payment"),
    path("gemeenten/<str:municipality>/", views.overview, name="overview"),
    path("gemeenten/<str:municipality>/<int:pk>", views.detail, name="detail"),
    path(
        "gemeenten/<str:municipality>/processen-verbaal", report_views.municipality_reports, name="municipality_reports"
    ),
    path(f"{BASE}/procesverbaal", report_views.reports, name="reports"),
    path(f"{BASE}/procesverbaal/perceel-<int:lot>/maken", report_views.report_generate, name="report_generate"),
    path(f"{BASE}/procesverbaal/<int:report>.pdf", report_views.report_pdf, name="report_pdf"),
]
