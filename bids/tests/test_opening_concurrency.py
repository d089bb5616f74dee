"""Openers who confirm at the same moment (PostgreSQL, real connections): the commissioning's row lock serialises
them, so the submissions are opened exactly once, by two confirmations, and a third opener is told they are open."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

from audit.models import AuditEvent
from bids import services
from bids.models import Opening, OpeningConfirmation, SealedVersion
from bids.tests import factories_opening as f
from core.concurrency import run_simultaneously


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: real concurrent connections")
@pytest.mark.django_db(transaction=True)
def test_three_simultaneous_confirmations_open_once():
    c = f.commissioning_with_key()
    for name in ("Wijkkracht", "Buurtwerk Samen"):
        f.seal(c, f.operator(name))
    openers = [f.opener(c) for _ in range(3)]
    codes = {user.pk: f.token(user) for user in openers}
    now = f.deadline(c) + timedelta(minutes=1)

    def confirm(user):
        with translation.override("en"):
            return services.confirm_opening(c, user, "bid", codes[user.pk], now=now)

    results = run_simultaneously([lambda u=u: confirm(u) for u in openers])
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 1 and isinstance(refused[0], ValidationError), results
    assert "already been opened" in str(refused[0])
    opening = Opening.objects.get()
    assert opening.opened_at == now
    assert OpeningConfirmation.objects.count() == 2
    assert AuditEvent.objects.filter(action="bids.opening").count() == 1
    assert SealedVersion.objects.filter(opened_data_key__isnull=True).count() == 0
