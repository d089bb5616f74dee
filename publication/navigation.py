from django.utils.translation import gettext_lazy as _

from core.models import Role
from core.navigation import NavItem

ITEMS = [
    NavItem(_("Commissionings"), "publication:list"),
    NavItem(
        _("Design commissionings"), "tenders:manage_list", frozenset({Role.POLICY_ADVISOR, Role.PROCUREMENT_OFFICER})
    ),
]
