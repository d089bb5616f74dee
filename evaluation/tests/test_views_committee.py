"""The committee's pages: appointment (officer), the declaration with every operator's name, scoring per bid,
the final submission, the chair's spread and consensus, and who never sees what (Directive 2014/24/EU art. 24)."""

import pytest
from django.urls import get_resolver, resolve, reverse

from audit.models import AuditEvent
from bids.models import Participation
from core.models import Role
from core.testing import MunicipalityFactory, login, user_with_role
from evaluation import services
from evaluation.models import Committee, Consensus, Score
from tenders.tests.factories import provider

from .factories import REASON, declare_all, operator, score_all, world

pytestmark = pytest.mark.django_db


def ev(name, *args):
    return reverse(f"evaluation:{name}", args=args)


def test_officer_appoints_a_committee_with_a_social_worker(client):
    w = world()
    Committee.objects.all().delete()
    worker = user_with_role(Role.SOCIAL_WORKER, w.m, username="sociaalwerker")
    login(client, w.officer)
    page = client.get(ev("overview", "GM0546", w.c.pk))
    assert page.status_code == 200 and "sociaalwerker" in page.content.decode()
    response = client.post(
        ev("appoint", "GM0546", w.c.pk, w.lot.pk),
        {"chair": w.chair.pk, "members": [worker.pk, w.people[0].pk], "anonymous": "on"},
    )
    assert response.status_code == 302
    committee = Committee.objects.get(lot=w.lot)
    assert committee.anonymous and committee.members.count() == 3
    assert AuditEvent.objects.filter(action="evaluation.committee_appointed").count() == 2


def test_appointing_the_chair_as_member_is_refused_with_a_dutch_message(client):
    w = world()
    Committee.objects.all().delete()
    login(client, w.officer)
    response = client.post(ev("appoint", "GM0546", w.c.pk, w.lot.pk), {"chair": w.chair.pk, "members": [w.chair.pk]})
    assert response.status_code == 400
    assert "De voorzitter is niet ook een scorend lid." in response.content.decode()
    assert not Committee.objects.exists()


@pytest.mark.parametrize("role", [Role.EVALUATOR, Role.POLICY_ADVISOR])
def test_only_the_officer_appoints(client, role):
    w = world()
    Committee.objects.all().delete()
    login(client, user_with_role(role, w.m))
    response = client.post(
        ev("appoint", "GM0546", w.c.pk, w.lot.pk), {"chair": w.chair.pk, "members": [w.people[0].pk]}
    )
    assert response.status_code == 403
    assert client.get(ev("overview", "GM0546", w.c.pk)).status_code == 403
    assert not Committee.objects.exists()


def test_officer_of_another_municipality_gets_403(client):
    w = world()
    other = MunicipalityFactory(cbs_code="GM0599", name="Rotterdam")
    login(client, user_with_role(Role.PROCUREMENT_OFFICER, other))
    assert client.get(ev("overview", "GM0546", w.c.pk)).status_code == 403


def test_declaration_lists_consortium_members_and_subcontractors_art_24(client):
    w = world()
    partner, sub = operator(11), operator(12)
    for op, ring in ((w.bids[0].lead, 0), (partner, 1), (sub, 2)):
        Participation.objects.create(
            submission=w.bids[0], operator=op, ring=ring, status="confirmed", invited_at=w.c.published_at
        )
    user = w.people[0]
    login(client, user)
    seat = w.member(user)
    assert client.get(ev("seat", seat.pk)).status_code == 302  # declare first
    page = client.get(ev("declaration", seat.pk)).content.decode()
    assert "Inschrijver 11" in page and "Inschrijver 12" in page and "Inschrijver 3" in page
    response = client.post(ev("declaration", seat.pk), {"has_conflict": "no"})
    assert response.status_code == 302
    seat.refresh_from_db()
    assert seat.may_evaluate


