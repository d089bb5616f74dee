"""The impact computation: what a scenario breaks, vectorised over columns fetched once (docs/continuity.md).

`load_landscape()` reads the landscape of one or more municipalities with a fixed number of queries into numpy
arrays; `compute()` turns those arrays plus a scenario's moves and assumptions into every measure, per organisation,
district, target group, lot and in total, with grouped sums (np.bincount) rather than per-object Python loops.
"""

from dataclasses import dataclass, field

import numpy as np
from django.db import connection
from django.db.models import Max, Q, Sum

from landscape.models import Activity, District, Funding, Organisation, TargetGroup

CONTINUES, TRANSFERS, ENDS = 0, 1, 2
OUTCOME_CODES = {"continues": CONTINUES, "transfers": TRANSFERS, "ends": ENDS}

# Activity-level measures, in this column order (definitions: docs/continuity.md). Every breakdown is a grouped sum.
MEASURES = (
    "grant_before",
    "funding_kept",
    "funding_subcontracted",
    "funding_to_winners",
    "funding_ended",
    "funding_lost",
    "funding_added",
    "co_funding_at_risk",
    "volunteers_affected",
    "volunteer_hours_affected",
    "staff_affected_fte",
    "staff_taken_over_fte",
    "reach_lost",
    "preventive_lost",
    "relationship_years_lost",
)
SMALL_KINDS = frozenset(
    {
        Organisation.Kind.VOLUNTEER_WITH_STAFF,
        Organisation.Kind.VOLUNTEER_ONLY,
        Organisation.Kind.SOCIAL_ENTERPRISE,
        Organisation.Kind.SELF_ORGANISATION,
    }
)


@dataclass
class Landscape:
    """One municipality's landscape for one base year, as columns. Index arrays point into the sibling arrays."""

    base_year: int
    org_id: np.ndarray
    org_name: list
    org_kind: list
    org_small: np.ndarray
    org_volunteers: np.ndarray
    org_staff: np.ndarray
    org_first_year: np.ndarray  # 0 = unknown
    act_id: np.ndarray
    act_title: list
    act_org: np.ndarray  # index into org arrays
    reach: np.ndarray
    volunteer_hours: np.ndarray
    preventive: np.ndarray
    since_year: np.ndarray  # 0 = unknown
    grant: np.ndarray  # municipal grant in base_year, incl. the organisation's lines without an activity (shared)
    conditional: np.ndarray  # external co-funding that stops when municipal funding stops
    unconditional: np.ndarray
    district_code: list
    district_name: list
    ad_act: np.ndarray  # (activity index, district index) pairs
    ad_district: np.ndarray
    tg_code: list
    tg_name: list
    at_act: np.ndarray  # (activity index, target group index) pairs
    at_tg: np.ndarray
    unlinked_grant: float = 0.0  # grants of organisations without any activity: outside the analysis, shown


@dataclass
class Moves:
    """A scenario's moves aligned with Landscape.act_id: outcome code, lot index and winner index (-1 = none)."""

    outcome: np.ndarray
    lot: np.ndarray
    winner: np.ndarray
    lot_names: list = field(default_factory=list)
    winner_names: list = field(default_factory=list)
    lot_budgets: list = field(default_factory=list)  # per lot: € per year, or None (= its current grants)


def latest_funding_year(municipality_id) -> int | None:
    return Funding.objects.filter(municipality_id=municipality_id).aggregate(y=Max("year"))["y"]


def _fetch(queryset) -> list[tuple]:
    """Rows of a values_list queryset straight from the cursor (no per-value converters: this is the hot path)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _columns(rows, n) -> list[tuple]:
    return list(zip(*rows, strict=True)) if rows else [()] * n


def _matrix(rows, n) -> list[np.ndarray]:
    """Columns of numeric rows as float arrays (None becomes NaN); one conversion for the whole result."""
    return list(np.array(rows, dtype=float).reshape(len(rows), n).T)


def _ids(values) -> np.ndarray:
    """Integer column; None (a missing id or year) becomes -1."""
    if isinstance(values, np.ndarray):
        return np.nan_to_num(values, nan=-1).astype(np.int64)
    return np.fromiter((v if v is not None else -1 for v in values), dtype=np.int64)


def _floats(values) -> np.ndarray:
    """Float column (Decimal, bool and int too); None becomes 0."""
    return np.nan_to_num(np.array(values, dtype=float))  # numpy reads None as NaN


def _slices(keys: np.ndarray, municipality_ids) -> dict:
    """Row ranges per municipality of rows sorted by municipality."""
    return {
        mid: slice(int(np.searchsorted(keys, mid, "left")), int(np.searchsorted(keys, mid, "right")))
        for mid in municipality_ids
    }


def _positions(sorted_ids: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Index of each of `ids` in the sorted array `sorted_ids` (all must be present)."""
    return np.searchsorted(sorted_ids, ids)


