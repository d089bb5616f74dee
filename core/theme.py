"""Municipality themes: NL Design System design tokens rendered as CSS custom properties."""

import re

from django.utils.safestring import mark_safe

_TOKEN_NAME = re.compile(r"^[a-z0-9-]+$")
_TOKEN_VALUE = re.compile(r"^[#(),.%\w\s\"'-]+$")


def theme_css(municipality) -> str:
    """CSS that applies the municipality's tokens on top of the vendored base theme. Names and values are checked
    against a strict pattern, so a token can never close the style element or inject other CSS."""
    tokens = getattr(municipality, "design_tokens", None) or {}
    lines = [
        f"  --{name}: {value};"
        for name, value in sorted(tokens.items())
        if _TOKEN_NAME.match(str(name)) and _TOKEN_VALUE.match(str(value))
    ]
    if not lines:
        return ""
    return mark_safe(".voorbeeld-theme.wijkwaarde-theme {\n" + "\n".join(lines) + "\n}")  # noqa: S308  (validated above)
