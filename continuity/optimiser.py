"""The transition budget optimiser: which at-risk activities to bridge with a fixed budget (docs/continuity.md).

Solved exactly with HiGHS: an LP when partial funding is allowed, a MILP otherwise. District coverage comes first
"where possible": a first solve finds the largest number of coverage gaps the budget can close, the second maximises
the weighted value with at least that coverage. Results are plain dicts (stored as JSON on TransitionPlan).
"""

from dataclasses import dataclass, field

import highspy
import numpy as np
from django.utils.translation import gettext as _

CRITERIA = ("reach", "volunteers", "co_funding", "prevention")
TOL = 1e-6


@dataclass
class Problem:
    """Items are the at-risk activities. `cells[i]` lists the coverage-gap cells activity i would keep covered."""

    cost: np.ndarray
    values: dict  # criterion -> np.ndarray (raw, e.g. participants)
    org: np.ndarray  # organisation index per item
    cells: list
    budget: float
    weights: dict
    partial: bool = True
    max_per_org: float | None = None
    labels: list = field(default_factory=list)

    @property
    def n(self):
        return len(self.cost)


def problem_from_impact(impact: dict, *, budget, bridging_months, weights, partial, max_per_org) -> Problem:
    """At-risk activities of a computed scenario: those whose current organisation loses municipal money."""
    rows = [a for a in impact.get("activities", []) if a["funding_lost"] > 0]
    factor = bridging_months / 12
    orgs = {}
    return Problem(
        cost=np.array([a["funding_lost"] * factor for a in rows], dtype=float),
        values={
            "reach": np.array([a["reach_lost"] for a in rows], dtype=float),
            "volunteers": np.array([a["volunteer_hours_affected"] for a in rows], dtype=float),
            # Conditional co-funding counts double: it stops unless the municipality keeps paying.
            "co_funding": np.array([2 * a["co_funding_at_risk"] for a in rows], dtype=float),
            "prevention": np.array([a["preventive_lost"] for a in rows], dtype=float),
        },
        org=np.array([orgs.setdefault(a["organisation_id"], len(orgs)) for a in rows], dtype=np.int64),
        cells=[list(a.get("gap_cells", [])) for a in rows],
        budget=float(budget),
        weights={k: float(v) for k, v in weights.items()},
        partial=partial,
        max_per_org=float(max_per_org) if max_per_org is not None else None,
        labels=rows,
    )


def item_values(p: Problem) -> np.ndarray:
    """Weighted value per item: each criterion as a share of its total at risk, times its weight."""
    v = np.zeros(p.n)
    for c in CRITERIA:
        total = p.values[c].sum()
        if total > 0:
            v += p.weights.get(c, 0) * p.values[c] / total
    return v


def _gap_cells(p: Problem):
    cells = sorted({c for cs in p.cells for c in cs})
    return cells, {c: i for i, c in enumerate(cells)}


def objective(p: Problem, x: np.ndarray, coverage_weight: float | None = None) -> tuple[float, float]:
    """(covered gap cells, weighted value) of an allocation x (shares 0..1): the same terms the solver uses."""
    cells, pos = _gap_cells(p)
    cover = np.zeros(len(cells))
    for i, cs in enumerate(p.cells):
        for c in cs:
            cover[pos[c]] += x[i]
    covered = float(np.minimum(cover, 1).sum())
    w = p.weights.get("coverage", 0) if coverage_weight is None else coverage_weight
    value = float(item_values(p) @ x) + (w * covered / len(cells) if cells else 0.0)
    return covered, value


