from django.utils.translation import gettext_lazy as _

from core.navigation import NavItem

ITEMS = [NavItem(_("Scenarios"), "continuity:list")]
