"""Cancelling informs every candidate, tenderer and applicant with the reasons (Directive 2014/24/EU art. 55(1)): a
notice per recipient, mailed with its PDF after the commit; in a grant round a decision on each application with an
objection clause (Awb 3:45, 6:7, 7:1). Later stages add their recipients through tenders.recipients."""

from datetime import date, datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from audit.models import AuditEvent
from core.models import Role
from core.testing import MunicipalityFactory, login, user_with_role
from tenders import notices, recipients, services
from tenders.models import CancellationNotice, Deadline, Phase, Route

from .factories import after, candidate, draft, provider, published

pytestmark = pytest.mark.django_db
REASON = "De gemeenteraad heeft het budget voor de sociale basis niet vastgesteld."
K = Deadline.Kind


@pytest.fixture
def registered():
    """Register recipient providers for one test, as the bids app will (tenderers, grant applicants)."""
    added = []

    def add(fn):
        added.append(recipients.register(fn))
        return fn

    yield add
    for fn in added:
        recipients.unregister(fn)


def test_cancellation_informs_every_candidate_directive_art_55_1(m, user, django_capture_on_commit_callbacks):
    c = published(m, route=Route.PRESELECTION, user=user)
    admitted = candidate(c, "Wijkkracht", admit=True, user=user)
    rejected = candidate(c, "Buurtzorg", admit=False, user=user)
    for i, rep in enumerate((admitted.applied_by, rejected.applied_by)):
        rep.email = f"gegadigde{i}@example.org"
        rep.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(c, user, reason=REASON, now=after(c, K.REQUESTS))
    sent = c.cancellation_notices.all()
    assert [(n.name, n.recipient_kind, n.reasons, n.is_decision) for n in sent] == [
        (admitted.name, "candidate", REASON, False),
        (rejected.name, "candidate", REASON, False),
    ]
    assert {n.email for n in sent} == {admitted.applied_by.email, rejected.applied_by.email}
    assert sorted(x.to[0] for x in mail.outbox) == sorted(n.email for n in sent)
    for message in mail.outbox:
        assert REASON in message.body and "\n" not in message.subject
        assert message.subject == f"Bericht: de procedure is ingetrokken: {c.title}"
        ((name, content, kind),) = message.attachments
        assert kind == "application/pdf" and content.startswith(b"%PDF") and name.startswith("intrekking-WW-")
    assert AuditEvent.objects.get(action="tenders.cancel").summary["notices"] == 2


def test_cancellation_informs_registered_tenderers_once_directive_art_55_1(m, user, registered):
    c = published(m, route=Route.PRESELECTION, user=user)
    first = candidate(c, "Wijkkracht", admit=True, user=user)
    other_rep, other_org = provider(m, "Sterk Huis")

    @registered
    def bidders(commissioning):
        return [
            recipients.Recipient(recipients.TENDERER, first.name, "dubbel@example.org", None, first.organisation_id),
            recipients.Recipient(recipients.TENDERER, other_org.name, "bod@example.org", other_rep, other_org.pk),
        ]

    services.cancel(c, user, reason=REASON, now=after(c, K.REQUESTS))
    assert [(n.name, n.recipient_kind) for n in c.cancellation_notices.all()] == [
        (first.name, "candidate"),
        (other_org.name, "tenderer"),
    ]


def test_an_open_procedure_without_tenderers_has_no_notices_directive_art_55_1(m, user):
    c = published(m, user=user)
    services.cancel(c, user, reason=REASON)
    assert not c.cancellation_notices.exists()


def test_a_failing_recipient_provider_cancels_nothing_directive_art_55_1(m, user, registered):
    c = published(m, user=user)

    @registered
    def broken(commissioning):
        raise RuntimeError("bids unavailable")

    with pytest.raises(RuntimeError):
        services.cancel(c, user, reason=REASON)
    c.refresh_from_db()
    assert c.phase == Phase.TENDERING and not c.cancellation_notices.exists()


@pytest.fixture
def grant_cancelled(m, user, registered, django_capture_on_commit_callbacks):
    """A grant round with two applicants (given by a registered provider, as the bids app will), cancelled on
    1 December 2026."""
    c = published(m, route=Route.GRANT_ROUND, user=user)
    (rep, org), (rep2, org2) = provider(m, "Buurtkracht"), provider(m, "Samen Sterk")

    @registered
    def applicants(commissioning):
        return [
            recipients.Recipient(recipients.APPLICANT, org.name, "aanvraag@example.org", rep, org.pk),
            recipients.Recipient(recipients.TENDERER, org2.name, "", rep2, org2.pk),  # no address: not mailed
        ]

    moment = timezone.make_aware(datetime(2026, 12, 1, 23, 30))  # Amsterdam: still 1 December
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(c, user, reason=REASON, now=moment)
    return c, (rep, org), (rep2, org2)


