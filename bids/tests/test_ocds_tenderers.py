"""The open data names the tenderers (every consortium member with its place) and the bid statistics, but only
after the opening; before it, not even the number of bids."""

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from bids.models import EconomicOperator, Opening, Participation, SealedVersion, Submission
from core.testing import MunicipalityFactory
from publication import ocds, services, validation
from publication.models import Release
from tenders.tests.factories import published

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not validation.schema_dir().exists(), reason="OCDS 1.1.5 schemas not available"),
]


def _operator(name, kvk, kind="welfare"):
    return EconomicOperator.objects.create(
        name=name,
        kind=kind,
        kvk_number=kvk,
        street="Breestraat 1",
        postcode="2311 CS",
        city="Leiden",
        contact_name="Contact",
        contact_email=f"{kvk}@example.org",
    )


def _bid(c, lead, others=(), *, withdrawn=False):
    now = timezone.now()
    s = Submission.objects.create(
        commissioning=c, lot=c.lots.first(), kind="bid", lead=lead, created_at=now, status="submitted"
    )
    Participation.objects.create(submission=s, operator=lead, ring=0, status="confirmed", invited_at=now)
    for operator, ring, status in others:
        Participation.objects.create(
            submission=s, operator=operator, ring=ring, status=status, invited_at=now, role="Buurtwerk"
        )
    SealedVersion.objects.create(
        submission=s,
        number=1,
        received_at=now,
        receipt_sha256="0" * 64,
        size=3,
        ephemeral_public_key=b"k" * 32,
        wrapped_data_key=b"w" * 60,
        sealed_blob=ContentFile(b"xyz", name="v1.bin"),
        withdrawn_at=now if withdrawn else None,
    )
    if withdrawn:
        s.status = "withdrawn"
        s.save()
    return s


@pytest.fixture
def opened_commissioning():
    m = MunicipalityFactory(cbs_code="GM0546", name="Leiden")
    c = published(m)
    lead, member = _operator("Welzijn Leiden", "11111111"), _operator("Buurtkracht", "22222222")
    small, declined = _operator("Vrijwilligers Noord", "33333333", "volunteer"), _operator("Weiger BV", "44444444")
    _bid(c, lead, [(member, 1, "confirmed"), (small, 2, "confirmed"), (declined, 2, "declined")])
    _bid(c, _operator("Alleen Zorg", "55555555"))
    _bid(c, _operator("Trok In", "66666666"), withdrawn=True)
    return c


def _release(c):
    return ocds.build_release(c, release_id="x-1", date=timezone.now(), tags=["tenderUpdate"])


def test_nothing_about_submissions_before_the_opening(opened_commissioning):
    release = _release(opened_commissioning)
    assert "bids" not in release and "tenderers" not in release["tender"]
    assert [p["roles"] for p in release["parties"]] == [["buyer", "procuringEntity"]]


def test_after_the_opening_every_consortium_member_is_a_party_with_its_place(opened_commissioning):
    c = opened_commissioning
    Opening.objects.create(commissioning=c, kind="bid", started_at=timezone.now(), opened_at=timezone.now())
    release = _release(c)
    parties = {p["name"]: p for p in release["parties"]}
    assert parties["Welzijn Leiden"]["roles"] == ["tenderer"]
    assert parties["Welzijn Leiden"]["details"]["consortia"][0]["consortiumRole"] == "lead"
    assert parties["Buurtkracht"]["roles"] == ["tenderer"]
    assert parties["Buurtkracht"]["details"]["consortia"][0] | {"bid": "-"} == {
        "bid": "-",
        "consortiumRole": "member",
        "ring": 1,
        "role": "Buurtwerk",
    }
    assert parties["Vrijwilligers Noord"]["roles"] == ["subcontractor"]
    assert parties["Vrijwilligers Noord"]["identifier"] == {
        "scheme": "NL-KVK",
        "id": "33333333",
        "legalName": "Vrijwilligers Noord",
    }
    assert "Weiger BV" not in parties  # declined its place
    assert "Trok In" not in parties  # withdrew its bid
    tender = release["tender"]
    assert {t["name"] for t in tender["tenderers"]} == {"Welzijn Leiden", "Buurtkracht", "Alleen Zorg"}
    assert tender["numberOfTenderers"] == 3
    stats = {s["measure"]: s for s in release["bids"]["statistics"]}
    assert stats["bids"]["value"] == 2 and stats["bids"]["relatedLot"] == "1"
    assert stats["electronicBids"]["value"] == 2
    details = release["bids"]["details"]
    assert [len(d["tenderers"]) for d in details] == [2, 1]
    assert all(d["relatedLots"] == ["1"] and d["status"] == "pending" for d in details)


def test_the_release_after_the_opening_validates_against_ocds_1_1_5(opened_commissioning):
    c = opened_commissioning
    Opening.objects.create(commissioning=c, kind="bid", started_at=timezone.now(), opened_at=timezone.now())
    services.commissioning_changed(c, "tenderUpdate", "Inschrijvingen geopend")
    releases = list(Release.objects.filter(commissioning=c).order_by("date", "id"))
    package = ocds.release_package(releases, "/x")
    assert validation.errors(package) == []
    assert any("ocds_bid_extension" in e for e in package["extensions"])
    assert releases[-1].data["tender"]["numberOfTenderers"] == 3


def test_an_opening_without_opened_at_reveals_nothing(opened_commissioning):
    c = opened_commissioning
    Opening.objects.create(commissioning=c, kind="bid", started_at=timezone.now())  # one opener confirmed so far
    assert "bids" not in _release(c)