def test_anonymous_declaration_lists_names_without_linking_them_to_bids(client):
    w = world(anonymous=True)
    user = w.people[0]
    login(client, user)
    page = client.get(ev("declaration", w.member(user).pk)).content.decode()
    assert "Inschrijver 1" in page and "Inschrijver 2" in page
    assert "dit is anoniem" in page.lower() or "anoniem" in page.lower()
    assert "<h3" not in page.split("Inschrijvende organisaties")[1].split("</form>")[0]


def test_a_conflict_without_relations_is_refused_and_nothing_is_written(client):
    w = world()
    user = w.people[0]
    login(client, user)
    response = client.post(ev("declaration", w.member(user).pk), {"has_conflict": "yes", "relations": ""})
    assert response.status_code == 400
    assert "Beschrijf de relatie" in response.content.decode()
    assert w.member(user).declared_at is None


def test_a_member_with_a_conflict_sees_no_bid_art_24(client):
    w = world()
    declare_all(w, conflict_for=[w.people[0]])
    login(client, w.people[0])
    seat = w.member(w.people[0])
    assert "Inschrijver 1" not in client.get(ev("seat", seat.pk)).content.decode()
    assert client.get(ev("bid", seat.pk, w.bids[0].pk)).status_code == 403


def test_another_users_seat_is_a_404(client):
    w = world()
    login(client, w.people[1])
    assert client.get(ev("declaration", w.member(w.people[0]).pk)).status_code == 404
    assert client.post(ev("submit", w.member(w.people[0]).pk)).status_code == 404


def test_member_scores_a_bid_and_the_read_is_audited(client):
    w = world(anonymous=True)
    declare_all(w)
    user = w.people[0]
    seat = w.member(user)
    login(client, user)
    overview = client.get(ev("seat", seat.pk)).content.decode()
    assert "Inschrijving A" in overview and "Inschrijver 1" not in overview
    page = client.get(ev("bid", seat.pk, w.bids[0].pk)).content.decode()
    assert "data-concreteness-aid" in page
    assert AuditEvent.objects.filter(action="bids.read", actor=user).exists()
    key = w.keys[0]
    response = client.post(
        ev("bid", seat.pk, w.bids[0].pk), {"criterion": key, f"{key}-score": 75, f"{key}-reason": REASON}
    )
    assert response.status_code == 302
    assert Score.objects.get(member=seat, criterion_key=key).score == 75


def test_a_short_reason_is_refused_with_a_dutch_message(client):
    w = world()
    declare_all(w)
    user = w.people[0]
    seat = w.member(user)
    login(client, user)
    key = w.keys[0]
    response = client.post(
        ev("bid", seat.pk, w.bids[0].pk), {"criterion": key, f"{key}-score": 75, f"{key}-reason": "ok"}
    )
    assert response.status_code == 400
    assert "tekens" in response.content.decode()
    assert not Score.objects.exists()


def test_submitting_before_everything_is_scored_is_refused(client):
    w = world()
    declare_all(w)
    seat = w.member(w.people[0])
    login(client, w.people[0])
    response = client.post(ev("submit", seat.pk), follow=True)
    assert "Scoor eerst elk criterium" in response.content.decode()
    seat.refresh_from_db()
    assert seat.scores_submitted_at is None


