"""Reads of operators, consortia and subcontract commitments.

`commitments_of(submission)` and `small_organisation_share(submission)` feed the award criterion on
subcontracting, the continuity scenario "after award" and contract monitoring: they count the commitments of every
participation that has not declined, per year, in euros (a share of the lot budget converted with the lot's fixed
budget per year).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from landscape.models import Organisation

from . import rules
from .models import EconomicOperator, OperatorMatch, OperatorMember, Participation, SubcontractCommitment

# Landscape kinds that make an organisation small (the registry's own judgement wins over the operator's).
SMALL_LANDSCAPE_KINDS = frozenset(
    {
        Organisation.Kind.VOLUNTEER_WITH_STAFF,
        Organisation.Kind.VOLUNTEER_ONLY,
        Organisation.Kind.SOCIAL_ENTERPRISE,
        Organisation.Kind.SELF_ORGANISATION,
    }
)
BASIS_LANDSCAPE = "landscape"  # the kind of the confirmed matching organisation in the landscape registry
BASIS_DECLARED = "declared"  # the operator's own declared kind


@dataclass
class CommitmentRow:
    participation: Participation
    commitment: SubcontractCommitment
    per_year: Decimal


@dataclass
class CommitmentTotals:
    rows: list[CommitmentRow]
    total_per_year: Decimal
    lot_budget_per_year: Decimal | None
    share_of_lot_budget: Decimal | None  # percent, two decimals
    over_budget: bool
    per_participation: dict[int, Decimal] = field(default_factory=dict)


def _with_commitments(participations):
    return participations.select_related("operator").prefetch_related(
        Prefetch(
            "commitments",
            queryset=SubcontractCommitment.objects.prefetch_related("activities", "districts")
            .select_related("continues_activity")
            .order_by("pk"),
        )
    )


def _active_participations(submission):
    return _with_commitments(submission.participations.exclude(status=Participation.Status.DECLINED)).order_by(
        "ring", "id"
    )


def participations_for_sealing(submission) -> list[Participation]:
    """Every participation of the submission (declined ones too) with its operator, parent, self-declaration,
    reliance and commitments, in the manifest's order (ring, operator): one read for the submit service's checks
    (bids.rules.submission_blockers), its totals and its manifest."""
    return list(
        _with_commitments(submission.participations.select_related("parent", "declaration"))
        .prefetch_related("relies_on")
        .order_by("ring", "operator_id")
    )


def _percent(part: Decimal, whole: Decimal | None) -> Decimal | None:
    if not whole:
        return None
    return (part * 100 / whole).quantize(Decimal("0.01"))


def commitments_of(submission, participations=None) -> CommitmentTotals:
    """Every commitment of the submission with its amount per year, and the totals against the lot budget.
    `participations`: participations_for_sealing(submission), when already read."""
    lot = submission.lot
    rows, per_participation = [], {}
    if participations is None:
        active = _active_participations(submission)
    else:
        active = sorted(
            (p for p in participations if p.status != Participation.Status.DECLINED), key=lambda p: (p.ring, p.pk)
        )
    for p in active:
        for c in p.commitments.all():
            per_year = rules.annual_amount(c, lot) if lot is not None or c.amount_per_year is not None else Decimal(0)
            rows.append(CommitmentRow(p, c, per_year))
            per_participation[p.pk] = per_participation.get(p.pk, Decimal(0)) + per_year
    total = sum((r.per_year for r in rows), Decimal(0))
    budget = lot.annual_budget if lot is not None else None
    return CommitmentTotals(
        rows=rows,
        total_per_year=total,
        lot_budget_per_year=budget,
        share_of_lot_budget=_percent(total, budget),
        over_budget=budget is not None and total > budget,
        per_participation=per_participation,
    )


def _confirmed_matches(operator_ids) -> dict[int, list[OperatorMatch]]:
    found = {}
    for m in (
        OperatorMatch.objects.filter(operator_id__in=operator_ids, status=OperatorMatch.Status.CONFIRMED)
        .select_related("organisation")
        .order_by("id")
    ):
        found.setdefault(m.operator_id, []).append(m)
    return found


def operator_is_small(operator: EconomicOperator, municipalities=None, matches=None) -> tuple[bool, str]:
    """Whether an operator is a small organisation and on which basis: the landscape kind of its confirmed match
    (preferring one in `municipalities`), otherwise the kind it declared itself. `matches`: its confirmed matches,
    when already loaded."""
    if matches is None:
        matches = _confirmed_matches([operator.pk]).get(operator.pk, [])
    ids = {m.pk for m in municipalities or []}
    matches = sorted(matches, key=lambda m: m.organisation.municipality_id not in ids)
    if matches:
        return matches[0].organisation.kind in SMALL_LANDSCAPE_KINDS, BASIS_LANDSCAPE
    return operator.is_small, BASIS_DECLARED


@dataclass
class SmallParticipant:
    participation: Participation
    small: bool
    basis: str
    per_year: Decimal


@dataclass
class SmallShare:
    amount_per_year: Decimal  # committed to small organisations, per year
    share_of_lot_budget: Decimal | None  # percent of the lot's fixed budget per year
    participants: list[SmallParticipant]


def small_organisation_share(submission, totals: CommitmentTotals | None = None) -> SmallShare:
    """The part of the lot budget committed to small organisations, with per participant whether it is small and
    the basis used (BASIS_LANDSCAPE or BASIS_DECLARED). `totals`: commitments_of(submission), when already read."""
    totals = totals or commitments_of(submission)
    municipalities = submission.commissioning.municipalities()
    matches = _confirmed_matches({row.participation.operator_id for row in totals.rows})
    seen, participants = set(), []
    for row in totals.rows:
        p = row.participation
        if p.pk in seen:
            continue
        seen.add(p.pk)
        small, basis = operator_is_small(p.operator, municipalities, matches.get(p.operator_id, []))
        participants.append(SmallParticipant(p, small, basis, totals.per_participation[p.pk]))
    amount = sum((s.per_year for s in participants if s.small), Decimal(0))
    return SmallShare(
        amount_per_year=amount,
        share_of_lot_budget=_percent(amount, totals.lot_budget_per_year),
        participants=participants,
    )


def operator_ids_of(user) -> set[int]:
    """The operators a user acts for (one query)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(OperatorMember.objects.filter(user=user).values_list("operator_id", flat=True))


def operators_of(user):
    if not getattr(user, "is_authenticated", False):
        return EconomicOperator.objects.none()
    return EconomicOperator.objects.filter(members__user=user).order_by("name")


def invitations_for(user):
    """Participations waiting for (or decided by) an operator the user acts for, newest first."""
    return (
        Participation.objects.filter(operator__members__user=user)
        .exclude(ring=Participation.Ring.LEAD)
        .select_related("submission__commissioning", "submission__lot", "submission__lead", "operator", "parent")
        .prefetch_related("submission__commissioning__deadlines")
        .order_by("-invited_at", "-id")
    )


def proposed_matches(municipality):
    return (
        OperatorMatch.objects.filter(organisation__municipality=municipality)
        .select_related("operator", "organisation")
        .order_by("status", "-proposed_at", "id")
    )
