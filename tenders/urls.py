from django.urls import path

from . import contract_notice_views, kpi_views, notice_views, policy_views, selection_views, views

app_name = "tenders"
BASE = "gemeenten/<str:municipality>/opdrachten/<int:pk>"
urlpatterns = [
    path("gemeenten/<str:municipality>/opdrachten-beheer", views.manage_list, name="manage_list"),
    path("gemeenten/<str:municipality>/opdrachten-beheer/nieuw", views.create, name="create"),
    path("gemeenten/<str:municipality>/inkoopbeleid", policy_views.policy, name="policy"),
    path(f"{BASE}/beheer", views.manage, name="manage"),
    path(f"{BASE}/beheer/gegevens", views.edit, name="edit"),
    path(f"{BASE}/beheer/percelen", views.lot_add, name="lot_add"),
    path(f"{BASE}/beheer/percelen/<int:lot>", views.lot_edit, name="lot_edit"),
    path(f"{BASE}/beheer/percelen/<int:lot>/verwijderen", views.lot_delete, name="lot_delete"),
    path(f"{BASE}/beheer/percelen/<int:lot>/kpis", kpi_views.kpi_add, name="kpi_add"),
    path(f"{BASE}/beheer/percelen/<int:lot>/kpis/rectificatie", kpi_views.kpi_rectify, name="kpi_rectify"),
    path(f"{BASE}/beheer/percelen/<int:lot>/kpis/<int:kpi>/verwijderen", kpi_views.kpi_delete, name="kpi_delete"),
    path(f"{BASE}/beheer/gereserveerd", views.reserve_add, name="reserve_add"),
    path(f"{BASE}/beheer/criteria", views.criterion_add, name="criterion_add"),
    path(f"{BASE}/beheer/criteria/minimum", views.criterion_minimum, name="criterion_minimum"),
    path(f"{BASE}/beheer/criteria/bibliotheek", views.criterion_library_add, name="criterion_library_add"),
    path(f"{BASE}/beheer/criteria/<int:criterion>/verwijderen", views.criterion_delete, name="criterion_delete"),
    path(f"{BASE}/beheer/termijnen", views.deadline_set, name="deadline_set"),
    path(f"{BASE}/beheer/publiceren", views.publish, name="publish"),
    path(f"{BASE}/beheer/aankondiging", contract_notice_views.notice_record, name="notice_record"),
    path(f"{BASE}/beheer/fase", views.transition, name="transition"),
    path(f"{BASE}/beheer/rectificatie", views.rectify, name="rectify"),
    path(f"{BASE}/beheer/vragen/<int:question>", views.answer, name="answer"),
    path(f"{BASE}/beheer/nota-van-inlichtingen", views.clarify, name="clarify"),
    path(f"{BASE}/beheer/informatiebijeenkomsten", views.info_session_add, name="info_session_add"),
    path(f"{BASE}/beheer/intrekken", views.cancel, name="cancel"),
    path(f"{BASE}/beheer/gegadigden/<int:candidate>", selection_views.candidate_decide, name="candidate_decide"),
    path(f"{BASE}/beheer/dialoog/selectie", selection_views.dialogue_select, name="dialogue_select"),
    path(f"{BASE}/beheer/dialoog/gesprekken", selection_views.dialogue_session_add, name="dialogue_session_add"),
    path(f"{BASE}/vragen", selection_views.ask, name="ask"),
    path(f"{BASE}/dialoog", selection_views.dialogue, name="dialogue"),
    path(f"{BASE}/aanmelden", selection_views.apply, name="apply"),
    path(f"{BASE}/intrekking", notice_views.notice_list, name="notices"),
    path(f"{BASE}/intrekking/<int:notice>.pdf", notice_views.notice_pdf, name="notice_pdf"),
]
