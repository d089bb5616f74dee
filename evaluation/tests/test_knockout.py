"""Knock-out minimums per award criterion (issue 12): a bid whose consensus score on a criterion is below the published
minimum is excluded from the ranking with its reason (Directive 2014/24/EU art. 67; Aw 2.114–2.115), its award
letter says so, and no award decision is possible when every bid is excluded. Exclusion depends on the bid's own
scores only (ADR 0004)."""

import subprocess
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from audit.models import AuditEvent
from core.testing import login
from evaluation import selectors, services

from .factories import REASON, declare_all, score_all, world

pytestmark = pytest.mark.django_db
CHARACTERISTICS = (
    "Het winnende plan werkt per wijk met vaste buurtteams en heeft de sterkste samenwerking met de buurt."
)


def knockout_world(scores, minimums=None):
    """Three bids; `scores[i]` = (score on 'Plan van aanpak' (60%), score on 'Samenwerking' (40%)) of bid i from
    every member, and the chair records the same as consensus. Default minimum: 50 on 'Plan van aanpak'."""
    w = world(minimums=minimums or {"Plan van aanpak": 50})
    titles = {k["key"]: k["title"] for k in w.snapshot.data["criteria"]}

    def value(i, j):
        return scores[i][0 if titles[w.keys[j]] == "Plan van aanpak" else 1]

    declare_all(w)
    score_all(w, {u.username: {(i, j): value(i, j) for i in range(3) for j in range(len(w.keys))} for u in w.people})
    for i, b in enumerate(w.bids):
        for j, key in enumerate(w.keys):
            services.record_consensus(w.committee, actor=w.chair, submission=b, criterion_key=key,
                                      score=value(i, j), reason=REASON)  # fmt: skip
    return w


def test_the_snapshot_keeps_the_published_minimum():
    w = world(minimums={"Plan van aanpak": 50})
    by_title = {c["title"]: c for c in w.snapshot.data["criteria"]}
    assert by_title["Plan van aanpak"]["minimum"] == 50
    assert by_title["Samenwerking"]["minimum"] is None


def test_a_bid_below_a_minimum_is_excluded_from_the_ranking_with_its_reason_directive_art_67():
    w = knockout_world([(75, 75), (25, 75), (50, 75)])
    ranking = selectors.ranking(w.committee, w.snapshot)
    assert [r["submission"] for r in ranking] == [w.bids[0], w.bids[2]]
    assert [r["rank"] for r in ranking] == [1, 2]
    excluded = selectors.excluded(w.committee, w.snapshot)
    assert [e["submission"] for e in excluded] == [w.bids[1]]
    assert excluded[0]["reasons"] == ["score 25 op criterium “Plan van aanpak” lager dan minimum 50"]

    decision = services.decide_award(w.lot, actor=w.officer, winner=w.bids[0], characteristics=CHARACTERISTICS)
    assert decision.exclusions == [
        {"submission": w.bids[1].pk, "reasons": ["score 25 op criterium “Plan van aanpak” lager dan minimum 50"]}
    ]
    assert decision.letters.count() == 3  # the excluded tenderer is told too
    event = AuditEvent.objects.filter(action="evaluation.award_decided").latest("id")
    assert event.summary["excluded"] == [w.bids[1].pk]


def test_a_score_equal_to_the_minimum_is_not_excluded():
    w = knockout_world([(50, 75), (50, 75), (75, 75)])
    assert selectors.excluded(w.committee, w.snapshot) == []
    assert len(selectors.ranking(w.committee, w.snapshot)) == 3


def test_the_highest_total_below_a_minimum_is_not_the_winner():
    # bid 0 has the highest total (70) but 25 on 'Samenwerking', below its minimum of 50
    w = knockout_world([(100, 25), (50, 75), (25, 50)], minimums={"Samenwerking": 50})
    ranking = selectors.ranking(w.committee, w.snapshot)
    assert [(r["submission"], r["rank"]) for r in ranking] == [(w.bids[1], 1), (w.bids[2], 2)]
    with pytest.raises(ValidationError):
        services.decide_award(w.lot, actor=w.officer, winner=w.bids[0], characteristics=CHARACTERISTICS)
    decision = services.decide_award(w.lot, actor=w.officer, winner=w.bids[1], characteristics=CHARACTERISTICS)
    assert [e["submission"] for e in decision.exclusions] == [w.bids[0].pk]


def _pdf_text(tmp_path, letter) -> str:
    path = tmp_path / f"letter-{letter.pk}.pdf"
    path.write_bytes(letter.pdf.read())
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(out.split())


