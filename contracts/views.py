"""The contract record (read-only): parties with their rings and roles, budget, term and options, and every
subcontract commitment as promised in the bid. For the municipality's procurement officer, contract managers,
policy advisors and auditors."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from core.access import role_view
from core.models import Role

from .models import Contract


@role_view(Role.PROCUREMENT_OFFICER, Role.CONTRACT_MANAGER, Role.POLICY_ADVISOR, Role.AUDITOR)
def detail(request, municipality, pk):
    contract = get_object_or_404(
        Contract.objects.select_related("commissioning", "lot").prefetch_related(
            "parties__operator", "commitments__operator", "commitments__activities", "commitments__districts", "kpis"
        ),
        pk=pk,
    )
    if request.municipality not in contract.commissioning.municipalities():
        raise Http404  # another municipality's contract: as if it did not exist
    return render(request, "contracts/detail.html", {"contract": contract})