def _solve(p: Problem, budget: float, c_x: np.ndarray, c_y: np.ndarray, min_cover: float | None):
    """max c_x·x + c_y·y s.t. budget, per-organisation cap, y_g ≤ Σ x covering g, Σ y ≥ min_cover."""
    cells, pos = _gap_cells(p)
    n, g = p.n, len(cells)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    inf = highspy.kHighsInf
    h.addVars(n + g, np.zeros(n + g), np.ones(n + g))
    h.changeColsCost(n + g, np.arange(n + g, dtype=np.int32), np.concatenate([c_x, c_y]).astype(float))
    rows = []  # (lower, upper, indices, values)
    rows.append((-inf, budget, np.arange(n), p.cost))
    if p.max_per_org is not None:
        for o in np.unique(p.org):
            idx = np.flatnonzero(p.org == o)
            rows.append((-inf, p.max_per_org, idx, p.cost[idx]))
    covering = [[] for _ in range(g)]
    for i, cs in enumerate(p.cells):
        for c in cs:
            covering[pos[c]].append(i)
    for k in range(g):  # y_k - Σ x_i ≤ 0
        rows.append((-inf, 0.0, np.array([n + k, *covering[k]]), np.array([1.0] + [-1.0] * len(covering[k]))))
    if min_cover is not None and g:
        rows.append((min_cover - 1e-7, inf, np.arange(n, n + g), np.ones(g)))
    for lo, up, idx, val in rows:
        h.addRow(lo, up, len(idx), np.asarray(idx, dtype=np.int32), np.asarray(val, dtype=float))
    if not p.partial and n:
        h.changeColsIntegrality(n, np.arange(n, dtype=np.int32), np.array([highspy.HighsVarType.kInteger] * n))
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    h.run()
    status = h.getModelStatus()
    if status != highspy.HighsModelStatus.kOptimal:
        return None, h.modelStatusToString(status), None
    sol = h.getSolution()
    x = np.clip(np.array(sol.col_value[:n]), 0, 1)
    if not p.partial:
        x = np.round(x)
    budget_dual = sol.row_dual[0] if (p.partial and sol.dual_valid) else None
    return x, "optimal", budget_dual


def solve(p: Problem, budget: float | None = None):
    """Coverage first (as many gap cells as the budget allows), then the weighted value. Returns (x, status, dual)."""
    budget = p.budget if budget is None else budget
    cells, _pos = _gap_cells(p)
    v = item_values(p)
    w_cov = p.weights.get("coverage", 0)
    min_cover = None
    if cells and w_cov > 0:
        x, status, _ = _solve(p, budget, np.zeros(p.n), np.ones(len(cells)), None)
        if x is None:
            return None, status, None
        min_cover = objective(p, x)[0]
    c_y = np.full(len(cells), w_cov / len(cells)) if cells else np.zeros(0)
    return _solve(p, budget, v, c_y, min_cover)


def first_come_first_served(p: Problem) -> np.ndarray:
    """In order of registration, fund each activity in full while the budget (and the organisation cap) allows."""
    x = np.zeros(p.n)
    left = p.budget
    per_org = {}
    for i in range(p.n):
        cap_left = (p.max_per_org - per_org.get(p.org[i], 0)) if p.max_per_org is not None else float("inf")
        if p.cost[i] <= left + TOL and p.cost[i] <= cap_left + TOL:
            x[i] = 1
            left -= p.cost[i]
            per_org[p.org[i]] = per_org.get(p.org[i], 0) + p.cost[i]
    return x


def proportional_cut(p: Problem) -> np.ndarray:
    """Every at-risk activity gets the same share of its bridging cost (capped per organisation)."""
    total = p.cost.sum()
    share = min(1.0, p.budget / total) if total > 0 else 0.0
    x = np.full(p.n, share)
    if p.max_per_org is not None:
        org_cost = np.bincount(p.org, weights=p.cost * x)
        scale = np.where(org_cost > p.max_per_org, p.max_per_org / np.where(org_cost > 0, org_cost, 1), 1.0)
        x = x * scale[p.org]
    return x


def _explain(p: Problem, x: np.ndarray, v: np.ndarray) -> list[str]:
    org_spent = np.bincount(p.org, weights=p.cost * x) if p.n else np.zeros(0)
    spent = float(p.cost @ x)
    reasons = []
    for i in range(p.n):
        rest = p.cost[i] * (1 - x[i])
        cap = p.max_per_org
        at_cap = cap is not None and org_spent[p.org[i]] >= cap - 0.01
        by_cap = cap is not None and org_spent[p.org[i]] + rest > cap + 0.01
        by_budget = spent + rest > p.budget + 0.01
        closes_gap = bool(p.cells[i])
        if x[i] >= 1 - TOL:
            r = _("Funded in full")
            if closes_gap:
                r += _(": it keeps a district and target group covered that would otherwise have no activity")
            elif v[i] > 0:
                r += _(": among the highest value per euro")
        elif x[i] > TOL:
            if at_cap:
                r = _("Funded in part: the maximum per organisation is reached")
            else:
                r = _("Funded in part: the budget runs out at this activity")
        elif p.cost[i] > p.budget + TOL:
            r = _("Not funded: it costs more than the whole budget")
        elif at_cap or (by_cap and not by_budget):
            r = _("Not funded: the maximum per organisation would be exceeded")
        elif v[i] <= TOL and not closes_gap:
            r = _("Not funded: nothing at stake on the chosen weights")
        elif by_budget and not p.partial:
            r = _("Not funded: it does not fit in what is left of the budget, and partial funding is not allowed")
        else:
            r = _("Not funded: lower value per euro than the funded activities")
        reasons.append(r)
    return reasons