def load_landscape(municipality_ids, years: dict, titles: bool = True) -> dict:
    """Landscapes of `municipality_ids` for `years[mid]`, in seven queries whatever their number (eight with the
    activity titles, which `titles=False` skips); the rows become numpy columns, split per municipality with array
    operations."""
    municipality_ids = sorted(municipality_ids)
    orgs = _columns(
        _fetch(
            Organisation.objects.filter(municipality_id__in=municipality_ids)
            .order_by("municipality_id", "id")
            .values_list("municipality_id", "id", "name", "kind", "volunteers", "paid_staff_fte", "first_funded_year")
        ),
        7,
    )
    activities = Activity.objects.filter(organisation__municipality_id__in=municipality_ids).order_by(
        "organisation__municipality_id", "id"
    )
    acts = _matrix(
        _fetch(
            activities.values_list(
                "organisation__municipality_id",
                "id",
                "organisation_id",
                "reach",
                "volunteer_hours",
                "preventive",
                "since_year",
            )
        ),
        7,
    )
    act_titles = list(activities.values_list("title", flat=True)) if titles else None
    money = _matrix(
        _fetch(
            Funding.objects.filter(municipality_id__in=municipality_ids, year__in=set(years.values()))
            .values("municipality_id", "year", "organisation_id", "activity_id")
            .annotate(
                sum_grant=Sum("amount_granted", filter=Q(kind=Funding.Kind.MUNICIPAL_GRANT)),
                sum_conditional=Sum("amount_granted", filter=Q(kind=Funding.Kind.EXTERNAL, conditional=True)),
                sum_unconditional=Sum("amount_granted", filter=Q(kind=Funding.Kind.EXTERNAL, conditional=False)),
            )
            .order_by("municipality_id")
            .values_list(
                "municipality_id",
                "year",
                "organisation_id",
                "activity_id",
                "sum_grant",
                "sum_conditional",
                "sum_unconditional",
            )
        ),
        7,
    )
    # Only the base year of each municipality (the query took every base year of any of them).
    base = np.array([years.get(int(mid)) or 0 for mid in municipality_ids], dtype=float)
    in_year = money[1] == base[np.searchsorted(municipality_ids, money[0])] if len(money[0]) else money[1] > 0
    money = [column[in_year] for column in money]
    districts = _columns(
        _fetch(
            District.objects.filter(municipality_id__in=municipality_ids)
            .order_by("municipality_id", "cbs_code")
            .values_list("municipality_id", "id", "cbs_code", "name")
        ),
        4,
    )
    ad = _matrix(
        _fetch(
            Activity.districts.through.objects.filter(
                activity__organisation__municipality_id__in=municipality_ids
            ).values_list("activity_id", "district_id")
        ),
        2,
    )
    target_groups = list(TargetGroup.objects.order_by("name").values_list("id", "code", "name"))
    at = _matrix(
        _fetch(
            Activity.target_groups.through.objects.filter(
                activity__organisation__municipality_id__in=municipality_ids
            ).values_list("activity_id", "targetgroup_id")
        ),
        2,
    )

    org_mid, org_id = _ids(orgs[0]), _ids(orgs[1])
    act_mid, act_id, act_org_id = _ids(acts[0]), _ids(acts[1]), _ids(acts[2])
    money_mid, money_org, money_act = _ids(money[0]), _ids(money[2]), _ids(money[3])
    money_values = [np.nan_to_num(money[k]) for k in (4, 5, 6)]
    dist_mid, dist_id = _ids(districts[0]), _ids(districts[1])
    # Pairs carry an activity id: find its municipality through the (globally sorted) activity ids.
    by_act = np.argsort(act_id, kind="stable")
    sorted_act_ids = act_id[by_act]

    def split_pairs(cols):
        pair_act, other = _ids(cols[0]), _ids(cols[1])
        mids = act_mid[by_act[_positions(sorted_act_ids, pair_act)]] if len(pair_act) else pair_act
        order = np.argsort(mids, kind="stable")
        return pair_act[order], other[order], _slices(mids[order], municipality_ids)

    ad_act, ad_dist, ad_slices = split_pairs(ad)
    at_act, at_tg, at_slices = split_pairs(at)
    tg_ids = np.array([t[0] for t in target_groups], dtype=np.int64)
    tg_index = np.full(int(tg_ids.max()) + 1 if len(tg_ids) else 1, -1, dtype=np.int64)
    tg_index[tg_ids] = np.arange(len(tg_ids))
    o_sl, a_sl = _slices(org_mid, municipality_ids), _slices(act_mid, municipality_ids)
    m_sl, d_sl = _slices(money_mid, municipality_ids), _slices(dist_mid, municipality_ids)

    result = {}
    for mid in municipality_ids:
        o, a, f, d = o_sl[mid], a_sl[mid], m_sl[mid], d_sl[mid]
        oid, aid = org_id[o], act_id[a]
        n, m = len(aid), len(oid)
        act_org = _positions(oid, act_org_id[a])
        # Money: lines naming an activity go to it; the others are shared equally over the organisation's activities.
        f_act, f_org = money_act[f], money_org[f]
        linked = f_act >= 0
        f_act_pos = _positions(aid, f_act[linked])
        f_org_pos = _positions(oid, f_org[~linked])
        acts_per_org = np.bincount(act_org, minlength=m)
        share = 1.0 / np.maximum(acts_per_org, 1)[act_org]
        per_act = []
        for values in money_values:
            v = values[f]
            direct = np.bincount(f_act_pos, weights=v[linked], minlength=n)
            org_level = np.bincount(f_org_pos, weights=v[~linked], minlength=m)
            per_act.append(direct + org_level[act_org] * share if n else direct)
            if len(per_act) == 1:
                unlinked = float(org_level[acts_per_org == 0].sum()) if m else 0.0
        d_ids = dist_id[d]
        d_order = np.argsort(d_ids)
        s_ad, s_at = ad_slices[mid], at_slices[mid]
        kinds = list(orgs[3][o])
        result[mid] = Landscape(
            base_year=years.get(mid) or 0,
            org_id=oid,
            org_name=list(orgs[2][o]),
            org_kind=kinds,
            org_small=np.array([k in SMALL_KINDS for k in kinds], dtype=bool),
            org_volunteers=_floats(orgs[4][o]),
            org_staff=_floats(orgs[5][o]),
            org_first_year=_ids(orgs[6][o]).clip(min=0),
            act_id=aid,
            act_title=act_titles[a] if titles else [""] * n,
            act_org=act_org,
            reach=acts[3][a],
            volunteer_hours=acts[4][a],
            preventive=acts[5][a],
            since_year=_ids(acts[6][a]).clip(min=0),
            grant=per_act[0],
            conditional=per_act[1],
            unconditional=per_act[2],
            district_code=list(districts[2][d]),
            district_name=list(districts[3][d]),
            ad_act=_positions(aid, ad_act[s_ad]),
            ad_district=d_order[_positions(d_ids[d_order], ad_dist[s_ad])],
            tg_code=[t[1] for t in target_groups],
            tg_name=[t[2] for t in target_groups],
            at_act=_positions(aid, at_act[s_at]),
            at_tg=tg_index[at_tg[s_at]],
            unlinked_grant=unlinked,
        )
    return result


