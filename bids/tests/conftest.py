"""Fixtures of the bids tests: operators with members, published commissionings, drafts (B1; others add their own
factories modules)."""

import pytest
from django.utils import translation

from bids import services
from bids.models import Submission
from core.testing import MunicipalityFactory
from tenders.tests.factories import officer as make_officer
from tenders.tests.factories import published

from .factories_b1 import make_operator


@pytest.fixture(autouse=True)
def _english_messages():
    """Domain tests match the English source messages; pages are requested in Dutch (the default) as users see them."""
    with translation.override("en"):
        yield


@pytest.fixture
def municipality():
    return MunicipalityFactory(cbs_code="GM0546", name="Leiden")


@pytest.fixture
def officer(municipality):
    return make_officer(municipality)


@pytest.fixture
def commissioning(municipality, officer):
    """A published open procedure (deadline for bids 20 days ahead) with its sealing key."""
    return published(municipality, user=officer)


@pytest.fixture
def lead(db):
    return make_operator("Wijkkracht")


@pytest.fixture
def draft(commissioning, lead):
    """The lead's draft bid, with the lead's own self-declaration made (no exclusion ground applies)."""
    from .factories_b2 import no_exclusion_grounds

    operator, user = lead
    s = services.create_submission(
        user, operator, commissioning, kind=Submission.Kind.BID, lot=commissioning.lots.first()
    )
    services.declare(s.participations.get(ring=0), user, no_exclusion_grounds())
    return s
