"""Contracts' links on the commissioning's manage page (tenders.stage_links): each lot's contract record and the
procurement reports (Directive 2014/24/EU art. 84), for the roles those pages admit."""

from django.urls import reverse
from django.utils.translation import gettext as _

from core.access import has_role
from core.models import Role
from evaluation.models import AwardDecision
from tenders import stage_links

from .models import Contract

CONTRACT_READERS = (Role.PROCUREMENT_OFFICER, Role.CONTRACT_MANAGER, Role.POLICY_ADVISOR, Role.AUDITOR)
REPORT_READERS = (Role.PROCUREMENT_OFFICER, Role.AUDITOR)


@stage_links.register
def contract_records(commissioning, user, municipality) -> list[stage_links.Link]:
    found = []
    code = municipality.cbs_code
    if has_role(user, CONTRACT_READERS, municipality):
        contracts = Contract.objects.filter(commissioning=commissioning).select_related("lot").order_by("lot__number")
        for contract in contracts:
            url = reverse("contracts:detail", args=[code, contract.pk])
            found.append(stage_links.Link(_("Contract: %(lot)s") % {"lot": contract.lot}, url))
    if (
        commissioning.is_published
        and has_role(user, REPORT_READERS, municipality)
        and AwardDecision.objects.filter(lot__commissioning=commissioning).exists()
    ):
        url = reverse("contracts:reports", args=[code, commissioning.pk])
        found.append(stage_links.Link(_("Procurement reports"), url))
    return found
