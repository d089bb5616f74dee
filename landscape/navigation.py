from django.utils.translation import gettext_lazy as _

from core.models import Role
from core.navigation import NavItem

ITEMS = [
    NavItem(_("Landscape"), "landscape:overview"),
    NavItem(_("Organisations"), "landscape:organisation_list"),
    NavItem(_("Activities"), "landscape:activity_list"),
    NavItem(_("Districts"), "landscape:district_table"),
    NavItem(_("Import"), "landscape:import_upload", frozenset({Role.POLICY_ADVISOR, Role.ADMINISTRATOR})),
]