def moves_from_rows(land: Landscape, rows, unassigned_outcome: str, budgets: dict | None = None) -> Moves:
    """Align (activity_id, outcome, lot, winner) rows with the landscape; other activities get `unassigned_outcome`.

    `budgets` maps a lot name to its budget per year (a lot without one is budget-neutral). Lots and winners are
    numbered in name order, so that no figure depends on the order of the rows."""
    n = len(land.act_id)
    # The dtypes below are what numpy infers from a Python int anyway (mutmut's dtype=None is an equivalent mutant).
    outcome = np.full(n, OUTCOME_CODES[unassigned_outcome], dtype=np.int64)  # pragma: no mutate
    pos = {aid: i for i, aid in enumerate(land.act_id.tolist())}
    aligned = [(pos[a], o, lot_name or "", w or "") for a, o, lot_name, w in rows if a in pos]
    lot_names = sorted({lot_name for _, _, lot_name, _ in aligned if lot_name})
    winner_names = sorted({w for _, _, _, w in aligned if w})
    lot_at = {name: i for i, name in enumerate(lot_names)}
    winner_at = {name: i for i, name in enumerate(winner_names)}
    lot = np.full(n, -1, dtype=np.int64)  # pragma: no mutate
    winner = np.full(n, -1, dtype=np.int64)  # pragma: no mutate
    for i, out, lot_name, winner_name in aligned:
        outcome[i] = OUTCOME_CODES[out]
        if lot_name:  # otherwise -1, as filled
            lot[i] = lot_at[lot_name]
        if winner_name:
            winner[i] = winner_at[winner_name]
    budgets = budgets or {}
    lot_budgets = [None if budgets.get(name) is None else float(budgets[name]) for name in lot_names]
    return Moves(outcome, lot, winner, lot_names, winner_names, lot_budgets)


