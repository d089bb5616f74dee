"""The procurement officer: per commissioning in evaluation and per lot, the committee (appointed once) and the way
to the award page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import role_view
from core.models import Role
from tenders import selectors as tender_selectors
from tenders.models import Phase, Route

from .. import award_rules, rules, services
from ..forms import CommitteeForm, add_errors
from ..models import Committee
from . import private

OFFICER = Role.PROCUREMENT_OFFICER
EVALUATED = (Phase.EVALUATION, Phase.AWARDED)


def lots_overview(c, forms=None) -> list[dict]:
    committees = {k.lot_id: k for k in Committee.objects.filter(commissioning=c).prefetch_related("members__user")}
    rows = []
    for lot in c.lots.all():
        committee = committees.get(lot.pk)
        rows.append(
            {
                "lot": lot,
                "committee": committee,
                "members": list(committee.members.all()) if committee else [],
                "all_submitted": bool(committee) and rules.all_submitted(committee),
                "decision": award_rules.standing_decision(lot),
                "form": (forms or {}).get(lot.pk) or (None if committee else CommitteeForm(commissioning=c)),
            }
        )
    return rows


def _page(request, c, forms=None, status=200):
    # A grant round ends in grant decisions for the whole round, not in an award per lot (ADR 0010).
    context = {"commissioning": c, "rows": lots_overview(c, forms), "grant_round": c.route == Route.GRANT_ROUND}
    return private(render(request, "evaluation/officer_overview.html", context, status=status))


@role_view(OFFICER)
def commissionings(request, municipality):
    """The municipality's commissionings in evaluation or awarded: the way in to committees and award decisions."""
    items = tender_selectors.of_municipality(request.municipality).filter(phase__in=EVALUATED).order_by("-published_at")
    return private(render(request, "evaluation/officer_list.html", {"commissionings": items}))


@role_view(OFFICER)
def overview(request, municipality, pk):
    c = tender_selectors.get_for(request.user, request.municipality, pk)
    return _page(request, c)


@require_POST
@role_view(OFFICER)
def appoint(request, municipality, pk, lot):
    c = tender_selectors.get_for(request.user, request.municipality, pk)
    lot = get_object_or_404(c.lots, pk=lot)
    form = CommitteeForm(request.POST, commissioning=c)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.appoint_committee(
                lot, actor=request.user, chair=data["chair"], members=list(data["members"]), anonymous=data["anonymous"]
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The committee was appointed."))
            return redirect("evaluation:overview", municipality, c.pk)
    return _page(request, c, forms={lot.pk: form}, status=400)
