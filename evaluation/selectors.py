"""Reads of the evaluation: the bids a committee evaluates, their labels, the criteria snapshot's arithmetic, the
spread of the members' scores and the ranking from the consensus. No score depends on another bid (ADR 0004)."""

import hashlib
from decimal import Decimal
from statistics import median

from django.utils.translation import gettext as _

from bids import access as bids_access
from bids import opening_rules
from bids.models import Participation, SealedVersion, Submission

from . import rules
from .models import AwardDecision, Consensus, GrantDecision, Score

HUNDRED = Decimal("100")


def bids_opened(commissioning) -> bool:
    return opening_rules.is_opened(commissioning, Submission.Kind.BID)


def bids_of(committee) -> list[Submission]:
    """The bids that count in the committee's lot: submitted, not withdrawn, opened. Ordered by their label."""
    if not bids_opened(committee.commissioning_id):
        return []
    ids = SealedVersion.objects.filter(
        submission__lot=committee.lot_id,
        submission__kind=Submission.Kind.BID,
        submission__status=Submission.Status.SUBMITTED,
        withdrawn_at__isnull=True,
        superseded_at__isnull=True,
    ).values_list("submission_id", "receipt_sha256")
    order = sorted(ids, key=lambda pair: hashlib.sha256(f"{committee.pk}:{pair[1]}".encode()).hexdigest())
    found = Submission.objects.in_bulk([pk for pk, _ in order])
    return [found[pk] for pk, _ in order]


def labels(committee) -> dict[int, str]:
    """A stable letter per bid ("A", "B", ...), in an order that says nothing about who submitted first."""
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return {b.pk: (letters[i] if i < 26 else f"Z{i - 25}") for i, b in enumerate(bids_of(committee))}


def display_name(committee, submission, names: dict[int, str] | None = None) -> str:
    """ "Inschrijving A" in an anonymous committee, else the bid's name; pass `names` (labels()) in a loop."""
    if committee.anonymous:
        return f"Inschrijving {(names or labels(committee))[submission.pk]}"
    return str(submission)


def effective_weights(snapshot) -> dict[str, Decimal]:
    """Leaf key → its share of the total (a fraction): leaf weight × parent weight × ..., each as a percentage."""
    by_key = {c["key"]: c for c in snapshot.data["criteria"]}
    weights = {}
    for key, c in by_key.items():
        if not c["leaf"]:
            continue
        w, node = Decimal(str(c["weight"])) / HUNDRED, c
        while node["parent"]:
            node = by_key[node["parent"]]
            w *= Decimal(str(node["weight"])) / HUNDRED
        weights[key] = w
    return weights


def total(snapshot, scores: dict[str, int]) -> Decimal:
    """The bid's total on 0–100: Σ leaf score × effective weight. Depends on this bid's scores only."""
    weights = effective_weights(snapshot)
    return sum((Decimal(scores[k]) * w for k, w in weights.items() if k in scores), Decimal("0")).quantize(
        Decimal("0.01")
    )


def own_scores(member) -> dict[tuple[int, str], Score]:
    return {(s.submission_id, s.criterion_key): s for s in member.scores.all()}


def spread(committee, snapshot) -> list[dict]:
    """Per bid and leaf criterion: the members' scores, median, range, and whether they disagree strongly (more
    than one step of the scale apart). Empty until every scoring member has submitted (rules.may_see_all_scores)."""
    if not rules.all_submitted(committee):
        return []
    scale = snapshot.data["scale"]
    step = min(b - a for a, b in zip(scale, scale[1:], strict=False))
    members = rules.scoring_members(committee)
    scores = Score.objects.filter(member__in=members).select_related("member__user")
    grid: dict[tuple[int, str], list] = {}
    for s in scores:
        grid.setdefault((s.submission_id, s.criterion_key), []).append(s)
    rows = []
    for bid in bids_of(committee):
        for key in rules.leaf_keys(snapshot):
            cell = grid.get((bid.pk, key), [])
            values = [s.score for s in cell]
            rows.append(
                {
                    "submission": bid,
                    "key": key,
                    "scores": cell,
                    "median": median(values) if values else None,
                    "range": (max(values) - min(values)) if values else 0,
                    "disagree": bool(values) and max(values) - min(values) > step,
                }
            )
    return rows


def minimums(snapshot) -> dict[str, int]:
    """Leaf key → its knock-out minimum score, for the leaves that have one."""
    return {c["key"]: c["minimum"] for c in snapshot.data["criteria"] if c["leaf"] and c.get("minimum") is not None}


def knockout_reasons(snapshot, scores: dict[str, int]) -> list[str]:
    """Why this bid is excluded from the ranking: each leaf criterion whose consensus score is below its minimum.
    Depends on this bid's scores only (ADR 0004)."""
    titles = {c["key"]: c["title"] for c in snapshot.data["criteria"]}
    return [
        _("score %(score)s on criterion “%(title)s” lower than minimum %(minimum)s")
        % {"score": scores[key], "title": titles[key], "minimum": minimum}
        for key, minimum in minimums(snapshot).items()
        if key in scores and scores[key] < minimum
    ]


