from django.urls import path

from . import views

app_name = "contracts"

urlpatterns = [
    path("gemeenten/<str:municipality>/<int:pk>", views.detail, name="detail"),
]
