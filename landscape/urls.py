from django.urls import include, path

from . import views

app_name = "landscape"
urlpatterns = [
    path("gemeenten/<str:municipality>", views.overview, name="overview"),
    path("", include("landscape.import_urls")),
]
