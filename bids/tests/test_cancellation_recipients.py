"""Cancelling a procedure informs every tenderer with the reasons (Directive 2014/24/EU art. 55(1)): bids registers
its submitters with tenders.recipients, so each lead of a submitted bid gets a notice and an e-mail."""

import pytest
from django.core import mail
from django.utils import timezone

from bids.models import EconomicOperator, OperatorMatch, Submission
from core.testing import MunicipalityFactory
from tenders import services
from tenders.tests.factories import officer, provider, published

pytestmark = pytest.mark.django_db
REASON = "Het budget is niet vastgesteld."


def _operator(name, kvk):
    return EconomicOperator.objects.create(
        name=name,
        kind="welfare",
        kvk_number=kvk,
        street="Breestraat 1",
        postcode="2311 CS",
        city="Leiden",
        contact_name="Contact",
        contact_email=f"{kvk}@example.org",
    )


def _submission(c, lead, status, kind="bid"):
    lot = c.lots.first() if kind == "bid" else None
    return Submission.objects.create(
        commissioning=c, lot=lot, kind=kind, lead=lead, status=status, created_at=timezone.now()
    )


def test_cancellation_informs_every_tenderer_directive_art_55_1(django_capture_on_commit_callbacks):
    m = MunicipalityFactory(cbs_code="GM0546", name="Leiden")
    user = officer(m)
    c = published(m, user=user)
    bidder, alone = _operator("Welzijn Leiden", "11111111"), _operator("Alleen Zorg", "22222222")
    _submission(c, bidder, "submitted")
    _submission(c, alone, "submitted")
    _submission(c, _operator("Trok In", "33333333"), "withdrawn")
    _submission(c, _operator("Nog Bezig", "44444444"), "draft")
    _rep, organisation = provider(m, "Welzijn Leiden")
    OperatorMatch.objects.create(
        operator=bidder, organisation=organisation, status="confirmed", proposed_at=timezone.now()
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(c, user, reason=REASON)
    notices = list(c.cancellation_notices.all())
    assert [(n.name, n.recipient_kind, n.email, n.organisation_id) for n in notices] == [
        ("Welzijn Leiden", "tenderer", "11111111@example.org", organisation.pk),
        ("Alleen Zorg", "tenderer", "22222222@example.org", None),
    ]
    assert sorted(x.to[0] for x in mail.outbox) == ["11111111@example.org", "22222222@example.org"]
    assert all(REASON in x.body for x in mail.outbox)
