"""May this happen now? Pure reads about operators, consortia (rings), subcontract commitments and
self-declarations. Services enforce them; views turn them into `may_*` flags.

`submission_blockers(submission)` is what the submit service asks before it seals a version: every pending
participation, every participation without a self-declaration, and commitments over the lot budget block it.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import btw as nl_btw

from tenders import rules as tender_rules

from .models import EconomicOperator, OperatorMember, Participation, Submission

Ring = Participation.Ring
PS = Participation.Status

# --- operators -------------------------------------------------------------------------------------------------

TOKEN_DAYS = 3  # a confirmation or invitation link is valid this many days


def vat_number_error(vat_number: str, country: str) -> str | None:
    """A VAT number is checked with python-stdnum: the Dutch btw-id (NL…B..) with `stdnum.nl.btw`, any other EU
    number with `stdnum.eu.vat`; its country prefix must match the operator's country (Greece uses EL)."""
    if not vat_number:
        return None
    country = (country or "").upper()
    try:
        compact = eu_vat.compact(vat_number)
    except StdnumError:
        return _("This is not a valid VAT number.")
    prefix = compact[:2].upper()
    valid = nl_btw.is_valid(compact) if prefix == "NL" else eu_vat.is_valid(compact)
    if not valid:
        return _("This is not a valid VAT number.")
    if prefix != {"GR": "EL"}.get(country, country):
        return _("The VAT number does not belong to the country of the organisation.")
    return None


def is_member(user, operator: EconomicOperator) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        OperatorMember.objects.filter(operator=operator, user=user).exists()
    )


def is_manager(user, operator: EconomicOperator) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        OperatorMember.objects.filter(operator=operator, user=user, is_manager=True).exists()
    )


def operator_may_take_part(operator: EconomicOperator) -> bool:
    """Only an operator whose e-mail address is confirmed may submit or be invited into a consortium."""
    return operator.email_confirmed_at is not None


def token_is_valid(token, now=None) -> bool:
    now = now or timezone.now()
    return token is not None and token.used_at is None and now < token.expires_at


# --- consortium -------------------------------------------------------------------------------------------------

# The state machine of a participation: only its own operator moves it out of "pending".
PARTICIPATION_TRANSITIONS = {
    PS.PENDING: {PS.CONFIRMED, PS.DECLINED},
    PS.CONFIRMED: set(),
    PS.DECLINED: set(),
}

# The ring a participation may hang under (its parent), per ring; None: no parent.
PARENT_RING = {Ring.LEAD: None, Ring.MEMBER: None, Ring.SUBCONTRACTOR: None, Ring.SUB_SUBCONTRACTOR: Ring.SUBCONTRACTOR}

# Rings that may carry subcontract commitments. Ring 1 members may record their share too: a consortium agreement
# that gives a small member a fixed part of the budget is the same guarantee, and counts for the small share.
COMMITMENT_RINGS = frozenset({Ring.MEMBER, Ring.SUBCONTRACTOR, Ring.SUB_SUBCONTRACTOR})


def participation_transition_allowed(current: str, target: str) -> bool:
    return target in PARTICIPATION_TRANSITIONS.get(current, set())


def submission_deadline(submission: Submission):
    """The deadline that closes the commissioning's current phase (the bids, the final bids or the requests), or
    None when the phase takes no submissions."""
    closing = tender_rules.CLOSES_AT.get(submission.commissioning.phase)
    if closing is None:
        return None
    # .all(): served from a prefetch of the commissioning's deadlines when the caller made one (lists of invitations)
    return next((d for d in submission.commissioning.deadlines.all() if d.kind == closing), None)


def consortium_change_errors(submission: Submission, now=None) -> list[str]:
    """The consortium, its commitments and declarations change only in a draft, before the deadline."""
    now = now or timezone.now()
    if submission.status != Submission.Status.DRAFT:
        return [_("The submission has been submitted: withdraw it first to change the consortium.")]
    deadline = submission_deadline(submission)
    if deadline is None:
        return [_("This phase of the procedure takes no submissions.")]
    if now >= deadline.at:
        return [_("The deadline has passed: the consortium can no longer change.")]
    return []


