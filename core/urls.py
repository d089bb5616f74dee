from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("gezond", views.health, name="health"),
    path("toegankelijkheid", views.accessibility, name="accessibility"),
    path("inloggen", views.login_page, name="login"),
    path("inloggen/code", views.login_token, name="login_token"),
    path("inloggen/koppelen", views.login_enrol, name="login_enrol"),
    path("uitloggen", views.logout_page, name="logout"),
    path("taal", views.set_language, name="set_language"),
    path("taken/<uuid:job_id>", views.job_status, name="job_status"),
]