def optimise(p: Problem) -> dict:
    """The full result: allocation with reasons, what falls outside, marginal value, and the two simple rules."""
    total_cost = float(p.cost.sum())
    result = {
        "status": "optimal",
        "explanation": "",
        "budget": p.budget,
        "total_at_risk": round(total_cost, 2),
        "partial": p.partial,
        "allocation": [],
        "comparison": {},
        "marginal_value_per_1000": None,
    }
    if p.budget <= 0:
        return {**result, "status": "degenerate", "explanation": _("The budget is zero: nothing can be funded.")}
    if p.n == 0:
        return {
            **result,
            "status": "degenerate",
            "explanation": _("The scenario puts no funded activity at risk: there is nothing to bridge."),
        }
    if not any(p.weights.get(c, 0) > 0 for c in (*CRITERIA, "coverage")):
        return {
            **result,
            "status": "degenerate",
            "explanation": _("All weights are zero, so every allocation is equally good. Set at least one weight."),
        }
    x, status, dual = solve(p)
    if x is None:
        return {
            **result,
            "status": "error",
            "explanation": _("The solver could not find an optimal allocation (%(status)s).") % {"status": status},
        }

    full = np.ones(p.n)
    _c, best_possible = objective(p, full)

    def score(alloc):
        covered, value = objective(p, alloc)
        return {
            "spent": round(float(p.cost @ alloc), 2),
            "score": round(100 * value / best_possible, 2) if best_possible > 0 else 0.0,
            "covered_gaps": round(covered, 2),
            "funded_activities": int((alloc > TOL).sum()),
        }

    step = max(1000.0, p.budget / 100)
    x_more, _s, _d = solve(p, p.budget + step)
    marginal = {"step": round(step, 2), "gain": None, "dual_per_euro": None}
    if x_more is not None and best_possible > 0:
        marginal["gain"] = round((objective(p, x_more)[1] - objective(p, x)[1]) / best_possible * 100, 4)
    if dual is not None and best_possible > 0:
        marginal["dual_per_euro"] = round(dual / best_possible * 100, 6)
    v = item_values(p)
    reasons = _explain(p, x, v)
    explanation = ""
    if total_cost <= p.budget + TOL:
        explanation = _("The budget covers everything at risk; %(left)s euro is left over.") % {
            "left": f"{p.budget - total_cost:,.0f}".replace(",", ".")
        }
    elif p.max_per_org is not None and p.max_per_org <= 0:
        explanation = _("The maximum per organisation is zero, so nothing can be funded.")
    result.update(
        explanation=explanation,
        allocation=[
            {
                "activity_id": a["id"],
                "activity": a["title"],
                "organisation": a["organisation"],
                "organisation_id": a["organisation_id"],
                "cost": round(float(p.cost[i]), 2),
                "share": round(float(x[i]), 4),
                "amount": round(float(p.cost[i] * x[i]), 2),
                "value_per_1000": round(float(v[i] / p.cost[i] * 1000 / best_possible * 100), 4)
                if p.cost[i] > 0 and best_possible > 0
                else 0.0,
                "reason": reasons[i],
            }
            for i, a in enumerate(p.labels)
        ],
        optimal=score(x),
        comparison={
            "first_come_first_served": score(first_come_first_served(p)),
            "proportional_cut": score(proportional_cut(p)),
        },
        marginal=marginal,
        budget_dual=dual,
    )
    result["allocation"].sort(key=lambda r: (-r["share"], -r["value_per_1000"]))
    return result
