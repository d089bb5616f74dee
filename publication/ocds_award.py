"""The award and contract sections of a release (OCDS 1.1.5): read from the evaluation and contracts records.

Every award decision of a lot is an award: `pending` from the moment it is sent (the standstill runs), `active` once
definitive, `cancelled` when withdrawn. Its suppliers are the winning consortium's lead and members (they are in
`parties` as tenderers since the opening, bids.ocds; here they also get the role `supplier`). The contract record of
a definitive award is a contract: `pending` until its start date, `active` from then on. `dateSigned` is left out:
the record does not know when the contract was signed. Values cover the whole term including options, like the lots'.
"""

from decimal import Decimal

from django.utils import timezone

from bids import ocds as bids_ocds
from bids.models import Participation
from contracts.models import Contract
from evaluation.models import AwardDecision


def _money(amount: Decimal) -> dict:
    return {"amount": float(amount), "currency": "EUR"}


def award_id(decision) -> str:
    return f"award-{decision.pk}"


def award_status(decision) -> str:
    if decision.withdrawn_at:
        return "cancelled"
    return "active" if decision.definitive_at else "pending"


def _suppliers(decisions) -> dict[int, list[dict]]:
    """Winning submission → the lead and consortium members (confirmed), as OrganizationReferences."""
    rows = Participation.objects.filter(
        submission__in=[d.winner_id for d in decisions],
        status=Participation.Status.CONFIRMED,
        ring__in=bids_ocds.TENDERER_RINGS,
    ).select_related("operator")
    found: dict[int, list[dict]] = {}
    for p in rows.order_by("submission_id", "ring", "pk"):
        found.setdefault(p.submission_id, []).append({"id": bids_ocds.party_id(p.operator), "name": p.operator.name})
    return found


def release_section(c, *, iso, iso_date, add_years, date) -> dict | None:
    """{"awards": [...], "contracts": [...], "suppliers": {party id, ...}} once an award decision was sent; None
    before. `iso`, `iso_date` and `add_years` format and count like the rest of the release; `date` is its date."""
    decisions = list(
        AwardDecision.objects.filter(lot__commissioning=c).select_related("lot").order_by("lot__number", "sent_at")
    )
    if not decisions:
        return None
    suppliers = _suppliers(decisions)
    awards = []
    for d in decisions:
        award = {
            "id": award_id(d),
            "title": f"Gunning perceel {d.lot.number}: {d.lot.title}",
            "status": award_status(d),
            "date": iso(d.definitive_at or d.sent_at),
            "value": _money(d.lot.annual_budget * c.total_years),
            "suppliers": suppliers.get(d.winner_id, []),
            "relatedLots": [str(d.lot.number)],
        }
        if d.withdrawn_at:
            award["description"] = f"Ingetrokken: {d.withdrawal_reason}"
        awards.append(award)
    contracts = []
    for k in Contract.objects.filter(commissioning=c).select_related("lot", "award").order_by("lot__number"):
        contract = {
            "id": f"contract-{k.pk}",
            "awardID": award_id(k.award),
            "title": f"Overeenkomst perceel {k.lot.number}: {k.lot.title}",
            "status": "active" if k.contract_start and k.contract_start <= timezone.localdate(date) else "pending",
            "value": _money(k.annual_budget * k.total_years),
        }
        if k.contract_start:
            end = add_years(k.contract_start, k.term_years)
            contract["period"] = {
                "startDate": iso_date(k.contract_start),
                "endDate": iso_date(end),
                "maxExtentDate": iso_date(add_years(k.contract_start, k.total_years)),
                "durationInDays": (end - k.contract_start).days,
            }
        contracts.append(contract)
    winners = {ref["id"] for d in decisions if d.standing for ref in suppliers.get(d.winner_id, [])}
    return {"awards": awards, "contracts": contracts, "suppliers": winners}
