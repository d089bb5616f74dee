"""The audit pages. They live in core (which knows roles and access) so that audit stays a foundation every app may
import without importing anything back (core/tests/test_app_dependencies.py)."""

import json

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit import anchoring, selectors
from audit.forms import AuditFilterForm
from audit.models import AuditEvent, Checkpoint

from . import audit_exports
from .access import municipalities_for, public_view, role_view
from .models import Role

PAGE_SIZE = 50


def visible_events(user):
    """Auditors and administrators see the events of their municipalities (an event of a purchasing organisation
    names all its municipalities); a superuser sees every event."""
    if user.is_superuser:
        return AuditEvent.objects.all()
    codes = list(municipalities_for(user, [Role.AUDITOR, Role.ADMINISTRATOR]).values_list("cbs_code", flat=True))
    if not codes:
        return AuditEvent.objects.none()
    query = Q(municipality_code__in=codes)
    for code in codes:  # CBS codes have a fixed length: a substring match is exact
        query |= Q(municipality_code__contains=code)
    return AuditEvent.objects.filter(query)


def _selection(request):
    """The events the user may see, filtered by the form; (form, events or None when the filters are invalid)."""
    form = AuditFilterForm(request.GET or None, role_choices=Role.choices)
    events = visible_events(request.user)
    if not request.GET:
        return form, events.order_by("-seq")
    if not form.is_valid():
        return form, None
    return form, selectors.filtered(events, form.cleaned_data)


@role_view(Role.AUDITOR, Role.ADMINISTRATOR)
def audit_log(request):
    """Auditors see the events of the municipalities they audit (all, for a superuser), filtered and paged."""
    form, events = _selection(request)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("pagina")) if events is not None else None
    context = {
        "form": form,
        "page": page,
        "check": selectors.latest_check(),
        "checkpoint": selectors.latest_checkpoint(),
        "query": request.GET.urlencode(),
    }
    return render(request, "audit/log.html", context, status=400 if events is None else 200)


@role_view(Role.AUDITOR, Role.ADMINISTRATOR)
def audit_export(request, fmt):
    """The selection of the audit page as CSV or XLSX (escaped against formula injection)."""
    form, events = _selection(request)
    if events is None:
        return render(request, "audit/log.html", {"form": form, "page": None}, status=400)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "csv":
        response = HttpResponse(audit_exports.to_csv(events), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            audit_exports.to_xlsx(events),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="auditlog-{stamp}.{fmt}"'
    return response


@require_POST
@role_view(Role.AUDITOR, Role.ADMINISTRATOR)
def audit_check(request):
    """Run the chain check now and keep its result for the page."""
    check = anchoring.store_check(anchoring.verify(), checked_by=request.user.get_username())
    if check.ok:
        messages.success(request, _("The audit chain is intact."))
    else:
        messages.error(request, _("The audit chain is broken: see the result of the check."))
    return redirect("audit:log")


@public_view
def checkpoints(request):
    """Public: the signed checkpoints of the audit chain and the public key(s) that check them."""
    page = Paginator(Checkpoint.objects.order_by("-seq", "-created_at"), PAGE_SIZE).get_page(request.GET.get("pagina"))
    exported = anchoring.export(checkpoints=[])
    return render(
        request,
        "audit/checkpoints.html",
        {"page": page, "public_keys": exported["public_keys"], "message_format": exported["message"]},
    )


@public_view
def checkpoints_json(request):
    """Public: every checkpoint as JSON, the file an auditor keeps and passes to verify_audit --checkpoints."""
    response = HttpResponse(
        json.dumps(anchoring.export(), indent=2, ensure_ascii=False), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="wijkwaarde-auditankers.json"'
    return response
