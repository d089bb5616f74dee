"""`{{ value|css_string }}`: text for inside a double-quoted CSS string, e.g. a PDF footer's `content: "…"`.

`escapejs` is for JavaScript: its `\\u002D` escapes are not CSS, so "CONCEPT-SECRET" printed as "CONCEPTu002DSECRET"
(issue #9). CSS escapes a character as a backslash, its code point in hex and one space that ends the escape. Letters,
digits, spaces and harmless punctuation (the hyphen too) stay as they are; quotes, backslashes, `<`, `>`, `&` (no
closing the <style> element) and control characters are escaped. The result is marked safe: inside <style> the HTML
escaping of `&` would print "&amp;" literally.
"""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()

_ESCAPE = {'"', "'", "\\", "<", ">", "&"}


def _escape_char(ch: str) -> str:
    if ch in _ESCAPE or ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 or ch in "\u2028\u2029":
        return f"\\{ord(ch):x} "
    return ch


@register.filter
def css_string(value) -> str:
    return mark_safe("".join(_escape_char(ch) for ch in str(value)))  # noqa: S308  (every unsafe character escaped)
