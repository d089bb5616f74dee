"""Domain rules of commissioning: the procedure and candidate state machines, which deadlines each route needs, the
term rules (caps from the municipal policy), the criteria guards, the threshold check, and every "may this happen
now?" question (publish_errors, transition_errors, may_cancel, questions_open, applications_open, may_ask, ...).
Time limits by regime live in tenders.time_limits. Reads only; services enforce them and views turn them into
`may_*` flags for the templates."""

from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import has_role, represented_organisation_ids
from core.formatting import percent
from core.models import MUNICIPAL_ROLES

from . import grant_rules, guards, regime, selection_rules, time_limits
from .models import Candidate, Deadline, Phase, Route
from .policy import ProcurementPolicy

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
# Cancellation (with the grounds told to every candidate and tenderer, Directive 2014/24/EU art. 55(1)) is possible from
# every published, not yet awarded phase.
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
    # Awb title 4.2: ceiling and distribution rule announced before the period (Awb 4:26–4:27; tenders.grant_rules).
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


# --- Candidate state machine (selection stage) ---------------------------------------------------------------------
# A candidate applies (status *applied*) and is then admitted or rejected after the deadline for requests. Until the
# selection stage ends a decision can be revised (admitted ⇄ rejected, or the same status with another score or
# reasons); a decided candidate never goes back to *applied*.
CS = Candidate.Status
CANDIDATE_TRANSITIONS: dict[str, frozenset[str]] = {
    CS.APPLIED: frozenset({CS.ADMITTED, CS.REJECTED}),
    CS.ADMITTED: frozenset({CS.ADMITTED, CS.REJECTED}),
    CS.REJECTED: frozenset({CS.REJECTED, CS.ADMITTED}),
}


def candidate_transition_allowed(from_status: str, to_status: str) -> bool:
    return to_status in CANDIDATE_TRANSITIONS.get(from_status, frozenset())


def phases_of(route: str) -> list[str]:
    """The phases of a route in order (for the public timeline), without cancellation."""
    order, phase = [], P.DRAFT
    while phase:
        order.append(phase)
        nxt = [p for p in allowed_transitions(route, phase) if p != P.CANCELLED]
        phase = nxt[0] if nxt else None
    return order


# --- Term rules ---------------------------------------------------------------------------------------------------
# The caps on a contract's term are municipal procurement policy, not law (proportionality, Aw 1.10 and the Gids
# Proportionaliteit): configurable per municipality (tenders.policy.ProcurementPolicy). One option is never longer
# than the initial term. A material change of a published commissioning extends the following deadlines by the
# policy's minimum (tenders.time_limits.extension_errors).
def term_errors(term_years: int, option_count: int, option_years: int, policy=None) -> dict[str, str]:
    caps = policy or ProcurementPolicy()
    errors = {}
    if term_years < 1:
        errors["term_years"] = _("The initial term must be at least one year.")
    elif term_years > caps.max_initial_years:
        errors["term_years"] = _("The initial term may be at most %(n)s years (municipal procurement policy).") % {
            "n": caps.max_initial_years
        }
    if option_count and option_years < 1:
        errors["option_years"] = _("An option must last at least one year.")
    elif option_count and option_years > term_years:
        errors["option_years"] = _("One option may not last longer than the initial term.")
    if term_years + option_count * option_years > caps.max_total_years:
        errors["option_count"] = _(
            "The initial term plus all options may be at most %(n)s years (municipal procurement policy); now it is "
            "%(total)s years."
        ) % {"n": caps.max_total_years, "total": term_years + option_count * option_years}
    return errors


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


def minimum_errors(title: str, minimum, scale, *, has_subs: bool, route=None) -> list[str]:
    """A knock-out minimum (None: none) is a level of the scale above its lowest (the lowest excludes nobody), set
    on a criterion that is scored itself: a criterion with sub-criteria gets its minimums on the sub-criteria. Not in
    a grant round yet: its decisions (evaluation's grant route) rank every application and know no exclusion."""
    if minimum is None:
        return []
    if route == Route.GRANT_ROUND:
        return [_("A grant round has no minimum scores yet: remove the minimum of “%(title)s”.") % {"title": title}]
    if has_subs:
        return [_("“%(title)s” has sub-criteria: set the minimum score on them.") % {"title": title}]
    if not scale or minimum not in scale or minimum == scale[0]:
        levels = ", ".join(str(s) for s in (scale or [])[1:])
        return [
            _("The minimum score of “%(title)s” is one of the levels %(levels)s.") % {"title": title, "levels": levels}
        ]
    return []


