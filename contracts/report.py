"""What the procurement report of a lot says (Directive 2014/24/EU art. 84(1)): (a) the contracting authority, the
subject and the value; the procedure and its legal basis; (b) the candidates admitted and rejected with reasons, and
the tenderers (with the reasons of those excluded from the ranking by a minimum score); (c) abnormally low tenders
(none can be: the budget is fixed, quality only); (d) the winner, why, and its subcontracting share and
subcontractors; the opening and its openers; (g) withdrawn award decisions with
reasons; (h) the electronic means; (i) conflicts of interest and the measures (declarations counted; who was
excluded, never the relations declared); the standstill and any summary proceedings. Reads only."""

from decimal import Decimal

from bids.models import Opening, Participation
from evaluation import selectors, standstill
from evaluation.models import CriteriaSnapshot
from tenders.models import Candidate, Route

from .models import Contract

# The legal basis of each route in the Directive (art. 26 lists the procedures).
LEGAL_BASIS = {
    Route.OPEN: "art. 26(2) en 27",
    Route.PRESELECTION: "art. 26(2) en 28",
    Route.COMPETITIVE_DIALOGUE: "art. 26(4) en 30",
    Route.GRANT_ROUND: "Awb titel 4.2",
}
HUNDRED = Decimal("100")


def _tenderers(decision, committee, snapshot) -> list[dict]:
    ranking = {r["submission"].pk: r for r in selectors.ranking(committee, snapshot)}
    excluded = {e["submission"]: e["reasons"] for e in decision.exclusions}
    rows = [
        {
            "name": str(s),
            "received": s.created_at,
            "total": ranking.get(s.pk, {}).get("total"),
            "rank": ranking.get(s.pk, {}).get("rank"),
            "winner": s.pk == decision.winner_id,
            "excluded": excluded.get(s.pk, []),
        }
        for s in selectors.bids_of(committee)
    ]
    return sorted(rows, key=lambda r: (r["rank"] is None, r["rank"] or 0, r["name"]))


def _subcontracting(decision) -> dict:
    """The winner's subcontracting as promised in its bid: per subcontractor the amount per year and the share."""
    budget = decision.lot.annual_budget
    rows = []
    for p in (
        Participation.objects.filter(submission=decision.winner_id, status=Participation.Status.CONFIRMED, ring__gte=2)
        .select_related("operator")
        .prefetch_related("commitments")
    ):
        for c in p.commitments.all():
            amount = c.amount_per_year
            if amount is None:
                amount = (budget * c.share_of_lot_budget / HUNDRED).quantize(Decimal("0.01"))
            rows.append({"name": p.operator.name, "role": p.role, "amount": amount, "years": c.years})
    total = sum((r["amount"] for r in rows), Decimal("0"))
    share = (total / budget * HUNDRED).quantize(Decimal("0.1")) if budget else Decimal("0")
    return {"rows": rows, "total": total, "share": share}


def _integrity(committee) -> dict:
    members = list(committee.members.select_related("user").order_by("role", "pk"))
    return {
        "members": len(members),
        "declared": sum(1 for m in members if m.declared_at),
        "excluded": [m for m in members if m.excluded],
    }


def context(decision, *, now) -> dict:
    lot, c = decision.lot, decision.lot.commissioning
    committee = lot.committees.get()
    snapshot = CriteriaSnapshot.objects.get(commissioning=c)
    opening = Opening.objects.filter(commissioning=c, kind="bid").first()
    openers = list(opening.confirmations.select_related("opener").order_by("confirmed_at")) if opening else []
    candidates = list(Candidate.objects.filter(commissioning=c).exclude(status=Candidate.Status.APPLIED))
    return {
        "commissioning": c,
        "lot": lot,
        "decision": decision,
        "now": now,
        "municipalities": c.municipalities(),
        "value": lot.annual_budget * c.total_years,
        "legal_basis": LEGAL_BASIS[c.route],
        "dialogue": c.route == Route.COMPETITIVE_DIALOGUE,
        "admitted": [k for k in candidates if k.status == Candidate.Status.ADMITTED],
        "rejected": [k for k in candidates if k.status == Candidate.Status.REJECTED],
        "selection": c.route != Route.OPEN,
        "tenderers": _tenderers(decision, committee, snapshot),
        "winner_name": str(decision.winner),
        "subcontracting": _subcontracting(decision),
        "opening": opening,
        "openers": openers,
        "integrity": _integrity(committee),
        "anonymous": committee.anonymous,
        "withdrawn": list(lot.award_decisions.filter(withdrawn_at__isnull=False).order_by("sent_at")),
        "standstill_last_day": standstill.last_day(decision.sent_at),
        "proceedings": list(decision.proceedings.order_by("registered_at")),
        "contract": Contract.objects.filter(award=decision).first(),
    }
