"""The municipal procurement policy (tenders.policy.ProcurementPolicy): changed by the municipality's administrator
or procurement officer, audited. It applies to every commissioning of its owner from then on; procedures already
published keep the periods they were published with, and later checks read the policy in force."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import diff, record
from core.access import roles_for
from core.models import Municipality

from ..policy import DEFAULTS, ProcurementPolicy

POLICY_FIELDS = list(DEFAULTS)


def _snapshot(policy) -> dict:
    return {f: getattr(policy, f) for f in POLICY_FIELDS}


@transaction.atomic
def save_policy(owner, user, now=None, **fields):
    """Record the policy of a municipality or purchasing organisation (`owner`): the minimum periods of the light
    and national regimes, the minimum extension after a material change, and the term caps."""
    assert not set(fields) - set(POLICY_FIELDS), fields
    key = {"municipality": owner} if isinstance(owner, Municipality) else {"purchasing_organisation": owner}
    policy, _created = ProcurementPolicy.objects.select_for_update().get_or_create(**key)
    before = _snapshot(policy)
    errors = {}
    for name, value in fields.items():
        if not isinstance(value, int) or value < 1 or value > (365 if name.endswith("_days") else 30):
            errors[name] = _("Enter a whole number of at least 1 (days at most 365, years at most 30).")
        else:
            setattr(policy, name, value)
    if not errors and policy.max_total_years < policy.max_initial_years:
        errors["max_total_years"] = _("The maximum total term cannot be shorter than the maximum initial term.")
    if errors:
        raise ValidationError(errors)
    policy.updated_at, policy.updated_by = now or timezone.now(), user
    policy.save()
    municipalities = [owner] if isinstance(owner, Municipality) else list(owner.municipalities.all())
    record(
        "tenders.policy",
        actor=user,
        role=",".join(sorted(roles_for(user, municipalities[0]))) if municipalities else "",
        municipality=municipalities,
        obj=policy,
        summary=diff(before, _snapshot(policy)),
    )
    return policy
