"""Rules of the grant route (Awb title 4.2), of the notices a cancellation produces, and of the price of Wmo services.
Reads only: tenders.rules.publish_errors and check_threshold call them, the cancel service asks who gets a decision.

- Grant or public contract: the substance decides, not the label. A public contract is a contract for pecuniary
  interest under which the municipality acquires services, with an enforceable obligation to perform them (Directive
  2014/24/EU art. 2(1)(5); Aw 1.1; CJEU C-451/08 Helmut Müller). The design answers four questions with reasons;
  `assess_grant` derives what they point to, and a round whose answers point to a public contract is published only
  with recorded reasons why it is still a grant.
- The subsidy ceiling is the amount available in a period (Awb 4:22): here per year, checked against the lots' budget
  per year; it is announced before the period with its distribution rule (Awb 4:27(1), 4:26(2)), and a subsidy
  rests on a subsidy regulation (Awb 4:23(1)); a subsidy beyond the ceiling is refused (Awb 4:25(2)).
- Cancelling a grant round decides on every application: a decision (beschikking) with reasons (Awb 3:46) and an
  objection clause (Awb 3:45): objection within six weeks (Awb 6:7), starting the day after it was sent (Awb 6:8),
  before any appeal (Awb 7:1); a term ending on a weekend day or holiday runs to the next working day (Algemene
  termijnenwet art. 1).
- Wmo services bought from third parties have a price set on a cost-price basis with indexation (Uitvoeringsbesluit
  Wmo 2015 art. 5.4).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from core.termijnen import extended_to_working_day

from .models import Route

# Awb 6:7: the term for objection is six weeks; Awb 6:8(1): it starts the day after the decision was sent.
OBJECTION_WEEKS = 6

# The substance questions, in the order the design asks them.
SUBSTANCE_FIELDS = (
    "grant_multi_year",
    "grant_enforceable_obligations",
    "grant_fixed_budget_for_defined_services",
    "grant_acquires_services",
)


@dataclass(frozen=True)
class GrantAssessment:
    answered: bool
    points_to_public_contract: bool
    indicators: tuple[str, ...]  # the questions answered "yes" (each points towards a public contract)
    explanation: str


def assess_grant(commissioning) -> GrantAssessment:
    """What the recorded answers point to. Enforceable obligations to deliver services that the municipality
    acquires for itself or pays a fixed budget for make a public contract; multi-year funding alone does not."""
    c = commissioning
    answers = {field: getattr(c, field) for field in SUBSTANCE_FIELDS}
    indicators = tuple(str(c._meta.get_field(f).verbose_name) for f, yes in answers.items() if yes)
    if any(answer is None for answer in answers.values()):
        return GrantAssessment(
            False, False, indicators, _("Grant or public contract: the substance questions are not all answered yet.")
        )
    contract = c.grant_enforceable_obligations and (
        c.grant_acquires_services or c.grant_fixed_budget_for_defined_services
    )
    if contract:
        explanation = _(
            "The recorded answers point to a public contract (enforceable obligations to deliver services the "
            "municipality acquires or pays a fixed budget for). Recorded reasons why it is still a grant: %(reasons)s"
        ) % {"reasons": c.grant_despite_reasons.strip() or _("none")}
    elif indicators:
        explanation = _(
            "The recorded answers point to a grant: no enforceable obligation to deliver services the municipality "
            "acquires. Reasons: %(reasons)s"
        ) % {"reasons": c.grant_assessment_reasons.strip() or _("none")}
    else:
        explanation = _("The recorded answers point to a grant. Reasons: %(reasons)s") % {
            "reasons": c.grant_assessment_reasons.strip() or _("none")
        }
    return GrantAssessment(True, bool(contract), indicators, explanation)


def assessment_errors(commissioning) -> list[str]:
    """Publishing a grant round needs every substance question answered with reasons, and, when the answers point
    to a public contract, the reasons why it is still a grant (Directive 2014/24/EU art. 2(1)(5); Aw 1.1)."""
    c = commissioning
    assessment = assess_grant(c)
    errors = []
    if not assessment.answered:
        errors.append(_("Answer every question on grant or public contract."))
    if not c.grant_assessment_reasons.strip():
        errors.append(_("Give the reasons for the answers on grant or public contract."))
    if assessment.points_to_public_contract and not c.grant_despite_reasons.strip():
        errors.append(
            _("The answers point to a public contract: publish it as a tender, or explain why it is still a grant.")
        )
    return errors


def annual_budget(commissioning) -> Decimal:
    """The lots' budget per year: what the ceiling per year is compared with."""
    return sum((lot.annual_budget for lot in commissioning.lots.all()), Decimal("0"))


