"""Fixtures of the bids tests: operators with members, published commissionings, drafts (B1; others add their own
factories modules)."""

import io
import itertools
import zipfile

import pytest
from django.utils import timezone, translation

from bids import services
from bids.models import EconomicOperator, OperatorMember, Submission
from core.testing import MunicipalityFactory, UserFactory
from tenders.tests.factories import officer as make_officer
from tenders.tests.factories import published

_kvk = itertools.count(10000001)


@pytest.fixture(autouse=True)
def _english_messages():
    """Domain tests match the English source messages; pages are requested in Dutch (the default) as users see them."""
    with translation.override("en"):
        yield


def make_operator(name="Wijkkracht", user=None, confirmed=True):
    """An operator with a confirmed e-mail address and one member (a new user unless given)."""
    operator = EconomicOperator.objects.create(
        name=name,
        kind="welfare",
        kvk_number=str(next(_kvk)),
        street="Breestraat 1",
        postcode="2311 CS",
        city="Leiden",
        contact_name="Contact",
        contact_email=f"{name.lower().replace(' ', '')}@example.org",
        email_confirmed_at=timezone.now() if confirmed else None,
    )
    user = user or UserFactory()
    OperatorMember.objects.create(operator=operator, user=user, is_manager=True, joined_at=timezone.now())
    return operator, user


def pdf_bytes(marker: str = "") -> bytes:
    return b"%PDF-1.7\n" + marker.encode() + b"\n%%EOF\n"


def office_bytes(part: str, marker: str = "") -> bytes:
    """A minimal DOCX (part "word") or XLSX (part "xl") package."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr(f"{part}/document.xml", f"<doc>{marker}</doc>")
    return buffer.getvalue()


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
    operator, user = lead
    return services.create_submission(
        user, operator, commissioning, kind=Submission.Kind.BID, lot=commissioning.lots.first()
    )


def leaf_criteria(commissioning):
    return [c for c in commissioning.criteria.all() if not c.children.exists()]
