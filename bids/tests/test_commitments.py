"""Structured subcontract commitments, checked against the lot budget, and the share for small organisations."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from bids import selectors, services
from bids.models import OperatorMatch, Participation, SubcontractCommitment
from core.testing import MunicipalityFactory
from landscape.models import Activity, District, Funding, Organisation

from .factories_b2 import (
    commit,
    english_messages,  # noqa: F401  (a fixture)
    invited,
    submission,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]
Ring = Participation.Ring


def test_commitments_over_the_lot_budget_refused():
    s, lead_user = submission()  # lot budget € 1,000,000 per year
    a, _ = invited(s, lead_user, "Buurtmoeders")
    b, _ = invited(s, lead_user, "Taalmaatjes")
    commit(a, lead_user, amount=Decimal("600000"))
    with pytest.raises(ValidationError) as e:
        services.save_commitment(b, lead_user, share_of_lot_budget="40.01", years=2)
    assert "exceed the lot's fixed budget" in str(e.value)
    services.save_commitment(b, lead_user, share_of_lot_budget="40", years=2)  # exactly the budget
    totals = selectors.commitments_of(s)
    assert totals.total_per_year == Decimal("1000000.00") and not totals.over_budget
    assert totals.share_of_lot_budget == Decimal("100.00")


def test_changing_a_commitment_counts_it_once():
    s, lead_user = submission()
    a, _ = invited(s, lead_user, "Buurtmoeders")
    c = commit(a, lead_user, amount=Decimal("900000"))
    services.save_commitment(a, lead_user, commitment=c, amount_per_year="950000", years=1)
    assert SubcontractCommitment.objects.get().amount_per_year == Decimal("950000")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"share_of_lot_budget": "100.5", "years": 1}, "at most 100%"),
        ({"share_of_lot_budget": "0", "years": 1}, "at most 100%"),
        ({"amount_per_year": "-5", "years": 1}, "more than € 0"),
        ({"amount_per_year": "5", "share_of_lot_budget": "5", "years": 1}, "either an amount"),
        ({"years": 1}, "either an amount"),
        ({"amount_per_year": "5", "years": 10}, "between 1 and 9"),  # 5 years + 4 options of 1
        ({"amount_per_year": "5", "years": 0}, "between 1 and 9"),
    ],
)
def test_commitment_shape_checked(fields, message):
    s, lead_user = submission()
    a, _ = invited(s, lead_user, "Buurtmoeders")
    with pytest.raises(ValidationError) as e:
        services.save_commitment(a, lead_user, **fields)
    assert message in str(e.value)
    assert not SubcontractCommitment.objects.exists()


def test_only_the_lead_records_commitments_and_never_to_itself():
    s, lead_user = submission()
    a, a_user = invited(s, lead_user, "Buurtmoeders")
    with pytest.raises(ValidationError):
        commit(a, a_user)
    with pytest.raises(ValidationError):
        commit(s.participations.get(ring=Ring.LEAD), lead_user)


def test_activities_districts_and_continued_activity_come_from_the_commissionings_landscape():
    s, lead_user = submission()
    m = s.commissioning.municipalities()[0]
    org = Organisation.objects.create(municipality=m, name="Buurthuis", kind="volunteer_only")
    funded = Activity.objects.create(organisation=org, title="Taalcafé")
    unfunded = Activity.objects.create(organisation=org, title="Moestuin")
    Funding.objects.create(
        municipality=m, organisation=org, activity=funded, year=2026, kind="municipal_grant", amount_granted=5000
    )
    district = District.objects.create(municipality=m, cbs_code="WK999901", name="Noord")
    other_org = Organisation.objects.create(municipality=MunicipalityFactory(), name="Elders", kind="volunteer_only")
    elsewhere = Activity.objects.create(organisation=other_org, title="Elders")
    a, _ = invited(s, lead_user, "Buurtmoeders")
    for bad in ({"activities": [elsewhere]}, {"continues_activity": unfunded}, {"continues_activity": elsewhere}):
        with pytest.raises(ValidationError):
            commit(a, lead_user, **bad)
    c = commit(a, lead_user, activities=[funded, unfunded], districts=[district], continues_activity=funded)
    assert c.continues_activity == funded and set(c.activities.all()) == {funded, unfunded}


def _small_setup():
    s, lead_user = submission()
    m = s.commissioning.municipalities()[0]
    # Declared a company, but the landscape knows it as a volunteer organisation: the landscape wins.
    volunteers, _ = invited(s, lead_user, "Buurtmoeders", kind="company")
    org = Organisation.objects.create(
        municipality=m, name="Buurtmoeders", kvk_number=volunteers.operator.kvk_number, kind="volunteer_only"
    )
    OperatorMatch.objects.create(
        operator=volunteers.operator, organisation=org, status="confirmed", proposed_at=timezone.now()
    )
    # Declared a social enterprise, no match: its own declaration counts.
    social, _ = invited(s, lead_user, "Werkplaats", kind="social_enterprise")
    # Declared volunteer, but the landscape says large welfare: not small.
    big, _ = invited(s, lead_user, "Welzijn", kind="volunteer")
    big_org = Organisation.objects.create(municipality=m, name="Welzijn", kind="large_welfare")
    OperatorMatch.objects.create(
        operator=big.operator, organisation=big_org, status="confirmed", proposed_at=timezone.now()
    )
    # A proposed (unconfirmed) match does not count.
    declared_only, _ = invited(s, lead_user, "Klein", kind="company")
    small_org = Organisation.objects.create(municipality=m, name="Klein", kind="self_organisation")
    OperatorMatch.objects.create(operator=declared_only.operator, organisation=small_org, proposed_at=timezone.now())
    commit(volunteers, lead_user, amount=Decimal("100000"))
    services.save_commitment(social, lead_user, share_of_lot_budget="5", years=3)
    commit(big, lead_user, amount=Decimal("200000"))
    commit(declared_only, lead_user, amount=Decimal("1000"))
    return s, volunteers, social, big, declared_only


def test_small_organisation_share_uses_landscape_kind():
    s, volunteers, social, big, declared_only = _small_setup()
    share = selectors.small_organisation_share(s)
    by_p = {x.participation.pk: (x.small, x.basis) for x in share.participants}
    assert by_p[volunteers.pk] == (True, selectors.BASIS_LANDSCAPE)
    assert by_p[social.pk] == (True, selectors.BASIS_DECLARED)
    assert by_p[big.pk] == (False, selectors.BASIS_LANDSCAPE)
    assert by_p[declared_only.pk] == (False, selectors.BASIS_DECLARED)
    assert share.amount_per_year == Decimal("150000.00")  # 100,000 + 5% of 1,000,000
    assert share.share_of_lot_budget == Decimal("15.00")


def test_declined_participations_commit_nothing():
    s, lead_user = submission()
    a, a_user = invited(s, lead_user, "Buurtmoeders", confirm=None)
    commit(a, lead_user, amount=Decimal("999999"))
    services.decide_participation(a, a_user, confirm=False)
    totals = selectors.commitments_of(s)
    assert totals.total_per_year == 0 and totals.rows == []
