"""The procurement report (Directive 2014/24/EU art. 84): made when the award becomes definitive or on demand, kept,
in Dutch, with what art. 84(1) requires and without the relations a member declared."""

import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from bids.models import Opening, OpeningConfirmation, Participation, SubcontractCommitment
from contracts import services
from contracts.models import ProcurementReport
from evaluation import services as evaluation
from evaluation.tests.factories import REASON, declare_all, operator, score_all
from evaluation.tests.test_award import CHARACTERISTICS, ranked_world

pytestmark = pytest.mark.django_db
PRIVATE = "Mijn zwager is directeur van Inschrijver 2"


def report_world():
    """ranked_world with one member excluded for a declared conflict, a subcontractor, and two openers."""
    from evaluation.tests import factories

    w = factories.world(members=3)
    type(w.m).objects.filter(pk=w.m.pk).update(
        street_address="Stadhuisplein 1", postal_code="2311 EJ", locality="Leiden"
    )
    declare_all(w, conflict_for=[w.people[2]])
    member = w.member(w.people[2])
    type(member).objects.filter(pk=member.pk).update(relations=PRIVATE)
    score_all(w, {u.username: {(i, j): s for i, s in enumerate((75, 50, 25)) for j in range(len(w.keys))}
                  for u in w.people})  # fmt: skip
    for i, b in enumerate(w.bids):
        for key in w.keys:
            evaluation.record_consensus(w.committee, actor=w.chair, submission=b, criterion_key=key,
                                        score=(75, 50, 25)[i], reason=REASON)  # fmt: skip
    winner = w.bids[0]
    Participation.objects.create(submission=winner, operator=winner.lead, ring=0, status="confirmed",
                                 invited_at=winner.created_at)  # fmt: skip
    sub = Participation.objects.create(submission=winner, operator=operator(9), ring=2, status="confirmed",
                                       invited_at=winner.created_at, role="Maatjesproject")  # fmt: skip
    SubcontractCommitment.objects.create(participation=sub, share_of_lot_budget=12, years=4)
    opening = Opening.objects.get(commissioning=w.c)
    for user in (w.officer, w.chair):
        OpeningConfirmation.objects.create(opening=opening, opener=user, confirmed_at=timezone.now())
    return w


def _text(report, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(report.pdf.read())
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(out.stdout.split())


def test_the_definitive_award_makes_the_report_with_the_content_of_directive_art_84(tmp_path):
    w = report_world()
    decision = evaluation.decide_award(w.lot, actor=w.officer, winner=w.bids[0], characteristics=CHARACTERISTICS)
    assert not ProcurementReport.objects.exists()
    evaluation.record_evidence(decision, actor=w.officer)
    evaluation.make_definitive(decision, actor=w.officer, now=decision.standstill_ends_at)
    report = ProcurementReport.objects.get()
    assert report.trigger == ProcurementReport.Trigger.DEFINITIVE and report.decision == decision
    text = _text(report, tmp_path)
    assert "Procesverbaal van de aanbesteding" in text and "art. 84" in text
    assert "Gemeente Leiden (GM0546), Stadhuisplein 1, 2311 EJ Leiden" in text  # (a) name and address
    assert w.c.title in text and "Perceel 1" in text  # (a) subject
    assert "Openbare procedure" in text  # the procedure and its legal basis
    assert "Inschrijver 1" in text and "Inschrijver 2" in text and "Inschrijver 3" in text  # the tenderers
    assert "vaste buurtteams" in text  # (d) why the winner
    assert "12.0%" in text or "12,0%" in text  # (d) subcontracting share
    assert "Inschrijver 9" in text  # (d) the subcontractor
    assert "abnormaal laag" in text  # (c)
    assert "elektronisch" in text  # (h)
    assert "lid3" in text and "belangenverstrengeling" in text  # (i) who was excluded
    assert PRIVATE not in text  # never the relations declared
    assert "voorzitter" in text  # an opener
    assert "geen kort geding" in text


def test_the_procurement_officer_may_make_it_on_demand_and_every_version_is_kept():
    w = report_world()
    decision = evaluation.decide_award(w.lot, actor=w.officer, winner=w.bids[0], characteristics=CHARACTERISTICS)
    first = services.generate_report(decision, actor=w.officer)
    second = services.generate_report(decision, actor=w.officer)
    assert first.trigger == ProcurementReport.Trigger.ON_DEMAND
    assert list(ProcurementReport.objects.filter(lot=w.lot)) == [second, first]


def test_no_report_for_a_withdrawn_decision():
    w = ranked_world()
    decision = evaluation.decide_award(w.lot, actor=w.officer, winner=w.bids[0], characteristics=CHARACTERISTICS)
    evaluation.withdraw_award(decision, actor=w.officer, reason="Rekenfout.")
    with pytest.raises(ValidationError):
        services.generate_report(decision, actor=w.officer)
    assert not ProcurementReport.objects.exists()


def test_the_report_names_the_tenderers_excluded_by_a_minimum_score_with_the_reason(tmp_path):
    from evaluation.tests.test_knockout import knockout_world

    w = knockout_world([(75, 75), (25, 75), (50, 75)])
    decision = evaluation.decide_award(w.lot, actor=w.officer, winner=w.bids[0], characteristics=CHARACTERISTICS)
    text = " ".join(_text(services.generate_report(decision, actor=w.officer), tmp_path).split())
    # the PDF's table cells wrap: the reason is read in two parts
    assert "uitgesloten van de rangschikking: score 25 op" in text
    assert "criterium “Plan van aanpak” lager dan minimum 50" in text
    assert text.count("niet gegund: lager totaal") == 1  # Inschrijver 3; Inschrijver 2 was not ranked at all
