"""Time limits by legal regime, counted in calendar days in Europe/Amsterdam: the minimum periods for requests to
participate and bids, the question rounds and the clarifications before a submission deadline, the freeze points of
rectifications and the extension a material change needs, the order of the deadlines, and the term caps. Reads
only; tenders.rules and the services call these, docs/legal.md lists each rule with its basis.

Days are calendar days: a period of N days after a moment ends on the N-th calendar day after the day of that moment
(the day itself is not counted), whatever the hour; an extension of N days moves a deadline to the same clock time N
calendar days later, also across the switch to or from summer time (never N × 24 hours)."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from django.utils import formats
from django.utils.translation import gettext as _

from core.models import Municipality

from . import intake, rules
from . import regime as regimes
from .models import Candidate, Deadline, Phase, Route
from .policy import ProcurementPolicy

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
UTC = ZoneInfo("UTC")
K = Deadline.Kind
P = Phase


# --- Calendar days ------------------------------------------------------------------------------------------------
def add_calendar_days(moment: datetime, n: int) -> datetime:
    """The same Amsterdam clock time `n` calendar days later (earlier for negative `n`), in UTC. A clock time that
    does not exist that day (the hour skipped in spring) falls one hour later."""
    local = moment.astimezone(AMSTERDAM)
    shifted = (local.replace(tzinfo=None) + timedelta(days=n)).replace(tzinfo=AMSTERDAM)
    return shifted.astimezone(UTC)


def calendar_days_between(start: datetime, end: datetime) -> int:
    """How many calendar days (Amsterdam) `end` lies after `start`: 0 on the same day, whatever the hours."""
    return (end.astimezone(AMSTERDAM).date() - start.astimezone(AMSTERDAM).date()).days


def _day(moment: datetime) -> str:
    return formats.date_format(moment.astimezone(AMSTERDAM), "j F Y")


def _label(kind: str) -> str:
    return str(Deadline.Kind(kind).label).lower()


# --- The municipal procurement policy -----------------------------------------------------------------------------
def policy_for(owner) -> ProcurementPolicy:
    """The policy of a municipality or purchasing organisation (or of a commissioning's owner); an unsaved record
    with the defaults when it has none."""
    if isinstance(owner, Municipality):
        field = "municipality"
    elif hasattr(owner, "route"):  # a commissioning
        return policy_for(owner.owner)
    else:
        field = "purchasing_organisation"
    return ProcurementPolicy.objects.filter(**{field: owner}).first() or ProcurementPolicy(**{field: owner})


# --- Minimum periods by regime ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Period:
    """`kind` must lie at least `days` calendar days after `start`: a deadline kind, or None for the dispatch of the
    notice (for the bids of a restricted procedure the invitation, at the earliest the requests deadline)."""

    kind: str
    start: str | None
    days: int
    basis: str

    def start_text(self) -> str:
        return _("the dispatch of the notice") if self.start is None else _("the %s") % _label(self.start)

    def basis_text(self) -> str:
        return _("municipal procurement policy, Aw 1.10") if self.basis == "policy" else self.basis


def eu_periods(commissioning) -> list[Period]:
    """The minimum periods of the European regime. Bids may always be submitted electronically here, so 5 days less
    (Aw 2.74a); 5 days more when the documents are not fully and freely available electronically (Aw 2.72). The
    Netherlands kept 45 days (open) and 40 days (restricted, from the invitation) where the Directive allows 35 and
    30 (art. 27(1), 28(2)). Aw 2.74 is the accelerated procedure (urgency), not the restricted procedure. Which
    articles were checked against which text: docs/legal.md, "Sources"."""
    c = commissioning
    docs = 0 if c.documents_electronically_available else 5
    if c.route == Route.OPEN:
        if c.accelerated:
            return [Period(K.BIDS, None, 15, "Richtlijn art. 27(3); Aw 2.74")]
        return [Period(K.BIDS, None, 45 + docs - 5, "Aw 2.71, 2.72, 2.74a")]
    if c.route == Route.PRESELECTION:
        if c.accelerated:
            return [
                Period(K.REQUESTS, None, 15, "Richtlijn art. 28(6)(a); Aw 2.74"),
                Period(K.BIDS, K.REQUESTS, 10, "Richtlijn art. 28(6)(b); Aw 2.74"),
            ]
        return [
            Period(K.REQUESTS, None, 30, "Richtlijn art. 28(1)"),
            Period(K.BIDS, K.REQUESTS, 40 + docs - 5, "Aw 2.74a, 2.72"),
        ]
    if c.route == Route.COMPETITIVE_DIALOGUE:
        return [Period(K.REQUESTS, None, 30, "Richtlijn art. 30(1)")]
    return []


def minimum_periods(commissioning, dispatch: datetime, *, regime: str | None = None) -> list[Period]:
    """The periods that apply to a commissioning whose notice is (or was) dispatched at `dispatch`: the European
    ones above the threshold, the municipality's policy minimum for the first submission under the light and the
    national regime (proportionality, Aw 1.10), none for a grant round."""
    c = commissioning
    regime = regime or rules.check_threshold(c, dispatch.astimezone(AMSTERDAM).date()).regime
    if regime == rules.REGIME_EUROPEAN:
        return eu_periods(c)
    if regime in (rules.REGIME_LIGHT, rules.REGIME_NATIONAL):
        policy = policy_for(c)
        days = policy.light_minimum_days if regime == rules.REGIME_LIGHT else policy.national_minimum_days
        return [Period(K.BIDS if c.route == Route.OPEN else K.REQUESTS, None, days, "policy")]
    return []


def _short(period: Period, dispatch: datetime, deadlines: dict) -> datetime | None:
    """The earliest allowed moment when the period is not respected, else None."""
    end = deadlines.get(period.kind)
    start = dispatch if period.start is None else deadlines.get(period.start)
    if end is None or start is None or calendar_days_between(start, end) >= period.days:
        return None
    return add_calendar_days(start, period.days)


def period_errors(commissioning, dispatch: datetime, deadlines: dict | None = None) -> dict[str, str]:
    """{deadline kind (or "short_period_reasons"): message} for every minimum period the deadlines do not respect,
    counted from `dispatch` (tenders.regime.dispatch_moment: the recorded dispatch of the notice, else the
    publication). Under the light and national regimes a period shorter than the European one needs recorded
    reasons."""
    c = commissioning
    deadlines = deadlines if deadlines is not None else {d.kind: d.at for d in c.deadlines.all()}
    regime = rules.check_threshold(c, dispatch.astimezone(AMSTERDAM).date()).regime
    errors = {}
    for period in minimum_periods(c, dispatch, regime=regime):
        earliest = _short(period, dispatch, deadlines)
        if earliest is None:
            continue
        errors[period.kind] = _(
            "The %(deadline)s must lie at least %(days)s calendar days after %(start)s (%(basis)s): on %(date)s or "
            "later."
        ) % {
            "deadline": _label(period.kind),
            "days": period.days,
            "start": period.start_text(),
            "basis": period.basis_text(),
            "date": _day(earliest),
        }
    if regime in (rules.REGIME_LIGHT, rules.REGIME_NATIONAL) and not c.short_period_reasons.strip():
        shorter = [p for p in eu_periods(c) if _short(p, dispatch, deadlines)]
        if shorter:
            errors["short_period_reasons"] = _(
                "The %(deadline)s leaves less than the European minimum of %(days)s days: record the reasons why "
                "this period is proportionate (Aw 1.10)."
            ) % {"deadline": _label(shorter[0].kind), "days": shorter[0].days}
    return errors


def invitation_errors(commissioning, now: datetime) -> list[str]:
    """Under the European regime the invited candidates get the minimum period for bids from the invitation (sent
    when the procedure moves to the invitation phase), not from the requests deadline. The regime is that of the
    dispatch of the notice, as for every other period."""
    c = commissioning
    if c.route != Route.PRESELECTION or not c.published_at:
        return []
    periods = [p for p in minimum_periods(c, regimes.dispatch_moment(c, now)) if p.start == K.REQUESTS]
    deadlines = {d.kind: d.at for d in c.deadlines.all()}
    errors = []
    for period in periods:
        earliest = _short(period, now, {**deadlines, period.start: now})
        if earliest is not None:
            errors.append(
                _(
                    "The invited candidates get at least %(days)s calendar days for their bids (%(basis)s): extend "
                    "the %(deadline)s to %(date)s or later by a rectification first."
                )
                % {"days": period.days, "basis": period.basis, "deadline": _label(period.kind), "date": _day(earliest)}
            )
    return errors


# --- Question rounds and clarifications ---------------------------------------------------------------------------
# The questions deadline of each phase: in the routes with a selection stage the invited candidates (and the
# participants of each dialogue phase) get a round of their own about the documents they receive.
QUESTION_ROUNDS = {
    P.TENDERING: K.QUESTIONS,
    P.SELECTION: K.QUESTIONS,
    P.APPLICATION_PERIOD: K.QUESTIONS,
    P.INVITATION: K.INVITATION_QUESTIONS,
    P.DIALOGUE_1: K.DIALOGUE_1_QUESTIONS,
    P.DIALOGUE_2: K.DIALOGUE_2_QUESTIONS,
}
CANDIDATE_ROUNDS = frozenset({K.INVITATION_QUESTIONS, K.DIALOGUE_1_QUESTIONS, K.DIALOGUE_2_QUESTIONS})

# The deadlines at which something is submitted, and the submission each questions deadline is about.
SUBMISSION_KINDS = (K.REQUESTS, K.DIALOGUE_1_SUBMISSIONS, K.BIDS, K.FINAL_BIDS, K.APPLICATIONS)
ANSWERED_BEFORE = {
    K.INVITATION_QUESTIONS: K.BIDS,
    K.DIALOGUE_1_QUESTIONS: K.DIALOGUE_1_SUBMISSIONS,
    K.DIALOGUE_2_QUESTIONS: K.FINAL_BIDS,
}

# The order of every deadline a route can have (the optional ones included).
DEADLINE_ORDER = {
    Route.OPEN: [K.QUESTIONS, K.BIDS, K.AWARD_PLANNED],
    Route.PRESELECTION: [K.QUESTIONS, K.REQUESTS, K.INVITATION_QUESTIONS, K.BIDS, K.AWARD_PLANNED],
    Route.COMPETITIVE_DIALOGUE: [
        K.QUESTIONS,
        K.REQUESTS,
        K.DIALOGUE_1_QUESTIONS,
        K.DIALOGUE_1_SUBMISSIONS,
        K.DIALOGUE_2_QUESTIONS,
        K.FINAL_BIDS,
        K.AWARD_PLANNED,
    ],
    Route.GRANT_ROUND: [K.QUESTIONS, K.APPLICATIONS, K.AWARD_PLANNED],
}


def question_round(commissioning) -> str | None:
    """The questions deadline of the current phase, None when the phase has no question round."""
    return QUESTION_ROUNDS.get(commissioning.phase)


def may_ask_in_round(user, commissioning) -> bool:
    """In the rounds of the invited and of the dialogue phases only the candidates taking part may ask: admitted
    candidates (in dialogue phase 2 only those selected for it) that the user represents."""
    kind = question_round(commissioning)
    if kind not in CANDIDATE_ROUNDS:
        return True
    taking_part = intake.own_candidates(user, commissioning).filter(status=Candidate.Status.ADMITTED)
    if kind == K.DIALOGUE_2_QUESTIONS:
        taking_part = taking_part.filter(selected_for_phase_2=True)
    return taking_part.exists()


def clarification_minimum_days(commissioning) -> int:
    """Clarifications are published at least 10 days before the submission deadline, 4 in an accelerated
    procedure (Aw 2.54)."""
    return 4 if commissioning.accelerated else 10


def next_submission_deadline(commissioning, now: datetime):
    return commissioning.deadlines.filter(kind__in=SUBMISSION_KINDS, at__gt=now).order_by("at").first()


def clarification_errors(commissioning, now: datetime, extend_to: datetime | None = None) -> dict[str, str]:
    """Publishing clarifications at `now` is refused when the next submission deadline (or `extend_to`, the new
    moment it is extended to in the same act) lies fewer than the minimum days ahead. Grant rounds: no such rule."""
    c = commissioning
    deadline = next_submission_deadline(c, now)
    if c.route == Route.GRANT_ROUND or deadline is None:
        return {}
    days = clarification_minimum_days(c)
    at = extend_to or deadline.at
    if calendar_days_between(now, at) >= days:
        return {}
    return {
        "extend_to": _(
            "Clarifications are published at least %(days)s calendar days before the %(deadline)s (Aw 2.54): extend "
            "it to %(date)s or later in the same act."
        )
        % {"days": days, "deadline": _label(deadline.kind), "date": _day(add_calendar_days(now, days))}
    }


def question_window_errors(commissioning, deadlines: dict) -> dict[str, str]:
    """Each questions deadline leaves room for the clarifications: it lies at least the clarification minimum
    (Aw 2.54) before the submission its questions are about."""
    c = commissioning
    if c.route == Route.GRANT_ROUND:
        return {}
    first = K.BIDS if c.route == Route.OPEN else K.REQUESTS
    days = clarification_minimum_days(c)
    errors = {}
    for questions, submission in ({K.QUESTIONS: first} | ANSWERED_BEFORE).items():
        if (
            questions in deadlines
            and submission in deadlines
            and calendar_days_between(deadlines[questions], deadlines[submission]) < days
        ):
            errors[questions] = _(
                "The %(questions)s must lie at least %(days)s calendar days before the %(deadline)s, so that the "
                "answers can be published in time (Aw 2.54)."
            ) % {"questions": _label(questions), "days": days, "deadline": _label(submission)}
    return errors


def order_errors(route: str, deadlines: dict) -> list[str]:
    """Deadlines come in the route's order; a kind the route does not have is refused."""
    order = DEADLINE_ORDER[route]
    errors = [
        _("A %(route)s has no %(deadline)s.") % {"route": str(Route(route).label).lower(), "deadline": _label(kind)}
        for kind in deadlines
        if kind not in order
    ]
    present = [kind for kind in order if kind in deadlines]
    for earlier, later in pairwise(present):
        if deadlines[earlier] >= deadlines[later]:
            errors.append(_("The %(a)s must come before the %(b)s.") % {"a": _label(earlier), "b": _label(later)})
    return errors


# --- Rectifications: freeze points and the extension after a material change --------------------------------------
def freeze_errors(commissioning, now: datetime, *, selection_criteria_changed: bool = False) -> list[str]:
    """Everything is frozen once the submission deadline has passed (a substantial change then means cancelling
    and publishing anew); the selection criteria are frozen at the requests deadline."""
    c = commissioning
    deadlines = {d.kind: d.at for d in c.deadlines.all()}
    submission = rules.SUBMISSION_DEADLINE[c.route]
    if submission in deadlines and deadlines[submission] <= now:
        return [
            _(
                "The %(deadline)s has passed: the procedure can no longer be changed. To change it, cancel the "
                "procedure and publish it anew."
            )
            % {"deadline": _label(submission)}
        ]
    if selection_criteria_changed and K.REQUESTS in deadlines and deadlines[K.REQUESTS] <= now:
        return [_("The selection criteria are frozen: the deadline for requests to participate has passed.")]
    return []


def extension_errors(commissioning, before: dict, after: dict, now: datetime) -> dict[str, str]:
    """A material change (award criteria, budgets, a lot's scope, description or CPV codes) extends every submission
    deadline still ahead (in the selection stage also the requests deadline) by at least the policy minimum, in
    calendar days (Richtlijn art. 47(3): proportionate to the change; Aw 1.10)."""
    days = policy_for(commissioning).minimum_extension_days
    errors = {}
    for kind in SUBMISSION_KINDS:
        old = before.get(kind)
        if old is None or old <= now:
            continue
        earliest = add_calendar_days(old, days)
        if after.get(kind, old) < earliest:
            errors[kind] = _(
                "Changing criteria, budgets or a lot's scope or CPV codes is a material change: extend the "
                "%(deadline)s by at least %(days)s days, to %(date)s or later (municipal policy; Directive 2014/24/EU "
                "art. 47(3))."
            ) % {
                "deadline": _label(kind),
                "days": days,
                "date": _day(earliest) + formats.time_format(earliest.astimezone(AMSTERDAM), " H:i"),
            }
    return errors


# --- Term caps ----------------------------------------------------------------------------------------------------
FRAMEWORK_MAX_YEARS = 4


def framework_errors(commissioning, regime: str) -> list[str]:
    """A framework agreement runs at most 4 years under the European regime (Richtlijn art. 33(1))."""
    c = commissioning
    if c.framework_agreement and regime == rules.REGIME_EUROPEAN and c.total_years > FRAMEWORK_MAX_YEARS:
        return [
            _("A framework agreement may run at most %(n)s years, options included (Directive art. 33(1)).")
            % {"n": FRAMEWORK_MAX_YEARS}
        ]
    return []