def add_participation_errors(submission, operator, ring: int, parent=None) -> list[str]:
    errors = []
    if ring not in (Ring.MEMBER, Ring.SUBCONTRACTOR, Ring.SUB_SUBCONTRACTOR):
        errors.append(_("Add a consortium member, a subcontractor or a subcontractor of a subcontractor."))
    if not operator_may_take_part(operator):
        errors.append(_("This organisation has not confirmed its e-mail address yet and cannot be invited."))
    if submission.participations.filter(operator=operator).exists():  # declined ones too: invited only once
        errors.append(_("This organisation has already been invited to this submission."))
    expected_parent_ring = PARENT_RING.get(ring)
    if expected_parent_ring is None and parent is not None:
        errors.append(_("Only a subcontractor of a subcontractor works for another participant."))
    if expected_parent_ring is not None and (
        parent is None
        or parent.submission_id != submission.pk
        or parent.ring != expected_parent_ring
        or parent.status == PS.DECLINED
    ):
        errors.append(_("Choose the subcontractor this organisation works for."))
    return errors


def may_decide_participation(user, participation: Participation) -> bool:
    """Only a member of the invited operator itself confirms or declines; never the lead on its behalf."""
    return participation.ring != Ring.LEAD and is_member(user, participation.operator)


def may_edit_consortium(user, submission: Submission) -> bool:
    """Any member of the lead operator builds the consortium."""
    return is_member(user, submission.lead)


def euros(value) -> str:
    """An amount for a message, with the active language's separators: 1000000 → "1.000.000,00" in Dutch."""
    return formats.number_format(Decimal(value), decimal_pos=2, use_l10n=True, force_grouping=True)


# --- commitments ------------------------------------------------------------------------------------------------


def annual_amount(commitment, lot) -> Decimal:
    """A commitment per year in euros: a share is converted with the lot's fixed budget per year."""
    if commitment.amount_per_year is not None:
        return Decimal(commitment.amount_per_year)
    return (Decimal(commitment.share_of_lot_budget) * lot.annual_budget / 100).quantize(Decimal("0.01"))


def commitment_errors(participation, *, amount_per_year, share_of_lot_budget, years, others=()) -> list[str]:
    """A commitment names an amount per year or a share (not both), for at most the commissioning's years; with
    the other commitments of the submission (`others`) it stays within the lot's fixed budget per year."""
    submission = participation.submission
    errors = []
    if participation.ring not in COMMITMENT_RINGS:
        errors.append(_("The lead records no commitment to itself."))
    if participation.status == PS.DECLINED:
        errors.append(_("This organisation declined to take part."))
    if (amount_per_year is None) == (share_of_lot_budget is None):
        errors.append(_("Give either an amount per year or a share of the lot budget."))
        return errors
    if amount_per_year is not None and amount_per_year <= 0:
        errors.append(_("The amount per year must be more than € 0."))
    if share_of_lot_budget is not None and not (0 < share_of_lot_budget <= 100):
        errors.append(_("A share of the lot budget is more than 0% and at most 100%."))
    total_years = submission.commissioning.total_years
    if not years or years < 1 or years > total_years:
        errors.append(_("The number of years is between 1 and %(n)s (the whole term).") % {"n": total_years})
    if errors or submission.lot is None:
        return errors

    @dataclass
    class _New:
        amount_per_year: Decimal | None
        share_of_lot_budget: Decimal | None

    lot = submission.lot
    total = sum((annual_amount(c, lot) for c in others), Decimal(0)) + annual_amount(
        _New(amount_per_year, share_of_lot_budget), lot
    )
    if total > lot.annual_budget:
        errors.append(
            _("Together the commitments (€ %(total)s per year) exceed the lot's fixed budget of € %(budget)s per year.")
            % {"total": euros(total), "budget": euros(lot.annual_budget)}
        )
    return errors


# --- self-declaration (UEA/ESPD) ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExclusionGround:
    code: str
    article: str  # of Directive 2014/24/EU
    mandatory: bool
    label: str


