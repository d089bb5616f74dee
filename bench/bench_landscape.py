"""The landscape overview at national scale: the selectors and the whole page, per synthetic municipality.

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
    from django.test import Client
    from django.urls import reverse

    from core.models import Municipality
    from landscape import selectors

    common.ensure_landscape()
    codes = common.municipality_codes()
    timings = []
    for m in Municipality.objects.filter(cbs_code__in=codes):  # best of 3: the machine may be shared
        seconds = _best_of(3, lambda m=m: (selectors.totals(m), selectors.per_district(m)))
        timings.append((seconds, m))
    timings.sort(key=lambda t: t[0])
    median_seconds, median = timings[len(timings) // 2]
    slowest_seconds, slowest = timings[-1]

    client = Client()

    def page(m):
        response = client.get(reverse("landscape:overview", args=[m.cbs_code]))
        assert response.status_code == 200, response.status_code

    median_totals, slowest_totals = selectors.totals(median), selectors.totals(slowest)
    return {
        "municipalities": len(timings),
        "median municipality": f"{median.cbs_code} ({median_totals['organisations']} organisations, "
        f"{median_totals['activities']} activities)",
        "slowest municipality": f"{slowest.cbs_code} ({slowest_totals['organisations']} organisations, "
        f"{slowest_totals['activities']} activities)",
        "totals + per_district, median municipality (s, best of 3)": round(median_seconds, 4),
        "totals + per_district, slowest municipality (s, best of 3)": round(slowest_seconds, 4),
        "totals + per_district, all municipalities (s, sum of the best of 3)": round(sum(s for s, _m in timings), 2),
        "overview page, median municipality (s, best of 3)": round(_best_of(3, lambda: page(median)), 4),
        "overview page, slowest municipality (s, best of 3)": round(_best_of(3, lambda: page(slowest)), 4),
    }


if __name__ == "__main__":
    common.setup_django()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's host is allowed
    for label, value in run().items():
        print(f"{label}: {value}")
