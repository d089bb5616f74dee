"""Numbers as a Dutch reader expects them, for messages built in Python (templates use floatformat/intcomma)."""

from decimal import Decimal

from django.utils import formats


def plain_number(value) -> str:
    """90.00 → "90", 12.50 → "12,5" (in Dutch): no trailing zeros, the active locale's separators."""
    d = Decimal(str(value))
    if d == d.to_integral_value():
        return formats.number_format(d, decimal_pos=0, use_l10n=True)
    d = d.normalize()
    return formats.number_format(d, decimal_pos=max(0, -d.as_tuple().exponent), use_l10n=True)


def percent(value) -> str:
    """A percentage for a message: 90.00 → "90%", 33.33 → "33,33%"."""
    return f"{plain_number(value)}%"
