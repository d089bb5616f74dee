"""Contracts: the record a definitive award creates — parties, lot, budget, term and options, the consortium and
every subcontract commitment exactly as promised in the bid, and the lot's KPIs as published. Monitoring (reports
against the KPIs: KPIMeasurement) builds on it.
Written only through contracts.services."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 14, "decimal_places": 2}


class Contract(models.Model):
    award = models.OneToOneField("evaluation.AwardDecision", on_delete=models.PROTECT, related_name="contract")
    commissioning = models.ForeignKey("tenders.Commissioning", on_delete=models.PROTECT, related_name="contracts")
    lot = models.OneToOneField("tenders.Lot", on_delete=models.PROTECT, related_name="contract")
    submission = models.ForeignKey("bids.Submission", on_delete=models.PROTECT, related_name="+")
    supplier_name = models.CharField(_("contractor"), max_length=255)
    annual_budget = models.DecimalField(_("budget per year"), **MONEY)
    contract_start = models.DateField(_("start"), null=True, blank=True)
    term_years = models.PositiveSmallIntegerField(_("initial term (years)"))
    option_count = models.PositiveSmallIntegerField(_("number of options to extend"))
    option_years = models.PositiveSmallIntegerField(_("years per option"))
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["commissioning", "lot__number"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")

    def __str__(self) -> str:
        return f"{self.lot} – {self.supplier_name}"

    @property
    def total_years(self) -> int:
        return self.term_years + self.option_count * self.option_years


class ContractParty(models.Model):
    """A party to the contract as in the bid: the lead (ring 0), consortium members (1), subcontractors (2, 3)."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="parties")
    operator = models.ForeignKey("bids.EconomicOperator", on_delete=models.PROTECT, related_name="+")
    ring = models.PositiveSmallIntegerField(_("ring"))
    role = models.CharField(_("role"), max_length=255, blank=True)

    class Meta:
        ordering = ["contract", "ring", "id"]

    def __str__(self) -> str:
        return f"{self.operator} ({self.ring})"


class ContractCommitment(models.Model):
    """A subcontract commitment copied from the bid: what monitoring will hold the contractor to."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="commitments")
    operator = models.ForeignKey("bids.EconomicOperator", on_delete=models.PROTECT, related_name="+")
    amount_per_year = models.DecimalField(_("amount per year"), **MONEY)
    share_of_lot_budget = models.DecimalField(
        _("share of the lot budget (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    years = models.PositiveSmallIntegerField(_("years"))
    activities = models.ManyToManyField("landscape.Activity", blank=True, related_name="+")
    districts = models.ManyToManyField("landscape.District", blank=True, related_name="+")
    continues_activity = models.ForeignKey(
        "landscape.Activity", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    description = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.operator}: € {self.amount_per_year}/jaar × {self.years}"


class ContractKPI(models.Model):
    """A KPI of the lot as published in the tender (tenders.LotKPI), copied at the definitive award: what the
    contractor reports on, how it is measured, the target and how often. Plain rows, so that monitoring can attach
    its measurements to them."""

    class Frequency(models.TextChoices):  # the values of tenders.LotKPI.Frequency, kept with the contract
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")
        HALF_YEARLY = "half_yearly", _("Every six months")
        YEARLY = "yearly", _("Yearly")

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="kpis")
    source = models.ForeignKey("tenders.LotKPI", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=255)
    measurement = models.TextField(_("how it is measured"))
    target_value = models.DecimalField(_("target value"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=64)
    frequency = models.CharField(_("reporting frequency"), max_length=16, choices=Frequency.choices)

    class Meta:
        ordering = ["contract", "position", "id"]
        verbose_name = _("contract KPI")
        verbose_name_plural = _("contract KPIs")
        constraints = [models.UniqueConstraint(fields=["contract", "name"], name="contract_kpi_unique_name")]

    def __str__(self) -> str:
        return self.name


class KPIMeasurement(models.Model):
    """What the contractor reports for one KPI over one reporting period (contracts.periods). One row per KPI and
    period; a correction overwrites it, and the audit log keeps the value it replaced."""

    kpi = models.ForeignKey(ContractKPI, on_delete=models.CASCADE, related_name="measurements")
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    explanation = models.TextField(_("explanation"), blank=True)
    reported_at = models.DateTimeField()
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    corrected = models.BooleanField(default=False)

    class Meta:
        ordering = ["kpi", "period_start"]
        verbose_name = _("KPI measurement")
        verbose_name_plural = _("KPI measurements")
        constraints = [models.UniqueConstraint(fields=["kpi", "period_start"], name="kpi_measurement_one_per_period")]

    def __str__(self) -> str:
        return f"{self.kpi}: {self.value} ({self.period_start}–{self.period_end})"


class CommitmentPayment(models.Model):
    """What the contractor says it paid a subcontractor under a commitment in one contract year, and the
    subcontractor's answer: confirmed, or disputed with its reason. A correction by the contractor clears the answer
    (the subcontractor answers again); the audit log keeps every version."""

    commitment = models.ForeignKey(ContractCommitment, on_delete=models.CASCADE, related_name="payments")
    year = models.PositiveSmallIntegerField(_("contract year"))
    amount_paid = models.DecimalField(_("amount paid"), **MONEY)
    note = models.TextField(_("explanation"), blank=True)
    reported_at = models.DateTimeField()
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    disputed = models.BooleanField(default=False)
    dispute_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["commitment", "year"]
        verbose_name = _("subcontract payment")
        verbose_name_plural = _("subcontract payments")
        constraints = [models.UniqueConstraint(fields=["commitment", "year"], name="commitment_payment_one_per_year")]

    def __str__(self) -> str:
        return f"{self.commitment.operator}: {self.amount_paid} (jaar {self.year})"


class ProcurementReport(models.Model):
    """The written report on the award of a lot (Directive 2014/24/EU art. 84), a Dutch PDF: made when the award
    becomes definitive, or on demand by the procurement officer; every version is kept. Read by the procurement
    officer and auditors only."""

    class Trigger(models.TextChoices):
        DEFINITIVE = "definitive", _("definitive award")
        ON_DEMAND = "on_demand", _("on demand")

    decision = models.ForeignKey("evaluation.AwardDecision", on_delete=models.PROTECT, related_name="reports")
    lot = models.ForeignKey("tenders.Lot", on_delete=models.PROTECT, related_name="procurement_reports")
    trigger = models.CharField(_("made at"), max_length=12, choices=Trigger.choices)
    pdf = models.FileField(upload_to="contracts/reports/")
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["lot", "-created_at", "-id"]
        verbose_name = _("procurement report")
        verbose_name_plural = _("procurement reports")

    def __str__(self) -> str:
        return f"{self.lot} ({self.created_at:%Y-%m-%d %H:%M})"