# Directive 2014/24/EU art. 57: (1) a–f mandatory (conviction by final judgment), (2) taxes and social security
# contributions (mandatory), (4) a–i optional grounds the contracting authority may apply (Aw 2.86–2.87).
EXCLUSION_GROUNDS = (
    ExclusionGround(
        "criminal_organisation", "57(1)(a)", True, gettext_lazy("Participation in a criminal organisation")
    ),
    ExclusionGround("corruption", "57(1)(b)", True, gettext_lazy("Corruption")),
    ExclusionGround("fraud", "57(1)(c)", True, gettext_lazy("Fraud")),
    ExclusionGround(
        "terrorism", "57(1)(d)", True, gettext_lazy("Terrorist offences or offences linked to terrorist activities")
    ),
    ExclusionGround("money_laundering", "57(1)(e)", True, gettext_lazy("Money laundering or terrorist financing")),
    ExclusionGround(
        "child_labour", "57(1)(f)", True, gettext_lazy("Child labour and other forms of trafficking in human beings")
    ),
    ExclusionGround(
        "taxes_social_security",
        "57(2)",
        True,
        gettext_lazy("Breach of obligations relating to the payment of taxes or social security contributions"),
    ),
    ExclusionGround(
        "environmental_social_labour_law",
        "57(4)(a)",
        False,
        gettext_lazy("Violation of obligations in the fields of environmental, social and labour law"),
    ),
    ExclusionGround(
        "bankruptcy",
        "57(4)(b)",
        False,
        gettext_lazy("Bankruptcy, insolvency, winding-up or an arrangement with creditors"),
    ),
    ExclusionGround("professional_misconduct", "57(4)(c)", False, gettext_lazy("Grave professional misconduct")),
    ExclusionGround(
        "distorting_agreements",
        "57(4)(d)",
        False,
        gettext_lazy("Agreements with other economic operators aimed at distorting competition"),
    ),
    ExclusionGround("conflict_of_interest", "57(4)(e)", False, gettext_lazy("Conflict of interest")),
    ExclusionGround(
        "prior_involvement",
        "57(4)(f)",
        False,
        gettext_lazy("Distortion of competition from prior involvement in preparing the procurement"),
    ),
    ExclusionGround(
        "prior_contract_deficiencies",
        "57(4)(g)",
        False,
        gettext_lazy("Significant or persistent deficiencies in the performance of a prior public contract"),
    ),
    ExclusionGround(
        "misrepresentation",
        "57(4)(h)",
        False,
        gettext_lazy("Serious misrepresentation in supplying the information required"),
    ),
    ExclusionGround(
        "undue_influence",
        "57(4)(i)",
        False,
        gettext_lazy("Undue influence on the decision-making or misleading information"),
    ),
)
EXCLUSION_CODES = tuple(g.code for g in EXCLUSION_GROUNDS)


def declaration_errors(answers: dict) -> list[str]:
    """Every ground answered yes or no; a yes needs an explanation (e.g. the measures taken, art. 57(6))."""
    errors = []
    unknown = set(answers) - set(EXCLUSION_CODES)
    if unknown:
        errors.append(_("Unknown exclusion grounds: %(codes)s.") % {"codes": ", ".join(sorted(unknown))})
    for ground in EXCLUSION_GROUNDS:
        answer = answers.get(ground.code)
        if not isinstance(answer, dict) or not isinstance(answer.get("applies"), bool):
            errors.append(_("Answer yes or no: %(ground)s.") % {"ground": ground.label})
        elif answer["applies"] and not str(answer.get("explanation", "")).strip():
            errors.append(_("Explain your answer: %(ground)s.") % {"ground": ground.label})
    return errors


def reliance_errors(participation, relied_on) -> list[str]:
    """Art. 63: a participant relies on the capacity of another participant of the same submission."""
    if relied_on.submission_id != participation.submission_id:
        return [_("Only the capacity of another participant in this submission can be relied on.")]
    if relied_on.pk == participation.pk:
        return [_("A participant cannot rely on its own capacity.")]
    if relied_on.status == PS.DECLINED:
        return [_("This organisation declined to take part.")]
    return []


# --- submitting -------------------------------------------------------------------------------------------------


def submission_blockers(submission: Submission, totals=None, participations=None) -> list[str]:
    """Why the consortium part of a submission cannot be submitted yet (Dutch messages), empty when it can.
    `totals`: selectors.commitments_of(submission), when already read; `participations`:
    selectors.participations_for_sealing(submission), when already read."""
    from .selectors import commitments_of  # noqa: PLC0415  (selectors import these rules)

    blockers = []
    read = participations
    if read is None:
        read = submission.participations.exclude(status=PS.DECLINED).select_related("operator", "declaration")
    active = sorted((p for p in read if p.status != PS.DECLINED), key=lambda p: (p.ring, p.pk))
    if not any(p.ring == Ring.LEAD for p in active):
        blockers.append(_("The submission has no lead."))
    if not operator_may_take_part(submission.lead):
        blockers.append(_("The lead has not confirmed its e-mail address yet."))
    for p in active:
        if p.status == PS.PENDING:
            blockers.append(_("%(operator)s has not confirmed its participation yet.") % {"operator": p.operator})
        if not hasattr(p, "declaration"):
            blockers.append(_("%(operator)s has not made its self-declaration yet.") % {"operator": p.operator})
    totals = totals or commitments_of(submission, participations)
    if totals.over_budget:
        blockers.append(
            _("Together the commitments (€ %(total)s per year) exceed the lot's fixed budget of € %(budget)s per year.")
            % {"total": euros(totals.total_per_year), "budget": euros(totals.lot_budget_per_year)}
        )
    return blockers
