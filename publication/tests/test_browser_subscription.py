"""In headless chromium, as a provider would: ask for e-mails about a commissioning, find the confirmation link in the
mail, confirm on the page (double opt-in), and stop again from the link in a news mail."""

from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse

from core.testing import MunicipalityFactory
from publication.models import Subscription
from tenders import services as tenders
from tenders.tests import factories
from tenders.tests.factories import officer, published

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _link(message, part: str) -> str:
    url = next(word for word in message.body.split() if part in word)
    return urlsplit(url).path


def test_provider_confirms_a_subscription_by_the_mailed_link_and_stops_it_again(page, browser_login, axe_check):
    m = MunicipalityFactory(cbs_code="GM0546", name="Leiden")
    c = published(m, user=officer(m))
    provider, _org = factories.provider(m, "Volgers")
    detail = reverse("publication:detail", args=[m.cbs_code, c.pk])
    browser_login(page, provider, next_url=detail)

    page.fill("#id_email", "nieuws@example.org")
    page.get_by_role("button", name="E-mails ontvangen over wijzigingen").click()
    page.wait_for_load_state()
    assert "We hebben een link gestuurd naar nieuws@example.org" in page.content()
    assert "Wacht op uw bevestiging" in page.content()
    (confirmation,) = mail.outbox
    assert confirmation.to == ["nieuws@example.org"]
    assert not Subscription.objects.get(user=provider).is_confirmed

    page.goto(_link(confirmation, "/aanmelding-bevestigen/"))
    axe_check(page)
    page.get_by_role("button", name="Ja, stuur mij e-mails over wijzigingen").click()
    page.wait_for_url(f"**{detail}")
    assert "Bevestigd: u ontvangt een e-mail over elke wijziging." in page.content()
    assert Subscription.objects.get(user=provider).is_confirmed

    mail.outbox.clear()
    tenders.cancel(c, officer(m), reason="De opdracht wordt opnieuw ontworpen.")
    (news,) = mail.outbox
    assert news.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    page.goto(_link(news, "/afmelden/"))
    page.get_by_role("button", name="Geen e-mails meer over deze opdracht").click()
    page.wait_for_load_state()
    assert not Subscription.objects.filter(user=provider).exists()
