import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from audit.models import AuditEvent
from audit.services import verify_chain
from core.testing import MunicipalityFactory
from landscape import services, synthetic
from landscape.models import Activity, District, Funding, Organisation

pytestmark = pytest.mark.django_db


def fingerprint(codes=None) -> str:
    """Everything generated, without database ids, as one hash."""
    orgs = Organisation.objects.filter(municipality__cbs_code__startswith="GM8")
    activities = Activity.objects.filter(organisation__in=orgs)
    fundings = Funding.objects.filter(organisation__in=orgs)
    if codes:
        orgs = orgs.filter(municipality__cbs_code__in=codes)
        activities = activities.filter(organisation__municipality__cbs_code__in=codes)
        fundings = fundings.filter(organisation__municipality__cbs_code__in=codes)
    rows = [
        sorted(
            orgs.values_list(
                "municipality__cbs_code",
                "name",
                "kind",
                "paid_staff_fte",
                "volunteers",
                "own_income_share",
                "first_funded_year",
            )
        ),
        sorted(
            (
                a.organisation.name,
                a.title,
                a.reach,
                a.volunteer_hours,
                a.since_year,
                a.preventive,
                sorted(d.cbs_code for d in a.districts.all()),
                sorted(t.code for t in a.target_groups.all()),
            )
            for a in activities.select_related("organisation").prefetch_related("districts", "target_groups")
        ),
        sorted(
            fundings.values_list(
                "organisation__name",
                "year",
                "kind",
                "source_name",
                "amount_requested",
                "amount_granted",
                "amount_settled",
                "conditional",
            ),
            key=repr,
        ),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def test_generates_the_expected_shape_with_one_audit_event():
    before = AuditEvent.objects.count()
    totals = synthetic.generate(3, seed=1)
    assert totals["municipalities"] == 3
    assert set(District.objects.values_list("municipality__cbs_code", flat=True)) == {"GM8001", "GM8002", "GM8003"}
    assert all(d.cbs_code.startswith("WK" + d.municipality.cbs_code[2:]) for d in District.objects.all())
    assert Organisation.objects.count() == totals["organisations"] >= 3 * 8
    assert Activity.objects.count() == totals["activities"]
    assert 3 * totals["organisations"] <= totals["activities"] <= 17 * totals["organisations"]
    assert Funding.objects.count() == totals["fundings"]
    assert set(Funding.objects.values_list("year", flat=True)) <= set(synthetic.YEARS)
    assert Funding.objects.filter(kind=Funding.Kind.EXTERNAL, conditional=True).exists()
    assert not Activity.objects.filter(districts=None).exists()
    assert AuditEvent.objects.count() == before + 1
    assert AuditEvent.objects.last().summary["organisations"] == totals["organisations"]
    assert verify_chain() is None


def test_same_seed_gives_the_same_landscape_and_another_seed_another():
    synthetic.generate(3, seed=1)
    first = fingerprint()
    synthetic.generate(3, seed=1, replace=True)
    assert fingerprint() == first
    synthetic.generate(3, seed=2, replace=True)
    assert fingerprint() != first


def test_a_municipalitys_data_does_not_depend_on_how_many_are_generated():
    synthetic.generate(1, seed=7)
    alone = fingerprint(["GM8001"])
    synthetic.generate(3, seed=7, replace=True)
    assert fingerprint(["GM8001"]) == alone


def test_existing_synthetic_data_is_kept_unless_replace_is_asked():
    synthetic.generate(2, seed=1)
    count = Organisation.objects.count()
    with pytest.raises(CommandError, match="--replace"):
        call_command("generate_landscape", municipalities=2, seed=3, stdout=StringIO())
    assert Organisation.objects.count() == count


def test_replace_leaves_real_municipalities_alone():
    leiden = MunicipalityFactory(cbs_code="GM0546", name="Leiden")
    services.upsert_organisation(leiden, name="Buurtkracht", kind="volunteer_only")
    synthetic.generate(2, seed=1)
    synthetic.generate(2, seed=1, replace=True)
    assert Organisation.objects.filter(municipality=leiden).count() == 1


@pytest.mark.parametrize("count", [0, 1000])
def test_command_rejects_an_impossible_number_of_municipalities(count):
    with pytest.raises(CommandError, match="999"):
        call_command("generate_landscape", municipalities=count, stdout=StringIO())
    assert not Organisation.objects.exists()


def test_command_prints_progress_and_totals():
    out = StringIO()
    call_command("generate_landscape", municipalities=2, seed=1, stdout=out)
    assert "2/2" in out.getvalue()
    assert f"{Organisation.objects.count()} organisaties" in out.getvalue()


def test_copy_on_postgresql_writes_the_same_landscape_as_bulk_create_and_keeps_the_id_sequences(monkeypatch):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's")
    synthetic.generate(2, seed=1)
    copied = fingerprint()
    monkeypatch.setattr(synthetic, "_copy_supported", lambda: False)
    synthetic.generate(2, seed=1, replace=True)
    assert fingerprint() == copied
    monkeypatch.undo()
    synthetic.generate(2, seed=1, replace=True)
    # Ids were taken from the sequences: ordinary writes after a COPY get fresh ids, no clash.
    m = MunicipalityFactory(cbs_code="GM0546", name="Leiden")
    district = services.upsert_district(m, cbs_code="WK054601", name="Centrum")
    org = services.upsert_organisation(m, name="Buurtkracht", kind="volunteer_only")
    assert district.pk > District.objects.exclude(pk=district.pk).order_by("pk").last().pk
    assert org.pk > Organisation.objects.exclude(pk=org.pk).order_by("pk").last().pk


def test_postgresql_planner_statistics_are_refreshed_after_the_load(django_capture_on_commit_callbacks):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("ANALYZE after a bulk load is for PostgreSQL's planner")
    with django_capture_on_commit_callbacks(execute=True):
        synthetic.generate(2, seed=1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [Activity._meta.db_table])
        assert cursor.fetchone()[0] == Activity.objects.count()  # small tables: ANALYZE counts every row
