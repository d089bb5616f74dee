"""OCDS 1.1.5 exports, validated offline against the official schemas (publication.validation)."""

import json
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from core.models import PurchasingOrganisation
from core.testing import MunicipalityFactory
from publication import ocds, validation
from publication.models import Release
from tenders import services
from tenders.models import Phase, Route
from tenders.tests.factories import SOCIAL_CPV, advance_to, complete, cpv, draft, officer, published

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not validation.schema_dir().exists(), reason="OCDS 1.1.5 schemas not available"),
]


@pytest.fixture
def leiden():
    return MunicipalityFactory(cbs_code="GM0546", name="Leiden")


def _full_history(m):
    """A commissioning with every kind of release: published, rectified, clarified, moved on."""
    user = officer(m)
    c = published(m, user=user, contract_start=date(2027, 1, 1))
    services.rectify(
        c, user, explanation="Later sluiten", deadlines={"bids": c.deadlines.get(kind="bids").at + timedelta(days=3)}
    )
    provider = get_user_model().objects.create(username="aanbieder")
    q = services.ask_question(c, provider, "Mag een consortium inschrijven?")
    services.answer_question(q, user, answer="Ja.", topic="Inschrijven")
    services.publish_clarification(c, user)
    advance_to(c, user, Phase.EVALUATION)
    return c


def test_release_and_record_packages_validate_against_ocds_1_1_5(leiden, client):
    c = _full_history(leiden)
    releases = client.get(reverse("publication-api:ocds_releases")).json()
    assert validation.errors(releases) == []
    tags = [r["tag"] for r in releases["releases"]]
    assert tags == [["planning", "tender"], ["tenderAmendment"], ["tenderUpdate"], ["tenderUpdate"]]
    record = client.get(reverse("publication-api:ocds_record", args=[ocds.ocid(c)])).json()
    assert validation.errors(record) == []
    compiled = record["records"][0]["compiledRelease"]
    assert compiled["tag"] == ["compiled"]
    assert compiled["tender"]["status"] == "active"
    assert compiled["tender"]["awardCriteria"] == "qualityOnly"
    assert compiled["tender"]["amendments"][0]["rationale"] == "Later sluiten"
    assert [d["documentType"] for d in compiled["tender"]["documents"]] == [
        "biddingDocuments",
        "tenderNotice",
        "clarifications",
    ]


def test_lots_and_budgets_are_in_the_release_with_the_lots_extension_declared(leiden, client):
    c = _full_history(leiden)
    package = client.get(reverse("publication-api:ocds_releases"), {"ocid": ocds.ocid(c)}).json()
    assert ocds.LOTS_EXTENSION in package["extensions"]
    tender = package["releases"][0]["tender"]
    assert tender["lots"] == [
        {
            "id": "1",
            "title": "Perceel 1",
            "description": "Perceel 1",
            "value": {"amount": 9000000.0, "currency": "EUR"},
            "status": "active",
        }
    ]
    assert package["releases"][0]["planning"]["budget"]["amount"]["amount"] == 9000000.0
    assert tender["contractPeriod"]["maxExtentDate"].startswith("2036-01-01")
    assert package["releases"][0]["ocid"] == f"ocds-wijkwa-GM0546-{c.pk}"


def test_ocid_prefix_is_a_setting(leiden, settings):
    settings.OCDS_OCID_PREFIX = "ocds-abc123"
    c = published(leiden)
    assert Release.objects.get(commissioning=c).ocid == f"ocds-abc123-GM0546-{c.pk}"


def test_drafts_never_appear_in_the_open_data(leiden, client):
    draft(leiden)
    assert client.get(reverse("publication-api:ocds_releases")).json()["releases"] == []
    assert client.get(reverse("publication-api:ocds_record", args=["ocds-wijkwa-GM0546-1"])).status_code == 404


def test_purchasing_organisation_is_the_procuring_entity(leiden):
    other = MunicipalityFactory(cbs_code="GM0575", name="Noordwijk")
    po = PurchasingOrganisation.objects.create(name="Inkoopbureau Holland Rijnland")
    po.municipalities.set([leiden, other])
    user = officer(leiden)
    c = services.create_commissioning(
        user,
        purchasing_organisation=po,
        title="Regionaal",
        goals="Samen",
        route=Route.OPEN,
        term_years=2,
        main_cpv=cpv(SOCIAL_CPV),
        short_period_reasons="Bekende markt in de regio.",  # light regime, 20 days (Aw 1.10)
    )
    complete(c, user)
    services.publish(c, user)
    data = Release.objects.get(commissioning=c).data
    assert validation.errors(ocds.release_package([Release.objects.get(commissioning=c)], "/x")) == []
    roles = {p["id"]: p["roles"] for p in data["parties"]}
    assert roles == {"GM0546": ["buyer"], "GM0575": ["buyer"], f"IO{po.pk}": ["procuringEntity"]}
    assert data["ocid"] == f"ocds-wijkwa-IO{po.pk}-{c.pk}"


def test_a_failed_publication_leaves_no_release(leiden):
    c = draft(leiden)
    with pytest.raises(Exception):  # noqa: B017 - the guard's ValidationError
        services.publish(c, officer(leiden))
    assert not Release.objects.exists()


def test_export_ocds_writes_a_release_package_per_commissioning_and_a_record_package(leiden, tmp_path):
    a = _full_history(leiden)
    b = published(leiden, route=Route.GRANT_ROUND)
    draft(leiden)
    call_command("export_ocds", "--out", str(tmp_path / "ocds"))
    files = sorted(p.name for p in (tmp_path / "ocds").iterdir())
    assert files == sorted([f"{ocds.ocid(a)}-releases.json", f"{ocds.ocid(b)}-releases.json", "records.json"])
    for name in files:
        package = json.loads((tmp_path / "ocds" / name).read_text())
        assert validation.errors(package) == [], name
    records = json.loads((tmp_path / "ocds" / "records.json").read_text())["records"]
    assert {r["ocid"] for r in records} == {ocds.ocid(a), ocds.ocid(b)}


def test_validation_catches_a_broken_package(leiden):
    c = published(leiden)
    package = ocds.release_package(Release.objects.filter(commissioning=c), "/x")
    package["releases"][0]["tender"]["status"] = "open-ish"
    package["releases"][0]["tender"]["value"]["amount"] = "veel"
    assert len(validation.errors(package)) >= 2


def test_grant_round_release_states_ceiling_and_distribution_rule_in_dutch(leiden):
    c = published(leiden, route=Route.GRANT_ROUND)
    release = Release.objects.get(commissioning=c).data
    assert release["tender"]["procurementMethodRationale"].startswith("Subsidieplafond € 10000000.00; Rangschikking")
    assert release["tender"]["procurementMethodDetails"] == "Subsidietender (Awb titel 4.2)"
