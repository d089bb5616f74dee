"""In headless chromium: the public award notice after the definitive award (winner, value, contract summary) and
the procurement officer's page with the procurement report, both without accessibility violations (axe)."""

import pytest
from django.urls import reverse

from evaluation import services
from evaluation.tests.test_award import CHARACTERISTICS, ranked_world
from publication.tests.test_ocds_award import _consortium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_award_notice_and_the_procurement_report_page_are_accessible(page, browser_login, axe_check):
    w = ranked_world()
    _consortium(w)
    decision = services.decide_award(w.lot, actor=w.officer, winner=w.bids[0], characteristics=CHARACTERISTICS)
    services.record_evidence(decision, actor=w.officer)
    services.make_definitive(decision, actor=w.officer, now=decision.standstill_ends_at)

    page.goto(reverse("publication:detail", args=[w.m.cbs_code, w.c.pk]))
    notice = page.get_by_role("region", name="Aankondiging van gunning")
    assert "Inschrijver 1" in notice.inner_text() and "Opdrachtnemer" in notice.inner_text()
    assert "vaste buurtteams" not in page.content()
    axe_check(page)

    browser_login(page, w.officer, next_url=reverse("contracts:reports", args=[w.m.cbs_code, w.c.pk]))
    link = page.get_by_role("link", name="Procesverbaal van", exact=False)
    assert link.count() == 1  # made on the definitive award
    axe_check(page)
