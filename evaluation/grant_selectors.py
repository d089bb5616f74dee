"""Reads of the grant route (ADR 0010): the lots of a grant round with their ranked applications, what keeps the
officer from taking the grant decisions, and an applicant's own decisions."""

from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _

from bids.models import Submission
from tenders.models import Route

from . import grant_rules, selectors
from .access import operator_ids_of
from .models import CriteriaSnapshot, GrantDecision


def _lot_rankings(commissioning) -> tuple[list[dict], list[str]]:
    """Per lot with applications: its committee, ranking and applications; errors when a lot is not fully scored."""
    snapshot = CriteriaSnapshot.objects.filter(commissioning=commissioning).first()
    lots, errors = [], []
    for lot in commissioning.lots.order_by("number"):
        committee = lot.committees.first()
        if committee is None or snapshot is None:
            if lot.submissions.filter(kind=Submission.Kind.BID, status=Submission.Status.SUBMITTED).exists():
                errors.append(_("Lot %(lot)s has no evaluation committee yet.") % {"lot": lot.number})
            continue
        applications = selectors.bids_of(committee)
        if not applications:
            continue
        ranking = selectors.ranking(committee, snapshot)
        if len(ranking) < len(applications):
            errors.append(
                _("Lot %(lot)s: record the consensus on every criterion of every application first.")
                % {"lot": lot.number}
            )
            continue
        lots.append({"lot": lot, "committee": committee, "snapshot": snapshot, "ranking": ranking})
    # The applicants' names (Submission.__str__ reads the lead) in one query, not one per application.
    prefetch_related_objects([r["submission"] for lot in lots for r in lot["ranking"]], "lead")
    return lots, errors


def grant_overview(commissioning) -> tuple[list[dict], list[str]]:
    """For the officer's page and the service: the lots with their ranked applications, and what blocks deciding."""
    errors = grant_rules.distribution_errors(commissioning)
    if commissioning.route != Route.GRANT_ROUND:
        return [], errors
    lots, lot_errors = _lot_rankings(commissioning)
    if not lots and not lot_errors:
        lot_errors.append(_("There are no opened applications to decide on."))
    return lots, errors + lot_errors


def own_decisions(user):
    """The grant decisions addressed to applications led by an operator `user` acts for; never anyone else's."""
    return (
        GrantDecision.objects.filter(submission__lead__in=operator_ids_of(user))
        .select_related("commissioning", "lot", "submission__lead")
        .order_by("-sent_at", "id")
    )
