"""The public award notice (aankondiging van gunning, issue 12): per lot the winner, the date of the decision, the
value, the end of the standstill while it runs (also on the public timeline, Aw 2.127) and, after the definitive
award, the contract in summary; never the scores, the reasons or the content of any bid."""

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from core import page_cache
from evaluation import services
from evaluation.tests.factories import REASON
from evaluation.tests.test_award import CHARACTERISTICS, ranked_world
from publication.tests.test_ocds_award import _consortium

pytestmark = pytest.mark.django_db
SECOND = timedelta(seconds=1)


def _page(client, w, at):
    page_cache.store.clear()
    with time_machine.travel(at, tick=False):
        response = client.get(reverse("publication:detail", args=[w.m.cbs_code, w.c.pk]))
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def _decided(**extra):
    w = ranked_world()
    _consortium(w)
    w.c.contract_start = date(2027, 1, 1)
    w.c.save(update_fields=["contract_start"])
    decision = services.decide_award(w.lot, actor=w.officer, winner=w.bids[0], characteristics=CHARACTERISTICS)
    return w, decision


def test_no_award_notice_before_a_decision(client):
    w = ranked_world()
    page = _page(client, w, w.c.published_at + timedelta(days=1))
    assert "Aankondiging van gunning" not in page


def test_the_notice_shows_winner_value_and_the_running_standstill_aw_2_127(client):
    w, decision = _decided()
    page = _page(client, w, decision.standstill_ends_at - SECOND)
    assert "Aankondiging van gunning" in page
    assert "Inschrijver 1 (combinatie: Inschrijver 1, Inschrijver 7)" in page
    value = w.lot.annual_budget * w.c.total_years
    assert f"{value:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".") in page
    assert "Loopt tot" in page and "om 24:00" in page
    assert "Einde van de opschortende termijn, perceel 1" in page  # on the public timeline
    assert "Overeenkomst" not in page


def test_the_standstill_line_goes_once_it_has_ended_aw_2_127(client):
    w, decision = _decided()
    page = _page(client, w, decision.standstill_ends_at)
    assert "Loopt tot" not in page
    assert "nog niet definitief" in page


def test_after_the_definitive_award_the_contract_summary_is_public(client):
    w, decision = _decided()
    services.record_evidence(decision, actor=w.officer)
    services.make_definitive(decision, actor=w.officer, now=decision.standstill_ends_at)
    page = _page(client, w, decision.standstill_ends_at + SECOND)
    assert "Definitieve gunning" in page and "Opdrachtnemer" in page
    assert "1 januari 2027" in page
    assert "Loopt tot" not in page


def test_the_notice_shows_no_scores_reasons_or_bid_content(client):
    w, decision = _decided()
    page = _page(client, w, decision.standstill_ends_at - SECOND)
    assert REASON not in page
    assert "vaste buurtteams" not in page  # the characteristics go to the tenderers, not the public
    assert "Inschrijver 2" not in page and "Inschrijver 3" not in page


def test_a_withdrawn_decision_leaves_the_notice(client):
    w, decision = _decided()
    services.withdraw_award(decision, actor=w.officer, reason="Rekenfout in de motivering.")
    page = _page(client, w, decision.standstill_ends_at - SECOND)
    assert "Aankondiging van gunning" not in page