def _euro(amount: Decimal) -> str:
    """€ 1.000.000,00: the amount as a Dutch reader writes it."""
    return "€ " + f"{amount:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def ceiling_errors(commissioning) -> list[str]:
    """Awb 4:22 and 4:25(2): the ceiling is the amount available per period (here: per year); the lots' budget of a
    year may not exceed it. A multi-year total is not compared with it."""
    c = commissioning
    if not c.grant_ceiling:
        return [_("Set the subsidy ceiling per year (Awb 4:22).")]
    per_year = annual_budget(c)
    if per_year > c.grant_ceiling:
        return [
            _("The lots' budgets per year (%(budget)s) exceed the subsidy ceiling per year (%(ceiling)s).")
            % {"budget": _euro(per_year), "ceiling": _euro(c.grant_ceiling)}
        ]
    return []


def announcement_errors(commissioning, now=None) -> list[str]:
    """Awb 4:27(1) and 4:26(2): the ceiling, with its distribution rule, is announced before the period it applies
    to starts (the first subsidy year, `contract_start`), and before the applications open (at publication; a later
    announcement does not bind applications made before it, Awb 4:27(2))."""
    c = commissioning
    today = timezone.localdate(now or timezone.now())
    errors = []
    if c.contract_start is None:
        errors.append(_("Set the start of the subsidy period (the contract start)."))
    announced = c.grant_ceiling_announced_on
    if announced is None:
        errors.append(_("Record when the subsidy ceiling and the distribution rule were announced (Awb 4:26, 4:27)."))
        return errors
    if c.contract_start is not None and announced >= c.contract_start:
        errors.append(
            _(
                "The subsidy ceiling and the distribution rule are announced before the subsidy period starts "
                "(Awb 4:27)."
            )
        )
    if announced > today:
        errors.append(
            _("Announce the subsidy ceiling and the distribution rule before the application period opens (Awb 4:27).")
        )
    return errors


def legal_basis_errors(commissioning) -> list[str]:
    """Awb 4:23(1): a subsidy rests on a regulation (subsidieregeling), named and findable."""
    c = commissioning
    errors = []
    if not c.grant_regulation.strip():
        errors.append(_("Name the subsidy regulation the grant round rests on (Awb 4:23)."))
    if not c.grant_regulation_reference.strip():
        errors.append(_("Say where the subsidy regulation is published: a link or the Gemeenteblad number."))
    return errors


def grant_publish_errors(commissioning, now=None) -> list[str]:
    """Everything the grant route requires before publication; empty for the other routes."""
    if commissioning.route != Route.GRANT_ROUND:
        return []
    return (
        assessment_errors(commissioning)
        + ceiling_errors(commissioning)
        + announcement_errors(commissioning, now)
        + legal_basis_errors(commissioning)
    )


def wmo_price_errors(commissioning) -> list[str]:
    """Uitvoeringsbesluit Wmo 2015 art. 5.4: the price of Wmo services bought from a third party is a fixed price or
    a real price as a lower limit, based on the cost price, including its indexation."""
    c = commissioning
    if not c.wmo_services:
        return []
    errors = []
    if not c.wmo_price_basis:
        errors.append(_("Wmo services: choose the price basis (Uitvoeringsbesluit Wmo 2015 art. 5.4)."))
    if not c.wmo_cost_price.strip():
        errors.append(_("Wmo services: describe the cost price the price is based on (art. 5.4(3))."))
    if not c.wmo_indexation.strip():
        errors.append(_("Wmo services: state how the price is indexed (art. 5.4(3)(e))."))
    return errors


def grant_threshold_texts(commissioning) -> tuple[str, list[str]]:
    """The explanation and requirements tenders.rules.check_threshold shows for a grant round: the recorded
    assessment (not a flat "not a public contract") and the Awb's requirements with their articles."""
    return assess_grant(commissioning).explanation, [
        _("Base the grant round on a subsidy regulation (Awb 4:23)."),
        _("The subsidy ceiling applies per year; the lots' budgets per year stay within it (Awb 4:22, 4:25)."),
        _("Announce the subsidy ceiling with its distribution rule before the period starts (Awb 4:26, 4:27)."),
        _("Distribute as announced; decide on all applications together."),
    ]


def cancellation_is_decision(commissioning) -> bool:
    """In a grant round the cancellation decides on each application: a decision open to objection (Awb 1:3, 3:45)."""
    return commissioning.route == Route.GRANT_ROUND


def objection_deadline(sent_on: date) -> date:
    """The last day to object to a decision sent on `sent_on`: six weeks from the next day (Awb 6:7, 6:8(1)), to the
    next working day when that is a Saturday, Sunday or holiday (Algemene termijnenwet art. 1)."""
    return extended_to_working_day(sent_on + timedelta(weeks=OBJECTION_WEEKS))
