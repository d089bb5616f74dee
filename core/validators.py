"""Validators for Dutch identifiers (CBS codes, KvK numbers)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.nl import postcode as stdnum_postcode
from stdnum.util import clean, isdigits

CBS_MUNICIPALITY_RE = re.compile(r"^GM\d{4}$")
CBS_DISTRICT_RE = re.compile(r"^WK\d{6}$")
CBS_NEIGHBOURHOOD_RE = re.compile(r"^BU\d{8}$")


def validate_municipality_code(value: str) -> None:
    if not CBS_MUNICIPALITY_RE.match(value or ""):
        raise ValidationError(_("A CBS municipality code is GM followed by 4 digits, e.g. GM0546."), code="cbs_code")


def validate_district_code(value: str) -> None:
    if not CBS_DISTRICT_RE.match(value or ""):
        raise ValidationError(_("A CBS district code is WK followed by 6 digits, e.g. WK054601."), code="cbs_code")


def validate_neighbourhood_code(value: str) -> None:
    if not CBS_NEIGHBOURHOOD_RE.match(value or ""):
        raise ValidationError(
            _("A CBS neighbourhood code is BU followed by 8 digits, e.g. BU05460100."), code="cbs_code"
        )


def normalise_kvk(value: str) -> str:
    """Strip spaces, dots and dashes. python-stdnum has no KvK module (the number has no checksum since 2016)."""
    return clean(value or "", " .-").strip()


def validate_kvk(value: str) -> None:
    number = normalise_kvk(value)
    if len(number) != 8 or not isdigits(number):
        raise ValidationError(_("A KvK number has exactly 8 digits."), code="kvk")


def validate_postcode(value: str) -> None:
    if not stdnum_postcode.is_valid(value or ""):
        raise ValidationError(_("Not a valid Dutch postcode (e.g. 2311 EZ)."), code="postcode")
