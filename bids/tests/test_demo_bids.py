"""The bids demo (bids/demo_consortium.py, docs/demo.md): operators with logins matched to the Leiden landscape, the
consortium's draft bid with its pending participations, the lone bidder's draft and two openers."""

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from bids import demo_consortium as demo
from bids import services
from bids.models import EconomicOperator, Opener, OperatorMatch, Participation, Submission
from core.demo import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD
from core.models import User

from .factories_b2 import register

pytestmark = pytest.mark.django_db


@pytest.fixture
def output():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_every_demo_operator_has_a_login_a_confirmed_address_and_a_confirmed_landscape_match(output):
    for username, org_name, kind, kvk, *_rest in demo.OPERATORS:
        assert username in output
        user = User.objects.get(username=username)
        assert user.check_password(DEMO_PASSWORD)
        operator = EconomicOperator.objects.get(kvk_number=kvk)
        assert (operator.name, operator.kind) == (org_name, kind)
        assert operator.members.filter(user=user, is_manager=True).exists()
        assert operator.email_confirmed_at is not None
        match = OperatorMatch.objects.get(operator=operator, status=OperatorMatch.Status.CONFIRMED)
        assert (match.organisation.name, match.organisation.municipality.cbs_code) == (org_name, "GM0546")


def test_the_consortium_draft_waits_for_each_member_and_subcontractor_to_confirm(output):
    s = Submission.objects.get(lead__name="Stichting Ouderenwerk Hooglandse Kring")
    assert (s.kind, s.status, s.lot.title, s.consortium_name) == ("bid", "draft", "Samen Meedoen", demo.CONSORTIUM_NAME)
    rings = {p.operator.name: (p.ring, p.status) for p in s.participations.select_related("operator")}
    R, PS = Participation.Ring, Participation.Status
    assert rings == {
        "Stichting Ouderenwerk Hooglandse Kring": (R.LEAD, PS.CONFIRMED),
        "Ontmoetingshuis De Lindenboom": (R.MEMBER, PS.PENDING),
        "Stichting Mantelzorgpunt Roodenburg": (R.MEMBER, PS.PENDING),
        "Stichting Huisbezoek 75+ Sleutelstad": (R.SUBCONTRACTOR, PS.PENDING),
        "Stichting Werkplaats aan de Mare": (R.SUBCONTRACTOR, PS.PENDING),
        "Nieuwkomerscafé Het Welkom": (R.SUBCONTRACTOR, PS.PENDING),
    }
    subcontractors = s.participations.filter(ring=R.SUBCONTRACTOR)
    assert all(p.operator.is_small for p in subcontractors)
    commitments = [c for p in subcontractors for c in p.commitments.all()]
    assert sorted(int(c.amount_per_year) for c in commitments) == [15000, 24000, 36000]
    assert all(c.years == demo.COMMITMENT_YEARS and c.activities.exists() for c in commitments)
    assert "(5 participations awaiting confirmation)" in output


def test_the_lone_bidder_has_a_draft_and_two_openers_are_appointed(output):
    lone = Submission.objects.get(lead__name="Buurtcoöperatie Boerhaave")
    assert (lone.status, lone.lot.title, lone.draft_items.count()) == ("draft", "Samen Meedoen", 1)
    assert lone.participations.get().ring == Participation.Ring.LEAD
    assert sorted(Opener.objects.filter(commissioning=lone.commissioning).values_list("user__username", flat=True)) == [
        "leiden.beleid",
        "leiden.beoordelaar",
    ]


def test_only_an_address_at_the_demo_domain_is_confirmed_without_its_link():
    outside, _user = register("Echt", confirmed=False)
    with pytest.raises(ValidationError):
        services.confirm_demo_operator_email(outside)
    outside.refresh_from_db()
    assert outside.email_confirmed_at is None
    inside, _user = register("Demo", confirmed=False, contact_email=f"demo@{DEMO_EMAIL_DOMAIN}")
    assert services.confirm_demo_operator_email(inside).email_confirmed_at is not None
