"""The grant decision pages (ADR 0010): the officer ranks, enters the amounts asked and takes the decisions (bad input:
a Dutch message beside the field, 400, nothing written); the applicant sees and downloads only their own decision;
anyone else gets 404, 403 or the login."""

import pytest
from django.urls import reverse
from django.utils import timezone

from bids.models import OperatorMember
from core.models import User
from core.testing import login
from evaluation.models import GrantDecision

from .grant_factories import grant_world

pytestmark = pytest.mark.django_db


def ev(name, *args):
    return reverse(f"evaluation:{name}", args=args)


def applicant_of(submission, username):
    user = User.objects.create_user(username=username, password="x")
    OperatorMember.objects.create(operator=submission.lead, user=user, joined_at=timezone.now())
    return user


def amounts(w, *values):
    return {f"amount_{b.pk}": v for b, v in zip(w.bids, values, strict=True)}


@pytest.fixture
def w():
    return grant_world((75, 50))


def test_the_officer_takes_the_grant_decisions_through_the_page(client, w):
    login(client, w.officer)
    page = client.get(ev("grant_decisions", "GM0546", w.c.pk))
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    text = page.content.decode()
    assert "Subsidiebesluiten nemen" in text and str(w.bids[0]) in text
    response = client.post(ev("take_grant_decisions", "GM0546", w.c.pk), amounts(w, "70000", "40000,50"))
    assert response.status_code == 302
    d = {x.submission_id: x for x in GrantDecision.objects.all()}
    assert d[w.bids[0].pk].granted and not d[w.bids[1].pk].granted
    assert str(d[w.bids[1].pk].requested_per_year) == "40000.50"  # Dutch decimal comma
    text = client.get(ev("grant_decisions", "GM0546", w.c.pk)).content.decode()
    assert "geweigerd" in text and "Subsidiebesluiten nemen" not in text
    for decision in d.values():
        response = client.get(ev("grant_decision_pdf", "GM0546", w.c.pk, decision.pk))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_bad_amounts_give_a_dutch_message_and_write_nothing(client, w):
    login(client, w.officer)
    url = ev("take_grant_decisions", "GM0546", w.c.pk)
    response = client.post(url, amounts(w, "70000", ""))
    assert response.status_code == 400 and "Dit veld is vereist" in response.content.decode()
    response = client.post(url, amounts(w, "70000", "-5"))
    assert response.status_code == 400
    response = client.post(url, {**amounts(w, "70000", "5"), "tie_order": "eerste, tweede"})
    assert response.status_code == 400 and "gescheiden door komma" in response.content.decode()
    assert not GrantDecision.objects.exists()


def test_equal_totals_that_decide_are_asked_for_on_the_page(client):
    w = grant_world((75, 75))
    login(client, w.officer)
    url = ev("take_grant_decisions", "GM0546", w.c.pk)
    response = client.post(url, amounts(w, "60000", "60000"))
    assert response.status_code == 400 and "gelijke totalen" in response.content.decode()
    order = f"{w.bids[1].pk}, {w.bids[0].pk}"
    response = client.post(url, {**amounts(w, "60000", "60000"), "tie_order": order, "tie_break": "Loting."})
    assert response.status_code == 302
    assert GrantDecision.objects.get(submission=w.bids[1]).granted


def test_an_applicant_sees_and_downloads_only_their_own_decision(client, w):
    login(client, w.officer)
    client.post(ev("take_grant_decisions", "GM0546", w.c.pk), amounts(w, "70000", "40000"))
    own = GrantDecision.objects.get(submission=w.bids[1])
    other = GrantDecision.objects.get(submission=w.bids[0])
    user = applicant_of(w.bids[1], "aanvrager")
    login(client, user)
    page = client.get(ev("my_grant_decisions"))
    text = page.content.decode()
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert ev("my_grant_decision", own.pk) in text and ev("my_grant_decision", other.pk) not in text
    assert "geweigerd" in text
    response = client.get(ev("my_grant_decision", own.pk))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert client.get(ev("my_grant_decision", other.pk)).status_code == 404
    # The applicant has no way into the officer's pages.
    assert client.get(ev("grant_decisions", "GM0546", w.c.pk)).status_code == 403
    assert client.get(ev("grant_decision_pdf", "GM0546", w.c.pk, own.pk)).status_code == 403


def test_others_cannot_reach_the_grant_decisions(client, w):
    url = ev("grant_decisions", "GM0546", w.c.pk)
    assert "/inloggen" in client.get(ev("my_grant_decisions"))["Location"]
    assert "/inloggen" in client.get(url)["Location"]
    # An evaluator of the municipality: wrong role.
    login(client, w.chair)
    assert client.get(url).status_code == 403
    assert client.post(ev("take_grant_decisions", "GM0546", w.c.pk), amounts(w, "1", "1")).status_code == 403
    # The procurement officer of another municipality: 404 for this round.
    other = grant_world((50,), code="GM0363")
    login(client, other.officer)
    assert client.get(ev("grant_decisions", "GM0363", w.c.pk)).status_code == 404
    assert client.get(url).status_code == 403
    assert not GrantDecision.objects.exists()


def test_a_tender_has_no_grant_decisions_page(client):
    from .test_award import ranked_world

    tender = ranked_world()
    login(client, tender.officer)
    assert client.get(ev("grant_decisions", "GM0546", tender.c.pk)).status_code == 404


def test_the_evaluation_overview_of_a_grant_round_leads_to_the_grant_decisions(client, w):
    login(client, w.officer)
    text = client.get(ev("overview", "GM0546", w.c.pk)).content.decode()
    assert ev("grant_decisions", "GM0546", w.c.pk) in text
    assert ev("award", "GM0546", w.c.pk, w.lot.pk) not in text


def test_the_pages_make_no_query_per_application(client, django_assert_max_num_queries):
    w = grant_world((75, 50, 25, 0))
    login(client, w.officer)
    url = ev("grant_decisions", "GM0546", w.c.pk)
    with django_assert_max_num_queries(18):  # 18 with one application as with four
        assert client.get(url).status_code == 200
    client.post(ev("take_grant_decisions", "GM0546", w.c.pk), amounts(w, "1000", "1000", "1000", "1000"))
    with django_assert_max_num_queries(7):
        assert client.get(url).status_code == 200
    login(client, applicant_of(w.bids[0], "aanvrager"))
    with django_assert_max_num_queries(5):
        assert client.get(ev("my_grant_decisions")).status_code == 200


def test_the_public_timeline_shows_when_the_grant_decisions_were_sent(client, w):
    url = reverse("publication:detail", args=["GM0546", w.c.pk])
    assert "Subsidiebesluiten verzonden" not in client.get(url).content.decode()
    login(client, w.officer)
    client.post(ev("take_grant_decisions", "GM0546", w.c.pk), amounts(w, "1000", "1000"))
    client.logout()
    text = client.get(url).content.decode()
    assert "Subsidiebesluiten verzonden naar elke aanvrager" in text and "opschortende termijn" not in text
