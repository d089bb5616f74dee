"""In headless chromium: the procurement officer appoints two openers, each opens with a code from their
authenticator after the deadline, and the officer then reads an opened bid and downloads the opening record."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from bids.models import Opening
from bids.tests import factories_opening as f
from core import otp
from core.testing import MunicipalityFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
STEP = timedelta(seconds=31)  # one TOTP time step: the code used to log in cannot be used again


def _tab(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="nl-NL", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    return context.new_page()


def test_two_openers_open_and_the_officer_reads(page, browser, live_server, browser_login, axe_check):
    c = f.commissioning_with_key(MunicipalityFactory(cbs_code="GM0546", name="Leiden"))
    lead = f.operator("Wijkkracht Leiden")
    version = f.seal(c, lead, answers=[(c.criteria.first().pk, "Wij werken in elke wijk met bewoners samen.")])
    f.seal(c, f.operator("Buurtwerk Samen"))
    officer = f.the_officer(c)
    first = f.municipal_user(c, first_name="Anna", last_name="de Vries")
    second = f.municipal_user(c, first_name="Bram", last_name="Jansen")
    opening_url = reverse("bids:opening", args=[c.municipality.cbs_code, c.pk])

    browser_login(page, officer, next_url=opening_url)
    for user in (first, second):
        page.select_option("#id_user", str(user.pk))
        page.get_by_role("button", name="Aanwijzen als opener").click()
        page.get_by_text("De opener is aangewezen.").wait_for()
    assert page.locator("text=Nog geen openers aangewezen.").count() == 0
    axe_check(page)

    with time_machine.travel(f.deadline(c) + timedelta(minutes=1), tick=True) as clock:
        for user, done in ((first, "Een tweede opener moet bevestigen"), (second, "De inschrijvingen zijn geopend")):
            tab = _tab(browser, live_server)
            browser_login(tab, user, next_url=opening_url)
            clock.shift(STEP)
            tab.fill("#id_token", otp.current_token(TOTPDevice.objects.get(user=user)))
            tab.get_by_role("button", name="Bevestig de opening").click()
            tab.get_by_text(done).wait_for()
            tab.screenshot(path=f"/tmp/b3-opening-{user.first_name}.png", full_page=True)
            tab.context.close()
        assert Opening.objects.get().opened_at is not None

        browser_login(page, officer, next_url=opening_url)  # weeks later: a new session
        page.get_by_role("link", name="Wijkkracht Leiden").click()
        page.get_by_text("Wij werken in elke wijk met bewoners samen.").wait_for()
        assert version.receipt_sha256 in page.content()
        page.screenshot(path="/tmp/b3-opened-bid.png", full_page=True)
        axe_check(page)
        page.goto(opening_url)
        with page.expect_download() as download:
            page.get_by_role("link", name="Download het proces-verbaal van opening (pdf)").click()
        assert download.value.suggested_filename.startswith("proces-verbaal-opening-")
