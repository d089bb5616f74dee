from django.urls import path

from . import api

urlpatterns = [
    path("scenarios", api.ScenarioList.as_view(), name="api-scenarios"),
    path("scenarios/<int:pk>", api.ScenarioDetail.as_view(), name="api-scenario"),
    path("scenarios/<int:pk>/impact", api.ScenarioImpact.as_view(), name="api-scenario-impact"),
]
