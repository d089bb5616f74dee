"""Cancelling a procedure: a confirmation step with a mandatory reason, published on the public page and in the PDF,
an OCDS release with tender.status "cancelled", and an e-mail to every subscriber."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse

from audit.models import AuditEvent
from core.models import Role
from core.testing import MunicipalityFactory, login, user_with_role
from publication import ocds, validation
from publication import services as publication
from publication.models import Release
from publication.views import document_context
from tenders import selectors, services
from tenders.models import Phase

from .factories import advance_to, draft, officer, published

pytestmark = pytest.mark.django_db
REASON = "De gemeenteraad heeft het budget voor de sociale basis niet vastgesteld."


@pytest.fixture
def c(m, user):
    return published(m, user=user)


def test_cancelling_needs_a_reason_and_changes_nothing_without_one(c, user):
    with pytest.raises(ValidationError, match="reason"):
        services.cancel(c, user, reason="  ")
    c.refresh_from_db()
    assert c.phase == Phase.TENDERING and not c.cancellation_reason
    assert Release.objects.filter(commissioning=c).count() == 1


def test_a_cancelled_procedure_shows_the_phases_it_went_through_and_then_cancelled(m, user):
    c = advance_to(published(m, user=user), user, Phase.EVALUATION)
    phases = selectors.route_phases(services.cancel(c, user, reason=REASON))
    assert [(p["phase"], p["done"], p["current"]) for p in phases] == [
        (Phase.TENDERING, True, False),
        (Phase.EVALUATION, True, False),
        (Phase.CANCELLED, False, True),
    ]


def test_cancelling_is_not_a_plain_phase_change(c, user):
    with pytest.raises(ValidationError, match="cancellation step"):
        services.transition(c, user, Phase.CANCELLED)


def test_a_draft_an_awarded_or_a_cancelled_procedure_cannot_be_cancelled(m, user, c):
    with pytest.raises(ValidationError, match="cannot be cancelled"):
        services.cancel(draft(m, user), user, reason=REASON)
    services.cancel(c, user, reason=REASON)
    with pytest.raises(ValidationError, match="cannot be cancelled"):
        services.cancel(c, user, reason=REASON)
    awarded = advance_to(published(m, user=user), user, Phase.AWARDED)
    with pytest.raises(ValidationError, match="cannot be cancelled"):
        services.cancel(awarded, user, reason=REASON)


def test_cancelling_publishes_the_reason_as_ocds_and_mails_the_subscribers(c, user, django_capture_on_commit_callbacks):
    follower = get_user_model().objects.create(username="volger", email="volger@example.org")
    subscription = publication.subscribe(c, follower, follower.email)
    publication.confirm_subscription(subscription.confirm_token)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(c, user, reason=REASON)
    c.refresh_from_db()
    assert c.phase == Phase.CANCELLED and c.cancellation_reason == REASON
    assert c.phase_changes.last().to_phase == Phase.CANCELLED
    assert AuditEvent.objects.get(action="tenders.cancel").summary["reason"] == REASON
    release = Release.objects.filter(commissioning=c).order_by("date", "id").last()
    assert release.tags == ["tenderCancellation"]
    tender = release.data["tender"]
    assert tender["status"] == "cancelled" and all(lot["status"] == "cancelled" for lot in tender["lots"])
    details = [d for d in tender["documents"] if d["documentType"] == "cancellationDetails"]
    assert details[0]["description"] == REASON
    if validation.schema_dir().exists():
        assert validation.errors(ocds.release_package([release], "/x")) == []
    assert len(mail.outbox) == 1 and REASON in mail.outbox[0].body and mail.outbox[0].to == [follower.email]


def _cancel_url(c, m):
    return reverse("tenders:cancel", args=[m.cbs_code, c.pk])


def test_officer_confirms_with_a_reason_and_the_public_sees_it(client, c, m, user):
    login(client, user)
    page = client.get(_cancel_url(c, m))
    assert page.status_code == 200 and "Procedure intrekken" in page.content.decode()
    unconfirmed = client.post(_cancel_url(c, m), {"reason": REASON})
    assert unconfirmed.status_code == 400
    assert "Bevestig dat u de procedure wilt beëindigen." in unconfirmed.content.decode()
    assert client.post(_cancel_url(c, m), {"confirm": "on", "reason": ""}).status_code == 400
    c.refresh_from_db()
    assert c.phase == Phase.TENDERING
    assert client.post(_cancel_url(c, m), {"confirm": "on", "reason": REASON}).status_code == 302
    client.logout()
    public = client.get(reverse("publication:detail", args=[m.cbs_code, c.pk])).content.decode()
    assert "Deze procedure is ingetrokken." in public and REASON in public
    listing = client.get(reverse("publication:list", args=[m.cbs_code])).content.decode()
    assert "Ingetrokken" in listing
    c.refresh_from_db()
    assert REASON in render_to_string("publication/document_pdf.html", document_context(c))
    assert client.get(_cancel_url(c, m)).status_code == 302  # to the login


def test_only_the_procurement_officer_of_the_municipality_cancels(client, c, m, user):
    for u in (user_with_role(Role.POLICY_ADVISOR, m), officer(MunicipalityFactory())):
        login(client, u)
        assert client.post(_cancel_url(c, m), {"confirm": "on", "reason": REASON}).status_code == 403
        client.logout()
    login(client, user)
    assert client.get(_cancel_url(draft(m, user), m)).status_code == 404
    c.refresh_from_db()
    assert c.phase == Phase.TENDERING
