from django.utils.translation import gettext_lazy as _

from core.models import Role
from core.navigation import NavItem

ITEMS = [
    # B1: anyone may bid (issue 11): the entry is public; the page asks to log in.
    NavItem(_("Submit a bid"), "bids:municipality"),
    # B2: the municipality confirms matches of registered operators with its landscape registry.
    NavItem(
        _("Registered organisations"),
        "bids:matches",
        frozenset({Role.POLICY_ADVISOR, Role.PROCUREMENT_OFFICER, Role.ADMINISTRATOR}),
    ),
]
