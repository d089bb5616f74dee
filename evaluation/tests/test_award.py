"""Award decision (Aw 2.130), standstill (Aw 2.127), summary proceedings, debriefing (Directive art. 55(2)), the
winner's evidence (art. 59(4)), definitive award and the contract record (issue 12)."""

import subprocess
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from bids.models import Participation, SubcontractCommitment
from contracts.models import Contract
from evaluation import services, standstill
from tenders import rules
from tenders import services as tender_services
from tenders.models import Phase

from .factories import REASON, declare_all, score_all, world

pytestmark = pytest.mark.django_db
SECOND = timedelta(seconds=1)
CHARACTERISTICS = (
    "Het winnende plan werkt per wijk met vaste buurtteams en heeft de sterkste samenwerking met de buurt."
)


def ranked_world(bid_scores=(75, 50, 25)):
    """Three bids, every member scores bid i with bid_scores[i] on every criterion; consensus = those scores."""
    w = world()
    declare_all(w)
    score_all(
        w, {u.username: {(i, j): s for i, s in enumerate(bid_scores) for j in range(len(w.keys))} for u in w.people}
    )
    for i, b in enumerate(w.bids):
        for key in w.keys:
            services.record_consensus(w.committee, actor=w.chair, submission=b, criterion_key=key, score=bid_scores[i],
                                      reason=REASON)  # fmt: skip
    return w


def test_the_winner_is_the_highest_total_aw_2_114():
    w = ranked_world()
    with pytest.raises(ValidationError):
        services.decide_award(w.lot, actor=w.officer, winner=w.bids[1], characteristics=CHARACTERISTICS)
    with pytest.raises(ValidationError):  # characteristics and relative advantages are required
        services.decide_award(w.lot, actor=w.officer, winner=w.bids[0], characteristics="Beste.")
    decision = services.decide_award(w.lot, actor=w.officer, winner=w.bids[0], characteristics=CHARACTERISTICS)
    assert decision.letters.count() == 3


def test_equal_totals_need_the_published_tie_break():
    w = ranked_world((75, 75, 25))
    with pytest.raises(ValidationError):
        services.decide_award(w.lot, actor=w.officer, winner=w.bids[1], characteristics=CHARACTERISTICS)
    services.decide_award(w.lot, actor=w.officer, winner=w.bids[1], characteristics=CHARACTERISTICS,
                          tie_break="Loting door de notaris op 3 maart.")  # fmt: skip


def test_every_tenderer_gets_a_letter_with_its_own_scores_against_the_winner_aw_2_130(tmp_path):
    w = ranked_world()
    decision = services.decide_award(w.lot, actor=w.officer, winner=w.bids[0], characteristics=CHARACTERISTICS)
    letter = decision.letters.get(submission=w.bids[2])
    path = tmp_path / "letter.pdf"
    path.write_bytes(letter.pdf.read())
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Inschrijver 1" in text and "Inschrijver 3" in text  # the winner, and the recipient
    assert "25" in text and "75" in text  # own scores against the winner's
    last = standstill.last_day(decision.sent_at)
    months = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
              "november", "december"]  # fmt: skip
    assert f"{last.day} {months[last.month - 1]} {last.year} om 24:00" in " ".join(text.split())
    assert "kort geding" in text and "2.127" in text
    assert "vaste buurtteams" in text


def test_no_contract_before_the_standstill_has_ended_aw_2_127():
    w = ranked_world()
    decision = services.decide_award(w.lot, actor=w.officer, winner=w.bids[0], characteristics=CHARACTERISTICS)
    services.record_evidence(decision, actor=w.officer)
    last_second = decision.standstill_ends_at - SECOND
    with pytest.raises(ValidationError):
        services.make_definitive(decision, actor=w.officer, now=last_second)
    assert not Contract.objects.exists()
    assert rules.transition_errors(w.c, Phase.AWARDED, last_second)
    services.make_definitive(decision, actor=w.officer, now=decision.standstill_ends_at)
    contract = Contract.objects.get()
    assert contract.lot == w.lot and contract.annual_budget == w.lot.annual_budget
    assert rules.transition_errors(w.c, Phase.AWARDED, decision.standstill_ends_at) == []
    tender_services.transition(w.c, w.officer, Phase.AWARDED, now=decision.standstill_ends_at)