def test_the_letter_tells_the_excluded_tenderer_why_directive_art_67(tmp_path):
    w = knockout_world([(75, 75), (25, 75), (50, 75)])
    decision = services.decide_award(w.lot, actor=w.officer, winner=w.bids[0], characteristics=CHARACTERISTICS)
    excluded = _pdf_text(tmp_path, decision.letters.get(submission=w.bids[1]))
    assert "Uw inschrijving is uitgesloten van de rangschikking" in excluded
    assert "score 25 op criterium “Plan van aanpak” lager dan minimum 50" in excluded
    assert "niet gerangschikt" in excluded
    ranked = _pdf_text(tmp_path, decision.letters.get(submission=w.bids[2]))
    assert "uitgesloten van de rangschikking" not in ranked
    assert "plaats 2" in ranked


def test_no_award_decision_when_every_bid_is_below_a_minimum():
    w = knockout_world([(25, 75), (0, 100), (25, 100)])
    assert selectors.ranking(w.committee, w.snapshot) == []
    with pytest.raises(ValidationError) as exc:
        services.decide_award(w.lot, actor=w.officer, winner=w.bids[0], characteristics=CHARACTERISTICS)
    assert any("lager dan de minimumscore" in m for m in exc.value.messages)
    assert not w.lot.award_decisions.exists()


# --- Independence of irrelevant alternatives: the pure ranking function -----------------------------------------
SCALE = [0, 25, 50, 75, 100]


def _snapshot(minimums):
    criteria = [
        {"key": f"c{i}", "title": f"Criterium {i}", "weight": w, "parent": None, "leaf": True, "minimum": m}
        for i, (w, m) in enumerate(zip(("50", "30", "20"), minimums, strict=True))
    ]
    return SimpleNamespace(data={"scale": SCALE, "criteria": criteria})


bid_scores = st.fixed_dictionaries({f"c{i}": st.sampled_from(SCALE) for i in range(3)})


def _order(rows):
    return [(r["pk"], r["rank"]) for r in rows]


@settings(max_examples=200, deadline=None)
@given(
    minimums=st.lists(st.sampled_from([None, 25, 50, 75]), min_size=3, max_size=3),
    bids=st.lists(bid_scores, min_size=1, max_size=7),
    extra=bid_scores,
    drop=st.integers(min_value=0, max_value=6),
)
def test_adding_or_removing_a_bid_changes_no_other_bids_order_or_exclusion(minimums, bids, extra, drop):
    snapshot = _snapshot(minimums)
    per_bid = dict(enumerate(bids))
    rows, excluded = selectors.rank(snapshot, per_bid)

    # Adding a bid: the others keep their exclusion and their relative order.
    more_rows, more_excluded = selectors.rank(snapshot, {**per_bid, 99: extra})
    assert {k: v for k, v in more_excluded.items() if k != 99} == excluded
    assert [r["pk"] for r in more_rows if r["pk"] != 99] == [r["pk"] for r in rows]
    assert all(r["total"] == selectors.total(snapshot, per_bid[r["pk"]]) for r in more_rows if r["pk"] != 99)

    # Removing a bid: likewise.
    gone = drop % len(bids)
    fewer_rows, fewer_excluded = selectors.rank(snapshot, {k: v for k, v in per_bid.items() if k != gone})
    assert fewer_excluded == {k: v for k, v in excluded.items() if k != gone}
    assert [r["pk"] for r in fewer_rows] == [r["pk"] for r in rows if r["pk"] != gone]

    # And exclusion is exactly "some score below its minimum".
    for pk, scores in per_bid.items():
        below = any(m is not None and scores[f"c{i}"] < m for i, m in enumerate(minimums))
        assert (pk in excluded) == below


def test_the_chair_and_the_officer_see_the_exclusion_and_its_reason_in_dutch(client):
    w = knockout_world([(75, 75), (25, 75), (50, 75)])
    reason = "score 25 op criterium “Plan van aanpak” lager dan minimum 50"
    login(client, w.chair)
    page = client.get(reverse("evaluation:consensus", args=[w.member(w.chair).pk])).content.decode()
    assert "Uitgesloten van de rangschikking (minimumscore)" in page and f"Inschrijver 2: {reason}" in page
    login(client, w.officer)
    page = client.get(reverse("evaluation:award", args=["GM0546", w.c.pk, w.lot.pk])).content.decode()
    assert "Uitgesloten van de rangschikking (minimumscore)" in page and f"Inschrijver 2: {reason}" in page


def test_the_award_page_says_no_bid_can_be_awarded_when_all_are_excluded(client):
    w = knockout_world([(25, 75), (0, 100), (25, 100)])
    login(client, w.officer)
    page = client.get(reverse("evaluation:award", args=["GM0546", w.c.pk, w.lot.pk])).content.decode()
    assert "Geen enkele inschrijving is gerangschikt." in page
    assert "dit perceel kan aan geen enkele inschrijving worden gegund" in page
    assert "Neem het besluit en verstuur de brieven" not in page and 'name="winner"' not in page  # no award form
