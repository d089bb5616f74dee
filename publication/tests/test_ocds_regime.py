"""What the OCDS release adds for issue 13: CPV classifications, the reasons for the procedure, the selection criteria,
the planned award and the buyer's address and contact point; still valid against OCDS 1.1.5."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from core import services as core_services
from core.testing import MunicipalityFactory
from publication import ocds, ocds_tender, validation
from publication.models import Release
from publication.views import document_context
from tenders import services
from tenders.models import Deadline, Route
from tenders.tests.factories import complete, cpv, draft, officer

pytestmark = pytest.mark.django_db
K = Deadline.Kind
CONTACT = {
    "street_address": "Stadhuisplein 1",
    "postal_code": "2311 EJ",
    "locality": "Leiden",
    "contact_name": "Team Inkoop Sociaal Domein",
    "contact_email": "inkoop@leiden.example",
    "contact_telephone": "+31 71 555 0100",
}


@pytest.fixture
def leiden():
    MunicipalityFactory(cbs_code="GM0546", name="Leiden")
    return core_services.upsert_municipality("GM0546", name="Leiden", contact=CONTACT)


def _package(c):
    return ocds.release_package(Release.objects.filter(commissioning=c), "/ocds")


def test_release_carries_cpv_rationale_eligibility_award_period_and_contact_ocds(leiden):
    user = officer(leiden)
    c = draft(leiden, user, route=Route.PRESELECTION, additional_cpv=[cpv("85320000-8")])
    complete(c, user)
    services.save_lot(c, user, title="Geldzorgen", annual_budget=Decimal("200000"), main_cpv=cpv("85312320-8"))
    bids = c.deadlines.get(kind=K.BIDS).at
    services.set_deadline(c, user, K.AWARD_PLANNED, bids + timedelta(days=30))
    services.publish(c, user)
    package = _package(c)
    if validation.schema_dir().exists():
        assert validation.errors(package) == []
    release = package["releases"][-1]
    tender = release["tender"]
    assert [item["classification"] for item in tender["items"]] == [
        {"scheme": "CPV", "id": "85310000-5", "description": "Maatschappelijk werk"},
        {"scheme": "CPV", "id": "85312320-8", "description": "Advisering"},
    ]
    assert [item["relatedLot"] for item in tender["items"]] == ["1", "2"]
    assert tender["items"][0]["additionalClassifications"][0]["id"] == "85320000-8"
    assert tender["procurementMethodRationale"].startswith("Verlicht regime voor sociale en andere specifieke")
    assert tender["eligibilityCriteria"] == "Ervaring met welzijnswerk in alle wijken."
    assert tender["awardPeriod"]["endDate"] == ocds._iso(bids + timedelta(days=30))
    assert tender["awardPeriod"]["startDate"] == ocds._iso(bids)
    buyer = release["parties"][0]
    assert buyer["address"] == {
        "streetAddress": "Stadhuisplein 1",
        "locality": "Leiden",
        "postalCode": "2311 EJ",
        "countryName": "Nederland",
    }
    assert buyer["contactPoint"] == {
        "name": "Team Inkoop Sociaal Domein",
        "email": "inkoop@leiden.example",
        "telephone": "+31 71 555 0100",
    }


def test_purchasing_organisation_publishes_its_own_contact_point_ocds(leiden):
    po = core_services.upsert_purchasing_organisation(
        "Inkoop Holland Rijnland", municipalities=[leiden], contact={"contact_email": "inkoop@hr.example"}
    )
    user = officer(leiden)
    c = services.create_commissioning(
        user,
        purchasing_organisation=po,
        title="Samen",
        goals="Doelen",
        route=Route.OPEN,
        main_cpv=cpv("85310000-5"),
        short_period_reasons="Bekende markt in de regio.",
    )
    complete(c, user)
    services.publish(c, user)
    release = _package(c)["releases"][-1]
    procuring = next(p for p in release["parties"] if p["roles"] == ["procuringEntity"])
    assert procuring["contactPoint"] == {"email": "inkoop@hr.example"} and "address" not in procuring
    assert release["parties"][0]["address"]["locality"] == "Leiden"


def test_grant_round_has_no_cpv_items_and_keeps_its_rationale_ocds(leiden):
    user = officer(leiden)
    c = complete(draft(leiden, user, route=Route.GRANT_ROUND), user)
    tender = {}
    ocds_tender.extend_tender(c, tender, list(c.lots.all()), {}, ocds._iso)
    assert "items" not in tender and "eligibilityCriteria" not in tender and "awardPeriod" not in tender
    assert tender["procurementMethodRationale"].startswith("Subsidieplafond")


def test_rationale_is_extended_by_adding_a_source_ocds(leiden, monkeypatch):
    user = officer(leiden)
    c = draft(leiden, user, route=Route.COMPETITIVE_DIALOGUE)
    sources = [*ocds_tender.RATIONALE_SOURCES, lambda c, check: "Complexe opdracht (Aw 2.28)."]
    monkeypatch.setattr(ocds_tender, "RATIONALE_SOURCES", sources)
    tender = {}
    ocds_tender.extend_tender(c, tender, [], {}, ocds._iso)
    assert tender["procurementMethodRationale"].endswith(". Complexe opdracht (Aw 2.28).")


def test_public_page_and_document_state_the_dispatch_date_directive_art_52_2(leiden, client):
    user = officer(leiden)
    c = complete(draft(leiden, user, additional_cpv=[cpv("85320000-8")]), user)
    services.publish(c, user)
    c.refresh_from_db()
    day = timezone.localtime(c.notice_dispatched_at)
    with translation.override("nl"):
        html = render_to_string("publication/document_pdf.html", document_context(c))
        page = client.get(reverse("publication:detail", args=[leiden.cbs_code, c.pk])).content.decode()
    for text in (html, page):
        assert f"Aankondiging naar TenderNed/TED verzonden op {day.day} " in text and "412345" in text
        assert "85310000-5 Maatschappelijk werk" in text and "85320000-8 Sociale diensten" in text
        assert "Verlicht regime voor sociale en andere specifieke diensten" in text
