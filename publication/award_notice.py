"""The public award notice (aankondiging van gunning) of a commissioning: per lot the winner, the date of the award
decision, the value, the end of the standstill while it runs and, once the award is definitive, the contract in
summary. Only what the award makes public: no scores, no other bidders, no bid content. Reads only."""

from django.utils.translation import gettext as _

from bids.models import Participation
from contracts.models import Contract
from evaluation import standstill
from evaluation.models import AwardDecision


def _consortium(submission_ids) -> dict[int, list[str]]:
    """Winning submission → names of the lead and the consortium members (confirmed), lead first."""
    rows = (
        Participation.objects.filter(
            submission__in=submission_ids,
            status=Participation.Status.CONFIRMED,
            ring__in=(Participation.Ring.LEAD, Participation.Ring.MEMBER),
        )
        .select_related("operator")
        .order_by("submission_id", "ring", "pk")
    )
    found: dict[int, list[str]] = {}
    for p in rows:
        found.setdefault(p.submission_id, []).append(p.operator.name)
    return found


def notice(c, now) -> list[dict]:
    """Per lot with a standing award decision: what the notice shows at `now`. Empty before any decision."""
    decisions = list(
        AwardDecision.objects.filter(lot__commissioning=c, withdrawn_at__isnull=True)
        .select_related("lot", "winner__lead")
        .order_by("lot__number")
    )
    if not decisions:
        return []
    names = _consortium([d.winner_id for d in decisions])
    contracts = {k.award_id: k for k in Contract.objects.filter(award__in=decisions)}
    rows = []
    for d in decisions:
        contract = contracts.get(d.pk)
        summary = None
        if contract is not None:
            summary = {
                "contractor": contract.supplier_name,
                "start": contract.contract_start,
                "term_years": contract.term_years,
                "option_count": contract.option_count,
                "option_years": contract.option_years,
                "annual_budget": contract.annual_budget,
                "value": contract.annual_budget * contract.total_years,
            }
        rows.append(
            {
                "lot": d.lot,
                "winner": str(d.winner),
                "consortium": names.get(d.winner_id, []),
                "decided_at": d.sent_at,
                "definitive_at": d.definitive_at,
                "value": d.lot.annual_budget * c.total_years,
                "standstill_runs": d.definitive_at is None and now < d.standstill_ends_at,
                "standstill_last_day": standstill.last_day(d.sent_at),
                "standstill_ends_at": d.standstill_ends_at,
                "contract": summary,
            }
        )
    return rows


def timeline_items(rows, now) -> list[dict]:
    """The standstill's end per lot for the public timeline (Aw 2.127), past or future by `now`."""
    return [
        {
            "at": r["standstill_ends_at"],
            "label": _("End of the standstill period, lot %(number)s") % {"number": r["lot"].number},
            "kind": "standstill",
            "past": r["standstill_ends_at"] <= now,
        }
        for r in rows
    ]
