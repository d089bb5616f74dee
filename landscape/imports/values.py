"""Parsing cell values as Dutch spreadsheets hold them: amounts like `€ 12.500,00`, ja/nee, years, KvK numbers.

Each parser takes a raw cell (str, int, float, bool, date or None) and returns a Python value or raises
`CellError` with a Dutch-translatable message. Empty cells are handled by the caller (`None` means "not given").
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from core.text import clean_text
from core.validators import normalise_kvk

MAX_AMOUNT = Decimal("999999999999.99")  # DecimalField(max_digits=14, decimal_places=2)
TRUE_WORDS = {"ja", "j", "yes", "y", "true", "waar", "1", "x"}
FALSE_WORDS = {"nee", "n", "no", "false", "onwaar", "0"}


class CellError(ValueError):
    pass


# An amount has at most 12 digits before the decimal point (MAX_AMOUNT); a cell is not parsed when it is much longer
# than any amount can be written (e.g. 31 or 4,300 digits), so that Decimal's precision and Python's limit on
# converting long integers never raise anything but a CellError.
MAX_AMOUNT_CHARS = 40


def text(value) -> str:
    """A cell as one line of clean text (core.text.clean_text: NFC, no control, zero-width or bidi characters)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_text(value)


def text_parser(max_length: int):
    def parse(value) -> str:
        result = text(value) if max_length <= 500 else clean_text(value, keep_newlines=True)
        if len(result) > max_length:
            raise CellError(_("At most %(max)s characters (this has %(n)s).") % {"max": max_length, "n": len(result)})
        return result

    return parse


def amount(value) -> Decimal:
    """Euros: `€ 12.500,00`, `12500`, `12.500`, `12500.5`, `1.234.567,89`; not negative, at most 2 decimals."""
    if isinstance(value, bool):
        raise CellError(_("Not an amount."))
    if isinstance(value, int) and abs(value) > MAX_AMOUNT:  # str() of a 4,300-digit int raises ValueError
        raise CellError(_("This amount is too large."))
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
    else:
        raw = text(value)
        if len(raw) > MAX_AMOUNT_CHARS:
            raise CellError(_("%(value)s… is not an amount (too long).") % {"value": raw[:20]})
        cleaned = re.sub(r"(?i)^(€|eur)\s*|\s*(€|eur)$|\s", "", raw.replace("\u20ac", "€"))
        negative = cleaned.startswith("-") or (cleaned.startswith("(") and cleaned.endswith(")"))
        cleaned = cleaned.strip("-()").replace("€", "")
        if "," in cleaned and "." in cleaned:
            thousands, decimal = (".", ",") if cleaned.rfind(",") > cleaned.rfind(".") else (",", ".")
            cleaned = cleaned.replace(thousands, "").replace(decimal, ".")
        elif "," in cleaned:
            if cleaned.count(",") > 1:
                raise CellError(_("%(value)s is not an amount (write e.g. € 12.500,00).") % {"value": raw})
            cleaned = cleaned.replace(",", ".")
        elif re.fullmatch(r"\d{1,3}(\.\d{3})+", cleaned):
            cleaned = cleaned.replace(".", "")  # Dutch thousands separators: 12.500
        cleaned = cleaned.removesuffix(".-").removesuffix(".")
        if not re.fullmatch(r"\d+(\.\d+)?", cleaned):
            raise CellError(_("%(value)s is not an amount (write e.g. € 12.500,00).") % {"value": raw})
        try:
            number = Decimal(cleaned)
        except InvalidOperation as exc:
            raise CellError(_("%(value)s is not an amount (write e.g. € 12.500,00).") % {"value": raw}) from exc
        if negative:
            number = -number
    if not number.is_finite():
        raise CellError(_("Not an amount."))
    if number < 0:
        raise CellError(_("An amount cannot be negative."))
    if number > MAX_AMOUNT:  # before quantize, which raises InvalidOperation beyond 28 significant digits
        raise CellError(_("This amount is too large."))
    if number.as_tuple().exponent < -2 and number != number.quantize(Decimal("0.01")):
        raise CellError(_("An amount has at most 2 decimals (cents)."))
    return number.quantize(Decimal("0.01"))


def whole_number(value) -> int:
    if isinstance(value, bool):
        raise CellError(_("Not a whole number."))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        number = value
    elif len(text(value)) > MAX_AMOUNT_CHARS:  # int() of a 4,300-digit string raises ValueError
        raise CellError(_("%(value)s… is not a whole number (too long).") % {"value": text(value)[:20]})
    else:
        raw = text(value).replace(".", "") if re.fullmatch(r"\d{1,3}(\.\d{3})+", text(value)) else text(value)
        if not re.fullmatch(r"-?\d+", raw):
            raise CellError(_("%(value)s is not a whole number.") % {"value": text(value)})
        number = int(raw)
    if number < 0:
        raise CellError(_("A number cannot be negative."))
    if number > 2_000_000_000:
        raise CellError(_("This number is too large."))
    return number


def decimal_number(max_value: Decimal | None = None):
    def parse(value) -> Decimal:
        try:
            number = amount(value)
        except CellError as exc:
            raise CellError(_("%(value)s is not a number (write e.g. 2,5).") % {"value": text(value)}) from exc
        if max_value is not None and number > max_value:
            raise CellError(_("At most %(max)s.") % {"max": max_value})
        return number

    return parse


def year(value) -> int:
    if isinstance(value, datetime.date):
        return value.year
    number = whole_number(value)
    if not 1900 <= number <= 2100:
        raise CellError(_("%(value)s is not a year.") % {"value": number})
    return number


def yes_no(value) -> bool:
    if isinstance(value, bool):
        return value
    word = text(value).lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(_("Write ja or nee (not %(value)s).") % {"value": text(value)})


def kvk_number(value) -> str:
    """8 digits; a number cell that lost its leading zero in Excel (1234567) is padded back."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    number = str(value).zfill(8) if isinstance(value, int) else normalise_kvk(text(value))
    if len(number) != 8 or not number.isdigit():
        raise CellError(_("%(value)s is not a KvK number (8 digits).") % {"value": text(value)})
    return number


def url(value) -> str:
    result = text(value)
    if result and not re.match(r"(?i)^https?://", result):
        result = "https://" + result
    try:
        URLValidator()(result)
    except ValidationError as exc:
        raise CellError(_("%(value)s is not a web address.") % {"value": text(value)}) from exc
    if len(result) > 200:
        raise CellError(_("At most %(max)s characters (this has %(n)s).") % {"max": 200, "n": len(result)})
    return result


def choice(options: dict[str, str], describe: str):
    """A value from a vocabulary: `options` maps lower-case spellings (code, Dutch label) to the stored code."""

    def parse(value) -> str:
        key = text(value).lower()
        if key in options:
            return options[key]
        raise CellError(
            _("%(value)s is not allowed; use one of: %(allowed)s.") % {"value": text(value), "allowed": describe}
        )

    return parse


def split_list(value) -> list[str]:
    """A cell listing several values: separated by commas, semicolons or line breaks."""
    return [part.strip() for part in re.split(r"[,;\n|]", str(value)) if part.strip()]
