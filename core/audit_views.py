"""The audit log page. It lives in core (which knows roles and access) so that audit stays a foundation every app
may import without importing anything back (core/tests/test_app_dependencies.py)."""

from django.core.paginator import Paginator
from django.shortcuts import render

from audit.models import AuditEvent

from .access import municipalities_for, role_view
from .models import Role


@role_view(Role.AUDITOR, Role.ADMINISTRATOR)
def audit_log(request):
    """Auditors see the events of the municipalities they audit (all, for a superuser)."""
    allowed = municipalities_for(request.user, [Role.AUDITOR, Role.ADMINISTRATOR])
    codes = list(allowed.values_list("cbs_code", flat=True))
    events = AuditEvent.objects.filter(municipality_code__in=codes).order_by("-seq")
    if request.user.is_superuser:
        events = AuditEvent.objects.order_by("-seq")
    action = request.GET.get("actie", "").strip()
    if action:
        events = events.filter(action__icontains=action)
    page = Paginator(events, 50).get_page(request.GET.get("pagina"))
    return render(request, "audit/log.html", {"page": page, "action": action})
