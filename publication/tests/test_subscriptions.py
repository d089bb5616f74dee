"""Subscriptions are double opt-in: nothing but the confirmation link reaches an address until it is confirmed; every
news mail can be stopped in one click (RFC 8058 List-Unsubscribe-Post)."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from audit.models import AuditEvent
from core.testing import MunicipalityFactory, login
from publication import services as publication
from publication.models import Subscription
from tenders import services as tenders
from tenders.models import Phase
from tenders.tests.factories import officer, published

pytestmark = pytest.mark.django_db


@pytest.fixture
def m():
    return MunicipalityFactory(cbs_code="GM0546", name="Leiden")


@pytest.fixture
def c(m):
    return published(m, user=officer(m))


@pytest.fixture
def follower():
    return get_user_model().objects.create_user(username="volger", email="volger@example.org", password="x" * 20)


def _confirm_link(message) -> str:
    return next(word for word in message.body.split() if "/aanmelding-bevestigen/" in word)


def test_subscribing_mails_a_confirmation_link_and_nothing_else_until_confirmed(
    client, m, c, follower, django_capture_on_commit_callbacks
):
    login(client, follower)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("publication:subscribe", args=[m.cbs_code, c.pk]), {"email": "ander@example.org"}
        )
    assert response.status_code == 302
    subscription = Subscription.objects.get(commissioning=c, user=follower)
    assert subscription.email == "ander@example.org" and not subscription.is_confirmed
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ander@example.org"]
    assert subscription.confirm_token in _confirm_link(mail.outbox[0])
    page = client.get(reverse("publication:detail", args=[m.cbs_code, c.pk])).content.decode()
    assert "Wacht op uw bevestiging" in page
    # A change before confirmation reaches nobody.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        tenders.cancel(c, officer(m), reason="De opdracht wordt opnieuw ontworpen.")
    assert mail.outbox == []


def test_opening_the_link_changes_nothing_and_the_button_confirms(client, m, c, follower):
    subscription = publication.subscribe(c, follower, follower.email)
    url = reverse("publication:confirm", args=[subscription.confirm_token])
    assert client.get(url).status_code == 200
    subscription.refresh_from_db()
    assert not subscription.is_confirmed, "a link scanner that opens the link must not confirm"
    response = client.post(url)
    assert response.status_code == 302 and response["Location"].endswith(f"/opdrachten/{c.pk}")
    subscription.refresh_from_db()
    assert subscription.is_confirmed
    assert AuditEvent.objects.filter(action="publication.subscription_confirm").count() == 1
    client.post(url)
    assert AuditEvent.objects.filter(action="publication.subscription_confirm").count() == 1


def test_an_unknown_confirmation_token_is_404(client):
    assert client.get(reverse("publication:confirm", args=["onbekend"])).status_code == 404
    assert client.post(reverse("publication:confirm", args=["onbekend"])).status_code == 404


def test_confirmed_subscribers_get_news_with_a_one_click_unsubscribe(
    client, m, c, follower, django_capture_on_commit_callbacks
):
    subscription = publication.subscribe(c, follower, follower.email)
    publication.confirm_subscription(subscription.confirm_token)
    with django_capture_on_commit_callbacks(execute=True):
        tenders.cancel(c, officer(m), reason="De opdracht wordt opnieuw ontworpen.")
    (news,) = mail.outbox
    stop = reverse("publication:unsubscribe", args=[subscription.token])
    assert news.extra_headers["List-Unsubscribe"].endswith(f"{stop}>")
    assert news.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # The mail client's one-click POST carries no CSRF token and no session.
    csrf_client = client.__class__(enforce_csrf_checks=True)
    response = csrf_client.post(stop, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Subscription.objects.filter(pk=subscription.pk).exists()
    assert csrf_client.post(stop, {"List-Unsubscribe": "One-Click"}).status_code == 404


def test_changing_the_address_asks_for_a_new_confirmation(c, follower):
    subscription = publication.subscribe(c, follower, follower.email)
    first_token = subscription.confirm_token
    publication.confirm_subscription(first_token)
    again = publication.subscribe(c, follower, follower.email)
    assert again.is_confirmed, "asking again for a confirmed address changes nothing"
    changed = publication.subscribe(c, follower, "nieuw@example.org")
    assert not changed.is_confirmed and changed.confirm_token != first_token
    assert publication.confirm_subscription(first_token) is None


def test_only_confirmed_subscriptions_are_mailed(c, follower):
    pending = publication.subscribe(c, follower, follower.email)
    assert publication.notify_subscribers(c.pk, "Nieuws") == 0
    publication.confirm_subscription(pending.confirm_token)
    assert publication.notify_subscribers(c.pk, "Nieuws") == 1
    assert c.phase == Phase.TENDERING
