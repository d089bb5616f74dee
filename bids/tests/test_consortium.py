"""Consortia in rings: every operator confirms its own participation (B2, ADR 0008)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from bids import rules, services
from bids.models import Participation, Submission
from core.testing import UserFactory

from .factories_b2 import (
    english_messages,  # noqa: F401  (a fixture)
    invited,
    register,
    submission,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]
Ring = Participation.Ring
PS = Participation.Status


def test_lead_participation_exists_exactly_once():
    s, lead_user = submission()
    services.ensure_lead_participation(s, lead_user)
    lead = s.participations.get(ring=Ring.LEAD)
    assert lead.operator == s.lead and lead.status == PS.CONFIRMED


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        (PS.PENDING, PS.CONFIRMED, True),
        (PS.PENDING, PS.DECLINED, True),
        (PS.CONFIRMED, PS.DECLINED, False),
        (PS.CONFIRMED, PS.PENDING, False),
        (PS.DECLINED, PS.CONFIRMED, False),
        (PS.DECLINED, PS.PENDING, False),
        (PS.PENDING, PS.PENDING, False),
    ],
)
def test_participation_state_machine(current, target, allowed):
    assert rules.participation_transition_allowed(current, target) is allowed


def test_answered_invitation_cannot_be_answered_again():
    s, lead_user = submission()
    p, user = invited(s, lead_user, "Buurtmoeders", confirm=True)
    with pytest.raises(ValidationError):
        services.decide_participation(p, user, confirm=False)
    p.refresh_from_db()
    assert p.status == PS.CONFIRMED


def test_lead_cannot_confirm_for_a_small_organisation():
    s, lead_user = submission()
    p, _user = invited(s, lead_user, "Buurtmoeders", confirm=None, kind="volunteer")
    with pytest.raises(ValidationError) as e:
        services.decide_participation(p, lead_user, confirm=True)
    assert e.value.code == "forbidden"
    with pytest.raises(ValidationError):
        services.decide_participation(p, UserFactory(), confirm=True)  # nor a stranger
    p.refresh_from_db()
    assert p.status == PS.PENDING and p.decided_by is None


def test_declining_removes_the_participation_and_its_subcontractors():
    s, lead_user = submission()
    sub, sub_user = invited(s, lead_user, "Onderaannemer", confirm=None)
    subsub, _ = invited(s, lead_user, "Buurtmoeders", ring=Ring.SUB_SUBCONTRACTOR, parent=sub, confirm=None)
    services.decide_participation(sub, sub_user, confirm=False)
    assert set(s.participations.filter(status=PS.DECLINED).values_list("pk", flat=True)) == {sub.pk, subsub.pk}
    assert "Onderaannemer" not in " ".join(rules.submission_blockers(s))


def test_an_operator_is_invited_only_once():
    s, lead_user = submission()
    p, _user = invited(s, lead_user, "Buurtmoeders", confirm=False)
    with pytest.raises(ValidationError):
        services.add_participation(s, lead_user, operator=p.operator, ring=Ring.MEMBER)
    with pytest.raises(ValidationError):
        services.add_participation(s, lead_user, operator=s.lead, ring=Ring.MEMBER)


def test_ring_three_works_for_a_ring_two_subcontractor():
    s, lead_user = submission()
    member, _ = invited(s, lead_user, "Lid", ring=Ring.MEMBER)
    other, _u = register("Klein")
    with pytest.raises(ValidationError):
        services.add_participation(s, lead_user, operator=other, ring=Ring.SUB_SUBCONTRACTOR)
    with pytest.raises(ValidationError):
        services.add_participation(s, lead_user, operator=other, ring=Ring.SUB_SUBCONTRACTOR, parent=member)
    with pytest.raises(ValidationError):
        services.add_participation(s, lead_user, operator=other, ring=Ring.SUBCONTRACTOR, parent=member)
    with pytest.raises(ValidationError):
        services.add_participation(s, lead_user, operator=other, ring=Ring.LEAD)
    sub, _ = invited(s, lead_user, "Onder")
    p = services.add_participation(s, lead_user, operator=other, ring=Ring.SUB_SUBCONTRACTOR, parent=sub)
    assert p.parent == sub and p.status == PS.PENDING


def test_only_the_leads_members_add_participations():
    s, lead_user = submission()
    p, member_user = invited(s, lead_user, "Lid", ring=Ring.MEMBER)
    other, _u = register("Klein")
    with pytest.raises(ValidationError):
        services.add_participation(s, member_user, operator=other, ring=Ring.SUBCONTRACTOR)


def test_consortium_changes_only_in_a_draft_before_the_deadline():
    s, lead_user = submission()
    p, user = invited(s, lead_user, "Lid", ring=Ring.MEMBER, confirm=None)
    deadline = rules.submission_deadline(s).at
    other, _u = register("Klein")
    with pytest.raises(ValidationError):
        services.add_participation(s, lead_user, operator=other, ring=Ring.SUBCONTRACTOR, now=deadline)
    with pytest.raises(ValidationError):
        services.decide_participation(p, user, confirm=True, now=deadline + timedelta(seconds=1))
    services.decide_participation(p, user, confirm=True, now=deadline - timedelta(seconds=1))
    Submission.objects.filter(pk=s.pk).update(status=Submission.Status.SUBMITTED)
    s.refresh_from_db()
    with pytest.raises(ValidationError):
        services.set_consortium_name(s, lead_user, "Samen Sterk")


def test_consortium_name_on_the_submission():
    s, lead_user = submission()
    services.set_consortium_name(s, lead_user, "  Samen   Sterk ")
    s.refresh_from_db()
    assert s.consortium_name == "Samen Sterk" and str(s) == "Samen Sterk"
