"""A small organisation registers itself, confirms its place in a consortium and makes its self-declaration, in
headless chromium; axe finds no WCAG 2.1 A/AA violation on any of these pages."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from bids import services
from bids.models import EconomicOperator, Participation
from bids.rules import EXCLUSION_CODES

from .factories_b2 import submission

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_small_organisation_registers_confirms_and_declares(page, axe_check):
    page.goto(reverse("bids:register"))
    expect(page.get_by_role("heading", name="Organisatie registreren")).to_be_visible()
    axe_check(page)
    page.get_by_label("Naam van de organisatie").fill("Buurtmoeders Noord")
    page.get_by_label("Soort organisatie").select_option("volunteer")
    page.get_by_label("KvK-nummer").fill("87654321")
    page.get_by_label("Straat en huisnummer").fill("Breestraat 1")
    page.get_by_label("Postcode").fill("2311ez")
    page.get_by_label("Plaats").fill("Leiden")
    page.get_by_label("Contactpersoon").fill("Fatima El Amrani")
    page.get_by_label("E-mailadres", exact=True).fill("fatima@example.org")
    page.get_by_label("Wachtwoord", exact=True).fill("een lang wachtwoord 2026")
    page.get_by_label("Wachtwoord nogmaals").fill("een lang wachtwoord 2026")
    page.get_by_role("button", name="Registreren").click()
    page.wait_for_url("**/inschrijven/organisaties/*")
    expect(page.get_by_text("nog niet bevestigd").first).to_be_visible()
    axe_check(page)

    small = EconomicOperator.objects.get(kvk_number="87654321")
    assert small.postcode == "2311 EZ"
    EconomicOperator.objects.filter(pk=small.pk).update(email_confirmed_at=timezone.now())  # the mailed link
    small.refresh_from_db()
    s, lead_user = submission()
    services.add_participation(s, lead_user, operator=small, ring=Participation.Ring.SUBCONTRACTOR, role="Taalles")

    page.goto(reverse("bids:invitations"))
    expect(page.get_by_role("heading", name="Uitnodigingen voor samenwerkingsverbanden")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Deelname bevestigen").click()
    page.wait_for_url("**/inschrijven/uitnodigingen")
    expect(page.get_by_text("Bevestigd").first).to_be_visible()

    participation = s.participations.get(operator=small)
    page.goto(reverse("bids:declaration", args=[participation.pk]))
    axe_check(page)
    for code in EXCLUSION_CODES:
        page.check(f"#id_{code}__applies_0")  # "Nee"
    page.get_by_role("button", name="Verklaren").click()
    page.wait_for_url(f"**{reverse('bids:consortium', args=[s.pk])}")
    expect(page.get_by_role("heading", name="Samenwerkingsverband")).to_be_visible()
    axe_check(page)
    assert participation.declaration.answers["fraud"] == {"applies": False}
