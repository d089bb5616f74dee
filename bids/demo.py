"""Demo data of the bids stage (core/management/commands/load_demo.py). Idempotent."""

from tenders.models import Commissioning

from . import demo_consortium, services
from .models import CommissioningKey


def ensure_keys(stdout) -> int:
    """Give every published commissioning its sealing key: those published before the bids app existed have none
    (publishing creates one since, through bids.receivers)."""
    missing = Commissioning.objects.filter(published_at__isnull=False).exclude(
        pk__in=CommissioningKey.objects.values("commissioning_id")
    )
    count = 0
    for commissioning in missing:
        services.ensure_commissioning_key(commissioning, None)
        count += 1
    stdout.write(f"bids: sealing keys created for {count} published commissionings")
    return count


def load(stdout) -> None:
    ensure_keys(stdout)
    demo_consortium.load(stdout)
