"""Commissioning design and procedures: what a municipality asks for, in which lots, against which budget and
criteria, along which route and timeline. Around it, in modules of their own that this one imports (and so
registers and re-exports): the choices (tenders.choices), rectifications, clarifications, questions and info sessions
(tenders.communication_models), candidates and dialogue sessions (tenders.selection_models), cancellation notices
(tenders.notice_models) and the municipal procurement policy (tenders.policy).

Written only through tenders.services. Domain rules (transition tables, guards, thresholds) live in tenders.rules.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import Municipality, PurchasingOrganisation

from .choices import DistributionRule, Phase, Route, ServiceCategory, WmoPriceBasis
from .cpv import CPVCode

MONEY = {"max_digits": 14, "decimal_places": 2}


class Threshold(models.Model):
    """A European procurement threshold for municipalities, valid from a date (dated data, not a constant)."""

    category = models.CharField(_("service category"), max_length=16, choices=ServiceCategory.choices)
    amount = models.DecimalField(_("amount (excl. VAT)"), **MONEY)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=255, blank=True)

    class Meta:
        ordering = ["category", "-valid_from"]
        verbose_name = _("threshold")
        verbose_name_plural = _("thresholds")
        constraints = [models.UniqueConstraint(fields=["category", "valid_from"], name="threshold_unique_per_date")]

    def __str__(self) -> str:
        return f"{self.get_category_display()} ≥ € {self.amount} ({self.valid_from})"


class LibraryCriterion(models.Model):
    """A criterion from the library for the social base, with its anchored scale, to start a criterion set from."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    # {"0": "...", "25": "...", ...}: what a bid must show for each score level.
    anchors = models.JSONField(_("anchors"), default=dict)

    class Meta:
        ordering = ["title"]
        verbose_name = _("library criterion")
        verbose_name_plural = _("library criteria")

    def __str__(self) -> str:
        return self.title


