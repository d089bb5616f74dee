"""The contract record (read-only): parties with their rings and roles, budget, term and options, every
subcontract commitment as promised in the bid, and what the contractor reported against the KPIs. For the
municipality's procurement officer, contract managers, policy advisors and auditors."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from core.access import role_view
from core.models import Role

from . import selectors
from .models import Contract
from .periods import REPORT_WITHIN_DAYS


@role_view(Role.PROCUREMENT_OFFICER, Role.CONTRACT_MANAGER, Role.POLICY_ADVISOR, Role.AUDITOR)
def detail(request, municipality, pk):
    contract = get_object_or_404(
        Contract.objects.select_related("commissioning", "lot").prefetch_related(
            "parties__operator",
            "commitments__operator",
            "commitments__activities",
            "commitments__districts",
            "kpis__measurements",
            "commitments__payments",
        ),
        pk=pk,
    )
    if request.municipality not in contract.commissioning.municipalities():
        raise Http404  # another municipality's contract: as if it did not exist
    today = timezone.localdate()
    context = {
        "contract": contract,
        "monitoring": selectors.monitoring(contract, today=today),
        "payments": selectors.payments(contract, today=today),
        "report_within_days": REPORT_WITHIN_DAYS,
    }
    return render(request, "contracts/detail.html", context)


@role_view(Role.PROCUREMENT_OFFICER, Role.CONTRACT_MANAGER, Role.POLICY_ADVISOR, Role.AUDITOR)
def overview(request, municipality):
    """The municipality's contracts with, per contract, how many KPI reports came in, are to come and are overdue."""
    rows = selectors.overview(request.municipality, today=timezone.localdate())
    return render(request, "contracts/overview.html", {"rows": rows, "report_within_days": REPORT_WITHIN_DAYS})
