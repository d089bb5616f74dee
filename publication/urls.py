from django.urls import path

from . import views

app_name = "publication"
urlpatterns = [
    path("gemeenten/<str:municipality>/opdrachten", views.commissioning_list, name="list"),
    path("gemeenten/<str:municipality>/opdrachten/<int:pk>", views.detail, name="detail"),
    path("gemeenten/<str:municipality>/opdrachten/<int:pk>/document.pdf", views.document_pdf, name="document_pdf"),
    path(
        "gemeenten/<str:municipality>/opdrachten/<int:pk>/nota-van-inlichtingen/<int:number>",
        views.clarification,
        name="clarification",
    ),
    path(
        "gemeenten/<str:municipality>/opdrachten/<int:pk>/nota-van-inlichtingen/<int:number>.pdf",
        views.clarification_pdf,
        name="clarification_pdf",
    ),
    path("gemeenten/<str:municipality>/opdrachten/<int:pk>/volgen", views.subscribe, name="subscribe"),
    path("afmelden/<str:token>", views.unsubscribe, name="unsubscribe"),
    path("aanmelding-bevestigen/<str:token>", views.confirm, name="confirm"),
    path("open-data/ocds", views.ocds_policy, name="ocds_policy"),
]
