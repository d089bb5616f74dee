"""Navigation between the stages (tenders.stage_links, ADR 0007): the commissioning's manage page links to the
opening, the committees, the award pages, the user's own seat, the contract record and the procurement reports — each
only for the roles that page admits; a bidder's submission page links to its own award letter, never another's."""

import pytest
from django.urls import reverse
from django.utils import timezone

from bids import envelope
from bids import services as bid_services
from bids.models import OperatorMember
from contracts.models import Contract
from core.models import Role, User
from core.testing import login, user_with_role
from evaluation import services
from evaluation.models import AwardLetter, Member
from evaluation.tests.test_award import CHARACTERISTICS, ranked_world
from tenders import stage_links

pytestmark = pytest.mark.django_db


def manage(client, w, user):
    login(client, user)
    response = client.get(reverse("tenders:manage", args=["GM0546", w.c.pk]))
    assert response.status_code == 200
    return {link.url: link.label for link in response.context["stage_links"]}, response.content.decode()


def urls(w):
    return {
        "opening": reverse("bids:opening", args=["GM0546", w.c.pk]),
        "committees": reverse("evaluation:overview", args=["GM0546", w.c.pk]),
        "award": reverse("evaluation:award", args=["GM0546", w.c.pk, w.lot.pk]),
        "reports": reverse("contracts:reports", args=["GM0546", w.c.pk]),
    }


def definitive(w):
    decision = services.decide_award(w.lot, actor=w.officer, winner=w.bids[0], characteristics=CHARACTERISTICS)
    services.record_evidence(decision, actor=w.officer)
    services.make_definitive(decision, actor=w.officer, now=decision.standstill_ends_at)
    return Contract.objects.get()


def test_the_officer_is_led_from_the_manage_page_to_opening_committees_award_contract_and_reports(client):
    w = ranked_world()
    links, page = manage(client, w, w.officer)
    u = urls(w)
    assert u["opening"] in links and u["committees"] in links and u["award"] in links
    assert u["reports"] not in links  # no award decision yet
    assert 'id="stage-links"' in page and "Opening en geopende inschrijvingen" in page
    contract = definitive(w)
    links, page = manage(client, w, w.officer)
    contract_url = reverse("contracts:detail", args=["GM0546", contract.pk])
    assert contract_url in links and u["reports"] in links
    for url in [u["opening"], u["committees"], u["award"], contract_url, u["reports"]]:
        assert client.get(url).status_code == 200, url  # every link shown can be followed


def test_a_policy_advisor_sees_the_contract_but_not_the_opening_evaluation_or_reports(client):
    w = ranked_world()
    advisor = user_with_role(Role.POLICY_ADVISOR, w.m, username="beleid")
    links, page = manage(client, w, advisor)
    assert links == {} and 'id="stage-links"' not in page
    contract = definitive(w)
    links, _ = manage(client, w, advisor)
    assert list(links) == [reverse("contracts:detail", args=["GM0546", contract.pk])]
    for url in urls(w).values():  # what is not shown is not open to the advisor either
        assert client.get(url).status_code in (403, 404), url


def test_a_seated_advisor_is_led_to_its_own_seat_and_no_one_else_s(client):
    w = ranked_world()
    advisor = user_with_role(Role.POLICY_ADVISOR, w.m, username="beleid")
    seat = Member.objects.create(committee=w.committee, user=advisor, appointed_at=timezone.now())
    links, _ = manage(client, w, advisor)
    assert list(links) == [reverse("evaluation:seat", args=[seat.pk])]
    assert "Mijn scores" in links[reverse("evaluation:seat", args=[seat.pk])]
    # The officer is not seated: no seat links, and the other members' seats are never linked.
    links, _ = manage(client, w, w.officer)
    assert not any("/zetels/" in url for url in links)


def test_a_draft_commissioning_links_to_no_later_stage(client):
    w = ranked_world()
    draft_links = stage_links.links(w.c, w.officer, w.m)
    assert draft_links  # sanity: in evaluation there are links
    w.c.phase, w.c.published_at = "draft", None  # read-only check of the providers on an unpublished commissioning
    assert stage_links.links(w.c, w.officer, w.m) == []


def bidder_page(client, submission, username):
    user = User.objects.create_user(username=username, password="x")
    OperatorMember.objects.create(operator=submission.lead, user=user, joined_at=timezone.now())
    envelope.new_draft_key(submission).save()
    bid_services.ensure_lead_participation(submission, user)
    login(client, user)
    response = client.get(reverse("bids:draft", args=[submission.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_bidder_s_submission_page_links_its_own_award_letter_only(client):
    w = ranked_world()
    page = bidder_page(client, w.bids[1], "tweede")
    assert "evaluation/brieven" not in page and 'id="stage-links"' not in page
    services.decide_award(w.lot, actor=w.officer, winner=w.bids[0], characteristics=CHARACTERISTICS)
    own = AwardLetter.objects.get(submission=w.bids[1])
    other = AwardLetter.objects.get(submission=w.bids[0])
    page = client.get(reverse("bids:draft", args=[w.bids[1].pk])).content.decode()
    assert reverse("evaluation:my_letter", args=[own.pk]) in page
    assert reverse("evaluation:my_letter", args=[other.pk]) not in page
    assert client.get(reverse("evaluation:my_letter", args=[own.pk])).status_code == 200
    assert client.get(reverse("evaluation:my_letter", args=[other.pk])).status_code == 404


def test_an_advisor_appointed_as_opener_is_led_to_the_opening(client):
    w = ranked_world()
    advisor = user_with_role(Role.POLICY_ADVISOR, w.m, username="opener")
    bid_services.appoint_opener(w.c, w.officer, advisor)
    links, _ = manage(client, w, advisor)
    assert list(links) == [urls(w)["opening"]]
    assert client.get(urls(w)["opening"]).status_code == 200
