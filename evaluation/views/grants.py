"""The grant route's decisions (ADR 0010): the procurement officer's page per grant round (the ranked applications,
the amounts asked, taking the decisions, then the list of decisions with their PDFs), and the applicant's own
decisions in their account. Never another applicant's decision (404)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import login_view, role_view
from core.models import Role
from tenders import selectors as tender_selectors
from tenders.models import Route

from .. import services
from ..forms import GrantDecisionsForm, add_errors
from ..grant_selectors import grant_overview, own_decisions
from ..models import GrantDecision
from . import private

OFFICER = Role.PROCUREMENT_OFFICER


def _round(request, pk):
    c = tender_selectors.get_for(request.user, request.municipality, pk)
    if c.route != Route.GRANT_ROUND:
        raise Http404
    return c


def _applications(lots) -> list[tuple[int, str]]:
    return [(r["submission"].pk, f"nr. {r['submission'].pk} {r['submission']}") for lot in lots for r in lot["ranking"]]


def _page(request, c, form=None, status=200):
    decisions = list(
        GrantDecision.objects.filter(commissioning=c)
        .select_related("lot", "submission__lead")
        .order_by("lot__number", "rank", "id")
    )
    lots, errors = ([], []) if decisions else grant_overview(c)
    context = {
        "commissioning": c,
        "decisions": decisions,
        "lots": lots,
        "errors": errors,
        "may_decide": not decisions and not errors,
        "form": form or (GrantDecisionsForm(applications=_applications(lots)) if lots else None),
    }
    return private(render(request, "evaluation/grant_decisions.html", context, status=status))


@role_view(OFFICER)
def grant_decisions(request, municipality, pk):
    return _page(request, _round(request, pk))


@require_POST
@role_view(OFFICER)
def take(request, municipality, pk):
    c = _round(request, pk)
    lots, _errors = grant_overview(c)
    form = GrantDecisionsForm(request.POST, applications=_applications(lots))
    if form.is_valid():
        try:
            services.take_grant_decisions(
                c,
                actor=request.user,
                requested=form.requested(),
                tie_order=form.cleaned_data["tie_order"],
                tie_break=form.cleaned_data["tie_break"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The grant decisions were taken and sent to every applicant."))
            return redirect("evaluation:grant_decisions", municipality, c.pk)
    return _page(request, c, form=form, status=400)


def _pdf(decision):
    if not decision.pdf:
        raise Http404
    response = FileResponse(decision.pdf.open("rb"), filename=f"subsidiebesluit-{decision.pk}.pdf", as_attachment=True)
    response["Content-Type"] = "application/pdf"
    return response


@role_view(OFFICER)
def grant_decision_pdf(request, municipality, pk, decision):
    c = _round(request, pk)
    row = GrantDecision.objects.filter(commissioning=c, pk=decision).first()
    if row is None:
        raise Http404
    return private(_pdf(row))


@login_view
def my_grant_decisions(request):
    return private(render(request, "evaluation/my_grant_decisions.html", {"decisions": own_decisions(request.user)}))


@login_view
def my_grant_decision(request, decision):
    row = own_decisions(request.user).filter(pk=decision).first()
    if row is None:
        raise Http404
    return private(_pdf(row))
