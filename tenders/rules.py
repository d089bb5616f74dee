"""Domain rules of commissioning: the procedure state machines, which deadlines each route needs, the term rules,
the criteria guards and the threshold check. Pure functions over models; services enforce them."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Deadline, Phase, Route, ServiceCategory, Threshold

P = Phase
K = Deadline.Kind

# --- Plausible moments ---------------------------------------------------------------------------------------------
# A deadline or meeting far outside the life of this software is a typing error (a year 0001 once broke the manage
# page on PostgreSQL for good: converting it to Amsterdam time leaves the calendar). Accept only these years.
EARLIEST_YEAR = 2000
LATEST_YEAR = 2100


def plausible_moment_error(at) -> str | None:
    """A Dutch-translatable message when `at` (a date or datetime) lies outside EARLIEST_YEAR–LATEST_YEAR."""
    if at is not None and not (EARLIEST_YEAR <= at.year <= LATEST_YEAR):
        return _("Enter a date between %(first)d and %(last)d.") % {"first": EARLIEST_YEAR, "last": LATEST_YEAR}
    return None


# --- Procedure state machines: explicit transition tables, one per route ------------------------------------------
# Cancellation (Aw 2.1xx: the contracting authority may discontinue a procedure, with reasons) is possible from every
# published, not yet awarded phase.
TRANSITIONS: dict[str, dict[str, frozenset[str]]] = {
    Route.OPEN: {
        P.DRAFT: frozenset({P.TENDERING}),
        P.TENDERING: frozenset({P.EVALUATION, P.CANCELLED}),
        P.EVALUATION: frozenset({P.AWARDED, P.CANCELLED}),
    },
    Route.PRESELECTION: {
        P.DRAFT: frozenset({P.SELECTION}),
        P.SELECTION: frozenset({P.INVITATION, P.CANCELLED}),
        P.INVITATION: frozenset({P.EVALUATION, P.CANCELLED}),
        P.EVALUATION: frozenset({P.AWARDED, P.CANCELLED}),
    },
    # Aw 2.29: selection → dialogue (in successive phases, reducing the number of solutions) → final bids → award.
    Route.COMPETITIVE_DIALOGUE: {
        P.DRAFT: frozenset({P.SELECTION}),
        P.SELECTION: frozenset({P.DIALOGUE_1, P.CANCELLED}),
        P.DIALOGUE_1: frozenset({P.DIALOGUE_SELECTION, P.CANCELLED}),
        P.DIALOGUE_SELECTION: frozenset({P.DIALOGUE_2, P.CANCELLED}),
        P.DIALOGUE_2: frozenset({P.FINAL_BIDS, P.CANCELLED}),
        P.FINAL_BIDS: frozenset({P.EVALUATION, P.CANCELLED}),
        P.EVALUATION: frozenset({P.AWARDED, P.CANCELLED}),
    },
    # Awb title 4.2: ceiling and distribution rule published before the application period (Awb 4:25–4:26).
    Route.GRANT_ROUND: {
        P.DRAFT: frozenset({P.APPLICATION_PERIOD}),
        P.APPLICATION_PERIOD: frozenset({P.EVALUATION, P.CANCELLED}),
        P.EVALUATION: frozenset({P.AWARDED, P.CANCELLED}),
    },
}

# The phase a route starts in when the commissioning is published.
FIRST_PHASE = {route: next(iter(table[P.DRAFT])) for route, table in TRANSITIONS.items()}

# A phase that receives submissions closes at a deadline: it can only be left (other than by cancelling) once the
# server clock has passed that deadline.
CLOSES_AT = {
    P.TENDERING: K.BIDS,
    P.SELECTION: K.REQUESTS,
    P.INVITATION: K.BIDS,
    P.DIALOGUE_1: K.DIALOGUE_1_SUBMISSIONS,
    P.FINAL_BIDS: K.FINAL_BIDS,
    P.APPLICATION_PERIOD: K.APPLICATIONS,
}

# Deadlines a route needs before it can be published, in chronological order.
REQUIRED_DEADLINES = {
    Route.OPEN: [K.QUESTIONS, K.BIDS],
    Route.PRESELECTION: [K.QUESTIONS, K.REQUESTS, K.BIDS],
    Route.COMPETITIVE_DIALOGUE: [K.QUESTIONS, K.REQUESTS, K.DIALOGUE_1_SUBMISSIONS, K.FINAL_BIDS],
    Route.GRANT_ROUND: [K.QUESTIONS, K.APPLICATIONS],
}

TERMINAL = frozenset({P.AWARDED, P.CANCELLED})

# The deadline at which the submissions that are scored on the award criteria come in (OCDS tenderPeriod.endDate).
SUBMISSION_DEADLINE = {
    Route.OPEN: K.BIDS,
    Route.PRESELECTION: K.BIDS,
    Route.COMPETITIVE_DIALOGUE: K.FINAL_BIDS,
    Route.GRANT_ROUND: K.APPLICATIONS,
}


def allowed_transitions(route: str, phase: str) -> frozenset[str]:
    return TRANSITIONS[route].get(phase, frozenset())


def phases_of(route: str) -> list[str]:
    """The phases of a route in order (for the public timeline), without cancellation."""
    order, phase = [], P.DRAFT
    while phase:
        order.append(phase)
        nxt = [p for p in allowed_transitions(route, phase) if p != P.CANCELLED]
        phase = nxt[0] if nxt else None
    return order


# --- Term rules ---------------------------------------------------------------------------------------------------
# Term rules of the municipal procurement policy (proportionality, Aw 1.10 and the Gids Proportionaliteit): a
# contract runs at most MAX_TOTAL_YEARS including options, and one option is never longer than the initial term.
MAX_TOTAL_YEARS = 10
MAX_INITIAL_YEARS = 6


def term_errors(term_years: int, option_count: int, option_years: int) -> dict[str, str]:
    errors = {}
    if term_years < 1:
        errors["term_years"] = _("The initial term must be at least one year.")
    elif term_years > MAX_INITIAL_YEARS:
        errors["term_years"] = _("The initial term may be at most %(n)s years.") % {"n": MAX_INITIAL_YEARS}
    if option_count and option_years < 1:
        errors["option_years"] = _("An option must last at least one year.")
    elif option_count and option_years > term_years:
        errors["option_years"] = _("One option may not last longer than the initial term.")
    if term_years + option_count * option_years > MAX_TOTAL_YEARS:
        errors["option_count"] = _(
            "The initial term plus all options may be at most %(n)s years; now it is %(total)s years."
        ) % {"n": MAX_TOTAL_YEARS, "total": term_years + option_count * option_years}
    return errors


# --- Rectifications ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class MinimumExtension:
    valid_from: date
    days: int
    source: str


# A material change of the tender documents after publication (award criteria: weights or anchors; lot budgets)
# extends the deadline for submissions, so that every bidder can take the change into account: the term for bids
# must stay reasonable after the change (Aw 2012 art. 2.116, with the minimum terms of art. 2.71 ff.; EU basis:
# Directive 2014/24/EU art. 47(3), an extension "proportionate to the importance of the change"). Which extension
# is proportionate is policy, not law: dated data, so that a new policy applies to rectifications from its date on
# and earlier rectifications stay explainable. The rule in force on the day of the rectification applies.
MINIMUM_EXTENSIONS = [
    MinimumExtension(
        date(2016, 7, 1),
        10,
        "Aw 2012 art. 2.116 (redelijke termijn) en richtlijn 2014/24/EU art. 47 lid 3; gemeentelijk inkoopbeleid",
    ),
]


def minimum_extension(on: date) -> MinimumExtension:
    valid = [rule for rule in MINIMUM_EXTENSIONS if rule.valid_from <= on]
    return max(valid, key=lambda rule: rule.valid_from)


# --- Criteria -----------------------------------------------------------------------------------------------------
HUNDRED = Decimal("100")
DEFAULT_SCALE = [0, 25, 50, 75, 100]


def scale_errors(scale) -> list[str]:
    if not isinstance(scale, list) or len(scale) < 2:
        return [_("A scale has at least two score levels.")]
    if any(not isinstance(s, int) or s < 0 or s > 100 for s in scale) or scale != sorted(set(scale)):
        return [_("Score levels are whole numbers from 0 to 100 in increasing order.")]
    if scale[0] != 0 or scale[-1] != 100:
        return [_("The scale runs from 0 to 100.")]
    return []


def criteria_errors(commissioning) -> list[str]:
    """Criterion set guards: weights sum to 100% (and sub-criteria to 100% of their parent), and every criterion
    without sub-criteria has a written anchor for every score level of the scale."""
    criteria = list(commissioning.criteria.prefetch_related("anchors"))
    errors = scale_errors(commissioning.scale)
    top = [c for c in criteria if c.parent_id is None]
    if not top:
        return [*errors, _("Add at least one award criterion.")]
    total = sum((c.weight for c in top), Decimal("0"))
    if total != HUNDRED:
        errors.append(_("The weights of the award criteria add up to %(total)s%%, not 100%%.") % {"total": total})
    children: dict[int, list] = {}
    for c in criteria:
        if c.parent_id:
            children.setdefault(c.parent_id, []).append(c)
    levels = set(commissioning.scale or [])
    for c in criteria:
        subs = children.get(c.pk)
        if subs:
            sub_total = sum((s.weight for s in subs), Decimal("0"))
            if sub_total != HUNDRED:
                errors.append(
                    _("The sub-criteria of “%(title)s” add up to %(total)s%%, not 100%%.")
                    % {"title": c.title, "total": sub_total}
                )
            continue
        anchored = {a.score for a in c.anchors.all() if a.text.strip()}
        missing = sorted(levels - anchored)
        if missing:
            errors.append(
                _("“%(title)s” has no anchor for score %(levels)s.")
                % {"title": c.title, "levels": ", ".join(str(s) for s in missing)}
            )
    return errors


# --- Threshold check ----------------------------------------------------------------------------------------------
@dataclass
class ThresholdCheck:
    estimated_value: Decimal
    threshold: Threshold | None
    regime: str
    above: bool
    explanation: str
    requirements: list[str]


REGIME_GRANT = "grant"
REGIME_LIGHT = "light"
REGIME_EUROPEAN = "european"
REGIME_NATIONAL = "national"

REGIME_LABELS = {
    REGIME_GRANT: gettext_lazy("Grant round (Awb title 4.2), no procurement regime"),
    REGIME_LIGHT: gettext_lazy("Light regime for social and other specific services (Aw 2.38–2.39)"),
    REGIME_EUROPEAN: gettext_lazy("European procedure for services (Aw part 2)"),
    REGIME_NATIONAL: gettext_lazy("Below the European threshold (national rules, Aw part 1 and 3)"),
}


def threshold_on(category: str, on: date) -> Threshold | None:
    return Threshold.objects.filter(category=category, valid_from__lte=on).order_by("-valid_from").first()


def estimated_value(commissioning) -> Decimal:
    """Aw 2.14: the estimated value is the total over the whole term including every option (excl. VAT)."""
    per_year = sum((lot.annual_budget for lot in commissioning.lots.all()), Decimal("0"))
    return per_year * commissioning.total_years


def check_threshold(commissioning, on: date) -> ThresholdCheck:
    value = estimated_value(commissioning)
    if commissioning.route == Route.GRANT_ROUND:
        return ThresholdCheck(
            value,
            None,
            REGIME_GRANT,
            False,
            _("A grant round is not a public contract: procurement thresholds do not apply."),
            [
                _("Publish the subsidy ceiling and the distribution rule before the application period (Awb 4:25)."),
                _("Distribute by quality ranking as announced (Awb 4:26); decide on all applications together."),
            ],
        )
    threshold = threshold_on(commissioning.service_category, on)
    above = threshold is not None and value >= threshold.amount
    if commissioning.service_category == ServiceCategory.SOCIAL:
        if above:
            return ThresholdCheck(
                value,
                threshold,
                REGIME_LIGHT,
                True,
                _("The estimated value is at or above the threshold for social and other specific services."),
                [
                    _("Announce the contract with a contract notice or prior information notice (Aw 2.39)."),
                    _("Publish an award notice after the award (Aw 2.39)."),
                    _(
                        "Observe equal treatment, transparency and proportionality; a standstill period of 20 "
                        "calendar days before the contract is signed (Aw 2.127)."
                    ),
                ],
            )
    elif above:
        return ThresholdCheck(
            value,
            threshold,
            REGIME_EUROPEAN,
            True,
            _("The estimated value is at or above the European threshold for services."),
            [
                _("Use a European procedure with a contract notice on TenderNed/TED (Aw 2.26–2.32)."),
                _(
                    "Observe the minimum time limits (Aw 2.71 ff.) and a standstill period of 20 calendar days "
                    "(Aw 2.127)."
                ),
            ],
        )
    return ThresholdCheck(
        value,
        threshold,
        REGIME_NATIONAL,
        False,
        _("The estimated value is below the European threshold."),
        [
            _("Follow the municipal procurement policy and the principle of proportionality (Aw 1.10)."),
            _("A standstill period is not required but advisable."),
        ],
    )
