"""The contractor's side of monitoring: the contracts its organisation leads and, per contract, a report against
each KPI for every ended period. Only members of the organisation that led the winning bid see or report; for
anyone else the contract does not exist (404). The municipality reads the same figures on the contract page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import login_view
from evaluation.forms import add_errors

from . import rules, selectors, services
from .forms import MeasurementForm
from .models import Contract, ContractKPI
from .periods import REPORT_WITHIN_DAYS

PRIVATE = "private, no-store, max-age=0"


def _own_contract(user, pk) -> Contract:
    try:
        contract = selectors.contract_for_monitoring(pk=pk)
    except Contract.DoesNotExist:
        raise Http404 from None
    if not rules.may_report(user, contract):
        raise Http404
    return contract


def _page(request, contract, *, failed_kpi=None, failed_form=None, status=200):
    today = timezone.localdate()
    blocks = []
    for block in selectors.monitoring(contract, today=today):
        if block.kpi.pk == failed_kpi:
            form = failed_form
        else:
            form = MeasurementForm(periods=block.reportable, prefix=f"kpi{block.kpi.pk}")
        blocks.append({"block": block, "form": form})
    context = {"contract": contract, "blocks": blocks, "report_within_days": REPORT_WITHIN_DAYS}
    response = render(request, "contracts/report.html", context, status=status)
    response["Cache-Control"] = PRIVATE
    return response


@login_view
def my_contracts(request):
    response = render(request, "contracts/mine.html", {"contracts": selectors.contracts_of(request.user)})
    response["Cache-Control"] = PRIVATE
    return response


@login_view
def report(request, pk):
    return _page(request, _own_contract(request.user, pk))


@require_POST
@login_view
def report_kpi(request, pk, kpi):
    contract = _own_contract(request.user, pk)
    row = get_object_or_404(ContractKPI, pk=kpi, contract=contract)
    block = next(b for b in selectors.monitoring(contract, today=timezone.localdate()) if b.kpi.pk == row.pk)
    form = MeasurementForm(request.POST, periods=block.reportable, prefix=f"kpi{row.pk}")
    if form.is_valid():
        try:
            services.report_measurement(
                row,
                actor=request.user,
                period_start=form.cleaned_data["period"],
                value=form.cleaned_data["value"],
                explanation=form.cleaned_data["explanation"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Your report on “%(kpi)s” is saved.") % {"kpi": row.name})
            return redirect("contracts:report", contract.pk)
    return _page(request, contract, failed_kpi=row.pk, failed_form=form, status=400)
