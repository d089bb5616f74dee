from django.urls import path

from .views import opening

app_name = "bids"
BASE = "gemeenten/<str:municipality>/opdrachten/<int:pk>"

urlpatterns = [
    # --- B3: the opening ---
    path(f"{BASE}/opening", opening.overview, name="opening"),
    path(f"{BASE}/opening/openers", opening.opener_appoint, name="opener_appoint"),
    path(f"{BASE}/opening/openers/<int:opener>/verwijderen", opening.opener_remove, name="opener_remove"),
    path(f"{BASE}/opening/<str:kind>/bevestigen", opening.confirm, name="opening_confirm"),
    path(f"{BASE}/opening/<str:kind>/proces-verbaal", opening.record, name="opening_record"),
    path(f"{BASE}/geopend/<int:submission>", opening.submission_detail, name="opened_submission"),
    path(f"{BASE}/geopend/<int:submission>/bijlagen/<int:index>", opening.submission_file, name="opened_file"),
]