@dataclass
class Money:
    """Where each activity's base-year grant goes (the four parts add up to the grant) and what is paid afterwards."""

    lot: np.ndarray  # lot index, len(lot_names) = in no lot (also every activity that ends)
    scope: np.ndarray  # per lot: current grants of the activities in it
    budget: np.ndarray  # per lot: budget per year (its current grants when the scenario sets none)
    after: np.ndarray  # per activity: € paid afterwards for it (its share of the lot budget, or its grant)
    kept: np.ndarray  # base-year € that stays with the current organisation
    subcontracted: np.ndarray  # base-year € that comes back to the current organisation as a subcontract
    moved: np.ndarray  # base-year € that goes to another organisation (a winner)
    stopped: np.ndarray  # base-year € the municipality stops paying
    added: np.ndarray  # € paid above the base year (a lot budget above its current grants)
    sub_share: np.ndarray  # per activity: share of its money (and work) subcontracted back
    work_kept: np.ndarray  # per activity: share of the work that stays with the current organisation
    unplaced: np.ndarray  # per lot: budget of a lot without any activity that goes on (all added, to its winner)


def money(land: Landscape, moves: Moves, subcontracting_share: float) -> Money:
    """The money model shared with the tenders' lot scope (docs/continuity.md, "One money model").

    A lot's budget is spread over the activities in it in proportion to their current grants (equally when they
    have none); up to its grant an activity's share is base-year money that goes on being paid, the rest of its grant
    is money the municipality stops paying, anything above it is added. Of a lot's budget the subcontracting share
    goes back to the small organisations whose work moves, in proportion to their money, at most all of it."""
    n, k = len(land.act_id), len(moves.lot_names)
    g = land.grant
    out = moves.outcome
    small = land.org_small[land.act_org] if n else np.zeros(0, dtype=bool)
    transfers = out == TRANSFERS
    in_lot = (moves.lot >= 0) & (out != ENDS)
    lot = np.where(in_lot, moves.lot, k)
    scope = np.bincount(lot, weights=g, minlength=k + 1)[:k]
    given = list(moves.lot_budgets) + [None] * (k - len(moves.lot_budgets))
    budget = np.array([scope[i] if b is None else float(b) for i, b in enumerate(given)], dtype=float)
    count = np.bincount(lot, minlength=k + 1)[:k].astype(float)
    weight = np.where(np.append(scope, 1.0)[lot] > 0, g, 1.0)
    whole = np.append(np.where(scope > 0, scope, count), 1.0)[lot]
    after = np.where(in_lot, np.append(budget, 0.0)[lot] * _share(weight, whole, 0.0), np.where(out == ENDS, 0.0, g))
    paid = np.minimum(after, g)

    # Subcontracting: a share of each lot's budget (outside lots: of the money that moves) for small organisations.
    small_moving = transfers & small
    need = np.bincount(lot, weights=after * small_moving, minlength=k + 1)
    pool = subcontracting_share * np.append(budget, (after * (transfers & (lot == k))).sum())
    fraction = np.where(need > 0, np.minimum(pool / np.where(need > 0, need, 1.0), 1.0), subcontracting_share)
    sub_share = np.where(small_moving, fraction[lot], 0.0)
    continues = out == CONTINUES
    return Money(
        lot=lot,
        scope=scope,
        budget=budget,
        after=after,
        kept=np.where(continues, paid, 0.0),
        subcontracted=paid * sub_share,
        moved=np.where(transfers, paid * (1.0 - sub_share), 0.0),
        stopped=g - paid,
        added=after - paid,
        sub_share=sub_share,
        work_kept=np.where(continues, 1.0, sub_share),
        unplaced=np.where(count > 0, 0.0, budget),
    )


def recipients(land: Landscape, moves: Moves) -> np.ndarray:
    """Per winner, who receives its money: index m + w, or an organisation's index when the winner is a current
    organisation (the only one whose own activities continue under that winner's name, e.g. the lead)."""
    m = len(land.org_id)
    result = m + np.arange(len(moves.winner_names))
    cont = (moves.outcome == CONTINUES) & (moves.winner >= 0)
    for w in range(len(moves.winner_names)):
        orgs = np.unique(land.act_org[cont & (moves.winner == w)])
        if len(orgs) == 1:
            result[w] = orgs[0]
    return result


def _group(index, values: np.ndarray, size: int) -> np.ndarray:
    """Sum the rows of `values` (n × k) per group `index` (n,), into a (size × k) matrix."""
    out = np.empty((size, values.shape[1]))
    for k in range(values.shape[1]):
        out[:, k] = np.bincount(index, weights=values[:, k], minlength=size)[:size]
    return out


def _share(part, whole, fallback):
    """part/whole where whole > 0, else `fallback` (an equal share)."""
    safe = np.where(whole > 0, whole, 1.0)
    return np.where(whole > 0, part / safe, fallback)


