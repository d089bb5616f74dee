"""The award pages: the officer's decision (Aw 2.130), letters, evidence (art. 59(4)), summary proceedings, debriefing
(art. 55(2)), the definitive award after the standstill (Aw 2.127) and the contract record; the bidder's own letters
only; the standstill on the public timeline."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import formats, timezone, translation

from bids.models import OperatorMember
from contracts.models import Contract
from core.models import Role, User
from core.testing import MunicipalityFactory, login, user_with_role
from evaluation import services
from evaluation.models import AwardDecision, DebriefingRequest, SummaryProceedings

from .test_award import CHARACTERISTICS, ranked_world

pytestmark = pytest.mark.django_db


def ev(name, *args):
    return reverse(f"evaluation:{name}", args=args)


def award_url(w, name="award", *more):
    return ev(name, "GM0546", w.c.pk, w.lot.pk, *more)


def bidder_of(submission, username):
    user = User.objects.create_user(username=username, password="x")
    OperatorMember.objects.create(operator=submission.lead, user=user, joined_at=timezone.now())
    return user


def decided(w):
    return services.decide_award(w.lot, actor=w.officer, winner=w.bids[0], characteristics=CHARACTERISTICS)


def test_officer_sees_the_ranking_with_rank_1_preselected_and_decides_aw_2_130(client):
    w = ranked_world()
    login(client, w.officer)
    page = client.get(award_url(w))
    assert page.status_code == 200
    assert page.context["award_form"].initial["winner"] == w.bids[0].pk
    response = client.post(award_url(w, "decide"), {"winner": w.bids[0].pk, "characteristics": CHARACTERISTICS})
    assert response.status_code == 302
    decision = AwardDecision.objects.get()
    assert decision.letters.count() == 3
    page = client.get(award_url(w)).content.decode()
    assert "Definitief gunnen" in page and "(PDF)" in page


def test_a_winner_that_is_not_rank_1_is_refused_and_nothing_is_sent(client):
    w = ranked_world()
    login(client, w.officer)
    response = client.post(award_url(w, "decide"), {"winner": w.bids[1].pk, "characteristics": CHARACTERISTICS})
    assert response.status_code == 400
    assert "hoogste totaal" in response.content.decode()
    assert not AwardDecision.objects.exists()


def test_a_tie_shows_the_tie_break_field_and_needs_it(client):
    w = ranked_world((75, 75, 25))
    login(client, w.officer)
    assert "Gelijke totalen" in client.get(award_url(w)).content.decode()
    response = client.post(award_url(w, "decide"), {"winner": w.bids[1].pk, "characteristics": CHARACTERISTICS})
    assert response.status_code == 400
    assert not AwardDecision.objects.exists()


@pytest.mark.parametrize("role", [Role.EVALUATOR, Role.POLICY_ADVISOR])
def test_only_the_officer_uses_the_award_pages(client, role):
    w = ranked_world()
    decision = decided(w)
    login(client, user_with_role(role, w.m))
    assert client.get(award_url(w)).status_code == 403
    assert client.post(award_url(w, "definitive", decision.pk)).status_code == 403
    assert client.get(award_url(w, "letter", decision.letters.first().pk)).status_code == 403
    other = MunicipalityFactory(cbs_code="GM0599", name="Rotterdam")
    login(client, user_with_role(Role.PROCUREMENT_OFFICER, other))
    assert client.get(award_url(w)).status_code == 403


def test_definitive_award_is_refused_before_the_standstill_ends_aw_2_127(client):
    w = ranked_world()
    decision = decided(w)
    login(client, w.officer)
    assert client.post(award_url(w, "evidence", decision.pk)).status_code == 302
    with time_machine.travel(decision.standstill_ends_at - timedelta(seconds=1), tick=False):
        login(client, w.officer)  # weeks later: a new session
        response = client.post(award_url(w, "definitive", decision.pk), follow=True)
    page = response.content.decode()
    # The last day at 24:00, as the letter says it, never "00:00" of the day after.
    last = decision.standstill_last_day
    assert last == (decision.standstill_ends_at - timedelta(hours=12)).astimezone(ZoneInfo("Europe/Amsterdam")).date()
    assert f"De opschortende termijn loopt tot {last:%d-%m-%Y} 24:00" in page
    with translation.override("nl"):
        assert f"{formats.date_format(last, 'l j F Y')} om 24:00" in page
    assert not Contract.objects.exists()
    with time_machine.travel(decision.standstill_ends_at, tick=False):
        response = client.post(award_url(w, "definitive", decision.pk), follow=True)
        contract = Contract.objects.get()
        assert reverse("contracts:detail", args=["GM0546", contract.pk]) in response.content.decode()
        page = client.get(reverse("contracts:detail", args=["GM0546", contract.pk]))
    assert page.status_code == 200 and "Inschrijver 1" in page.content.decode()


def test_contract_record_is_not_shown_to_a_bidder_or_another_municipality(client):
    w = ranked_world()
    decision = decided(w)
    services.record_evidence(decision, actor=w.officer)
    services.make_definitive(decision, actor=w.officer, now=decision.standstill_ends_at)
    contract = Contract.objects.get()
    login(client, bidder_of(w.bids[0], "winnaar"))
    assert client.get(reverse("contracts:detail", args=["GM0546", contract.pk])).status_code == 403
    other = MunicipalityFactory(cbs_code="GM0599", name="Rotterdam")
    login(client, user_with_role(Role.PROCUREMENT_OFFICER, other))
    assert client.get(reverse("contracts:detail", args=["GM0599", contract.pk])).status_code == 404


def test_proceedings_judgment_withdrawal_and_debriefing_answer(client):
    w = ranked_world()
    decision = decided(w)
    request = services.request_debriefing(
        decision, actor=w.officer, submission=w.bids[1], question="Waarom scoorden wij lager?",
        now=decision.sent_at - timedelta(days=20),
    )  # fmt: skip
    login(client, w.officer)
    page = client.get(award_url(w)).content.decode()
    assert "termijn verstreken" in page  # overdue: due 15 days after a request 20 days ago
    assert client.post(award_url(w, "proceedings", decision.pk), {"proceedings-text": ""}).status_code == 400
    assert (
        client.post(award_url(w, "proceedings", decision.pk), {"proceedings-text": "Buurtwerk BV"}).status_code == 302
    )
    row = SummaryProceedings.objects.get()
    url = award_url(w, "judgment", row.pk)
    assert client.post(url, {f"judgment{row.pk}-text": "Vorderingen afgewezen."}).status_code == 302
    url = award_url(w, "answer", request.pk)
    assert client.post(url, {f"answer{request.pk}-text": "Zie de brief, criterium 2."}).status_code == 302
    assert DebriefingRequest.objects.get().answered_at is not None
    assert client.post(award_url(w, "withdraw", decision.pk), {"withdraw-text": "Rekenfout."}).status_code == 302
    assert AwardDecision.objects.get().withdrawn_at is not None


def test_a_bidder_sees_and_downloads_only_its_own_letter(client):
    w = ranked_world()
    decision = decided(w)
    user = bidder_of(w.bids[1], "tweede")
    own = decision.letters.get(submission=w.bids[1])
    other = decision.letters.get(submission=w.bids[0])
    login(client, user)
    page = client.get(ev("my_letters")).content.decode()
    assert ev("my_letter", own.pk) in page and ev("my_letter", other.pk) not in page
    response = client.get(ev("my_letter", own.pk))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert client.get(ev("my_letter", other.pk)).status_code == 404
    assert client.post(ev("debriefing", other.pk), {f"q{other.pk}-text": "Vraag"}).status_code == 404
    assert client.post(ev("debriefing", own.pk), {f"q{own.pk}-text": "Waarom lager?"}).status_code == 302
    assert DebriefingRequest.objects.get().submission == w.bids[1]
    assert client.get(award_url(w)).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login(client):
    assert "/inloggen" in client.get(ev("my_letters"))["Location"]
    assert "/inloggen" in client.get(ev("my_seats"))["Location"]


def test_the_public_timeline_shows_the_end_of_the_standstill_aw_2_127(client):
    w = ranked_world()
    url = reverse("publication:detail", args=["GM0546", w.c.pk])
    assert "opschortende termijn" not in client.get(url).content.decode()
    decided(w)
    assert "Einde van de opschortende termijn" in client.get(url).content.decode()


def test_the_officer_downloads_every_letter(client):
    w = ranked_world()
    decision = decided(w)
    login(client, w.officer)
    for letter in decision.letters.all():
        response = client.get(award_url(w, "letter", letter.pk))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert "no-store" in response["Cache-Control"]
