"""The landscape registry: what exists now in a municipality's social base.

Districts and neighbourhoods (CBS codes), organisations, their activities, and funding lines (municipal grants and
external co-funding). Public information, like a municipal grant register: no personal data is stored here.
Written only through landscape.services.
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import Municipality
from core.validators import validate_district_code, validate_kvk, validate_neighbourhood_code

MONEY = {"max_digits": 14, "decimal_places": 2}


class District(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="districts")
    cbs_code = models.CharField(_("CBS code"), max_length=8, unique=True, validators=[validate_district_code])
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["cbs_code"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self) -> str:
        return self.name


class Neighbourhood(models.Model):
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="neighbourhoods")
    cbs_code = models.CharField(_("CBS code"), max_length=10, unique=True, validators=[validate_neighbourhood_code])
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["cbs_code"]
        verbose_name = _("neighbourhood")
        verbose_name_plural = _("neighbourhoods")

    def __str__(self) -> str:
        return self.name


class TargetGroup(models.Model):
    """A fixed vocabulary of target groups (seeded by a migration), shared by all municipalities."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    class Kind(models.TextChoices):
        LARGE_WELFARE = "large_welfare", _("Large welfare organisation")
        VOLUNTEER_WITH_STAFF = "volunteer_with_staff", _("Volunteer organisation with paid staff")
        VOLUNTEER_ONLY = "volunteer_only", _("Volunteer-only organisation")
        SOCIAL_ENTERPRISE = "social_enterprise", _("Social enterprise")
        SELF_ORGANISATION = "self_organisation", _("Community self-organisation")

    class LegalForm(models.TextChoices):
        FOUNDATION = "stichting", _("Foundation (stichting)")
        ASSOCIATION = "vereniging", _("Association (vereniging)")
        COOPERATIVE = "cooperatie", _("Cooperative (coöperatie)")
        PRIVATE_COMPANY = "bv", _("Private company (bv)")
        SOLE_PROPRIETOR = "eenmanszaak", _("Sole proprietorship")
        INFORMAL = "informeel", _("Informal group (no legal entity)")
        OTHER = "anders", _("Other")

    # The registry is kept per municipality (like its grant register): an organisation active in two
    # municipalities has one record in each (docs/adr/0003-landscape-per-municipality.md).
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="organisations")
    name = models.CharField(_("name"), max_length=255)
    kvk_number = models.CharField(_("KvK number"), max_length=8, blank=True, validators=[validate_kvk])
    legal_form = models.CharField(_("legal form"), max_length=20, choices=LegalForm.choices, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    paid_staff_fte = models.DecimalField(
        _("paid staff (FTE)"), max_digits=8, decimal_places=2, default=Decimal("0"), validators=[MinValueValidator(0)]
    )
    volunteers = models.PositiveIntegerField(_("volunteers"), default=0)
    own_income_share = models.DecimalField(
        _("share of income earned itself (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    first_funded_year = models.PositiveSmallIntegerField(_("year of first municipal funding"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    # Set when an import created the organisation with assumed details (e.g. its kind, from a grant register).
    needs_review = models.BooleanField(
        _("needs review"), default=False, help_text=_("Created by an import with assumed details; check them.")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "kvk_number"],
                condition=~models.Q(kvk_number=""),
                name="organisation_unique_kvk_per_municipality",
            ),
            models.UniqueConstraint(fields=["municipality", "name"], name="organisation_unique_name_per_municipality"),
        ]
        indexes = [models.Index(fields=["municipality", "kind"])]

    def __str__(self) -> str:
        return self.name


class Activity(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="activities")
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    target_groups = models.ManyToManyField(TargetGroup, blank=True, related_name="activities")
    districts = models.ManyToManyField(District, blank=True, related_name="activities")
    reach = models.PositiveIntegerField(_("participants per year"), default=0)
    volunteer_hours = models.PositiveIntegerField(_("volunteer hours per year"), default=0)
    since_year = models.PositiveSmallIntegerField(_("since"), null=True, blank=True)
    preventive = models.BooleanField(_("preventive"), default=False)

    class Meta:
        ordering = ["title"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "title"], name="activity_unique_title_per_organisation")
        ]

    def __str__(self) -> str:
        return self.title


class Funding(models.Model):
    """One funding line for one year: a municipal grant, or external co-funding (a fund such as Doen or VSB-fonds).

    `conditional` marks co-funding that pays only while the municipality pays too (the matched-funding trap).
    `amount_granted` is the amount for the year for both kinds; requested/settled are known for grants.
    """

    class Kind(models.TextChoices):
        MUNICIPAL_GRANT = "municipal_grant", _("Municipal grant")
        EXTERNAL = "external", _("External co-funding")

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="fundings")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="fundings")
    activity = models.ForeignKey(Activity, on_delete=models.SET_NULL, null=True, blank=True, related_name="fundings")
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    source_name = models.CharField(_("scheme or fund"), max_length=255)
    description = models.CharField(_("description"), max_length=500, blank=True)
    policy_area = models.CharField(_("policy area"), max_length=255, blank=True)
    periodic = models.BooleanField(_("periodic"), null=True, blank=True)
    amount_requested = models.DecimalField(_("amount requested"), null=True, blank=True, **MONEY)
    amount_granted = models.DecimalField(_("amount granted"), **MONEY)
    amount_settled = models.DecimalField(_("amount settled"), null=True, blank=True, **MONEY)
    conditional = models.BooleanField(_("conditional on municipal funding"), default=False)

    class Meta:
        ordering = ["-year", "organisation__name"]
        verbose_name = _("funding line")
        verbose_name_plural = _("funding lines")
        indexes = [models.Index(fields=["municipality", "year", "kind"])]
        constraints = [
            models.CheckConstraint(
                name="funding_amount_granted_not_negative", condition=models.Q(amount_granted__gte=0)
            ),
            models.CheckConstraint(
                name="funding_only_external_is_conditional",
                condition=models.Q(kind="external") | models.Q(conditional=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year} {self.source_name}: € {self.amount_granted}"


class GrantColumnMapping(models.Model):
    """How a municipality's grant register maps to our fields, remembered for its next import (landscape.services.
    save_grant_mapping). `columns` maps a normalised header ("naam subsidieontvanger") to a field of
    landscape.imports.grants.FIELDS, or "" for a column to ignore; `amount` says which amount counts."""

    class Amount(models.TextChoices):
        GRANTED = "granted", _("the amount granted")
        SETTLED = "settled", _("the amount settled (the granted amount where none is settled yet)")

    municipality = models.OneToOneField(Municipality, on_delete=models.CASCADE, related_name="grant_column_mapping")
    columns = models.JSONField(_("columns"), default=dict, blank=True)
    amount = models.CharField(_("amount that counts"), max_length=10, choices=Amount.choices, default=Amount.GRANTED)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("grant register column mapping")
        verbose_name_plural = _("grant register column mappings")

    def __str__(self) -> str:
        return f"{self.municipality}: {len(self.columns)}"