def test_definitive_award_waits_for_the_winners_evidence_directive_art_59_4():
    w = ranked_world()
    decision = services.decide_award(w.lot, actor=w.officer, winner=w.bids[0], characteristics=CHARACTERISTICS)
    with pytest.raises(ValidationError, match="art. 59"):
        services.make_definitive(decision, actor=w.officer, now=decision.standstill_ends_at)


def test_summary_proceedings_within_the_standstill_suspend_the_award_until_judgment_aw_2_127():
    w = ranked_world()
    decision = services.decide_award(w.lot, actor=w.officer, winner=w.bids[0], characteristics=CHARACTERISTICS)
    services.record_evidence(decision, actor=w.officer)
    case = services.register_proceedings(
        decision, actor=w.officer, claimant="Inschrijver 2", now=decision.standstill_ends_at - SECOND
    )
    later = decision.standstill_ends_at + timedelta(days=30)
    with pytest.raises(ValidationError, match="kort geding"):
        services.make_definitive(decision, actor=w.officer, now=later)
    services.record_judgment(case, actor=w.officer, judgment="Vordering afgewezen.", now=later)
    assert services.make_definitive(decision, actor=w.officer, now=later).definitive_at == later


def test_proceedings_registered_after_the_standstill_do_not_suspend_aw_2_127():
    w = ranked_world()
    decision = services.decide_award(w.lot, actor=w.officer, winner=w.bids[0], characteristics=CHARACTERISTICS)
    services.record_evidence(decision, actor=w.officer)
    services.register_proceedings(decision, actor=w.officer, claimant="Te laat", now=decision.standstill_ends_at)
    services.make_definitive(decision, actor=w.officer, now=decision.standstill_ends_at + SECOND)


def test_a_withdrawn_decision_is_replaced_by_a_new_one_with_a_new_standstill():
    w = ranked_world()
    first = services.decide_award(w.lot, actor=w.officer, winner=w.bids[0], characteristics=CHARACTERISTICS)
    with pytest.raises(ValidationError):  # one standing decision per lot
        services.decide_award(w.lot, actor=w.officer, winner=w.bids[0], characteristics=CHARACTERISTICS)
    services.withdraw_award(first, actor=w.officer, reason="Rekenfout in de motivering.")
    later = first.sent_at + timedelta(days=3)
    second = services.decide_award(w.lot, actor=w.officer, winner=w.bids[0], characteristics=CHARACTERISTICS,
                                   now=later)  # fmt: skip
    assert second.standstill_ends_at > first.standstill_ends_at
    with pytest.raises(ValidationError):
        services.make_definitive(first, actor=w.officer, now=second.standstill_ends_at)


def test_debriefing_is_due_within_15_days_directive_art_55_2():
    w = ranked_world()
    decision = services.decide_award(w.lot, actor=w.officer, winner=w.bids[0], characteristics=CHARACTERISTICS)
    request = services.request_debriefing(decision, actor=w.officer, submission=w.bids[1], question="Waarom 50?")
    assert request.due_at - request.received_at == timedelta(days=15)
    answered = services.answer_debriefing(request, actor=w.officer, answer="Zie de ankers.")
    assert answered.answered_at <= answered.due_at


def test_the_contract_carries_the_consortium_and_the_commitments_as_promised():
    w = ranked_world()
    winner = w.bids[0]
    lead = Participation.objects.create(submission=winner, operator=winner.lead, ring=0, status="confirmed",
                                        invited_at=winner.created_at)  # fmt: skip
    from .factories import operator

    sub = Participation.objects.create(submission=winner, operator=operator(9), ring=2, status="confirmed",
                                       invited_at=winner.created_at, role="Maatjesproject")  # fmt: skip
    SubcontractCommitment.objects.create(participation=sub, share_of_lot_budget=10, years=5)
    declined = Participation.objects.create(submission=winner, operator=operator(8), ring=2, status="declined",
                                            invited_at=winner.created_at)  # fmt: skip
    decision = services.decide_award(w.lot, actor=w.officer, winner=winner, characteristics=CHARACTERISTICS)
    services.record_evidence(decision, actor=w.officer)
    services.make_definitive(decision, actor=w.officer, now=decision.standstill_ends_at)
    contract = Contract.objects.get()
    assert {p.operator_id for p in contract.parties.all()} == {lead.operator_id, sub.operator_id}
    assert declined.operator_id not in {p.operator_id for p in contract.parties.all()}
    commitment = contract.commitments.get()
    assert commitment.amount_per_year == w.lot.annual_budget / 10 and commitment.years == 5
