"""Self-declarations (UEA/ESPD): Directive 2014/24/EU art. 57 exclusion grounds and art. 63 reliance; and what
blocks submitting (bids.rules.submission_blockers)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from bids import declarations, rules, services
from bids.models import Declaration, EconomicOperator, Participation, SubcontractCommitment

from .factories_b2 import (
    english_messages,  # noqa: F401  (a fixture)
    invited,
    no_exclusion_grounds,
    submission,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]
Ring = Participation.Ring


def test_exclusion_grounds_directive_art_57():
    articles = {g.article: g for g in rules.EXCLUSION_GROUNDS}
    mandatory = [f"57(1)({x})" for x in "abcdef"] + ["57(2)"]
    optional = [f"57(4)({x})" for x in "abcdefghi"]
    assert list(articles) == mandatory + optional
    assert all(articles[a].mandatory for a in mandatory) and not any(articles[a].mandatory for a in optional)
    assert articles["57(1)(a)"].code == "criminal_organisation"
    assert articles["57(1)(f)"].code == "child_labour"
    assert articles["57(2)"].code == "taxes_social_security"
    assert articles["57(4)(b)"].code == "bankruptcy"
    assert articles["57(4)(i)"].code == "undue_influence"
    assert len(set(rules.EXCLUSION_CODES)) == 16


def test_every_ground_answered_and_a_yes_explained_art_57():
    s, lead_user = submission()
    p, user = invited(s, lead_user, "Buurtmoeders")
    answers = no_exclusion_grounds()
    del answers["fraud"]
    with pytest.raises(ValidationError):
        services.declare(p, user, answers)
    answers = no_exclusion_grounds() | {"bankruptcy": {"applies": True, "explanation": " "}}
    with pytest.raises(ValidationError):
        services.declare(p, user, answers)
    with pytest.raises(ValidationError):
        services.declare(p, user, no_exclusion_grounds() | {"made_up": {"applies": False}})
    answers = no_exclusion_grounds() | {"bankruptcy": {"applies": True, "explanation": "Akkoord met schuldeisers."}}
    declaration = services.declare(p, user, answers)
    read = declarations.answers_of(Declaration.objects.get(pk=declaration.pk))
    assert read["bankruptcy"] == {"applies": True, "explanation": "Akkoord met schuldeisers."}
    assert read["fraud"] == {"applies": False, "explanation": ""}
    event = AuditEvent.objects.filter(action="bids.declaration").get()
    assert "Akkoord" not in str(event.summary)  # never the answers in the audit trail


def test_explanations_stored_encrypted():
    s, lead_user = submission()
    p, user = invited(s, lead_user, "Buurtmoeders")
    words = "Bestuurder veroordeeld in 2019; vervangen en integriteitsbeleid ingevoerd."
    services.declare(
        p, user, no_exclusion_grounds() | {"professional_misconduct": {"applies": True, "explanation": words}}
    )
    stored = Declaration.objects.values_list("answers", flat=True).get()
    assert stored["professional_misconduct"]["applies"] is True
    assert "veroordeeld" not in str(stored) and words.encode() not in str(stored).encode()
    assert declarations.answers_of(Declaration.objects.get())["professional_misconduct"]["explanation"] == words


def test_only_a_member_of_the_operator_itself_declares():
    s, lead_user = submission()
    p, _user = invited(s, lead_user, "Buurtmoeders")
    with pytest.raises(ValidationError):
        services.declare(p, lead_user, no_exclusion_grounds())
    assert not Declaration.objects.exists()


def test_reliance_on_capacity_directive_art_63():
    s, lead_user = submission()
    member, member_user = invited(s, lead_user, "Lid", ring=Ring.MEMBER)
    sub, _ = invited(s, lead_user, "Onder")
    declined, _ = invited(s, lead_user, "Weg", confirm=False)
    other_s, other_lead = submission()
    stranger, _ = invited(other_s, other_lead, "Vreemd")
    services.set_reliance(member, member_user, [sub, s.participations.get(ring=Ring.LEAD)])
    assert set(member.relies_on.all()) == {sub, s.participations.get(ring=Ring.LEAD)}
    assert list(sub.relied_on_by.all()) == [member]
    for bad in ([member], [declined], [stranger]):
        with pytest.raises(ValidationError):
            services.set_reliance(member, member_user, bad)
    with pytest.raises(ValidationError):  # a third operator's member cannot state it for the member
        services.set_reliance(member, invited(s, lead_user, "Derde")[1], [sub])


def test_submission_blockers_pending_missing_declarations_and_over_budget():
    s, lead_user = submission()
    lead = s.participations.get(ring=Ring.LEAD)
    pending, pending_user = invited(s, lead_user, "Buurtmoeders", confirm=None)
    blockers = " ".join(rules.submission_blockers(s))
    assert "Buurtmoeders has not confirmed" in blockers
    assert f"{s.lead.name} has not made its self-declaration" in blockers
    services.decide_participation(pending, pending_user, confirm=True)
    services.declare(pending, pending_user, no_exclusion_grounds())
    services.declare(lead, lead_user, no_exclusion_grounds())
    assert rules.submission_blockers(s) == []
    EconomicOperator.objects.filter(pk=s.lead_id).update(email_confirmed_at=None)
    s.lead.refresh_from_db()
    assert rules.submission_blockers(s) == ["The lead has not confirmed its e-mail address yet."]
    EconomicOperator.objects.filter(pk=s.lead_id).update(email_confirmed_at=timezone.now())
    s.lead.refresh_from_db()
    c = services.save_commitment(pending, lead_user, amount_per_year="1000", years=1)
    SubcontractCommitment.objects.filter(pk=c.pk).update(amount_per_year=Decimal("2000000"))  # e.g. a lower budget
    assert "exceed the lot's fixed budget" in " ".join(rules.submission_blockers(s))
