"""The commissioning's sealing key pair (ADR 0008): made once, when the commissioning is published."""

from django.db import transaction
from django.utils import timezone

from .. import sealing
from ..models import CommissioningKey
from ._submission_common import _audit, _lock_commissioning


@transaction.atomic
def ensure_commissioning_key(commissioning, user=None, now=None) -> CommissioningKey:
    """The commissioning's X25519 key pair, generated on first call (at publication, by the receiver of
    `procedure_changed`; for commissionings published before bids existed, by this service). Never twice: the
    commissioning row is locked first, so two callers cannot both generate one."""
    c = _lock_commissioning(commissioning)
    existing = CommissioningKey.objects.filter(commissioning=c).first()
    if existing is not None:
        return existing
    pair = sealing.new_commissioning_key_pair(c.pk)
    key = CommissioningKey.objects.create(
        commissioning=c,
        public_key=pair.public_key,
        wrapped_private_key=pair.wrapped_private_key,
        kek_id=pair.kek_id,
        created_at=now or timezone.now(),
    )
    _audit("bids.key_create", c, user, summary={"kek_id": pair.kek_id}, obj=key)
    return key
