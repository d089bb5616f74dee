from django.urls import path

from . import audit_views as views

app_name = "audit"  # URL names stay audit:log
urlpatterns = [path("audit", views.audit_log, name="log")]
