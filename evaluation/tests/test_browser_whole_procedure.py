"""Issue 12, "done when": one whole Leiden procedure in headless chromium, from the design of the draft to the contract
record, moving the clock with time-machine (the live server runs in a thread of this process, so it reads the same
clock), on the core and landscape demo of Leiden.

The policy advisor designs the draft on the tenders pages (e2e_design.py: the commissioning, its lot with budget,
target groups, the activities it takes over and its KPIs, two criteria with anchors, one with a knock-out minimum),
and the procurement officer sets the deadlines and records the dispatch of the contract notice; three days later the
officer publishes the draft, answers a provider's question and publishes the clarification; three consortia bid (the
first through the browser, the others through the services); two openers confirm the opening with their
authenticator codes; the officer moves the procedure to evaluation and appoints the committee through the stage links
of the manage page; three members declare and score independently (one in the browser, which never shows the others'
scores before all have submitted); the chair records the consensus; the officer takes the award decision, which
excludes the third bid (below the minimum); a losing bidder downloads its letter, which pdftoppm renders and pdftotext
reads (the winner, the end of the standstill); the definitive award is refused before the standstill ends and given
after, with the contract record and the lot's KPIs on it; the procedure's OCDS record validates against OCDS 1.1.5.
A bidder can open neither another bidder's bid nor its letter. Screenshots of the main steps go to /tmp/e2e-*.png.

Set-up that is not itself under test goes through the services: the registration of the operators and their
consortia (with the bids of the second and third), the appointment of the openers, and the declarations and scores of
two of the three members."""

import json
import subprocess
from datetime import datetime, timedelta
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from playwright.sync_api import expect

from bids import services as bid_services
from bids.models import Participation, SealedVersion, Submission
from bids.tests.factories_b2 import no_exclusion_grounds, register
from contracts.models import Contract
from core import demo as core_demo
from core import otp
from core.demo import DEMO_PASSWORD
from core.models import Municipality, Role, User
from core.testing import PASSWORD, user_with_role
from evaluation import services
from evaluation.models import AwardDecision, AwardLetter, Committee
from evaluation.tests import e2e_design
from landscape import demo as landscape_demo
from publication import ocds, validation
from tenders.models import Deadline, Phase

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
START = datetime(2027, 3, 1, 9, 0, tzinfo=AMSTERDAM)  # a Monday
STEP = timedelta(seconds=31)  # one TOTP time step: a code used to log in cannot be used again
SHOTS = Path("/tmp")
DEMO_USERS = ("leiden.inkoop", "leiden.beleid", "leiden.contract")
TITLE = "Welzijn Leiden: Samen Meedoen 2028"
CONSORTIA = [  # consortium name, lead, member; every member scores them 75, 50 and 25 on every criterion
    ("Coalitie Sleutelstad", "Ouderenwerk Hooglandse Kring", "Ontmoetingshuis De Lindenboom"),
    ("Netwerk Morskwartier", "Buurtwerk Morskwartier", "Mantelzorgpunt Roodenburg"),
    ("Samen Stevenshof", "Wijkkracht Stevenshof", "Werkplaats aan de Mare"),
]
SCORES = (75, 50, 25)
REASON = "Het plan beschrijft concreet per wijk wat het anker voor deze score vraagt, met doelen en partners."
SECRET = "Alleen lid twee weet dit: de samenwerking met de bibliotheek ontbreekt in het plan."
QUESTION = "Mogen vrijwilligersorganisaties als onderaannemer meedoen in het samenwerkingsverband?"
ANSWER = "Ja, als onderaannemer in ring 2; hun toezeggingen tellen mee voor het aandeel kleine organisaties."
CHARACTERISTICS = "Het winnende plan werkt per wijk met vaste buurtteams en heeft de sterkste samenwerking."


