"""The grant route's decisions (ADR 0010): ranked by the published distribution rule until the ceiling (Awb 4:25(2),
4:26), one decision per applicant with the reasons (Awb 3:46) and the objection clause (Awb 3:45, 6:7, 6:8), and no
standstill before the round is closed."""

import subprocess
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from evaluation import services
from evaluation.models import GrantDecision
from tenders import rules
from tenders import services as tender_services
from tenders.models import Phase

from .grant_factories import grant_world

pytestmark = pytest.mark.django_db
# Wednesday 2 December 2026, 10:00 in Amsterdam.
SENT = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
TIE = "Bij gelijke totalen gaat de aanvraag met de hoogste score op Plan van aanpak voor; daarna loting."


def asked(w, *amounts):
    return {b.pk: Decimal(a) for b, a in zip(w.bids, amounts, strict=True)}


def by_bid(w):
    return {d.submission_id: d for d in GrantDecision.objects.filter(commissioning=w.c)}


def test_applications_are_granted_in_ranking_order_until_the_lot_budget_awb_4_25_4_26():
    # Budget 100,000 per year: rank 1 asks 60,000 (granted), rank 2 asks 50,000 (does not fit in the 40,000 left:
    # refused), rank 3 asks 30,000 (still fits: granted).
    w = grant_world((75, 50, 25))
    services.take_grant_decisions(w.c, actor=w.officer, requested=asked(w, 60000, 50000, 30000), now=SENT)
    d = by_bid(w)
    first, second, third = (d[b.pk] for b in w.bids)
    assert (first.outcome, first.granted_per_year, first.rank) == ("granted", Decimal("60000"), 1)
    assert (second.outcome, second.granted_per_year, second.available_per_year) == (
        "refused",
        Decimal("0"),
        Decimal("40000"),
    )
    assert (third.outcome, third.granted_per_year, third.rank) == ("granted", Decimal("30000"), 3)
    assert {x.applications_in_lot for x in d.values()} == {3}
    event = AuditEvent.objects.get(action="evaluation.grants_decided")
    assert event.summary["granted"] == 2 and event.summary["granted_per_year"] == "90000.00"


def test_every_applicant_is_mailed_the_decision_after_the_commit(django_capture_on_commit_callbacks, mailoutbox):
    w = grant_world((75, 50))
    with django_capture_on_commit_callbacks(execute=True):
        services.take_grant_decisions(w.c, actor=w.officer, requested=asked(w, 70000, 40000), now=SENT)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(b.lead.contact_email for b in w.bids)
    by_address = {m.to[0]: m for m in mailoutbox}
    granted, refused = by_address[w.bids[0].lead.contact_email], by_address[w.bids[1].lead.contact_email]
    assert "€ 70.000,00 per jaar" in granted.body and "13-01-2027" in granted.body and "6:7" in granted.body
    assert "geweigerd" in refused.body
    for message in mailoutbox:
        (attachment,) = message.attachments
        assert attachment[2] == "application/pdf" and attachment[1].startswith(b"%PDF")
        assert "\n" not in message.subject


def test_the_subsidy_ceiling_of_the_period_is_never_exceeded_awb_4_25_2():
    # The ceiling per year (80,000) is below the lot's budget: it decides.
    w = grant_world((75, 50), budget=Decimal("80000"), ceiling=Decimal("80000"))
    services.take_grant_decisions(w.c, actor=w.officer, requested=asked(w, 50000, 40000), now=SENT)
    d = by_bid(w)
    assert d[w.bids[0].pk].granted and not d[w.bids[1].pk].granted
    assert sum(x.granted_per_year for x in d.values()) <= w.c.grant_ceiling