def compute(land: Landscape, moves: Moves, assumptions: dict, detail: bool = True) -> dict:
    """Every impact measure of one scenario (docs/continuity.md gives the definitions and the assumptions).

    `detail=False` leaves out the per-activity rows (the benchmark computes every measure without them)."""
    n, m = len(land.act_id), len(land.org_id)
    org = land.act_org
    s = float(assumptions["subcontracting_share"]) / 100
    takeover = float(assumptions["staff_takeover_share"]) / 100

    # Work: the share of each activity that stays with its organisation, moves, or stops; money: class Money.
    out = moves.outcome
    cash = money(land, moves, s)
    kept = cash.work_kept
    transferred = np.where(out == TRANSFERS, 1.0 - kept, 0.0)
    ended = (out == ENDS).astype(float)
    lost = 1.0 - kept
    # Share of the activity's municipal money its organisation no longer receives (co-funding tied to it stops).
    money_lost = 1.0 - _share(cash.kept + cash.subcontracted, land.grant, kept)

    acts_per_org = np.bincount(org, minlength=m).astype(float)
    equal = 1.0 / np.maximum(acts_per_org, 1)[org]
    org_grant = np.bincount(org, weights=land.grant, minlength=m)
    org_hours = np.bincount(org, weights=land.volunteer_hours, minlength=m)
    grant_share = _share(land.grant, org_grant[org], equal)
    volunteers = land.org_volunteers[org] * _share(land.volunteer_hours, org_hours[org], equal)
    staff = land.org_staff[org] * grant_share

    # Relationship: years of municipal funding up to the base year (first funded year, else the oldest activity).
    oldest = np.full(m, 0, dtype=np.int64)
    if n:
        since = np.where(land.since_year > 0, land.since_year, 10**4)
        oldest = np.full(m, 10**4, dtype=np.int64)
        np.minimum.at(oldest, org, since)
        oldest = np.where(oldest == 10**4, 0, oldest)
    first = np.where(land.org_first_year > 0, land.org_first_year, oldest)
    years = np.where(first > 0, np.maximum(land.base_year - first + 1, 1), 1).astype(float)
    funded_org = org_grant > 0
    rel_years = np.where(funded_org, years, 0.0)

    columns = (
        np.column_stack(
            [
                land.grant,
                cash.kept,
                cash.subcontracted,
                cash.moved,
                cash.stopped,
                cash.moved + cash.stopped,
                cash.added,
                land.conditional * money_lost,
                volunteers * lost,
                land.volunteer_hours * lost,
                staff * lost,
                staff * transferred * takeover,
                land.reach * ended,
                land.preventive * ended,
                rel_years[org] * grant_share * lost,
            ]
        )
        if n
        else np.zeros((0, len(MEASURES)))
    )

    totals = dict(zip(MEASURES, columns.sum(axis=0).tolist(), strict=True))
    totals["funding_added"] += float(cash.unplaced.sum())
    totals["co_funding_conditional_before"] = float(land.conditional.sum())
    totals["reach_before"] = float(land.reach.sum())
    totals["volunteer_hours_before"] = float(land.volunteer_hours.sum())
    totals["preventive_before"] = float(land.preventive.sum())
    totals["activities"] = n
    totals["activities_ending"] = float(ended.sum())
    totals["activities_transferred"] = float((out == TRANSFERS).sum())
    totals["grant_unlinked"] = land.unlinked_grant

    per_org = _group(org, columns, m)
    flows = _flows(land, moves, cash)
    own_after = np.bincount(org, weights=flows["own"], minlength=m) + flows["received"][:m]
    funded_before = org_grant > 0.005
    loses_grant = funded_before & (own_after <= 0.005)
    work_ends = (acts_per_org > 0) & (np.bincount(org, weights=ended, minlength=m) == acts_per_org)
    organisations = [
        {
            "id": oid,
            "name": name,
            "kind": kind,
            "small": small,
            "relationship_years": years_,
            "loses_grant": bool(loses),
            "work_ends": bool(ends),
            "grant_after": _round(after),
            **row,
        }
        for oid, name, kind, small, years_, loses, ends, after, row in zip(
            land.org_id.tolist(),
            land.org_name,
            land.org_kind,
            land.org_small.tolist(),
            rel_years.tolist(),
            loses_grant.tolist(),
            work_ends.tolist(),
            own_after.tolist(),
            _rows(per_org),
            strict=True,
        )
    ]
    totals["organisations_funded_before"] = int(funded_before.sum())
    totals["organisations_losing_grant"] = int(loses_grant.sum())
    totals["organisations_work_ending"] = int((work_ends & funded_before).sum())
    totals["lot_budgets"] = float(cash.budget.sum())
    totals["grants_in_lots"] = float(cash.scope.sum())

    coverage = _coverage(land, moves, flows, ended, detail)
    districts = _breakdown(land.ad_act, land.ad_district, len(land.district_code), columns)
    target_groups = _breakdown(land.at_act, land.at_tg, len(land.tg_code), columns)
    per_lot = _group(cash.lot, columns, len(moves.lot_names) + 1)

    return {
        "base_year": land.base_year,
        "assumptions": {k: (float(v) if not isinstance(v, str | int) else v) for k, v in assumptions.items()},
        "totals": {k: _round(v) for k, v in totals.items()},
        "fragmentation": _fragmentation(land, flows, coverage),
        "organisations": organisations,
        "districts": [
            {
                "code": land.district_code[i],
                "name": land.district_name[i],
                **_row(districts[i]),
                "coverage_gaps": coverage["gaps_per_district"][i],
                "funded_organisations_before": coverage["funded_per_district_before"][i],
                "funded_organisations_after": coverage["funded_per_district_after"][i],
            }
            for i in range(len(land.district_code))
        ],
        "target_groups": [
            {
                "code": land.tg_code[i],
                "name": land.tg_name[i],
                **_row(target_groups[i]),
                "coverage_gaps": coverage["gaps_per_target_group"][i],
            }
            for i in range(len(land.tg_code))
            if target_groups[i].any() or coverage["gaps_per_target_group"][i] or coverage["cells_per_target_group"][i]
        ],
        "lots": [
            {
                "name": name,
                **_row(per_lot[i] + (_unplaced_row(cash.unplaced[i]) if i < len(cash.unplaced) else 0.0)),
                "grants_in_scope": _round(cash.scope[i]) if i < len(cash.scope) else _round(per_lot[i][0]),
                "budget": _round(cash.budget[i]) if i < len(cash.budget) else None,
                "budget_set": i < len(moves.lot_budgets) and moves.lot_budgets[i] is not None,
                "municipality_stops": _round(max(cash.scope[i] - cash.budget[i], 0.0)) if i < len(cash.scope) else 0.0,
                "municipality_adds": _round(max(cash.budget[i] - cash.scope[i], 0.0)) if i < len(cash.scope) else 0.0,
                "subcontracting": _round((cash.after * cash.sub_share)[cash.lot == i].sum()),
            }
            for i, name in enumerate([*moves.lot_names, ""])
            if i < len(moves.lot_names) or per_lot[i].any()
        ],
        "coverage_gaps": coverage["gaps"],
        "activities": [
            {
                "id": int(land.act_id[i]),
                "title": land.act_title[i],
                "organisation_id": int(land.org_id[org[i]]),
                "organisation": land.org_name[org[i]],
                "outcome": ("continues", "transfers", "ends")[int(out[i])],
                "lot": moves.lot_names[moves.lot[i]] if moves.lot[i] >= 0 else "",
                "winner": moves.winner_names[moves.winner[i]] if moves.winner[i] >= 0 else "",
                "kept": _round(kept[i]),
                "grant_after": _round(cash.after[i]),
                "reach": float(land.reach[i]),
                "volunteer_hours": float(land.volunteer_hours[i]),
                "preventive": bool(land.preventive[i]),
                "co_funding_conditional": _round(land.conditional[i]),
                "districts": coverage["activity_districts"][i],
                "gap_cells": coverage["activity_gap_cells"][i],
                **_row(columns[i]),
            }
            for i in range(n if detail else 0)
        ],
        "horizon": _horizon(land, assumptions, columns, cash, transferred, rel_years),
    }