class Browser:
    """Tabs on the live server; every login first moves the clock one TOTP step, so no code is used twice."""

    def __init__(self, browser, live_server, browser_login, clock):
        self.browser, self.live_server, self.login, self.clock = browser, live_server, browser_login, clock

    def tab(self, user, next_url):
        context = self.browser.new_context(
            base_url=self.live_server.url,
            locale="nl-NL",
            viewport={"width": 1280, "height": 900},
            accept_downloads=True,
        )
        context.set_default_timeout(20_000)
        self.clock.shift(STEP)
        password = DEMO_PASSWORD if user.username in DEMO_USERS else PASSWORD
        tab = self.login(context.new_page(), user, password=password, next_url=next_url)
        assert "/inloggen" not in tab.url, tab.url  # the login pages' URL ends in ?next=<next_url> too
        return tab


def shot(tab, name):
    tab.screenshot(path=str(SHOTS / f"e2e-{name}.png"), full_page=True)


def flat(text: str) -> str:
    """Without white space: pdftotext breaks names and dates over lines in narrow cells."""
    return "".join(text.split())


def consortium(c, name, lead_name, member_name):
    """A registered lead and member (each confirmed from its own account), both self-declared (art. 57)."""
    lead, lead_user = register(lead_name, city="Leiden")
    member, member_user = register(member_name, city="Leiden")
    s = bid_services.create_submission(
        lead_user, lead, c, kind=Submission.Kind.BID, lot=c.lots.get(), consortium_name=name
    )
    p = bid_services.add_participation(s, lead_user, operator=member, ring=Participation.Ring.MEMBER, role="Uitvoering")
    bid_services.decide_participation(p, member_user, confirm=True)
    bid_services.declare(s.participations.get(ring=Participation.Ring.LEAD), lead_user, no_exclusion_grounds())
    bid_services.declare(p, member_user, no_exclusion_grounds())
    return s, lead_user


def answer_every_criterion(tab, s):
    for criterion in s.commissioning.criteria.filter(children__isnull=True).order_by("pk"):
        tab.fill(f"#id_c{criterion.pk}-text", f"{REASON} ({criterion.title})")
        tab.locator(f"form[action$='/antwoord/{criterion.pk}'] button[type=submit]").click()
        tab.get_by_text("Uw antwoord is opgeslagen").wait_for()


def score_in_browser(tab, seat, bids, keys):
    for i, bid in enumerate(bids):
        tab.goto(reverse("evaluation:bid", args=[seat.pk, bid.pk]))
        assert SECRET not in tab.content()  # leak check: another member's reason is never shown
        for key in keys:
            section = tab.locator(f"#criterion-{key}")
            section.locator(f"input[name='{key}-score'][value='{SCORES[i]}']").check()
            section.locator("textarea").fill(REASON)
            section.get_by_role("button", name="Score opslaan").click()
            tab.get_by_text("Uw score is opgeslagen.").wait_for()


def score_by_service(seat, user, bids, keys, reason=REASON):
    services.declare_interests(seat, actor=user, has_conflict=False)
    for i, bid in enumerate(bids):
        for key in keys:
            services.save_score(seat, actor=user, submission=bid, criterion_key=key, score=SCORES[i], reason=reason)
    services.submit_scores(seat, actor=user)


def last_day_of_standstill(decision) -> str:
    with translation.override("nl"):
        return dateformat.format(timezone.localtime(decision.standstill_ends_at - timedelta(seconds=1)), "l j F Y")


