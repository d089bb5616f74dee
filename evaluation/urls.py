from django.urls import path

from .views import award, bidder, chair, grants, member, officer

app_name = "evaluation"
BASE = "gemeenten/<str:municipality>/opdrachten/<int:pk>"
LOT = f"{BASE}/percelen/<int:lot>"
DECISION = f"{LOT}/gunning/<int:decision>"

urlpatterns = [
    # the procurement officer
    path("gemeenten/<str:municipality>", officer.commissionings, name="commissionings"),
    path(BASE, officer.overview, name="overview"),
    path(f"{LOT}/commissie", officer.appoint, name="appoint"),
    path(f"{LOT}/gunning", award.award, name="award"),
    path(f"{LOT}/gunning/besluit", award.decide, name="decide"),
    path(f"{DECISION}/intrekken", award.withdraw, name="withdraw"),
    path(f"{DECISION}/bewijs", award.evidence, name="evidence"),
    path(f"{DECISION}/kort-geding", award.proceedings, name="proceedings"),
    path(f"{DECISION}/definitief", award.definitive, name="definitive"),
    path(f"{LOT}/kort-geding/<int:proceedings>/vonnis", award.judgment, name="judgment"),
    path(f"{LOT}/debriefing/<int:debriefing>/antwoord", award.answer, name="answer"),
    path(f"{LOT}/brieven/<int:letter>", award.letter, name="letter"),
    # the grant route's decisions (ADR 0010)
    path(f"{BASE}/subsidiebesluiten", grants.grant_decisions, name="grant_decisions"),
    path(f"{BASE}/subsidiebesluiten/nemen", grants.take, name="take_grant_decisions"),
    path(f"{BASE}/subsidiebesluiten/<int:decision>", grants.grant_decision_pdf, name="grant_decision_pdf"),
    # committee members and the chair
    path("mijn", member.my_seats, name="my_seats"),
    path("gemeenten/<str:municipality>/mijn", member.my_seats_here, name="my_seats_here"),
    path("zetels/<int:seat>", member.seat, name="seat"),
    path("zetels/<int:seat>/verklaring", member.declaration, name="declaration"),
    path("zetels/<int:seat>/inschrijvingen/<int:submission>", member.bid, name="bid"),
    path("zetels/<int:seat>/indienen", member.submit, name="submit"),
    path("zetels/<int:seat>/consensus", chair.consensus, name="consensus"),
    path("zetels/<int:seat>/consensus/vastleggen", chair.record, name="record_consensus"),
    # bidders
    path("brieven", bidder.my_letters, name="my_letters"),
    path("brieven/<int:letter>", bidder.download, name="my_letter"),
    path("brieven/<int:letter>/debriefing", bidder.debriefing, name="debriefing"),
    # grant applicants
    path("subsidiebesluiten", grants.my_grant_decisions, name="my_grant_decisions"),
    path("subsidiebesluiten/<int:decision>", grants.my_grant_decision, name="my_grant_decision"),
]