class Commissioning(models.Model):
    """An "opdracht": commissioned by a municipality, or by a purchasing organisation for several municipalities."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="commissionings"
    )
    purchasing_organisation = models.ForeignKey(
        PurchasingOrganisation, on_delete=models.PROTECT, null=True, blank=True, related_name="commissionings"
    )
    title = models.CharField(_("title"), max_length=255)
    goals = models.TextField(_("goals in plain language"))
    route = models.CharField(_("route"), max_length=24, choices=Route.choices)
    phase = models.CharField(_("phase"), max_length=24, choices=Phase.choices, default=Phase.DRAFT)
    # The regime follows from the CPV codes (Annex XIV or not), never from a default (tenders/regime.py).
    main_cpv = models.ForeignKey(
        CPVCode, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("main CPV code")
    )
    additional_cpv = models.ManyToManyField(
        CPVCode, blank=True, related_name="+", verbose_name=_("additional CPV codes")
    )
    contract_start = models.DateField(_("contract start"), null=True, blank=True)
    term_years = models.PositiveSmallIntegerField(_("initial term (years)"), default=1)
    option_count = models.PositiveSmallIntegerField(_("number of options to extend"), default=0)
    option_years = models.PositiveSmallIntegerField(_("years per option"), default=1)
    # The anchored scale every criterion is scored on, e.g. [0, 25, 50, 75, 100] (absolute, never relative).
    scale = models.JSONField(_("score levels"), default=list)
    selection_criteria = models.TextField(_("selection criteria"), blank=True)
    max_candidates = models.PositiveSmallIntegerField(_("maximum number of candidates"), null=True, blank=True)
    max_dialogue_participants = models.PositiveSmallIntegerField(
        _("maximum number of participants in dialogue phase 2"), null=True, blank=True
    )
    # The selection method, announced before publication (Directive 2014/24/EU art. 65(2)): how the selection
    # criteria are scored, the minimum score to qualify, and (for every route) how ties are broken (ADR 0004).
    selection_scoring = models.TextField(_("how the selection criteria are scored"), blank=True)
    selection_minimum_score = models.PositiveSmallIntegerField(
        _("minimum score to qualify (0–100)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    tie_break = models.TextField(_("tie-break rule"), blank=True)
    # Competitive dialogue: a reduction of the participants between the dialogue phases only when announced
    # (Directive art. 66), and the grounds for choosing this procedure (Aw 2.28).
    dialogue_reduction = models.BooleanField(_("participants are reduced after dialogue phase 1"), default=False)
    dialogue_reduction_method = models.TextField(_("how the participants are reduced"), blank=True)
    procedure_grounds = models.TextField(_("grounds for choosing the competitive dialogue"), blank=True)
    lot_reasons = models.TextField(_("reasons for the division into lots, or for not dividing"), blank=True)
    # Grant rounds (Awb title 4.2): the ceiling is per year (the period it applies to, Awb 4:22), announced with the
    # distribution rule before that period (Awb 4:26, 4:27) on the basis of a subsidy regulation (Awb 4:23).
    grant_ceiling = models.DecimalField(_("subsidy ceiling per year (Awb 4:22)"), null=True, blank=True, **MONEY)
    distribution_rule = models.CharField(
        _("distribution rule (Awb 4:26)"),
        max_length=24,
        choices=DistributionRule.choices,
        default=DistributionRule.QUALITY_RANKING,
    )
    grant_ceiling_announced_on = models.DateField(
        _("ceiling and distribution rule announced on (Awb 4:26, 4:27)"), null=True, blank=True
    )
    grant_regulation = models.CharField(_("subsidy regulation (Awb 4:23)"), max_length=255, blank=True)
    grant_regulation_reference = models.CharField(
        _("where the subsidy regulation is published (link or Gemeenteblad number)"), max_length=500, blank=True
    )
    # Grant or public contract? The substance questions (tenders.grant_rules.assess_grant derives the assessment).
    grant_multi_year = models.BooleanField(_("does the grant run for several years?"), null=True, blank=True)
    grant_enforceable_obligations = models.BooleanField(
        _("are there enforceable obligations to deliver defined services?"), null=True, blank=True
    )
    grant_fixed_budget_for_defined_services = models.BooleanField(
        _("is a fixed budget paid for defined services?"), null=True, blank=True
    )
    grant_acquires_services = models.BooleanField(
        _("does the municipality acquire the services for itself (pays for performance)?"), null=True, blank=True
    )
    grant_assessment_reasons = models.TextField(_("reasons for these answers"), blank=True)
    grant_despite_reasons = models.TextField(
        _("why it is still a grant although the answers point to a public contract"), blank=True
    )
    wmo_services = models.BooleanField(_("Wmo services bought from third parties"), default=False)
    wmo_price_basis = models.CharField(
        _("price basis (Uitvoeringsbesluit Wmo 2015 art. 5.4)"),
        max_length=24,
        choices=WmoPriceBasis.choices,
        blank=True,
    )
    wmo_cost_price = models.TextField(_("cost price the price is based on (art. 5.4(3))"), blank=True)
    wmo_indexation = models.CharField(_("indexation of the price (art. 5.4(3)(e))"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    cancellation_reason = models.TextField(_("reason for cancelling"), blank=True)
    # The contract notice (services.record_notice): its TenderNed and TED identifiers and when it was dispatched.
    tenderned_notice_id = models.CharField(_("TenderNed publication number"), max_length=20, blank=True)
    ted_notice_id = models.CharField(_("TED notice number"), max_length=20, blank=True)
    notice_dispatched_at = models.DateTimeField(_("notice dispatched at"), null=True, blank=True)
    # The Publications Office's confirmation of receipt and TED's publication of the notice: under the European and
    # light regimes the portal publishes only after TED did, or 48 hours after the confirmation of receipt when TED
    # has not published it by then (Directive 2014/24/EU art. 52(1); tenders.regime.notice_errors).
    notice_receipt_confirmed_at = models.DateTimeField(_("notice receipt confirmed at"), null=True, blank=True)
    notice_published_at = models.DateTimeField(_("notice published on TED at"), null=True, blank=True)
    # Time limits (tenders.time_limits): the documents are freely and fully available electronically (else the EU
    # bid period is 5 days longer, Aw 2.72); an accelerated procedure (urgency, with reasons) shortens the EU periods
    # and the time between the last clarifications and the bid deadline (Aw 2.54(2)); a period shorter than the
    # European minimum under the light or national regime needs recorded reasons (proportionality, Aw 1.10).
    documents_electronically_available = models.BooleanField(
        _("tender documents fully and freely available electronically"), default=True
    )
    accelerated = models.BooleanField(_("accelerated procedure (urgency)"), default=False)
    accelerated_reasons = models.TextField(_("reasons for the urgency"), blank=True)
    short_period_reasons = models.TextField(_("reasons for periods shorter than the European minimum"), blank=True)
    framework_agreement = models.BooleanField(_("framework agreement"), default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("commissioning")
        verbose_name_plural = _("commissionings")
        constraints = [
            models.CheckConstraint(
                name="commissioning_owner_is_municipality_xor_purchasing_organisation",
                condition=(
                    models.Q(municipality__isnull=False, purchasing_organisation__isnull=True)
                    | models.Q(municipality__isnull=True, purchasing_organisation__isnull=False)
                ),
            ),
            models.CheckConstraint(name="commissioning_term_at_least_one_year", condition=models.Q(term_years__gte=1)),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    # Status flags for templates, so that no template compares phase strings.
    @property
    def is_cancelled(self) -> bool:
        return self.phase == Phase.CANCELLED

    @property
    def is_awarded(self) -> bool:
        return self.phase == Phase.AWARDED

    @property
    def owner(self):
        return self.municipality or self.purchasing_organisation

    def municipalities(self) -> list[Municipality]:
        if self.municipality_id:
            return [self.municipality]
        return list(self.purchasing_organisation.municipalities.all())

    @property
    def total_years(self) -> int:
        return self.term_years + self.option_count * self.option_years

    def procedure_rationale(self) -> str:
        """The recorded grounds for the procedure and for the lots (OCDS `tender.procurementMethodRationale`)."""
        parts = []
        if self.procedure_grounds.strip():
            parts.append(_("Choice of procedure: %(text)s") % {"text": self.procedure_grounds.strip()})
        if self.lot_reasons.strip():
            parts.append(_("Division into lots: %(text)s") % {"text": self.lot_reasons.strip()})
        return "\n\n".join(str(p) for p in parts)


class Lot(models.Model):
    """A lot ("perceel") with its scope taken from the landscape registry and a fixed budget per year."""

    commissioning = models.ForeignKey(Commissioning, on_delete=models.CASCADE, related_name="lots")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    annual_budget = models.DecimalField(_("fixed budget per year"), **MONEY)
    activities = models.ManyToManyField("landscape.Activity", blank=True, related_name="lots")
    districts = models.ManyToManyField("landscape.District", blank=True, related_name="lots")
    target_groups = models.ManyToManyField("landscape.TargetGroup", blank=True, related_name="lots")
    # Optional: without them the lot has the commissioning's CPV codes.
    main_cpv = models.ForeignKey(
        CPVCode, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("main CPV code")
    )
    additional_cpv = models.ManyToManyField(
        CPVCode, blank=True, related_name="+", verbose_name=_("additional CPV codes")
    )

    class Meta:
        ordering = ["commissioning", "number"]
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        constraints = [
            models.UniqueConstraint(fields=["commissioning", "number"], name="lot_unique_number"),
            models.CheckConstraint(name="lot_budget_positive", condition=models.Q(annual_budget__gt=0)),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def total_value(self) -> Decimal:
        """The fixed budget over the whole term including every option."""
        return self.annual_budget * self.commissioning.total_years


class ReservedBudgetLine(models.Model):
    """Money set apart outside the lots' contracts, e.g. for community self-organisations or a transition budget."""

    class Kind(models.TextChoices):
        SELF_ORGANISATIONS = "self_organisations", _("Community self-organisations")
        TRANSITION = "transition", _("Transition budget")
        OTHER = "other", _("Other")

    commissioning = models.ForeignKey(Commissioning, on_delete=models.CASCADE, related_name="reserved_lines")
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=500)
    annual_amount = models.DecimalField(_("amount per year"), **MONEY)
    years = models.PositiveSmallIntegerField(_("years"), default=1, validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["commissioning", "kind", "id"]
        verbose_name = _("reserved budget line")
        verbose_name_plural = _("reserved budget lines")
        constraints = [
            models.CheckConstraint(name="reserved_amount_positive", condition=models.Q(annual_amount__gt=0)),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def total(self) -> Decimal:
        return self.annual_amount * self.years


class Criterion(models.Model):
    """An award criterion with a weight (% of the total, or of its parent for a sub-criterion) and, for a criterion
    without sub-criteria, one written anchor per score level of the commissioning's scale."""

    commissioning = models.ForeignKey(Commissioning, on_delete=models.CASCADE, related_name="criteria")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children")
    library_item = models.ForeignKey(LibraryCriterion, on_delete=models.SET_NULL, null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    weight = models.DecimalField(
        _("weight (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )
    # Knock-out minimum: a bid whose consensus score on this criterion (without sub-criteria) is lower is excluded
    # from the ranking. A level of the commissioning's scale, or empty for no minimum.
    minimum_score = models.PositiveSmallIntegerField(
        _("minimum score"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )

    class Meta:
        ordering = ["commissioning", "parent_id", "position", "id"]
        verbose_name = _("award criterion")
        verbose_name_plural = _("award criteria")
        constraints = [
            models.CheckConstraint(
                name="criterion_weight_between_0_and_100", condition=models.Q(weight__gt=0, weight__lte=100)
            ),
        ]

    def __str__(self) -> str:
        return self.title


class LotKPI(models.Model):
    """A key performance indicator of a lot: what the contractor reports on, how it is measured, the target and how
    often. Published with the tender, frozen with it, and copied onto the contract at the definitive award."""

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")
        HALF_YEARLY = "half_yearly", _("Every six months")
        YEARLY = "yearly", _("Yearly")

    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="kpis")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=255)
    measurement = models.TextField(_("how it is measured"))
    target_value = models.DecimalField(_("target value"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=64)
    frequency = models.CharField(_("reporting frequency"), max_length=16, choices=Frequency.choices)

    class Meta:
        ordering = ["lot", "position", "id"]
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")
        constraints = [models.UniqueConstraint(fields=["lot", "name"], name="lot_kpi_unique_name")]

    def __str__(self) -> str:
        return self.name


class Anchor(models.Model):
    """What a bid must show to get `score` on a criterion (absolute anchored scale)."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="anchors")
    score = models.PositiveSmallIntegerField(_("score"), validators=[MaxValueValidator(100)])
    text = models.TextField(_("anchor"))

    class Meta:
        ordering = ["criterion", "score"]
        constraints = [models.UniqueConstraint(fields=["criterion", "score"], name="anchor_unique_score")]

    def __str__(self) -> str:
        return f"{self.score}: {self.text[:40]}"


class Deadline(models.Model):
    """A dated moment of the procedure (stored in UTC, shown in Europe/Amsterdam), enforced by the server clock."""

    class Kind(models.TextChoices):
        QUESTIONS = "questions", _("Deadline for questions")
        REQUESTS = "requests", _("Deadline for requests to participate")
        INVITATION_QUESTIONS = "invitation_questions", _("Deadline for questions of the invited candidates")
        DIALOGUE_1_QUESTIONS = "dialogue_1_questions", _("Deadline for questions in dialogue phase 1")
        DIALOGUE_1_SUBMISSIONS = "dialogue_1_submissions", _("Deadline for submitting solutions (dialogue phase 1)")
        DIALOGUE_2_QUESTIONS = "dialogue_2_questions", _("Deadline for questions in dialogue phase 2")
        BIDS = "bids", _("Deadline for bids")
        FINAL_BIDS = "final_bids", _("Deadline for final bids")
        APPLICATIONS = "applications", _("End of the application period")
        AWARD_PLANNED = "award_planned", _("Planned award decision")

    commissioning = models.ForeignKey(Commissioning, on_delete=models.CASCADE, related_name="deadlines")
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    at = models.DateTimeField(_("date and time"))

    class Meta:
        ordering = ["at"]
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        constraints = [models.UniqueConstraint(fields=["commissioning", "kind"], name="deadline_unique_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.at}"


class PhaseChange(models.Model):
    """The history of a commissioning's procedure: shown on the public timeline."""

    commissioning = models.ForeignKey(Commissioning, on_delete=models.CASCADE, related_name="phase_changes")
    from_phase = models.CharField(max_length=24, choices=Phase.choices)
    to_phase = models.CharField(max_length=24, choices=Phase.choices)
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_phase} → {self.to_phase}"


# The other models of tenders live in modules of their own, by topic (this one is long enough); importing them here
# registers them with the tenders app (in this order) and lets the rest of the code find them in tenders.models.
# isort: off
from .communication_models import Clarification, InfoSession, Question, Rectification  # noqa: E402, F401
from .selection_models import Candidate, DialogueSession  # noqa: E402, F401
from .notice_models import CancellationNotice  # noqa: E402, F401
from .policy import ProcurementPolicy  # noqa: E402, F401 (its own module; registered with the other models)
# isort: on
