from django.urls import path

from . import views

app_name = "continuity"
base = "gemeenten/<str:municipality>/scenarios"
urlpatterns = [
    path(base, views.scenario_list, name="list"),
    path(f"{base}/nieuw", views.scenario_create, name="create"),
    path(f"{base}/vergelijken", views.scenario_compare, name="compare"),
    path(f"{base}/<int:pk>", views.scenario_detail, name="scenario"),
    path(f"{base}/<int:pk>/aannames", views.scenario_edit, name="edit"),
    path(f"{base}/<int:pk>/activiteiten", views.scenario_moves, name="moves"),
    path(f"{base}/<int:pk>/uit-percelen", views.scenario_from_lots, name="from_lots"),
    path(f"{base}/<int:pk>/perceelbudgetten", views.scenario_lot_budgets, name="lot_budgets"),
    path(f"{base}/<int:pk>/berekenen", views.scenario_compute, name="compute"),
    path(f"{base}/<int:pk>/publiceren", views.scenario_publish, name="publish"),
    path(f"{base}/<int:pk>/mijn-organisatie", views.scenario_exposure, name="exposure"),
    path(f"{base}/<int:pk>/transitiebudget", views.plan_create, name="plan_create"),
    path(f"{base}/<int:pk>/transitiebudget/<int:plan_pk>", views.plan_detail, name="plan"),
    path(f"{base}/<int:pk>/raadsrapport.pdf", views.report_pdf, name="pdf"),
    path(f"{base}/<int:pk>/cijfers.xlsx", views.report_xlsx, name="xlsx"),
]
