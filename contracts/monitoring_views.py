"""The providers' side of monitoring. The contractor: the contracts its organisation leads and, per contract, a
report against each KPI for every ended period and what it paid each subcontractor in every ended contract year;
only members of the organisation that led the winning bid see or report (anyone else: 404). The subcontractor: the
commitments made to its organisations, where it confirms or disputes the amounts reported (another's: 404). The
municipality reads the same figures on the contract page."""

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
from .forms import AnswerForm, MeasurementForm, PaymentForm
from .models import CommitmentPayment, Contract, ContractCommitment, ContractKPI
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


def _page(request, contract, *, failed=None, failed_form=None, status=200):
    """The contractor's page; `failed` ("kpi", pk) or ("commitment", pk) names the form shown again with its errors."""
    today = timezone.localdate()
    blocks = []
    for block in selectors.monitoring(contract, today=today):
        if failed == ("kpi", block.kpi.pk):
            form = failed_form
        else:
            form = MeasurementForm(periods=block.reportable, prefix=f"kpi{block.kpi.pk}")
        blocks.append({"block": block, "form": form})
    commitments = []
    for block in selectors.payments(contract, today=today):
        if failed == ("commitment", block.commitment.pk):
            form = failed_form
        else:
            form = PaymentForm(years=block.reportable_years, prefix=f"c{block.commitment.pk}")
        commitments.append({"block": block, "form": form})
    context = {
        "contract": contract,
        "blocks": blocks,
        "commitments": commitments,
        "report_within_days": REPORT_WITHIN_DAYS,
    }
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
    return _page(request, contract, failed=("kpi", row.pk), failed_form=form, status=400)


@require_POST
@login_view
def report_payment(request, pk, commitment):
    contract = _own_contract(request.user, pk)
    row = get_object_or_404(ContractCommitment, pk=commitment, contract=contract)
    block = next(b for b in selectors.payments(contract, today=timezone.localdate()) if b.commitment.pk == row.pk)
    form = PaymentForm(request.POST, years=block.reportable_years, prefix=f"c{row.pk}")
    if form.is_valid():
        try:
            services.report_payment(
                row,
                actor=request.user,
                year=form.cleaned_data["year"],
                amount=form.cleaned_data["amount"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The payment to %(name)s is saved.") % {"name": row.operator.name})
            return redirect("contracts:report", contract.pk)
    return _page(request, contract, failed=("commitment", row.pk), failed_form=form, status=400)


def _commitments_page(request, *, failed=None, failed_form=None, status=200):
    today = timezone.localdate()
    items = []
    for commitment in selectors.commitments_of(request.user):
        block = selectors.commitment_monitoring(commitment, commitment.contract.contract_start, today=today)
        rows = [
            {"row": r, "form": _answer_form(r.payment, failed, failed_form) if r.payment else None} for r in block.rows
        ]
        items.append({"commitment": commitment, "rows": rows})
    response = render(request, "contracts/commitments.html", {"items": items}, status=status)
    response["Cache-Control"] = PRIVATE
    return response


def _answer_form(payment, failed, failed_form):
    return failed_form if failed == payment.pk else AnswerForm(prefix=f"p{payment.pk}")


@login_view
def my_commitments(request):
    """The subcontract commitments made to the user's organisations, and what the contractors say they paid."""
    return _commitments_page(request)


@require_POST
@login_view
def answer_payment(request, payment):
    row = get_object_or_404(CommitmentPayment.objects.select_related("commitment__operator"), pk=payment)
    if not rules.is_subcontractor(request.user, row.commitment):
        raise Http404
    form = AnswerForm(request.POST, prefix=f"p{row.pk}")
    if form.is_valid():
        try:
            services.answer_payment(
                row, actor=request.user, agree=form.cleaned_data["agree"], reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Your answer is saved; the contractor and the municipality see it."))
            return redirect("contracts:commitments")
    return _commitments_page(request, failed=row.pk, failed_form=form, status=400)
