from decimal import Decimal

import pytest

from audit.models import AuditEvent
from audit.services import verify_chain
from core.testing import MunicipalityFactory
from landscape import services
from landscape.models import Funding, Organisation


@pytest.fixture
def leiden(db):
    m = MunicipalityFactory(cbs_code="GM0546", name="Leiden")
    services.upsert_district(m, cbs_code="WK054600", name="Binnenstad-Noord")
    return m


def test_upsert_organisation_by_kvk_updates_instead_of_duplicating(leiden):
    services.upsert_organisation(leiden, name="Buurtkracht", kvk_number="12345678", kind="volunteer_only")
    services.upsert_organisation(leiden, name="Buurtkracht Leiden", kvk_number="12345678", kind="volunteer_only")
    assert list(Organisation.objects.values_list("name", flat=True)) == ["Buurtkracht Leiden"]


def test_every_change_is_audited_and_no_change_is_not(leiden):
    before = AuditEvent.objects.count()
    org = services.upsert_organisation(leiden, name="Buurtkracht", kind="volunteer_only", volunteers=12)
    services.upsert_organisation(leiden, name="Buurtkracht", kind="volunteer_only", volunteers=12)
    assert AuditEvent.objects.count() == before + 1
    services.upsert_organisation(leiden, name="Buurtkracht", volunteers=14)
    last = AuditEvent.objects.order_by("-seq").first()
    assert last.action == "landscape.organisation.update"
    assert last.summary == {"before": {"volunteers": 12}, "after": {"volunteers": 14}}
    assert last.object_id == str(org.pk)
    assert verify_chain() is None


def test_activity_with_unknown_district_is_rejected_and_nothing_written(leiden):
    org = services.upsert_organisation(leiden, name="Buurtkracht", kind="volunteer_only")
    with pytest.raises(ValueError, match="WK999999"):
        services.upsert_activity(org, title="Koffieochtend", districts=["WK999999"])
    assert not org.activities.exists()


def test_conditional_co_funding_is_stored_per_year(leiden):
    org = services.upsert_organisation(leiden, name="Buurtkracht", kind="volunteer_only")
    services.upsert_funding(
        org,
        year=2024,
        kind=Funding.Kind.EXTERNAL,
        source_name="Fonds Doen",
        amount_granted=Decimal("15000"),
        conditional=True,
    )
    services.upsert_funding(
        org,
        year=2024,
        kind=Funding.Kind.EXTERNAL,
        source_name="Fonds Doen",
        amount_granted=Decimal("16000"),
        conditional=True,
    )
    assert list(Funding.objects.values_list("amount_granted", flat=True)) == [Decimal("16000.00")]
