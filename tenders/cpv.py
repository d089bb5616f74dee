"""CPV codes (Common Procurement Vocabulary, Regulation (EC) No 213/2008) as data: the codes a commissioning and its
lots are classified with, and whether a code is one of the social and other specific services of Annex XIV of
Directive 2014/24/EU (the light regime, Aw 2.38–2.39). The codes are seeded from tenders/cpv_data.py.

A CPV code is written as eight digits, a hyphen and a check digit ("85310000-5"); the check digit is computed from the
eight digits (tenders/cpv_data.py::check_digit), and a row with a wrong one is refused (clean() and the seed). A lot
or commissioning only chooses codes from the table."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .cpv_data import cpv_code_errors


class CPVCode(models.Model):
    code = models.CharField(_("CPV code"), max_length=10, unique=True)
    description_nl = models.CharField(_("description (Dutch)"), max_length=255)
    description_en = models.CharField(_("description (English)"), max_length=255)
    annex_xiv = models.BooleanField(
        _("social or other specific service (Annex XIV of Directive 2014/24/EU)"), default=False
    )

    class Meta:
        app_label = "tenders"
        ordering = ["code"]
        verbose_name = _("CPV code")
        verbose_name_plural = _("CPV codes")
        constraints = [
            models.CheckConstraint(name="cpv_code_format", condition=models.Q(code__regex=r"^[0-9]{8}-[0-9]$")),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.description}"

    def clean(self):
        super().clean()
        errors = cpv_code_errors(self.code)
        if errors:
            raise ValidationError({"code": errors})

    @property
    def description(self) -> str:
        """The description in the active language (Dutch unless the page is shown in English)."""
        return self.description_en if (get_language() or "nl").startswith("en") else self.description_nl
