from django.urls import path

from . import views

app_name = "landscape"
urlpatterns = [
    path("gemeenten/<str:municipality>", views.overview, name="overview"),
]
