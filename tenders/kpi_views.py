"""The KPIs of a lot on the lot page: added and removed while the commissioning is a draft (tenders.services.kpis);
after publication changed by the procurement officer through a rectification (a material change)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import role_view

from . import rules, services
from .kpi_forms import KPIForm, KPIRectificationForm
from .models import LotKPI
from .views import DESIGN, OFFICER, _add_errors, _get, _lot_form, _lot_page


@require_POST
@role_view(*DESIGN)
def kpi_add(request, municipality, pk, lot):
    c = _get(request, pk)
    lot = get_object_or_404(c.lots, pk=lot)
    form = KPIForm(request.POST)
    if form.is_valid():
        try:
            services.add_kpi(lot, request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The KPI was added."))
            return redirect("tenders:lot_edit", municipality, c.pk, lot.pk)
    return _lot_page(request, c, lot, _lot_form(c, lot), kpi_form=form)


@require_POST
@role_view(*DESIGN)
def kpi_delete(request, municipality, pk, lot, kpi):
    c = _get(request, pk)
    kpi = get_object_or_404(LotKPI, lot__commissioning=c, lot=lot, pk=kpi)
    try:
        services.delete_kpi(kpi, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("tenders:lot_edit", municipality, c.pk, lot)


@require_POST
@role_view(OFFICER)
def kpi_rectify(request, municipality, pk, lot):
    c = _get(request, pk)
    lot = get_object_or_404(c.lots, pk=lot)
    if not c.is_published or c.phase in rules.TERMINAL:
        raise PermissionDenied
    deadline = c.deadlines.get(kind=rules.SUBMISSION_DEADLINE[c.route])
    form = KPIRectificationForm(request.POST, lot=lot, deadline=deadline)
    if form.is_valid():
        try:
            services.rectify(c, request.user, **form.rectification())
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and deadline.kind in exc.error_dict:  # the form's name for the deadline
                errors = dict(exc.error_dict)
                exc = ValidationError({"submission_deadline": errors.pop(deadline.kind), **errors})
            _add_errors(form, exc)
        else:
            messages.success(request, _("The rectification was published."))
            return redirect("tenders:lot_edit", municipality, c.pk, lot.pk)
    return _lot_page(request, c, lot, _lot_form(c, lot), kpi_rectify_form=form)
