"""The grant decisions of a grant round (ADR 0010): taken together for every application, ranked by the published
distribution rule (evaluation.grant_rules), one decision with a Dutch PDF each, in one transaction."""

import logging
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from core.pdf import render_pdf
from tenders.models import Commissioning

from .. import grant_rules, selectors
from ..grant_selectors import grant_overview
from ..models import GrantDecision

CENT = Decimal("0.01")
log = logging.getLogger(__name__)


def _criteria_rows(committee, snapshot, submission) -> list[dict]:
    consensus = {c.criterion_key: c for c in committee.consensus.filter(submission=submission)}
    weights = selectors.effective_weights(snapshot)
    return [
        {"title": c["title"], "weight": weights[c["key"]] * 100, "consensus": consensus.get(c["key"])}
        for c in snapshot.data["criteria"]
        if c["leaf"]
    ]


def take_grant_decisions(
    commissioning,
    *,
    actor,
    requested: dict[int, Decimal | None],
    tie_order=(),
    tie_break: str = "",
    now=None,
) -> list[GrantDecision]:
    """Decide on every application of the grant round at once: rank by the published distribution rule, grant
    until the ceiling and the lots' budgets (Awb 4:25(2), 4:26), and send each applicant a decision with the
    reasons (Awb 3:46) and the objection clause (Awb 3:45, 6:7). `requested` maps each application (submission id)
    to the amount per year it asks for; `tie_order` orders equal totals by the published tie-break rule."""
    now = now or timezone.now()
    tie_order = [int(k) for k in tie_order]
    with transaction.atomic():
        c = Commissioning.objects.select_for_update().get(pk=commissioning.pk)
        if GrantDecision.objects.filter(commissioning=c).exists():
            raise ValidationError(_("The grant decisions of this round have been taken."))
        lots, errors = grant_overview(c)
        if errors:
            raise ValidationError(errors)
        rows = {r["submission"].pk: (lot, r) for lot in lots for r in lot["ranking"]}
        amount_errors = grant_rules.requested_errors(requested, rows)
        if amount_errors:
            raise ValidationError({f"amount_{key}": message for key, message in amount_errors.items()})
        applications = [
            grant_rules.Application(key, lot["lot"].pk, r["total"], r["rank"], Decimal(requested[key]).quantize(CENT))
            for key, (lot, r) in rows.items()
        ]
        budgets = {lot["lot"].pk: lot["lot"].annual_budget for lot in lots}
        outcomes = grant_rules.allocate(applications, budgets, c.grant_ceiling, tie_order)
        errors = grant_rules.tie_errors(outcomes, tie_order, tie_break)
        if errors:
            raise ValidationError({"tie_order": errors})
        last_day = grant_rules.objection_last_day(now)
        board = ", ".join(m.name for m in c.municipalities())
        decisions = []
        for o in outcomes:
            lot, r = rows[o.application.key]
            decision = GrantDecision(
                commissioning=c,
                lot=lot["lot"],
                submission=r["submission"],
                outcome=o.outcome,
                requested_per_year=o.application.requested,
                granted_per_year=o.granted,
                total=r["total"],
                rank=r["rank"],
                applications_in_lot=len(lot["ranking"]),
                available_per_year=o.available,
                lot_budget_per_year=lot["lot"].annual_budget,
                ceiling_per_year=c.grant_ceiling,
                tie_break=tie_break.strip() if r["tie"] else "",
                decided_by=actor,
                sent_at=now,
                objection_last_day=last_day,
            )
            context = {
                "decision": decision,
                "commissioning": c,
                "lot": lot["lot"],
                "submission": r["submission"],
                "criteria": _criteria_rows(lot["committee"], lot["snapshot"], r["submission"]),
                "board": board,
            }
            pdf = render_pdf("evaluation/grant_decision_pdf.html", context)
            decision.pdf = ContentFile(pdf, name=f"subsidiebesluit-{c.pk}-{r['submission'].pk}.pdf")
            decision.save()
            decisions.append(decision)
        granted = [d for d in decisions if d.granted]
        record(
            "evaluation.grants_decided",
            actor=actor,
            municipality=c.municipalities(),
            obj=c,
            summary={
                "applications": len(decisions),
                "granted": len(granted),
                "granted_per_year": str(sum((d.granted_per_year for d in granted), Decimal("0"))),
                "ceiling_per_year": str(c.grant_ceiling),
            },
        )
        ids = [d.pk for d in decisions]
        transaction.on_commit(lambda: _enqueue_mails(ids))
        return decisions


def _enqueue_mails(decision_ids: list[int]) -> None:
    from ..tasks import send_grant_decisions

    try:
        send_grant_decisions.enqueue(decision_ids)
    except Exception:
        log.exception("grant decisions %s not queued", decision_ids)