def test_each_lot_is_ranked_within_its_own_budget_and_all_within_the_ceiling_awb_4_25_2():
    # Lot 1: 100,000 per year; lot 2: 50,000 per year; the ceiling is their sum. Lot 2's best application asks more
    # than its lot has: refused, although the ceiling as a whole has room; lot 2's second one fits.
    w = grant_world((75, 50), ceiling=Decimal("150000"), lot2=(Decimal("50000"), (100, 25)))
    requested = asked(w, 60000, 40000) | {w.bids2[0].pk: Decimal("60000"), w.bids2[1].pk: Decimal("20000")}
    services.take_grant_decisions(w.c, actor=w.officer, requested=requested, now=SENT)
    d = by_bid(w)
    assert [d[b.pk].granted for b in w.bids] == [True, True]
    assert [(d[b.pk].granted, d[b.pk].rank) for b in w.bids2] == [(False, 1), (True, 2)]
    assert d[w.bids2[0].pk].available_per_year == Decimal("50000")
    assert {d[b.pk].lot_budget_per_year for b in w.bids2} == {Decimal("50000")}
    assert sum(x.granted_per_year for x in d.values()) == Decimal("120000") <= w.c.grant_ceiling


def test_every_application_needs_the_amount_it_asks_for_and_nothing_is_half_written():
    w = grant_world((75, 50))
    with pytest.raises(ValidationError) as exc:
        services.take_grant_decisions(w.c, actor=w.officer, requested={w.bids[0].pk: Decimal("1000")}, now=SENT)
    assert f"amount_{w.bids[1].pk}" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.take_grant_decisions(w.c, actor=w.officer, requested=asked(w, 1000, 0), now=SENT)
    with pytest.raises(ValidationError):
        services.take_grant_decisions(w.c, actor=w.officer, requested=asked(w, 1000, 10**12), now=SENT)
    assert not GrantDecision.objects.exists()


def test_decisions_are_taken_once_for_the_whole_round():
    w = grant_world((75,))
    services.take_grant_decisions(w.c, actor=w.officer, requested=asked(w, 1000), now=SENT)
    with pytest.raises(ValidationError):
        services.take_grant_decisions(w.c, actor=w.officer, requested=asked(w, 1000), now=SENT)
    assert GrantDecision.objects.count() == 1


def test_grant_decisions_need_the_consensus_on_every_application():
    w = grant_world((75, 50))
    w.committee.consensus.filter(submission=w.bids[1]).first().delete()
    with pytest.raises(ValidationError, match="consensus"):
        services.take_grant_decisions(w.c, actor=w.officer, requested=asked(w, 1000, 1000), now=SENT)


def test_equal_totals_that_decide_need_the_order_of_the_published_tie_break_rule():
    w = grant_world((75, 75, 25))
    a, b, _c = w.bids
    with pytest.raises(ValidationError) as exc:  # both ask 60,000; only one fits
        services.take_grant_decisions(w.c, actor=w.officer, requested=asked(w, 60000, 60000, 10000), now=SENT)
    assert "tie_order" in exc.value.message_dict
    services.take_grant_decisions(
        w.c, actor=w.officer, requested=asked(w, 60000, 60000, 10000), tie_order=[b.pk, a.pk], tie_break=TIE, now=SENT
    )
    d = by_bid(w)
    assert d[b.pk].granted and not d[a.pk].granted and d[a.pk].tie_break == TIE


def test_equal_totals_that_all_fit_need_no_tie_break():
    w = grant_world((75, 75))
    services.take_grant_decisions(w.c, actor=w.officer, requested=asked(w, 40000, 40000), now=SENT)
    assert all(d.granted for d in GrantDecision.objects.all())


def test_grant_decisions_are_for_grant_rounds_in_evaluation_only():
    w = grant_world((75,))
    tender_services.cancel(w.c, w.officer, reason="De gemeenteraad heeft het budget geschrapt voor dit jaar.")
    with pytest.raises(ValidationError, match="beoordelingsfase"):
        services.take_grant_decisions(w.c, actor=w.officer, requested=asked(w, 1000), now=SENT)