def rank(snapshot, per_bid: dict[int, dict[str, int]]) -> tuple[list[dict], dict[int, list[str]]]:
    """Rank bids (id → leaf key → consensus score; only complete ones) by their totals, highest first; equal
    totals share a rank. A bid below a minimum is not ranked: it is returned in the second value with its reasons.
    Every figure of a bid depends on its own scores only, so adding or removing a bid changes no other bid's
    exclusion nor the order of the others."""
    rows, knocked_out = [], {}
    for pk, scores in per_bid.items():
        reasons = knockout_reasons(snapshot, scores)
        if reasons:
            knocked_out[pk] = reasons
        else:
            rows.append({"pk": pk, "total": total(snapshot, scores)})
    rows.sort(key=lambda r: -r["total"])
    for row in rows:
        row["rank"] = 1 + sum(1 for r in rows if r["total"] > row["total"])
        row["tie"] = sum(1 for r in rows if r["total"] == row["total"]) > 1
    return rows, knocked_out


def _complete_consensus(committee, snapshot) -> tuple[list, dict[int, dict[str, int]]]:
    keys = set(rules.leaf_keys(snapshot))
    per_bid: dict[int, dict[str, int]] = {}
    for c in Consensus.objects.filter(committee=committee):
        per_bid.setdefault(c.submission_id, {})[c.criterion_key] = c.score
    bids = bids_of(committee)
    return bids, {bid.pk: per_bid[bid.pk] for bid in bids if set(per_bid.get(bid.pk, {})) >= keys}


def ranking(committee, snapshot) -> list[dict]:
    """Bids by their consensus total, highest first; equal totals share a rank and are flagged for the published
    tie-break rule. Only bids with a consensus on every leaf criterion and no score below a criterion's minimum are
    ranked (see `excluded`)."""
    bids, per_bid = _complete_consensus(committee, snapshot)
    rows, _excluded = rank(snapshot, per_bid)
    by_pk = {b.pk: b for b in bids}
    return [{"submission": by_pk[r["pk"]], **r} for r in rows]


def excluded(committee, snapshot) -> list[dict]:
    """The bids with a complete consensus that are excluded from the ranking, with their reasons (knock-out
    minimums), in the committee's bid order."""
    bids, per_bid = _complete_consensus(committee, snapshot)
    _rows, reasons = rank(snapshot, per_bid)
    return [{"submission": b, "reasons": reasons[b.pk]} for b in bids if b.pk in reasons]


def operator_names(committee) -> list[dict]:
    """Per bid of the lot: its label and the names of every operator in it — lead, consortium members and
    subcontractors (bids.Participation, not declined) — for the conflict-of-interest declaration."""
    names = labels(committee)
    rows = []
    for bid in bids_of(committee):
        parts = Participation.objects.filter(submission=bid).exclude(status=Participation.Status.DECLINED)
        found = [p.operator.name for p in parts.select_related("operator")] or [bid.lead.name]
        rows.append({"label": names[bid.pk], "submission": bid, "names": sorted(set(found))})
    return rows


def opened_answers(submission, criteria: list[dict]) -> list[dict] | None:
    """The answers of the counting version of an opened bid per criterion of the snapshot (None when it could not be
    decrypted). The caller checks bids.access.may_read and records the read."""
    version = counting_version(submission)
    if version is None:
        return None
    try:
        manifest, _files = bids_access.opened_bundle(version)
    except bids_access.NotOpened:
        return None
    by_criterion = {f"c{a.get('criterion')}": a for a in manifest.get("answers", [])}
    return [{"criterion": c, "answer": by_criterion.get(c["key"])} for c in criteria]


def counting_version(submission):
    return submission.versions.filter(withdrawn_at__isnull=True, superseded_at__isnull=True).last()


def timeline_items(commissioning, now) -> list[dict]:
    """For the public timeline: per lot with a standing award decision, when it was sent and when the standstill
    period (Aw 2.127) ends; in a grant round when the grant decisions were sent. In the shape of
    tenders.selectors.timeline's items."""
    items = []
    decisions = AwardDecision.objects.filter(lot__commissioning=commissioning, withdrawn_at__isnull=True)
    for d in decisions.select_related("lot"):
        items.append(
            {
                "at": d.sent_at,
                "label": _("Award decision sent (%(lot)s)") % {"lot": d.lot},
                "kind": "award",
                "past": True,
            }
        )
        items.append(
            {
                "at": d.standstill_ends_at,
                "label": _("End of the standstill period (%(lot)s)") % {"lot": d.lot},
                "kind": "standstill",
                "past": d.standstill_ends_at <= now,
            }
        )
    # A grant round: when the decisions went to the applicants (ADR 0010).
    grant = GrantDecision.objects.filter(commissioning=commissioning).order_by("sent_at").first()
    if grant is not None:
        items.append(
            {"at": grant.sent_at, "label": _("Grant decisions sent to every applicant"), "kind": "award", "past": True}
        )
    return items
