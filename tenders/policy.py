"""The municipal procurement policy as data: the choices the law leaves to the municipality (or the purchasing
organisation that commissions for it), within proportionality (Aw 1.10 and the Gids Proportionaliteit). One record per
municipality or purchasing organisation; without one, the defaults below apply. Written only through
tenders.services.save_policy (audited), read through tenders.time_limits.policy_for."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import Municipality, PurchasingOrganisation

# The defaults when a municipality has recorded no policy of its own.
DEFAULTS = {
    "light_minimum_days": 20,
    "national_minimum_days": 20,
    "minimum_extension_days": 10,
    "max_initial_years": 6,
    "max_total_years": 10,
}
DAYS = [MinValueValidator(1), MaxValueValidator(365)]
YEARS = [MinValueValidator(1), MaxValueValidator(30)]


class ProcurementPolicy(models.Model):
    """Policy, not law: the minimum period for bids and requests to participate under the light regime (social and
    other specific services) and below the thresholds, the minimum extension of the following deadlines after a
    material change, and the caps on a contract's term."""

    municipality = models.OneToOneField(
        Municipality, on_delete=models.CASCADE, null=True, blank=True, related_name="procurement_policy"
    )
    purchasing_organisation = models.OneToOneField(
        PurchasingOrganisation, on_delete=models.CASCADE, null=True, blank=True, related_name="procurement_policy"
    )
    light_minimum_days = models.PositiveSmallIntegerField(
        _("minimum period in days, light regime"), default=DEFAULTS["light_minimum_days"], validators=DAYS
    )
    national_minimum_days = models.PositiveSmallIntegerField(
        _("minimum period in days, below the thresholds"), default=DEFAULTS["national_minimum_days"], validators=DAYS
    )
    minimum_extension_days = models.PositiveSmallIntegerField(
        _("minimum extension in days after a material change"),
        default=DEFAULTS["minimum_extension_days"],
        validators=DAYS,
    )
    max_initial_years = models.PositiveSmallIntegerField(
        _("maximum initial term in years"), default=DEFAULTS["max_initial_years"], validators=YEARS
    )
    max_total_years = models.PositiveSmallIntegerField(
        _("maximum total term in years, options included"), default=DEFAULTS["max_total_years"], validators=YEARS
    )
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        verbose_name = _("procurement policy")
        verbose_name_plural = _("procurement policies")
        constraints = [
            models.CheckConstraint(
                name="policy_owner_is_municipality_xor_purchasing_organisation",
                condition=(
                    models.Q(municipality__isnull=False, purchasing_organisation__isnull=True)
                    | models.Q(municipality__isnull=True, purchasing_organisation__isnull=False)
                ),
            ),
            models.CheckConstraint(
                name="policy_total_term_at_least_initial_term",
                condition=models.Q(max_total_years__gte=models.F("max_initial_years")),
            ),
        ]

    def __str__(self) -> str:
        return str(self.municipality or self.purchasing_organisation)
