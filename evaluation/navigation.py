from django.utils.translation import gettext_lazy as _

from core.models import Role
from core.navigation import NavItem

from .access import COMMITTEE_ROLES

ITEMS = [
    NavItem(_("Evaluation and award"), "evaluation:commissionings", frozenset({Role.PROCUREMENT_OFFICER})),
    NavItem(_("My evaluations"), "evaluation:my_seats_here", COMMITTEE_ROLES),
]