def test_cancelled_grant_round_gives_each_applicant_a_decision_awb_3_45_6_7(grant_cancelled):
    c, (rep, org), (rep2, org2) = grant_cancelled
    decisions = list(c.cancellation_notices.all())
    assert [(n.organisation_id, n.recipient_kind, n.is_decision) for n in decisions] == [
        (org.pk, "applicant", True),
        (org2.pk, "applicant", True),
    ]
    assert all(n.objection_deadline == date(2027, 1, 12) and n.reasons == REASON for n in decisions)
    (message,) = mail.outbox
    assert message.to == ["aanvraag@example.org"] and "12-01-2027" in message.body
    assert message.attachments[0][0] == f"beschikking-WW-{c.pk}-1.pdf"


def test_the_decision_is_a_readable_dutch_letter_with_an_objection_clause_awb_3_45_6_7_7_1(grant_cancelled):
    c, _applicant, _other = grant_cancelled
    notice = c.cancellation_notices.first()
    with translation.override("nl"):
        html = render_to_string(notices.TEMPLATE, notices.context(notice))
        assert notices.pdf(notice).startswith(b"%PDF")
    assert "Besluit op uw aanvraag: de subsidieronde is ingetrokken" in html
    assert REASON in html and "Gemeente Leiden" in html and f"WW-{c.pk}-1" in html
    assert "Bezwaar" in html and "binnen zes weken" in html and "12 januari 2027" in html
    assert "Awb 6:7" in html and "Awb 7:1" in html and c.grant_regulation in html


def test_notices_are_downloaded_by_the_officer_and_their_own_recipient_only(client, m, user, grant_cancelled):
    c, (rep, org), (rep2, org2) = grant_cancelled
    first, second = c.cancellation_notices.all()
    list_url = reverse("tenders:notices", args=[m.cbs_code, c.pk])

    def pdf_url(notice, code=m.cbs_code):
        return reverse("tenders:notice_pdf", args=[code, c.pk, notice.pk])

    assert client.get(pdf_url(first)).status_code == 302  # anonymous: to the login
    login(client, user)
    assert list_url in client.get(reverse("tenders:manage", args=[m.cbs_code, c.pk])).content.decode()
    page = client.get(list_url).content.decode()
    assert "Stichting Buurtkracht" in page and "Stichting Samen Sterk" in page and "12 januari 2027" in page
    response = client.get(pdf_url(second))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    client.logout()
    login(client, rep)
    page = client.get(list_url).content.decode()
    assert "Stichting Buurtkracht" in page and "Stichting Samen Sterk" not in page
    assert client.get(pdf_url(first)).status_code == 200
    assert client.get(pdf_url(second)).status_code == 403
    client.logout()
    stranger, _org = provider(m, "Niet Betrokken")
    login(client, stranger)
    assert client.get(list_url).status_code == 403 and client.get(pdf_url(first)).status_code == 403
    client.logout()
    login(client, user_with_role(Role.PROCUREMENT_OFFICER, MunicipalityFactory(cbs_code="GM0392")))
    assert client.get(pdf_url(first, "GM0392")).status_code == 404
    client.logout()
    login(client, user)
    other = published(m, user=user)
    assert client.get(reverse("tenders:notice_pdf", args=[m.cbs_code, other.pk, first.pk])).status_code == 404
    assert client.get(reverse("tenders:notices", args=[m.cbs_code, draft(m, user).pk])).status_code == 404


def test_a_cancellation_notice_that_is_a_decision_always_has_an_objection_deadline_awb_6_7(m, user):
    c = published(m, user=user)
    with pytest.raises(IntegrityError), transaction.atomic():  # the database refuses it, whoever writes it
        CancellationNotice.objects.create(
            commissioning=c,
            number=1,
            recipient_kind="applicant",
            name="X",
            reasons=REASON,
            issued_at=timezone.now(),
            is_decision=True,
        )


def test_cancelling_without_a_reason_writes_no_notices_directive_art_55_1(m, user):
    c = published(m, route=Route.PRESELECTION, user=user)
    candidate(c, "Wijkkracht")
    with pytest.raises(ValidationError):
        services.cancel(c, user, reason=" ")
    assert not c.cancellation_notices.exists()
