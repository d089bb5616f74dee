"""May the grant decisions be taken now, and what do they say? The grant route (Awb title 4.2, ADR 0010): after the
evaluation every application gets a decision (beschikking, Awb 1:3) that grants an amount or refuses it. Reads only.

- The subsidy ceiling (per year, Awb 4:22) is divided by the distribution rule announced with it (Awb 4:26, 4:27).
  `quality_ranking`: per lot, the applications in the order of the committee's consensus totals; each is granted in
  full while it fits in what is left of the lot's budget per year and of the ceiling per year, otherwise refused
  (Awb 4:25(2)); a lower-ranked application that still fits is granted.
- Equal totals whose order changes the outcome are ordered by the published tie-break rule: the officer gives the
  order and the reasons.
- No standstill (a subsidy is not a public contract): the objection term of six weeks from the day after dispatch
  (Awb 6:7, 6:8(1)), extended past a weekend or holiday (Algemene termijnenwet art. 1), on the calendar the standstill
  uses (core.termijnen through tenders.grant_rules.objection_deadline).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from tenders.grant_rules import objection_deadline
from tenders.models import DistributionRule, Phase, Route

from .standstill import AMSTERDAM

ZERO = Decimal("0")
MAX_AMOUNT = Decimal("1000000000000")  # what a money field (14 digits, 2 decimals) holds
GRANTED = "granted"
REFUSED = "refused"


@dataclass(frozen=True)
class Application:
    """One application as the distribution sees it: its lot, consensus total and rank there, and what it asks per
    year."""

    key: int
    lot: int
    total: Decimal
    rank: int
    requested: Decimal


@dataclass(frozen=True)
class Outcome:
    application: Application
    outcome: str  # GRANTED or REFUSED
    granted: Decimal
    available: Decimal  # what was left for it (lot budget and ceiling) when its turn came


def ordered(applications: Iterable[Application], tie_order: Sequence[int] = ()) -> list[Application]:
    """Per lot (in lot order), highest total first; equal totals in the order the officer gave (`tie_order`, keys),
    then by key."""
    position = {key: i for i, key in enumerate(tie_order)}
    return sorted(applications, key=lambda a: (a.lot, -a.total, position.get(a.key, len(position)), a.key))


def allocate(
    applications: Iterable[Application],
    lot_budgets: dict[int, Decimal],
    ceiling: Decimal,
    tie_order: Sequence[int] = (),
) -> list[Outcome]:
    """The quality ranking (Awb 4:26): in ranking order, grant what is asked while it fits in the rest of the lot's
    budget per year and of the ceiling per year; refuse what does not fit (Awb 4:25(2)). The total granted never
    exceeds the ceiling or a lot's budget."""
    left_ceiling = ceiling
    left_lot = dict(lot_budgets)
    outcomes = []
    for a in ordered(applications, tie_order):
        available = min(left_ceiling, left_lot.get(a.lot, ZERO))
        if ZERO < a.requested <= available:
            left_ceiling -= a.requested
            left_lot[a.lot] -= a.requested
            outcomes.append(Outcome(a, GRANTED, a.requested, available))
        else:
            outcomes.append(Outcome(a, REFUSED, ZERO, available))
    return outcomes


def decisive_ties(outcomes: Sequence[Outcome]) -> list[list[Application]]:
    """Groups of equal totals in one lot with both a granted and a refused application: there the order decided.
    (When all of a group fit, any order grants all; when none fit at its start, any order refuses all.)"""
    groups: dict[tuple[int, Decimal], list[Outcome]] = {}
    for o in outcomes:
        groups.setdefault((o.application.lot, o.application.total), []).append(o)
    return [
        [o.application for o in group]
        for group in groups.values()
        if len(group) > 1 and len({o.outcome for o in group}) > 1
    ]


def tie_errors(outcomes: Sequence[Outcome], tie_order: Sequence[int], tie_break: str) -> list[str]:
    """Where equal totals decide, the officer orders them by the published tie-break rule and says how."""
    errors = []
    for group in decisive_ties(outcomes):
        keys = {a.key for a in group}
        if not keys <= set(tie_order) or not tie_break.strip():
            numbers = ", ".join(str(k) for k in sorted(keys))
            errors.append(
                _(
                    "Applications %(numbers)s have equal totals and not all fit: give their order under the "
                    "published tie-break rule and explain how it decided."
                )
                % {"numbers": numbers}
            )
    return errors


def distribution_errors(commissioning) -> list[str]:
    """Only a grant round with an announced ceiling and a distribution rule this module knows is distributed."""
    c = commissioning
    errors = []
    if c.route != Route.GRANT_ROUND:
        return [_("Grant decisions are taken in a grant round only.")]
    if c.phase != Phase.EVALUATION:
        errors.append(_("Grant decisions are taken in the evaluation phase."))
    if not c.grant_ceiling:
        errors.append(_("The grant round has no subsidy ceiling (Awb 4:22)."))
    if c.distribution_rule != DistributionRule.QUALITY_RANKING:
        errors.append(_("The announced distribution rule cannot be applied here (Awb 4:26)."))
    return errors


def requested_errors(requested: dict[int, Decimal | None], keys: Iterable[int]) -> dict[int, str]:
    """The amount per year every application asks for: given, more than € 0."""
    errors = {}
    for key in keys:
        amount = requested.get(key)
        if amount is None:
            errors[key] = _("Enter the amount per year this application asks for.")
        elif amount <= ZERO:
            errors[key] = _("The amount asked must be more than € 0.")
        elif amount >= MAX_AMOUNT:
            errors[key] = _("The amount asked is too large.")
    return errors


def objection_last_day(sent_at: datetime) -> date:
    """The last day to object to a decision sent at `sent_at` (aware): six weeks from the day after the day of
    dispatch in Amsterdam (Awb 6:7, 6:8(1)), to the next working day when that is a weekend day or holiday
    (Algemene termijnenwet art. 1)."""
    return objection_deadline(sent_at.astimezone(AMSTERDAM).date())


def undecided_errors(commissioning, decided: bool) -> list[str]:
    """A grant round is closed (phase awarded) once its grant decisions are taken; no standstill applies."""
    if decided:
        return []
    return [_("Take the grant decisions on every application first (Awb 4:26).")]
