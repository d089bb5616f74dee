"""In headless chromium, the evaluation's main flow: a member declares (no conflict), scores every criterion of every
bid and submits; the chair sees the spread and records the consensus; the officer takes the award decision, is
refused the definitive award during the standstill and gives it after, and opens the contract record; a bidder
downloads its own letter. Every page is checked with axe-core."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from bids.models import OperatorMember
from contracts.models import Contract
from core.testing import UserFactory
from evaluation import services
from evaluation.models import AwardDecision

from .factories import REASON, world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CHARACTERISTICS = "Het winnende plan werkt per wijk met vaste buurtteams en heeft de sterkste samenwerking."


def _tab(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="nl-NL", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    return context.new_page()


def test_declare_score_consensus_award_and_contract(page, browser, live_server, browser_login, axe_check):
    w = world(bids=2, members=2)
    first, second = w.people
    # The second member scores through the services: bid 0 gets 75, bid 1 gets 25 everywhere.
    seat2 = w.member(second)
    services.declare_interests(seat2, actor=second, has_conflict=False)
    for i, bid in enumerate(w.bids):
        for key in w.keys:
            services.save_score(
                seat2, actor=second, submission=bid, criterion_key=key, score=(75, 25)[i], reason=REASON
            )
    services.submit_scores(seat2, actor=second)

    # The first member, in the browser.
    seat = w.member(first)
    browser_login(page, first, next_url=reverse("evaluation:my_seats"))
    axe_check(page)
    page.get_by_role("link", name=f"{w.c.title} · {w.lot}").click()
    page.get_by_text("Inschrijver 1").first.wait_for()  # the declaration lists the bidding organisations
    axe_check(page)
    page.get_by_label("Nee, ik heb geen zo'n relatie").check()
    page.get_by_role("button", name="Verklaring ondertekenen").click()
    page.get_by_text("Uw verklaring is vastgelegd.").wait_for()
    axe_check(page)
    for i, bid in enumerate(w.bids):
        page.goto(reverse("evaluation:bid", args=[seat.pk, bid.pk]))
        if i == 0:
            axe_check(page)
        for key in w.keys:
            section = page.locator(f"#criterion-{key}")
            section.locator(f"input[name='{key}-score'][value='{(75, 25)[i]}']").check()
            section.locator("textarea").fill(REASON)
            section.get_by_role("button", name="Score opslaan").click()
            page.get_by_text("Uw score is opgeslagen.").wait_for()
    page.goto(reverse("evaluation:seat", args=[seat.pk]))
    page.get_by_role("button", name="Definitief indienen").click()
    page.get_by_text("Uw scores zijn definitief.").wait_for()
    page.screenshot(path="/tmp/e1-member.png", full_page=True)
    page.context.close()

    # The chair: spread, then the consensus on every bid and criterion.
    chair = _tab(browser, live_server)
    browser_login(chair, w.chair, next_url=reverse("evaluation:consensus", args=[w.member(w.chair).pk]))
    axe_check(chair)
    for i, bid in enumerate(w.bids):
        for key in w.keys:
            cell = chair.locator(f"#cell-{bid.pk}-{key}")
            cell.locator("select").select_option(str((75, 25)[i]))
            cell.locator(f"textarea[name='{bid.pk}-{key}-reason']").fill(REASON)
            cell.get_by_role("button", name="Consensus vastleggen").click()
            chair.get_by_text("De consensus is vastgelegd.").wait_for()
    assert chair.locator("table").last.locator("tbody tr").count() == 2  # the ranking
    chair.screenshot(path="/tmp/e1-consensus.png", full_page=True)
    chair.context.close()

    # The officer: the award decision, refused definitive during the standstill, then definitive and the contract.
    officer = _tab(browser, live_server)
    award_url = reverse("evaluation:award", args=["GM0546", w.c.pk, w.lot.pk])
    browser_login(officer, w.officer, next_url=award_url)
    axe_check(officer)
    officer.get_by_label("Kenmerken en relatieve voordelen van de winnende inschrijving (Aw 2.130)").fill(
        CHARACTERISTICS
    )
    officer.get_by_role("button", name="Neem het besluit en verstuur de brieven").click()
    officer.get_by_text("De gunningsbeslissing is naar elke inschrijver verstuurd.").wait_for()
    axe_check(officer)
    officer.get_by_role(
        "button", name="Leg vast dat de bewijsstukken van de winnaar zijn ontvangen en gecontroleerd"
    ).click()
    officer.get_by_role("button", name="Definitief gunnen").click()
    officer.locator(".utrecht-alert, [role=alert], [role=status]").filter(
        has_text="De opschortende termijn loopt tot"
    ).first.wait_for()
    assert not Contract.objects.exists()
    officer.context.close()

    decision = AwardDecision.objects.get()
    with time_machine.travel(decision.standstill_ends_at + timedelta(minutes=1), tick=True):
        officer = _tab(browser, live_server)
        browser_login(officer, w.officer, next_url=award_url)
        officer.get_by_role("button", name="Definitief gunnen").click()
        # The definitive award also renders the procurement report (a PDF): give it time on a busy machine.
        officer.get_by_role("link", name="Het contractdossier").click(timeout=60_000)
        officer.get_by_role("heading", name="Overeenkomst: Inschrijver 1").wait_for()
        axe_check(officer)
        officer.screenshot(path="/tmp/e1-contract.png", full_page=True)
        officer.context.close()

        # A bidder (the second, losing one) downloads its own letter.
        bidder = UserFactory(username="inschrijver2")
        OperatorMember.objects.create(operator=w.bids[1].lead, user=bidder, joined_at=timezone.now())
        tab = _tab(browser, live_server)
        browser_login(tab, bidder, next_url=reverse("evaluation:my_letters"))
        axe_check(tab)
        with tab.expect_download() as download:
            tab.get_by_role("link", name="Download de brief (pdf)").click()
        assert download.value.suggested_filename.endswith(".pdf")
        expect(tab.get_by_role("link", name="Download de brief (pdf)")).to_have_count(1)
        tab.context.close()
