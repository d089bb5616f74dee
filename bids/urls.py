from django.urls import path

from .views import consortium, operators

app_name = "bids"

urlpatterns = [
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
]
