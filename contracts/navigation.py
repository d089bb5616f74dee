from django.utils.translation import gettext_lazy as _

from core.models import Role
from core.navigation import NavItem

ITEMS = [
    # The municipality's contracts and what the contractors reported against the KPIs.
    NavItem(
        _("Contracts"),
        "contracts:overview",
        frozenset({Role.PROCUREMENT_OFFICER, Role.CONTRACT_MANAGER, Role.POLICY_ADVISOR, Role.AUDITOR}),
    ),
    # The procurement reports (Directive 2014/24/EU art. 84): the procurement officer and auditors.
    NavItem(
        _("Procurement reports"), "contracts:municipality_reports", frozenset({Role.PROCUREMENT_OFFICER, Role.AUDITOR})
    ),
]
