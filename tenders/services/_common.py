"""Helpers shared by the tenders services: the audit event, the lock, and the input guards that every topic uses."""

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from core.access import roles_for

from .. import rules
from ..models import Commissioning


# --- helpers ------------------------------------------------------------------------------------------------------
def _audit(action, commissioning, user, obj=None, summary=None):
    roles = roles_for(user, commissioning.municipalities()[0])
    record(
        action,
        actor=user,
        role=",".join(sorted(roles)),
        municipality=commissioning.municipalities(),  # all of a purchasing organisation's, for their auditors
        obj=obj or commissioning,
        summary=summary,
    )


def _lock(commissioning) -> Commissioning:
    return Commissioning.objects.select_for_update(no_key=True).get(pk=commissioning.pk)


def _ensure_draft(commissioning):
    if commissioning.is_published:
        raise ValidationError(
            _("A published commissioning can only be changed through a published rectification."), code="published"
        )


def _ensure_open(commissioning):
    if not commissioning.is_published:
        raise ValidationError(_("The commissioning has not been published."), code="draft")
    if commissioning.phase in rules.TERMINAL:
        raise ValidationError(_("The procedure has ended."), code="ended")


def _check_budget(amount, field="annual_budget"):
    if amount is None or Decimal(amount) <= 0:
        raise ValidationError({field: _("The budget must be more than € 0.")})


def _aware(at: datetime, field: str):
    if at is None or timezone.is_naive(at):
        raise ValidationError({field: _("Give a date and time.")})
    if message := rules.plausible_moment_error(at):
        raise ValidationError({field: message})


def _scope_ids(commissioning, activities, districts):
    """Scope comes from the registry of the commissioning's own municipalities only."""
    codes = {m.pk for m in commissioning.municipalities()}
    if any(a.organisation.municipality_id not in codes for a in activities):
        raise ValidationError({"activities": _("Choose activities of this municipality's registry.")})
    if any(d.municipality_id not in codes for d in districts):
        raise ValidationError({"districts": _("Choose districts of this municipality.")})