def _unplaced_row(amount) -> np.ndarray:
    row = np.zeros(len(MEASURES))
    row[MEASURES.index("funding_added")] = amount
    return row


def _round(v):
    return round(float(v), 2)


def _row(values) -> dict:
    return dict(zip(MEASURES, np.round(np.asarray(values, dtype=float), 2).tolist(), strict=True))


def _rows(matrix) -> list[dict]:
    return [dict(zip(MEASURES, r, strict=True)) for r in np.round(matrix, 2).tolist()]


def _breakdown(pair_act, pair_group, size, columns):
    """Per district / target group: an activity in k groups counts 1/k in each (its figures are split evenly)."""
    if not len(pair_act):
        return np.zeros((size, columns.shape[1]))
    k = np.bincount(pair_act, minlength=columns.shape[0]).astype(float)
    weighted = columns[pair_act] / k[pair_act][:, None]
    return _group(pair_group, weighted, size)


def _cells(land: Landscape):
    """(activity, district, target group) triples: the cross product of each activity's districts and groups."""
    n = len(land.act_id)
    if not n or not len(land.ad_act) or not len(land.at_act):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    od, ot = np.argsort(land.ad_act, kind="stable"), np.argsort(land.at_act, kind="stable")
    ad_d, at_t = land.ad_district[od], land.at_tg[ot]
    nd = np.bincount(land.ad_act, minlength=n)
    nt = np.bincount(land.at_act, minlength=n)
    sd, st = np.cumsum(nd) - nd, np.cumsum(nt) - nt
    cnt = nd * nt
    a = np.repeat(np.arange(n), cnt)
    k = np.arange(cnt.sum()) - np.repeat(np.cumsum(cnt) - cnt, cnt)
    return a, ad_d[sd[a] + k // nt[a]], at_t[st[a] + k % nt[a]]


def _coverage(land, moves, flows, ended, detail=True):
    """Coverage gaps: district × target group cells that had an activity and have none left (all of them end)."""
    n_d, n_t = len(land.district_code), len(land.tg_code)
    a, d, t = _cells(land)
    cell = d * n_t + t
    before = np.zeros(n_d * n_t, dtype=bool)
    after = np.zeros(n_d * n_t, dtype=bool)
    before[cell] = True
    after[cell[ended[a] < 1.0]] = True
    gap = before & ~after
    gap_cells = np.flatnonzero(gap)
    gap_matrix = gap.reshape(n_d, n_t) if n_d and n_t else np.zeros((n_d, n_t), dtype=bool)
    activity_gap_cells = [[] for _ in range(len(land.act_id) if detail else 0)]
    activity_districts = [[] for _ in range(len(land.act_id) if detail else 0)]
    if detail:
        for ai, di in zip(land.ad_act.tolist(), land.ad_district.tolist(), strict=True):
            activity_districts[ai].append(land.district_code[di])
        for ai, ci in zip(a[gap[cell]].tolist(), cell[gap[cell]].tolist(), strict=True):
            activity_gap_cells[ai].append(int(ci))

    # Funded organisations per district: current organisations with a grant before; after, whoever receives money
    # for the activity (its own organisation for the part it keeps, the winner for the part that moves).
    m = len(land.org_id)
    ad_a, ad_d = land.ad_act, land.ad_district
    stride = m + len(moves.winner_names) + 1
    funded = land.grant[ad_a] > 0
    before_pairs = np.unique(ad_d[funded] * stride + land.act_org[ad_a][funded])
    keep = flows["own"][ad_a] > 0
    move = (flows["moved"][ad_a] > 0) & (flows["to"][ad_a] >= 0)
    after_pairs = np.unique(
        np.concatenate([ad_d[keep] * stride + land.act_org[ad_a][keep], ad_d[move] * stride + flows["to"][ad_a][move]])
    )
    return {
        "gaps": [
            {
                "district": land.district_code[c // n_t],
                "district_name": land.district_name[c // n_t],
                "target_group": land.tg_code[c % n_t],
                "target_group_name": land.tg_name[c % n_t],
                "cell": int(c),
            }
            for c in gap_cells.tolist()
        ],
        "cells_before": int(before.sum()),
        "cells_after": int(after.sum()),
        "gaps_per_district": gap_matrix.sum(axis=1).tolist() if n_t else [0] * n_d,
        "gaps_per_target_group": gap_matrix.sum(axis=0).tolist() if n_d else [0] * n_t,
        "cells_per_target_group": before.reshape(n_d, n_t).sum(axis=0).tolist() if n_d and n_t else [0] * n_t,
        "funded_per_district_before": np.bincount(before_pairs // stride, minlength=n_d).tolist(),
        "funded_per_district_after": np.bincount(after_pairs // stride, minlength=n_d).tolist(),
        "activity_gap_cells": activity_gap_cells,
        "activity_districts": activity_districts,
    }


def hhi(amounts: np.ndarray) -> float:
    """Herfindahl-Hirschman index of funding shares, 0–10,000 (10,000 = one recipient gets everything)."""
    total = amounts.sum()
    return float(((amounts / total) ** 2).sum() * 10_000) if total > 0 else 0.0


def _flows(land, moves, cash) -> dict:
    """Money paid afterwards per activity: the part its own organisation receives (kept or subcontracted back), the
    part that goes to a winner, to whom (an index into organisations + winners, -1 none), and the sums received."""
    m, w = len(land.org_id), len(moves.winner_names)
    transfers = moves.outcome == TRANSFERS
    own = cash.after * np.where(moves.outcome == CONTINUES, 1.0, cash.sub_share)
    moved = np.where(transfers, cash.after * (1.0 - cash.sub_share), 0.0)
    to = np.where(moves.winner >= 0, recipients(land, moves)[np.maximum(moves.winner, 0)], -1) if w else moves.winner
    to = np.where(transfers, to, -1)
    has = to >= 0
    # as floats even when nothing moves (numpy counts an empty input in integers, which would drop cents added below)
    received = np.bincount(to[has], weights=moved[has], minlength=m + w).astype(float)
    # The budget of a lot in which no activity goes on goes to the winner its moves name, if any.
    unknown = 0.0
    for i in np.flatnonzero(cash.unplaced > 0):
        named = moves.winner[(moves.lot == i) & (moves.winner >= 0)]
        if len(named):
            received[recipients(land, moves)[named.min()]] += cash.unplaced[i]
        else:
            unknown += cash.unplaced[i]
    return {"own": own, "moved": moved, "to": to, "received": received, "unknown": unknown}


def _fragmentation(land, flows, coverage):
    """The municipality's own goal: fewer funded organisations and more concentrated funding, before vs after."""
    m = len(land.org_id)
    size = len(flows["received"])
    before = np.bincount(land.act_org, weights=land.grant, minlength=m)
    after = np.bincount(land.act_org, weights=flows["own"], minlength=size) + flows["received"]
    d_before = np.array(coverage["funded_per_district_before"], dtype=float)
    d_after = np.array(coverage["funded_per_district_after"], dtype=float)
    return {
        "funded_recipients_before": int((before > 0.005).sum()),
        "funded_recipients_after": int((after > 0.005).sum()),
        "hhi_before": _round(hhi(before)),
        "hhi_after": _round(hhi(after)),
        "funded_organisations_per_district_before": _round(d_before.mean()) if len(d_before) else 0.0,
        "funded_organisations_per_district_after": _round(d_after.mean()) if len(d_after) else 0.0,
        "covered_cells_before": coverage["cells_before"],
        "covered_cells_after": coverage["cells_after"],
        "coverage_gaps": len(coverage["gaps"]),
        "funding_after": _round(after.sum() + flows["unknown"]),
    }


def _horizon(land, assumptions, columns, cash, transferred, rel_years):
    """Year by year over the horizon: the change takes effect after `start_delay_years`, and every N years the lots
    are re-commissioned, when a share p of the moved work changes provider again (expected values)."""
    h = int(assumptions["horizon_years"])
    interval = int(assumptions["recommissioning_interval_years"])
    delay = min(int(assumptions["start_delay_years"]), h)
    p = float(assumptions["winner_change_share"]) / 100
    col = {k: i for i, k in enumerate(MEASURES)}
    total = columns.sum(axis=0) if len(columns) else np.zeros(len(MEASURES))

    grant = land.grant
    org_age = rel_years[land.act_org] if len(grant) else np.zeros(0)
    # Funding-weighted mean age of the relationship behind each euro, status quo vs this scenario.
    sq_weight = grant.sum()
    moved_grant = float(cash.moved.sum())
    kept_grant = cash.kept + cash.subcontracted
    # Volunteers whose activity goes to another organisation (those of activities that end are not counted here).
    volunteers_moving = (
        float((columns[:, col["volunteers_affected"]] * _share(transferred, 1.0 - cash.work_kept, 0.0)).sum())
        if len(columns)
        else 0.0
    )
    years, age_sq, age_sc, stopped, moved, changes, switches = [], [], [], [], [], [], []
    moved_age, cum_stopped, cum_moved, cum_changes, cum_switch = 0.0, 0.0, 0.0, 0.0, 0.0
    for t in range(h):
        years.append(land.base_year + 1 + t)
        age_sq.append(_round((grant * (org_age + t + 1)).sum() / sq_weight) if sq_weight else 0.0)
        if t < delay:
            age_sc.append(age_sq[-1])
        else:
            since_change = t - delay
            if since_change == 0:
                cum_changes += volunteers_moving
                cum_switch += moved_grant > 0
                moved_age = 0.0
            elif interval and since_change % interval == 0:
                cum_changes += p * volunteers_moving
                cum_switch += p * (moved_grant > 0)
                moved_age *= 1 - p
            moved_age += 1
            cum_stopped += total[col["funding_ended"]]
            cum_moved += total[col["funding_to_winners"]]
            weight = kept_grant.sum() + moved_grant
            age_sc.append(
                _round(((kept_grant * (org_age + t + 1)).sum() + moved_grant * moved_age) / weight) if weight else 0.0
            )
        stopped.append(_round(cum_stopped))
        moved.append(_round(cum_moved))
        changes.append(_round(cum_changes))
        switches.append(_round(cum_switch))
    recommissionings = len([t for t in range(delay + 1, h) if interval and (t - delay) % interval == 0])
    return {
        "years": years,
        "relationship_age_status_quo": age_sq,
        "relationship_age": age_sc,
        "cumulative_funding_stopped": stopped,
        "cumulative_funding_moved": moved,
        "cumulative_volunteer_changes": changes,
        "cumulative_provider_switches": switches,
        "recommissionings": recommissionings,
        "total_funding_stopped": stopped[-1] if stopped else 0.0,
        "total_funding_moved": moved[-1] if moved else 0.0,
        "total_co_funding_at_risk": _round(total[col["co_funding_at_risk"]] * max(h - delay, 0)),
        "total_volunteer_changes": changes[-1] if changes else 0.0,
    }
