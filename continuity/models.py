"""Commissioning scenarios for the current landscape, and transition plans (optimiser results).

A Scenario describes one possible future: which activity goes where ("moves"), under explicit assumptions whose
defaults are documented in docs/continuity.md. Its computed impact is stored as JSON so that pages, reports and the
API read one consistent set of figures. Written only through continuity.services.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import Municipality
from landscape.models import Activity, Organisation

MONEY = {"max_digits": 14, "decimal_places": 2}
PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class Outcome(models.TextChoices):
    """What happens to one activity in a scenario."""

    CONTINUES = "continues", _("Continues with the current organisation")
    TRANSFERS = "transfers", _("Moves to the winner of a lot")
    ENDS = "ends", _("Ends")


class Scenario(models.Model):
    class Kind(models.TextChoices):
        STATUS_QUO = "status_quo", _("Status quo (grants continue)")
        TENDER = "tender", _("Tender as designed")
        TENDER_SUBCONTRACTING = "tender_subcontracting", _("Tender with subcontracting to small organisations")
        BUNDLE_YEAR = "bundle_year", _("A year to bundle")
        AFTER_AWARD = "after_award", _("After award")

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="scenarios")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)

    # --- assumptions (defaults: Scenario.default_assumptions and docs/continuity.md) ---
    base_year = models.PositiveSmallIntegerField(_("base year (funding of this year)"))
    horizon_years = models.PositiveSmallIntegerField(
        _("horizon (years)"), default=10, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    recommissioning_interval_years = models.PositiveSmallIntegerField(
        _("re-commissioning every N years (0 = never)"), default=4, validators=[MaxValueValidator(30)]
    )
    winner_change_share = models.DecimalField(
        _("chance that a lot changes provider at re-commissioning (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("50"),
        validators=PERCENT,
    )
    unassigned_outcome = models.CharField(
        _("outcome for activities without a move"), max_length=20, choices=Outcome.choices
    )
    subcontracting_share = models.DecimalField(
        _("share of small organisations' moved work subcontracted back to them (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=PERCENT,
    )
    staff_takeover_share = models.DecimalField(
        _("share of affected paid staff a winner takes over (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("75"),
        validators=PERCENT,
    )
    start_delay_years = models.PositiveSmallIntegerField(
        _("years before the change takes effect"), default=0, validators=[MaxValueValidator(10)]
    )

    published = models.BooleanField(_("published"), default=False)
    impact = models.JSONField(_("computed impact"), default=dict, blank=True, editable=False)
    impact_computed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["municipality", "name"]
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="scenario_unique_name_per_municipality")
        ]

    def __str__(self) -> str:
        return self.name

    # Small organisations: the kinds that the subcontracting assumption applies to (documented in docs/continuity.md).
    SMALL_KINDS = (
        Organisation.Kind.VOLUNTEER_WITH_STAFF,
        Organisation.Kind.VOLUNTEER_ONLY,
        Organisation.Kind.SOCIAL_ENTERPRISE,
        Organisation.Kind.SELF_ORGANISATION,
    )

    @classmethod
    def default_assumptions(cls, kind: str) -> dict:
        """Documented defaults per kind (docs/continuity.md, "Assumptions"). Every one is editable."""
        tender_like = kind in (cls.Kind.TENDER, cls.Kind.TENDER_SUBCONTRACTING, cls.Kind.AFTER_AWARD)
        return {
            "horizon_years": 10,
            "recommissioning_interval_years": 4 if tender_like else 0,
            "winner_change_share": Decimal("50"),
            "unassigned_outcome": Outcome.ENDS if tender_like else Outcome.CONTINUES,
            "subcontracting_share": Decimal("15") if kind == cls.Kind.TENDER_SUBCONTRACTING else Decimal("0"),
            "staff_takeover_share": Decimal("75"),
            "start_delay_years": 1 if kind == cls.Kind.BUNDLE_YEAR else 0,
        }

    ASSUMPTION_FIELDS = (
        "base_year",
        "horizon_years",
        "recommissioning_interval_years",
        "winner_change_share",
        "unassigned_outcome",
        "subcontracting_share",
        "staff_takeover_share",
        "start_delay_years",
    )

    def assumptions(self) -> dict:
        return {f: getattr(self, f) for f in self.ASSUMPTION_FIELDS}


class Move(models.Model):
    """One activity's fate in a scenario: it continues, moves to a lot's winner, or ends."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="moves")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="continuity_moves")
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    lot = models.CharField(_("lot"), max_length=200, blank=True)
    winner = models.CharField(_("winner (lead contractor or consortium)"), max_length=255, blank=True)

    class Meta:
        ordering = ["scenario", "activity"]
        verbose_name = _("move")
        verbose_name_plural = _("moves")
        constraints = [
            models.UniqueConstraint(fields=["scenario", "activity"], name="move_unique_activity_per_scenario"),
            models.CheckConstraint(
                name="move_transfer_names_winner", condition=~models.Q(outcome="transfers") | ~models.Q(winner="")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} → {self.get_outcome_display()}"


class LotBudget(models.Model):
    """The budget per year of one lot of a scenario (by the lot's name in its moves): what the municipality pays for
    the activities in that lot afterwards. A lot without one is budget-neutral (its current grants)."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="lot_budgets")
    lot = models.CharField(_("lot"), max_length=200)
    annual_budget = models.DecimalField(_("budget per year (€)"), validators=[MinValueValidator(0)], **MONEY)

    class Meta:
        ordering = ["scenario", "lot"]
        verbose_name = _("lot budget")
        verbose_name_plural = _("lot budgets")
        constraints = [
            models.UniqueConstraint(fields=["scenario", "lot"], name="lot_budget_unique_lot_per_scenario"),
            models.CheckConstraint(name="lot_budget_not_negative", condition=models.Q(annual_budget__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.lot}: {self.annual_budget}"


class TransitionPlan(models.Model):
    """An optimised allocation of a transition budget over the activities a scenario puts at risk."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="transition_plans")
    name = models.CharField(_("name"), max_length=200)
    budget = models.DecimalField(_("transition budget (€)"), validators=[MinValueValidator(0)], **MONEY)
    bridging_months = models.PositiveSmallIntegerField(
        _("bridging period (months)"), default=12, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    weight_reach = models.PositiveSmallIntegerField(_("weight: participants reached"), default=3)
    weight_volunteers = models.PositiveSmallIntegerField(_("weight: volunteer hours"), default=3)
    weight_co_funding = models.PositiveSmallIntegerField(_("weight: co-funding retained"), default=2)
    weight_prevention = models.PositiveSmallIntegerField(_("weight: preventive activities"), default=2)
    weight_coverage = models.PositiveSmallIntegerField(_("weight: district coverage"), default=4)
    max_per_organisation = models.DecimalField(
        _("maximum per organisation (€, empty = no maximum)"), null=True, blank=True, **MONEY
    )
    partial_funding = models.BooleanField(_("partial funding allowed"), default=True)
    result = models.JSONField(default=dict, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("transition plan")
        verbose_name_plural = _("transition plans")

    def __str__(self) -> str:
        return self.name

    def weights(self) -> dict:
        return {
            "reach": self.weight_reach,
            "volunteers": self.weight_volunteers,
            "co_funding": self.weight_co_funding,
            "prevention": self.weight_prevention,
            "coverage": self.weight_coverage,
        }
