from django.urls import include, path

from . import views

app_name = "landscape"
urlpatterns = [
    path("gemeenten/<str:municipality>", views.overview, name="overview"),
    path("gemeenten/<str:municipality>/organisaties", views.organisation_list, name="organisation_list"),
    path("gemeenten/<str:municipality>/organisaties.<str:fmt>", views.organisation_export, name="organisation_export"),
    path("gemeenten/<str:municipality>/organisaties/<int:pk>", views.organisation_detail, name="organisation_detail"),
    path("gemeenten/<str:municipality>/activiteiten", views.activity_list, name="activity_list"),
    path("gemeenten/<str:municipality>/activiteiten.<str:fmt>", views.activity_export, name="activity_export"),
    path("gemeenten/<str:municipality>/wijken", views.district_table, name="district_table"),
    path("", include("landscape.import_urls")),
]
