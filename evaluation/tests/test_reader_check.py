"""The reading plug point (bids.access.register_reader_check, registered by evaluation): an evaluator reads the
opened bids of a lot only while seated on its committee with a declaration without conflict (Directive 2014/24/EU
art. 24); the procurement officer keeps access; a social worker on the committee reads through the same check."""

import pytest
from django.urls import reverse

from bids import access
from bids.tests import factories_opening as f
from core.models import Role
from core.testing import MunicipalityFactory, login, user_with_role
from evaluation import services
from tenders.models import Phase
from tenders.tests.factories import advance_to

pytestmark = pytest.mark.django_db
ANSWER = "Wij werken in elke wijk met vaste buurtteams en bewoners samen."


@pytest.fixture
def sealed():
    c = f.commissioning_with_key(MunicipalityFactory(cbs_code="GM0546", name="Leiden"))
    leaf = c.criteria.filter(children__isnull=True).first()
    f.seal(c, f.operator("Wijkkracht"), answers=[(leaf.pk, ANSWER)])
    f.seal(c, f.operator("Buurtwerk Samen"))
    f.open_submissions(c, f.opener(c), f.opener(c))
    officer = f.the_officer(c)
    advance_to(c, officer, Phase.EVALUATION)
    chair = user_with_role(Role.EVALUATOR, c.municipality, username="voorzitter")
    member = user_with_role(Role.EVALUATOR, c.municipality, username="lid")
    worker = user_with_role(Role.SOCIAL_WORKER, c.municipality, username="sociaalwerker")
    lot = c.lots.first()
    committee = services.appoint_committee(lot, actor=officer, chair=chair, members=[member, worker])
    submission = c.submissions.get(lead__name="Wijkkracht")
    return c, committee, submission, officer, member, worker


def test_the_officer_keeps_reading_whatever_the_committee(sealed):
    c, _committee, submission, officer, *_ = sealed
    assert access.may_read(officer, submission)


def test_an_evaluator_not_on_the_committee_reads_nothing_art_24(sealed):
    c, _committee, submission, *_ = sealed
    outsider = user_with_role(Role.EVALUATOR, c.municipality, username="buitenstaander")
    assert not access.may_read(outsider, submission)


def test_a_member_reads_only_after_a_declaration_without_conflict_art_24(sealed):
    _c, committee, submission, _officer, member, worker = sealed
    seat = committee.members.get(user=member)
    assert not access.may_read(member, submission)
    services.declare_interests(seat, actor=member, has_conflict=False)
    assert access.may_read(member, submission)
    conflicted = committee.members.get(user=worker)
    services.declare_interests(conflicted, actor=worker, has_conflict=True, relations="Bestuurslid van Wijkkracht")
    assert not access.may_read(worker, submission)


def test_a_social_worker_on_the_committee_reads_after_declaring(sealed):
    _c, committee, submission, _officer, _member, worker = sealed
    assert not access.may_read(worker, submission)
    services.declare_interests(committee.members.get(user=worker), actor=worker, has_conflict=False)
    assert access.may_read(worker, submission)


def test_the_bids_page_follows_the_check(client, sealed):
    c, committee, submission, _officer, member, _worker = sealed
    url = reverse("bids:opened_submission", args=["GM0546", c.pk, submission.pk])
    login(client, member)
    assert client.get(url).status_code == 403
    services.declare_interests(committee.members.get(user=member), actor=member, has_conflict=False)
    assert client.get(url).status_code == 200


def test_the_member_reads_the_decrypted_answer_beside_the_score_form(client, sealed):
    _c, committee, submission, _officer, member, _worker = sealed
    seat = committee.members.get(user=member)
    services.declare_interests(seat, actor=member, has_conflict=False)
    login(client, member)
    page = client.get(reverse("evaluation:bid", args=[seat.pk, submission.pk])).content.decode()
    assert ANSWER in page
    assert "kon bij de opening niet worden ontsleuteld" not in page
