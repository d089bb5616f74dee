"""The legal regime of a commissioning, derived from data: its CPV codes (Annex XIV of Directive 2014/24/EU or not),
its estimated value (all lots over the whole term including options, excl. VAT; Aw 2.15(2), Directive art. 5(1)) and the
European threshold in force on the day the contract notice is dispatched (Europe/Amsterdam date; the estimate is
valid at the moment the call for competition is sent, Directive art. 5(4); before the dispatch: today).
And the rules that follow from it for the notice: under the European and the light regime the portal's own
publication and the OCDS release may not precede TED's publication of the notice, or 48 hours after the confirmation
of its receipt when TED has not published it by then (Directive 2014/24/EU art. 52(1)).

Reads only. `tenders.rules.check_threshold(c, on)` is the entry point the other rules use; it answers the grant
route itself and asks `procurement_check` here for everything else."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Route, ServiceCategory, Threshold

REGIME_GRANT = "grant"
REGIME_LIGHT = "light"
REGIME_EUROPEAN = "european"
REGIME_NATIONAL = "national"

REGIME_LABELS = {
    REGIME_GRANT: gettext_lazy("Grant round (Awb title 4.2), no procurement regime"),
    REGIME_LIGHT: gettext_lazy("Light regime for social and other specific services (Aw 2.38–2.39)"),
    REGIME_EUROPEAN: gettext_lazy("European procedure for services (Aw part 2)"),
    REGIME_NATIONAL: gettext_lazy(
        "Below the European threshold: Aw part 1 (art. 1.4, 1.5, 1.10; Gids Proportionaliteit)"
    ),
}

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

# The regimes under which a contract notice is published on TenderNed/TED before anything else (art. 52).
NOTICE_REGIMES = frozenset({REGIME_EUROPEAN, REGIME_LIGHT})


@dataclass
class ThresholdCheck:
    estimated_value: Decimal
    threshold: Threshold | None
    regime: str
    above: bool
    explanation: str
    requirements: list[str]
    on: date | None = None  # the date whose thresholds were applied
    warnings: list[str] = field(default_factory=list)  # shown on the page and in the check


# --- Estimated value and CPV codes --------------------------------------------------------------------------------
def estimated_value(commissioning) -> Decimal:
    """Aw 2.15(2): the estimated value is the total over the whole term including every option (excl. VAT)."""
    per_year = sum((lot.annual_budget for lot in commissioning.lots.all()), Decimal("0"))
    return per_year * commissioning.total_years


def _lot_main_cpv(lot):
    """A lot's main CPV code: its own, or else the commissioning's."""
    return lot.main_cpv or lot.commissioning.main_cpv


def social_services(commissioning) -> bool | None:
    """Whether the commissioning is a contract for social and other specific services (Annex XIV): decided by its
    main CPV code; when lots carry main CPV codes of both kinds, by the larger estimated value (Directive 2014/24/EU
    art. 3(2), second subparagraph). None when no main CPV code is recorded: then nothing is assumed."""
    if commissioning.main_cpv is None:
        return None
    lots = list(commissioning.lots.select_related("main_cpv"))
    codes = [_lot_main_cpv(lot) for lot in lots]
    if not lots or all(code.annex_xiv == commissioning.main_cpv.annex_xiv for code in codes):
        return commissioning.main_cpv.annex_xiv
    social = sum((lot.annual_budget for lot, code in zip(lots, codes, strict=True) if code.annex_xiv), Decimal(0))
    other = sum((lot.annual_budget for lot, code in zip(lots, codes, strict=True) if not code.annex_xiv), Decimal(0))
    return social > other


def cpv_errors(commissioning) -> list[str]:
    """A procurement route is classified before publication: the notice and the regime need the main CPV code."""
    if commissioning.route != Route.GRANT_ROUND and commissioning.main_cpv is None:
        return [_("Record the main CPV code: the regime and the notice depend on it.")]
    return []


# --- Thresholds on a date -----------------------------------------------------------------------------------------
def threshold_on(category: str, on: date) -> Threshold | None:
    """The threshold for `category` in force on `on`, or None when none is known for that date."""
    return (
        Threshold.objects.filter(category=category, valid_from__lte=on)
        .exclude(valid_until__lt=on)
        .order_by("-valid_from")
        .first()
    )


def dispatch_moment(commissioning, now=None) -> datetime:
    """The one moment the procedure's time limits count from and whose date decides the thresholds: the recorded
    dispatch of the contract notice (the minimum periods run from the day the notice was sent: Directive 2014/24/EU
    art. 27(1), 28(1), 30(1); Aw 2.71 ff.); without a recorded dispatch the publication here; before either, `now`
    (or the server clock)."""
    return commissioning.notice_dispatched_at or commissioning.published_at or now or timezone.now()


def regime_date(commissioning, now=None) -> date:
    """The day whose thresholds apply (Directive art. 5(4)): the Amsterdam date of `dispatch_moment`."""
    return dispatch_moment(commissioning, now).astimezone(AMSTERDAM).date()


def _social(value, threshold, warnings, on) -> "ThresholdCheck":
    if threshold is not None and value >= threshold.amount:
        requirements = [
            _("Announce the contract with a contract notice or prior information notice (Aw 2.39)."),
            _("Publish an award notice after the award (Aw 2.39)."),
            _(
                "Observe equal treatment, transparency and proportionality; a standstill period of 20 "
                "calendar days before the contract is signed (Aw 2.127)."
            ),
        ]
        explanation = _("The estimated value is at or above the threshold for social and other specific services.")
        return ThresholdCheck(value, threshold, REGIME_LIGHT, True, explanation, requirements, on, warnings)
    return _national(value, threshold, warnings, on)


def _general(value, threshold, warnings, on) -> "ThresholdCheck":
    if threshold is not None and value >= threshold.amount:
        requirements = [
            _("Use a European procedure with a contract notice on TenderNed/TED (Aw 2.26–2.32)."),
            _("Observe the minimum time limits (Aw 2.71 ff.) and a standstill period of 20 calendar days (Aw 2.127)."),
        ]
        explanation = _("The estimated value is at or above the European threshold for services.")
        return ThresholdCheck(value, threshold, REGIME_EUROPEAN, True, explanation, requirements, on, warnings)
    return _national(value, threshold, warnings, on)


def _national(value, threshold, warnings, on) -> "ThresholdCheck":
    requirements = [
        _("Follow the municipal procurement policy and the principle of proportionality (Aw 1.10)."),
        _("A standstill period is not required but advisable."),
    ]
    explanation = _("The estimated value is below the European threshold.")
    return ThresholdCheck(value, threshold, REGIME_NATIONAL, False, explanation, requirements, on, warnings)


def procurement_check(commissioning, value: Decimal, on: date) -> ThresholdCheck:
    """The regime of a procurement route on `on`: light when the CPV codes are social services (Annex XIV) and the
    value reaches that threshold, European when other services reach theirs, national below. Without a main CPV
    code the stricter threshold for services in general is applied, and the check says so."""
    warnings = []
    social = social_services(commissioning)
    if social is None:
        warnings.append(
            _(
                "No main CPV code is recorded: the threshold for services in general is applied. Only a main CPV "
                "code in Annex XIV of Directive 2014/24/EU makes the light regime apply."
            )
        )
    category = ServiceCategory.SOCIAL if social else ServiceCategory.GENERAL
    threshold = threshold_on(category, on)
    if threshold is None:
        threshold = Threshold.objects.filter(category=category).order_by("-valid_from").first()
        if threshold is not None:
            warnings.append(
                _(
                    "No European threshold is known for %(date)s; the most recent one (valid from %(from)s) is "
                    "applied. Check the thresholds in force on that date."
                )
                % {"date": date_format(on, "j F Y"), "from": date_format(threshold.valid_from, "j F Y")}
            )
    return (_social if social else _general)(value, threshold, warnings, on)


# --- The notice (Directive 2014/24/EU art. 52) --------------------------------------------------------------------
def notice_required(check: ThresholdCheck) -> bool:
    """A contract notice on TenderNed/TED is required under the European and the light regime."""
    return check.regime in NOTICE_REGIMES


# Art. 52(1): publication at national level may in any event take place when the authority has not been notified of
# TED's publication within 48 hours after the confirmation of the receipt of the notice (hours, not calendar days).
NOTICE_RECEIPT_WAIT = timedelta(hours=48)


def national_publication_from(commissioning) -> datetime | None:
    """The first moment the portal may publish under art. 52(1), from what is recorded: TED's publication of the
    notice, or 48 hours after the Publications Office confirmed its receipt, whichever comes first; None while
    neither is recorded."""
    moments = []
    if commissioning.notice_published_at is not None:
        moments.append(commissioning.notice_published_at)
    if commissioning.notice_receipt_confirmed_at is not None:
        moments.append(commissioning.notice_receipt_confirmed_at + NOTICE_RECEIPT_WAIT)
    return min(moments) if moments else None


def _amsterdam_moment(moment: datetime) -> str:
    """A moment as the page shows it: Europe/Amsterdam, e.g. 3 March 2027, 14:00."""
    return date_format(timezone.localtime(moment, AMSTERDAM), "j F Y, H:i")


def notice_errors(commissioning, check: ThresholdCheck, now) -> list[str]:
    """Under the European and light regimes the portal's own publication (and with it the OCDS release and every
    public page of the procedure) may not precede the publication of the notice by TED (Directive 2014/24/EU
    art. 52(1)): publishing needs a recorded dispatch, and then a recorded publication on TED at or before `now`, or
    a recorded confirmation of receipt at least 48 hours before `now` (the authority was not notified of a
    publication within 48 hours). Under the national regime and for grants no notice is required here."""
    if not notice_required(check):
        return []
    c = commissioning
    dispatched = c.notice_dispatched_at
    if dispatched is None:
        return [
            _(
                "Record the dispatch of the contract notice to TenderNed/TED first: under this regime the "
                "commissioning may not be published here before the notice is dispatched (Directive 2014/24/EU "
                "art. 52)."
            )
        ]
    if dispatched > now:
        return [_("The notice is dispatched after this moment; publish once it has been dispatched (art. 52).")]
    allowed_from = national_publication_from(c)
    if allowed_from is not None and allowed_from <= now:
        return []
    if c.notice_receipt_confirmed_at is None and c.notice_published_at is None:
        return [
            _(
                "Record when TED published the contract notice, or when the Publications Office confirmed its "
                "receipt: under this regime the commissioning may be published here only after TED has published "
                "the notice, or 48 hours after the confirmation of receipt if TED has not published it by then "
                "(Directive 2014/24/EU art. 52(1))."
            )
        ]
    if c.notice_receipt_confirmed_at is None:
        return [
            _(
                "TED published the contract notice on %(at)s: the commissioning may be published here from that moment "
                "(Directive 2014/24/EU art. 52(1))."
            )
            % {"at": _amsterdam_moment(allowed_from)}
        ]
    return [
        _(
            "TED has not published the contract notice yet (no publication recorded): the commissioning may be "
            "published here once TED has published it and that is recorded, or from %(at)s, 48 hours after the "
            "Publications Office confirmed its receipt (Directive 2014/24/EU art. 52(1))."
        )
        % {"at": _amsterdam_moment(c.notice_receipt_confirmed_at + NOTICE_RECEIPT_WAIT)}
    ]


def corrigendum_required(commissioning, before: ThresholdCheck, after: ThresholdCheck) -> bool:
    """A change after publication (a lot's CPV codes or budget) that moves the procedure into another regime while a
    contract notice was dispatched leaves that notice on TenderNed/TED stating what no longer applies (regime, CPV
    codes, periods): a corrigendum notice must be sent there (Directive 2014/24/EU art. 51(1), the standard forms
    include forms for corrigenda). The rectification records it; the officer sends the corrigendum on TenderNed."""
    return commissioning.notice_dispatched_at is not None and before.regime != after.regime


def regime_change_errors(commissioning, before: ThresholdCheck, after: ThresholdCheck) -> list[str]:
    """A change after publication (a lot's CPV codes or budget) that brings the procedure under a regime requiring a
    contract notice, while none was dispatched, cannot be made by rectification: the procedure was never announced as
    that regime requires (Directive 2014/24/EU art. 49 and 52, for the light regime art. 75), so it is cancelled and
    published anew."""
    if not notice_required(after) or notice_required(before) or commissioning.notice_dispatched_at is not None:
        return []
    return [
        _(
            "With this change the procedure falls under the regime “%(regime)s”, which requires a contract notice on "
            "TenderNed/TED before publication (Directive 2014/24/EU art. 52), and no notice was dispatched for it. "
            "This cannot be corrected by a rectification: cancel the procedure and publish it anew with a notice."
        )
        % {"regime": REGIME_LABELS[after.regime]}
    ]
