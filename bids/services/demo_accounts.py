"""The demo's operators (bids.demo): their e-mail addresses are at the reserved demo domain, where no confirmation
link can ever arrive, so the demo confirms them here, audited. Refused for any other address."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.demo import DEMO_EMAIL_DOMAIN

from ..models import EconomicOperator
from ._helpers_b2 import _audit_event


def confirm_demo_operator_email(operator, now=None) -> EconomicOperator:
    """Mark a demo operator's address (at DEMO_EMAIL_DOMAIN, RFC 2606 reserved) as confirmed; used by load_demo."""
    now = now or timezone.now()
    with transaction.atomic():
        operator = EconomicOperator.objects.select_for_update().get(pk=operator.pk)
        if not operator.contact_email.lower().endswith(f"@{DEMO_EMAIL_DOMAIN}"):
            raise ValidationError(_("Only a demo organisation's address is confirmed without its link."))
        if operator.email_confirmed_at is None:
            operator.email_confirmed_at = now
            operator.save(update_fields=["email_confirmed_at"])
            _audit_event("bids.operator_confirm_demo_email", actor=None, obj=operator, summary={"demo": True})
    return operator
