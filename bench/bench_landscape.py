"""The landscape overview at national scale: the selectors and the whole page, per synthetic municipality.

The two selectors behind the overview are timed for every municipality (best of 3); the median and the slowest
municipality, and the largest (most activities), are reported with the whole page for each.

Assumes the synthetic national landscape (bench/common.py: bench/run.py generates it once per database; run alone,
`python bench/bench_landscape.py` generates it only when the database does not hold it). BENCH_MUNICIPALITIES
(default 342) sets the scale.
"""

import sys
import time
from pathlib import Path

if not __package__:  # run as a script
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import common


def _best_of(n: int, fn) -> float:
    best = float("inf")
    for _ in range(n):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def run() -> dict:
    common.setup_django()
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from core.models import Municipality
    from landscape import selectors

    common.ensure_landscape()
    municipalities = Municipality.objects.filter(cbs_code__in=common.municipality_codes())
    seconds = {  # best of 3 per municipality: the machine may be shared
        m: _best_of(3, lambda m=m: (selectors.totals(m), selectors.per_district(m))) for m in municipalities
    }
    ranked = sorted(seconds, key=seconds.get)
    largest = municipalities.annotate(n=Count("organisations__activities")).order_by("-n", "cbs_code").first()
    client = Client()

    def page(m):
        response = client.get(reverse("landscape:overview", args=[m.cbs_code]))
        assert response.status_code == 200, response.status_code

    figures = {"municipalities": len(ranked)}
    for label, m in (("median", ranked[len(ranked) // 2]), ("slowest", ranked[-1]), ("largest", largest)):
        totals = selectors.totals(m)
        figures |= {
            f"{label} municipality": f"{m.cbs_code} ({totals['organisations']} organisations, "
            f"{totals['activities']} activities)",
            f"{label}: totals + per_district (s, best of 3)": round(seconds[m], 4),
            f"{label}: overview page (s, best of 3)": round(_best_of(3, lambda m=m: page(m)), 4),
        }
    figures["totals + per_district, all municipalities (s, sum of the best of 3)"] = round(sum(seconds.values()), 2)
    return figures


if __name__ == "__main__":
    common.setup_django()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's host is allowed
    for label, value in run().items():
        print(f"{label}: {value}")
