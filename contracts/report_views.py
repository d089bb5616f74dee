"""The procurement reports of a commissioning (Directive 2014/24/EU art. 84): the procurement officer and auditors
read and download them; only the procurement officer makes one on demand. Sent with `Cache-Control: private`."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import has_role, role_view
from core.models import Role
from evaluation.models import AwardDecision
from tenders import selectors as tender_selectors

from . import services
from .models import ProcurementReport

OFFICER, AUDITOR = Role.PROCUREMENT_OFFICER, Role.AUDITOR
PRIVATE = "private, no-store, max-age=0"


def _commissioning(request, pk):
    c = tender_selectors.get_for(request.user, request.municipality, pk)
    if not c.is_published:
        raise Http404
    return c


@role_view(OFFICER, AUDITOR)
def municipality_reports(request, municipality):
    """The commissionings of the municipality with an award decision, each with its number of reports."""
    decided = (
        tender_selectors.published(request.municipality)
        .filter(lots__award_decisions__isnull=False)
        .annotate(reports=Count("lots__procurement_reports", distinct=True))
        .order_by("-published_at")
    )
    response = render(request, "contracts/municipality_reports.html", {"commissionings": decided})
    response["Cache-Control"] = PRIVATE
    return response


@role_view(OFFICER, AUDITOR)
def reports(request, municipality, pk):
    c = _commissioning(request, pk)
    standing = {d.lot_id: d for d in AwardDecision.objects.filter(lot__commissioning=c, withdrawn_at__isnull=True)}
    kept = {}
    for r in ProcurementReport.objects.filter(lot__commissioning=c).select_related("created_by"):
        kept.setdefault(r.lot_id, []).append(r)
    lots = [{"lot": lot, "decision": standing.get(lot.pk), "reports": kept.get(lot.pk, [])} for lot in c.lots.all()]
    may_generate = has_role(request.user, {OFFICER}, request.municipality)
    response = render(
        request, "contracts/reports.html", {"commissioning": c, "lots": lots, "may_generate": may_generate}
    )
    response["Cache-Control"] = PRIVATE
    return response


@require_POST
@role_view(OFFICER)
def report_generate(request, municipality, pk, lot):
    c = _commissioning(request, pk)
    lot = get_object_or_404(c.lots, number=lot)
    decision = AwardDecision.objects.filter(lot=lot, withdrawn_at__isnull=True).first()
    if decision is None:
        messages.error(request, _("There is no award decision for this lot yet: the report follows the decision."))
        return redirect("contracts:reports", municipality, pk)
    try:
        services.generate_report(decision, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The procurement report was made."))
    return redirect("contracts:reports", municipality, pk)


@role_view(OFFICER, AUDITOR)
def report_pdf(request, municipality, pk, report):
    c = _commissioning(request, pk)
    row = get_object_or_404(ProcurementReport, pk=report, lot__commissioning=c)
    name = f"procesverbaal-{c.pk}-perceel-{row.lot.number}-{row.pk}.pdf"
    response = FileResponse(row.pdf.open("rb"), as_attachment=True, filename=name)
    response["Content-Type"] = "application/pdf"
    response["Cache-Control"] = PRIVATE
    return response
