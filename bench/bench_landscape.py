"""The landscape at national scale: generating it, and the overview (selectors and the page) per municipality.

BENCH_MUNICIPALITIES (default 342, the number of Dutch municipalities) sets the scale.
"""

import os
import sys
import time

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from core.models import Municipality
from landscape import selectors, synthetic
from landscape.models import Activity, Funding, Organisation


def _best_of(n: int, fn) -> float:
    best = float("inf")
    for _ in range(n):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def run() -> dict:
    count = int(os.environ.get("BENCH_MUNICIPALITIES", "342"))
    started = time.perf_counter()
    call_command("generate_landscape", municipalities=count, seed=1, replace=True, stdout=sys.stderr)
    generate_seconds = time.perf_counter() - started

    codes = [synthetic.municipality_code(n) for n in range(1, count + 1)]
    timings = []
    for m in Municipality.objects.filter(cbs_code__in=codes):
        seconds = _best_of(1, lambda m=m: (selectors.totals(m), selectors.per_district(m)))
        timings.append((seconds, m))
    timings.sort(key=lambda t: t[0])
    median_seconds, median = timings[len(timings) // 2]
    slowest_seconds, slowest = timings[-1]

    client = Client()

    def page(m):
        response = client.get(reverse("landscape:overview", args=[m.cbs_code]))
        assert response.status_code == 200, response.status_code

    totals = selectors.totals(slowest)
    figures = {
        "municipalities": count,
        "organisations": Organisation.objects.filter(municipality__cbs_code__in=codes).count(),
        "activities": Activity.objects.filter(organisation__municipality__cbs_code__in=codes).count(),
        "funding lines": Funding.objects.filter(municipality__cbs_code__in=codes).count(),
        "generate_landscape (s)": round(generate_seconds, 1),
        "totals + per_district, median municipality (s)": median_seconds,
        "totals + per_district, slowest municipality (s)": slowest_seconds,
        "totals + per_district, all municipalities (s)": round(sum(s for s, _m in timings), 2),
        "median municipality": f"{median.cbs_code} ({selectors.totals(median)['organisations']} organisations)",
        "slowest municipality": f"{slowest.cbs_code} ({totals['organisations']} organisations, "
        f"{totals['activities']} activities)",
        "overview page, median municipality (s, best of 3)": _best_of(3, lambda: page(median)),
        "overview page, slowest municipality (s, best of 3)": _best_of(3, lambda: page(slowest)),
    }
    return figures
