"""The consortium pages: who may see and change what; every organisation confirms itself."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bids import services
from bids.models import Declaration, Participation, SubcontractCommitment
from bids.rules import EXCLUSION_CODES
from core.testing import UserFactory, login

from .factories_b2 import commit, invited, register, submission

pytestmark = pytest.mark.django_db
Ring = Participation.Ring
PS = Participation.Status


def test_lead_cannot_confirm_for_a_small_organisation_through_the_page(client):
    s, lead_user = submission()
    p, small_user = invited(s, lead_user, "Buurtmoeders", confirm=None, kind="volunteer")
    url = reverse("bids:participation_decide", args=[p.pk])
    login(client, lead_user)
    assert client.post(url, {"decision": "confirm"}).status_code == 403
    login(client, UserFactory())
    assert client.post(url, {"decision": "confirm"}).status_code == 404
    p.refresh_from_db()
    assert p.status == PS.PENDING
    login(client, small_user)
    page = client.get(reverse("bids:invitations")).content.decode()
    assert "Uitnodigingen voor samenwerkingsverbanden" in page and "Deelname bevestigen" in page
    assert client.post(url, {"decision": "confirm"}).status_code == 302
    p.refresh_from_db()
    assert p.status == PS.CONFIRMED and p.decided_by == small_user


def test_consortium_page_for_participants_only_and_changed_only_by_the_lead(client):
    s, lead_user = submission()
    p, member_user = invited(s, lead_user, "Lid", ring=Ring.MEMBER)
    url = reverse("bids:consortium", args=[s.pk])
    assert client.get(url).status_code == 302
    login(client, UserFactory())
    assert client.get(url).status_code == 404
    login(client, member_user)
    assert client.get(url).status_code == 200
    other, _ = register("Klein")
    add = reverse("bids:participation_add", args=[s.pk])
    assert client.post(add, {"registration": other.kvk_number, "ring": 2}).status_code == 403
    login(client, lead_user)
    page = client.get(url).content.decode()
    assert "Organisatie uitnodigen" in page and "Lid" in page
    response = client.post(add, {"registration": "99999999", "ring": 2})
    assert response.status_code == 400 and "Geen geregistreerde organisatie" in response.content.decode()
    assert client.post(add, {"registration": other.kvk_number, "ring": 2, "role": "Taalles"}).status_code == 302
    assert s.participations.get(operator=other).status == PS.PENDING
    response = client.post(add, {"registration": other.kvk_number, "ring": 2})
    assert response.status_code == 400 and "al uitgenodigd" in response.content.decode()


def test_commitments_over_the_lot_budget_refused_on_the_page(client):
    s, lead_user = submission()
    p, p_user = invited(s, lead_user, "Buurtmoeders")
    commit(p, lead_user, amount=Decimal("900000"))
    url = reverse("bids:commitment_add", args=[p.pk])
    login(client, p_user)
    assert client.get(url).status_code == 403  # the subcontractor does not write the lead's commitments
    login(client, lead_user)
    response = client.post(url, {"amount_per_year": "200000", "years": 3})
    assert response.status_code == 400
    assert "boven het vaste budget van het perceel" in response.content.decode()
    assert SubcontractCommitment.objects.count() == 1
    assert client.post(url, {"share_of_lot_budget": "10", "years": 3}).status_code == 302
    assert "Toegezegd aan kleine organisaties" in client.get(reverse("bids:consortium", args=[s.pk])).content.decode()


def test_declaration_page_only_for_the_organisation_itself(client):
    s, lead_user = submission()
    p, p_user = invited(s, lead_user, "Buurtmoeders")
    url = reverse("bids:declaration", args=[p.pk])
    answers = {f"{code}__applies": "no" for code in EXCLUSION_CODES}
    login(client, lead_user)
    assert client.post(url, answers).status_code == 403
    login(client, UserFactory())
    assert client.get(url).status_code == 404
    login(client, p_user)
    assert "Deelneming aan een criminele organisatie" in client.get(url).content.decode()
    response = client.post(url, answers | {"fraud__applies": "yes"})
    assert response.status_code == 400 and "Licht uw antwoord toe" in response.content.decode()
    assert not Declaration.objects.exists()
    lead = s.participations.get(ring=Ring.LEAD)
    assert client.post(url, answers | {"relies_on": [str(lead.pk)]}).status_code == 302
    assert Declaration.objects.get().participation == p and list(p.relies_on.all()) == [lead]


def test_consortium_page_reads_a_fixed_number_of_queries(client):
    """No query per participant: the page of a consortium of 2 costs as many queries as one of 6."""
    s, lead_user = submission()
    login(client, lead_user)
    url = reverse("bids:consortium", args=[s.pk])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    p, _ = invited(s, lead_user, "Een")
    commit(p, lead_user)
    small = count()
    for name in ("Twee", "Drie", "Vier", "Vijf"):
        p, _ = invited(s, lead_user, name, kind="volunteer")
        commit(p, lead_user)
    assert count() == small


def test_invitations_page_reads_a_fixed_number_of_queries(client):
    """No query per invitation: one operator invited into 1 or into 4 submissions costs the same."""
    operator, user = register("Buurtmoeders")
    login(client, user)

    def invite_and_count():
        s, lead_user = submission()
        services.add_participation(s, lead_user, operator=operator, ring=Ring.SUBCONTRACTOR)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("bids:invitations")).status_code == 200
        return len(queries)

    first = invite_and_count()
    for _ in range(2):
        invite_and_count()
    assert invite_and_count() == first