def test_a_grant_round_closes_without_a_standstill_once_decided_awb_not_aw_2_127():
    w = grant_world((75, 50))
    # Before the decisions: the guard asks for them (not for an award decision or its standstill).
    errors = rules.transition_errors(w.c, Phase.AWARDED)
    assert any("subsidiebesluiten" in e for e in errors)
    assert not any("opschortende termijn" in e for e in errors)
    services.take_grant_decisions(w.c, actor=w.officer, requested=asked(w, 1000, 1000), now=SENT)
    # The same moment the decisions were sent: no 20-day standstill stands in the way.
    assert rules.transition_errors(w.c, Phase.AWARDED, now=SENT) == []
    tender_services.transition(w.c, w.officer, Phase.AWARDED, now=SENT)
    w.c.refresh_from_db()
    assert w.c.phase == Phase.AWARDED


def test_a_grant_round_takes_no_award_decision_awb_4_21():
    w = grant_world((75, 50))
    with pytest.raises(ValidationError, match="subsidiebesluiten"):
        services.decide_award(
            w.lot, actor=w.officer, winner=w.bids[0], characteristics="Het beste plan voor de wijk, met vaste teams."
        )


@pytest.mark.parametrize(
    ("sent", "last_day"),
    [
        # Sent Wednesday 2 December 2026: six weeks from Thursday 3 December end on Wednesday 13 January 2027.
        (datetime(2026, 12, 2, 9, 0, tzinfo=UTC), date(2027, 1, 13)),
        # Sent Saturday 5 December (Amsterdam) ends on Saturday 16 January: runs to Monday 18 January.
        (datetime(2026, 12, 5, 10, 0, tzinfo=UTC), date(2027, 1, 18)),
        # 23:30 UTC on Friday 4 December is Saturday 5 December in Amsterdam: the day of dispatch is Amsterdam's.
        (datetime(2026, 12, 4, 23, 30, tzinfo=UTC), date(2027, 1, 18)),
        # Sent Friday 13 November: six weeks end on Christmas Day, then Boxing Day (a Saturday) and a Sunday: Monday
        # 28 December (Algemene termijnenwet art. 3: both Christmas days are holidays).
        (datetime(2026, 11, 13, 9, 0, tzinfo=UTC), date(2026, 12, 28)),
    ],
)
def test_objection_last_day_is_six_weeks_after_dispatch_to_a_working_day_awb_6_7_6_8_algemene_termijnenwet(
    sent, last_day
):
    w = grant_world((75,))
    with time_machine.travel(sent, tick=False):
        services.take_grant_decisions(w.c, actor=w.officer, requested=asked(w, 1000))
    decision = GrantDecision.objects.get()
    assert decision.sent_at == sent
    assert decision.objection_last_day == last_day


def _pdf_text(decision) -> str:
    with decision.pdf.open("rb") as fh:
        data = fh.read()
    assert data.startswith(b"%PDF")
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return " ".join(out.stdout.decode().split())


def test_the_decision_pdf_gives_amount_reasons_and_objection_clause_awb_3_45_3_46():
    w = grant_world((75, 50))
    services.take_grant_decisions(w.c, actor=w.officer, requested=asked(w, 70000, 40000), now=SENT)
    d = by_bid(w)
    granted = _pdf_text(d[w.bids[0].pk])
    assert "Subsidiebesluit" in granted
    assert "€ 70.000,00 per jaar" in granted
    assert "rang 1 van 2" in granted
    assert "€ 250.000,00" in granted  # the ceiling per year
    assert "woensdag 13 januari 2027" in granted  # the last day for objection
    assert "bezwaar" in granted and "6:7" in granted
    assert "college van burgemeester en wethouders van Leiden" in granted  # where to object (Awb 3:45)
    refused = _pdf_text(d[w.bids[1].pk])
    assert "weigeren" in refused
    assert "€ 30.000,00" in refused  # what was left at its turn
    assert "4:25" in refused
    assert "rang 2 van 2" in refused
