"""Issue 11, "done when", in headless chromium over the demo data (bids/demo_consortium.py, docs/demo.md): the lead
of the Leiden consortium finds its draft with two members and three small subcontractors invited; each of the five
confirms from its own account and makes its self-declaration; the lead answers the criteria, attaches a PDF,
submits (receipt page with time and SHA-256, receipt PDF) and replaces the bid (a second receipt; only the last
counts); at the deadline the lone bidder's submission is refused in Dutch and recorded; two openers each confirm
with their authenticator code and the opening record (PDF) lists the openers, the bid with its receipt, the replaced
version and the late attempt. Screenshots of the main steps are written to /tmp/d-bid-flow-*.png."""

import subprocess
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from bids import demo_consortium as demo
from bids.models import LateAttempt, Opening, Participation, SealedVersion, Submission
from bids.rules import EXCLUSION_CODES
from core import otp
from core.demo import DEMO_PASSWORD
from core.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/tmp")
STEP = timedelta(seconds=31)  # one TOTP time step: the code used to log in cannot be used again
RINGS_1_AND_2 = (Participation.Ring.MEMBER, Participation.Ring.SUBCONTRACTOR)
MEMBERS_AND_SUBCONTRACTORS = [row[0] for row in demo.OPERATORS if row[4] in RINGS_1_AND_2]
LATE_MESSAGE = "De termijn is verstreken: uw inschrijving is geweigerd en de poging is vastgelegd."


