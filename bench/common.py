"""What every benchmark module shares: Django set-up, the scale, and the synthetic national landscape.

The landscape (`generate_landscape --municipalities N --seed 1`) is generated once per database: bench/run.py
prepares it before the modules run, and a module run on its own calls `ensure_landscape()`, which generates it only
when the database does not already hold it.
"""

import os
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = 1
GENERATE_ACTION = "landscape.generate_synthetic"


def setup_django() -> None:
    """Make a module runnable on its own (`python bench/bench_x.py`); harmless when Django is already set up."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijkwaarde.settings")
    os.environ.setdefault("STATIC_MANIFEST", "false")  # render pages without collectstatic
    os.environ.setdefault("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")  # jobs run at once
    os.environ.setdefault("WIJKWAARDE_OFFLINE_COMMAND", "1")  # nothing is served or signed: no SECRET_KEY needed
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")  # the test client speaks plain HTTP
    import django

    warnings.filterwarnings("ignore", "No directory at")  # pages render without collectstatic
    django.setup()


def municipality_count() -> int:
    """BENCH_MUNICIPALITIES (default 342, the number of Dutch municipalities) sets the scale."""
    return int(os.environ.get("BENCH_MUNICIPALITIES", "342"))


def municipality_codes(count: int | None = None) -> list[str]:
    from landscape import synthetic

    return [synthetic.municipality_code(n) for n in range(1, (count or municipality_count()) + 1)]


def landscape_present(count: int, seed: int = SEED) -> bool:
    """True when the last generation in this database used `seed` and covered at least `count` municipalities, and
    each of the first `count` synthetic municipalities holds organisations (a generation is all-or-nothing)."""
    from audit.models import AuditEvent
    from landscape.models import Organisation

    last = AuditEvent.objects.filter(action=GENERATE_ACTION).order_by("-seq").first()
    if last is None or last.summary.get("seed") != seed or last.summary.get("municipalities", 0) < count:
        return False
    codes = municipality_codes(count)
    with_orgs = Organisation.objects.filter(municipality__cbs_code__in=codes).values("municipality").distinct()
    return with_orgs.count() == count


def ensure_landscape(count: int | None = None, seed: int = SEED) -> float | None:
    """Generate the synthetic landscape unless this database already holds it; the seconds it took, or None."""
    from django.core.management import call_command

    count = count or municipality_count()
    if landscape_present(count, seed):
        return None
    started = time.perf_counter()
    call_command("generate_landscape", municipalities=count, seed=seed, replace=True, stdout=sys.stderr)
    return time.perf_counter() - started


def generations() -> int:
    """How many times the synthetic landscape was generated in this database (one audit event per run)."""
    from audit.models import AuditEvent

    return AuditEvent.objects.filter(action=GENERATE_ACTION).count()


def load_average() -> str:
    """The 1, 5 and 15 minute load averages: the machine is shared, so every figure says how busy it was."""
    try:
        return " / ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:
        return "unknown"
