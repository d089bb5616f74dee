"""OCDS awards and contracts (issue 12): an award release when the decision is sent (the award `pending`), the
award `cancelled` when withdrawn, and on the definitive award an award/contract release; the whole record of the
procedure validates against OCDS 1.1.5."""

from datetime import date

import pytest

from bids.models import Participation
from evaluation import services
from evaluation.tests.factories import operator
from evaluation.tests.test_award import CHARACTERISTICS, ranked_world
from publication import ocds, validation
from publication.models import Release

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not validation.schema_dir().exists(), reason="OCDS 1.1.5 schemas not available"),
]


def _consortium(w):
    """The winning bid's consortium: its lead, a member and a subcontractor, all confirmed."""
    winner = w.bids[0]
    for ring, op in ((0, winner.lead), (1, operator(7)), (2, operator(9))):
        Participation.objects.create(
            submission=winner, operator=op, ring=ring, status="confirmed", invited_at=winner.created_at
        )
    return winner


def _last(w):
    return Release.objects.filter(commissioning=w.c).last().data


def test_an_award_decision_publishes_a_pending_award_with_the_consortium_as_suppliers():
    w = ranked_world()
    _consortium(w)
    decision = services.decide_award(w.lot, actor=w.officer, winner=w.bids[0], characteristics=CHARACTERISTICS)
    release = _last(w)
    assert release["tag"] == ["award"]
    [award] = release["awards"]
    assert award["id"] == f"award-{decision.pk}" and award["status"] == "pending"
    assert award["value"] == {"amount": float(w.lot.annual_budget * w.c.total_years), "currency": "EUR"}
    assert [s["name"] for s in award["suppliers"]] == ["Inschrijver 1", "Inschrijver 7"]  # not the subcontractor
    assert award["relatedLots"] == ["1"]
    parties = {p["id"]: p for p in release["parties"]}
    assert all("supplier" in parties[s["id"]]["roles"] for s in award["suppliers"])
    assert "supplier" not in parties["NL-KVK-70000009"]["roles"]
    assert "contracts" not in release


def test_a_withdrawn_decision_is_a_cancelled_award_and_the_new_one_pending():
    w = ranked_world()
    _consortium(w)
    first = services.decide_award(w.lot, actor=w.officer, winner=w.bids[0], characteristics=CHARACTERISTICS)
    services.withdraw_award(first, actor=w.officer, reason="Rekenfout in de motivering.")
    assert [a["status"] for a in _last(w)["awards"]] == ["cancelled"]
    services.decide_award(w.lot, actor=w.officer, winner=w.bids[0], characteristics=CHARACTERISTICS)
    release = _last(w)
    assert [a["status"] for a in release["awards"]] == ["cancelled", "pending"]
    assert "Rekenfout" in release["awards"][0]["description"]


def test_the_definitive_award_publishes_the_contract_and_the_whole_record_validates():
    w = ranked_world()
    _consortium(w)
    w.c.contract_start = date(2027, 1, 1)
    w.c.save(update_fields=["contract_start"])
    first = services.decide_award(w.lot, actor=w.officer, winner=w.bids[0], characteristics=CHARACTERISTICS)
    services.withdraw_award(first, actor=w.officer, reason="Rekenfout in de motivering.")
    decision = services.decide_award(w.lot, actor=w.officer, winner=w.bids[0], characteristics=CHARACTERISTICS)
    services.record_evidence(decision, actor=w.officer)
    services.make_definitive(decision, actor=w.officer, now=decision.standstill_ends_at)
    releases = list(Release.objects.filter(commissioning=w.c))
    assert [r.tags for r in releases][-4:] == [["award"], ["award"], ["award"], ["award", "contract"]]
    release = releases[-1].data
    assert [a["status"] for a in release["awards"]] == ["cancelled", "active"]
    [contract] = release["contracts"]
    assert contract["awardID"] == f"award-{decision.pk}"
    assert contract["status"] == "pending"  # starts on 1 January 2027
    assert contract["period"]["startDate"].startswith("2027-01-01")
    assert contract["period"]["endDate"].startswith(f"{2027 + w.c.term_years}-01-01")
    assert contract["value"]["amount"] == float(w.lot.annual_budget * w.c.total_years)
    assert "dateSigned" not in contract  # not known: not invented
    package = ocds.record_package([ocds.record(releases)], "/api/v1/ocds/records")
    assert validation.errors(package) == []
    assert validation.errors(ocds.release_package(releases, "/api/v1/ocds/releases")) == []


def test_a_contract_is_active_from_its_start_date():
    w = ranked_world()
    _consortium(w)
    w.c.contract_start = date(2020, 1, 1)
    w.c.save(update_fields=["contract_start"])
    decision = services.decide_award(w.lot, actor=w.officer, winner=w.bids[0], characteristics=CHARACTERISTICS)
    services.record_evidence(decision, actor=w.officer)
    services.make_definitive(decision, actor=w.officer, now=decision.standstill_ends_at)
    assert _last(w)["contracts"][0]["status"] == "active"


def test_the_export_writes_the_bytes_of_the_stdlib_encoder_faster(tmp_path):
    """publication.export (orjson) writes exactly what json.dumps(ensure_ascii=False, indent=2) wrote before."""
    import json

    from publication import export

    w = ranked_world()
    _consortium(w)
    w.c.title = "Sociale basis “Leidse wijken” – één loket"
    w.c.save(update_fields=["title"])
    services.decide_award(w.lot, actor=w.officer, winner=w.bids[0], characteristics=CHARACTERISTICS)
    releases = list(Release.objects.filter(commissioning=w.c))
    package = ocds.record_package([ocds.record(releases)], "/api/v1/ocds/records")
    assert export.serialise(package) == json.dumps(package, ensure_ascii=False, indent=2).encode()
    export.write(tmp_path / "records.json", package)
    assert json.loads((tmp_path / "records.json").read_text(encoding="utf-8")) == package