def _tab(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="nl-NL", viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    context.set_default_timeout(15_000)
    return context.new_page()


def _login(browser, live_server, browser_login, username, next_url):
    tab = _tab(browser, live_server)
    return browser_login(tab, User.objects.get(username=username), password=DEMO_PASSWORD, next_url=next_url)


def _shot(tab, name):
    tab.screenshot(path=str(SHOTS / f"d-bid-flow-{name}.png"), full_page=True)


def _declare(tab, participation):
    tab.goto(reverse("bids:declaration", args=[participation.pk]))
    for code in EXCLUSION_CODES:
        tab.check(f"#id_{code}__applies_0")  # "Nee"
    tab.get_by_role("button", name="Verklaren").click()
    tab.wait_for_url(f"**{reverse('bids:consortium', args=[participation.submission_id])}")


def _local(at) -> str:
    with translation.override("nl"):
        return dateformat.format(timezone.localtime(at), "j F Y H:i:s T")


def _flat(text: str) -> str:
    """Without white space: pdftotext breaks a long hash or a date over lines in narrow table cells."""
    return "".join(text.split())


def _pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout


def _answer_every_criterion(tab, submission, text):
    for criterion in submission.commissioning.criteria.order_by("pk"):
        if criterion.children.exists():
            continue
        tab.fill(f"#id_c{criterion.pk}-text", f"{text} ({criterion.title})")
        tab.locator(f"form[action$='/antwoord/{criterion.pk}'] button[type=submit]").click()
        tab.get_by_text("Uw antwoord is opgeslagen").wait_for()


def _submit(tab, submission, link_name):
    tab.goto(reverse("bids:draft", args=[submission.pk]))
    tab.get_by_role("link", name=link_name, exact=True).click()
    tab.get_by_role("button", name="Ja, nu indienen").click()
    tab.wait_for_url("**/ontvangstbevestiging/**")
    return SealedVersion.objects.filter(submission=submission).order_by("number").last()


def test_demo_consortium_submits_replaces_a_late_bid_is_refused_and_two_openers_open(
    browser, live_server, browser_login, axe_check, tmp_path
):
    call_command("load_demo", stdout=StringIO())
    bid = Submission.objects.get(lead__name="Stichting Ouderenwerk Hooglandse Kring")
    lone = Submission.objects.get(lead__name="Buurtcoöperatie Boerhaave")
    c = bid.commissioning
    consortium_url = reverse("bids:consortium", args=[bid.pk])

    # The lead finds its draft with the five organisations it invited, all awaiting their own confirmation.
    lead = _login(browser, live_server, browser_login, demo.LEAD, reverse("bids:my_submissions"))
    lead.goto(consortium_url)
    expect(lead.get_by_role("heading", name=f"Samenwerkingsverband: {demo.CONSORTIUM_NAME}")).to_be_visible()
    assert lead.get_by_text("Wacht op bevestiging").count() == 5
    _shot(lead, "1-lead-consortium-pending")
    axe_check(lead)

    # Each member and subcontractor confirms from its own account and makes its self-declaration (art. 57).
    for username in MEMBERS_AND_SUBCONTRACTORS:
        tab = _login(browser, live_server, browser_login, username, reverse("bids:invitations"))
        tab.get_by_role("button", name="Deelname bevestigen").click()
        tab.wait_for_url("**/inschrijven/uitnodigingen")
        expect(tab.get_by_text("Bevestigd").first).to_be_visible()
        if username == MEMBERS_AND_SUBCONTRACTORS[-1]:
            _shot(tab, "2-self-organisation-confirmed")
        _declare(tab, bid.participations.get(operator__members__user__username=username))
        tab.context.close()
    assert not bid.participations.filter(status=Participation.Status.PENDING).exists()
    _declare(lead, bid.participations.get(ring=Participation.Ring.LEAD))
    assert lead.get_by_text("Wacht op bevestiging").count() == 0
    _shot(lead, "3-lead-consortium-confirmed")

    # The lead answers every criterion, attaches a PDF and submits: the receipt page shows the time and the hash.
    lead.goto(reverse("bids:draft", args=[bid.pk]))
    _answer_every_criterion(lead, bid, "Samen met de buurt")
    pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n% plan van aanpak Samen Meedoen\n%%EOF\n"
    upload = {"name": "plan-van-aanpak.pdf", "mimeType": "application/pdf", "buffer": pdf}
    lead.set_input_files("#id_file", files=[upload])
    lead.locator("form[action$='/bijlage'] button[type=submit]").click()
    lead.get_by_text("plan-van-aanpak.pdf").first.wait_for()
    _shot(lead, "4-lead-draft")
    first = _submit(lead, bid, "Indienen")
    assert first.receipt_sha256 in lead.content()
    assert _local(first.received_at) in lead.content()
    _shot(lead, "5-receipt-1")
    axe_check(lead)
    with lead.expect_download() as download:
        lead.get_by_role("link", name="Ontvangstbevestiging downloaden (PDF)").click()
    receipt_pdf = tmp_path / "receipt-1.pdf"
    download.value.save_as(receipt_pdf)
    assert first.receipt_sha256 in _flat(_pdf_text(receipt_pdf))

    # The lead replaces the bid: a second version with its own receipt; only the last counts.
    lead.goto(reverse("bids:draft", args=[bid.pk]))
    _answer_every_criterion(lead, bid, "Samen met de buurt, aangescherpt")
    second = _submit(lead, bid, "Een nieuwe versie indienen")
    assert second.number == 2 and second.receipt_sha256 != first.receipt_sha256
    assert second.receipt_sha256 in lead.content()
    first.refresh_from_db()
    assert (first.counts, second.counts) == (False, True)
    _shot(lead, "6-receipt-2")
    lead.context.close()

    deadline = c.deadlines.get(kind="bids").at
    with time_machine.travel(deadline - timedelta(seconds=40), tick=True) as clock:
        # The lone bidder confirms its submission just before the deadline; the server reads its clock after it.
        late = _login(browser, live_server, browser_login, demo.LONE_BIDDER, reverse("bids:submit", args=[lone.pk]))
        clock.move_to(deadline + timedelta(seconds=1), tick=True)
        late.get_by_role("button", name="Ja, nu indienen").click()
        late.get_by_text(LATE_MESSAGE).wait_for()
        _shot(late, "7-late-refused")
        late.context.close()
        attempt = LateAttempt.objects.get(commissioning=c)
        assert attempt.operator == lone.lead and attempt.attempted_at >= deadline
        assert not SealedVersion.objects.filter(submission=lone).exists()

        # Two openers, each with a fresh code from their authenticator.
        opening_url = reverse("bids:opening", args=[c.municipality.cbs_code, c.pk])
        for username, done in zip(
            demo.OPENERS, ("Een tweede opener moet bevestigen", "De inschrijvingen zijn geopend"), strict=True
        ):
            tab = _login(browser, live_server, browser_login, username, opening_url)
            clock.shift(STEP)
            tab.fill("#id_token", otp.current_token(TOTPDevice.objects.get(user__username=username)))
            tab.get_by_role("button", name="Bevestig de opening").click()
            tab.get_by_text(done).wait_for()
            _shot(tab, f"8-opening-{username}")
            if username != demo.OPENERS[-1]:
                tab.context.close()
        opening = Opening.objects.get(commissioning=c)
        assert opening.opened_at is not None
        with tab.expect_download() as download:
            tab.get_by_role("link", name="Download het proces-verbaal van opening (pdf)").click()
        record = tmp_path / "proces-verbaal.pdf"
        download.value.save_as(record)
        tab.context.close()

    subprocess.run(["pdftoppm", "-png", "-r", "60", str(record), str(SHOTS / "d-bid-flow-9-record")], check=True)
    text = _pdf_text(record)
    flat = _flat(text)
    for username in demo.OPENERS:
        assert _flat(User.objects.get(username=username).get_full_name()) in flat
    assert "Proces-verbaal van opening" in text
    assert _flat(demo.CONSORTIUM_NAME) in flat
    first.refresh_from_db()
    counting, rest = flat.split(_flat("Vervangen door een latere versie (niet geopend)"))
    superseded, late_part = rest.split(_flat("Geweigerde te late pogingen"))
    # The bid that counts: the consortium's second version, with its time of receipt and its hash, intact.
    assert _flat(f"{demo.CONSORTIUM_NAME}2") in counting and second.receipt_sha256 in counting
    assert _flat(_local(second.received_at)) in counting
    assert "ongeschonden" in counting and first.receipt_sha256 not in flat
    # The replaced first version: listed with its time of receipt and of replacement, not opened.
    # (pdftotext does not keep the order of wrapped cells in a row: each cell is looked for on its own)
    assert _flat(f"{demo.CONSORTIUM_NAME}1") in superseded
    assert _flat(_local(first.received_at)) in superseded and _flat(_local(first.superseded_at)) in superseded
    # The late attempt of the lone bidder, at the second after the deadline.
    assert _flat("Buurtcoöperatie Boerhaave") in late_part and _flat(_local(attempt.attempted_at)) in late_part