def test_no_member_sees_another_members_scores_before_all_submitted(client):
    """Independent scoring: the pages of a member and of the chair show no other member's score or reason until
    every scoring member has submitted; no API route exposes scores at all."""
    w = world()
    declare_all(w)
    secret = "Geheime motivering van lid twee die verwijst naar het anker van dit criterium."
    second = w.member(w.people[1])
    services.save_score(
        second, actor=w.people[1], submission=w.bids[0], criterion_key=w.keys[0], score=100, reason=secret
    )
    first = w.member(w.people[0])
    login(client, w.people[0])
    for url in (ev("seat", first.pk), ev("bid", first.pk, w.bids[0].pk), ev("my_seats")):
        assert secret not in client.get(url).content.decode()
    login(client, w.chair)
    chair = w.member(w.chair)
    assert secret not in client.get(ev("consensus", chair.pk)).content.decode()
    assert client.get(ev("consensus", first.pk)).status_code == 404  # not the chair's seat
    login(client, w.people[0])
    assert client.get(ev("consensus", first.pk)).status_code == 403  # a member is not the chair
    api_views = {
        getattr(p.callback, "__module__", "")
        for p in get_resolver("wijkwaarde.api_urls").url_patterns
        if hasattr(p, "callback")
    }
    assert not any(m.startswith("evaluation") for m in api_views)
    assert resolve("/beoordeling/mijn").app_name == "evaluation"


def test_chair_sees_the_spread_and_records_consensus_with_a_deviation_reason(client):
    w = world()
    declare_all(w)
    score_all(w, {"lid1": {(0, 0): 0}, "lid2": {(0, 0): 100}})
    chair = w.member(w.chair)
    login(client, w.chair)
    page = client.get(ev("consensus", chair.pk)).content.decode()
    assert "onenigheid" in page and REASON in page
    cell = f"{w.bids[0].pk}-{w.keys[0]}"
    response = client.post(
        ev("record_consensus", chair.pk), {"cell": cell, f"{cell}-score": 75, f"{cell}-reason": REASON}
    )
    assert response.status_code == 400
    assert "mediaan" in response.content.decode()
    response = client.post(
        ev("record_consensus", chair.pk),
        {"cell": cell, f"{cell}-score": 75, f"{cell}-reason": REASON, f"{cell}-deviation_reason": "Besproken."},
    )
    assert response.status_code == 302
    assert Consensus.objects.get().score == 75


def test_a_member_cannot_record_consensus(client):
    w = world()
    declare_all(w)
    score_all(w, {})
    login(client, w.people[0])
    cell = f"{w.bids[0].pk}-{w.keys[0]}"
    seat = w.member(w.people[0])
    response = client.post(
        ev("record_consensus", seat.pk), {"cell": cell, f"{cell}-score": 50, f"{cell}-reason": REASON}
    )
    assert response.status_code == 403
    assert not Consensus.objects.exists()


def test_the_officer_finds_commissionings_in_evaluation_through_the_menu(client):
    w = world()
    login(client, w.officer)
    page = client.get(ev("commissionings", "GM0546")).content.decode()
    assert ev("overview", "GM0546", w.c.pk) in page
    assert ev("commissionings", "GM0546") in page  # the menu entry
    login(client, w.people[0])
    assert client.get(ev("commissionings", "GM0546")).status_code == 403
    page = client.get(ev("my_seats_here", "GM0546")).content.decode()
    assert ev("declaration", w.member(w.people[0]).pk) in page or ev("seat", w.member(w.people[0]).pk) in page
    login(client, provider(w.m)[0])
    assert client.get(ev("my_seats_here", "GM0546")).status_code == 403


def test_a_member_submits_definitively_and_can_no_longer_change_a_score(client):
    w = world(bids=2, members=2)
    declare_all(w)
    user = w.people[0]
    seat = w.member(user)
    for b in w.bids:
        for key in w.keys:
            services.save_score(seat, actor=user, submission=b, criterion_key=key, score=50, reason=REASON)
    login(client, user)
    assert client.post(ev("submit", seat.pk)).status_code == 302
    seat.refresh_from_db()
    assert seat.scores_submitted_at is not None
    key = w.keys[0]
    response = client.post(
        ev("bid", seat.pk, w.bids[0].pk), {"criterion": key, f"{key}-score": 100, f"{key}-reason": REASON}
    )
    assert response.status_code == 400
    assert "Uw scores voor dit perceel zijn definitief." in response.content.decode()
    assert Score.objects.get(member=seat, submission=w.bids[0], criterion_key=key).score == 50
