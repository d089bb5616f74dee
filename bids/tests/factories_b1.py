"""Builders of the bids tests (B1): operators with a member, minimal PDF/DOCX/XLSX files, drafts with content."""

import io
import itertools
import zipfile

from django.utils import timezone

from bids.models import EconomicOperator, OperatorMember
from core.testing import UserFactory

_kvk = itertools.count(10000001)


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


def leaf_criteria(commissioning):
    return [c for c in commissioning.criteria.all() if not c.children.exists()]
