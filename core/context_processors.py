from django.conf import settings

from .access import has_role, roles_for
from .models import Role
from .navigation import municipality_menu
from .theme import theme_css


def site(request):
    municipality = getattr(request, "municipality", None)
    user = getattr(request, "user", None)
    return {
        "current_municipality": municipality,
        "theme_css": theme_css(municipality),
        "current_roles": roles_for(user, municipality) if user is not None and municipality else set(),
        "demo_mode": settings.DEMO_SHOW_TOTP,
        "show_audit_link": _may_see_audit_log(user),
        "municipality_menu": municipality_menu(request, municipality) if user is not None else [],
    }


def _may_see_audit_log(user) -> bool:
    verified = getattr(user, "is_verified", None)
    return bool(verified and verified() and has_role(user, {Role.AUDITOR, Role.ADMINISTRATOR}))
