from django.conf import settings

from .access import roles_for
from .theme import theme_css


def site(request):
    municipality = getattr(request, "municipality", None)
    user = getattr(request, "user", None)
    return {
        "current_municipality": municipality,
        "theme_css": theme_css(municipality),
        "current_roles": roles_for(user, municipality) if user is not None and municipality else set(),
        "demo_mode": settings.DEMO_SHOW_TOTP,
    }