def criteria_errors(commissioning) -> list[str]:
    """Criterion set guards: weights sum to 100% (and sub-criteria to 100% of their parent), every criterion
    without sub-criteria has a written anchor for every score level of the scale, and a knock-out minimum is a level
    of the scale on a criterion without sub-criteria."""
    criteria = list(commissioning.criteria.prefetch_related("anchors"))
    errors = scale_errors(commissioning.scale)
    top = [c for c in criteria if c.parent_id is None]
    if not top:
        return [*errors, _("Add at least one award criterion.")]
    total = sum((c.weight for c in top), Decimal("0"))
    if total != HUNDRED:
        message = _("The weights of the award criteria add up to %(total)s, not 100%%.")
        errors.append(message % {"total": percent(total)})
    children: dict[int, list] = {}
    for c in criteria:
        if c.parent_id:
            children.setdefault(c.parent_id, []).append(c)
    levels = set(commissioning.scale or [])
    for c in criteria:
        subs = children.get(c.pk)
        errors += minimum_errors(
            c.title, c.minimum_score, commissioning.scale, has_subs=bool(subs), route=commissioning.route
        )
        if subs:
            sub_total = sum((s.weight for s in subs), Decimal("0"))
            if sub_total != HUNDRED:
                errors.append(
                    _("The sub-criteria of “%(title)s” add up to %(total)s, not 100%%.")
                    % {"title": c.title, "total": percent(sub_total)}
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
# The regime is derived from the CPV codes, the estimated value and the thresholds on the dispatch date of the notice
# (tenders/regime.py); the names below stay importable from here.
ThresholdCheck = regime.ThresholdCheck
REGIME_GRANT, REGIME_LIGHT = regime.REGIME_GRANT, regime.REGIME_LIGHT
REGIME_EUROPEAN, REGIME_NATIONAL = regime.REGIME_EUROPEAN, regime.REGIME_NATIONAL
REGIME_LABELS = regime.REGIME_LABELS
threshold_on = regime.threshold_on
estimated_value = regime.estimated_value


def check_threshold(commissioning, on: date) -> ThresholdCheck:
    """The regime of the commissioning with the thresholds in force on `on` (use regime.regime_date: the dispatch
    date of the notice, or today before the dispatch)."""
    value = estimated_value(commissioning)
    if commissioning.route == Route.GRANT_ROUND:
        explanation, requirements = grant_rules.grant_threshold_texts(commissioning)
        return ThresholdCheck(value, None, REGIME_GRANT, False, explanation, requirements)
    return regime.procurement_check(commissioning, value, on)


# --- May this happen now? -----------------------------------------------------------------------------------------
# Reads the services ask before they write and the views turn into `may_*` flags; `now` defaults to the server clock.
SELECTION_ROUTES = (Route.PRESELECTION, Route.COMPETITIVE_DIALOGUE)


def publish_errors(commissioning, now=None) -> list[str]:
    """Everything that stands in the way of publishing; empty when the commissioning may be published. Guards
    registered for draft → first phase (tenders.guards) are asked too."""
    now = now or timezone.now()
    c = commissioning
    errors = []
    lots = list(c.lots.all())
    if not lots:
        errors.append(_("Add at least one lot."))
    policy = time_limits.policy_for(c)
    errors += [str(e) for e in term_errors(c.term_years, c.option_count, c.option_years, policy).values()]
    errors += criteria_errors(c)
    deadlines = {d.kind: d.at for d in c.deadlines.all()}
    required = REQUIRED_DEADLINES[c.route]
    missing = [k for k in required if k not in deadlines]
    for kind in missing:
        errors.append(_("Set the %(deadline)s.") % {"deadline": Deadline.Kind(kind).label.lower()})
    if not missing:
        if deadlines[required[0]] <= now:
            errors.append(_("The %(deadline)s has already passed.") % {"deadline": Deadline.Kind(required[0]).label})
        errors += time_limits.order_errors(c.route, deadlines)
        errors += time_limits.period_errors(c, regime.dispatch_moment(c, now), deadlines).values()
        errors += time_limits.question_window_errors(c, deadlines).values()
    check = check_threshold(c, regime.regime_date(c, now))  # thresholds of the dispatch date (Directive art. 5(4))
    if lots:
        errors += time_limits.framework_errors(c, check.regime)
    if c.accelerated and (c.route not in (Route.OPEN, Route.PRESELECTION) or not c.accelerated_reasons.strip()):
        errors.append(_("An accelerated procedure needs reasons for the urgency, and an open or restricted route."))
    if c.route in SELECTION_ROUTES:
        if not c.selection_criteria.strip():
            errors.append(_("Describe the selection criteria."))
        if not c.max_candidates:
            errors.append(_("Set the maximum number of candidates."))
    errors += selection_rules.method_errors(c, check.regime)
    errors += grant_rules.grant_publish_errors(c, now) + grant_rules.wmo_price_errors(c)
    errors += regime.cpv_errors(c) + regime.notice_errors(c, check, now)
    if c.phase == P.DRAFT:
        errors += guards.errors(c, FIRST_PHASE[c.route], now)
    return errors


def transition_errors(commissioning, to_phase: str, now=None) -> list[str]:
    """Why the procedure cannot move to `to_phase` now: the route's transition table, the closing deadline of the
    phase, the candidates of a selection stage, and then every guard registered in tenders.guards for the pair."""
    now = now or timezone.now()
    c = commissioning
    if to_phase not in allowed_transitions(c.route, c.phase):
        return [
            _("From “%(a)s” the procedure cannot go to “%(b)s”.")
            % {"a": Phase(c.phase).label, "b": Phase(to_phase).label}
        ]
    if c.phase == P.DRAFT:
        return [_("Publish the commissioning to start the procedure.")]
    if to_phase == P.CANCELLED:
        return [_("Cancelling needs a published reason: use the cancellation step.")]
    errors = []
    closing = CLOSES_AT.get(c.phase)
    if closing:
        deadline = c.deadlines.filter(kind=closing).first()
        if deadline is None or now < deadline.at:
            errors.append(
                _("This phase closes at the %(deadline)s; that moment has not come yet.")
                % {"deadline": Deadline.Kind(closing).label.lower()}
            )
    if c.phase == P.SELECTION:
        undecided = c.candidates.filter(status=CS.APPLIED).count()
        if undecided:
            errors.append(_("Admit or reject every candidate first (%(n)s undecided).") % {"n": undecided})
        elif not c.candidates.filter(status=CS.ADMITTED).exists():
            errors.append(_("Admit at least one candidate first."))
        else:
            errors += selection_rules.admission_errors(c, check_threshold(c, regime.regime_date(c, now)).regime)
    if to_phase == P.INVITATION:
        errors += time_limits.invitation_errors(c, now)
    if to_phase == P.DIALOGUE_2:
        selected = c.candidates.filter(selected_for_phase_2=True).count()
        if not selected:
            errors.append(_("Select the participants for dialogue phase 2 first."))
    return errors + guards.errors(c, to_phase, now)


def may_cancel(commissioning) -> bool:
    return commissioning.is_published and P.CANCELLED in allowed_transitions(commissioning.route, commissioning.phase)


def may_rectify(commissioning) -> bool:
    return commissioning.is_published and commissioning.phase not in TERMINAL


def questions_open(commissioning, now=None) -> bool:
    """Questions are open until the questions deadline of the current phase's round (tenders.time_limits): the
    first round, the round of the invited candidates, the round of each dialogue phase."""
    now = now or timezone.now()
    kind = time_limits.question_round(commissioning)
    if not commissioning.is_published or kind is None:
        return False
    deadline = commissioning.deadlines.filter(kind=kind).first()
    return deadline is not None and now < deadline.at


def requests_deadline(commissioning):
    return commissioning.deadlines.filter(kind=K.REQUESTS).first()


def applications_open(commissioning, now=None) -> bool:
    """Providers apply as candidates during the selection stage, until the deadline for requests to participate
    (server clock)."""
    now = now or timezone.now()
    if commissioning.route not in SELECTION_ROUTES or commissioning.phase != P.SELECTION:
        return False
    deadline = requests_deadline(commissioning)
    return deadline is not None and now < deadline.at


def may_decide_candidates(commissioning) -> bool:
    """Candidates are admitted or rejected (and decisions revised) during the selection stage; the service also
    waits for the deadline for requests."""
    return commissioning.phase == P.SELECTION


def may_select_for_phase_2(commissioning) -> bool:
    return commissioning.phase == P.DIALOGUE_SELECTION


def may_record_dialogue_session(commissioning) -> bool:
    return commissioning.phase in (P.DIALOGUE_1, P.DIALOGUE_2)


def may_ask(user, municipality, commissioning=None) -> bool:
    """Providers ask: provider representatives and any registered user without a municipal role here; in the
    rounds of the invited and the dialogue phases only the candidates taking part."""
    provider = not has_role(user, MUNICIPAL_ROLES, municipality) or bool(represented_organisation_ids(user))
    return provider and (commissioning is None or time_limits.may_ask_in_round(user, commissioning))
