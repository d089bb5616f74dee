from django.urls import path

from .views import consortium, opening, operators, submission

app_name = "bids"
BASE = "gemeenten/<str:municipality>/opdrachten/<int:pk>"

urlpatterns = [
    # B1: drafts, submission, receipts
    path("", submission.my_submissions, name="my_submissions"),
    path("gemeente/<str:municipality>/", submission.my_submissions, name="municipality"),
    path("opdracht/<int:pk>/", submission.start, name="start"),
    path("<int:pk>/", submission.draft, name="draft"),
    path("<int:pk>/antwoord/<int:criterion_pk>", submission.answer, name="answer"),
    path("<int:pk>/bijlage", submission.upload, name="upload"),
    path("<int:pk>/bijlage/<int:item_pk>/verwijderen", submission.remove_file, name="remove_file"),
    path("<int:pk>/bijlage/<int:item_pk>/vertrouwelijk", submission.confidential, name="confidential"),
    path("<int:pk>/indienen", submission.submit, name="submit"),
    path("<int:pk>/intrekken", submission.withdraw, name="withdraw"),
    path("ontvangstbevestiging/<int:version_pk>/", submission.receipt, name="receipt"),
    path("ontvangstbevestiging/<int:version_pk>/pdf", submission.receipt_pdf, name="receipt_pdf"),
    path("ontvangstbevestiging/<int:version_pk>/manifest.json", submission.manifest, name="manifest"),
    path("controleren", submission.verify, name="verify"),
    # --- B2: operators, colleagues, landscape matches ---
    path("organisaties", operators.mine, name="mine"),
    path("registreren", operators.register, name="register"),
    path("bevestigen/<str:token>", operators.confirm, name="operator_confirm"),
    path("organisaties/<int:pk>", operators.detail, name="operator"),
    path("organisaties/<int:pk>/uitnodigen", operators.invite, name="operator_invite"),
    path("organisaties/<int:pk>/bevestiging-opnieuw", operators.resend, name="operator_resend"),
    path("organisaties/<int:pk>/koppelingen-zoeken", operators.rematch, name="operator_rematch"),
    path("collega/<str:token>", operators.accept, name="invitation_accept"),
    path("tweede-factor", operators.second_factor, name="second_factor"),
    path("gemeenten/<str:municipality>/inschrijvers/koppelingen", operators.matches, name="matches"),
    # --- B2: consortia, commitments, self-declarations ---
    path("uitnodigingen", consortium.invitations, name="invitations"),
    path("inschrijvingen/<int:pk>/samenwerkingsverband", consortium.consortium, name="consortium"),
    path("inschrijvingen/<int:pk>/deelnemers", consortium.add, name="participation_add"),
    path("inschrijvingen/<int:pk>/naam", consortium.rename, name="consortium_name"),
    path("deelnames/<int:pk>/besluit", consortium.decide, name="participation_decide"),
    path("deelnames/<int:pk>/toezegging", consortium.commitment, name="commitment_add"),
    path("deelnames/<int:pk>/toezegging/<int:commitment_pk>", consortium.commitment, name="commitment_edit"),
    path("deelnames/<int:pk>/verklaring", consortium.declaration, name="declaration"),
    # --- B3: the opening ---
    path(f"{BASE}/opening", opening.overview, name="opening"),
    path(f"{BASE}/opening/openers", opening.opener_appoint, name="opener_appoint"),
    path(f"{BASE}/opening/openers/<int:opener>/verwijderen", opening.opener_remove, name="opener_remove"),
    path(f"{BASE}/opening/<str:kind>/bevestigen", opening.confirm, name="opening_confirm"),
    path(f"{BASE}/opening/<str:kind>/proces-verbaal", opening.record, name="opening_record"),
    path(f"{BASE}/geopend/<int:submission>", opening.submission_detail, name="opened_submission"),
    path(f"{BASE}/geopend/<int:submission>/bijlagen/<int:index>", opening.submission_file, name="opened_file"),
]
