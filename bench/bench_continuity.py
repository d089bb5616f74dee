"""Benchmark of the continuity analysis on the synthetic national landscape (docs/benchmarks.md).

Assumes the synthetic national landscape (bench/common.py: bench/run.py generates it once per database; run alone,
it is generated only when the database does not hold it; BENCH_MUNICIPALITIES sets the scale). For every
synthetic municipality it builds one tender scenario (three lots by target group; large welfare organisations
continue as lead, the rest moves to the lot's winner; activities without a target group end), computes every impact
measure, and optimises a transition budget of 5% of the funding lost with HiGHS. Run: `python bench/bench_continuity.py`
or through bench/run.py (`run()` returns the figures).
"""

import sys
import time
from pathlib import Path

import numpy as np

if not __package__:  # run as a script
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import common


def tender_moves(land):
    """The benchmark scenario as aligned arrays (no database writes)."""
    from continuity import impact

    n = len(land.act_id)
    first_tg = np.full(n, -1, dtype=np.int64)
    if len(land.at_act):
        order = np.argsort(land.at_act, kind="stable")[::-1]  # the last write wins: the first pair per activity
        first_tg[land.at_act[order]] = land.at_tg[order]
    lot = np.where(first_tg >= 0, first_tg % 3, -1)
    large = np.array([k == "large_welfare" for k in land.org_kind], dtype=bool)
    is_lead = large[land.act_org] if n else np.zeros(0, dtype=bool)
    outcome = np.where(lot < 0, impact.ENDS, np.where(is_lead, impact.CONTINUES, impact.TRANSFERS))
    winner = np.where(lot >= 0, lot, -1)
    return impact.Moves(outcome, lot, winner, ["Perceel 1", "Perceel 2", "Perceel 3"], ["W1", "W2", "W3"])


ASSUMPTIONS = {
    "horizon_years": 10,
    "recommissioning_interval_years": 4,
    "winner_change_share": 50,
    "unassigned_outcome": "ends",
    "subcontracting_share": 15,
    "staff_takeover_share": 75,
    "start_delay_years": 0,
}
WEIGHTS = {"reach": 3, "volunteers": 3, "co_funding": 2, "prevention": 2, "coverage": 4}


def run(limit: int | None = None) -> dict:
    common.setup_django()
    from django.db.models import Max

    from continuity import impact, optimiser
    from core.models import Municipality
    from landscape.models import Funding

    common.ensure_landscape()
    synthetic = Municipality.objects.filter(cbs_code__in=common.municipality_codes()).order_by("cbs_code")
    ids = list(synthetic.values_list("pk", flat=True))
    ids = ids[:limit] if limit else ids
    years = dict(
        Funding.objects.filter(municipality_id__in=ids)
        .values("municipality_id")
        .annotate(y=Max("year"))
        .values_list("municipality_id", "y")
    )
    runs = []  # the machine is shared: three runs, the best and the slowest are reported
    for _ in range(3):
        t0 = time.perf_counter()
        lands = impact.load_landscape(ids, years, titles=False)
        t_load = time.perf_counter() - t0
        t1 = time.perf_counter()
        results = {
            mid: impact.compute(land, tender_moves(land), {**ASSUMPTIONS, "base_year": land.base_year}, detail=False)
            for mid, land in lands.items()
        }
        runs.append((t_load + time.perf_counter() - t1, t_load, time.perf_counter() - t1))
    runs.sort()
    analysis, t_load, t_compute = runs[0]

    # The optimiser needs the per-activity rows (at-risk activities and the gaps they cover).
    t2 = time.perf_counter()
    problems = []
    for land in lands.values():
        data = impact.compute(land, tender_moves(land), {**ASSUMPTIONS, "base_year": land.base_year})
        problems.append(
            optimiser.problem_from_impact(
                data,
                budget=0.05 * data["totals"]["funding_lost"],
                bridging_months=12,
                weights=WEIGHTS,
                partial=True,
                max_per_org=None,
            )
        )
    t_prepare = time.perf_counter() - t2
    statuses, per_municipality = [], []
    for p in problems:
        t3 = time.perf_counter()
        statuses.append(optimiser.optimise(p)["status"])
        per_municipality.append(time.perf_counter() - t3)
    t_optimise = sum(per_municipality)
    t3 = time.perf_counter()
    milp = []
    for p in problems[:50]:  # the same problems with whole activities only
        p.partial = False
        milp.append(optimiser.solve(p)[1])
    t_milp = time.perf_counter() - t3

    n_act = sum(len(land.act_id) for land in lands.values())
    n_org = sum(len(land.org_id) for land in lands.values())
    total = analysis + t_prepare + t_optimise
    return {
        "municipalities": len(lands),
        "organisations": n_org,
        "activities": n_act,
        "funding lost in all tender scenarios (€ per year)": round(
            sum(r["totals"]["funding_lost"] for r in results.values())
        ),
        "load landscape, all municipalities, 7 queries (s, best of 3)": round(t_load, 3),
        "compute every measure, all municipalities (s, best of 3)": round(t_compute, 3),
        "analysis = load + compute (s, best of 3; goal ≤ 5)": round(analysis, 3),
        "analysis, slowest of 3 (s)": round(runs[-1][0], 3),
        "optimiser input, per-activity rows (s)": round(t_prepare, 3),
        "optimiser LP, all municipalities (s)": round(t_optimise, 3),
        "optimiser LP, median municipality (s)": round(float(np.median(per_municipality)), 3),
        "optimiser LP, slowest municipality (s)": round(max(per_municipality), 3),
        "optimiser LP, optimal": statuses.count("optimal"),
        "optimiser MILP, first 50 municipalities (s)": round(t_milp, 3),
        "optimiser MILP, optimal": milp.count("optimal"),
        "total = analysis + optimiser input + LP (s)": round(total, 3),
        "optimiser share of the total (input + LP)": round((t_prepare + t_optimise) / total, 3),
    }


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