def test_a_whole_leiden_procedure_from_the_draft_to_the_contract(
    browser, live_server, browser_login, axe_check, tmp_path
):
    with time_machine.travel(e2e_design.DESIGNED_ON, tick=True) as clock:
        core_demo.load(StringIO())
        landscape_demo.load(StringIO())
        m = Municipality.objects.get(cbs_code="GM0546")
        officer = User.objects.get(username="leiden.inkoop")
        tabs = Browser(browser, live_server, browser_login, clock)

        # 0. The policy advisor designs the draft, the officer sets its deadlines and records the notice's dispatch.
        c, activities, off = e2e_design.design(tabs, User.objects.get(username="leiden.beleid"), officer, TITLE)
        manage_url = reverse("tenders:manage", args=["GM0546", c.pk])
        # Everything is in place but the art. 52(1) wait: TED has not published the notice, so the portal may publish
        # 48 hours after the confirmed receipt (Friday 09:00 + 48 hours).
        off.get_by_text("of vanaf 28 februari 2027, 09:00, 48 uur nadat het Publicatiebureau").wait_for()
        assert off.locator("#scope-warnings").count() == 0  # the budget covers the grants of what the lot takes over
        lot = c.lots.get()
        assert lot.annual_budget == int(e2e_design.BUDGET) and lot.activities.count() == len(activities) > 0
        assert [k.name for k in lot.kpis.all()] == [k[0] for k in e2e_design.KPIS]
        expect(off.locator("#lot-kpis").get_by_role("rowheader", name=e2e_design.KPIS[0][0])).to_be_visible()
        assert {(k.title, k.weight, k.minimum_score) for k in c.criteria.all()} == {
            ("Plan van aanpak", 60, None),
            ("Samenwerking in de wijk", 40, 50),
        }
        axe_check(off)
        shot(off, "design")
        off.context.close()

        # 1. Three days later the officer publishes the designed draft.
        clock.move_to(START)
        off = tabs.tab(officer, manage_url)
        off.get_by_text("Alles wat nodig is, is aanwezig.").wait_for()  # 72 hours after the confirmed receipt
        off.locator(f"form[action='{reverse('tenders:publish', args=['GM0546', c.pk])}'] button").click()
        off.locator("#phase").filter(has_text="Inschrijving open").wait_for()
        c.refresh_from_db()
        assert c.phase == Phase.TENDERING
        shot(off, "1-published")

        # 2. Three consortia prepare their bids; the first one's lead asks a question on the public page.
        bids = [consortium(c, *row) for row in CONSORTIA]
        (first, first_user), (second, second_user), (third, third_user) = bids
        lead = tabs.tab(first_user, reverse("publication:detail", args=["GM0546", c.pk]))
        lead.locator(f"a[href='{reverse('tenders:ask', args=['GM0546', c.pk])}']").click()
        lead.fill("#id_text", QUESTION)
        lead.locator("main form button[type=submit]").click()
        lead.get_by_text("Uw vraag is ontvangen").wait_for()

        # 3. The officer answers it and publishes the clarification, without the name of who asked.
        off.goto(manage_url)
        question = c.questions.get()
        off.fill(f"#id_q{question.pk}-answer", ANSWER)
        off.fill(f"#id_q{question.pk}-topic", "Samenwerkingsverband")
        off.locator(f"form[action='{reverse('tenders:answer', args=['GM0546', c.pk, question.pk])}'] button").click()
        off.get_by_text("Het antwoord is opgeslagen").wait_for()
        off.fill("#id_clarify-introduction", "Antwoorden op de vragen van de eerste week.")
        off.locator(f"form[action='{reverse('tenders:clarify', args=['GM0546', c.pk])}'] button").click()
        off.get_by_text("De nota van inlichtingen is gepubliceerd.").wait_for()
        clarification_url = reverse("publication:clarification", args=["GM0546", c.pk, 1])
        off.locator(f"a[href='{clarification_url}']").click()
        off.get_by_text(ANSWER).wait_for()
        assert first.lead.name not in off.content() and first_user.username not in off.content()
        shot(off, "2-clarification")

        # 4. The first consortium answers and submits in the browser; the others through the services.
        lead.goto(reverse("bids:draft", args=[first.pk]))
        answer_every_criterion(lead, first)
        lead.get_by_role("link", name="Indienen", exact=True).click()
        lead.get_by_role("button", name="Ja, nu indienen").click()
        lead.wait_for_url("**/ontvangstbevestiging/**")
        receipt = SealedVersion.objects.get(submission=first)
        assert receipt.receipt_sha256 in lead.content()
        shot(lead, "3-receipt")
        for s, user in bids[1:]:
            for criterion in c.criteria.filter(children__isnull=True):
                bid_services.save_answer(s, user, criterion, f"{REASON} ({s.consortium_name})")
            bid_services.submit(s, user)
        for opener in ("leiden.beleid", "leiden.contract"):
            bid_services.appoint_opener(c, officer, User.objects.get(username=opener))

        # 5. After the deadline two openers, each with a fresh authenticator code, open the bids.
        clock.move_to(c.deadlines.get(kind=Deadline.Kind.BIDS).at + timedelta(minutes=1))
        opening_url = reverse("bids:opening", args=["GM0546", c.pk])
        for username, done in (
            ("leiden.beleid", "Een tweede opener moet bevestigen"),
            ("leiden.contract", "De inschrijvingen zijn geopend"),
        ):
            user = User.objects.get(username=username)
            tab = tabs.tab(user, opening_url)
            clock.shift(STEP)
            tab.fill("#id_token", otp.current_token(user.totpdevice_set.get(confirmed=True)))
            tab.get_by_role("button", name="Bevestig de opening").click()
            tab.get_by_text(done).wait_for()
            tab.context.close()

        # 6. The officer moves to evaluation and, through the manage page's stage links, appoints the committee.
        chair = user_with_role(Role.EVALUATOR, m, username="leiden.vz", first_name="Vera", last_name="Voorzitter")
        members = [
            user_with_role(Role.EVALUATOR, m, username=f"leiden.lid-{n}", first_name=n.capitalize(), last_name="Lid")
            for n in ("anna", "bram", "chris")
        ]
        off = tabs.tab(officer, manage_url)
        off.locator("form:has(input[name=phase][value=evaluation]) button").click()
        off.locator("#phase").filter(has_text="Beoordeling").wait_for()
        links = off.locator("#stage-links")
        expect(links.get_by_role("link", name="Opening en geopende inschrijvingen")).to_be_visible()
        axe_check(off)
        links.get_by_role("link", name="Beoordelingscommissies").click()
        off.select_option("#id_chair", label="Vera Voorzitter")
        for user in members:
            off.get_by_label(user.get_full_name()).check()
        off.locator("main form button[type=submit]").first.click()
        off.get_by_text("De commissie is benoemd.").wait_for()
        committee = Committee.objects.get(lot__commissioning=c)
        keys = [k["key"] for k in c.criteria_snapshot.data["criteria"] if k["leaf"]]
        ordered = [first, second, third]

        # 7. Three members declare and score independently; nobody sees another's scores before all have scored.
        seats = {seat.user_id: seat for seat in committee.members.all()}
        score_by_service(seats[members[1].pk], members[1], ordered, keys, reason=SECRET)
        member = tabs.tab(members[0], reverse("evaluation:declaration", args=[seats[members[0].pk].pk]))
        member.get_by_label("Nee, ik heb geen zo'n relatie").check()
        member.get_by_role("button", name="Verklaring ondertekenen").click()
        member.get_by_text("Uw verklaring is vastgelegd.").wait_for()
        score_in_browser(member, seats[members[0].pk], ordered, keys)
        member.goto(reverse("evaluation:seat", args=[seats[members[0].pk].pk]))
        member.get_by_role("button", name="Definitief indienen").click()
        member.get_by_text("Uw scores zijn definitief.").wait_for()
        assert SECRET not in member.content()
        shot(member, "4-member")
        consensus_url = reverse("evaluation:consensus", args=[seats[chair.pk].pk])
        lead_chair = tabs.tab(chair, consensus_url)
        assert SECRET not in lead_chair.content()  # one member has not submitted yet: the chair sees nothing
        score_by_service(seats[members[2].pk], members[2], ordered, keys)

        # 8. The chair sees the spread and records the consensus.
        lead_chair.goto(consensus_url)
        assert SECRET in lead_chair.content()
        for i, bid in enumerate(ordered):
            for key in keys:
                cell = lead_chair.locator(f"#cell-{bid.pk}-{key}")
                cell.locator("select").select_option(str(SCORES[i]))
                cell.locator(f"textarea[name='{bid.pk}-{key}-reason']").fill(REASON)
                cell.get_by_role("button", name="Consensus vastleggen").click()
                lead_chair.get_by_text("De consensus is vastgelegd.").wait_for()
        shot(lead_chair, "5-consensus")
        lead_chair.context.close()

        # 9. The award decision, with a letter to every tenderer.
        off.goto(manage_url)
        off.locator("#stage-links").get_by_role("link", name="Rangorde en gunningsbeslissing").click()
        off.get_by_label("Kenmerken en relatieve voordelen van de winnende inschrijving (Aw 2.130)").fill(
            CHARACTERISTICS
        )
        off.get_by_role("button", name="Neem het besluit en verstuur de brieven").click()
        off.get_by_text("De gunningsbeslissing is naar elke inschrijver verstuurd.").wait_for()
        decision = AwardDecision.objects.get(lot__commissioning=c)
        assert decision.winner == first and decision.letters.count() == 3
        assert [e["submission"] for e in decision.exclusions] == [third.pk]  # 25 is below the designed minimum 50
        evidence = "Leg vast dat de bewijsstukken van de winnaar zijn ontvangen en gecontroleerd"  # art. 59(4)
        off.get_by_role("button", name=evidence).click()
        off.get_by_text("De bewijsstukken van de winnaar zijn vastgelegd.").wait_for()
        shot(off, "6-award")

        # 10. A losing bidder finds its letter on its own submission page; the PDF names the winner and the end of
        # the standstill. It can open neither the winner's bid nor the winner's letter.
        loser = tabs.tab(second_user, reverse("bids:draft", args=[second.pk]))
        axe_check(loser)
        with loser.expect_download() as download:
            loser.locator("#stage-links a").click()
        letter = tmp_path / "brief.pdf"
        download.value.save_as(letter)
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(letter), str(SHOTS / "e2e-7-letter")], check=True)
        assert all(png.stat().st_size > 10_000 for png in SHOTS.glob("e2e-7-letter*.png"))
        text = flat(subprocess.run(["pdftotext", str(letter), "-"], check=True, capture_output=True, text=True).stdout)
        assert flat(first.consortium_name) in text and flat(last_day_of_standstill(decision)) in text
        # Sent on Monday 22 March 2027: 20 days from the next day end on Sunday 11 April, so the standstill runs to
        # the end of the next working day (Aw 2.127; Algemene termijnenwet art. 1).
        assert flat("eindigt op maandag 12 april 2027 om 24:00") in text
        winner_letter = AwardLetter.objects.get(submission=first)
        for url, status in (
            (reverse("evaluation:my_letter", args=[winner_letter.pk]), 404),
            (reverse("bids:draft", args=[first.pk]), 404),
            (reverse("bids:receipt_pdf", args=[receipt.pk]), 404),
            (reverse("bids:opened_submission", args=["GM0546", c.pk, first.pk]), 403),
        ):
            assert loser.request.get(url, max_redirects=0).status == status, url
        loser.context.close()

        # 11. No contract before the standstill ends; the definitive award and the contract record after.
        award_url = reverse("evaluation:award", args=["GM0546", c.pk, c.lots.get().pk])
        clock.move_to(decision.standstill_ends_at - timedelta(minutes=10))  # the login moves it 31 s
        off = tabs.tab(officer, award_url)
        off.get_by_role("button", name="Definitief gunnen").click()
        off.locator(".utrecht-alert--error").filter(has_text="De opschortende termijn loopt tot").wait_for()
        assert not Contract.objects.exists()
        clock.move_to(decision.standstill_ends_at + timedelta(minutes=1))
        off = tabs.tab(officer, award_url)
        off.get_by_role("button", name="Definitief gunnen").click()
        off.get_by_role("link", name="Het contractdossier").wait_for(timeout=60_000)
        contract = Contract.objects.get()
        assert [k.name for k in contract.kpis.all()] == [k[0] for k in e2e_design.KPIS]  # as designed
        off.goto(manage_url)
        off.locator("#stage-links").get_by_role("link", name="Overeenkomst: 1. Samen Meedoen").click()
        off.get_by_role("heading", name=f"Overeenkomst: {first.consortium_name}").wait_for()
        assert contract.submission_id == first.pk
        shot(off, "8-contract")

        # 12. The OCDS record of the procedure validates against OCDS 1.1.5, with the award and the contract.
        response = off.request.get(reverse("publication-api:ocds_record", args=[ocds.ocid(c)]))
        assert response.status == 200
        package = json.loads(response.body())
        assert validation.errors(package) == []
        release = package["records"][0]["compiledRelease"]
        assert [a["status"] for a in release["awards"]] == ["active"]
        assert len(release["contracts"]) == 1
        tenderers = {t["name"] for t in release["tender"]["tenderers"]}
        assert tenderers == {f"Stichting {name}" for _, *names in CONSORTIA for name in names}  # every member
