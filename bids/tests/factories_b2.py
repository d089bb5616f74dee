"""Builders for operators, consortia and commitments (B2), through the services where they exist.

A submission is created directly (its service belongs to the submission topic); everything on it goes through
bids.services."""

import itertools
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone, translation

from bids import services
from bids.models import EconomicOperator, OperatorKind, Participation, Submission
from core.testing import PASSWORD
from tenders.tests.factories import published

_kvk = itertools.count(10000001)

VALID_NL_VAT = "NL004495445B01"


@pytest.fixture
def english_messages():
    """Domain tests match the English source messages (import it into a test module and mark it autouse there)."""
    with translation.override("en"):
        yield


def operator_values(name="Wijkkracht", **overrides):
    kvk = str(next(_kvk))
    values = {
        "name": f"Stichting {name}",
        "kind": OperatorKind.WELFARE,
        "kvk_number": kvk,
        "country": "NL",
        "street": "Breestraat 1",
        "postcode": "2311 EZ",
        "city": "Leiden",
        "contact_name": "Anna de Vries",
        "contact_email": f"info-{kvk}@example.org",
        "contact_phone": "071 123 4567",
    }
    return values | overrides


def register(name="Wijkkracht", *, confirmed=True, password=PASSWORD, now=None, **overrides):
    """A registered operator and its registrant (a manager); confirmed by marking the address unless told not to."""
    operator = services.register_operator(password=password, now=now, **operator_values(name, **overrides))
    user = operator.members.get().user
    if confirmed:
        EconomicOperator.objects.filter(pk=operator.pk).update(email_confirmed_at=timezone.now())
        operator.refresh_from_db()
    return operator, user


def last_link_token(outbox=None) -> str:
    """The token at the end of the link in the last e-mail sent."""
    body = (outbox or mail.outbox)[-1].body
    link = next(word for word in body.split() if "/inschrijven/" in word)
    return link.rstrip("/").rsplit("/", 1)[-1]


def submission(commissioning=None, lead=None, *, kind=Submission.Kind.BID, user=None):
    c = commissioning or published()
    lead, lead_user = (lead, user) if lead else register("Penvoerder")
    s = Submission.objects.create(
        commissioning=c,
        lot=c.lots.first() if kind == Submission.Kind.BID else None,
        kind=kind,
        lead=lead,
        created_by=lead_user,
        created_at=timezone.now(),
    )
    services.ensure_lead_participation(s, lead_user)
    return s, lead_user


def invited(s, lead_user, name, ring=Participation.Ring.SUBCONTRACTOR, parent=None, *, confirm=True, **overrides):
    """An operator invited into `s` by the lead, and (unless `confirm` is None) confirmed or declined by itself."""
    operator, user = register(name, **overrides)
    p = services.add_participation(s, lead_user, operator=operator, ring=ring, role="Uitvoering", parent=parent)
    if confirm is not None:
        services.decide_participation(p, user, confirm=confirm)
        p.refresh_from_db()
    return p, user


def no_exclusion_grounds():
    from bids.rules import EXCLUSION_CODES

    return {code: {"applies": False} for code in EXCLUSION_CODES}


def commit(p, lead_user, amount=Decimal("10000"), years=3, **kw):
    return services.save_commitment(p, lead_user, amount_per_year=amount, years=years, **kw)


def token_digest(raw: str) -> str:
    """The stored form of a one-time token (tests set a known token on a row)."""
    from bids.services._helpers_b2 import _token_hash

    return _token_hash(raw)
